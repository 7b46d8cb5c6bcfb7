"""Applying a plan through the services only, so that the history of every record is real
and every rule of the workflow holds: one case and its steps, then the community policing
(units, committees and meetings, activities, alerts, some alerts turned into cases)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services as case_services
from casework.cases.access import GBV_TYPE, in_area
from casework.cases.models import Actor, Case, FollowUp
from casework.cases.services import referral_rules as rules
from casework.cases.states import CaseStatus
from casework.db import utcnow
from casework.demo.cases import CasePlan
from casework.demo.common import S
from casework.demo.policing import PolicingPlan
from casework.demo.stories import (
    CIVIL_CASE_TITLE_EN,
    CRIME_NOTICE_MEANS,
    RETURN_COMMENT,
)
from casework.demo.terms import play_terms
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.policing import services as policing
from casework.policing.models import Activity, Alert, PoliceUnit, SecurityCommittee
from casework.roles import Role
from casework.vocab import services as vocab

TARGETS = "referral_target"


def referral_terms(case, info: dict, worker, on) -> tuple[str, dict]:
    """What a referral needs by kind of case (issue 15), recorded as the field would: the
    target and the consent, notice or nothing the rules ask. A gender-based violence case
    goes first to the health services (when the vocabulary has them) with the survivor's
    consent; a crime goes to the authorities, the parties told through the chief; the
    parties of another dispute are asked, and agree, when they seek the judge."""
    target = info["target"]
    kind = rules.referral_kind(case)
    if kind == rules.ReferralKind.GBV:
        services_offered = [c for c in rules.GBV_SERVICE_TARGETS if vocab.is_valid(TARGETS, c)]
        target = services_offered[0] if services_offered else target
    if rules.needs_notice(case, target):
        notice = rules.NoticeData(
            party_ids=[party.id for party in case.parties],
            notified_on=on,
            means=CRIME_NOTICE_MEANS,
        )
        return target, {"notice": notice}
    for party in rules.missing_consent(case, target):
        case_services.record_consent(party, True, worker)
    return target, {}


class Staff:
    """The demo users and who records what where."""

    def __init__(self, users: list[User]):
        self.users = users

    def _within(self, unit: AdminUnit, role: str) -> User | None:
        found = [u for u in self.users if u.role == role and u.area and u.area.contains(unit)]
        return max(found, key=lambda u: len(u.area.path), default=None)  # the closest

    def mediator(self, unit: AdminUnit) -> User | None:
        return self._within(unit, Role.MEDIATOR.value)

    def gbv_worker(self, unit: AdminUnit) -> User | None:
        """Who handles a gender-based violence case there: the closest trained mediator,
        else a trained coordinator (issue 15)."""
        for role in (Role.MEDIATOR.value, Role.COORDINATOR.value):
            found = [
                u
                for u in self.users
                if u.role == role and u.gbv_trained and u.area and u.area.contains(unit)
            ]
            if found:
                return max(found, key=lambda u: len(u.area.path))
        return None

    def coordinator(self, unit: AdminUnit) -> User | None:
        return self._within(unit, Role.COORDINATOR.value)

    def approver(self, unit: AdminUnit, requester: User) -> User:
        """Who approves a closure requested by ``requester``: the area's coordinator, else
        an administrator (nobody approves their own request)."""
        for user in (
            self.coordinator(unit),
            *(u for u in self.users if u.role == Role.ADMIN.value),
        ):
            if user is not None and user.id != requester.id:
                return user
        raise RuntimeError(f"Nobody approves closures in {unit.code}.")

    def recorder(self, unit: AdminUnit) -> User:
        user = self.mediator(unit) or self.coordinator(unit)
        if user is None:
            raise RuntimeError(f"No demo user works in {unit.code}.")
        return user

    def policing(self, unit: AdminUnit) -> User:
        """Who records police work there: a focal point, else the area's coordinator."""
        user = self._within(unit, Role.POLICE.value) or self.coordinator(unit)
        if user is None:
            raise RuntimeError(f"No demo user records police work in {unit.code}.")
        return user


