"""What a shared phone, a locked database and the other users of the server see: no signed-in
page is kept by a browser or a proxy, a database busy past its timeout gives a translated
"busy, try again" (503) rather than a bare 500, and the instance files are readable by their
owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

import casework
from casework import create_app
from casework.auth import services as accounts
from casework.extensions import db
from casework.permissions import is_public_endpoint
from casework.roles import Role
from tests.conftest import CSRF_RE, app_settings, csrf_token, post_form
from tests.test_permissions import HOME, PLACELESS, World, fill, request_as

# --- Cache-Control ----------------------------------------------------------------------------


def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("role", [Role.ADMIN.value, Role.MEDIATOR.value])
def test_every_response_to_a_signed_in_user_is_not_stored(app, client, make_user, login, role):
    """The URL-map walk of test_permissions, as one role: every page, export, refusal and
    form answer carries Cache-Control: no-store."""
    from casework.demo import seed_demo
    from casework.vocab.models import Term

    with app.app_context():
        seed_demo(cases=15)
        db.session.commit()
        world = World()
        term = db.session.scalars(sa.select(Term).limit(1)).one()
        spare = {
            "term_id": term.id,
            "vocabulary": term.vocabulary,
            "threshold_id": 1,
            "name": "cases",
            "fmt": "csv",
            "target": "ENREGISTRE",
            "action": "deactivate",
            "token_id": 1,  # an API token (issue 16): none is there, a 404
        }
    spare["user_id"] = make_user("mediator", username="spare", area=HOME).id
    user = make_user(role, username=f"the.{role}", area=None if role == "admin" else HOME)
    signed_in = login(user)
    assert signed_in.status_code == 302 and no_store(signed_in)
    token = CSRF_RE.search(client.get("/").get_data(as_text=True))
    token = token.group(1) or token.group(2)

    rules = sorted(
        (r for r in app.url_map.iter_rules() if not is_public_endpoint(app, r.endpoint)),
        key=lambda r: (r.endpoint == "auth.logout", r.endpoint),
    )
    stored, statuses = [], set()
    for rule in rules:
        placed = bool(set(rule.arguments) - PLACELESS)
        for inside in (True, False) if placed else (True,):
            values = fill(rule, world.home if inside else world.away, spare)
            if values is None:
                continue
            response = request_as(client, rule, values, token)
            statuses.add(response.status_code)
            if not no_store(response):
                stored.append((rule.endpoint, inside, response.status_code))
    assert stored == []
    # The walk met pages, redirects, refusals and missing objects alike.
    assert {200, 302} <= statuses and (403 in statuses or role == "admin")


def test_signing_in_and_out_is_not_stored_and_static_files_keep_their_caching(
    client, make_user, login
):
    user = make_user("mediator")
    assert no_store(client.get("/login"))  # the page sets the session (its CSRF token)
    assert no_store(login(user))
    assert no_store(client.get("/"))
    static = client.get("/static/css/casework.css")
    assert static.status_code == 200 and not no_store(static)
    static.close()
    signed_out = post_form(client, "/logout", page="/")
    assert signed_out.status_code == 302 and no_store(signed_out)


# --- a database busy past its timeout ---------------------------------------------------------


@pytest.fixture
def busy_app(empty_database, backend):
    """An application on a committed database of its own with a short lock timeout, and a
    signed-in client."""
    settings = app_settings(
        empty_database, SQLITE_BUSY_TIMEOUT_MS=300, POSTGRES_LOCK_TIMEOUT_MS=300
    )
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        accounts.create_user(
            username="mariam", full_name="Mariam", role="mediator", password="Tinariwen at dusk 7"
        )
        db.session.commit()
    app.config["BACKEND"] = backend
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


class Locker:
    """Another writer holding the database: SQLite's write lock (BEGIN IMMEDIATE) or, on
    PostgreSQL, an exclusive lock on the users table."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        with self.app.app_context():
            url = db.engine.url
        if url.get_backend_name() == "sqlite":
            self.connection = sqlite3.connect(url.database, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.execute("UPDATE users SET full_name = 'Locked' WHERE 1 = 0")
        else:
            self.engine = sa.create_engine(url)
            self.connection = self.engine.connect()
            self.connection.begin()
            self.connection.execute(sa.text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
        return self

    def __exit__(self, *_exc):
        self.connection.rollback()
        self.connection.close()
        if hasattr(self, "engine"):
            self.engine.dispose()


def sign_in(app, lang: str):
    client = app.test_client()
    response = post_form(
        client,
        "/login",
        {"username": "mariam", "password": "Tinariwen at dusk 7"},
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 302
    return client, csrf_token(client, "/account/password")


def switch_language(client, token: str, lang: str, **headers):
    """A request that writes: the language switch saves a signed-in user's preference."""
    return client.post(
        "/language", data={"lang": lang, "next": "/", "csrf_token": token}, headers=headers
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", ["Occupé", "très occupé"]), ("en", ["Busy", "very busy"])],
)
def test_a_locked_database_gives_a_translated_503_with_retry_after(busy_app, lang, words):
    client, token = sign_in(busy_app, lang)
    headers = {"Accept-Language": lang}
    with Locker(busy_app):
        response = switch_language(client, token, lang, **headers)
        api = switch_language(client, token, lang, Accept="application/json", **headers)
        page = client.get("/", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert int(response.headers["Retry-After"]) > 0
    assert f'lang="{lang}"' in html and all(word in html for word in words), html
    assert "Internal Server Error" not in html
    assert no_store(response)
    assert api.status_code == 503 and api.is_json and int(api.headers["Retry-After"]) > 0
    if busy_app.config["BACKEND"] == "sqlite":
        assert page.status_code == 200  # readers go on beside SQLite's writer (WAL)
    else:
        assert page.status_code == 503  # the table itself is locked
    # The lock gone, the same request works.
    assert switch_language(client, token, lang, **headers).status_code == 302


def test_the_busy_page_takes_its_language_from_the_session_not_the_database(busy_app):
    client, token = sign_in(busy_app, "fr")
    assert switch_language(client, token, "en").status_code == 302  # the session says English
    with busy_app.app_context():
        db.session.execute(sa.text("UPDATE users SET preferred_language = 'fr'"))
        db.session.commit()
    with Locker(busy_app):
        response = switch_language(client, token, "fr", **{"Accept-Language": "fr"})
    assert response.status_code == 503
    assert "very busy" in response.get_data(as_text=True)


# --- instance files ---------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_files_are_readable_by_their_owner_only(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setattr(casework, "INSTANCE_PATH", instance)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    old = os.umask(0o022)  # the usual umask, under which files come out 0644
    try:
        app = create_app("development")
        with app.app_context():
            db.create_all()
            accounts.create_user(
                username="mariam", full_name="Mariam", role="mediator", password="Tinariwen 7 x"
            )
            db.session.commit()
            from casework.maintenance.backup import backup, checksum_path

            result = backup(tmp_path / "backup.sqlite3")
            database = Path(db.engine.url.database)
            # While a connection is open: SQLite removes -wal and -shm with the last one.
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            modes = {path: mode(path) for path in files}
            db.session.remove()
            db.engine.dispose()
    finally:
        os.umask(old)
    assert database.parent == instance
    assert mode(instance) == 0o700
    for path in [instance / "secret_key", result.path, checksum_path(result.path)]:
        modes[path] = mode(path)
    assert {path: oct(value) for path, value in modes.items() if value != 0o600} == {}
