"""The signed-in user's area at a glance, for the home page: a handful of counts scoped to
the user's area, read together in one statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.access import area_clause, can_use_cases
from casework.cases.counts import CaseCount
from casework.cases.models import Case
from casework.cases.services import count_follow_ups_due_query, count_terms_due_query
from casework.cases.states import CLOSED, CaseStatus
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l
from casework.policing.access import can_use_policing, policing_area_clause
from casework.policing.models import Activity, Alert
from casework.reports.model import Table

RESOLUTION_WINDOW_DAYS = 90


def _count(*conditions, of: sa.ColumnElement[int] | None = None) -> sa.Select:
    return sa.select(sa.func.count() if of is None else of).select_from(Case).where(*conditions)


@dataclass
class Dashboard:
    open_by_status: Table | None = None
    closed_recently: int = 0
    resolved_recently: int = 0
    follow_ups_due: int = 0
    alerts_this_week: int | None = None
    activities_this_month: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def resolution_rate(self) -> float | None:
        if not self.closed_recently:
            return None
        return self.resolved_recently / self.closed_recently


def build_dashboard(user: User) -> Dashboard:
    """Every figure as a count of its own, each read from an index range of the user's
    area, and all of them in one statement: one round trip, which PostgreSQL feels most
    (issue 19; nine statements before)."""
    dashboard = Dashboard()
    today = utcnow().date()
    figures: dict[str, sa.Select] = {}
    open_statuses = [status for status in CaseStatus if status not in CLOSED]
    if can_use_cases(user):
        scope = area_clause(user)
        # Open work by status from the kept counts (casework/cases/counts.py): a few rows
        # of the area's units, whatever the number of cases (issue 19: counted from the
        # cases, these grew with the area's history).
        for status in open_statuses:
            figures[status.value] = sa.select(
                sa.func.coalesce(sa.func.sum(CaseCount.cases), 0)
            ).where(
                area_clause(user, CaseCount.unit_id),
                CaseCount.status == status.value,
                CaseCount.archived.is_(False),
            )
        since = today - timedelta(days=RESOLUTION_WINDOW_DAYS)
        closed = (scope, Case.closed_on >= since)
        resolved = sa.case((Case.status == CaseStatus.CLOTURE_RESOLU.value, 1))
        figures["closed"] = _count(*closed)
        figures["resolved"] = _count(*closed, of=sa.func.count(resolved))
        # The visits and the terms of agreements the "Follow-ups due" page lists.
        figures["visits"] = count_follow_ups_due_query(user)
        figures["terms"] = count_terms_due_query(user)
    if can_use_policing(user):
        week = utcnow() - timedelta(days=7)
        figures["alerts"] = sa.select(sa.func.count(Alert.id)).where(
            policing_area_clause(user, Alert.unit_id), Alert.occurred_at >= week
        )
        figures["activities"] = sa.select(sa.func.count(Activity.id)).where(
            policing_area_clause(user, Activity.unit_id),
            Activity.held_on >= today.replace(day=1),
        )
    if not figures:
        return dashboard
    counts = (
        db.session.execute(
            sa.select(*(query.scalar_subquery().label(name) for name, query in figures.items()))
        )
        .one()
        ._mapping
    )
    if can_use_cases(user):
        rows = [
            (
                status.value,
                status.title,
                [counts[status.value]],
            )
            for status in open_statuses
        ]
        dashboard.open_by_status = Table(
            "open_by_status",
            _l("Open cases by status"),
            [("cases", _l("Cases"))],
            rows,
            chart=True,
        )
        dashboard.closed_recently = counts["closed"]
        dashboard.resolved_recently = counts["resolved"]
        dashboard.follow_ups_due = counts["visits"] + counts["terms"]
    if can_use_policing(user):
        dashboard.alerts_this_week = counts["alerts"]
        dashboard.activities_this_month = counts["activities"]
    return dashboard
