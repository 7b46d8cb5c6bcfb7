"""Each case's ``next_due_on``: the earliest deadline it owes that "Follow-ups due" would
list, kept in the same flush as the visits, terms and statuses it is computed from.

A case owes a visit not yet made while it is in one of ``VISITED_STATUSES``, and a term not
met (pending or partly done) while it is in one of ``TERM_STATUSES``; ``next_due_on`` is the
earliest due date of those, NULL when it owes nothing. The dashboard and the follow-ups page
read the area's cases with ``next_due_on`` within their horizon, from
``ix_cases_unit_id_next_due_on``, and only those cases' visits and terms (issue 19): they
probed every open case of the area before.

``next_due_expression`` is the one definition: ``refresh`` writes it for the cases a flush
touched (an ``after_flush`` listener, whatever service, import, API call or offline sync made
the change), ``refresh_all`` for every case (the generator, which writes rows with Core
inserts), ``stale_cases`` finds the cases whose stored value differs (a maintenance check);
migration ``20261205_d`` fills the column with the same statement, written out."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from casework.cases.enums import TermStatus
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp
from casework.cases.states import CaseStatus as S

# An early closure approved by a coordinator keeps its planned visits (issue 14).
VISITED_STATUSES = (S.ACCORD.value, S.SUIVI.value, S.CLOTURE_RESOLU.value)
TERM_STATUSES = (S.ACCORD.value, S.SUIVI.value)
# A term not met yet.
OPEN_TERM_STATUSES = (TermStatus.PENDING.value, TermStatus.PARTLY_DONE.value)

_CHUNK = 500  # case ids per UPDATE (bound parameters stay well under SQLite's limit)


def _earliest(first: sa.ColumnElement, second: sa.ColumnElement) -> sa.ColumnElement:
    """The earlier of two dates, either of which may be NULL (SQLite's two-argument ``min``
    and PostgreSQL's ``LEAST`` disagree on NULLs: written out)."""
    return sa.case(
        (first.is_(None), second),
        (second.is_(None), first),
        (first <= second, first),
        else_=second,
    )


def next_due_expression(case=Case) -> sa.ColumnElement:
    """The value ``next_due_on`` must hold for ``case`` (a correlated expression)."""
    visits = (
        sa.select(sa.func.min(FollowUp.due_on))
        .where(FollowUp.case_id == case.id, FollowUp.done_on.is_(None))
        .scalar_subquery()
    )
    terms = (
        sa.select(sa.func.min(AgreementTerm.due_on))
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .where(Agreement.case_id == case.id, AgreementTerm.status.in_(OPEN_TERM_STATUSES))
        .scalar_subquery()
    )
    return _earliest(
        sa.case((case.status.in_(VISITED_STATUSES), visits)),
        sa.case((case.status.in_(TERM_STATUSES), terms)),
    )


def _update(where: sa.ColumnElement[bool]) -> sa.Update:
    table = Case.__table__
    return table.update().where(where).values(next_due_on=next_due_expression(table.c))


def refresh(connection: sa.Connection, case_ids: Iterable[int]) -> None:
    """Write ``next_due_on`` for these cases."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), _CHUNK):
        connection.execute(_update(Case.__table__.c.id.in_(ids[start : start + _CHUNK])))


def refresh_all(connection: sa.Connection) -> None:
    """Write ``next_due_on`` for every case (one statement)."""
    connection.execute(_update(sa.true()))


def stale_cases(connection: sa.Connection) -> list[int]:
    """The ids of the cases whose ``next_due_on`` differs from its recomputed value (empty
    when every writer kept it)."""
    table = Case.__table__
    expected = next_due_expression(table.c)
    return list(
        connection.scalars(
            sa.select(table.c.id)
            .where(
                sa.or_(
                    table.c.next_due_on != expected,
                    sa.and_(table.c.next_due_on.is_(None), expected.is_not(None)),
                    sa.and_(table.c.next_due_on.is_not(None), expected.is_(None)),
                )
            )
            .order_by(table.c.id)
        )
    )


def _touched_cases(session: Session) -> set[int]:
    """The cases whose ``next_due_on`` this flush may have changed: those whose visits,
    agreements or terms were added, changed or deleted, and those whose status changed (a
    new case owes nothing until it has visits or terms, which bring it here)."""
    cases: set[int] = set()
    agreements: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, FollowUp):
            cases.add(obj.case_id)
        elif isinstance(obj, AgreementTerm):
            agreements.add(obj.agreement_id)
        elif isinstance(obj, Agreement):
            cases.add(obj.case_id)
        elif (
            isinstance(obj, Case)
            and obj not in session.new  # owes nothing but what its new rows add (above)
            and sa.inspect(obj).attrs.status.history.has_changes()
        ):
            cases.add(obj.id)
    agreements.discard(None)
    if agreements:
        cases.update(
            session.connection().scalars(
                sa.select(Agreement.case_id).where(Agreement.id.in_(sorted(agreements)))
            )
        )
    cases.discard(None)
    return cases


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, _context) -> None:
    cases = _touched_cases(session)
    if cases:
        refresh(session.connection(), cases)
        session.info.setdefault("next_due_refreshed", set()).update(cases)


@event.listens_for(Session, "after_flush_postexec")
def _expire_refreshed(session: Session, _context) -> None:
    """The cases in the session read their new value when next asked."""
    refreshed = session.info.pop("next_due_refreshed", None)
    if not refreshed:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Case) and obj.id in refreshed:
            session.expire(obj, ["next_due_on"])
