"""Two-factor sign-in: enrolment, the second sign-in step, replay, recovery codes, the
required mode, switching off and the administrator's reset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from casework.auth import two_factor
from casework.auth.models import LoginAttempt, RecoveryCode, User
from casework.extensions import db
from tests.conftest import PASSWORD, csrf_token, fetch_one, post_form, query
from tests.test_escaping import OWN_SCRIPT

NOW = 1_800_000_000.0  # a fixed clock, in the middle of a 30-second step
SECRET_RE = re.compile(r'<p class="secret"><code>([A-Z2-7 ]+)</code></p>')
RECOVERY_RE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


@pytest.fixture
def clock(monkeypatch):
    """Stop the two-factor clock; ``clock.now`` can be moved."""

    class Clock:
        now = NOW

    monkeypatch.setattr(two_factor, "_now", lambda: Clock.now)
    return Clock


@dataclass
class Enrolled:
    secret: str
    recovery_codes: list[str]

    def code(self, steps: int = 0) -> str:
        """The code of the step ``steps`` away from the fixed clock."""
        return pyotp.TOTP(self.secret).at(NOW + 30 * steps)


def enrol_on_the_web(client, password: str = PASSWORD) -> Enrolled:
    """What a user does on the pages; the code used is the previous step's (drift), so that
    the current step is still free for the tests' first sign-in."""
    start_enrolment(client, password)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = SECRET_RE.search(page).group(1).replace(" ", "")
    code = pyotp.TOTP(secret).at(NOW - 30)
    response = post_form(client, "/account/two-factor/setup", {"code": code})
    assert response.status_code == 200
    codes = RECOVERY_RE.findall(response.get_data(as_text=True))
    return Enrolled(secret, codes)


@pytest.fixture
def enrolled_user(app, client, clock, make_user, login):
    """A mediator with two-factor on, signed out."""

    def make(role: str = "mediator", lang: str = "en"):
        user = make_user(role, lang=lang)
        login(user)
        enrolled = enrol_on_the_web(client)
        post_form(client, "/logout", page="/account/two-factor")
        return user, enrolled

    return make


def start_enrolment(client, password: str, **kw):
    return post_form(
        client,
        "/account/two-factor/start",
        {"password": password},
        page="/account/two-factor",
        **kw,
    )


def sign_in(client, login, user, code: str, **kw):
    first = login(user)
    assert first.status_code == 302
    assert first.headers["Location"].startswith("/login/code")
    return post_form(client, "/login/code", {"code": code}, **kw)


def failed_sign_ins(app, user) -> int:
    """The failed sign-ins recorded for the user (a wrong password or code counts as one)."""
    statement = sa.select(sa.func.count(LoginAttempt.id)).where(
        LoginAttempt.username == user.username, LoginAttempt.succeeded.is_(False)
    )
    return query(app, statement).scalar()


def stored_user(app, user) -> User:
    return fetch_one(app, sa.select(User).where(User.id == user.id))


# --- enrolment ---------------------------------------------------------------------------


def test_enrolment_shows_the_key_and_a_qr_code_and_needs_a_current_code(
    app, client, clock, make_user, login
):
    user = make_user("mediator", lang="en")
    login(user)
    page = client.get("/account/two-factor")
    assert "Two-factor sign-in is off." in page.get_data(as_text=True)
    # Nothing to confirm before the set-up is started.
    assert client.get("/account/two-factor/setup").status_code == 302

    assert start_enrolment(client, user.password).status_code == 302
    setup = client.get("/account/two-factor/setup")
    html = setup.get_data(as_text=True)
    assert setup.status_code == 200
    secret = SECRET_RE.search(html).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    assert '<svg width="196" height="196" class="qr">' in html
    assert "<script" not in OWN_SCRIPT.sub("", html)  # the app's one script aside

    wrong = post_form(client, "/account/two-factor/setup", {"code": "000000"})
    assert wrong.status_code == 400
    assert "The code is wrong" in wrong.get_data(as_text=True)
    assert not stored_user(app, user).two_factor_enabled

    code = pyotp.TOTP(secret.replace(" ", "")).at(NOW)
    done = post_form(client, "/account/two-factor/setup", {"code": code})
    assert done.status_code == 200
    codes = RECOVERY_RE.findall(done.get_data(as_text=True))
    assert len(codes) == 10 == len(set(codes))
    assert stored_user(app, user).two_factor_enabled
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "You have 10 unused recovery codes left." in status


