"""The number of cases per unit, status, conflict type, secrecy and archiving (issue 19).

The case list shows "N cases" on every page. Counting the cases of a region reads every
index entry of its cases (1–3 ms at 100 000 cases on SQLite, the largest statement of the
page on PostgreSQL, ten times more at a million cases). ``case_counts`` holds one row per
(unit, status, conflict type, secret, archived) with its number of cases, so that the
unfiltered list, or the list narrowed by status or type, sums a few rows of its area.

The table is kept by database triggers on ``cases`` (insert, delete, and an update of one
of those columns), in the same transaction as the write: every writer is covered — the
services, imports, the API, offline sync, anonymisation, and the generator's Core inserts —
and none of them has to remember it. Like the search index's, the triggers are created
beside the table by ``create_all`` (DDL events) and by the migration with the same
statements. ``recount()`` counts the cases themselves; ``differences()`` compares the two
(a maintenance check, and the tests), ``rebuild()`` writes the recount into the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.cases.access import (
    GBV_TYPE,
    SECRET,
    SECRET_LITERAL,
    area_clause,
    handles_gbv,
    secret_scope,
)
from casework.cases.models import Case
from casework.extensions import db
from casework.permissions import Scope


class CaseCount(db.Model):
    """How many cases of a unit have this status, type, secrecy and archiving."""

    __tablename__ = "case_counts"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    conflict_type: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    secret: Mapped[bool] = mapped_column(sa.Boolean, primary_key=True)
    archived: Mapped[bool] = mapped_column(sa.Boolean, primary_key=True)
    cases: Mapped[int] = mapped_column(sa.Integer, default=0)


KEY = "unit_id, status, conflict_type, secret, archived"
TRIGGERS = ("case_counts_ai", "case_counts_ad", "case_counts_au")


def _values(row: str) -> str:
    """The key of a ``cases`` row (``new`` or ``old``) as the table's columns."""
    return (
        f"{row}.unit_id, {row}.status, {row}.conflict_type, "
        f"{row}.confidentiality = '{SECRET}', {row}.archived_at IS NOT NULL"
    )


def _matches(row: str) -> str:
    return (
        f"unit_id = {row}.unit_id AND status = {row}.status "
        f"AND conflict_type = {row}.conflict_type "
        f"AND secret = ({row}.confidentiality = '{SECRET}') "
        f"AND archived = ({row}.archived_at IS NOT NULL)"
    )


def _add(row: str) -> str:
    # Built from this module's constants only (no input).
    insert = f"INSERT INTO case_counts ({KEY}, cases) VALUES ({_values(row)}, 1) "  # noqa: S608
    return insert + f"ON CONFLICT ({KEY}) DO UPDATE SET cases = case_counts.cases + 1"


def _remove(row: str) -> str:
    return f"UPDATE case_counts SET cases = cases - 1 WHERE {_matches(row)}"  # noqa: S608


KEY_CHANGED = (
    "old.unit_id <> new.unit_id OR old.status <> new.status "
    "OR old.conflict_type <> new.conflict_type "
    f"OR (old.confidentiality = '{SECRET}') <> (new.confidentiality = '{SECRET}') "
    "OR (old.archived_at IS NULL) <> (new.archived_at IS NULL)"
)
WATCHED = "unit_id, status, conflict_type, confidentiality, archived_at"

SQLITE_CREATE = (
    f"CREATE TRIGGER IF NOT EXISTS case_counts_ai AFTER INSERT ON cases BEGIN {_add('new')}; END",
    f"CREATE TRIGGER IF NOT EXISTS case_counts_ad AFTER DELETE ON cases BEGIN "
    f"{_remove('old')}; END",
    f"CREATE TRIGGER IF NOT EXISTS case_counts_au AFTER UPDATE OF {WATCHED} ON cases "
    f"WHEN {KEY_CHANGED} BEGIN {_remove('old')}; {_add('new')}; END",
)
# A move locks two rows of the table until commit: always in the order of their keys, so
# that two cases crossing each other's way (one from A to B, the other from B to A) wait for
# each other instead of deadlocking (SQLite has one writer at a time).
PG_CREATE = (
    "CREATE OR REPLACE FUNCTION case_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    f"IF TG_OP = 'UPDATE' AND NOT ({KEY_CHANGED.replace('old.', 'OLD.').replace('new.', 'NEW.')})"
    " THEN RETURN NULL; END IF; "
    f"IF TG_OP = 'INSERT' THEN {_add('NEW')}; RETURN NULL; END IF; "
    f"IF TG_OP = 'DELETE' THEN {_remove('OLD')}; RETURN NULL; END IF; "
    f"IF ROW({_values('OLD')}) < ROW({_values('NEW')}) "
    f"THEN {_remove('OLD')}; {_add('NEW')}; "
    f"ELSE {_add('NEW')}; {_remove('OLD')}; END IF; "
    "RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS case_counts_keep ON cases",
    f"CREATE TRIGGER case_counts_keep AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON cases "
    "FOR EACH ROW EXECUTE FUNCTION case_counts_keep()",
)
SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS)
PG_DROP = (
    "DROP TRIGGER IF EXISTS case_counts_keep ON cases",
    "DROP FUNCTION IF EXISTS case_counts_keep()",
)


