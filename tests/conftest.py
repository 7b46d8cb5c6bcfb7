"""Fixtures: an app per database backend, a rolled-back transaction per test, factories.

Every test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set (CI sets it;
with CASEWORK_REQUIRE_POSTGRES=1 a missing or unreachable PostgreSQL fails the run).
"""

from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import hypothesis
import pytest
import sqlalchemy as sa
import time_machine
from flask_sqlalchemy.session import Session as FlaskSession

from casework import create_app
from casework.auth import services as accounts
from casework.config import database_url
from casework.extensions import db

QUICK_EXAMPLES = 4
DEEP_EXAMPLES = 200

# Property-based tests (hypothesis) run a handful of examples each in `make test`, and many
# in `make test-deep` (CASEWORK_HYPOTHESIS_PROFILE=deep); the tests' own settings inherit
# max_examples from the profile. The examples are the same on every run (derandomize).
hypothesis.settings.register_profile("quick", max_examples=QUICK_EXAMPLES, derandomize=True)
hypothesis.settings.register_profile("deep", max_examples=DEEP_EXAMPLES, derandomize=False)
hypothesis.settings.load_profile(os.environ.get("CASEWORK_HYPOTHESIS_PROFILE", "quick"))

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_PG = os.environ.get("CASEWORK_REQUIRE_POSTGRES", "") not in ("", "0")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse battery"

# The suite must pass whatever the wall clock says (CI runs at any hour). CASEWORK_TEST_NOW
# (an ISO moment, e.g. 2026-12-31T23:59:58+00:00) starts every test at that moment, the clock
# then running on (time-machine, `tick=True`): a run at a day's, a month's or a year's end.
# Only Python's clock moves: SQLite's CURRENT_TIMESTAMP and PostgreSQL's now() do not (the app
# reads every "now" from Python, casework.db.utcnow). Module-scoped data are made on the real
# clock, before the test's travel.
TEST_NOW = os.environ.get("CASEWORK_TEST_NOW", "")


def pytest_report_header(config):
    clock = [f"clock: every test starts at {TEST_NOW} (CASEWORK_TEST_NOW)"] if TEST_NOW else []
    if PG_URL:
        return ["databases: SQLite and PostgreSQL (TEST_DATABASE_URL)", *clock]
    return [
        "databases: SQLite only. Set TEST_DATABASE_URL to run every test on PostgreSQL too.",
        *clock,
    ]


def pytest_configure(config):
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError("CASEWORK_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not.")
    if TEST_NOW:
        try:
            moment = datetime.fromisoformat(TEST_NOW)
        except ValueError as error:
            raise pytest.UsageError(f"CASEWORK_TEST_NOW is not an ISO moment: {error}") from None
        if moment.tzinfo is None:
            raise pytest.UsageError("CASEWORK_TEST_NOW needs a UTC offset, e.g. +00:00.")


@pytest.fixture(autouse=True)
def _clock():
    """With CASEWORK_TEST_NOW set, the test starts at that moment and the clock runs on."""
    if not TEST_NOW:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(TEST_NOW), tick=True):
        yield


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


# --- the databases: one pair per backend (and per xdist worker) -------------------------------
#
# Each backend has two databases, each behind its own app: an empty one, and one that holds
# the reference data (the starter geography and the vocabularies), seeded once per session.
# A test that asks for `seeded` gets the second app; every test runs in a transaction that is
# rolled back, so each one finds its database as it was. Under pytest-xdist (`make test`
# runs `-n auto`) every worker has databases of its own: SQLite files in its own temporary
# folder, PostgreSQL databases named after TEST_DATABASE_URL's and the worker
# (`casework_test_gw0`, `casework_test_gw0_seeded`), created at the start and dropped at the
# end, which takes a role with CREATEDB (`.ci/run` grants it). Without CREATEDB and without
# workers, the tests use TEST_DATABASE_URL's database and seed inside each test as before.

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# What the fixtures know of an app is kept on the app (app.extensions): test modules import
# this file as `tests.conftest`, a second copy of the module that pytest loaded as `conftest`.
SEEDED = "casework_tests_seeded"  # the app's database holds the reference data
SHARED = "casework_tests_shared"  # a module's shared data set (see `shared_data`)


def is_seeded(app) -> bool:
    return app.extensions.get(SEEDED, False)


class CannotCreateDatabase(Exception):
    pass


