"""Versions of rarely changed data, kept in the database, so that what a process caches from
that data stays right when several processes (gunicorn workers, hosts) share one database.

A domain names the tables its cache is built from (``track("admin_units", "geo")``), or the
columns of a table it reads (``track("users", "users", columns=...)``: a sign-in writes the
user's row, and should not throw away the lists of colleagues). Every flush that writes one
of them, and every ORM bulk statement on them, stores a new random version for that name in
the ``data_versions`` table, in the same transaction as the change.
A cache keys what it keeps by that version (``cached("geo", build)``): the versions are read
once per request (one small query), so a change committed by any process is seen by every
other one at its next request.

A version is a random number, not a counter: a transaction that is rolled back, or a
database restored from a backup, can never bring back a version that a process has already
cached different data under.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from casework.extensions import db
from casework.memo import Memo

T = TypeVar("T")

_G_KEY = "_casework_data_versions"
# Table name -> version name, filled by the domains (``track``).
_TRACKED: dict[str, str] = {}
# Table name -> the only columns whose change counts (tables tracked by columns).
_COLUMNS: dict[str, frozenset[str]] = {}
# What processes keep: (version name, database, version, extra key) -> value.
_STORE: Memo[object] = Memo(256)


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)


def track(table: str, name: str, columns: Iterable[str] | None = None) -> None:
    """Writes to ``table`` change the version ``name``; with ``columns``, an update changes
    it only when it changes one of them (an insert or a delete always does)."""
    _TRACKED[table] = name
    if columns is not None:
        _COLUMNS[table] = frozenset(columns)


def _changed(session: Session, obj) -> bool:
    """Whether the flush of ``obj`` (a tracked, dirty object) changes what is tracked."""
    columns = _COLUMNS.get(obj.__tablename__)
    if columns is None:
        return session.is_modified(obj, include_collections=False)
    attributes = sa.inspect(obj).attrs
    return any(attributes[column].history.has_changes() for column in columns)


def _names_of(objects) -> set[str]:
    return {
        _TRACKED[table]
        for obj in objects
        if (table := getattr(obj, "__tablename__", None)) in _TRACKED
    }


def bump(connection: sa.Connection, names: set[str]) -> None:
    """Give each of ``names`` a new version, in the transaction of ``connection``."""
    if not names:
        return
    table = DataVersion.__table__
    rows = [{"name": name, "version": secrets.randbits(62)} for name in sorted(names)]
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.name], set_={"version": statement.excluded.version}
    )
    connection.execute(statement)
    _forget()


def _forget() -> None:
    if has_app_context():
        g.pop(_G_KEY, None)


@event.listens_for(Session, "before_flush")
def _bump_before_flush(session: Session, _context, _instances) -> None:
    changed = _names_of(session.new) | _names_of(session.deleted)
    changed |= _names_of(
        obj
        for obj in session.dirty
        if getattr(obj, "__tablename__", None) in _TRACKED and _changed(session, obj)
    )
    bump(session.connection(), changed)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_statement(state) -> None:
    # ``session.execute(sa.update(AdminUnit)...)`` writes without a flush.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    names = {
        _TRACKED[mapper.local_table.name]
        for mapper in state.all_mappers
        if mapper.local_table.name in _TRACKED
    }
    bump(state.session.connection(), names)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(_session, _previous) -> None:
    _forget()


def current() -> Mapping[str, int]:
    """Every version, read once per request (again after this request changed one)."""
    session = db.session
    if _names_of(session.new) or _names_of(session.dirty) or _names_of(session.deleted):
        session.flush()  # what the request changed counts, as autoflush would make it
    if has_app_context() and (found := g.get(_G_KEY)) is not None:
        return found
    found = dict(session.execute(sa.select(DataVersion.name, DataVersion.version)).all())
    if has_app_context():
        setattr(g, _G_KEY, found)
    return found


def stamp(*names: str) -> tuple | None:
    """What a value built from the data of ``names`` is kept under: this database and the
    versions of ``names``; None while one of them has no version yet (nothing is kept)."""
    found = current()
    versions = tuple(found.get(name) for name in names)
    if None in versions:
        return None
    return (names, str(db.engine.url), versions)


def cached(
    names: str | tuple[str, ...],
    build: Callable[[], T],
    key: Hashable = (),
    store: Memo | None = None,
) -> T:
    """``build()``, kept in this process (in ``store``, the shared one by default) while
    the versions ``names`` of this database stay the same (per ``key`` too, e.g. the day).
    Without a version yet, nothing is kept."""
    kept_under = stamp(*((names,) if isinstance(names, str) else names))
    if kept_under is None:
        return build()
    return (_STORE if store is None else store).get_or_make((kept_under, key), build)  # type: ignore[return-value]
