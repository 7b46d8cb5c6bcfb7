"""Data exports: one row per case, party, session, agreement, referral, follow-up visit,
community-police activity or alert, as CSV or XLSX, for analysis in a spreadsheet.

Each export is a list of columns read straight from the database in batches
(``yield_per``), limited to the rows the user may see (their area, through
``area_clause`` or ``policing_area_clause``). A coded column gives two columns: the stable
code, and its label in the export's language, which is chosen apart from the interface
language. Dates are ISO (YYYY-MM-DD), times are UTC and say so in their header, numbers stay
numbers and yes/no fields are 1 or 0, so that a spreadsheet sorts and sums them.

Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) is made
inert: an apostrophe in front in CSV, a plain string cell (never a formula) in XLSX.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from flask import Response, send_file, stream_with_context
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import aliased

from casework.auth.models import User
from casework.cases.access import (
    CASE_ROLES,
    STANDARD,
    area_clause,
    confidentiality_clause,
    details_hidden_clause,
    secret_hidden_condition,
)
from casework.cases.enums import (
    AgeBand,
    AgreementForm,
    Compliance,
    PartyKind,
    PartyRole,
    SessionResult,
    Sex,
)
from casework.cases.fields import CASE_FIELDS
from casework.cases.fields import Kind as FieldKind
from casework.cases.models import Agreement, Case, FollowUp, MediationSession, Party, Referral
from casework.cases.states import CaseStatus, LadderLevel
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l, supported_locales
from casework.permissions import Action, Resource, roles_with
from casework.policing.access import POLICING_ROLES, policing_area_clause
from casework.policing.enums import Force, Urgency
from casework.policing.models import Activity, Alert, PoliceUnit
from casework.roles import Role
from casework.text import without_bidi_controls
from casework.vocab import services as vocab

# Rows fetched per round trip: a server-side cursor on PostgreSQL, fetchmany on SQLite.
YIELD_PER = 500
FORMATS = ("csv", "xlsx")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX is built on disk past this size rather than in memory.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
# Spreadsheets run a cell that starts with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

TEXT, INT, DATE, DATETIME, BOOL = "text", "int", "date", "datetime", "bool"

# CSV as a spreadsheet of the export's language opens it: Excel in a French locale splits
# lines on semicolons and reads decimal commas; in English, on commas, with decimal points.
CSV_SEPARATORS = {"semicolon": ";", "comma": ",", "tab": "\t"}
CSV_DEFAULT_SEPARATOR = {"fr": "semicolon", "en": "comma"}

# Names of people (parties, signatories) and their community: only the roles that handle
# mediation cases. Today they are also the only roles that may export those records; the
# rule is kept per column so that a wider export cannot leak them.
CASE_EXPORT_ROLES = roles_with(Resource.CASE, Action.EXPORT)
POLICING_EXPORT_ROLES = roles_with(Resource.POLICING, Action.EXPORT)
NAME_ROLES = CASE_ROLES
# The relay code is a pseudonym, never a name: the roles that record and read alerts.
RELAY_CODE_ROLES = POLICING_ROLES


class ExportError(DomainError):
    """An export cannot be made (unknown kind or language, or not allowed)."""


@dataclass(frozen=True)
class Column:
    """One field of an export. A column with a ``vocabulary`` or an ``enum`` is coded: it
    gives a code column and a label column."""

    key: str
    header: Any  # a lazy string, rendered in the export's language
    expr: Any = None  # the SQL expression selected as ``key``
    kind: str = TEXT
    vocabulary: str | None = None
    enum: type | None = None
    compute: Callable[[Mapping[str, Any]], Any] | None = None  # from the row's other values
    needs: tuple[tuple[str, Any], ...] = ()  # (key, expression) that ``compute`` reads
    roles: frozenset[Role] | None = None  # only these roles get the column
    personal: bool = False  # removed from anonymised cases: says "anonymised" there
    # Also removed from restricted cases for those who may not see their details (issue 12).
    # A reference to another case (this alias of cases): blank when that case is secret and
    # the user may not see it.
    case_link: Any = None

    @property
    def coded(self) -> bool:
        return self.vocabulary is not None or self.enum is not None


@dataclass(frozen=True)
class OutputColumn:
    """A column of the file: its key, its header in the export's language, its kind."""

    key: str
    header: str
    kind: str


