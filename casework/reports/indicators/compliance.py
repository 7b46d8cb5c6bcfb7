"""Section "compliance": the follow-up visits done in the period by compliance and by visit
(D+30, D+90…), and the recurrence of conflicts within 12 months of their resolution."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from casework.cases.enums import Compliance
from casework.cases.models import Case, FollowUp
from casework.extensions import db
from casework.i18n import _l
from casework.reports.indicators import recurrence
from casework.reports.indicators.common import (
    Row,
    TitleLabel,
    rate,
)
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table


def section(s: Scope) -> Section:
    days = tuple(current_app.config["FOLLOW_UP_DAYS"])
    rows = _visit_rows(s, len(days))
    recurred = recurrence.recurrence(s)
    return Section(
        key="compliance",
        title=_l("Compliance with agreements"),
        figures=[
            Figure(
                "resolved_last_12_months",
                _l("Cases settled in the 12 months before the period"),
                recurred.settled,
                definition=Definition(
                    _l(
                        "Mediable cases closed in the 12 months before the period, resolved "
                        "or after an agreement, whatever state they ended in."
                    )
                ),
            ),
            Figure(
                "recurrences",
                _l("Of which the agreement was breached or the conflict recurred"),
                recurred.recurred,
                definition=Definition(
                    _l(
                        "Of those cases, the ones whose agreement was found not respected or "
                        "which were reopened as a recurrence, by the end of the period."
                    )
                ),
            ),
            Figure(
                "recurrence_rate",
                _l("Recurrence rate at 12 months"),
                rate(recurred.recurred, recurred.settled),
                "rate",
                definition=Definition(
                    _l("Share of the cases settled that were breached or recurred."),
                    _l(
                        "of the cases settled in the 12 months before the period, those "
                        "breached or recurred"
                    ),
                    _l("cases settled in the 12 months before the period"),
                ),
            ),
        ],
        tables=[
            Table(
                "follow_up_compliance",
                _l("Follow-up visits done, by compliance"),
                [(f"d{day}", _l("D+%(days)s", days=day)) for day in days],
                rows,
                definition=Definition(
                    _l(
                        "Follow-up visits done in the period, by what they found and by visit "
                        "(D+30, D+90…)."
                    )
                ),
            )
        ],
    )


def _visit_rows(s: Scope, visits: int) -> list[Row]:
    """Visits done in the period, one row per compliance level, one column per visit."""
    # The visit's rank among its agreement's visits (by due date, then id), counted for the
    # visits done in the period only (index on done_on); the agreement's other visits are
    # found through the case (an agreement belongs to one case).
    other = aliased(FollowUp)
    visit = (
        sa.select(sa.func.count(other.id) + 1)
        .where(
            other.case_id == FollowUp.case_id,
            other.agreement_id == FollowUp.agreement_id,
            sa.or_(
                other.due_on < FollowUp.due_on,
                sa.and_(other.due_on == FollowUp.due_on, other.id < FollowUp.id),
            ),
        )
        .scalar_subquery()
    )
    done = (
        sa.select(visit.label("visit"), FollowUp.compliance)
        .join(Case, Case.id == FollowUp.case_id)
        .where(s.mediable_here(), s.during(FollowUp.done_on), FollowUp.agreement_id.is_not(None))
        .subquery()
    )
    found = {
        (row.compliance, int(row.visit)): int(row.visits_done)
        for row in db.session.execute(
            sa.select(
                done.c.visit, done.c.compliance, sa.func.count().label("visits_done")
            ).group_by(done.c.visit, done.c.compliance)
        )
    }
    return [
        (
            member.value,
            TitleLabel(member),
            [found.get((member.value, index), 0) for index in range(1, visits + 1)],
        )
        for member in Compliance
    ]