def create_database(base_url: str, name: str) -> str:
    """A new, empty PostgreSQL database beside TEST_DATABASE_URL's (dropped first if left
    over from an interrupted run); its URL."""
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.ProgrammingError as error:
        if "permission denied" in str(error):
            raise CannotCreateDatabase(str(error).splitlines()[0]) from error
        raise
    finally:
        admin.dispose()
    return sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, url: str) -> None:
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    name = sa.engine.make_url(url).database
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@dataclass
class Databases:
    """The URLs of one backend's two databases (``seeded`` is None when it could not be
    created: the tests then seed inside their own transaction)."""

    bare: str
    seeded: str | None


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def databases(backend, tmp_path_factory):
    if backend == "sqlite":
        folder = tmp_path_factory.mktemp("db")
        yield Databases(
            f"sqlite:///{folder / 'test.sqlite3'}", f"sqlite:///{folder / 'seeded.sqlite3'}"
        )
        return
    base = database_url(PG_URL, tmp_path_factory.getbasetemp())
    check_reachable(base)
    name = sa.engine.make_url(base).database
    created = []
    try:
        if WORKER:
            try:
                created.append(create_database(base, f"{name}_{WORKER}"))
            except CannotCreateDatabase as error:
                raise RuntimeError(
                    "Parallel workers need a PostgreSQL database each: grant CREATEDB to the "
                    f"role of TEST_DATABASE_URL, or run with TEST_WORKERS=0 ({error})"
                ) from error
            bare = created[0]
        else:
            bare = base
        try:
            created.append(create_database(base, f"{name}_{WORKER or 'main'}_seeded"))
            seeded = created[-1]
        except CannotCreateDatabase:
            seeded = None
        yield Databases(bare, seeded)
    finally:
        for url in created:
            drop_database(base, url)


@pytest.fixture(scope="session")
def database_url_for_tests(databases) -> str:
    """The URL of the backend's empty database (the one the bare app uses)."""
    return databases.bare


def make_app(url: str):
    app = create_app(app_settings(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        if db.engine.dialect.name == "postgresql":
            # Never auto-analyzed: after the rolled-back rows of earlier tests, autovacuum
            # would give a table the statistics of an empty one, and the planner then chose
            # plans that made a test ten times slower, depending on what ran before it on
            # its worker. Each test plans its queries as on a fresh database.
            with db.engine.begin() as connection:
                for table in db.metadata.sorted_tables:
                    connection.exec_driver_sql(
                        f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false, '
                        "toast.autovacuum_enabled = false)"
                    )
    return app


def close_app(app) -> None:
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def seed_reference_data() -> None:
    from casework.geo.services import seed_units
    from casework.vocab.services import seed_vocabularies

    seed_units()
    seed_vocabularies()
    db.session.commit()


@pytest.fixture(scope="session")
def bare_app(databases):
    """The app on the backend's empty database (tables, no rows)."""
    app = make_app(databases.bare)
    yield app
    close_app(app)


@pytest.fixture(scope="session")
def seeded_app(databases, bare_app):
    """The app on the database that holds the reference data (committed once)."""
    if databases.seeded is None:
        yield bare_app
        return
    app = make_app(databases.seeded)
    with app.app_context():
        seed_reference_data()
        db.session.remove()
    app.extensions[SEEDED] = True
    yield app
    close_app(app)


def wants_reference_data(request) -> bool:
    return not {"seeded", "seeded_app"}.isdisjoint(request.fixturenames)


@pytest.fixture
def app(request, backend):
    """The app of the backend under test: on the database with the reference data when the
    test asks for `seeded`, on the empty one otherwise."""
    return request.getfixturevalue("seeded_app" if wants_reference_data(request) else "bare_app")


class BoundSession(FlaskSession):
    """A session that always uses the test's connection (Flask-SQLAlchemy picks engines)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind


@dataclass
class Shared:
    fixture: str
    connection: sa.Connection


@contextmanager
def bound_session(app, connection):
    """db.session works on ``connection``; commits only release savepoints."""
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


@contextmanager
def shared_data(request, app, *, seeded: bool = False):
    """For a module-scoped fixture: data built once for the tests of a module that ask for
    that fixture, in a transaction that stays open until the module is done; each of those
    tests runs in a savepoint of it, rolled back. ``app`` is ``bare_app`` or (with
    ``seeded=True``) ``seeded_app``.

    Another test of the module on the same app fails: on SQLite it would wait for the write
    lock that the shared transaction holds. Give it the fixture too, or move it."""
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    try:
        with bound_session(app, connection):
            if seeded and not is_seeded(app):
                with app.app_context():
                    seed_reference_data()
            app.extensions[SHARED] = Shared(request.fixturename, connection)
            try:
                yield
            finally:
                del app.extensions[SHARED]
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _transaction(request):
    """Each test runs inside one transaction that is rolled back (Warehouse's pattern).

    Commits in the code under test only release savepoints. A test of a module's shared data
    (`shared_data`) runs in a savepoint of the module's transaction.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    shared = app.extensions.get(SHARED)
    if shared is not None and shared.fixture not in request.fixturenames:
        pytest.fail(
            f"this module shares data in the fixture `{shared.fixture}` on the same database: "
            f"a test of the module that does not use `{shared.fixture}` goes to another module"
        )
    if shared is not None:
        connection = shared.connection
        transaction = connection.begin_nested()
    else:
        with app.app_context():
            connection = db.engine.connect()
        transaction = connection.begin()
    try:
        with bound_session(app, connection):
            yield
    finally:
        transaction.rollback()
        if shared is None:
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
    """The starter geography and the vocabularies: the test runs on the database where they
    were seeded once (see `app`), or, when that database could not be created, they are
    seeded inside the test's transaction."""
    if not is_seeded(app):  # seeding twice changes nothing
        with app.app_context():
            seed_reference_data()


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
