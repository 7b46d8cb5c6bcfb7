"""The exports themselves: one spec of columns per kind of record (data)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from casework.auth.models import User
from casework.cases.access import area_clause, confidentiality_clause
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
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.policing.access import policing_area_clause
from casework.policing.enums import Force, Urgency
from casework.policing.models import Activity, Alert, PoliceUnit
from casework.reports.exports.common import (
    BOOL,
    CASE_EXPORT_ROLES,
    DATE,
    DATETIME,
    INT,
    NAME_ROLES,
    POLICING_EXPORT_ROLES,
    RELAY_CODE_ROLES,
    TEXT,
    Column,
    ExportSpec,
)

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
