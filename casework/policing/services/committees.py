"""Police units, security committees, their members and meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.enums import Sex
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX
from casework.core import checks
from casework.extensions import db
from casework.geo.models import UnitKind
from casework.i18n import _l
from casework.policing.enums import Force, RecommendationStatus
from casework.policing.models import (
    CommitteeMeeting,
    CommitteeMember,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from casework.policing.services.common import PolicingError, _place
from casework.roles import Role

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
