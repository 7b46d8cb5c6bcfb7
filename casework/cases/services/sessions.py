"""Mediation sessions, agreements, follow-up visits and the linked cases they open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app

from casework.auth.models import User
from casework.cases import levels
from casework.cases.access import in_area
from casework.cases.enums import (
    AgreementForm,
    Compliance,
    EventKind,
    SessionResult,
    Species,
    TermKind,
    TermStatus,
)
from casework.cases.models import (
    NARRATIVE_MAX,
    SHORT_TEXT_MAX,
    Actor,
    Agreement,
    AgreementTerm,
    Case,
    FollowUp,
    MediationSession,
    SessionNote,
)
from casework.cases.services.base import (
    MIN_REASON_WORDS,
    CaseError,
    S,
    _event,
    _require_not_archived,
)
from casework.cases.services.intake import CaseData, PartyData, register_case
from casework.cases.services.terms import TermData, check_term, mark_breached
from casework.cases.services.workflow import last_session, transition, triage_blocks_mediation
from casework.cases.states import LadderLevel, allowed
from casework.core import checks, dates
from casework.extensions import db
from casework.i18n import _l
from casework.vocab import services as vocab

# A follow-up visit's window opens a week before its planned day (when "Follow-ups due" starts
# listing it); a visit recorded earlier says why in its notes.
FOLLOW_UP_EARLY_DAYS = 7


# --- sessions, agreements, referrals, follow-ups --------------------------------------------


@dataclass
class SessionData:
    held_on: date | None
    place: str | None
    mechanism: str | None
    result: str | None
    women: int = 0
    men: int = 0
    youth: int = 0
    minutes: str = ""
    minutes_lang: str | None = None
    actor_ids: list[int] = field(default_factory=list)
    private_notes: dict[int, str] = field(default_factory=dict)  # party id -> note
    # None: the level derived from the actors and the mechanism; another level needs a reason.
    ladder_level: int | None = None
    level_reason: str | None = None


def _session_level(case: Case, data: SessionData, actors: list[Actor]) -> tuple[int, str | None]:
    """The session's level and, when the user set another than the derived one, the reason."""
    derived = levels.session_level(
        data.mechanism, [actor.actor_type for actor in actors], case.ladder_level
    )
    if data.ladder_level is None or data.ladder_level == derived:
        return derived, None
    if data.ladder_level not in range(len(LadderLevel)):
        raise CaseError(_l("Choose a level of the ladder for the session."))
    reason = checks.optional_text(data.level_reason, _l("The reason for the level"), SHORT_TEXT_MAX)
    if not reason:
        raise CaseError(
            _l(
                "The people present put this session at level %(level)s. Give the reason for "
                "another level.",
                level=derived,
            )
        )
    return data.ladder_level, reason


