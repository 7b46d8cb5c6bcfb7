"""Mediation cases and their records: parties, actors, sessions, agreements, referrals,
follow-ups, the event history and the saved versions of a case."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.cases import search_index
from casework.cases.enums import (
    AgeBand,
    AgreementForm,
    Compliance,
    Confidentiality,
    EventKind,
    NotificationMeans,
    PartyKind,
    PartyRole,
    PlaceRole,
    SessionResult,
    Sex,
    Species,
    TermKind,
    TermStatus,
)
from casework.cases.states import CaseStatus, LadderLevel
from casework.db import UTCDateTime, not_negative, one_of, utcnow
from casework.extensions import db

EXTERNAL_REF_MAX = 60
TITLE_MAX = 200
NARRATIVE_MAX = 20_000
NAME_MAX = 160
SHORT_TEXT_MAX = 2_000


class CaseCounter(db.Model):
    """The last reference number per region and year (GAO-2026-0042)."""

    __tablename__ = "case_counters"

    region_code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(sa.Integer, default=0)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        one_of("status", [s.value for s in CaseStatus]),
        one_of("confidentiality", Confidentiality.values()),
        sa.CheckConstraint("ladder_level BETWEEN 0 AND 5", name="ladder_level_range"),
        sa.CheckConstraint("entry_level BETWEEN 0 AND 5", name="entry_level_range"),
        sa.CheckConstraint("reported_on >= event_date", name="reported_after_event"),
        sa.CheckConstraint(
            "(status = 'SUSPENDU') = (suspended_from IS NOT NULL)", name="suspension_consistent"
        ),
        sa.CheckConstraint(
            "narrative_lang IS NULL OR narrative_lang IN ('fr', 'en')", name="narrative_lang_known"
        ),
        *not_negative(
            "persons_affected",
            "deaths",
            "injuries_serious",
            "injuries_minor",
            "damage_fcfa",
            "livestock_heads",
        ),
        # With the id on PostgreSQL (SQLite keeps it in every index): the dashboard's and the
        # follow-ups' ids of an area's cases by status, of the gender-based violence cases,
        # read from the index alone (migration 20261204_z).
        sa.Index("ix_cases_unit_id_status", "unit_id", "status", postgresql_include=["id"]),
        sa.Index("ix_cases_status_reported_on", "status", "reported_on"),
        sa.Index("ix_cases_conflict_type", "conflict_type", postgresql_include=["id"]),
        # A register's own reference: importing the same spreadsheet twice adds nothing.
        sa.Index("ix_cases_external_ref", "external_ref", unique=True),
        sa.Index("ix_cases_assigned_mediator_id", "assigned_mediator_id"),
        # The list: ordered by report date (the id, SQLite's rowid, breaks ties), within an
        # area, and narrowed by type and status (see docs/performance.md).
        sa.Index("ix_cases_reported_on", "reported_on"),
        sa.Index("ix_cases_unit_id_reported_on", "unit_id", "reported_on"),
        # The duplicate check at registration: a commune's most recent cases of a window,
        # read from the index alone (the id too, for PostgreSQL's index-only scan).
        sa.Index("ix_cases_unit_id_event_date", "unit_id", "event_date", "id"),
        # The report's and the dashboard's closures within an area (migration 0011), with
        # the triage rule's columns and the report date: the report's closed cases are read
        # from the index alone.
        sa.Index(
            "ix_cases_unit_id_closed_on_status",
            "unit_id",
            "closed_on",
            "status",
            "conflict_type",
            "deaths",
            "injuries_serious",
            "reported_on",
        ),
        # The report's counts over an area's cases (carried over, opened, closed), read
        # from this index alone.
        sa.Index(
            "ix_cases_unit_id_reported_on_counts",
            "unit_id",
            "reported_on",
            "conflict_type",
            "status",
            "closed_on",
            # the triage rule (casework/cases/triage.py) reads them with the type
            "deaths",
            "injuries_serious",
        ),
        # The report's records of a period (sessions, agreements…) checked against their
        # case's area and type without reading the case's wide row.
        sa.Index(
            "ix_cases_id_unit_id_conflict_type_reported_on",
            "id",
            "unit_id",
            "conflict_type",
            "reported_on",
            # the triage rule (casework/cases/triage.py) reads them with the type
            "deaths",
            "injuries_serious",
        ),
        sa.Index(
            "ix_cases_unit_id_conflict_type_status_reported_on",
            "unit_id",
            "conflict_type",
            "status",
            "reported_on",
            # the triage rule (casework/cases/triage.py) reads them with the type
            "deaths",
            "injuries_serious",
        ),
        # Linked cases on the case page. Partial: nearly every row is NULL, and a full index
        # whose statistics say "one value" is ignored by SQLite's planner after ANALYZE.
        sa.Index(
            "ix_cases_recurrence_of_id",
            "recurrence_of_id",
            sqlite_where=sa.text("recurrence_of_id IS NOT NULL"),
            postgresql_where=sa.text("recurrence_of_id IS NOT NULL"),
        ),
        # The cases that owe a visit or a term (casework/cases/due.py), by area and the
        # earliest date owed, with what "Follow-ups due" checks on each (issue 19, 20261205_d).
        sa.Index(
            "ix_cases_unit_id_next_due_on",
            "unit_id",
            "next_due_on",
            "status",
            "conflict_type",
            sqlite_where=sa.text("next_due_on IS NOT NULL"),
            postgresql_where=sa.text("next_due_on IS NOT NULL"),
            postgresql_include=["id"],
        ),
        # Archived cases: a few among many; the lists leave them out by id (see
        # services.archived_case_ids), which keeps their counts on the indexes above.
        sa.Index(
            "ix_cases_archived_at",
            "archived_at",
            sqlite_where=sa.text("archived_at IS NOT NULL"),
            postgresql_where=sa.text("archived_at IS NOT NULL"),
        ),
        # Secret cases: a few among many; the lists leave out those a user may not see by id
        # (see access.confidentiality_clause), as they leave out archived ones (issue 12).
        sa.Index(
            "ix_cases_secret",
            "id",
            "assigned_mediator_id",
            sqlite_where=sa.text("confidentiality = 'secret'"),
            postgresql_where=sa.text("confidentiality = 'secret'"),
        ),
        sa.Index(
            "ix_cases_civil_case_of_id",
            "civil_case_of_id",
            sqlite_where=sa.text("civil_case_of_id IS NOT NULL"),
            postgresql_where=sa.text("civil_case_of_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"))
    event_date: Mapped[date] = mapped_column(sa.Date)
    reported_on: Mapped[date] = mapped_column(sa.Date)
    channel: Mapped[str] = mapped_column(sa.String(40))  # vocabulary reporting_channel
    conflict_type: Mapped[str] = mapped_column(sa.String(40))  # vocabulary conflict_type
    scope: Mapped[str] = mapped_column(sa.String(40))  # vocabulary scope
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    # The language the title is written in, and its translation into the other language
    # (shown to readers of that language, like the narrative's).
    title_lang: Mapped[str | None] = mapped_column(sa.String(8))
    title_translation: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX))
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    narrative_lang: Mapped[str | None] = mapped_column(sa.String(8))
    narrative_translation: Mapped[str | None] = mapped_column(sa.Text)
    translated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    translated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    persons_affected: Mapped[int | None] = mapped_column(sa.Integer)
    deaths: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    injuries_serious: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    injuries_minor: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    damage_text: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    damage_fcfa: Mapped[int | None] = mapped_column(sa.BigInteger)
    livestock_heads: Mapped[int | None] = mapped_column(sa.Integer)
    # The ECOWAS international transhumance certificate of a herd that crossed a border.
    transhumance_certificate: Mapped[str | None] = mapped_column(sa.String(40))
    # The reference of the case in the register it was imported from (casework.integrations).
    external_ref: Mapped[str | None] = mapped_column(sa.String(EXTERNAL_REF_MAX))
    # The case's level: the highest reached by its sessions and escalations, lowered only by
    # a return (a court sends the matter back to the cadi).
    # A cross-border case: the other country (vocabulary country, ISO 3166 codes).
    other_country: Mapped[str | None] = mapped_column(sa.String(40))
    ladder_level: Mapped[int] = mapped_column(sa.Integer, default=LadderLevel.PARTIES)
    # Where the case entered the ladder, and why when above the parties themselves.
    entry_level: Mapped[int] = mapped_column(
        sa.Integer, default=LadderLevel.PARTIES, server_default="0"
    )
    entry_level_reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    # The court or administration that sent the case (channel "received from a court or the
    # administration").
    sending_institution: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    status: Mapped[str] = mapped_column(sa.String(24), default=CaseStatus.SIGNALE.value)
    suspended_from: Mapped[str | None] = mapped_column(sa.String(24))
    confidentiality: Mapped[str] = mapped_column(
        sa.String(12), default=Confidentiality.STANDARD.value
    )
    outcome: Mapped[str | None] = mapped_column(sa.String(40))  # vocabulary outcome, at closure
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    # The earliest visit or term owed, kept by casework/cases/due.py (NULL: nothing owed).
    next_due_on: Mapped[date | None] = mapped_column(sa.Date)
    assigned_mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recurrence_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    # A civil case (compensation between families) opened beside a case that was referred.
    civil_case_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    # Folded reference, title, narrative, place and party names: accent- and case-blind search.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(sa.Integer, default=1)
    # Set when the personal data of a closed case was removed (casework anonymise).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Archived: out of the lists and counts of open work, read-only, still in the reports.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    archive_reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))

    __mapper_args__ = {"version_id_col": version}

    unit = relationship("AdminUnit", lazy="joined", innerjoin=True)
    site = relationship("Site")
    assigned_mediator = relationship("User", foreign_keys=[assigned_mediator_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    translated_by = relationship("User", foreign_keys=[translated_by_id])
    archived_by = relationship("User", foreign_keys=[archived_by_id])
    recurrence_of: Mapped[Case | None] = relationship(
        remote_side=[id], foreign_keys=[recurrence_of_id]
    )
    civil_case_of: Mapped[Case | None] = relationship(
        remote_side=[id], foreign_keys=[civil_case_of_id]
    )
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.id", cascade="save-update, merge"
    )
    # The other places of the case (the incident's place is ``unit``).
    places: Mapped[list[CasePlace]] = relationship(
        back_populates="case", order_by="CasePlace.id", cascade="save-update, merge"
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.status}>"

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @property
    def level_enum(self) -> LadderLevel:
        return LadderLevel(self.ladder_level)

    @property
    def entry_level_enum(self) -> LadderLevel:
        return LadderLevel(self.entry_level or 0)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# The search index (FTS5 or pg_trgm) is created and dropped with the table.
search_index.install(Case.__table__)


class Party(db.Model):
    __tablename__ = "parties"
    __table_args__ = (
        one_of("role", PartyRole.values()),
        one_of("kind", PartyKind.values()),
        one_of("sex", Sex.values()),
        one_of("age_band", AgeBand.values()),
        # A case's parties, with the sex and age band the report counts (migration 0011).
        sa.Index("ix_parties_case_id_sex_age_band", "case_id", "sex", "age_band"),
        sa.Index("ix_parties_name_search", "name_search"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    role: Mapped[str] = mapped_column(sa.String(12))
    kind: Mapped[str] = mapped_column(sa.String(12), default=PartyKind.INDIVIDUAL.value)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))  # sensitive
    name_search: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    sex: Mapped[str] = mapped_column(sa.String(1), default=Sex.UNKNOWN.value)
    age_band: Mapped[str] = mapped_column(sa.String(8), default=AgeBand.UNKNOWN.value)
    livelihood: Mapped[str | None] = mapped_column(sa.String(40))  # vocabulary livelihood
    community: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))  # restricted
    # The party's fraction in the registry (restricted, as the community is).
    fraction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fractions.id"))
    # Consent to share the case with the authorities (justice, security forces). True is yes;
    # False is no once an answer was recorded (consent_recorded_at), else "not asked yet".
    consent_to_share: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The survivor of gender-based violence: their consent governs referrals (issue 15).
    is_survivor: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="parties")
    consent_recorded_by = relationship("User", foreign_keys=[consent_recorded_by_id])
    fraction: Mapped[Fraction | None] = relationship()

    @property
    def consent(self) -> bool | None:
        """The party's answer: True (consents), False (refuses) or None (not asked yet)."""
        if self.consent_to_share:
            return True
        return None if self.consent_recorded_at is None else False


