"""The behaviour of mediation cases. Services flush and never commit; they write the
case's event history. Every rule that refuses something raises CaseError with a translated
message, before anything is changed."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from casework import signals
from casework.audit import services as audit
from casework.auth.models import User
from casework.cases.access import (
    area_clause,
    can_archive,
    can_lower_level,
    can_purge,
    confidentiality_clause,
    details_hidden_clause,
    in_area,
    level_rank,
)
from casework.cases.enums import (
    AgeBand,
    AgreementForm,
    Compliance,
    Confidentiality,
    EventKind,
    PartyKind,
    PartyRole,
    SessionResult,
    Sex,
)
from casework.cases.models import (
    NAME_MAX,
    NARRATIVE_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    Actor,
    Agreement,
    AgreementTerm,
    Case,
    CaseCounter,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    SessionNote,
    session_actors,
)
from casework.cases.search_index import FTS_TABLE, MIN_TRIGRAM
from casework.cases.states import (
    HIGHEST_MEDIATION_LEVEL,
    MANUAL_TARGETS,
    REASON_REQUIRED,
    TRANSITIONS,
    CaseStatus,
    LadderLevel,
    allowed,
)
from casework.core import checks, dates
from casework.core.errors import DomainError
from casework.core.pagination import MAX_PAGE, PAGE_SIZE, Page
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _l
from casework.roles import Role
from casework.text import fold, search_tokens
from casework.vocab import services as vocab

S = CaseStatus
# Referral targets that are the authorities: the security forces and justice. A referral to
# them needs every party's consent, or an emergency override with its reason.
SECURITY_FORCE_TARGETS = frozenset({"GENDARMERIE", "POLICE", "GARDE_NATIONALE"})
JUSTICE_TARGETS = frozenset({"JPCE", "TPI", "PROCUREUR"})
AUTHORITY_TARGETS = SECURITY_FORCE_TARGETS | JUSTICE_TARGETS
# An emergency override, an archive or a purge is explained in a few words, not one.
MIN_REASON_WORDS = 3
DUPLICATE_WINDOW_DAYS = 90
DUPLICATE_NAME_SIMILARITY = 0.85
# A follow-up visit's window opens a week before its planned day (when "Follow-ups due" starts
# listing it); a visit recorded earlier says why in its notes.
FOLLOW_UP_EARLY_DAYS = 7
# Fields of a case that an edit may change (and that a revision records).
EDITABLE_FIELDS = (
    "unit_id",
    "event_date",
    "reported_on",
    "channel",
    "conflict_type",
    "scope",
    "title",
    "narrative",
    "narrative_lang",
    "persons_affected",
    "deaths",
    "injuries_serious",
    "injuries_minor",
    "damage_text",
    "damage_fcfa",
    "livestock_heads",
    "confidentiality",
    "assigned_mediator_id",
)


class CaseError(DomainError):
    """A rule of the case workflow or of its records was broken."""


class EditConflict(DomainError):
    """Someone else saved the case after it was opened: nothing was overwritten."""

    def __init__(self, case: Case, revision: CaseRevision):
        super().__init__(_l("Someone else changed this case after you opened it."))
        self.case = case
        self.revision = revision


# --- checks shared by the records -----------------------------------------------------------


def _event(case: Case, kind: EventKind, by: User, **values) -> CaseEvent:
    # Every change to a case writes an event: the last guard against changing an archived one.
    _require_not_archived(case)
    event = CaseEvent(case_id=case.id, kind=kind.value, by_id=by.id, at=utcnow(), **values)
    db.session.add(event)
    return event


# --- references -----------------------------------------------------------------------------


def next_reference(region: AdminUnit, year: int) -> str:
    """The next reference of a region and year, e.g. GAO-2026-0042.

    One atomic upsert: two registrations at the same moment get different numbers (the row
    is locked by PostgreSQL, the database by SQLite), and the unique reference backs it up.
    """
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(CaseCounter)
        .values(region_code=region.code, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["region_code", "year"],
            set_={"last_number": CaseCounter.last_number + 1},
        )
        .returning(CaseCounter.last_number)
    )
    number = db.session.execute(statement).scalar_one()
    return f"{region.code}-{year}-{number:04d}"


# --- registering and editing ----------------------------------------------------------------


@dataclass
class PartyData:
    role: str
    name: str
    kind: str = PartyKind.INDIVIDUAL.value
    sex: str = Sex.UNKNOWN.value
    age_band: str = AgeBand.UNKNOWN.value
    livelihood: str | None = None
    community: str | None = None
    consent_to_share: bool | None = None  # None: not asked


@dataclass
class CaseData:
    unit_id: int | None
    event_date: date | None
    reported_on: date | None
    channel: str | None
    conflict_type: str | None
    scope: str | None
    title: str
    narrative: str = ""
    narrative_lang: str | None = None
    persons_affected: int | None = None
    deaths: int = 0
    injuries_serious: int = 0
    injuries_minor: int = 0
    damage_text: str | None = None
    damage_fcfa: int | None = None
    livestock_heads: int | None = None
    confidentiality: str = Confidentiality.STANDARD.value
    assigned_mediator_id: int | None = None
    site_id: int | None = None
    # Why the level is lowered (an edit by a coordinator or an administrator).
    confidentiality_reason: str | None = None


def _check_case_data(data: CaseData, by: User, case: Case | None = None) -> AdminUnit:
    unit = db.session.get(AdminUnit, data.unit_id) if data.unit_id else None
    if unit is None:
        raise CaseError(_l("Choose the place of the case."))
    if not in_area(by, unit):
        raise CaseError(_l("This place is outside your area."))
    checks.check_date(data.event_date, _l("The date of the events"))
    checks.check_date(
        data.reported_on,
        _l("The date of the report"),
        not_before=data.event_date,
        not_before_label=_l("the date of the events"),
    )
    if not unit.is_valid_on(data.event_date):
        raise CaseError(_l("This place did not exist at the date of the events."))
    vocab.check_code(
        "reporting_channel",
        data.channel,
        _l("The reporting channel"),
        current=case.channel if case else None,
    )
    vocab.check_code(
        "conflict_type",
        data.conflict_type,
        _l("The conflict type"),
        current=case.conflict_type if case else None,
    )
    vocab.check_code("scope", data.scope, _l("The scope"), current=case.scope if case else None)
    data.title = checks.check_text(data.title, _l("The title"), TITLE_MAX, required=True)
    data.narrative = checks.check_text(data.narrative, _l("The narrative"), NARRATIVE_MAX)
    if data.narrative and data.narrative_lang not in current_app.config["LANGUAGES"]:
        raise CaseError(_l("Say in which language the narrative is written."))
    if not data.narrative:
        data.narrative_lang = None
    for name, label in (
        ("persons_affected", _l("Persons affected")),
        ("deaths", _l("Deaths")),
        ("injuries_serious", _l("Serious injuries")),
        ("injuries_minor", _l("Minor injuries")),
        ("damage_fcfa", _l("Damage (FCFA)")),
        ("livestock_heads", _l("Livestock heads")),
    ):
        checks.check_count(getattr(data, name), label)
    data.damage_text = checks.optional_text(data.damage_text, _l("Damage"), SHORT_TEXT_MAX)
    checks.check_choice(Confidentiality, data.confidentiality, _l("Confidentiality"))
    if data.assigned_mediator_id is not None:
        mediator = db.session.get(User, data.assigned_mediator_id)
        if mediator is None or not mediator.is_active or not in_area(mediator, unit):
            raise CaseError(_l("The assigned mediator must be active and work in this area."))
    return unit


# Gender-based violence: registered as secret (issue 12).
GBV_TYPE = "VBG"


def _registration_level(data: CaseData, by: User) -> None:
    """A gender-based violence case is secret, whatever was chosen; a mediator who registers
    a restricted or secret case with nobody assigned is assigned, not locked out of it."""
    if data.conflict_type == GBV_TYPE:
        data.confidentiality = Confidentiality.SECRET.value
    if (
        data.assigned_mediator_id is None
        and data.confidentiality != Confidentiality.STANDARD.value
        and by.role == Role.MEDIATOR.value
    ):
        data.assigned_mediator_id = by.id


def _check_level_change(case: Case, data: CaseData, by: User) -> str | None:
    """An edit may raise the level freely; lowering it needs a coordinator of the area or
    an administrator, and a reason (returned). A case whose type becomes gender-based
    violence becomes secret."""
    if data.conflict_type == GBV_TYPE and case.conflict_type != GBV_TYPE:
        data.confidentiality = Confidentiality.SECRET.value
    if level_rank(data.confidentiality) >= level_rank(case.confidentiality):
        return None
    if not can_lower_level(by, case):
        raise CaseError(
            _l(
                "Only a coordinator of the area or an administrator lowers the confidentiality "
                "of a case."
            )
        )
    return check_few_words(
        data.confidentiality_reason, _l("The reason for lowering the confidentiality")
    )


def _check_party(data: PartyData) -> None:
    checks.check_choice(PartyRole, data.role, _l("The party's role"))
    checks.check_choice(PartyKind, data.kind, _l("The kind of party"))
    checks.check_choice(Sex, data.sex, _l("Sex"))
    checks.check_choice(AgeBand, data.age_band, _l("Age band"))
    data.name = checks.check_text(data.name, _l("The party's name"), NAME_MAX, required=True)
    data.community = checks.optional_text(data.community, _l("Community or fraction"), NAME_MAX)
    vocab.check_code("livelihood", data.livelihood, _l("Livelihood"), required=False)


def region_of(unit: AdminUnit) -> AdminUnit:
    return unit.region


def commune_of(unit: AdminUnit) -> AdminUnit:
    """The commune a unit lies in (itself when it is one; the unit when it is higher)."""
    for ancestor in unit.ancestry:
        if ancestor.kind == UnitKind.COMMUNE.value:
            return ancestor
    return unit


def refresh_search_text(case: Case) -> None:
    parts = [case.reference, case.title, case.narrative, case.narrative_translation or ""]
    parts += [unit.name for unit in case.unit.ancestry] if case.unit else []
    parts += [party.name for party in case.parties]
    case.search_text = fold(" ".join(p for p in parts if p))


def _snapshot(case: Case) -> dict:
    values = {}
    for name in EDITABLE_FIELDS:
        value = getattr(case, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def _save_revision(case: Case, by: User, kind: str = "saved", data: dict | None = None):
    revision = CaseRevision(
        case_id=case.id,
        version=case.version,
        kind=kind,
        data=data or _snapshot(case),
        by_id=by.id,
        at=utcnow(),
    )
    db.session.add(revision)
    return revision


def register_case(
    data: CaseData,
    parties: list[PartyData],
    by: User,
    *,
    recurrence_of: Case | None = None,
    civil_case_of: Case | None = None,
) -> Case:
    """Record a reported dispute with its parties; it starts as "reported"."""
    _registration_level(data, by)
    unit = _check_case_data(data, by)
    if not parties:
        raise CaseError(_l("Record at least one party."))
    for party in parties:
        _check_party(party)
    region = region_of(unit)
    case = Case(
        reference=next_reference(region, data.reported_on.year),
        status=S.SIGNALE.value,
        ladder_level=LadderLevel.PARTIES.value,
        created_by_id=by.id,
        recurrence_of_id=recurrence_of.id if recurrence_of else None,
        civil_case_of_id=civil_case_of.id if civil_case_of else None,
        **{name: getattr(data, name) for name in EDITABLE_FIELDS},
        site_id=data.site_id,
    )
    case.unit = unit
    db.session.add(case)
    for party in parties:
        case.parties.append(_new_party(party, by))
    # Before the insert: an UPDATE after it re-indexed the case in the search index and
    # bumped its version for nothing.
    refresh_search_text(case)
    db.session.flush()
    _event(case, EventKind.CREATED, by, to_status=S.SIGNALE.value, to_level=case.ladder_level)
    _save_revision(case, by)
    db.session.flush()
    return case


def _new_party(data: PartyData, by: User) -> Party:
    party = Party(
        role=data.role,
        kind=data.kind,
        name=data.name,
        name_search=fold(data.name),
        sex=data.sex,
        age_band=data.age_band,
        livelihood=data.livelihood or None,
        community=data.community,
    )
    _set_consent(party, data.consent_to_share, by)
    return party


def _set_consent(party: Party, consent: bool | None, by: User) -> None:
    """Record the party's answer (None: not asked yet) and who recorded it, when it changes."""
    consent = None if consent is None else bool(consent)
    if party.consent_to_share is not None and party.consent is consent:
        return
    party.consent_to_share = bool(consent)
    party.consent_recorded_by_id = by.id if consent is not None else None
    party.consent_recorded_at = utcnow() if consent is not None else None


