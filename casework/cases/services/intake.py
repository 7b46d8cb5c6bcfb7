"""Registering a case and its parties: references, the checks of a case's fields, the
confidentiality given at registration, parties and their consent, revisions."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from casework.auth.models import User
from casework.cases.access import GBV_TYPE, handles_gbv, in_area
from casework.cases.enums import AgeBand, Confidentiality, EventKind, PartyKind, PartyRole, Sex
from casework.cases.fields import EDITABLE_FIELDS, CaseData, check_case_fields, snapshot
from casework.cases.models import (
    NAME_MAX,
    SHORT_TEXT_MAX,
    Case,
    CaseCounter,
    CaseRevision,
    Party,
)
from casework.cases.services.base import CaseError, S, _event, _require_open
from casework.cases.services.places import check_party_fraction
from casework.cases.states import HIGHEST_MEDIATION_LEVEL, LadderLevel
from casework.core import checks
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _l, writing_language
from casework.roles import Role
from casework.text import fold
from casework.vocab import services as vocab

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
    is_survivor: bool = False  # of gender-based violence: their consent governs (issue 15)
    fraction_id: int | None = None  # a fraction of the registry


def _check_case_data(data: CaseData, by: User, case: Case | None = None) -> AdminUnit:
    unit = db.session.get(AdminUnit, data.unit_id) if data.unit_id else None
    if unit is None:
        raise CaseError(_l("Choose the place of the case."))
    if not in_area(by, unit):
        raise CaseError(_l("This place is outside your area."))
    check_case_fields(data, current=case)
    if not unit.is_valid_on(data.event_date):
        raise CaseError(_l("This place did not exist at the date of the events."))
    if data.narrative and data.narrative_lang not in current_app.config["LANGUAGES"]:
        raise CaseError(_l("Say in which language the narrative is written."))
    if not data.narrative:
        data.narrative_lang = None
    _check_entry(data, case)
    if data.assigned_mediator_id is not None:
        mediator = db.session.get(User, data.assigned_mediator_id)
        if mediator is None or not mediator.is_active or not in_area(mediator, unit):
            raise CaseError(_l("The assigned mediator must be active and work in this area."))
    return unit


# The reporting channel of a case sent by a court or the administration: it names the
# sending institution.
INSTITUTION_CHANNEL = "INSTITUTION"


def _check_entry(data: CaseData, case: Case | None = None) -> None:
    """The entry level: 0 (the parties) by default; above it, the mediator says why (an edit
    that keeps the level of a case migrated without a reason is not refused). A case sent by
    a court or the administration names the institution."""
    if data.entry_level is None:
        data.entry_level = LadderLevel.PARTIES.value
    if data.entry_level not in range(HIGHEST_MEDIATION_LEVEL + 1):
        raise CaseError(_l("Choose the level of the ladder at which the case enters."))
    reason = checks.optional_text(
        data.entry_level_reason, _l("The reason for the entry level"), SHORT_TEXT_MAX
    )
    unchanged = case is not None and case.entry_level == data.entry_level
    if data.entry_level > LadderLevel.PARTIES and not reason and not unchanged:
        raise CaseError(_l("Say why the case enters above level 0."))
    data.entry_level_reason = reason if data.entry_level > LadderLevel.PARTIES else None
    data.sending_institution = checks.optional_text(
        data.sending_institution, _l("The sending institution"), NAME_MAX
    )
    if data.channel == INSTITUTION_CHANNEL and not data.sending_institution:
        raise CaseError(_l("Name the court or the administration that sent the case."))


def require_gbv_training(conflict_type: str | None, by: User) -> None:
    """Only a user trained for gender-based violence cases (or an administrator) records one:
    nobody else may open it afterwards (issue 15)."""
    if conflict_type == GBV_TYPE and not handles_gbv(by):
        raise CaseError(
            _l(
                "Only staff trained for gender-based violence cases record one. Hand the "
                "survivor over to a trained colleague or to your coordinator."
            )
        )


def _registration_level(data: CaseData, by: User) -> None:
    """A gender-based violence case is secret, whatever was chosen (issue 12), and only a
    trained user registers it (issue 15); a mediator who registers a restricted or secret
    case with nobody assigned is assigned, not locked out of it."""
    require_gbv_training(data.conflict_type, by)
    if data.conflict_type == GBV_TYPE:
        data.confidentiality = Confidentiality.SECRET.value
    if (
        data.assigned_mediator_id is None
        and data.confidentiality != Confidentiality.STANDARD.value
        and by.role == Role.MEDIATOR.value
    ):
        data.assigned_mediator_id = by.id


def _check_party(data: PartyData, current: Party | None = None) -> None:
    checks.check_choice(PartyRole, data.role, _l("The party's role"))
    checks.check_choice(PartyKind, data.kind, _l("The kind of party"))
    checks.check_choice(Sex, data.sex, _l("Sex"))
    checks.check_choice(AgeBand, data.age_band, _l("Age band"))
    data.name = checks.check_text(data.name, _l("The party's name"), NAME_MAX, required=True)
    data.community = checks.optional_text(data.community, _l("Community or fraction"), NAME_MAX)
    vocab.check_code("livelihood", data.livelihood, _l("Livelihood"), required=False)
    check_party_fraction(data.fraction_id, current.fraction_id if current else None)


def region_of(unit: AdminUnit) -> AdminUnit:
    return unit.region


def commune_of(unit: AdminUnit) -> AdminUnit:
    """The commune a unit lies in (itself when it is one; the unit when it is higher)."""
    for ancestor in unit.ancestry:
        if ancestor.kind == UnitKind.COMMUNE.value:
            return ancestor
    return unit


def refresh_search_text(case: Case) -> None:
    parts = [case.reference, case.title, case.title_translation or "", case.narrative]
    parts.append(case.narrative_translation or "")
    parts += [unit.name for unit in case.unit.ancestry] if case.unit else []
    parts += [party.name for party in case.parties]
    case.search_text = fold(" ".join(p for p in parts if p))


def _save_revision(case: Case, by: User, kind: str = "saved", data: dict | None = None):
    revision = CaseRevision(
        case_id=case.id,
        version=case.version,
        kind=kind,
        data=data or snapshot(case),
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
    external_ref: str | None = None,
) -> Case:
    """Record a reported dispute with its parties; it starts as "reported". ``external_ref``:
    its reference in the register it was imported from (``casework.integrations``)."""
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
        ladder_level=data.entry_level,
        created_by_id=by.id,
        recurrence_of_id=recurrence_of.id if recurrence_of else None,
        civil_case_of_id=civil_case_of.id if civil_case_of else None,
        **{name: getattr(data, name) for name in EDITABLE_FIELDS},
        site_id=data.site_id,
        external_ref=external_ref,
    )
    case.unit = unit
    # The title is written in the narrative's language, or in the writer's own.
    case.title_lang = data.narrative_lang or writing_language()
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
        is_survivor=bool(data.is_survivor),
        fraction_id=data.fraction_id,
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
    _check_party(data, party)
    for name in (
        "role",
        "kind",
        "name",
        "sex",
        "age_band",
        "livelihood",
        "community",
        "is_survivor",
        "fraction_id",
    ):
        setattr(party, name, getattr(data, name))
    _set_consent(party, data.consent_to_share, by)
    party.livelihood = party.livelihood or None
    party.name_search = fold(party.name)
    refresh_search_text(party.case)
    _event(party.case, EventKind.EDITED, by)
    db.session.flush()
    return party
