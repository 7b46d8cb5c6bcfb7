"""The recurrence of conflicts after a settlement: of the cases settled in the 12 months
before the period, how many saw their agreement breached or their conflict come back.

A case counts as *settled* when it was closed in the window resolved, or closed after an
agreement whatever the state it ended in: a breach found at a visit used to close the case
unresolved, which hid every breach from a rate counted over resolved cases only (issue 14).
It counts as *recurred* when, by the period's end, a visit found its agreement not respected,
one of its agreements was marked breached (``breach_found``), or a case was opened as its
recurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from casework.cases.enums import Compliance
from casework.cases.models import Agreement, Case, FollowUp
from casework.extensions import db
from casework.reports.indicators.common import add_months, count_if
from casework.reports.indicators.scope import CLOSED_VALUES, RESOLVED, Scope


@dataclass(frozen=True)
class Recurrence:
    settled: int  # closed in the 12 months before the period, resolved or after an agreement
    recurred: int  # of which breached or recurred by the period's end


def window(s: Scope) -> tuple:
    """The 12 months before the period: (first day, last day)."""
    return add_months(s.start, -12), s.start - timedelta(days=1)


def breach_found(s: Scope) -> sa.ColumnElement[bool]:
    """The one place that says what a breach of ``Case``'s agreement is, found by the
    period's end: a visit that found it not respected, or an agreement marked breached (a
    term breached, issue 14)."""
    visit = (
        sa.select(FollowUp.id)
        .where(
            FollowUp.case_id == Case.id,
            FollowUp.compliance == Compliance.NOT_RESPECTED.value,
            FollowUp.done_on <= s.end,
        )
        .exists()
    )
    agreement = (
        sa.select(Agreement.id)
        .where(
            Agreement.case_id == Case.id,
            Agreement.breached_on.is_not(None),
            Agreement.breached_on <= s.end,
        )
        .exists()
    )
    return sa.or_(visit, agreement)


def recurrence_opened(s: Scope) -> sa.ColumnElement[bool]:
    """A case opened as the recurrence of ``Case`` by the period's end (the partial index
    on recurrence_of_id answers it: hence the IS NOT NULL)."""
    recurrence = aliased(Case)
    return (
        sa.select(recurrence.id)
        .where(
            recurrence.recurrence_of_id.is_not(None),
            recurrence.recurrence_of_id == Case.id,
            recurrence.reported_on <= s.end,
        )
        .exists()
    )


def recurrence(s: Scope) -> Recurrence:
    first, last = window(s)
    had_agreement = sa.select(Agreement.id).where(Agreement.case_id == Case.id).exists()
    row = db.session.execute(
        sa.select(
            sa.func.count().label("settled"),
            count_if(sa.or_(breach_found(s), recurrence_opened(s))).label("recurred"),
        ).where(
            s.mediable_here(),
            Case.closed_on.between(first, last),
            Case.status.in_(CLOSED_VALUES),
            sa.or_(Case.status == RESOLVED, had_agreement),
        )
    ).one()
    return Recurrence(int(row.settled), int(row.recurred))