def apply_case(plan: CasePlan, unit: AdminUnit, staff: Staff, actors: list[Actor]) -> Case:
    recorder = staff.recorder(unit)
    mediator = staff.mediator(unit)
    if plan.conflict_type == GBV_TYPE:  # only trained staff handle it (issue 15)
        mediator = recorder = staff.gbv_worker(unit) or recorder
        mediator = mediator if mediator.role == Role.MEDIATOR.value else None
    supervisor = staff.coordinator(unit) or recorder
    worker = mediator or recorder
    data = case_services.CaseData(
        unit_id=unit.id,
        event_date=plan.event_date,
        reported_on=plan.reported_on,
        channel=plan.channel,
        conflict_type=plan.conflict_type,
        scope=plan.scope,
        title=plan.title,
        narrative=plan.narrative,
        narrative_lang=plan.narrative_lang,
        persons_affected=plan.persons_affected,
        deaths=plan.deaths,
        injuries_serious=plan.injuries_serious,
        injuries_minor=plan.injuries_minor,
        damage_text=plan.damage_text,
        damage_fcfa=plan.damage_fcfa,
        livestock_heads=plan.livestock_heads,
        confidentiality=plan.confidentiality,
        assigned_mediator_id=mediator.id if mediator else None,
        entry_level=plan.entry_level,
        entry_level_reason=plan.entry_level_reason,
    )
    parties = [
        case_services.PartyData(
            role=p.role,
            name=p.name,
            kind=p.kind,
            sex=p.sex,
            age_band=p.age_band,
            livelihood=p.livelihood,
            community=p.community,
            # Those who did not consent at intake were not asked yet (see the referral step).
            consent_to_share=p.consent_to_share or None,
            # The woman who complains of gender-based violence is its survivor.
            is_survivor=plan.conflict_type == GBV_TYPE and p.role == "complainant",
        )
        for p in plan.parties
    ]
    case = case_services.register_case(data, parties, recorder)
    case_services.translate_narrative(case, plan.translation, worker, title=plan.title_translation)
    party_ids = [party.id for party in case.parties]
    agreement = referral = None
    register_recurrence = False
    for index, step in enumerate(plan.steps):
        info = step.data
        if step.kind == "register":
            case_services.transition(case, S.ENREGISTRE, recorder)
        elif step.kind == "mediate":
            case_services.transition(case, S.EN_MEDIATION, worker)
        elif step.kind == "session":
            case_services.record_session(
                case,
                case_services.SessionData(
                    held_on=step.on,
                    place=info["place"],
                    mechanism=info["mechanism"],
                    result=info["result"],
                    women=info["women"],
                    men=info["men"],
                    youth=info["youth"],
                    minutes=info["minutes"],
                    minutes_lang=info["minutes_lang"],
                    # Those the form would offer the worker: the registry of their area.
                    actor_ids=[
                        actors[i].id
                        for i in info["actors"]
                        if actors[i].unit is None or in_area(worker, actors[i].unit)
                    ],
                    private_notes={party_ids[i]: note for i, note in info["notes"].items()},
                ),
                worker,
            )
        elif step.kind == "escalate":
            case_services.escalate(case, worker, info["reason"])
        elif step.kind == "agreement":
            agreement = case_services.record_agreement(
                case,
                case_services.AgreementData(
                    concluded_on=step.on,
                    form=info["form"],
                    outcome=info["outcome"],
                    compensation_fcfa=info["compensation_fcfa"],
                    livestock_heads=info["livestock_heads"],
                    restitution=info["restitution"],
                    signatories=info["signatories"],
                    witnesses=info["witnesses"],
                    terms=[
                        case_services.TermData(
                            description=description,
                            obliged_party_id=party_ids[obliged] if obliged is not None else None,
                            due_on=step.on + timedelta(days=days) if days else None,
                        )
                        for description, obliged, days in info["terms"]
                    ],
                ),
                worker,
            )
            play_terms(agreement, plan.steps[index + 1 :], worker)
        elif step.kind == "visit":
            follow_ups = db.session.scalars(
                sa.select(FollowUp)
                .where(FollowUp.agreement_id == agreement.id)
                .order_by(FollowUp.due_on, FollowUp.id)
            ).all()
            case_services.record_follow_up(
                follow_ups[info["index"]],
                case_services.FollowUpData(
                    done_on=step.on, compliance=info["compliance"], notes=info["notes"]
                ),
                worker,
            )
            register_recurrence = info["register_recurrence"]
        elif step.kind == "breach":
            recurrence = case_services.handle_breach(
                case, info["choice"], info["reason"], worker, on=step.on
            )
            if recurrence is not None and register_recurrence:
                case_services.transition(recurrence, S.ENREGISTRE, recorder)
        elif step.kind == "recur":
            case_services.open_recurrence(case, worker, on=step.on, reason=info["reason"])
        elif step.kind == "refer":
            target, terms = referral_terms(case, info, worker, step.on)
            referral = case_services.record_referral(
                case,
                case_services.ReferralData(
                    referred_on=step.on,
                    target=target,
                    reason=info["reason"],
                    from_institution=info["from_institution"],
                    parallel=info.get("parallel", False),
                    **terms,
                ),
                worker,
            )
        elif step.kind == "feedback":
            case_services.record_referral_feedback(
                referral,
                feedback_on=step.on,
                feedback=info["feedback"],
                result=info["result"],
                by=worker,
                back_to_level=info["back_to_level"],
            )
        elif step.kind == "civil_case":
            civil = case_services.open_linked_case(
                case,
                supervisor,
                conflict_type=info["conflict_type"],
                title=info["title"],
                on=step.on,
            )
            case_services.translate_narrative(civil, None, supervisor, title=CIVIL_CASE_TITLE_EN)
            if info["register"]:
                case_services.transition(civil, S.ENREGISTRE, recorder)
                if info["mediate"]:
                    case_services.transition(civil, S.EN_MEDIATION, worker)
        elif step.kind == "suspend":
            case_services.transition(case, S.SUSPENDU, supervisor, reason=info["reason"])
        elif step.kind == "resume":
            case_services.transition(
                case, CaseStatus(case.suspended_from), supervisor, reason=info["reason"]
            )
        elif (
            step.kind == "close"
            and info["status"] == S.CLOTURE_RESOLU
            and case_services.closure_blockers(case)
        ):
            close_with_approval(case, info, worker, staff.approver(unit, worker), step.on)
        elif step.kind in ("close", "drop"):
            case_services.transition(
                case,
                info["status"],
                supervisor,
                reason=info["reason"],
                outcome=info["outcome"],
                on=step.on,
            )
        else:  # pragma: no cover
            raise ValueError(step.kind)
    return case


