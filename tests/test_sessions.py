"""Sessions kept on the server: signing out ends the session for every copy of its cookie,
and a session ends after an absolute lifetime however active it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import User, UserSession
from casework.cases import services as cases
from casework.config import settings_from_env
from casework.core.dates import today
from casework.db import utcnow
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from tests.conftest import post_form

COOKIE = "casework_session"


@pytest.fixture
def admin_and_case(app, seeded, make_user):
    """An administrator (who may see and export everything) and a case in Gao."""
    admin = make_user("admin", username="boss", lang="en")
    with app.app_context():
        data = cases.CaseData(
            unit_id=get_unit_by_code("GAO").id,
            event_date=today() - timedelta(days=31),
            reported_on=today() - timedelta(days=30),
            channel="PLAINTE_DIRECTE",
            conflict_type="FONCIER",
            scope="INTRACOMMUNAUTAIRE",
            title="Litige sur un champ",
            narrative="Récit",
            narrative_lang="fr",
        )
        party = cases.PartyData(role="complainant", name="Aminata Touré")
        case = cases.register_case(data, [party], db.session.get(User, admin.id))
        db.session.commit()
        return admin, case.id


def copy_cookie(source, app):
    """Another browser holding a copy of ``source``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, source.get_cookie(COOKIE).value)
    return thief


def sessions_of(app, username: str) -> list[UserSession]:
    with app.app_context():
        records = list(
            db.session.scalars(
                sa.select(UserSession)
                .join(User, User.id == UserSession.user_id)
                .where(User.username == username)
                .order_by(UserSession.id)
            )
        )
        db.session.expunge_all()
        return records


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app, client, login, admin_and_case):
    admin, case_id = admin_and_case
    login(admin)
    thief = copy_cookie(client, app)
    case_page = f"/cases/{case_id}"
    export = "/reports/exports/parties.csv"
    # The copy works while the session is open...
    assert thief.get(case_page).status_code == 200
    assert thief.get(export).status_code == 200
    assert post_form(client, "/logout", page="/").status_code == 302
    # ...and no longer once its owner has signed out, for a page and for the export.
    page = thief.get(case_page)
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    download = thief.get(export)
    assert download.status_code == 302 and download.headers["Location"].startswith("/login")
    api = thief.get(export, headers={"Accept": "application/json"})
    assert api.status_code == 401
    # Coming back every few minutes does not revive it.
    with thief.session_transaction() as session:
        session["_last_seen"] = utcnow().isoformat()
    assert thief.get(case_page).status_code == 302
    [ended] = sessions_of(app, "boss")
    assert ended.ended_at is not None


def test_sign_out_ends_only_that_session(app, make_user, login):
    user = make_user("mediator")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        post_form(browser, "/login", {"username": user.username, "password": user.password})
    assert post_form(laptop, "/logout", page="/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200
    records = sessions_of(app, user.username)
    assert [record.ended_at is not None for record in records] == [True, False]


def test_a_session_ends_after_its_absolute_lifetime_even_if_active(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(
                created_at=utcnow() - timedelta(hours=12, minutes=1),
                last_seen_at=utcnow(),
            )
        )
        db.session.commit()
    with client.session_transaction() as session:
        session["_last_seen"] = utcnow().isoformat()  # active a moment ago
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session lasted 12 hours: please sign in again." in page
    api = client.get("/", headers={"Accept": "application/json"})
    assert api.status_code == 401 and api.get_json() == {"error": "session expired"}
    assert client.get("/").status_code == 302
    # A session a little younger than that is still open.
    login(user)
    with app.app_context():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.ended_at.is_(None))
            .values(created_at=utcnow() - timedelta(hours=11, minutes=59))
        )
        db.session.commit()
    assert client.get("/").status_code == 200


def test_the_absolute_lifetime_comes_from_the_environment():
    settings = settings_from_env({"CASEWORK_SESSION_MAX_HOURS": "8"})
    assert settings["SESSION_MAX_AGE"] == timedelta(hours=8)
    assert "SESSION_MAX_AGE" not in settings_from_env({})


def test_a_password_change_ends_every_other_session(app, make_user):
    user = make_user("mediator")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        post_form(browser, "/login", {"username": user.username, "password": user.password})
    new = "a brand new passphrase"
    response = post_form(
        laptop,
        "/account/password",
        {"current_password": user.password, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # this device goes on
    assert phone.get("/").status_code == 302
    open_sessions = [s for s in sessions_of(app, user.username) if s.ended_at is None]
    assert len(open_sessions) == 1


def test_the_expiry_message_is_in_french(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(created_at=utcnow() - timedelta(hours=13)))
        db.session.commit()
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Votre session a duré 12 heures\u00a0: veuillez vous reconnecter." in page


def test_the_idle_timeout_ends_the_session_for_every_copy(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    thief = copy_cookie(client, app)
    with client.session_transaction() as session:
        session["_last_seen"] = (utcnow() - timedelta(minutes=31)).isoformat()
    assert client.get("/").status_code == 302  # signed out after inactivity
    # A copy whose own clock says "active a moment ago" is refused too.
    with thief.session_transaction() as session:
        session["_last_seen"] = utcnow().isoformat()
    assert thief.get("/").status_code == 302


def test_a_cookie_without_a_session_record_is_refused(app, client, make_user, login):
    """A cookie made before sessions were kept on the server (or forged without one)."""
    user = make_user("mediator")
    login(user)
    with client.session_transaction() as session:
        session.pop("_sign_in", None)
    assert client.get("/").status_code == 302


def test_activity_is_recorded_on_the_session(app, client, make_user, login):
    user = make_user("mediator")
    login(user)
    long_ago = utcnow() - timedelta(minutes=20)
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(last_seen_at=long_ago))
        db.session.commit()
    assert client.get("/").status_code == 200
    [record] = sessions_of(app, user.username)
    assert record.last_seen_at > long_ago + timedelta(minutes=19)


def test_old_session_records_are_removed_when_their_user_signs_in_again(
    app, client, login, make_user
):
    """Records that ended or expired more than 30 days ago go; recent ones stay (a session
    that ended yesterday still refuses its copied cookie)."""
    user = make_user("mediator", username="old-sessions")
    other = make_user("mediator", username="someone-else")
    now = utcnow()
    with app.app_context():
        rows = [
            (user.id, now - timedelta(days=90), None, "expired-long-ago"),
            (user.id, now - timedelta(days=40), now - timedelta(days=35), "ended-long-ago"),
            (user.id, now - timedelta(days=2), now - timedelta(days=1), "ended-yesterday"),
            (other.id, now - timedelta(days=90), None, "another-users"),
        ]
        for user_id, created, ended, token in rows:
            db.session.add(
                UserSession(
                    user_id=user_id,
                    token_hash=token,
                    created_at=created,
                    last_seen_at=created,
                    ended_at=ended,
                )
            )
        db.session.commit()
    assert len(sessions_of(app, "old-sessions")) == 3
    login(user)
    kept = {record.token_hash for record in sessions_of(app, "old-sessions")}
    assert "ended-yesterday" in kept and len(kept) == 2  # and the new one
    assert not {"expired-long-ago", "ended-long-ago"} & kept
    assert [r.token_hash for r in sessions_of(app, "someone-else")] == ["another-users"]
