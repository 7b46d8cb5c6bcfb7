"""Community-policing activities and the cases they name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.access import knows_case
from casework.cases.models import NAME_MAX, TITLE_MAX, Case
from casework.core import checks
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.policing.access import in_policing_area, policing_area_clause
from casework.policing.models import Activity, PoliceUnit
from casework.policing.services.common import MAX_DURATION_MINUTES, PolicingError, _place
from casework.text import fold, search_tokens
from casework.vocab import services as vocab

# --- activities -----------------------------------------------------------------------------


@dataclass
class ActivityData:
    activity_type: str | None
    held_on: date | None
    police_unit_id: int | None
    unit_id: int | None
    topic: str
    duration_minutes: int | None = None
    place: str | None = None
    participants: int | None = 0
    women: int | None = 0
    men: int | None = 0
    youth: int | None = 0
    alerts_raised: int | None = 0
    cases_created: int | None = 0
    cases_referred: int | None = 0
    notes: str | None = None
    case_references: list[str] = field(default_factory=list)


def _police_unit(police_unit_id: int | None, by: User) -> PoliceUnit:
    police_unit = db.session.get(PoliceUnit, police_unit_id) if police_unit_id else None
    if police_unit is None:
        raise PolicingError(_l("Choose the community-police unit."))
    if not in_policing_area(by, police_unit.area):
        raise PolicingError(_l("This unit is outside your area."))
    return police_unit


def _linked_cases(references: list[str], by: User) -> list[Case]:
    wanted = sorted({ref.strip().upper() for ref in references if ref and ref.strip()})
    if not wanted:
        return []
    found = list(db.session.scalars(sa.select(Case).where(Case.reference.in_(wanted))))
    # A secret case the user may not see is, here too, a reference that does not exist.
    known = {
        case.reference for case in found if in_policing_area(by, case.unit) and knows_case(by, case)
    }
    missing = [ref for ref in wanted if ref not in known]
    if missing:
        raise PolicingError(
            _l(
                "No case with the reference %(references)s in your area.",
                references=", ".join(missing),
            )
        )
    return [case for case in found if case.reference in known]


def save_activity(data: ActivityData, by: User, activity: Activity | None = None) -> Activity:
    vocab.check_code(
        "activity_type",
        data.activity_type,
        _l("The type of activity"),
        current=activity.activity_type if activity else None,
    )
    checks.check_date(data.held_on, _l("The date of the activity"))
    police_unit = _police_unit(data.police_unit_id, by)
    area = _place(data.unit_id, by)
    topic = checks.check_text(data.topic, _l("The topic"), TITLE_MAX, required=True)
    for name, label in (
        ("duration_minutes", _l("Duration (minutes)")),
        ("participants", _l("Participants")),
        ("women", _l("Women")),
        ("men", _l("Men")),
        ("youth", _l("Young people")),
        ("alerts_raised", _l("Alerts raised")),
        ("cases_created", _l("Cases created")),
        ("cases_referred", _l("Cases referred")),
    ):
        checks.check_count(getattr(data, name), label)
    if (data.duration_minutes or 0) > MAX_DURATION_MINUTES:
        raise PolicingError(_l("An activity lasts at most a week."))
    participants, women, men, youth = (
        data.participants or 0,
        data.women or 0,
        data.men or 0,
        data.youth or 0,
    )
    if women + men != participants:
        raise PolicingError(
            _l(
                "The participants do not add up: %(women)s women and %(men)s men make "
                "%(sum)s, not %(total)s.",
                women=women,
                men=men,
                sum=women + men,
                total=participants,
            )
        )
    if youth > participants:
        raise PolicingError(
            _l(
                "Young people are counted among the participants: there are "
                "more young people than participants."
            )
        )
    linked = _linked_cases(data.case_references, by)
    if activity is not None:
        # Links to secret cases that the user does not see stay as they were.
        linked += [case for case in activity.cases if not knows_case(by, case)]
    if activity is None:
        activity = Activity(recorded_by_id=by.id)
        db.session.add(activity)
    activity.activity_type = data.activity_type
    activity.held_on = data.held_on
    activity.police_unit_id = police_unit.id
    activity.police_unit = police_unit
    activity.unit_id = area.id
    activity.area = area
    activity.place = checks.optional_text(data.place, _l("Place"), NAME_MAX)
    activity.topic = topic
    activity.topic_search = fold(" ".join(filter(None, [topic, activity.place, area.name])))
    activity.duration_minutes = data.duration_minutes
    activity.participants, activity.women, activity.men, activity.youth = (
        participants,
        women,
        men,
        youth,
    )
    activity.alerts_raised = data.alerts_raised or 0
    activity.cases_created = data.cases_created or 0
    activity.cases_referred = data.cases_referred or 0
    activity.notes = checks.optional_text(data.notes, _l("Notes"), cases.NARRATIVE_MAX)
    activity.cases = linked
    db.session.flush()
    return activity


@dataclass
class ActivityFilters:
    activity_type: str | None = None
    police_unit_id: int | None = None
    area_id: int | None = None
    held_from: date | None = None
    held_to: date | None = None
    text: str | None = None


def filtered_activities(user: User, filters: ActivityFilters) -> sa.Select:
    statement = sa.select(Activity).where(policing_area_clause(user, Activity.unit_id))
    if filters.activity_type:
        statement = statement.where(Activity.activity_type == filters.activity_type)
    if filters.police_unit_id:
        statement = statement.where(Activity.police_unit_id == filters.police_unit_id)
    if filters.area_id:
        statement = statement.where(Activity.unit_id.in_(_within(filters.area_id)))
    if filters.held_from:
        statement = statement.where(Activity.held_on >= filters.held_from)
    if filters.held_to:
        statement = statement.where(Activity.held_on <= filters.held_to)
    for token in search_tokens(filters.text):
        statement = statement.where(Activity.topic_search.contains(token, autoescape=True))
    return statement


def units_within(area_id: int) -> sa.Select:
    """The ids of an area and everything below it (nothing for an unknown area)."""
    return _within(area_id)


def _within(area_id: int) -> sa.Select:
    area = db.session.get(AdminUnit, area_id)
    if area is None:
        return sa.select(AdminUnit.id).where(sa.false())
    return sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path))