def close_with_approval(case: Case, info: dict, worker: User, approver: User, on) -> None:
    """Closed, resolved before the follow-up allows it: the mediator requests it, the
    coordinator approves (after returning it once, sometimes)."""
    request = case_services.request_closure(case, info["reason"], worker)
    if info.get("return_first"):
        case_services.decide_closure(request, "returned", RETURN_COMMENT, approver, on=on)
        request = case_services.request_closure(case, info["reason"], worker)
    case_services.decide_closure(request, "approved", None, approver, on=on)


def policing_is_empty() -> bool:
    """Demo policing data goes only into a database without any policing record."""
    return all(
        db.session.scalar(sa.select(model.id).limit(1)) is None
        for model in (PoliceUnit, SecurityCommittee, Activity, Alert)
    )


def apply_policing(
    plan: PolicingPlan,
    units: dict[str, AdminUnit],
    staff: Staff,
    cases_by_number: dict[int, Case],
) -> None:
    """Units, committees with their meetings, activities and alerts, through the policing
    services; some alerts become cases (``alert_to_case``, by the area's coordinator)."""
    users = {user.username: user for user in staff.users}
    police_units: list[PoliceUnit] = []
    unit_recorders: list[User] = []  # the focal point, or who records police work there
    for spec in plan.units:
        area = units[spec.commune]
        focal = users.get(spec.focal_point) if spec.focal_point else None
        if focal is not None and focal.role != Role.POLICE.value:
            focal = None
        unit_recorders.append(focal or staff.policing(area))
        police_units.append(
            policing.save_police_unit(
                policing.PoliceUnitData(
                    name=spec.name,
                    force=spec.force,
                    unit_id=area.id,
                    focal_point_id=focal.id if focal else None,
                ),
                unit_recorders[-1],
            )
        )

    for committee_plan in plan.committees:
        area = units[committee_plan.commune.code]
        recorder = staff.policing(area)
        committee = policing.save_committee(
            policing.CommitteeData(
                name=committee_plan.name,
                unit_id=area.id,
                chair=committee_plan.chair,
                monthly_target=1,
            ),
            recorder,
        )
        for member in committee_plan.members:
            policing.save_member(
                committee, policing.MemberData(member.name, member.function, member.sex)
            )
        for meeting_plan in committee_plan.meetings:
            meeting = policing.save_meeting(
                committee,
                policing.MeetingData(
                    held_on=meeting_plan.held_on,
                    agenda=meeting_plan.agenda,
                    women=meeting_plan.women,
                    men=meeting_plan.men,
                    notes=meeting_plan.notes,
                    recommendations=[
                        policing.RecommendationData(text=r.text, responsible=r.responsible)
                        for r in meeting_plan.recommendations
                    ],
                ),
                recorder,
            )
            # Recommendations are pending when made; their follow-up moved some on since.
            for row, wanted in zip(
                meeting.recommendations, meeting_plan.recommendations, strict=True
            ):
                if wanted.status != row.status:
                    policing.set_recommendation_status(row, wanted.status)

    for activity in plan.activities:
        police_unit = police_units[activity.police_unit]
        area = units[activity.place.code]
        policing.save_activity(
            policing.ActivityData(
                activity_type=activity.activity_type,
                held_on=activity.held_on,
                police_unit_id=police_unit.id,
                unit_id=area.id,
                topic=activity.topic,
                duration_minutes=activity.duration_minutes,
                place=activity.site,
                participants=activity.participants,
                women=activity.women,
                men=activity.men,
                youth=activity.youth,
                alerts_raised=activity.alerts_raised,
                cases_created=activity.cases_created,
                cases_referred=activity.cases_referred,
                notes=activity.notes,
                case_references=[
                    cases_by_number[number].reference
                    for number in activity.case_numbers
                    if number in cases_by_number
                ],
            ),
            unit_recorders[activity.police_unit],
        )

    now = utcnow()

    def moment(value):  # the plan keeps times before today; this keeps them before now
        return min(policing.from_local(value), now) if value is not None else None

    for alert_plan in plan.alerts:
        area = units[alert_plan.place.code]
        police_unit = (
            police_units[alert_plan.police_unit] if alert_plan.police_unit is not None else None
        )
        alert = policing.save_alert(
            policing.AlertData(
                occurred_at=moment(alert_plan.occurred_at),
                unit_id=area.id,
                category=alert_plan.category,
                urgency=alert_plan.urgency,
                source_type=alert_plan.source_type,
                description=alert_plan.description,
                place=alert_plan.site,
                relay_code=alert_plan.relay_code,
                verified=alert_plan.verified,
                forwarded_to=alert_plan.forwarded_to,
                forwarded_at=moment(alert_plan.forwarded_at),
                response=alert_plan.response,
                responded_at=moment(alert_plan.responded_at),
                police_unit_id=police_unit.id if police_unit else None,
            ),
            staff.policing(area),
        )
        coordinator = staff.coordinator(area)
        if alert_plan.to_case is not None and coordinator is not None:
            opened = policing.alert_to_case(
                alert,
                policing.AlertCaseData(
                    conflict_type=alert_plan.to_case.conflict_type,
                    scope=alert_plan.to_case.scope,
                    title=alert_plan.to_case.title,
                    party_name=alert_plan.to_case.party_name,
                    party_kind=alert_plan.to_case.party_kind,
                ),
                coordinator,
            )
            case_services.translate_narrative(
                opened, None, coordinator, title=alert_plan.to_case.title_en
            )