class Actor(db.Model):
    """A mediator or an authority, in a registry shared by every case."""

    __tablename__ = "actors"
    __table_args__ = (one_of("sex", Sex.values()),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_type: Mapped[str] = mapped_column(sa.String(40))  # vocabulary actor_type
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    name_search: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    function: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    organisation: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    sex: Mapped[str] = mapped_column(sa.String(1), default=Sex.UNKNOWN.value)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    trained: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("AdminUnit")


session_actors = sa.Table(
    "session_actors",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("mediation_sessions.id"), primary_key=True),
    sa.Column("actor_id", sa.ForeignKey("actors.id"), primary_key=True),
)


# What the report reads of the period's sessions, in the order of its indexes.
_SESSIONS_OF_PERIOD = ("held_on", "case_id", "mechanism", "women", "men", "youth")


class MediationSession(db.Model):
    __tablename__ = "mediation_sessions"
    __table_args__ = (
        one_of("result", SessionResult.values()),
        sa.CheckConstraint("ladder_level BETWEEN 0 AND 5", name="ladder_level_range"),
        *not_negative("women", "men", "youth"),
        sa.Index("ix_mediation_sessions_case_id_held_on", "case_id", "held_on"),
        # The report's period, read from the index alone (migration 0011), and the same
        # for one area's rows (issue 19).
        sa.Index("ix_mediation_sessions_held_on", *_SESSIONS_OF_PERIOD),
        sa.Index("ix_mediation_sessions_unit_id_held_on", "unit_id", *_SESSIONS_OF_PERIOD),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    # The case's unit, copied (casework.cases.row_units keeps it when the case moves): the
    # report reads the area's rows of the period from an index on it and the date.
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(40))  # vocabulary session_place
    mechanism: Mapped[str] = mapped_column(sa.String(40))  # vocabulary resolution_mechanism
    # Derived from the actors present and the mechanism (casework.cases.levels); a user who
    # sets another level gives the reason, kept here.
    ladder_level: Mapped[int] = mapped_column(sa.Integer)
    level_reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    women: Mapped[int] = mapped_column(sa.Integer, default=0)
    men: Mapped[int] = mapped_column(sa.Integer, default=0)
    youth: Mapped[int] = mapped_column(sa.Integer, default=0)  # under 35, among the above
    minutes: Mapped[str] = mapped_column(sa.Text, default="")
    minutes_lang: Mapped[str | None] = mapped_column(sa.String(8))
    minutes_translation: Mapped[str | None] = mapped_column(sa.Text)
    translated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    translated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(sa.String(12))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    translated_by = relationship("User", foreign_keys=[translated_by_id])
    actors: Mapped[list[Actor]] = relationship(secondary=session_actors, order_by=Actor.name)
    notes: Mapped[list[SessionNote]] = relationship(back_populates="session")

    @property
    def level_enum(self) -> LadderLevel:
        return LadderLevel(self.ladder_level)


