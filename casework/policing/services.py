"""The behaviour of community policing: units, committees and meetings, activities, alerts,
turning an alert into a case, and early-warning thresholds. Services flush, never commit;
every refusal raises PolicingError (translated) before anything is changed."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from casework import signals
from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.access import knows_case
from casework.cases.enums import PartyKind, PartyRole, Sex
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX, TITLE_MAX, Case, Referral
from casework.core import checks, dates
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _l, local_zone
from casework.policing.access import in_policing_area, policing_area_clause
from casework.policing.enums import Force, RecommendationStatus
from casework.policing.models import (
    RELAY_CODE_MAX,
    Activity,
    Alert,
    AlertThreshold,
    CommitteeMeeting,
    CommitteeMember,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
    activity_cases,
)
from casework.roles import Role
from casework.text import fold, search_tokens
from casework.vocab import services as vocab

DESCRIPTION_MAX = 5_000
MAX_DURATION_MINUTES = 7 * 24 * 60
# The referral targets that are security forces: their focal points see these referrals.
SECURITY_FORCE_TARGETS = cases.SECURITY_FORCE_TARGETS
# A pseudonym, never a name: letters, digits and hyphens, e.g. GAO-R-017.
RELAY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
# Suggested conflict type when an alert becomes a case (the user can change it).
CATEGORY_TO_CONFLICT_TYPE = {
    "TENSION_INTERCOMMUNAUTAIRE": "INTERCOMMUNAUTAIRE",
    "MOUVEMENT_ARME": "GROUPE_ARME",
    "TRAFIC": "TRAFIC",
    "BANDITISME": "BANDITISME",
    "ENLEVEMENT": "BANDITISME",
    "ENGIN_EXPLOSIF": "GROUPE_ARME",
    "VOL_BETAIL": "VOL_BETAIL",
    "TRANSHUMANCE_CONFLICTUELLE": "TRANSHUMANCE",
    "RUMEUR_INCITATION": "INTERCOMMUNAUTAIRE",
}


class PolicingError(DomainError):
    """A rule of community policing was broken."""


# --- shared checks --------------------------------------------------------------------------


def _place(unit_id: int | None, by: User, label=None) -> AdminUnit:
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    if unit is None:
        raise PolicingError(_l("Choose the place."))
    if not in_policing_area(by, unit):
        raise PolicingError(_l("This place is outside your area."))
    return unit


@signals.case_purging.connect
def _cut_purged_case(case_id: int, **_extra) -> dict[str, int]:
    """A purged case leaves the activities and alerts that named it; only the link goes."""
    options = {"synchronize_session": False}
    return {
        "activity_links": db.session.execute(
            activity_cases.delete().where(activity_cases.c.case_id == case_id),
            execution_options=options,
        ).rowcount,
        "alerts_unlinked": db.session.execute(
            sa.update(Alert).where(Alert.case_id == case_id).values(case_id=None),
            execution_options=options,
        ).rowcount,
    }


def from_local(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in Bamako, as an aware UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(local_zone()).replace(tzinfo=None) if value else None


# --- units ----------------------------------------------------------------------------------


@dataclass
class PoliceUnitData:
    name: str
    force: str | None
    unit_id: int | None
    focal_point_id: int | None = None


def save_police_unit(data: PoliceUnitData, by: User, police_unit: PoliceUnit | None = None):
    name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    checks.check_choice(Force, data.force, _l("The force"))
    area = _place(data.unit_id, by)
    if data.focal_point_id is not None:
        focal = db.session.get(User, data.focal_point_id)
        if focal is None or not focal.is_active or focal.role != Role.POLICE.value:
            raise PolicingError(_l("The focal point must be an active community-police user."))
    if police_unit is None:
        police_unit = PoliceUnit()
        db.session.add(police_unit)
    police_unit.name = name
    police_unit.force = data.force
    police_unit.unit_id = area.id
    police_unit.area = area
    police_unit.focal_point_id = data.focal_point_id
    db.session.flush()
    return police_unit


def set_active(record, active: bool):
    """Units, committees and members leave the choices but keep their history."""
    record.is_active = active
    db.session.flush()
    return record


# --- committees, members, meetings ----------------------------------------------------------


@dataclass
class CommitteeData:
    name: str
    unit_id: int | None
    chair: str | None = None
    monthly_target: int | None = 1


def save_committee(data: CommitteeData, by: User, committee: SecurityCommittee | None = None):
    name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    area = _place(data.unit_id, by)
    if area.kind != UnitKind.COMMUNE.value:
        raise PolicingError(_l("A security committee belongs to a commune."))
    checks.check_count(data.monthly_target, _l("Meetings expected each month"))
    if committee is None:
        committee = SecurityCommittee()
        db.session.add(committee)
    committee.name = name
    committee.unit_id = area.id
    committee.area = area
    committee.chair = checks.optional_text(data.chair, _l("Chair"), NAME_MAX)
    committee.monthly_target = data.monthly_target if data.monthly_target is not None else 1
    db.session.flush()
    return committee


@dataclass
class MemberData:
    name: str
    function: str | None = None
    sex: str = Sex.UNKNOWN.value


def save_member(
    committee: SecurityCommittee, data: MemberData, member: CommitteeMember | None = None
) -> CommitteeMember:
    name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    checks.check_choice(Sex, data.sex, _l("Sex"))
    if member is None:
        member = CommitteeMember(committee_id=committee.id)
        db.session.add(member)
    member.name = name
    member.function = checks.optional_text(data.function, _l("The function"), NAME_MAX)
    member.sex = data.sex
    db.session.flush()
    return member


@dataclass
class RecommendationData:
    text: str
    responsible: str | None = None
    status: str = RecommendationStatus.PENDING.value
    id: int | None = None


@dataclass
class MeetingData:
    held_on: date | None
    agenda: str
    women: int | None = 0
    men: int | None = 0
    notes: str | None = None
    recommendations: list[RecommendationData] = field(default_factory=list)


def save_meeting(
    committee: SecurityCommittee,
    data: MeetingData,
    by: User,
    meeting: CommitteeMeeting | None = None,
) -> CommitteeMeeting:
    """Record a meeting (or correct one) with its recommendations and their status."""
    checks.check_date(data.held_on, _l("The date of the meeting"))
    agenda = checks.check_text(data.agenda, _l("The agenda"), SHORT_TEXT_MAX, required=True)
    checks.check_count(data.women, _l("Women present"))
    checks.check_count(data.men, _l("Men present"))
    notes = checks.optional_text(data.notes, _l("Notes"), cases.NARRATIVE_MAX)
    existing = {rec.id: rec for rec in meeting.recommendations} if meeting else {}
    cleaned = []
    for rec in data.recommendations:
        text = checks.check_text(rec.text, _l("A recommendation"), SHORT_TEXT_MAX)
        if not text:
            continue
        checks.check_choice(RecommendationStatus, rec.status, _l("The status"))
        if rec.id is not None and rec.id not in existing:
            raise PolicingError(_l("A recommendation belongs to another meeting."))
        cleaned.append(
            (rec, text, checks.optional_text(rec.responsible, _l("Responsible"), NAME_MAX))
        )
    if meeting is None:
        meeting = CommitteeMeeting(committee_id=committee.id, recorded_by_id=by.id)
        db.session.add(meeting)
    meeting.held_on = data.held_on
    meeting.agenda = agenda
    meeting.women = data.women or 0
    meeting.men = data.men or 0
    meeting.notes = notes
    db.session.flush()
    for rec, text, responsible in cleaned:
        target = existing.get(rec.id) if rec.id is not None else None
        if target is None:
            target = Recommendation(meeting_id=meeting.id)
            db.session.add(target)
        target.text = text
        target.responsible = responsible
        target.status = rec.status
    db.session.flush()
    return meeting


def set_recommendation_status(recommendation: Recommendation, status: str) -> Recommendation:
    checks.check_choice(RecommendationStatus, status, _l("The status"))
    recommendation.status = status
    db.session.flush()
    return recommendation


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


# --- alerts ---------------------------------------------------------------------------------


@dataclass
class AlertData:
    occurred_at: datetime | None  # aware UTC (see from_local)
    unit_id: int | None
    category: str | None
    urgency: int | None
    source_type: str | None
    description: str
    place: str | None = None
    relay_code: str | None = None
    verified: bool = False
    forwarded_to: str | None = None
    forwarded_at: datetime | None = None
    response: str | None = None
    responded_at: datetime | None = None
    police_unit_id: int | None = None


def save_alert(data: AlertData, by: User, alert: Alert | None = None) -> Alert:
    now = utcnow()
    if data.occurred_at is None:
        raise PolicingError(
            _l("%(field)s is required.", field=_l("The date and time of the alert"))
        )
    if data.occurred_at > now:
        raise PolicingError(
            _l("%(field)s cannot be in the future.", field=_l("The date and time of the alert"))
        )
    checks.check_date(dates.day_of(data.occurred_at), _l("The date and time of the alert"))
    area = _place(data.unit_id, by)
    vocab.check_code(
        "alert_category",
        data.category,
        _l("The threat category"),
        current=alert.category if alert else None,
    )
    if data.urgency not in (1, 2, 3):
        raise PolicingError(_l("The urgency is 1, 2 or 3."))
    vocab.check_code(
        "alert_source",
        data.source_type,
        _l("The source"),
        current=alert.source_type if alert else None,
    )
    relay = (data.relay_code or "").strip().upper() or None
    if relay is not None and not RELAY_CODE_RE.match(relay):
        raise PolicingError(
            _l(
                "A relay code has 2 to %(max)s capital letters, digits or hyphens (e.g. "
                "GAO-R-017): a pseudonym, never a name.",
                max=RELAY_CODE_MAX,
            )
        )
    description = checks.check_text(
        data.description, _l("The description"), DESCRIPTION_MAX, required=True
    )
    vocab.check_code("referral_target", data.forwarded_to, _l("Forwarded to"), required=False)
    for moment, label in (
        (data.forwarded_at, _l("The time it was forwarded")),
        (data.responded_at, _l("The time of the response")),
    ):
        if moment is not None and moment < data.occurred_at:
            raise PolicingError(_l("%(field)s cannot be before the alert.", field=label))
        if moment is not None and moment > now:
            raise PolicingError(_l("%(field)s cannot be in the future.", field=label))
    if data.forwarded_at is not None and not data.forwarded_to:
        raise PolicingError(_l("Say to whom the alert was forwarded."))
    response = checks.optional_text(data.response, _l("The response"), SHORT_TEXT_MAX)
    if data.responded_at is not None and not response:
        raise PolicingError(_l("Describe the response."))
    if response and data.responded_at is None:
        raise PolicingError(_l("Give the time of the response."))
    police_unit = _police_unit(data.police_unit_id, by) if data.police_unit_id else None
    if alert is None:
        alert = Alert(recorded_by_id=by.id)
        db.session.add(alert)
    alert.occurred_at = data.occurred_at
    alert.unit_id = area.id
    alert.area = area
    alert.place = checks.optional_text(data.place, _l("Place"), NAME_MAX)
    alert.category = data.category
    alert.urgency = data.urgency
    alert.source_type = data.source_type
    alert.relay_code = relay
    alert.description = description
    alert.description_search = fold(" ".join(filter(None, [description, alert.place, area.name])))
    alert.verified = bool(data.verified)
    alert.forwarded_to = data.forwarded_to or None
    alert.forwarded_at = data.forwarded_at
    alert.response = response
    alert.responded_at = data.responded_at
    alert.police_unit_id = police_unit.id if police_unit else None
    db.session.flush()
    return alert


@dataclass
class AlertFilters:
    category: str | None = None
    urgency: int | None = None
    area_id: int | None = None
    verified: bool | None = None
    answered: bool | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    text: str | None = None


def filtered_alerts(user: User, filters: AlertFilters) -> sa.Select:
    statement = sa.select(Alert).where(policing_area_clause(user, Alert.unit_id))
    if filters.category:
        statement = statement.where(Alert.category == filters.category)
    if filters.urgency:
        statement = statement.where(Alert.urgency == filters.urgency)
    if filters.area_id:
        statement = statement.where(Alert.unit_id.in_(_within(filters.area_id)))
    if filters.verified is not None:
        statement = statement.where(Alert.verified.is_(filters.verified))
    if filters.answered is True:
        statement = statement.where(Alert.responded_at.is_not(None))
    elif filters.answered is False:
        statement = statement.where(Alert.responded_at.is_(None))
    if filters.occurred_from:
        start = datetime.combine(filters.occurred_from, datetime.min.time(), local_zone())
        statement = statement.where(Alert.occurred_at >= start.astimezone(UTC))
    if filters.occurred_to:
        end = datetime.combine(
            dates.add_days(filters.occurred_to, 1), datetime.min.time(), local_zone()
        )
        statement = statement.where(Alert.occurred_at < end.astimezone(UTC))
    for token in search_tokens(filters.text):
        statement = statement.where(Alert.description_search.contains(token, autoescape=True))
    return statement


@dataclass
class AlertCaseData:
    conflict_type: str | None
    scope: str | None
    title: str
    party_name: str
    party_kind: str = PartyKind.COMMUNITY.value


def alert_to_case(alert: Alert, data: AlertCaseData, by: User) -> Case:
    """Open the mediation case that an alert calls for, in one step: place, date and
    description come from the alert, which then points to the case."""
    if alert.case_id is not None:
        raise PolicingError(_l("This alert already became a case."))
    # The new case is registered, never referred here: a referral to the authorities goes
    # through cases.record_referral, which checks the parties' consent (or an override).
    # The case is reported today; the events happened on the alert's day (never "tomorrow",
    # whatever the offset between local time and UTC).
    today = checks.today()
    case_data = cases.CaseData(
        unit_id=alert.unit_id,
        event_date=min(to_local(alert.occurred_at).date(), today),
        reported_on=today,
        channel="ALERTE",
        conflict_type=data.conflict_type,
        scope=data.scope,
        title=data.title,
        narrative=alert.description,
        narrative_lang=current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    party = cases.PartyData(
        role=PartyRole.COMPLAINANT.value, name=data.party_name, kind=data.party_kind
    )
    case = cases.register_case(case_data, [party], by)
    alert.case_id = case.id
    db.session.flush()
    return case


def suggested_conflict_type(alert: Alert) -> str | None:
    code = CATEGORY_TO_CONFLICT_TYPE.get(alert.category)
    return code if code and vocab.is_valid("conflict_type", code) else None


# --- early-warning thresholds ---------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    commune: AdminUnit
    category: str
    count: int
    threshold: int
    window_days: int


def _commune_of(unit: AdminUnit) -> AdminUnit | None:
    for ancestor in unit.ancestry:
        if ancestor.kind == UnitKind.COMMUNE.value:
            return ancestor
    return None


def thresholds() -> tuple[tuple[int, int], dict[tuple[int | None, str | None], tuple[int, int]]]:
    default = (
        current_app.config["ALERT_THRESHOLD_COUNT"],
        current_app.config["ALERT_THRESHOLD_DAYS"],
    )
    rows = db.session.scalars(sa.select(AlertThreshold)).all()
    return default, {(r.unit_id, r.category): (r.alert_count, r.window_days) for r in rows}


def rule_for(commune_id: int, category: str, default, rules) -> tuple[int, int]:
    for key in ((commune_id, category), (commune_id, None), (None, category), (None, None)):
        if key in rules:
            return rules[key]
    return default


def active_warnings(user: User, *, now: datetime | None = None) -> list[Warning]:
    """Communes and categories whose recent alerts reach their threshold, in the user's area."""
    now = now or utcnow()
    default, rules = thresholds()
    longest = max([default[1]] + [days for _count, days in rules.values()])
    alerts = db.session.scalars(
        sa.select(Alert)
        .where(Alert.occurred_at >= now - timedelta(days=longest), Alert.occurred_at <= now)
        .where(policing_area_clause(user, Alert.unit_id))
        .options(joinedload(Alert.area))
    ).all()
    grouped: dict[tuple[int, str], list[Alert]] = defaultdict(list)
    communes: dict[int, AdminUnit] = {}
    for alert in alerts:
        commune = _commune_of(alert.area)
        if commune is None:
            continue
        communes[commune.id] = commune
        grouped[(commune.id, alert.category)].append(alert)
    warnings = []
    for (commune_id, category), found in grouped.items():
        count_needed, days = rule_for(commune_id, category, default, rules)
        recent = [a for a in found if a.occurred_at >= now - timedelta(days=days)]
        if len(recent) >= count_needed:
            warnings.append(
                Warning(communes[commune_id], category, len(recent), count_needed, days)
            )
    return sorted(warnings, key=lambda w: (-w.count, w.commune.name_search, w.category))