def test_the_setup_page_is_in_french(app, client, clock, make_user, login):
    user = make_user("mediator", lang="fr")
    login(user)
    start_enrolment(client, user.password)
    html = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "Configurer la connexion en deux étapes" in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "The current password is wrong."), ("fr", "Le mot de passe actuel est incorrect.")],
)
def test_starting_the_set_up_needs_the_password(
    app, client, clock, make_user, login, lang, message
):
    """A stolen session cookie alone cannot switch two-factor on and lock the owner out."""
    user = make_user("mediator", lang=lang)
    login(user)
    for password in ("", "not my password"):
        response = start_enrolment(client, password, headers={"Accept-Language": lang})
        assert response.status_code == 400
        if password:
            assert message in response.get_data(as_text=True)
        assert stored_user(app, user).totp_secret is None
        assert client.get("/account/two-factor/setup").status_code == 302
    # The wrong password counted as a failed sign-in.
    assert failed_sign_ins(app, user) == 1


def test_wrong_passwords_at_the_set_up_lead_to_the_throttle(app, client, clock, make_user, login):
    user = make_user("mediator", lang="en")
    login(user)
    for _ in range(5):
        assert start_enrolment(client, "not my password").status_code == 400
    refused = start_enrolment(client, user.password)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert stored_user(app, user).totp_secret is None


def test_a_set_up_started_elsewhere_is_not_shown(app, client, clock, make_user, login):
    """The secret being set up is shown only in the session that started it."""
    user = make_user("mediator", lang="en")
    login(user)
    start_enrolment(client, user.password)
    other = app.test_client()
    post_form(other, "/login", {"username": user.username, "password": user.password})
    assert other.get("/account/two-factor/setup").status_code == 302
    assert client.get("/account/two-factor/setup").status_code == 200


def test_the_secret_and_the_recovery_codes_are_not_stored_in_clear(app, enrolled_user):
    user, enrolled = enrolled_user()
    stored = query(app, sa.select(User.totp_secret).where(User.id == user.id)).scalar()
    assert enrolled.secret not in stored and enrolled.secret.lower() not in stored.lower()
    with app.app_context():
        assert two_factor.decrypt_secret(stored) == enrolled.secret
    hashes = query(
        app, sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    ).scalars()
    hashes = list(hashes)
    assert len(hashes) == 10
    for code in enrolled.recovery_codes:
        assert all(code.replace("-", "") not in h and code not in h for h in hashes)


def test_another_secret_key_cannot_read_the_secret(app, enrolled_user, monkeypatch):
    user, _enrolled = enrolled_user()
    stored = query(app, sa.select(User.totp_secret).where(User.id == user.id)).scalar()
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
    monkeypatch.setitem(app.extensions, "casework_two_factor_keys", {})
    with app.app_context(), pytest.raises(two_factor.AccountError):
        two_factor.decrypt_secret(stored)


# --- sign-in -----------------------------------------------------------------------------