class SessionNote(db.Model):
    """A mediator's private note about one party at one session."""

    __tablename__ = "session_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation_sessions.id"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"))
    note: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[MediationSession] = relationship(back_populates="notes")
    party: Mapped[Party] = relationship()


class Agreement(db.Model):
    __tablename__ = "agreements"
    __table_args__ = (
        one_of("form", AgreementForm.values()),
        *not_negative("compensation_fcfa", "livestock_heads"),
        sa.Index("ix_agreements_case_id", "case_id"),
        sa.Index("ix_agreements_concluded_on", "concluded_on"),  # the report's period
        sa.Index("ix_agreements_unit_id_concluded_on", "unit_id", "concluded_on"),
        # The agreements found breached (the report's recurrence asks it of every case
        # settled in a year).
        sa.Index(
            "ix_agreements_breached",
            "case_id",
            "breached_on",
            sqlite_where=sa.text("breached_on IS NOT NULL"),
            postgresql_where=sa.text("breached_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    # The case's unit, copied (casework.cases.row_units keeps it when the case moves): the
    # report reads the area's rows of the period from an index on it and the date.
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mediation_sessions.id"))
    concluded_on: Mapped[date] = mapped_column(sa.Date)
    form: Mapped[str] = mapped_column(sa.String(12))
    outcome: Mapped[str] = mapped_column(sa.String(40))  # vocabulary outcome: full or partial
    compensation_fcfa: Mapped[int | None] = mapped_column(sa.BigInteger)
    livestock_heads: Mapped[int | None] = mapped_column(sa.Integer)
    diya: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    restitution: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    signatories: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    witnesses: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A breach (a term marked breached, or a visit finding "not respected"): when and why.
    breached_on: Mapped[date | None] = mapped_column(sa.Date)
    breach_reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))

    case: Mapped[Case] = relationship()
    terms: Mapped[list[AgreementTerm]] = relationship(
        back_populates="agreement", order_by="AgreementTerm.id"
    )


# The columns of the terms that owe an amount that the report's compensation reads (its two
# partial indexes, of every term and of one area's).
_OWING = ("status", "status_on", "agreement_id", "kind", "species", "unpaid")
_WITH_AMOUNT = {
    "sqlite_where": sa.text("amount IS NOT NULL"),
    "postgresql_where": sa.text("amount IS NOT NULL"),
}


class AgreementTerm(db.Model):
    """One obligation of an agreement: who owes what by when, and how far it is met."""

    __tablename__ = "agreement_terms"
    __table_args__ = (
        one_of("kind", TermKind.values()),
        one_of("status", TermStatus.stored()),
        *not_negative("amount"),
        sa.CheckConstraint(
            sa.or_(sa.column("species").is_(None), sa.column("species").in_(Species.values())),
            name="species_known",
        ),
        sa.CheckConstraint(
            "(kind = 'livestock') = (species IS NOT NULL)", name="species_for_livestock"
        ),
        # Terms by deadline: the follow-ups-due list (not yet met) and the report's period.
        sa.Index("ix_agreement_terms_due_on_status", "due_on", "status"),
        sa.Index("ix_agreement_terms_unit_id_due_on", "unit_id", "due_on", "status"),
        # An agreement's terms owed by date: the follow-ups' and dashboard's terms due of the
        # cases that owe something, read from the index alone (20261205_d).
        sa.Index(
            "ix_agreement_terms_agreement_id_status_due_on",
            "agreement_id",
            "status",
            "due_on",
            postgresql_include=["id"],
        ),
        # The terms that owe an amount, by status and date: the report's compensation
        # outstanding reads the terms not done, and those done after the period, from here
        # (what it needs is in the index), not every term of every agreement.
        sa.Index("ix_agreement_terms_amount_status", *_OWING, **_WITH_AMOUNT),
        # The same for one area: its terms still owing (not done, or done after the
        # period) without reading the other regions' (issue 19).
        sa.Index("ix_agreement_terms_unit_id_amount_status", "unit_id", *_OWING, **_WITH_AMOUNT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id"), index=True)
    # The case's unit, copied (casework.cases.row_units keeps it when the case moves): the
    # report reads the area's rows of the period from an index on it and the date.
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)
    description: Mapped[str] = mapped_column(sa.String(SHORT_TEXT_MAX))
    obliged_party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(
        sa.String(16), default=TermKind.ACTION.value, server_default=TermKind.ACTION.value
    )
    species: Mapped[str | None] = mapped_column(sa.String(16))
    # FCFA for cash and diya, heads for livestock; none for an action or a restitution.
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The amount minus the instalments paid towards it (none without an amount), whatever
    # the status: kept by ``count_unpaid`` whenever the amount or the instalments change, so
    # that the report's compensation outstanding reads one column, not every instalment.
    unpaid: Mapped[int | None] = mapped_column(sa.BigInteger)
    status: Mapped[str] = mapped_column(
        sa.String(16), default=TermStatus.PENDING.value, server_default=TermStatus.PENDING.value
    )
    status_on: Mapped[date | None] = mapped_column(sa.Date)  # when done or breached
    status_note: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))

    agreement: Mapped[Agreement] = relationship(back_populates="terms")
    obliged_party: Mapped[Party | None] = relationship()
    instalments: Mapped[list[TermInstalment]] = relationship(
        back_populates="term", order_by="TermInstalment.paid_on, TermInstalment.id"
    )

    @property
    def kind_enum(self) -> TermKind:
        return TermKind(self.kind)

    @property
    def paid(self) -> int:
        return sum(instalment.amount_paid for instalment in self.instalments)

    @property
    def outstanding(self) -> int | None:
        return None if self.amount is None else max(self.amount - self.paid, 0)

    def count_unpaid(self) -> None:
        """Bring ``unpaid`` in step with the amount and the instalments (the services call
        it when they set either)."""
        self.unpaid = None if self.amount is None else self.amount - self.paid

    def status_at(self, on: date) -> TermStatus:
        """The stored status, or ``late`` when the deadline passed before ``on`` and the
        term is not met (late is derived, never stored: it needs no nightly job)."""
        status = TermStatus(self.status)
        if (
            status in (TermStatus.PENDING, TermStatus.PARTLY_DONE)
            and self.due_on is not None
            and self.due_on < on
        ):
            return TermStatus.LATE
        return status