@dataclass(frozen=True)
class ExportSpec:
    name: str
    title: Any  # lazy: the sheet's name
    roles: frozenset[Role]
    model: type
    scope: Callable[[User], Any]  # the rows the user may see
    joins: Callable[[sa.Select], sa.Select]
    columns: tuple[Column, ...]


# --- the exports ------------------------------------------------------------------------------

_area = aliased(AdminUnit, name="area")
_region = aliased(AdminUnit, name="region")
_mediator = aliased(User, name="mediator")
_recurrence_of = aliased(Case, name="recurrence_of")
_civil_case_of = aliased(Case, name="civil_case_of")


def _code_header(header) -> Any:
    return _l("%(column)s (code)", column=header)


def _utc_header(header) -> Any:
    return _l("%(column)s (UTC)", column=header)


def _with_area(statement: sa.Select, unit_column) -> sa.Select:
    """The place of a record and its region (the top unit above it)."""
    return statement.join(_area, _area.id == unit_column).outerjoin(
        _region, sa.and_(_region.parent_id.is_(None), _area.path.startswith(_region.path))
    )


def _case_joins(statement: sa.Select) -> sa.Select:
    return _with_area(statement, Case.unit_id)


def _child_joins(model) -> Callable[[sa.Select], sa.Select]:
    def joins(statement: sa.Select) -> sa.Select:
        return _case_joins(statement.join(Case, Case.id == model.case_id))

    return joins


def _cases_joins(statement: sa.Select) -> sa.Select:
    return (
        _case_joins(statement)
        .outerjoin(_mediator, _mediator.id == Case.assigned_mediator_id)
        .outerjoin(_recurrence_of, _recurrence_of.id == Case.recurrence_of_id)
        .outerjoin(_civil_case_of, _civil_case_of.id == Case.civil_case_of_id)
    )


def _activity_joins(statement: sa.Select) -> sa.Select:
    return _with_area(
        statement.join(PoliceUnit, PoliceUnit.id == Activity.police_unit_id), Activity.unit_id
    )


def _alert_joins(statement: sa.Select) -> sa.Select:
    return _with_area(
        statement.outerjoin(PoliceUnit, PoliceUnit.id == Alert.police_unit_id), Alert.unit_id
    )


def _declared_case_columns() -> tuple[Column, ...]:
    """The case's own fields that its declaration exports (``casework.cases.fields``)."""
    kinds = {FieldKind.COUNT: INT, FieldKind.AMOUNT: INT, FieldKind.DATE: DATE}
    return tuple(
        Column(
            spec.name,
            spec.label,
            getattr(Case, spec.name),
            kinds.get(spec.kind, TEXT),
            vocabulary=spec.vocabulary,
            enum=spec.choices,
            personal=spec.sensitive,
        )
        for spec in CASE_FIELDS
        if spec.exported
    )


def _area_columns() -> tuple[Column, ...]:
    return (
        Column("region", _l("Region"), _region.name),
        Column("area_code", _code_header(_l("Area")), _area.code),
        Column("area", _l("Area"), _area.name),
    )


def _case_scope(user: User) -> Any:
    """The cases the user may see: their area, less the secret cases not theirs."""
    return sa.and_(area_clause(user, Case.unit_id), confidentiality_clause(user))


def _case_columns() -> tuple[Column, ...]:
    """The case a record belongs to, and where it is."""
    return (Column("case_reference", _l("Case"), Case.reference), *_area_columns())


