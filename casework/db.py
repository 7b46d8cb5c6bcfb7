"""Declarative base, constraint naming convention, UTC time helpers and SQLite settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC datetime is expected")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(column: str, values) -> sa.CheckConstraint:
    """A check that a code column holds one of the known values (named ``<column>_known``)."""
    return sa.CheckConstraint(sa.column(column).in_(list(values)), name=f"{column}_known")


def not_negative(*columns: str) -> list[sa.CheckConstraint]:
    """Checks that counts and amounts are never negative."""
    return [
        sa.CheckConstraint(f"{c} IS NULL OR {c} >= 0", name=f"{c}_not_negative") for c in columns
    ]


def utcnow() -> datetime:
    return datetime.now(UTC)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Foreign keys on, WAL journal, a busy timeout, and transactions that SQLAlchemy controls.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; the
    SQLAlchemy documentation's recipe hands BEGIN back to SQLAlchemy.

    A transaction that may write starts with BEGIN IMMEDIATE: it waits (busy timeout) for
    the write lock up front. A deferred transaction that reads first and writes later fails
    at once with "database is locked" when another writer committed in between, which the
    busy timeout cannot cure. Page views (GET, HEAD) keep deferred, concurrent reads.
    """

    database = engine.url.database

    @event.listens_for(engine, "do_connect")
    def _create_private(_dialect, _record, _cargs, _cparams):
        # SQLite would create the file 0644 (readable by every local user); its -wal and
        # -shm files take the database's mode. Made here first, 0600, whatever the umask.
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            if not path.exists():
                with suppress(FileExistsError):
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _read_only_request() else "BEGIN IMMEDIATE")


def configure_postgresql(engine: Engine, lock_timeout_ms: int) -> None:
    """A lock wait ends after ``lock_timeout_ms`` (0: never), as SQLite's busy timeout does:
    the user is told "busy, try again" (503) rather than kept waiting without end."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        cursor.close()
        dbapi_connection.commit()


READS_FIRST = "_casework_reads_first"


@contextmanager
def reading_first() -> Iterator[None]:
    """Inside, a transaction begins deferred even in a POST: it reads without holding the
    SQLite write lock, around slow work such as checking a password (Argon2 takes a good
    fraction of a second; holding the lock meanwhile made concurrent sign-ins and writes
    fail with "database is locked"). Write nothing inside, and end the transaction
    (rollback) before leaving: the next one begins IMMEDIATE again."""
    from flask import g

    setattr(g, READS_FIRST, True)
    try:
        yield
    finally:
        setattr(g, READS_FIRST, False)


def _read_only_request() -> bool:
    from flask import g, has_request_context, request

    if not has_request_context() or g.get("audit_writing"):
        return False  # the audit entries of a page view are written after it (audit.services)
    return request.method in ("GET", "HEAD", "OPTIONS") or g.get(READS_FIRST, False)