class TermInstalment(db.Model):
    """A payment towards a term: cash in FCFA or livestock in heads, as the term owes."""

    __tablename__ = "term_instalments"
    __table_args__ = (
        *not_negative("amount_due"),
        sa.CheckConstraint("amount_paid > 0", name="amount_paid_positive"),
        sa.Index("ix_term_instalments_term_id", "term_id"),
        # The report's compensation paid in the period, and after it (outstanding at its end).
        sa.Index("ix_term_instalments_paid_on", "paid_on", "term_id", "amount_paid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_terms.id"))
    amount_due: Mapped[int | None] = mapped_column(sa.BigInteger)
    amount_paid: Mapped[int] = mapped_column(sa.BigInteger)
    paid_on: Mapped[date] = mapped_column(sa.Date)
    received_by: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    term: Mapped[AgreementTerm] = relationship(back_populates="instalments")


class Referral(db.Model):
    """A hand-off from one institution to another, up to the state or back to the chief."""

    __tablename__ = "referrals"
    __table_args__ = (
        sa.CheckConstraint("from_level BETWEEN 0 AND 5", name="from_level_range"),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('sent_back', 'settled', 'not_settled')",
            name="result_known",
        ),
        sa.CheckConstraint(
            "(emergency_override = (override_reason IS NOT NULL)) "
            "AND (emergency_override = (override_by_id IS NOT NULL))",
            name="override_has_reason",
        ),
        sa.Index("ix_referrals_case_id", "case_id"),
        sa.Index("ix_referrals_target", "target"),
        sa.Index("ix_referrals_referred_on", "referred_on"),  # the report's period
        sa.Index("ix_referrals_unit_id_referred_on", "unit_id", "referred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    # The case's unit, copied (casework.cases.row_units keeps it when the case moves): the
    # report reads the area's rows of the period from an index on it and the date.
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)
    referred_on: Mapped[date] = mapped_column(sa.Date)
    from_level: Mapped[int] = mapped_column(sa.Integer)
    from_institution: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    target: Mapped[str] = mapped_column(sa.String(40))  # vocabulary referral_target
    reason: Mapped[str] = mapped_column(sa.String(SHORT_TEXT_MAX))
    # A judge sending a matter back to a cadi or chief (seen in Kidal).
    is_reverse: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    # The formal track: a referral to justice or the security forces while the families go on
    # settling the civil aspects in this case (the case stays in mediation).
    parallel: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    # What the institution did (FeedbackResult): the outcome of the formal track.
    result: Mapped[str | None] = mapped_column(sa.String(16))
    acknowledged_on: Mapped[date | None] = mapped_column(sa.Date)
    feedback_on: Mapped[date | None] = mapped_column(sa.Date)
    feedback: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A referral to the authorities without every party's consent: only as an emergency
    # override, with its reason and who used it (shown on the case and the referral).
    emergency_override: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    override_reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    override_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    override_by = relationship("User", foreign_keys=[override_by_id])


