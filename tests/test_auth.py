"""Signing in and out, throttling, idle timeout, passwords."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import LoginAttempt, User
from casework.db import utcnow
from casework.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form, query


def test_sign_in_with_the_right_password_opens_the_home_page(client, make_user, login):
    user = make_user("mediator", lang="en")
    response = login(user, follow_redirects=True)
    assert response.status_code == 200
    assert f"Welcome, Mediator {user.username}" in response.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_translated_message(client, make_user, login):
    user = make_user("mediator")
    response = login(user, password="not the password")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_inactive_account_cannot_sign_in(client, make_user, login):
    user = make_user("mediator", active=False)
    assert login(user).status_code == 401


def test_sign_in_records_last_login(app, make_user, login):
    user = make_user("coordinator")
    login(user)
    last = query(app, sa.select(User.last_login_at).where(User.id == user.id)).scalar_one()
    assert last is not None and utcnow() - last < timedelta(minutes=1)


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user, login):
    user = make_user("mediator")
    for _ in range(5):
        assert login(user, password="wrong password!").status_code == 401
    refused = login(user)
    assert refused.status_code == 429
    body = refused.get_data(as_text=True)
    assert "Trop de tentatives de connexion échouées" in body
    assert client.get("/").status_code == 302  # not signed in


def test_the_lock_message_follows_the_language(client, make_user, login):
    user = make_user("mediator")
    for _ in range(5):
        login(user, password="wrong password!", headers={"Accept-Language": "en"})
    refused = login(user, headers={"Accept-Language": "en"})
    assert "Too many failed sign-ins. Try again in 15 minutes." in refused.get_data(as_text=True)


def test_the_lock_is_per_account(client, make_user, login):
    locked, other = make_user("mediator"), make_user("mediator")
    for _ in range(5):
        login(locked, password="wrong password!")
    assert login(other).status_code == 302


def test_the_lock_lifts_once_the_failures_leave_the_window(app, client, make_user, login):
    user = make_user("mediator")
    for _ in range(5):
        login(user, password="wrong password!")
    assert login(user).status_code == 429
    with app.app_context():
        db.session.execute(
            sa.update(LoginAttempt).values(attempted_at=utcnow() - timedelta(minutes=16))
        )
        db.session.commit()
    assert login(user).status_code == 302


def test_four_failures_do_not_lock(client, make_user, login):
    user = make_user("mediator")
    for _ in range(4):
        login(user, password="wrong password!")
    assert login(user).status_code == 302


def test_failures_from_one_address_are_throttled_across_accounts(app, client, make_user, login):
    users = [make_user("mediator") for _ in range(5)]
    for _ in range(4):
        for user in users:
            login(user, password="wrong password!")
    # 20 failures from 127.0.0.1 across five accounts: the address is locked.
    fresh = make_user("mediator")
    assert login(fresh).status_code == 429
    # Another address is not.
    other = app.test_client()
    response = post_form(
        other,
        "/login",
        {"username": fresh.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert response.status_code == 302


def test_sign_in_renews_the_session(client, make_user, login):
    user = make_user("mediator")
    csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)
    login(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before.get("csrf_token")
        assert session.get("_user_id", "").startswith(f"{user.id}:")


def test_sign_out_is_a_post_with_a_token(client, make_user, login):
    user = make_user("mediator")
    login(user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.get("/").status_code == 200
    response = post_form(client, "/logout", page="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_an_idle_session_expires(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["_last_seen"] = (utcnow() - timedelta(minutes=31)).isoformat()
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_an_active_session_stays_open(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    with client.session_transaction() as session:
        session["_last_seen"] = (utcnow() - timedelta(minutes=29)).isoformat()
    assert client.get("/").status_code == 200


def test_next_never_leads_to_another_host(client, make_user):
    user = make_user("mediator")
    token = csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            f"/login?next={target}",
            data={"username": user.username, "password": user.password, "csrf_token": token},
        )
        assert response.headers["Location"] == "/", target
        post_form(client, "/logout", page="/")
        token = csrf_token(client)


def test_next_returns_to_the_page_asked_for(client, make_user):
    user = make_user("admin")
    response = client.get("/admin/users")
    assert response.headers["Location"].endswith("/login?next=/admin/users")
    token = csrf_token(client, "/login?next=/admin/users")
    response = client.post(
        "/login?next=/admin/users",
        data={"username": user.username, "password": user.password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/users"


def test_change_own_password(client, app, make_user, login):
    user = make_user("mediator")
    login(user)
    new = "a brand new passphrase"
    response = post_form(
        client,
        "/account/password",
        {"current_password": user.password, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    post_form(client, "/logout", page="/")
    assert login(user).status_code == 401
    assert login(user, password=new).status_code == 302


def test_change_password_checks_the_rules(client, make_user, login):
    user = make_user("mediator", lang="en")
    login(user)
    cases = [
        ("wrong current!", "another long passphrase", "The current password is wrong."),
        (user.password, "short", "at least 12 characters"),
        (user.password, user.password, "must differ from the current one"),
    ]
    for current, new, message in cases:
        response = post_form(
            client,
            "/account/password",
            {"current_password": current, "new_password": new, "confirm_password": new},
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
