"""Benchmark databases: generated once, reused while the generator and the schema match.

SQLite files live in bench/data/ (git-ignored). On PostgreSQL (DATABASE_URL), each one is a
schema of its own in that database, so nothing else in it is touched.

A database built by the same generator version under an older migration head is brought up
to date by the migrations (as a production database would be) instead of being generated
again: at a million cases that saves half an hour. One that cannot be upgraded (a head from
another branch) is generated again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from casework.config import PROJECT_ROOT, database_url
from casework.generate import GENERATOR_VERSION

DATA = Path(__file__).resolve().parent / "data"
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 2026


def migration_head() -> str:
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    return script.get_current_head()


@dataclass
class BenchDatabase:
    backend: str  # sqlite or postgresql
    scale: str
    url: str  # SQLAlchemy URL
    built_seconds: float | None = None  # None: reused

    @property
    def key(self) -> str:
        return f"{self.scale}-g{GENERATOR_VERSION}-m{migration_head()}"


def _casework(args: list[str], url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, CASEWORK_CONFIG="production")
    env.setdefault("SECRET_KEY", "bench-only-secret")
    command = [str(Path(sys.executable).with_name("casework")), *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE)  # noqa: S603


def _generate(url: str, cases: int) -> float:
    _casework(["db", "upgrade"], url)
    started = time.perf_counter()
    _casework(["demo", "generate", "--cases", str(cases), "--seed", str(SEED)], url)
    return time.perf_counter() - started


def _upgraded(url: str) -> bool:
    """Run the migrations on an earlier bench database; False when they cannot be."""
    try:
        _casework(["db", "upgrade"], url)
    except subprocess.CalledProcessError:
        return False
    return True


def _settle_as(source: Path, path: Path) -> None:
    """Write the WAL into the file, gather the planner's statistics, and name it ``path``."""
    engine = sa.create_engine(f"sqlite:///{source}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    source.rename(path)


def _upgrade_older_sqlite(scale: str, path: Path) -> bool:
    """Bring an earlier file of this scale and generator up to ``path``; True when done."""
    for older in sorted(DATA.glob(f"casework-{scale}-g{GENERATOR_VERSION}-m*.sqlite3")):
        if older == path:
            continue
        print(f"Upgrading {older.name} to the migration head …", flush=True)
        if not _upgraded(f"sqlite:///{older}"):
            continue
        _settle_as(older, path)
        return True
    return False


def sqlite_database(scale: str) -> BenchDatabase:
    DATA.mkdir(parents=True, exist_ok=True)
    key = f"{scale}-g{GENERATOR_VERSION}-m{migration_head()}"
    path = DATA / f"casework-{key}.sqlite3"
    url = f"sqlite:///{path}"
    database = BenchDatabase("sqlite", scale, url)
    if path.exists() or _upgrade_older_sqlite(scale, path):
        return database
    for stale in DATA.glob(f"casework-{scale}-*.sqlite3*"):
        stale.unlink()
    partial = DATA / f"partial-{key}.sqlite3"
    for leftover in DATA.glob(f"partial-{key}.sqlite3*"):
        leftover.unlink()
    print(f"Generating {SCALES[scale]:,} cases into {path.name} …", flush=True)
    database.built_seconds = _generate(f"sqlite:///{partial}", SCALES[scale])
    _settle_as(partial, path)
    return database


def prepare_schema(connection: sa.Connection, schema: str, ready: str, stale: str) -> bool:
    """True when ``schema`` was filled by an earlier run (its table ``ready`` exists);
    otherwise drop the schemas named like ``stale`` (LIKE pattern: older keys of the same
    scale) and create an empty ``schema``, returning False."""
    done = connection.scalar(
        sa.text(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = :schema AND table_name = :ready"
        ),
        {"schema": schema, "ready": ready},
    )
    if done:
        return True
    names = connection.scalars(
        sa.text(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :prefix"
        ),
        {"prefix": stale},
    ).all()
    for name in names:
        connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    return False


def _upgrade_older_schema(engine: sa.Engine, base: str, scale: str, schema: str) -> bool:
    """Bring a filled schema of this scale and generator, built under an earlier migration
    head, up to the head and rename it ``schema``; True when done."""
    pattern = f"bench\\_{scale}\\_g{GENERATOR_VERSION}\\_m%"
    with engine.connect() as connection:
        names = connection.scalars(
            sa.text(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'bench_ready' AND table_schema LIKE :pattern "
                "ORDER BY table_schema"
            ),
            {"pattern": pattern},
        ).all()
    for older in names:
        if older == schema:
            continue
        url = sa.engine.make_url(base).update_query_dict(
            {"options": f"-csearch_path={older},public"}
        )
        print(f"Upgrading PostgreSQL schema {older} to the migration head …", flush=True)
        if not _upgraded(url.render_as_string(hide_password=False)):
            continue
        with engine.begin() as connection:
            connection.execute(sa.text(f'ALTER SCHEMA "{older}" RENAME TO "{schema}"'))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
        return True
    return False


def postgresql_database(raw_url: str, scale: str) -> BenchDatabase:
    """A schema per scale and key in the DATABASE_URL database (``bench_100k_g1_m0004``)."""
    base = database_url(raw_url, DATA)
    key = f"{scale}-g{GENERATOR_VERSION}-m{migration_head()}"
    schema = "bench_" + key.replace("-", "_")
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema},public"})
    database = BenchDatabase("postgresql", scale, url.render_as_string(hide_password=False))
    engine = sa.create_engine(base)
    _upgrade_older_schema(engine, base, scale, schema)
    with engine.begin() as connection:
        done = prepare_schema(connection, schema, "bench_ready", f"bench\\_{scale}\\_%")
    # pg_trgm in public, seen by every bench schema (the migration would otherwise create
    # it in the first schema of the search path, and only that one would have the index).
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError as error:
        print(f"pg_trgm could not be created ({error.orig}); search runs without its index.")
    if not done:
        print(f"Generating {SCALES[scale]:,} cases into PostgreSQL schema {schema} …", flush=True)
        database.built_seconds = _generate(database.url, SCALES[scale])
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))  # statistics and visibility map
            connection.execute(sa.text(f'CREATE TABLE "{schema}".bench_ready (id int)'))
    engine.dispose()
    return database