def create_triggers(connection: sa.Connection) -> None:
    statements = PG_CREATE if connection.dialect.name == "postgresql" else SQLITE_CREATE
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_triggers(connection: sa.Connection) -> None:
    statements = PG_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP
    for statement in statements:
        connection.exec_driver_sql(statement)


sa.event.listen(
    Case.__table__, "after_create", lambda target, connection, **kw: create_triggers(connection)
)
sa.event.listen(
    Case.__table__, "before_drop", lambda target, connection, **kw: drop_triggers(connection)
)


def recount_query() -> sa.Select:
    """The table's rows counted from the cases themselves."""
    secret = Case.confidentiality == SECRET_LITERAL
    archived = Case.archived_at.is_not(None)
    return sa.select(
        Case.unit_id, Case.status, Case.conflict_type, secret, archived, sa.func.count()
    ).group_by(Case.unit_id, Case.status, Case.conflict_type, secret, archived)


def recount(connection: sa.Connection | None = None) -> dict[tuple, int]:
    run = connection if connection is not None else db.session
    return {
        (unit, status, kind, bool(secret), bool(archived)): number
        for unit, status, kind, secret, archived, number in run.execute(recount_query())
    }


def stored(connection: sa.Connection | None = None) -> dict[tuple, int]:
    run = connection if connection is not None else db.session
    rows = run.execute(
        sa.select(
            CaseCount.unit_id,
            CaseCount.status,
            CaseCount.conflict_type,
            CaseCount.secret,
            CaseCount.archived,
            CaseCount.cases,
        ).where(CaseCount.cases != 0)
    )
    return {(u, s, k, bool(x), bool(a)): n for u, s, k, x, a, n in rows}


def differences(connection: sa.Connection | None = None) -> dict[tuple, tuple[int, int]]:
    """The keys whose stored number differs from the recount: {key: (stored, counted)}."""
    kept, counted = stored(connection), recount(connection)
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }


def rebuild(connection: sa.Connection) -> None:
    """Replace the table's rows by the recount (the migration fills the table so)."""
    connection.execute(sa.delete(CaseCount.__table__))
    connection.execute(
        sa.insert(CaseCount.__table__).from_select(
            ["unit_id", "status", "conflict_type", "secret", "archived", "cases"],
            recount_query(),
        )
    )


def listed_total(user, *, status: str | None, conflict_type: str | None) -> int | None:
    """The number of cases the list shows the user (archived ones left out), narrowed by
    status and type, summed from the table; None when the user's rules on secret cases need
    the cases themselves (a mediator's own secret cases are counted from the cases: they
    are a few, read from their partial index).

    The same rules as ``area_clause`` and ``confidentiality_clause(gbv_by_type=True)``."""
    granted = secret_scope(user)

    def narrowed(table) -> list[sa.ColumnElement[bool]]:
        conditions = []
        if status:
            conditions.append(table.status == status)
        if conflict_type:
            conditions.append(table.conflict_type == conflict_type)
        if not handles_gbv(user):
            conditions.append(table.conflict_type != GBV_TYPE)
        return conditions

    conditions = [
        area_clause(user, CaseCount.unit_id),
        CaseCount.archived.is_(False),
        *narrowed(CaseCount),
    ]
    if granted not in (Scope.ALL, Scope.AREA):
        conditions.append(CaseCount.secret.is_(False))
    total = sa.select(sa.func.coalesce(sa.func.sum(CaseCount.cases), 0)).where(*conditions)
    if granted != Scope.ASSIGNED:
        return db.session.scalar(total)
    secret_own = (
        sa.select(sa.func.count())
        .select_from(Case)
        .where(
            area_clause(user),
            Case.confidentiality == SECRET_LITERAL,
            Case.assigned_mediator_id == user.id,
            Case.archived_at.is_(None),
            *narrowed(Case),
        )
    )
    return db.session.scalar(sa.select(total.scalar_subquery() + secret_own.scalar_subquery()))