def _response_minutes(row: Mapping[str, Any]) -> int | None:
    occurred, responded = row["occurred_at"], row["responded_at"]
    if occurred is None or responded is None:
        return None
    return int((responded - occurred).total_seconds() // 60)


EXPORTS: dict[str, ExportSpec] = {
    spec.name: spec
    for spec in (
        ExportSpec(
            name="cases",
            title=_l("Cases"),
            roles=CASE_EXPORT_ROLES,
            model=Case,
            scope=_case_scope,
            joins=_cases_joins,
            columns=(
                Column("reference", _l("Reference"), Case.reference),
                *_area_columns(),
                *_declared_case_columns(),
                Column(
                    "ladder_level", _l("Ladder level"), Case.ladder_level, INT, enum=LadderLevel
                ),
                Column("status", _l("Status"), Case.status, enum=CaseStatus),
                Column("outcome", _l("Outcome"), Case.outcome, vocabulary="outcome"),
                Column("closed_on", _l("Closed on"), Case.closed_on, DATE),
                Column("assigned_mediator", _l("Assigned mediator"), _mediator.username),
                Column(
                    "recurrence_of",
                    _l("Recurrence of"),
                    _recurrence_of.reference,
                    case_link=_recurrence_of,
                ),
                Column(
                    "civil_case_of",
                    _l("Civil case beside"),
                    _civil_case_of.reference,
                    case_link=_civil_case_of,
                ),
                Column("created_at", _utc_header(_l("Recorded at")), Case.created_at, DATETIME),
            ),
        ),
        ExportSpec(
            name="parties",
            title=_l("Parties"),
            roles=CASE_EXPORT_ROLES,
            model=Party,
            scope=_case_scope,
            joins=_child_joins(Party),
            columns=(
                Column("id", _l("Number"), Party.id, INT),
                *_case_columns(),
                Column("role", _l("Role"), Party.role, enum=PartyRole),
                Column("kind", _l("Kind of party"), Party.kind, enum=PartyKind),
                Column("name", _l("Name"), Party.name, roles=NAME_ROLES, personal=True),
                Column("sex", _l("Sex"), Party.sex, enum=Sex),
                Column("age_band", _l("Age band"), Party.age_band, enum=AgeBand),
                Column("livelihood", _l("Livelihood"), Party.livelihood, vocabulary="livelihood"),
                Column(
                    "community",
                    _l("Community or fraction"),
                    Party.community,
                    roles=NAME_ROLES,
                    personal=True,
                ),
                Column(
                    "consent_to_share",
                    _l("Consents to share with the authorities"),
                    Party.consent_to_share,
                    BOOL,
                ),
            ),
        ),
        ExportSpec(
            name="sessions",
            title=_l("Sessions"),
            roles=CASE_EXPORT_ROLES,
            model=MediationSession,
            scope=_case_scope,
            joins=_child_joins(MediationSession),
            columns=(
                Column("id", _l("Number"), MediationSession.id, INT),
                *_case_columns(),
                Column("held_on", _l("Date of the session"), MediationSession.held_on, DATE),
                Column(
                    "place",
                    _l("Session place"),
                    MediationSession.place,
                    vocabulary="session_place",
                ),
                Column(
                    "mechanism",
                    _l("Resolution mechanism"),
                    MediationSession.mechanism,
                    vocabulary="resolution_mechanism",
                ),
                Column(
                    "ladder_level",
                    _l("Ladder level"),
                    MediationSession.ladder_level,
                    INT,
                    enum=LadderLevel,
                ),
                Column("women", _l("Women"), MediationSession.women, INT),
                Column("men", _l("Men"), MediationSession.men, INT),
                Column("youth", _l("Young people"), MediationSession.youth, INT),
                Column("result", _l("Result"), MediationSession.result, enum=SessionResult),
                Column(
                    "created_at",
                    _utc_header(_l("Recorded at")),
                    MediationSession.created_at,
                    DATETIME,
                ),
            ),
        ),
        ExportSpec(
            name="agreements",
            title=_l("Agreements"),
            roles=CASE_EXPORT_ROLES,
            model=Agreement,
            scope=_case_scope,
            joins=_child_joins(Agreement),
            columns=(
                Column("id", _l("Number"), Agreement.id, INT),
                *_case_columns(),
                Column("session_id", _l("Session"), Agreement.session_id, INT),
                Column("concluded_on", _l("Date of the agreement"), Agreement.concluded_on, DATE),
                Column("form", _l("Form"), Agreement.form, enum=AgreementForm),
                Column("outcome", _l("Outcome"), Agreement.outcome, vocabulary="outcome"),
                Column(
                    "compensation_fcfa",
                    _l("Compensation, FCFA"),
                    Agreement.compensation_fcfa,
                    INT,
                ),
                Column(
                    "livestock_heads",
                    _l("Compensation, livestock heads"),
                    Agreement.livestock_heads,
                    INT,
                ),
                Column("diya", _l("Blood money (diya)"), Agreement.diya, BOOL),
                Column("restitution", _l("Restitution"), Agreement.restitution, personal=True),
                Column(
                    "signatories",
                    _l("Signatories"),
                    Agreement.signatories,
                    roles=NAME_ROLES,
                    personal=True,
                ),
                Column(
                    "witnesses",
                    _l("Witnesses"),
                    Agreement.witnesses,
                    roles=NAME_ROLES,
                    personal=True,
                ),
                Column(
                    "created_at", _utc_header(_l("Recorded at")), Agreement.created_at, DATETIME
                ),
            ),
        ),
        ExportSpec(
            name="referrals",
            title=_l("Referrals"),
            roles=CASE_EXPORT_ROLES,
            model=Referral,
            scope=_case_scope,
            joins=_child_joins(Referral),
            columns=(
                Column("id", _l("Number"), Referral.id, INT),
                *_case_columns(),
                Column("referred_on", _l("Date of the referral"), Referral.referred_on, DATE),
                Column(
                    "from_level",
                    _l("Referred from ladder level"),
                    Referral.from_level,
                    INT,
                    enum=LadderLevel,
                ),
                Column(
                    "from_institution",
                    _l("Referred by (institution)"),
                    Referral.from_institution,
                ),
                Column("target", _l("Referred to"), Referral.target, vocabulary="referral_target"),
                Column("reason", _l("Reason"), Referral.reason, personal=True),
                Column(
                    "is_reverse", _l("Sent back to a local mechanism"), Referral.is_reverse, BOOL
                ),
                Column("acknowledged_on", _l("Acknowledged on"), Referral.acknowledged_on, DATE),
                Column("feedback_on", _l("Date of the feedback"), Referral.feedback_on, DATE),
                Column("feedback", _l("Feedback"), Referral.feedback, personal=True),
                Column("created_at", _utc_header(_l("Recorded at")), Referral.created_at, DATETIME),
            ),
        ),
        ExportSpec(
            name="follow_ups",
            title=_l("Follow-up visits"),
            roles=CASE_EXPORT_ROLES,
            model=FollowUp,
            scope=_case_scope,
            joins=_child_joins(FollowUp),
            columns=(
                Column("id", _l("Number"), FollowUp.id, INT),
                *_case_columns(),
                Column("agreement_id", _l("Agreement"), FollowUp.agreement_id, INT),
                Column("due_on", _l("Deadline"), FollowUp.due_on, DATE),
                Column("done_on", _l("Date of the visit"), FollowUp.done_on, DATE),
                Column("compliance", _l("Compliance"), FollowUp.compliance, enum=Compliance),
                Column(
                    "recurrence", _l("Breach: a new case was opened"), FollowUp.recurrence, BOOL
                ),
                Column("notes", _l("Notes"), FollowUp.notes, personal=True),
            ),
        ),
        ExportSpec(
            name="activities",
            title=_l("Activities"),
            roles=POLICING_EXPORT_ROLES,
            model=Activity,
            scope=lambda user: policing_area_clause(user, Activity.unit_id),
            joins=_activity_joins,
            columns=(
                Column("id", _l("Number"), Activity.id, INT),
                Column(
                    "activity_type",
                    _l("Type of activity"),
                    Activity.activity_type,
                    vocabulary="activity_type",
                ),
                Column("held_on", _l("Date"), Activity.held_on, DATE),
                Column(
                    "duration_minutes", _l("Duration (minutes)"), Activity.duration_minutes, INT
                ),
                Column("police_unit", _l("Community-police unit"), PoliceUnit.name),
                Column("force", _l("Force"), PoliceUnit.force, enum=Force),
                *_area_columns(),
                Column("place", _l("Place, in words"), Activity.place),
                Column("topic", _l("Topic"), Activity.topic),
                Column("participants", _l("Participants"), Activity.participants, INT),
                Column("women", _l("Women"), Activity.women, INT),
                Column("men", _l("Men"), Activity.men, INT),
                Column("youth", _l("Young people"), Activity.youth, INT),
                Column("alerts_raised", _l("Alerts raised"), Activity.alerts_raised, INT),
                Column("cases_created", _l("Cases created"), Activity.cases_created, INT),
                Column("cases_referred", _l("Cases referred"), Activity.cases_referred, INT),
                Column("notes", _l("Notes"), Activity.notes),
                Column("created_at", _utc_header(_l("Recorded at")), Activity.created_at, DATETIME),
            ),
        ),
        ExportSpec(
            name="alerts",
            title=_l("Alerts"),
            roles=POLICING_EXPORT_ROLES,
            model=Alert,
            scope=lambda user: policing_area_clause(user, Alert.unit_id),
            joins=_alert_joins,
            # No name of anyone: the source is a type and a pseudonymous relay code.
            columns=(
                Column("id", _l("Number"), Alert.id, INT),
                Column("occurred_at", _utc_header(_l("When")), Alert.occurred_at, DATETIME),
                *_area_columns(),
                Column("place", _l("Place, in words"), Alert.place),
                Column(
                    "category", _l("Threat category"), Alert.category, vocabulary="alert_category"
                ),
                Column("urgency", _l("Urgency"), Alert.urgency, INT, enum=Urgency),
                Column("source_type", _l("Source"), Alert.source_type, vocabulary="alert_source"),
                Column(
                    "relay_code",
                    _l("Relay code (pseudonym)"),
                    Alert.relay_code,
                    roles=RELAY_CODE_ROLES,
                ),
                Column("description", _l("Description"), Alert.description),
                Column("verified", _l("Verified"), Alert.verified, BOOL),
                Column(
                    "forwarded_to",
                    _l("Forwarded to"),
                    Alert.forwarded_to,
                    vocabulary="referral_target",
                ),
                Column(
                    "forwarded_at",
                    _utc_header(_l("Forwarded at")),
                    Alert.forwarded_at,
                    DATETIME,
                ),
                Column("response", _l("Response"), Alert.response),
                Column(
                    "responded_at",
                    _utc_header(_l("Responded at")),
                    Alert.responded_at,
                    DATETIME,
                ),
                Column(
                    "response_minutes",
                    _l("Response time (minutes)"),
                    kind=INT,
                    compute=_response_minutes,
                    needs=(
                        ("occurred_at", Alert.occurred_at),
                        ("responded_at", Alert.responded_at),
                    ),
                ),
                Column("police_unit", _l("Community-police unit"), PoliceUnit.name),
                Column("created_at", _utc_header(_l("Recorded at")), Alert.created_at, DATETIME),
            ),
        ),
    )
}


# --- checks -----------------------------------------------------------------------------------


def get_spec(name: str) -> ExportSpec:
    spec = EXPORTS.get(name)
    if spec is None:
        raise ExportError(_l("Unknown export: %(name)s.", name=name))
    return spec


def check_language(lang: str) -> str:
    if lang not in supported_locales():
        raise ExportError(_l("Unsupported language: %(code)s.", code=lang))
    return lang


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(_l("Unknown file format: %(format)s.", format=fmt))
    return fmt


def _has_role(user: User, roles: frozenset[Role]) -> bool:
    return getattr(user, "role", None) in {role.value for role in roles}


def can_export(name: str, user: User) -> bool:
    spec = EXPORTS.get(name)
    return (
        spec is not None
        and bool(getattr(user, "is_authenticated", False))
        and _has_role(user, spec.roles)
    )


def allowed_exports(user: User) -> list[str]:
    """The exports the user may make, in the registry's order (for a menu)."""
    return [name for name in EXPORTS if can_export(name, user)]


def _check(name: str, user: User, lang: str) -> ExportSpec:
    spec = get_spec(name)
    check_language(lang)
    if not can_export(name, user):
        raise ExportError(_l("You are not allowed to make this export."))
    return spec


# --- rows -------------------------------------------------------------------------------------


def _columns(spec: ExportSpec, user: User) -> list[Column]:
    return [c for c in spec.columns if c.roles is None or _has_role(user, c.roles)]


ANONYMISED_AT = "case_anonymised_at"
DETAILS_HIDDEN = "case_details_hidden"


def _reader(column: Column, masked: bool = False) -> Callable[[Mapping[str, Any]], Any]:
    """How a file column reads its value from a row. ``masked``: the user may not see the
    details of some cases (restricted ones not theirs), whose personal columns then say
    "restricted"."""
    if column.compute is not None:
        return column.compute
    key = column.key
    if column.personal:
        word = str(_l("anonymised"))  # called inside force_locale: the export's language
        if masked:
            hidden = str(_l("restricted"))
            return lambda row: (
                word
                if row[ANONYMISED_AT] is not None
                else hidden
                if row[DETAILS_HIDDEN]
                else row[key]
            )
        return lambda row: word if row[ANONYMISED_AT] is not None else row[key]
    return lambda row: row[key]


def _labeller(column: Column, read, lang: str) -> Callable[[Mapping[str, Any]], str]:
    """The label of a coded value in ``lang`` (the code itself if unknown)."""
    if column.vocabulary is not None:
        name = column.vocabulary
        # Every term's label in ``lang``, once (loaded now, not while rows stream); an odd
        # code goes through vocab.label, which gives the code itself.
        labels = {
            term.code: vocab.label(name, term.code, lang)
            for term in vocab.terms(name, include_inactive=True)
        }

        def vocabulary_label(row: Mapping[str, Any]) -> str:
            code = read(row)
            found = labels.get(code)
            return found if found is not None else vocab.label(name, code, lang)

        return vocabulary_label
    # A few members each: their titles are rendered once (call inside force_locale).
    titles = {str(member.value): member.title for member in column.enum}

    def label(row: Mapping[str, Any]) -> str:
        code = read(row)
        return "" if code is None else titles.get(str(code), str(code))

    return label


def _plan(spec: ExportSpec, user: User, lang: str):
    """The columns to select, the file's columns (headers in ``lang``) and a getter for
    each file column."""
    columns = _columns(spec, user)
    masked = _masks_details(spec, user)
    output: list[OutputColumn] = []
    getters: list[Callable[[Mapping[str, Any]], Any]] = []
    with force_locale(lang):
        for column in columns:
            read = _reader(column, masked)
            if not column.coded:
                output.append(OutputColumn(column.key, str(column.header), column.kind))
                getters.append(read)
                continue
            output.append(OutputColumn(column.key, str(_code_header(column.header)), column.kind))
            getters.append(read)
            output.append(OutputColumn(f"{column.key}_label", str(column.header), TEXT))
            getters.append(_labeller(column, read, lang))
    return columns, output, getters


def _masks_details(spec: ExportSpec, user: User) -> bool:
    """Whether the export's rows belong to cases and the user may not see the details of
    some of them."""
    return spec.scope is _case_scope and details_hidden_clause(user) is not None


def _statement(spec: ExportSpec, user: User, columns: list[Column]) -> sa.Select:
    selected = {c.key: c.expr for c in columns if c.expr is not None}
    for column in columns:
        if column.case_link is not None:
            hidden = secret_hidden_condition(user, column.case_link)
            if hidden is not None:
                selected[column.key] = sa.case((hidden, sa.null()), else_=column.expr)
    masked = _masks_details(spec, user)
    for column in columns:
        for key, expr in column.needs:
            selected.setdefault(key, expr)
        if column.personal:
            selected.setdefault(ANONYMISED_AT, Case.anonymised_at)
            if masked:
                selected.setdefault(DETAILS_HIDDEN, details_hidden_clause(user))
    statement = sa.select(*(expr.label(key) for key, expr in selected.items()))
    statement = spec.joins(statement.select_from(spec.model))
    return statement.where(spec.scope(user)).order_by(spec.model.id)


def _plain(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == BOOL:
        return 1 if value else 0
    if kind == DATETIME and isinstance(value, datetime):
        if value.tzinfo is None:  # stored naive on SQLite, and UTC (casework.db.UTCDateTime)
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return value


def _generate(statement: sa.Select, output, getters) -> Iterator[list]:
    yield [column.header for column in output]
    kinds = [column.kind for column in output]
    result = db.session.execute(statement.execution_options(yield_per=YIELD_PER))
    try:
        for row in result.mappings():
            yield [_plain(get(row), kind) for get, kind in zip(getters, kinds, strict=True)]
    finally:
        result.close()


def _prepare(name: str, user: User, lang: str):
    spec = _check(name, user, lang)
    columns, output, getters = _plan(spec, user, lang)
    return spec, output, _generate(_statement(spec, user, columns), output, getters)


def confidential_cases(name: str, user: User) -> list[tuple[int, str]]:
    """The restricted and secret cases (id, level) that have a row in the user's export, for
    the audit trail; none for an export that is not of cases."""
    spec = get_spec(name)
    if spec.scope is not _case_scope:
        return []
    statement = spec.joins(sa.select(Case.id, Case.confidentiality).select_from(spec.model))
    statement = statement.where(spec.scope(user), Case.confidentiality != STANDARD)
    return [tuple(row) for row in db.session.execute(statement.distinct().order_by(Case.id))]


def export_rows(name: str, user: User, lang: str) -> Iterator[list]:
    """The export's rows, header first, read from the database in batches.

    The checks (export, language, permission) run at once and raise ExportError; the rows
    come lazily, from a generator. Values are plain: int, str, ``date``, naive UTC
    ``datetime`` (to the second) or None; yes/no are 1 and 0. Call inside an app context.
    """
    return _prepare(name, user, lang)[2]


def export_columns(name: str, user: User, lang: str) -> list[OutputColumn]:
    """The file's columns for this user, with headers in ``lang``."""
    spec = _check(name, user, lang)
    return _plan(spec, user, lang)[1]


# --- files ------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text without direction controls (casework.text); text that a spreadsheet would run
    as a formula gets a leading apostrophe."""
    text = without_bidi_controls(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class CsvDialect:
    separator: str
    decimal: str  # the decimal sign of numbers that are not whole


def csv_dialect(lang: str, sep: str | None = None) -> CsvDialect:
    """The separator asked (``semicolon``, ``comma``, ``tab``, or the character itself), else
    the one the language's spreadsheets expect; decimals take a comma in French unless the
    separator is a comma. Raises ExportError for any other separator."""
    name = sep or CSV_DEFAULT_SEPARATOR.get(lang, "comma")
    by_character = {character: key for key, character in CSV_SEPARATORS.items()}
    name = by_character.get(name, name)
    if name not in CSV_SEPARATORS:
        raise ExportError(
            _l(
                "Unknown separator: %(sep)s. Choose semicolon, comma or tab.",
                sep=str(sep)[:20],
            )
        )
    separator = CSV_SEPARATORS[name]
    return CsvDialect(separator, "," if lang == "fr" and separator != "," else ".")


def _csv_value(value: Any, decimal: str = ".") -> Any:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and decimal != ".":
        return str(value).replace(".", decimal)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


def _csv_cell(kind: str, decimal: str = ".") -> Callable[[Any], Any]:
    """``_csv_value(_plain(value, kind), decimal)`` in one call, with the common cases first
    (the export of every case converts millions of values)."""

    def general(value: Any) -> Any:
        return _csv_value(_plain(value, kind), decimal)

    if kind == TEXT:
        return lambda value: (
            neutralise(value) if type(value) is str else "" if value is None else general(value)
        )
    if kind == INT:
        return lambda value: value if type(value) is int else general(value)
    if kind == DATE:
        return lambda value: value.isoformat() if type(value) is date else general(value)
    return general


def _csv_rows(name: str, user: User, lang: str, decimal: str = ".") -> Iterator[list]:
    """The rows of ``export_rows`` already converted for CSV (header first)."""
    spec = _check(name, user, lang)
    columns, output, getters = _plan(spec, user, lang)
    statement = _statement(spec, user, columns)

    def rows() -> Iterator[list]:
        yield [_csv_value(column.header) for column in output]
        cells = [
            (get, _csv_cell(column.kind, decimal))
            for get, column in zip(getters, output, strict=True)
        ]
        result = db.session.execute(statement.execution_options(yield_per=YIELD_PER))
        try:
            for row in result.mappings():
                yield [cell(get(row)) for get, cell in cells]
        finally:
            result.close()

    return rows()


def csv_chunks(name: str, user: User, lang: str, sep: str | None = None) -> Iterator[str]:
    """The CSV text in pieces: a byte-order mark first (Excel then reads UTF-8 accents),
    separated as ``csv_dialect`` says, CRLF line ends. Checks run at once, as in
    ``export_rows``."""
    dialect = csv_dialect(lang, sep)
    rows = _csv_rows(name, user, lang, dialect.decimal)
    return _csv_chunks(rows, converted=True, separator=dialect.separator)


def _csv_chunks(
    rows: Iterator[list],
    rows_per_chunk: int = 200,
    *,
    converted: bool = False,
    separator: str = ",",
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    buffer.write(codecs.BOM_UTF8.decode("utf-8"))
    for count, row in enumerate(rows, start=1):
        writer.writerow(row if converted else [_csv_value(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(name: str, user: User, lang: str, stream: IO, sep: str | None = None) -> None:
    """Write the export as CSV to a text stream (opened with ``newline=""``) or a binary
    one (UTF-8 is written)."""
    binary = not isinstance(stream, io.TextIOBase)
    for chunk in csv_chunks(name, user, lang, sep):
        stream.write(chunk.encode("utf-8") if binary else chunk)


def _xlsx_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", without_bidi_controls(value))


def write_xlsx(name: str, user: User, lang: str, path_or_stream: str | os.PathLike | IO) -> None:
    """Write the export as an XLSX workbook of one sheet, row by row (write-only mode: the
    rows are never all in memory). Text is always a string cell, never a formula."""
    spec, output, rows = _prepare(name, user, lang)
    workbook = Workbook(write_only=True)
    with force_locale(lang):
        title = str(spec.title)
    sheet = workbook.create_sheet(title=_xlsx_text(title)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(output, start=1):
        width = {DATE: 12, DATETIME: 20, INT: 12}.get(column.kind, 24)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(column.header) + 2)
    bold = Font(bold=True)
    header = next(rows)
    sheet.append([_text_cell(sheet, text, font=bold) for text in header])
    formats = [
        {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss"}.get(column.kind) for column in output
    ]
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)]
        )
    workbook.save(path_or_stream)


def _text_cell(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    text = _xlsx_text(text)
    cell = WriteOnlyCell(sheet, value=text)
    # A string cell is never run as a formula, whatever it starts with; the quote prefix
    # keeps it text when someone edits the cell in Excel or LibreOffice.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _xlsx_cell(sheet, value: Any, number_format: str | None):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if number_format is not None and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value


# --- web responses ----------------------------------------------------------------------------


def download_name(name: str, lang: str, fmt: str, day: date | None = None) -> str:
    """e.g. cases-2026-11-28-fr.csv"""
    day = day or utcnow().date()
    return f"{name.replace('_', '-')}-{day.isoformat()}-{lang}.{fmt}"


def stream_csv_response(name: str, user: User, lang: str, sep: str | None = None) -> Response:
    """A CSV download streamed as it is read. Raises ExportError before anything is sent."""
    chunks = csv_chunks(name, user, lang, sep)
    response = Response(stream_with_context(_encoded(chunks)), mimetype=CSV_MIMETYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{download_name(name, lang, "csv")}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def xlsx_response(name: str, user: User, lang: str) -> Response:
    """An XLSX download, built in a spooled temporary file (memory, then disk past
    XLSX_SPOOL_BYTES) and then sent. Raises ExportError before anything is sent."""
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 - sent, then closed by the response
    try:
        write_xlsx(name, user, lang, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = send_file(
        spool,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=download_name(name, lang, "xlsx"),
        max_age=0,
    )
    response.content_length = size
    response.headers["Cache-Control"] = "no-store"
    return response