def test_sign_in_needs_the_code_after_the_password(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    first = login(user)
    assert first.status_code == 302 and first.headers["Location"] == "/login/code"
    # The password alone does not sign in.
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")
    page = client.get("/login/code")
    assert page.status_code == 200
    assert "authenticator app" in page.get_data(as_text=True)

    done = post_form(client, "/login/code", {"code": enrolled.code()})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    attempts = query(
        app, sa.select(LoginAttempt.succeeded).where(LoginAttempt.username == user.username)
    ).scalars()
    assert list(attempts)[-1] is True
    assert stored_user(app, user).last_login_at is not None


def test_the_next_page_survives_the_second_step(app, client, enrolled_user):
    user, enrolled = enrolled_user()
    token = csrf_token(client)
    first = client.post(
        "/login?next=/admin/users",
        data={"username": user.username, "password": user.password, "csrf_token": token},
    )
    assert first.headers["Location"] == "/login/code?next=/admin/users"
    done = post_form(client, "/login/code?next=/admin/users", {"code": enrolled.code()})
    assert done.headers["Location"] == "/admin/users"


def test_a_code_with_a_step_of_drift_is_accepted_but_not_two_steps(client, login, enrolled_user):
    user, enrolled = enrolled_user()
    assert sign_in(client, login, user, enrolled.code(2)).status_code == 401
    assert post_form(client, "/login/code", {"code": enrolled.code(1)}).status_code == 302


def test_a_wrong_code_is_refused_and_counts_as_a_failed_sign_in(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    refused = sign_in(client, login, user, "123456")
    assert refused.status_code == 401
    assert "The code is wrong, has expired or was already used." in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert failed_sign_ins(app, user) == 1
    for _ in range(4):
        assert post_form(client, "/login/code", {"code": "654321"}).status_code == 401
    # Throttled now, even with the right code, and even through the first step again.
    locked = post_form(client, "/login/code", {"code": enrolled.code()})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert login(user).status_code == 429
    assert client.get("/").status_code == 302


def test_a_code_cannot_be_used_twice(client, login, enrolled_user):
    user, enrolled = enrolled_user()
    assert sign_in(client, login, user, enrolled.code()).status_code == 302
    post_form(client, "/logout", page="/")
    replay = sign_in(client, login, user, enrolled.code())
    assert replay.status_code == 401
    # Nor an older one within the drift window.
    assert post_form(client, "/login/code", {"code": enrolled.code(-1)}).status_code == 401
    assert post_form(client, "/login/code", {"code": enrolled.code(1)}).status_code == 302


def test_a_recovery_code_works_once(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    code = enrolled.recovery_codes[3]
    assert sign_in(client, login, user, code.upper().replace("-", " ")).status_code == 302
    post_form(client, "/logout", page="/")
    assert sign_in(client, login, user, code).status_code == 401
    assert sign_in(client, login, user, enrolled.recovery_codes[4]).status_code == 302
    with app.app_context():
        assert two_factor.recovery_codes_left(db.session.get(User, user.id)) == 8


def test_the_second_step_expires(app, client, login, enrolled_user, monkeypatch):
    user, enrolled = enrolled_user()
    assert login(user).status_code == 302
    monkeypatch.setitem(app.config, "TWO_FACTOR_PENDING", timedelta(0))
    response = post_form(client, "/login/code", {"code": enrolled.code()}, page="/login")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302


def test_the_second_step_needs_the_first(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_password_reset_cancels_a_pending_second_step(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    assert login(user).status_code == 302
    with app.app_context():
        from casework.auth.services import reset_password

        reset_password(db.session.get(User, user.id))
        db.session.commit()
    response = post_form(client, "/login/code", {"code": enrolled.code()}, page="/login")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- new recovery codes, switching off ---------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    sign_in(client, login, user, enrolled.code())
    response = post_form(
        client,
        "/account/two-factor/recovery-codes",
        {"recovery-code": enrolled.recovery_codes[0]},
        page="/account/two-factor",
    )
    assert response.status_code == 200
    new_codes = RECOVERY_RE.findall(response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(enrolled.recovery_codes)
    post_form(client, "/logout", page="/")
    assert sign_in(client, login, user, enrolled.recovery_codes[1]).status_code == 401
    assert post_form(client, "/login/code", {"code": new_codes[0]}).status_code == 302


def test_switching_off_needs_the_password_and_a_code(app, client, login, enrolled_user):
    user, enrolled = enrolled_user()
    sign_in(client, login, user, enrolled.code())
    cases = [
        ({"password": "not my password", "code": enrolled.code(1)}, "current password is wrong"),
        ({"password": user.password, "code": "000000"}, "The code is wrong"),
    ]
    for data, message in cases:
        response = post_form(
            client, "/account/two-factor/disable", data, page="/account/two-factor"
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
        assert stored_user(app, user).two_factor_enabled
    response = post_form(
        client,
        "/account/two-factor/disable",
        {"password": user.password, "code": enrolled.code(1)},
        page="/account/two-factor",
    )
    assert response.status_code == 302
    after = stored_user(app, user)
    assert not after.two_factor_enabled and after.totp_secret is None
    assert (
        query(
            app, sa.select(sa.func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id)
        ).scalar()
        == 0
    )
    post_form(client, "/logout", page="/")
    assert login(user).headers["Location"] == "/"


def test_wrong_passwords_when_switching_off_count_and_are_throttled(
    app, client, login, enrolled_user
):
    """Someone holding a copy of the session cookie cannot guess the password here: each
    wrong one is a failed sign-in, and after the limit even the right one waits."""
    user, enrolled = enrolled_user()
    sign_in(client, login, user, enrolled.code())
    before = failed_sign_ins(app, user)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for attempt in range(limit):
        response = post_form(
            client,
            "/account/two-factor/disable",
            {"password": f"guess {attempt}", "code": enrolled.code(1)},
            page="/account/two-factor",
        )
        assert response.status_code == 400
    assert failed_sign_ins(app, user) == before + limit
    response = post_form(
        client,
        "/account/two-factor/disable",
        {"password": user.password, "code": enrolled.code(1)},
        page="/account/two-factor",
    )
    assert response.status_code == 429
    assert stored_user(app, user).two_factor_enabled


# --- required for administrators and coordinators ---------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_required_mode_sends_admins_and_coordinators_to_enrol(
    app, client, clock, make_user, login, monkeypatch, role
):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = make_user(role, lang="en")
    response = login(user, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Your role requires two-factor sign-in" in html
    for path in ("/", "/cases", "/admin/users"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"] == "/account/two-factor"
    token = csrf_token(client, "/account/two-factor")
    assert client.post("/account/password", data={"csrf_token": token}).status_code == 403
    enrol_on_the_web(client)
    assert client.get("/").status_code == 200
    # It cannot be switched off while required.
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "cannot be switched off" in page
    assert 'action="/account/two-factor/disable"' not in page


def test_required_mode_leaves_other_roles_alone(app, client, make_user, login, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = make_user("mediator")
    login(user)
    assert client.get("/").status_code == 200


def test_required_mode_asks_for_a_password_change_first(app, client, make_user, login, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user = make_user("admin", must_change_password=True)
    assert login(user).headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"


def test_the_required_setting_comes_from_the_environment():
    from casework.config import settings_from_env

    assert settings_from_env({"CASEWORK_TWO_FACTOR_REQUIRED": "1"})["TWO_FACTOR_REQUIRED"]
    assert "TWO_FACTOR_REQUIRED" not in settings_from_env({})


# --- the administrator's reset -----------------------------------------------------------


def test_an_admin_resets_a_lost_phone(app, client, login, make_user, enrolled_user, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    user, _enrolled = enrolled_user("coordinator")
    admin = make_user("admin", username="admin", lang="en")
    login(admin)
    enrol_on_the_web(client)  # required for the administrator too
    edit = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert "Reset two-factor sign-in" in edit
    # A POST without the CSRF token changes nothing.
    assert client.post(f"/admin/users/{user.id}/reset-two-factor").status_code == 400
    assert stored_user(app, user).two_factor_enabled
    response = post_form(
        client, f"/admin/users/{user.id}/reset-two-factor", page=f"/admin/users/{user.id}/edit"
    )
    assert response.status_code == 302
    assert stored_user(app, user).totp_secret is None
    post_form(client, "/logout", page="/")
    # The password alone signs in, then the coordinator must enrol again.
    assert login(user).headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/account/two-factor"


def test_only_admins_reset_two_factor(app, client, login, make_user, enrolled_user):
    user, _enrolled = enrolled_user()
    other = make_user("coordinator")
    login(other)
    response = post_form(client, f"/admin/users/{user.id}/reset-two-factor", page="/")
    assert response.status_code == 403
    assert stored_user(app, user).two_factor_enabled


def test_the_command_line_resets_two_factor(app, runner, client, login, enrolled_user):
    from casework.cli import cli

    user, _enrolled = enrolled_user()
    result = runner.invoke(cli, ["users", "reset-two-factor", user.username])
    assert result.exit_code == 0, result.output
    assert not stored_user(app, user).two_factor_enabled
    assert login(user).headers["Location"] == "/"
    unknown = runner.invoke(cli, ["users", "reset-two-factor", "nobody"])
    assert unknown.exit_code != 0


def test_an_unreadable_secret_is_explained_not_a_crash(
    app, client, login, enrolled_user, monkeypatch
):
    user, enrolled = enrolled_user()
    assert login(user).status_code == 302
    monkeypatch.setitem(app.extensions, "casework_two_factor_keys", {"totp secret": b"k" * 32})
    response = post_form(client, "/login/code", {"code": enrolled.code()}, page="/login")
    assert response.status_code == 400
    assert "Ask an administrator to reset your two-factor sign-in" in response.get_data(
        as_text=True
    )
    assert client.get("/").status_code == 302