def record_consent(party: Party, consent: bool | None, by: User) -> Party:
    """Record one party's answer about sharing the case with the authorities."""
    _require_open(party.case)
    _set_consent(party, consent, by)
    _event(party.case, EventKind.EDITED, by)
    db.session.flush()
    return party


def add_party(case: Case, data: PartyData, by: User) -> Party:
    _require_open(case)
    _check_party(data)
    party = _new_party(data, by)
    case.parties.append(party)
    db.session.flush()
    refresh_search_text(case)
    _event(case, EventKind.EDITED, by, reason=f"+ {party.name}")
    return party


def update_party(party: Party, data: PartyData, by: User) -> Party:
    _require_open(party.case)
    _check_party(data)
    for name in (
        "role",
        "kind",
        "name",
        "sex",
        "age_band",
        "livelihood",
        "community",
    ):
        setattr(party, name, getattr(data, name))
    _set_consent(party, data.consent_to_share, by)
    party.livelihood = party.livelihood or None
    party.name_search = fold(party.name)
    refresh_search_text(party.case)
    _event(party.case, EventKind.EDITED, by)
    db.session.flush()
    return party


def update_case(case: Case, data: CaseData, expected_version: int, by: User) -> Case:
    """Save an edit made on version ``expected_version``. When someone saved the case in the
    meantime nothing is overwritten: the edit is kept as a conflicting revision and
    EditConflict is raised so that the user sees both versions."""
    if expected_version != case.version:
        revision = _save_revision(case, by, kind="conflict", data=_data_snapshot(data))
        db.session.flush()
        raise EditConflict(case, revision)
    _require_open(case)
    _check_case_data(data, by, case)
    lowered_because = _check_level_change(case, data, by)
    changed = [n for n in EDITABLE_FIELDS if getattr(case, n) != getattr(data, n)]
    if not changed:
        return case
    level_before = case.confidentiality
    try:
        # A savepoint: when someone saved the case between our read and our write, the
        # UPDATE ... WHERE version = ... matches nothing (StaleDataError); only this edit is
        # undone, and it is kept as a conflicting revision like any other refused edit.
        with db.session.begin_nested():
            _apply_edit(case, data, changed, by)
    except sa.orm.exc.StaleDataError:
        db.session.refresh(case)
        revision = _save_revision(case, by, kind="conflict", data=_data_snapshot(data))
        db.session.flush()
        raise EditConflict(case, revision) from None
    _save_revision(case, by)
    db.session.flush()
    if case.confidentiality != level_before:
        # Its own entry, so that the audit viewer lists the changes of level and their reason.
        details = {"from": level_before, "to": case.confidentiality, "reason": lowered_because}
        _audit_as(by, "confidentiality", case, details)
    return case