@dataclass
class ThresholdData:
    unit_id: int | None
    category: str | None
    alert_count: int | None
    window_days: int | None


def save_threshold(data: ThresholdData, threshold: AlertThreshold | None = None):
    if data.unit_id is not None:
        unit = db.session.get(AdminUnit, data.unit_id)
        if unit is None or unit.kind != UnitKind.COMMUNE.value:
            raise PolicingError(_l("A threshold applies to a commune, or to every commune."))
    vocab.check_code("alert_category", data.category, _l("The threat category"), required=False)
    if not data.alert_count or data.alert_count < 1 or data.alert_count > 1000:
        raise PolicingError(_l("The number of alerts is between 1 and 1000."))
    if not data.window_days or data.window_days < 1 or data.window_days > 366:
        raise PolicingError(_l("The window is between 1 and 366 days."))
    clash = db.session.scalars(
        sa.select(AlertThreshold).where(
            AlertThreshold.unit_id.is_(data.unit_id)
            if data.unit_id is None
            else AlertThreshold.unit_id == data.unit_id,
            AlertThreshold.category.is_(None)
            if not data.category
            else AlertThreshold.category == data.category,
        )
    ).first()
    if clash is not None and clash is not threshold:
        raise PolicingError(_l("A threshold for this commune and category exists already."))
    if threshold is None:
        threshold = AlertThreshold()
        db.session.add(threshold)
    threshold.unit_id = data.unit_id
    threshold.category = data.category or None
    threshold.alert_count = data.alert_count
    threshold.window_days = data.window_days
    db.session.flush()
    return threshold


# --- referrals addressed to the security forces ---------------------------------------------


def referrals_to_security_forces(user: User) -> list[Referral]:
    """What a focal point sees of mediation: the referrals addressed to the security forces in
    the area, without session minutes or private notes."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .join(Case, Referral.case_id == Case.id)
            .where(Referral.target.in_(SECURITY_FORCE_TARGETS))
            .where(policing_area_clause(user, Case.unit_id), Case.archived_at.is_(None))
            .options(sa.orm.contains_eager(Referral.case))
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )


def acknowledge_referral(referral: Referral, on: date | None, by: User) -> Referral:
    if referral.target not in SECURITY_FORCE_TARGETS:
        raise PolicingError(_l("This referral is not addressed to the security forces."))
    if referral.case.archived_at is not None:
        raise PolicingError(_l("This case is archived: restore it before changing it."))
    checks.check_date(on, _l("The date of acknowledgement"))
    if on < referral.referred_on:
        raise PolicingError(
            _l(
                "%(field)s cannot be before %(other)s.",
                field=_l("The date of acknowledgement"),
                other=_l("the date of the referral"),
            )
        )
    referral.acknowledged_on = on
    db.session.flush()
    return referral