def record_session(case: Case, data: SessionData, by: User) -> MediationSession:
    _require_not_archived(case)
    if case.status != S.EN_MEDIATION.value:
        raise CaseError(_l("Sessions are recorded while the case is in mediation."))
    checks.check_date(
        data.held_on,
        _l("The date of the session"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    vocab.check_code("session_place", data.place, _l("The place of the session"))
    vocab.check_code("resolution_mechanism", data.mechanism, _l("The mechanism"))
    checks.check_choice(SessionResult, data.result, _l("The result"))
    for name, label in (("women", _l("Women")), ("men", _l("Men")), ("youth", _l("Youth"))):
        checks.check_count(getattr(data, name), label)
    if (data.youth or 0) > (data.women or 0) + (data.men or 0):
        raise CaseError(_l("Youth are counted among the women and men: there are too many."))
    minutes = checks.check_text(data.minutes, _l("The minutes"), NARRATIVE_MAX)
    if minutes and data.minutes_lang not in current_app.config["LANGUAGES"]:
        raise CaseError(_l("Say in which language the minutes are written."))
    actors = []
    if data.actor_ids:
        actors = list(db.session.scalars(sa.select(Actor).where(Actor.id.in_(data.actor_ids))))
        if len(actors) != len(set(data.actor_ids)):
            raise CaseError(_l("Unknown mediator in the list."))
        # The registry's people of the user's area (or of no particular place), as the form
        # offers them: an id typed by hand does not bring in someone from another region.
        if any(
            not actor.is_active or (actor.unit is not None and not in_area(by, actor.unit))
            for actor in actors
        ):
            raise CaseError(_l("Choose the mediators present among those of your area."))
    party_ids = {party.id for party in case.parties}
    notes = {}
    for party_id, note in data.private_notes.items():
        note = checks.check_text(note, _l("The private note"), SHORT_TEXT_MAX)
        if note:
            if party_id not in party_ids:
                raise CaseError(_l("A private note names a party of another case."))
            notes[party_id] = note
    level, level_reason = _session_level(case, data, actors)
    session = MediationSession(
        case_id=case.id,
        held_on=data.held_on,
        place=data.place,
        mechanism=data.mechanism,
        ladder_level=level,
        level_reason=level_reason,
        women=data.women or 0,
        men=data.men or 0,
        youth=data.youth or 0,
        minutes=minutes,
        minutes_lang=data.minutes_lang if minutes else None,
        result=data.result,
        recorded_by_id=by.id,
    )
    session.actors = actors
    db.session.add(session)
    db.session.flush()
    for party_id, note in notes.items():
        db.session.add(
            SessionNote(session_id=session.id, party_id=party_id, note=note, author_id=by.id)
        )
    _event(
        case,
        EventKind.SESSION,
        by,
        from_level=case.ladder_level,
        to_level=level,
        reason=SessionResult(data.result).value,
    )
    # The case's level is the highest its sessions reached.
    case.ladder_level = max(case.ladder_level, level)
    db.session.flush()
    return session


@dataclass
class AgreementData:
    concluded_on: date | None
    form: str | None
    outcome: str | None
    compensation_fcfa: int | None = None
    livestock_heads: int | None = None
    diya: bool = False
    restitution: str | None = None
    signatories: str | None = None
    witnesses: str | None = None
    terms: list[TermData] = field(default_factory=list)


AGREEMENT_OUTCOMES = ("ACCORD_TOTAL", "ACCORD_PARTIEL")


def follow_up_days() -> tuple[int, ...]:
    return tuple(current_app.config["FOLLOW_UP_DAYS"])


def record_agreement(case: Case, data: AgreementData, by: User) -> Agreement:
    """An agreement moves the case to "agreement reached" and schedules the follow-ups."""
    _require_not_archived(case)
    if not allowed(case.status_enum, S.ACCORD, None):
        raise CaseError(_l("An agreement is recorded while the case is in mediation."))
    checks.check_date(
        data.concluded_on,
        _l("The date of the agreement"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    checks.check_choice(AgreementForm, data.form, _l("The form of the agreement"))
    if data.outcome not in AGREEMENT_OUTCOMES:
        raise CaseError(_l("An agreement is full or partial."))
    for name, label in (
        ("compensation_fcfa", _l("Compensation (FCFA)")),
        ("livestock_heads", _l("Livestock heads")),
    ):
        checks.check_count(getattr(data, name), label)
    terms = [
        term
        for term in (
            check_term(case, entry, concluded_on=data.concluded_on) for entry in data.terms
        )
        if term is not None
    ]
    terms += _terms_of_totals(data, terms)
    agreement = Agreement(
        case_id=case.id,
        concluded_on=data.concluded_on,
        form=data.form,
        outcome=data.outcome,
        compensation_fcfa=data.compensation_fcfa
        if data.compensation_fcfa is not None
        else _total(terms, TermKind.CASH, TermKind.DIYA),
        livestock_heads=data.livestock_heads
        if data.livestock_heads is not None
        else _total(terms, TermKind.LIVESTOCK),
        diya=bool(data.diya),
        restitution=checks.optional_text(data.restitution, _l("Restitution"), SHORT_TEXT_MAX),
        signatories=checks.optional_text(data.signatories, _l("Signatories"), SHORT_TEXT_MAX),
        witnesses=checks.optional_text(data.witnesses, _l("Witnesses"), SHORT_TEXT_MAX),
        recorded_by_id=by.id,
    )
    agreement.terms = terms
    session = last_session(case)
    if session is not None and session.result == SessionResult.AGREEMENT.value:
        agreement.session_id = session.id
    db.session.add(agreement)
    db.session.flush()
    for days in follow_up_days():
        db.session.add(
            FollowUp(
                case_id=case.id,
                agreement_id=agreement.id,
                due_on=dates.add_days(data.concluded_on, days),
            )
        )
    # The agreement's level is that of the session that produced it.
    level = case.ladder_level if agreement.session_id is None else session.ladder_level
    _event(case, EventKind.AGREEMENT, by, to_level=level, reason=data.outcome)
    transition(case, S.ACCORD, by)
    return agreement


def _terms_of_totals(data: AgreementData, terms: list[AgreementTerm]) -> list[AgreementTerm]:
    """The agreement's totals (compensation in FCFA, diya, livestock heads) as terms to
    track, when no term of that kind was written out: the totals feed the harm figures,
    the terms the compliance figures, and both stay in step."""
    kinds = {term.kind for term in terms}
    made = []
    money = TermKind.DIYA if data.diya else TermKind.CASH
    if (data.compensation_fcfa or data.diya) and not kinds & {
        TermKind.CASH.value,
        TermKind.DIYA.value,
    }:
        made.append(
            AgreementTerm(
                description=str(money.title),
                kind=money.value,
                amount=data.compensation_fcfa or None,
                status=TermStatus.PENDING.value,
            )
        )
    if data.livestock_heads and TermKind.LIVESTOCK.value not in kinds:
        made.append(
            AgreementTerm(
                description=str(TermKind.LIVESTOCK.title),
                kind=TermKind.LIVESTOCK.value,
                species=Species.OTHER.value,
                amount=data.livestock_heads,
                status=TermStatus.PENDING.value,
            )
        )
    for term in made:
        term.count_unpaid()
    return made


def _total(terms: list[AgreementTerm], *kinds: TermKind) -> int | None:
    amounts = [term.amount for term in terms if term.kind in kinds and term.amount]
    return sum(amounts) if amounts else None


@dataclass
class FollowUpData:
    done_on: date | None
    compliance: str | None
    notes: str | None = None


def record_follow_up(follow_up: FollowUp, data: FollowUpData, by: User) -> FollowUp:
    """Record a visit, whatever the case's state (a closed, suspended or referred case keeps
    its planned visits). A breach ("not respected") closes nothing: the mediator then
    chooses to renegotiate or to close and open a recurrence (services.closure)."""
    case = follow_up.case
    _require_not_archived(case)
    if follow_up.done_on is not None:
        raise CaseError(_l("This follow-up was already recorded."))
    agreement = (
        db.session.get(Agreement, follow_up.agreement_id) if follow_up.agreement_id else None
    )
    checks.check_date(
        data.done_on,
        _l("The date of the visit"),
        not_before=agreement.concluded_on if agreement else case.reported_on,
        not_before_label=_l("the date of the agreement")
        if agreement
        else _l("the date of the report"),
    )
    checks.check_choice(Compliance, data.compliance, _l("Compliance"))
    notes = checks.optional_text(data.notes, _l("The notes"), SHORT_TEXT_MAX)
    opens = dates.add_days(follow_up.due_on, -FOLLOW_UP_EARLY_DAYS)
    if data.done_on < opens and len((notes or "").split()) < MIN_REASON_WORDS:
        raise CaseError(
            _l(
                "This visit is planned for %(due)s. A visit made before %(opens)s needs its "
                "reason in the notes (a few words).",
                due=follow_up.due_on.isoformat(),
                opens=opens.isoformat(),
            )
        )
    follow_up.done_on = data.done_on
    follow_up.compliance = data.compliance
    follow_up.notes = notes
    follow_up.recorded_by_id = by.id
    _event(case, EventKind.FOLLOW_UP, by, reason=data.compliance)
    if case.status == S.ACCORD.value:
        transition(case, S.SUIVI, by)
    if data.compliance == Compliance.NOT_RESPECTED.value and agreement is not None:
        # The breach is recorded on the agreement; what becomes of the case is the
        # mediator's choice (renegotiate, or close and open a recurrence).
        mark_breached(
            agreement,
            data.done_on,
            notes or str(_l("Follow-up visit: agreement not respected.")),
            by,
        )
    db.session.flush()
    return follow_up


def open_linked_case(
    case: Case,
    by: User,
    *,
    recurrence: bool = False,
    conflict_type: str | None = None,
    title: str | None = None,
    on: date | None = None,
) -> Case:
    """A new case linked to ``case``: a recurrence of the conflict, or the civil case for
    compensation between families beside a case referred to justice."""
    _require_not_archived(case)
    if not recurrence:
        if case.status != S.RENVOYE.value and not triage_blocks_mediation(case):
            raise CaseError(_l("A civil case is opened beside a case referred to justice."))
        if not conflict_type or conflict_type in vocab.mandatory_referral_codes():
            raise CaseError(_l("Choose a conflict type that can be mediated."))
    on = on or checks.today()
    data = CaseData(
        unit_id=case.unit_id,
        event_date=on if recurrence else case.event_date,
        reported_on=on,
        channel=case.channel,
        conflict_type=conflict_type or case.conflict_type,
        scope=case.scope,
        title=title or case.title,
        narrative="",
        confidentiality=case.confidentiality,
        assigned_mediator_id=case.assigned_mediator_id,
    )
    parties = [
        PartyData(
            role=p.role,
            name=p.name,
            kind=p.kind,
            sex=p.sex,
            age_band=p.age_band,
            livelihood=p.livelihood,
            community=p.community,
            consent_to_share=p.consent,
        )
        for p in case.parties
    ]
    linked = register_case(
        data,
        parties,
        by,
        recurrence_of=case if recurrence else None,
        civil_case_of=None if recurrence else case,
    )
    # The parties' answers were given on the original case: keep who recorded them and when.
    for original, copy in zip(case.parties, linked.parties, strict=True):
        copy.consent_recorded_by_id = original.consent_recorded_by_id
        copy.consent_recorded_at = original.consent_recorded_at
    _event(case, EventKind.LINKED, by, linked_case_id=linked.id)
    db.session.flush()
    return linked