def _apply_edit(case: Case, data: CaseData, changed: list[str], by: User) -> None:
    if "narrative" in changed and case.narrative_translation:
        # The translation no longer matches the text; it is kept in the revision history.
        case.narrative_translation = None
        case.translated_by_id = None
        case.translated_at = None
    for name in changed:
        setattr(case, name, getattr(data, name))
    if "unit_id" in changed:
        case.unit = db.session.get(AdminUnit, data.unit_id)
    refresh_search_text(case)
    _event(case, EventKind.EDITED, by, reason=", ".join(changed))
    db.session.flush()  # bumps the version, or fails with StaleDataError on a race


def _data_snapshot(data: CaseData) -> dict:
    values = {}
    for name in EDITABLE_FIELDS:
        value = getattr(data, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def translate_narrative(case: Case, text: str, by: User) -> Case:
    _require_not_archived(case)
    if not case.narrative:
        raise CaseError(_l("This case has no narrative to translate."))
    case.narrative_translation = checks.check_text(
        text, _l("The translation"), NARRATIVE_MAX, required=True
    )
    case.translated_by_id = by.id
    case.translated_at = utcnow()
    refresh_search_text(case)
    _event(case, EventKind.TRANSLATED, by)
    db.session.flush()
    return case


def translate_minutes(session: MediationSession, text: str, by: User) -> MediationSession:
    _require_not_archived(session.case)
    if not session.minutes:
        raise CaseError(_l("This session has no minutes to translate."))
    session.minutes_translation = checks.check_text(
        text, _l("The translation"), NARRATIVE_MAX, required=True
    )
    session.translated_by_id = by.id
    session.translated_at = utcnow()
    _event(session.case, EventKind.TRANSLATED, by)
    db.session.flush()
    return session


# --- the workflow ---------------------------------------------------------------------------


def triage_blocks_mediation(case: Case) -> bool:
    """Crimes are not mediated: a ★ type, a death or a serious injury must be referred."""
    return (
        case.conflict_type in vocab.mandatory_referral_codes()
        or (case.deaths or 0) > 0
        or (case.injuries_serious or 0) > 0
    )


def _require_not_archived(case: Case) -> None:
    if case.archived_at is not None:
        raise CaseError(_l("This case is archived: restore it before changing it."))


def _require_open(case: Case) -> None:
    _require_not_archived(case)
    if case.status_enum.is_closed:
        raise CaseError(_l("This case is closed. A new dispute is a new, linked case."))


def transition(
    case: Case,
    target: CaseStatus | str,
    by: User,
    *,
    reason: str | None = None,
    outcome: str | None = None,
    on: date | None = None,
) -> CaseEvent:
    """The one way a case changes state: checks the move against the table, records it."""
    _require_not_archived(case)
    target = CaseStatus(target)
    source = case.status_enum
    suspended_from = CaseStatus(case.suspended_from) if case.suspended_from else None
    if not allowed(source, target, suspended_from):
        raise CaseError(
            _l(
                "A case cannot go from “%(source)s” to “%(target)s”.",
                source=source.title,
                target=target.title,
            )
        )
    if target == S.EN_MEDIATION and source != S.SUSPENDU and triage_blocks_mediation(case):
        raise CaseError(
            _l(
                "This case cannot be mediated: crimes, deaths and serious injuries must be "
                "referred to justice or the security forces."
            )
        )
    reason = checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX)
    if target in REASON_REQUIRED and not reason:
        raise CaseError(_l("Give a reason for this change."))
    # ``on`` dates a move recorded after the fact (a closure found at a visit); today else.
    on = on or checks.today()
    checks.check_date(
        on,
        _l("The date of the change"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    if target in (S.CLOTURE_RESOLU, S.CLOTURE_NON_RESOLU, S.CLASSE):
        if outcome:
            vocab.check_code("outcome", outcome, _l("The outcome"))
        case.outcome = outcome or _default_outcome(target)
        case.closed_on = on
    if target == S.SUSPENDU:
        case.suspended_from = source.value
    elif source == S.SUSPENDU:
        case.suspended_from = None
    case.status = target.value
    event = _event(
        case,
        EventKind.TRANSITION,
        by,
        from_status=source.value,
        to_status=target.value,
        reason=reason,
    )
    db.session.flush()
    return event


def _default_outcome(target: CaseStatus) -> str:
    return {
        S.CLOTURE_RESOLU: "ACCORD_TOTAL",
        S.CLOTURE_NON_RESOLU: "ECHEC",
        S.CLASSE: "CLASSE_SANS_SUITE",
    }[target]


def available_transitions(case: Case) -> list[CaseStatus]:
    """The manual moves the case page offers in its current state."""
    source = case.status_enum
    if source == S.SUSPENDU:
        return [CaseStatus(case.suspended_from)] if case.suspended_from else []
    targets = [t for t in CaseStatus if t in TRANSITIONS[source] and t in MANUAL_TARGETS]
    if triage_blocks_mediation(case) and S.EN_MEDIATION in targets:
        targets.remove(S.EN_MEDIATION)
    return targets


def last_session(case: Case) -> MediationSession | None:
    return db.session.scalars(
        sa.select(MediationSession)
        .where(MediationSession.case_id == case.id)
        .order_by(MediationSession.held_on.desc(), MediationSession.id.desc())
        .limit(1)
    ).first()


def can_escalate(case: Case) -> bool:
    session = last_session(case)
    return (
        case.status == S.EN_MEDIATION.value
        and session is not None
        and session.result == SessionResult.FAILURE.value
        and session.ladder_level == case.ladder_level
        and case.ladder_level < HIGHEST_MEDIATION_LEVEL
    )


def escalate(case: Case, by: User, reason: str | None = None) -> CaseEvent:
    """After a failed session, the case climbs one level of the ladder."""
    _require_not_archived(case)
    if case.status != S.EN_MEDIATION.value:
        raise CaseError(_l("Only a case in mediation can be escalated."))
    session = last_session(case)
    if session is None or session.result != SessionResult.FAILURE.value:
        raise CaseError(_l("A case climbs the ladder after a failed session."))
    if session.ladder_level != case.ladder_level:
        raise CaseError(_l("This case was already escalated after its last session."))
    if case.ladder_level >= HIGHEST_MEDIATION_LEVEL:
        # Escalation stops below justice and the security forces: it never reaches them,
        # so it needs no consent; going there is a referral, which checks consent.
        raise CaseError(
            _l("The case is at the highest level of local mediation: refer it instead.")
        )
    source = case.ladder_level
    case.ladder_level = source + 1
    event = _event(
        case,
        EventKind.ESCALATION,
        by,
        from_level=source,
        to_level=source + 1,
        reason=checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX),
    )
    db.session.flush()
    return event


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
    session = MediationSession(
        case_id=case.id,
        held_on=data.held_on,
        place=data.place,
        mechanism=data.mechanism,
        ladder_level=case.ladder_level,
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
        to_level=case.ladder_level,
        reason=SessionResult(data.result).value,
    )
    db.session.flush()
    return session


@dataclass
class TermData:
    description: str
    obliged_party_id: int | None = None
    due_on: date | None = None


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
    party_ids = {party.id for party in case.parties}
    terms = []
    for term in data.terms:
        description = checks.check_text(term.description, _l("A term"), SHORT_TEXT_MAX)
        if not description:
            continue
        if term.obliged_party_id is not None and term.obliged_party_id not in party_ids:
            raise CaseError(_l("A term names a party of another case."))
        checks.check_date(term.due_on, _l("A term's deadline"), required=False, future=True)
        if term.due_on is not None and term.due_on < data.concluded_on:
            raise CaseError(_l("A term's deadline cannot be before the agreement."))
        terms.append(
            AgreementTerm(
                description=description, due_on=term.due_on, obliged_party_id=term.obliged_party_id
            )
        )
    agreement = Agreement(
        case_id=case.id,
        concluded_on=data.concluded_on,
        form=data.form,
        outcome=data.outcome,
        compensation_fcfa=data.compensation_fcfa,
        livestock_heads=data.livestock_heads,
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
    _event(case, EventKind.AGREEMENT, by, to_level=case.ladder_level, reason=data.outcome)
    transition(case, S.ACCORD, by)
    return agreement


@dataclass
class ReferralData:
    referred_on: date | None
    target: str | None
    reason: str
    from_institution: str | None = None
    emergency_override: bool = False
    override_reason: str | None = None


def needs_consent(target: str | None) -> bool:
    """Whether a referral to ``target`` goes to the authorities (justice, security forces)."""
    return target in AUTHORITY_TARGETS


def parties_without_consent(case: Case) -> list[Party]:
    """The parties who have not said yes to sharing the case with the authorities."""
    return [party for party in case.parties if party.consent is not True]


def check_few_words(text: str | None, label, maximum: int = SHORT_TEXT_MAX) -> str:
    """A required reason of at least a few words (MIN_REASON_WORDS)."""
    text = checks.check_text(text, label, maximum, required=True)
    if len(text.split()) < MIN_REASON_WORDS:
        raise CaseError(
            _l("%(field)s needs a few words (at least %(min)s).", field=label, min=MIN_REASON_WORDS)
        )
    return text


def record_referral(case: Case, data: ReferralData, by: User) -> Referral:
    """The case leaves the ladder for a formal institution (or goes back to a local one)."""
    _require_not_archived(case)
    if not allowed(case.status_enum, S.RENVOYE, None):
        raise CaseError(
            _l(
                "A case is referred once registered or in mediation, not when “%(status)s”.",
                status=case.status_enum.title,
            )
        )
    checks.check_date(
        data.referred_on,
        _l("The date of the referral"),
        not_before=case.reported_on,
        not_before_label=_l("the date of the report"),
    )
    vocab.check_code("referral_target", data.target, _l("The institution referred to"))
    reason = checks.check_text(data.reason, _l("The reason"), SHORT_TEXT_MAX, required=True)
    override_reason = None
    if data.emergency_override:
        override_reason = check_few_words(
            data.override_reason, _l("The reason for the emergency override")
        )
    if needs_consent(data.target) and not data.emergency_override:
        missing = parties_without_consent(case)
        if missing:
            raise CaseError(
                _l(
                    "A referral to justice or the security forces needs every party's consent. "
                    "Without consent: %(names)s. Record their consent, or tick the emergency "
                    "override and give its reason.",
                    names=", ".join(party.name for party in missing),
                )
            )
    referral = Referral(
        case_id=case.id,
        referred_on=data.referred_on,
        from_level=case.ladder_level,
        from_institution=checks.check_text(data.from_institution, _l("Referred by"), NAME_MAX)
        or None,
        target=data.target,
        reason=reason,
        recorded_by_id=by.id,
        emergency_override=bool(data.emergency_override),
        override_reason=override_reason,
        override_by_id=by.id if data.emergency_override else None,
    )
    db.session.add(referral)
    db.session.flush()
    if referral.emergency_override:
        # Its own entry, so that the audit viewer lists overrides: who, when, why, to whom.
        _audit_as(
            by,
            "override",
            referral,
            {"target": referral.target, "override_reason": override_reason},
        )
    _event(case, EventKind.REFERRAL, by, from_level=case.ladder_level, reason=data.target)
    transition(case, S.RENVOYE, by, reason=reason)
    return referral


class FeedbackResult:
    SENT_BACK = "sent_back"
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    ALL = (SENT_BACK, SETTLED, NOT_SETTLED)


def record_referral_feedback(
    referral: Referral,
    *,
    feedback_on: date | None,
    feedback: str,
    result: str,
    by: User,
    back_to_level: int | None = None,
) -> Referral:
    """What the institution did: sent the matter back to a local mechanism (a reverse
    referral), settled it, or did not."""
    case = referral.case
    _require_not_archived(case)
    if case.status != S.RENVOYE.value:
        raise CaseError(_l("Feedback is recorded while the case is referred."))
    checks.check_date(
        feedback_on,
        _l("The date of the feedback"),
        not_before=referral.referred_on,
        not_before_label=_l("the date of the referral"),
    )
    if result not in FeedbackResult.ALL:
        raise CaseError(
            _l("Unknown value for %(field)s: %(code)s.", field=_l("The result"), code=result)
        )
    feedback = checks.check_text(feedback, _l("The feedback"), SHORT_TEXT_MAX, required=True)
    if result == FeedbackResult.SENT_BACK:
        if back_to_level is None or not 0 <= back_to_level <= HIGHEST_MEDIATION_LEVEL:
            raise CaseError(_l("Choose the level of the ladder the case goes back to."))
        if triage_blocks_mediation(case):
            raise CaseError(
                _l(
                    "This case cannot be mediated: crimes, deaths and serious injuries must be "
                    "referred to justice or the security forces."
                )
            )
    referral.feedback = feedback
    referral.feedback_on = feedback_on
    referral.acknowledged_on = referral.acknowledged_on or feedback_on
    if result == FeedbackResult.SENT_BACK:
        referral.is_reverse = True
        source = case.ladder_level
        case.ladder_level = back_to_level
        _event(
            case, EventKind.REFERRAL, by, from_level=source, to_level=back_to_level, reason=feedback
        )
        transition(case, S.EN_MEDIATION, by, reason=feedback, on=feedback_on)
    elif result == FeedbackResult.SETTLED:
        transition(
            case,
            S.CLOTURE_RESOLU,
            by,
            reason=feedback,
            outcome="REGLE_AUTRE_INSTANCE",
            on=feedback_on,
        )
    else:
        transition(
            case, S.CLOTURE_NON_RESOLU, by, reason=feedback, outcome="RENVOYE", on=feedback_on
        )
    db.session.flush()
    return referral


@dataclass
class FollowUpData:
    done_on: date | None
    compliance: str | None
    notes: str | None = None


def record_follow_up(follow_up: FollowUp, data: FollowUpData, by: User) -> Case | None:
    """Record a visit. A breach marks non-compliance, closes the case unresolved and opens
    a linked recurrence case, which is returned."""
    case = follow_up.case
    _require_not_archived(case)
    if case.status not in (S.ACCORD.value, S.SUIVI.value):
        raise CaseError(_l("Follow-ups are recorded after an agreement."))
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
    if data.compliance != Compliance.NOT_RESPECTED.value:
        db.session.flush()
        return None
    follow_up.recurrence = True
    recurrence = open_linked_case(case, by, recurrence=True, on=data.done_on)
    transition(
        case,
        S.CLOTURE_NON_RESOLU,
        by,
        outcome="ECHEC",
        on=data.done_on,
        reason=str(
            _l(
                "Agreement not respected: recurrence %(reference)s opened.",
                reference=recurrence.reference,
            )
        ),
    )
    return recurrence


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


# --- duplicates, lists, search --------------------------------------------------------------


def likely_duplicates(
    unit_id: int | None,
    event_date: date | None,
    party_names: list[str],
    *,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Case]:
    """Cases in the same commune, within 90 days, with a party of a similar name (accents
    and case ignored)."""
    names = [fold(name) for name in party_names if fold(name)]
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    if unit is None or event_date is None or not names:
        return []
    commune = commune_of(unit)
    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = db.session.scalars(
        sa.select(Case)
        .join(AdminUnit, Case.unit_id == AdminUnit.id)
        .where(
            AdminUnit.path.startswith(commune.path),
            Case.event_date.between(
                dates.add_days(event_date, -window.days), dates.add_days(event_date, window.days)
            ),
            Case.id != (exclude_id or 0),
        )
        .options(selectinload(Case.parties))
        .order_by(Case.event_date.desc())
        .limit(200)
    )
    found = []
    for case in candidates:
        if any(_similar(name, party.name_search) for party in case.parties for name in names):
            found.append(case)
            if len(found) >= limit:
                break
    return found


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    # The two quick upper bounds first: the same verdict, without the full ratio for most
    # of the (up to 200 cases') names that are nothing alike.
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= DUPLICATE_NAME_SIMILARITY
        and matcher.quick_ratio() >= DUPLICATE_NAME_SIMILARITY
        and matcher.ratio() >= DUPLICATE_NAME_SIMILARITY
    )


@dataclass
class CaseFilters:
    area_id: int | None = None
    conflict_type: str | None = None
    status: str | None = None
    ladder_level: int | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    mediator_id: int | None = None
    text: str | None = None
    archived: str = "no"  # "no" (the default list), "yes" (only archived ones) or "all"


ARCHIVED_CHOICES = ("no", "yes", "all")


@functools.cache
def archived_case_ids() -> sa.Select:
    """The ids of the archived cases (a few, read from their partial index).

    Lists leave archived cases out with ``Case.id NOT IN (...)`` rather than ``archived_at IS
    NULL``: the id is in every index, so counts and pages stay index-only (at 100 000 cases on
    SQLite a count went from 2 ms to 100 ms with ``IS NULL``). Built once: statements are
    immutable, and building the alias cost about 1 ms a list page.
    """
    archived = sa.orm.aliased(Case, name="archived_cases")
    return sa.select(archived.id).where(archived.archived_at.is_not(None))


def not_archived() -> sa.ColumnElement[bool]:
    return Case.id.not_in(archived_case_ids())


def _archive_filter(statement: sa.Select, archived: str) -> sa.Select:
    if archived == "yes":
        return statement.where(Case.id.in_(archived_case_ids()))
    if archived == "all":
        return statement
    return statement.where(not_archived())


def filtered_cases(user: User, filters: CaseFilters) -> sa.Select:
    """The user's visible cases narrowed by the list's filters and the free-text search."""
    return _archive_filter(_filtered_cases(user, filters), filters.archived)


def _count(statement: sa.Select) -> int:
    ids_only = statement.with_only_columns(Case.id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids_only.subquery())) or 0


