"""A case's sessions, agreements, terms, follow-up visits and referrals carry the case's
unit (``unit_id``), so that the periodic report reads one area's rows of a period from an
index on the unit and the date instead of every region's rows (issue 19).

Kept here for every writer that goes through the ORM session (the case form, imports, the
API, offline sync, the services): a new row takes its case's unit when it is flushed, and
a case whose unit changes moves its rows with it in the same flush. The demo generator
writes its rows with Core inserts and sets the column itself; the migration that added it
filled it from the cases.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    FollowUp,
    MediationSession,
    Referral,
)

CASE_ROWS = (MediationSession, Agreement, FollowUp, Referral)  # each has a case_id


def case_unit(session: Session, case_id: int | None) -> int | None:
    if case_id is None:
        return None
    case = session.identity_map.get(sa.inspect(Case).identity_key_from_primary_key((case_id,)))
    if case is not None:
        return case.unit_id
    return session.execute(sa.select(Case.unit_id).where(Case.id == case_id)).scalar()


def _unit_of(session: Session, row) -> int | None:
    if isinstance(row, AgreementTerm):
        agreement = row.__dict__.get("agreement")
        if agreement is None and row.agreement_id is not None:
            agreement = session.get(Agreement, row.agreement_id)
        return None if agreement is None else _unit_of(session, agreement)
    case = row.__dict__.get("case")
    return case.unit_id if case is not None else case_unit(session, row.case_id)


def move_case_rows(session: Session, case_id: int, unit_id: int) -> None:
    """Give every row of the case its (new) unit."""
    for model in CASE_ROWS:
        session.execute(
            sa.update(model)
            .where(model.case_id == case_id)
            .values(unit_id=unit_id)
            .execution_options(synchronize_session=False)
        )
    agreements = set(session.scalars(sa.select(Agreement.id).where(Agreement.case_id == case_id)))
    if agreements:
        session.execute(
            sa.update(AgreementTerm)
            .where(AgreementTerm.agreement_id.in_(agreements))
            .values(unit_id=unit_id)
            .execution_options(synchronize_session=False)
        )
    # The rows already loaded in this session say the same as the database.
    for row in list(session.identity_map.values()):
        if isinstance(row, AgreementTerm):
            moved = row.agreement_id in agreements
        else:
            moved = isinstance(row, CASE_ROWS) and row.case_id == case_id
        if moved:
            set_committed_value(row, "unit_id", unit_id)


@sa.event.listens_for(Session, "before_flush")
def _keep_row_units(session: Session, flush_context, instances) -> None:
    with session.no_autoflush:
        for row in session.dirty:
            if not isinstance(row, Case) or row.id is None:
                continue
            history = sa.inspect(row).attrs.unit_id.history
            if history.has_changes() and row.unit_id is not None:
                move_case_rows(session, row.id, row.unit_id)
        new = [row for row in session.new if isinstance(row, (*CASE_ROWS, AgreementTerm))]
        # Agreements first: a term added with its agreement takes the agreement's unit.
        new.sort(key=lambda row: isinstance(row, AgreementTerm))
        for row in new:
            row.unit_id = _unit_of(session, row)


def _case_unit_of(model) -> sa.ScalarSelect:
    """The unit each row of ``model`` should carry: its case's (through the agreement for
    a term)."""
    if model is AgreementTerm:
        return (
            sa.select(Case.unit_id)
            .join(Agreement, Agreement.case_id == Case.id)
            .where(Agreement.id == AgreementTerm.agreement_id)
            .scalar_subquery()
        )
    return sa.select(Case.unit_id).where(Case.id == model.case_id).scalar_subquery()


def stale_rows(connection: sa.Connection) -> list[tuple[str, int]]:
    """(table, id) of the rows whose unit is not their case's (empty when every writer
    kept it): a row written around the ORM, by hand in the database."""
    found = []
    for model in (*CASE_ROWS, AgreementTerm):
        ids = connection.scalars(
            sa.select(model.id)
            .where(model.unit_id.is_distinct_from(_case_unit_of(model)))
            .order_by(model.id)
        )
        found.extend((model.__tablename__, row_id) for row_id in ids)
    return found


def fix_rows(connection: sa.Connection) -> None:
    """Give every row whose unit is wrong its case's."""
    for model in (*CASE_ROWS, AgreementTerm):
        wanted = _case_unit_of(model)
        connection.execute(
            sa.update(model.__table__)
            .where(model.unit_id.is_distinct_from(wanted))
            .values(unit_id=wanted)
        )