class ReferralNotice(db.Model):
    """A party told of a crime's referral to justice or the security forces: who, when,
    how. A crime is referred whatever the parties think; they are informed, not asked."""

    __tablename__ = "referral_notices"
    __table_args__ = (
        one_of("means", NotificationMeans.values()),
        sa.UniqueConstraint("referral_id", "party_id"),
        sa.Index("ix_referral_notices_party_id", "party_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referrals.id"))
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"))
    notified_on: Mapped[date] = mapped_column(sa.Date)
    means: Mapped[str] = mapped_column(sa.String(12))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship()
    party: Mapped[Party] = relationship()

    @property
    def case_id(self) -> int:
        """The case, for the audit trail (which files every record under its case)."""
        return self.referral.case_id


class FollowUp(db.Model):
    """A visit planned after an agreement (D+30, D+90) to check compliance."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.CheckConstraint(
            sa.or_(
                sa.column("compliance").is_(None), sa.column("compliance").in_(Compliance.values())
            ),
            name="compliance_known",
        ),
        sa.CheckConstraint("(done_on IS NULL) = (compliance IS NULL)", name="done_has_compliance"),
        # A case's visits, and a visit's rank among its agreement's (the report).
        sa.Index("ix_follow_ups_case_id_agreement_id_due_on", "case_id", "agreement_id", "due_on"),
        sa.Index("ix_follow_ups_due_on_done_on", "due_on", "done_on"),
        # The report's period, read from the index alone (migration 0011).
        sa.Index(
            "ix_follow_ups_done_on", "done_on", "case_id", "agreement_id", "due_on", "compliance"
        ),
        # The visits that found an agreement not respected (a breach: the report's
        # recurrence asks it of every case settled in a year).
        sa.Index(
            "ix_follow_ups_not_respected",
            "case_id",
            "done_on",
            sqlite_where=sa.text("compliance = 'not_respected'"),
            postgresql_where=sa.text("compliance = 'not_respected'"),
        ),
        # The report's period for one area (issue 19).
        sa.Index(
            "ix_follow_ups_unit_id_done_on",
            "unit_id",
            "done_on",
            "case_id",
            "agreement_id",
            "due_on",
            "compliance",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    # The case's unit, copied (casework.cases.row_units keeps it when the case moves): the
    # report reads the area's rows of the period from an index on it and the date.
    unit_id: Mapped[int | None] = mapped_column(sa.Integer)
    agreement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agreements.id"))
    due_on: Mapped[date] = mapped_column(sa.Date)
    done_on: Mapped[date | None] = mapped_column(sa.Date)
    compliance: Mapped[str | None] = mapped_column(sa.String(16))
    recurrence: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    notes: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship()


class CaseEvent(db.Model):
    """The case's history: every transition, escalation and record, who and when."""

    __tablename__ = "case_events"
    __table_args__ = (
        one_of("kind", EventKind.values()),
        sa.Index("ix_case_events_case_id_at", "case_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(sa.String(24))
    to_status: Mapped[str | None] = mapped_column(sa.String(24))
    from_level: Mapped[int | None] = mapped_column(sa.Integer)
    to_level: Mapped[int | None] = mapped_column(sa.Integer)
    reason: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    linked_case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))

    by = relationship("User", lazy="joined")
    linked_case = relationship("Case", foreign_keys=[linked_case_id])

    @property
    def kind_enum(self) -> EventKind:
        return EventKind(self.kind)