def case_listing(
    user: User,
    filters: CaseFilters,
    page: int,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> Page:
    """One page of the case list. Without archived cases, the total is every match less the
    archived ones: two counts that read indexes only."""
    unfiltered = _filtered_cases(user, filters)
    total = None
    if filters.archived not in ("yes", "all"):
        total = _count(unfiltered) - _count(_archive_filter(unfiltered, "yes"))
    return case_page(
        _archive_filter(unfiltered, filters.archived),
        page,
        total=total,
        after=after,
        before=before,
    )


def _filtered_cases(user: User, filters: CaseFilters) -> sa.Select:
    statement = sa.select(Case).where(area_clause(user), confidentiality_clause(user))
    if filters.area_id:
        area = db.session.get(AdminUnit, filters.area_id)
        if area is not None:
            within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path))
            statement = statement.where(Case.unit_id.in_(within))
    if filters.conflict_type:
        statement = statement.where(Case.conflict_type == filters.conflict_type)
    if filters.status:
        statement = statement.where(Case.status == filters.status)
    if filters.ladder_level is not None:
        statement = statement.where(Case.ladder_level == filters.ladder_level)
    if filters.reported_from:
        statement = statement.where(Case.reported_on >= filters.reported_from)
    if filters.reported_to:
        statement = statement.where(Case.reported_on <= filters.reported_to)
    if filters.mediator_id:
        statement = statement.where(Case.assigned_mediator_id == filters.mediator_id)
    tokens = search_tokens(filters.text)
    if tokens:
        statement = statement.where(search_clause(tokens))
        hidden = details_hidden_clause(user)
        if hidden is not None:
            # The names and narrative of a restricted case are not the user's to search:
            # such a case is found by its reference only.
            by_reference = sa.and_(
                *(sa.func.lower(Case.reference).contains(t, autoescape=True) for t in tokens)
            )
            statement = statement.where(sa.or_(sa.not_(hidden), by_reference))
    return statement


