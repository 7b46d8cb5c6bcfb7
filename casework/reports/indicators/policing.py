"""Section "policing": community-police activities and the people they reached, and the
security committees' meetings against their monthly target, with their recommendations."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from casework.extensions import db
from casework.i18n import _l
from casework.policing.enums import RecommendationStatus
from casework.policing.models import (
    Activity,
    CommitteeMeeting,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from casework.reports.indicators.common import (
    count_if,
    month_key,
    month_rows,
    month_share,
    rate,
    sum_of,
    vocab_rows,
    within,
)
from casework.reports.indicators.scope import Scope
from casework.reports.model import Definition, Figure, Section, Table


@dataclass
class _Activities:
    """The period's activities added up: totals, and counts by type, unit and month."""

    held: int = 0
    reached: int = 0
    women: int = 0
    men: int = 0
    youth: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)
    by_month: dict[tuple[int, int], int] = field(default_factory=dict)


def section(s: Scope) -> Section:
    activities = _activities(s)
    by_unit = [
        (str(row.id), row.name, [int(activities.by_unit[row.id])])
        for row in db.session.execute(
            sa.select(PoliceUnit.id, PoliceUnit.name)
            .where(PoliceUnit.id.in_(list(activities.by_unit)))
            .order_by(PoliceUnit.name, PoliceUnit.id)
        )
    ]
    committees = _committees(s)
    return Section(
        key="policing",
        title=_l("Community policing"),
        figures=[
            Figure(
                "activities_held",
                _l("Activities held"),
                activities.held,
                definition=Definition(_l("Community-police activities held in the period.")),
            ),
            Figure(
                "people_reached",
                _l("People reached"),
                activities.reached,
                definition=Definition(_l("People reached by those activities.")),
            ),
            Figure(
                "people_reached_women",
                _l("of whom women"),
                activities.women,
                definition=Definition(_l("Women among the people reached.")),
            ),
            Figure(
                "people_reached_men",
                _l("of whom men"),
                activities.men,
                definition=Definition(_l("Men among the people reached.")),
            ),
            Figure(
                "people_reached_youth",
                _l("of whom young people (under 35)"),
                activities.youth,
                definition=Definition(_l("Young people (under 35) among the people reached.")),
            ),
            Figure(
                "committee_meetings_held",
                _l("Security-committee meetings held"),
                committees.meetings_held,
                definition=Definition(_l("Security-committee meetings held in the period.")),
            ),
            Figure(
                "committee_meetings_expected",
                _l("Security-committee meetings expected (monthly target)"),
                committees.expected,
                definition=Definition(
                    _l(
                        "Meetings the area's security committees should hold in the period by "
                        "their monthly target."
                    )
                ),
            ),
            Figure(
                "committee_meetings_rate",
                _l("Meetings held against the target"),
                rate(committees.meetings_held, committees.expected),
                "rate",
                definition=Definition(
                    _l("Meetings held against the target."),
                    _l("security-committee meetings held"),
                    _l("meetings expected by the monthly target"),
                ),
            ),
            Figure(
                "recommendations_made",
                _l("Recommendations made at these meetings"),
                committees.made,
                definition=Definition(
                    _l("Recommendations made at the meetings held in the period.")
                ),
            ),
            Figure(
                "recommendations_done",
                _l("of which carried out"),
                committees.done,
                definition=Definition(_l("Of those, the recommendations carried out.")),
            ),
            Figure(
                "recommendations_done_share",
                _l("Share of recommendations carried out"),
                rate(committees.done, committees.made),
                "rate",
                definition=Definition(
                    _l("Share of the recommendations that were carried out."),
                    _l("recommendations carried out"),
                    _l("recommendations made"),
                ),
            ),
        ],
        tables=[
            Table(
                "activities_by_type",
                _l("Activities by type"),
                [("activities", _l("activities"))],
                vocab_rows("activity_type", {code: [n] for code, n in activities.by_type.items()}),
                chart=True,
                definition=Definition(
                    _l("Community-police activities held in the period by type.")
                ),
            ),
            Table(
                "activities_by_unit",
                _l("Activities by community-police unit"),
                [("activities", _l("activities"))],
                by_unit,
                short_title=_l("Activities by police unit"),
                definition=Definition(
                    _l("Community-police activities held in the period by unit.")
                ),
            ),
            Table(
                "activities_by_month",
                _l("Activities by month"),
                [("activities", _l("activities"))],
                month_rows(s.period, activities.by_month),
                chart=True,
                definition=Definition(
                    _l("Community-police activities held in the period by month.")
                ),
            ),
        ],
    )


def _activities(s: Scope) -> _Activities:
    """One pass over the period's activities: counts and sums by type, unit and month, added
    up here (a few hundred groups at most)."""
    found = _Activities()
    year, month = month_key(Activity.held_on)
    for row in db.session.execute(
        sa.select(
            Activity.activity_type,
            Activity.police_unit_id,
            year.label("year"),
            month.label("month"),
            sa.func.count().label("activities"),
            sum_of(Activity.participants).label("participants"),
            sum_of(Activity.women).label("women"),
            sum_of(Activity.men).label("men"),
            sum_of(Activity.youth).label("youth"),
        )
        .where(sa.and_(within(Activity.unit_id, s.area), s.during(Activity.held_on)))
        .group_by(Activity.activity_type, Activity.police_unit_id, year, month)
    ):
        count = int(row.activities)
        found.held += count
        found.reached += int(row.participants)
        found.women += int(row.women)
        found.men += int(row.men)
        found.youth += int(row.youth)
        found.by_type[row.activity_type] = found.by_type.get(row.activity_type, 0) + count
        if row.police_unit_id is not None:
            found.by_unit[row.police_unit_id] = found.by_unit.get(row.police_unit_id, 0) + count
        key = (row.year, row.month)
        found.by_month[key] = found.by_month.get(key, 0) + count
    return found


@dataclass(frozen=True)
class _Committees:
    expected: int  # meetings, from the active committees' monthly targets
    meetings_held: int
    made: int  # recommendations made at the period's meetings
    done: int  # of which carried out


def _committees(s: Scope) -> _Committees:
    """The area's security committees: meetings held against the target, and what became
    of their recommendations."""
    committees_here = sa.and_(
        within(SecurityCommittee.unit_id, s.area), SecurityCommittee.is_active.is_(True)
    )
    monthly = int(
        db.session.scalar(
            sa.select(sum_of(SecurityCommittee.monthly_target)).where(committees_here)
        )
    )
    meetings = sa.and_(
        CommitteeMeeting.committee_id.in_(
            sa.select(SecurityCommittee.id).where(within(SecurityCommittee.unit_id, s.area))
        ),
        s.during(CommitteeMeeting.held_on),
    )
    meetings_held = int(
        db.session.scalar(sa.select(sa.func.count()).select_from(CommitteeMeeting).where(meetings))
    )
    recommendations = db.session.execute(
        sa.select(
            sa.func.count().label("made"),
            count_if(Recommendation.status == RecommendationStatus.DONE.value).label("done"),
        )
        .join(CommitteeMeeting, CommitteeMeeting.id == Recommendation.meeting_id)
        .where(meetings)
    ).one()
    return _Committees(
        expected=round(monthly * month_share(s.period)),
        meetings_held=meetings_held,
        made=int(recommendations.made),
        done=int(recommendations.done),
    )