class CaseRevision(db.Model):
    """Every saved version of a case's fields, and every edit refused for a conflict:
    nothing anyone typed is lost."""

    __tablename__ = "case_revisions"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('saved', 'conflict')", name="kind_known"),
        sa.Index("ix_case_revisions_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(10))
    data: Mapped[dict] = mapped_column(sa.JSON)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by = relationship("User")


fraction_range = sa.Table(
    "fraction_range",
    db.metadata,
    sa.Column("fraction_id", sa.ForeignKey("fractions.id"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("admin_units.id"), primary_key=True),
)


class Fraction(db.Model):
    """A nomadic group (Tuareg, Arab, Fulani...) attached to a home commune and moving along
    a usual seasonal range: a registry shared by every case, not a territory."""

    __tablename__ = "fractions"
    __table_args__ = (sa.Index("ix_fractions_name_search", "name_search"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    name_search: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    group_code: Mapped[str] = mapped_column(sa.String(40))  # vocabulary fraction_group
    home_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    home_unit = relationship("AdminUnit", lazy="joined")
    # The communes of its usual seasonal range.
    range_units = relationship("AdminUnit", secondary=fraction_range, order_by="AdminUnit.name")

    def __repr__(self) -> str:
        return f"<Fraction {self.name}>"


class CasePlace(db.Model):
    """Another place of a case than that of the incident: a party's home commune, a place on
    the transhumance route. Lists and reports select a case by any of its places; access to
    the case stays by the place of the incident (docs/decisions.md, issue 15)."""

    __tablename__ = "case_places"
    __table_args__ = (
        one_of("role", PlaceRole.values()),
        sa.UniqueConstraint("case_id", "unit_id", "role"),
        # The list's and the report's "any of its places" (EXISTS by unit, then case).
        sa.Index("ix_case_places_unit_id_case_id", "unit_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"))
    role: Mapped[str] = mapped_column(sa.String(16))

    case: Mapped[Case] = relationship(back_populates="places")
    unit = relationship("AdminUnit", lazy="joined")