LIST_ORDER = (Case.reported_on.desc(), Case.id.desc())
CURSOR_KEYS = ("after", "before")


@dataclass(frozen=True)
class Cursor:
    """A place in the case list's order (reported on, newest first, then id): the pager's
    links carry it, so that the next page starts where this one ended (keyset pagination)
    instead of skipping every earlier row."""

    reported_on: date
    id: int

    def __str__(self) -> str:
        return f"{self.reported_on.isoformat()}.{self.id}"

    @classmethod
    def of(cls, case: Case) -> Cursor:
        return cls(case.reported_on, case.id)


def parse_cursor(text: str | None) -> Cursor | None:
    """``2025-03-02.81234``, or None for anything else (the page number is used then)."""
    if not text or len(text) > 40:
        return None
    day, _, ident = text.partition(".")
    try:
        cursor = Cursor(date.fromisoformat(day), int(ident))
    except ValueError:
        return None
    return cursor if 0 < cursor.id < 2**62 else None


def _key() -> sa.Tuple:
    return sa.tuple_(Case.reported_on, Case.id)


def case_page(
    statement: sa.Select,
    page: int,
    *,
    total: int | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> Page:
    """One page of the case list, in three lean queries whatever the page: the count and the
    page's ids read only indexes, then the 25 cases are loaded by id.

    The pager's links carry a cursor: with ``after`` (Next) the page's ids are the first ones
    past it in the list's order, with ``before`` (Previous) the last ones before it, so a deep
    page reached through the pager reads 25 index entries, as page 1 does. A page number alone
    (a typed or older link) skips the earlier rows with OFFSET, as before."""
    from flask import request

    page = min(max(page or 1, 1), MAX_PAGE)
    ids_only = statement.with_only_columns(Case.id)
    if total is None:
        total = _count(statement)
    pages = max(1, -(-total // PAGE_SIZE))
    ids: list[int] = []
    if after is not None and page > 1:
        ids = db.session.scalars(
            ids_only.where(_key() < sa.tuple_(after.reported_on, after.id))
            .order_by(*LIST_ORDER)
            .limit(PAGE_SIZE)
        ).all()
    elif before is not None and page > 1:
        ids = db.session.scalars(
            ids_only.where(_key() > sa.tuple_(before.reported_on, before.id))
            .order_by(Case.reported_on, Case.id)
            .limit(PAGE_SIZE)
        ).all()
        if len(ids) < PAGE_SIZE:  # the list changed since: start again from the top
            ids, page = [], 1
    if not ids:
        ids = db.session.scalars(
            ids_only.order_by(*LIST_ORDER).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
    rows = (
        db.session.scalars(
            sa.select(Case)
            .where(Case.id.in_(ids))
            .options(sa.orm.joinedload(Case.assigned_mediator))
            .order_by(*LIST_ORDER)
        )
        .unique()
        .all()
    )
    page = min(page, pages)
    args = {
        key: value
        for key, value in request.args.items()
        if key != "page" and key not in CURSOR_KEYS
    }
    return Page(
        rows,
        total,
        page,
        pages,
        args,
        after=str(Cursor.of(rows[-1])) if rows and page < pages else None,
        before=str(Cursor.of(rows[0])) if rows and page > 1 else None,
    )


SEARCH_IDS_MAX = 2000  # matches of a search read once as ids, below SQLite's 32 766 variables


def search_clause(tokens: list[str]) -> sa.ColumnElement[bool]:
    """Cases whose folded search text contains every token (already folded), through the
    search index: SQLite's FTS5 trigram table for words of three letters or more (shorter
    ones, and other databases, use LIKE, which PostgreSQL's trigram index serves)."""
    conditions = []
    indexed = [t for t in tokens if len(t) >= MIN_TRIGRAM]
    if db.engine.dialect.name == "sqlite" and indexed:
        fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column(FTS_TABLE))
        # Folded tokens hold only a-z, 0-9: quoting each makes it a literal substring.
        match = " AND ".join(f'"{token}"' for token in indexed)
        matches = sa.select(fts.c.rowid).where(fts.c[FTS_TABLE].op("MATCH")(match))
        # The list runs its condition three times (two counts and the page): the match is
        # read once here, and a usual search (a name: a few hundred cases at most) becomes
        # a list of ids that the primary key serves. Broad words keep the subquery.
        found = db.session.scalars(matches.limit(SEARCH_IDS_MAX + 1)).all()
        conditions.append(Case.id.in_(found if len(found) <= SEARCH_IDS_MAX else matches))
        tokens = [t for t in tokens if len(t) < MIN_TRIGRAM]
    conditions += [Case.search_text.contains(t, autoescape=True) for t in tokens]
    return sa.and_(*conditions)


def _follow_ups_due_query(user: User, within_days: int) -> sa.Select:
    """Visits not yet made, due within ``within_days`` or overdue, on the user's own cases (a
    coordinator's: every case of the area)."""
    statement = (
        sa.select(FollowUp)
        .join(Case, FollowUp.case_id == Case.id)
        .where(
            FollowUp.done_on.is_(None),
            FollowUp.due_on <= checks.today() + timedelta(days=within_days),
            Case.status.in_([S.ACCORD.value, S.SUIVI.value]),
            not_archived(),
            area_clause(user),
            confidentiality_clause(user),
        )
    )
    if user.role == Role.MEDIATOR.value:
        statement = statement.where(Case.assigned_mediator_id == user.id)
    return statement


def follow_ups_due(user: User, *, within_days: int = 7) -> list[FollowUp]:
    statement = _follow_ups_due_query(user, within_days)
    return list(
        db.session.scalars(
            statement.options(sa.orm.contains_eager(FollowUp.case)).order_by(FollowUp.due_on)
        )
    )


def count_follow_ups_due(user: User, *, within_days: int = 7) -> int:
    """The number of visits ``follow_ups_due`` would list, counted by the database."""
    statement = _follow_ups_due_query(user, within_days).with_only_columns(
        sa.func.count(FollowUp.id)
    )
    return db.session.scalar(statement) or 0


@vocab.register_usage_check
def vocabulary_usage(vocabulary: str, code: str) -> int:
    """How many case records use a term (shown on the vocabulary admin screen)."""
    columns = {
        "conflict_type": [Case.conflict_type],
        "scope": [Case.scope],
        "reporting_channel": [Case.channel],
        "outcome": [Case.outcome, Agreement.outcome],
        "livelihood": [Party.livelihood],
        "session_place": [MediationSession.place],
        "resolution_mechanism": [MediationSession.mechanism],
        "referral_target": [Referral.target],
        "actor_type": [Actor.actor_type],
    }.get(vocabulary, [])
    return sum(
        db.session.scalar(sa.select(sa.func.count()).where(column == code)) or 0
        for column in columns
    )


# --- archive, restore, purge ---------------------------------------------------------------


def archive_case(case: Case, reason: str | None, by: User) -> Case:
    """Take a case (and its records) out of the lists and of open work: read-only until it
    is restored, still counted in the reports. Nothing is deleted."""
    if not can_archive(by, case):
        raise CaseError(_l("Only a coordinator of the area or an administrator archives a case."))
    if case.archived_at is not None:
        raise CaseError(_l("This case is already archived."))
    reason = check_few_words(reason, _l("The reason for archiving"))
    case.archived_at = utcnow()
    case.archived_by_id = by.id
    case.archive_reason = reason
    db.session.flush()
    _audit_as(by, "archive", case, {"reason": reason})
    return case


def restore_case(case: Case, by: User) -> Case:
    """Bring an archived case back, as it was."""
    if not can_archive(by, case):
        raise CaseError(_l("Only a coordinator of the area or an administrator restores a case."))
    if case.archived_at is None:
        raise CaseError(_l("This case is not archived."))
    case.archived_at = None
    case.archived_by_id = None
    case.archive_reason = None
    db.session.flush()
    _audit_as(by, "restore", case, {})
    return case


@dataclass(frozen=True)
class PurgeResult:
    reference: str
    counts: dict[str, int]


# The session's marker of the purges flushed in this transaction, for the audit hook.


def purge_case(
    case: Case, reason: str | None, by: User, *, confirmation: str | None
) -> PurgeResult:
    """Remove an archived case and every record of it from the database: the one exception
    to "nothing is deleted" (data entered in error, a legal order). Administrators only,
    with a reason and the case's reference typed again to confirm."""
    if not can_purge(by):
        raise CaseError(_l("Only an administrator purges a case."))
    if case.archived_at is None:
        raise CaseError(_l("Only an archived case can be purged: archive it first."))
    reason = check_few_words(reason, _l("The reason for the purge"))
    if (confirmation or "").strip().upper() != case.reference.upper():
        raise CaseError(
            _l("Type the reference %(reference)s to confirm the purge.", reference=case.reference)
        )
    reference, case_id = case.reference, case.id
    db.session.flush()
    execute = db.session.execute
    sessions = list(
        db.session.scalars(
            sa.select(MediationSession.id).where(MediationSession.case_id == case_id)
        )
    )
    agreements = list(
        db.session.scalars(sa.select(Agreement.id).where(Agreement.case_id == case_id))
    )
    parties = list(db.session.scalars(sa.select(Party.id).where(Party.case_id == case_id)))

    def delete(statement) -> int:
        return execute(statement, execution_options={"synchronize_session": False}).rowcount

    counts = {}
    # Children first, in foreign-key order; then the links other records hold to the case.
    counts["session_mediators"] = delete(
        session_actors.delete().where(session_actors.c.session_id.in_(sessions))
    )
    counts["private_notes"] = delete(
        sa.delete(SessionNote).where(
            sa.or_(SessionNote.session_id.in_(sessions), SessionNote.party_id.in_(parties))
        )
    )
    counts["agreement_terms"] = delete(
        sa.delete(AgreementTerm).where(AgreementTerm.agreement_id.in_(agreements))
    )
    counts["follow_ups"] = delete(sa.delete(FollowUp).where(FollowUp.case_id == case_id))
    counts["agreements"] = delete(sa.delete(Agreement).where(Agreement.case_id == case_id))
    counts["sessions"] = delete(
        sa.delete(MediationSession).where(MediationSession.case_id == case_id)
    )
    counts["referrals"] = delete(sa.delete(Referral).where(Referral.case_id == case_id))
    counts["events"] = delete(sa.delete(CaseEvent).where(CaseEvent.case_id == case_id))
    counts["revisions"] = delete(sa.delete(CaseRevision).where(CaseRevision.case_id == case_id))
    counts["parties"] = delete(sa.delete(Party).where(Party.case_id == case_id))
    # What other domains hold of the case (policing: activity links, alerts), cut by them.
    counts.update(signals.gathered(signals.case_purging.send(case_id)))
    # Other cases and alerts keep existing; only their link to the purged case goes.
    links = execute(
        sa.update(CaseEvent)
        .where(CaseEvent.linked_case_id == case_id)
        .values(linked_case_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    for column in (Case.recurrence_of_id, Case.civil_case_of_id):
        links += execute(
            sa.update(Case)
            .where(column == case_id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        ).rowcount
    counts["links_cut"] = links
    counts["cases"] = delete(sa.delete(Case).where(Case.id == case_id))
    _forget_purged(case_id, sessions, agreements, parties)
    # The one entry that says the case existed and why it went: reference, reason, who,
    # and what was removed (no party name, no content).
    _audit_as(
        by,
        "purge",
        None,
        {"reference": reference, "reason": reason, **counts},
        object_type="cases",
        object_id=case_id,
        case_id=case_id,
    )
    return PurgeResult(reference, counts)


# The records that hold a case_id of their own and go with the case.
CASE_RECORDS = (Party, MediationSession, Agreement, Referral, FollowUp, CaseEvent, CaseRevision)


def _forget_purged(case_id: int, sessions, agreements, parties) -> None:
    """Drop the purged rows' objects from the session (they must never be flushed again) and
    expire the others, whose links to the case were cut in the database."""
    owners = {
        SessionNote: ("session_id", set(sessions)),
        AgreementTerm: ("agreement_id", set(agreements)),
    }
    for obj in list(db.session.identity_map.values()):
        values = sa.inspect(obj).dict
        if isinstance(obj, Case):
            purged = values.get("id") == case_id
        elif type(obj) in owners:
            name, ids = owners[type(obj)]
            purged = values.get(name) in ids or values.get("party_id") in set(parties)
        else:
            purged = isinstance(obj, CASE_RECORDS) and values.get("case_id") == case_id
        if purged:
            db.session.expunge(obj)
    db.session.expire_all()


# --- the registry of mediators and authorities ----------------------------------------------


@dataclass
class ActorData:
    actor_type: str | None
    name: str
    function: str | None = None
    organisation: str | None = None
    sex: str = Sex.UNKNOWN.value
    unit_id: int | None = None
    trained: bool = False


def _check_actor(data: ActorData, by: User, actor: Actor | None = None) -> None:
    vocab.check_code(
        "actor_type",
        data.actor_type,
        _l("The type of actor"),
        current=actor.actor_type if actor else None,
    )
    data.name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    data.function = checks.optional_text(data.function, _l("The function"), NAME_MAX)
    data.organisation = checks.optional_text(data.organisation, _l("The organisation"), NAME_MAX)
    checks.check_choice(Sex, data.sex, _l("Sex"))
    unit = db.session.get(AdminUnit, data.unit_id) if data.unit_id else None
    if data.unit_id and unit is None:
        raise CaseError(_l("Choose the place of the case."))
    if unit is not None and not in_area(by, unit):
        raise CaseError(_l("This place is outside your area."))


def save_actor(data: ActorData, by: User, actor: Actor | None = None) -> Actor:
    """Add a mediator or an authority to the registry, or correct one."""
    _check_actor(data, by, actor)
    if actor is None:
        actor = Actor()
        db.session.add(actor)
    actor.actor_type = data.actor_type
    actor.name = data.name
    actor.name_search = fold(data.name)
    actor.function = data.function
    actor.organisation = data.organisation
    actor.sex = data.sex
    actor.unit_id = data.unit_id
    actor.trained = bool(data.trained)
    db.session.flush()
    return actor


def set_actor_active(actor: Actor, active: bool) -> Actor:
    """Actors leave the registry's choices but stay on the sessions they attended."""
    actor.is_active = active
    db.session.flush()
    return actor


def _audit_as(by: User, action: str, obj, details: dict, **where) -> None:
    """An audit entry for an act the field-level trail would not name (archive, restore,
    purge, emergency override), written by ``by`` in the current transaction. The reasons
    are justifications for the auditor, kept in full."""
    actor = audit.Actor(by.id, by.username, audit.current_actor().address)
    audit.record(action, obj=obj, details=details, actor=actor, later=False, **where)
