"""Fixtures: an app per database backend, a rolled-back transaction per test, factories.

Every test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set (CI sets it;
with CASEWORK_REQUIRE_POSTGRES=1 a missing or unreachable PostgreSQL fails the run).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession

from casework import create_app
from casework.auth import services as accounts
from casework.config import database_url
from casework.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_PG = os.environ.get("CASEWORK_REQUIRE_POSTGRES", "") not in ("", "0")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse battery"


def pytest_report_header(config):
    if PG_URL:
        return "databases: SQLite and PostgreSQL (TEST_DATABASE_URL)"
    return "databases: SQLite only. Set TEST_DATABASE_URL to run every test on PostgreSQL too."


def pytest_configure(config):
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError("CASEWORK_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not.")


def backend_url(backend: str, tmp_path_factory) -> str:
    if backend == "postgresql":
        return database_url(PG_URL, tmp_path_factory.getbasetemp())
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def check_reachable(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        raise RuntimeError(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {error}") from error
    finally:
        engine.dispose()


def app_settings(url: str, **extra) -> dict:
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": None,
    }
    settings.update(extra)
    return settings


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url_for_tests(backend, tmp_path_factory) -> str:
    url = backend_url(backend, tmp_path_factory)
    if backend == "postgresql":
        check_reachable(url)
    return url


@pytest.fixture(scope="session")
def app(database_url_for_tests):
    app = create_app(app_settings(database_url_for_tests))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


class BoundSession(FlaskSession):
    """A session that always uses the test's connection (Flask-SQLAlchemy picks engines)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind


@pytest.fixture(autouse=True)
def _transaction(request):
    """Each test runs inside one transaction that is rolled back (Warehouse's pattern).

    Commits in the code under test only release savepoints.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "class_": BoundSession, "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    password: str
    role: str


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(
        role: str = "mediator",
        *,
        username: str | None = None,
        password: str = PASSWORD,
        lang: str | None = None,
        active: bool = True,
        must_change_password: bool = False,
        area: str | None = None,
    ):
        username = username or f"{role}{next(counter)}"
        with app.app_context():
            user = accounts.create_user(
                username=username,
                full_name=f"{role.title()} {username}",
                role=role,
                password=password,
                preferred_language=lang,
                must_change_password=must_change_password,
            )
            user.is_active = active
            if area is not None:
                from casework.geo.services import get_unit_by_code

                user.area_id = get_unit_by_code(area).id
            db.session.commit()
            return UserInfo(user.id, user.username, password, user.role)

    return make


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a browser would find in the page's form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict | None = None, *, page: str | None = None, **kw):
    """Submit a form as a browser does: with the token from the page."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, page or path))
    return client.post(path, data=data, **kw)


@pytest.fixture
def login(client):
    def do_login(user: UserInfo, password: str | None = None, **kw):
        return post_form(
            client,
            "/login",
            {"username": user.username, "password": password or user.password},
            **kw,
        )

    return do_login


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin", username="admin")
    login(user)
    return user


def fetch_one(app, statement):
    """One ORM object, detached from the session so that the test can read it."""
    with app.app_context():
        obj = db.session.scalars(statement).one_or_none()
        if obj is not None:
            db.session.expunge(obj)
        return obj


def query(app, statement):
    """Run a query in its own app context (tests do not keep one open)."""
    with app.app_context():
        return db.session.execute(statement)


@pytest.fixture
def seeded(app):
    """The starter geography and the vocabularies, inside the test's transaction."""
    from casework.geo.services import seed_units
    from casework.vocab.services import seed_vocabularies

    with app.app_context():
        seed_units()
        seed_vocabularies()
        db.session.commit()


def unit_id(app, code: str) -> int:
    from casework.geo.services import get_unit_by_code

    with app.app_context():
        return get_unit_by_code(code).id


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a ``with count_queries() as counter:`` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = {"n": 0}

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                counter["n"] += 1

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def empty_database(backend, database_url_for_tests, tmp_path):
    """The URL of an empty database of the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    schema = f"mig_{secrets.token_hex(4)}"
    admin = sa.create_engine(database_url_for_tests)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(database_url_for_tests).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
