"""The API's request and response schemas (marshmallow), documented in the OpenAPI file.

A case's fields are not listed here: they come from their declarations
(``casework.cases.fields.CASE_FIELDS``), so that a field declared there is read, written and
documented by the API without an edit here.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from casework.cases.enums import AgeBand, Compliance, PartyKind, PartyRole, SessionResult, Sex
from casework.cases.fields import CASE_FIELDS, FieldSpec, Kind
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX, TITLE_MAX
from casework.cases.services.listing import ARCHIVED_CHOICES
from casework.cases.states import CaseStatus
from casework.core import checks

CODE_MAX = 40
LIST_MAX = 100
ID = {"validate": validate.Range(min=1, max=checks.MAX_COUNT)}


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class Error(Schema):
    """Every error: ``{"error": {"code", "message", "fields"}}``, the message in the language
    of Accept-Language (French or English)."""

    error = fields.Nested(ErrorBody, required=True)


def _field(spec: FieldSpec, *, writing: bool, partial: bool = False):
    """The marshmallow field of a declared case field."""
    options = {"allow_none": not spec.required or partial}
    if writing:
        options["required"] = spec.required and not partial
    if spec.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return fields.String(validate=validate.Length(max=spec.max_length), **options)
    if spec.kind in (Kind.COUNT, Kind.AMOUNT):
        return fields.Integer(
            strict=True, validate=validate.Range(min=spec.minimum, max=spec.maximum), **options
        )
    if spec.kind == Kind.DATE:
        return fields.Date(**options)
    if spec.kind == Kind.CHOICE:
        return fields.String(validate=validate.OneOf(spec.choices.values()), **options)
    if spec.kind == Kind.SELECT and spec.integer and spec.minimum is not None:
        return fields.Integer(  # a number chosen from a list, such as a level
            strict=True, validate=validate.Range(min=spec.minimum, max=spec.maximum), **options
        )
    if spec.kind == Kind.SELECT and spec.integer:
        return fields.Integer(strict=True, **ID, **options)
    return fields.String(validate=validate.Length(max=CODE_MAX), **options)


def _case_fields(*, writing: bool, partial: bool = False) -> dict:
    return {spec.name: _field(spec, writing=writing, partial=partial) for spec in CASE_FIELDS}


class PartyIn(Schema):
    role = fields.String(required=True, validate=validate.OneOf(PartyRole.values()))
    name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX))
    kind = fields.String(
        load_default=PartyKind.INDIVIDUAL.value, validate=validate.OneOf(PartyKind.values())
    )
    sex = fields.String(load_default=Sex.UNKNOWN.value, validate=validate.OneOf(Sex.values()))
    age_band = fields.String(
        load_default=AgeBand.UNKNOWN.value, validate=validate.OneOf(AgeBand.values())
    )
    livelihood = fields.String(allow_none=True, validate=validate.Length(max=CODE_MAX))
    community = fields.String(allow_none=True, validate=validate.Length(max=NAME_MAX))
    consent_to_share = fields.Boolean(allow_none=True)


class PartyOut(Schema):
    id = fields.Integer(required=True)
    role = fields.String(required=True)
    kind = fields.String(required=True)
    # Null when the case is restricted and the reader may not see its details.
    name = fields.String(allow_none=True, required=True)
    sex = fields.String(required=True)
    age_band = fields.String(required=True)
    livelihood = fields.String(allow_none=True, required=True)
    community = fields.String(allow_none=True, required=True)
    consent = fields.Boolean(allow_none=True, required=True)


CaseCreate = Schema.from_dict(
    {
        **_case_fields(writing=True),
        "site_id": fields.Integer(allow_none=True, strict=True, **ID),
        "parties": fields.List(
            fields.Nested(PartyIn), required=True, validate=validate.Length(min=1, max=50)
        ),
    },
    name="CaseCreate",
)

CasePatch = Schema.from_dict(
    {
        **_case_fields(writing=True, partial=True),
        "confidentiality_reason": fields.String(
            allow_none=True, validate=validate.Length(max=SHORT_TEXT_MAX)
        ),
    },
    name="CasePatch",
)

SummaryLink = Schema.from_dict(
    {
        "lang": fields.String(required=True),
        "format": fields.String(required=True),
        "href": fields.String(required=True),
    },
    name="SummaryLink",
)

CaseOut = Schema.from_dict(
    {
        "id": fields.Integer(required=True),
        "reference": fields.String(required=True),
        "status": fields.String(required=True),
        "ladder_level": fields.Integer(required=True),
        "version": fields.Integer(required=True),
        "archived": fields.Boolean(required=True),
        # False when the case is restricted and the reader sees its figures only.
        "details_visible": fields.Boolean(required=True),
        "created_at": fields.DateTime(required=True),
        "updated_at": fields.DateTime(required=True),
        # A sensitive field is null when the reader may not see the case's details.
        **{spec.name: _field(spec, writing=False, partial=spec.sensitive) for spec in CASE_FIELDS},
        "parties": fields.List(fields.Nested(PartyOut), required=True),
        # The case summary (fiche de dossier) in each language and format, for a browser
        # signed in to the application (issue 18).
        "summaries": fields.List(fields.Nested(SummaryLink), required=True),
    },
    name="Case",
)


class Page(Schema):
    next_cursor = fields.String(allow_none=True, required=True)


class CasePage(Page):
    items = fields.List(fields.Nested(CaseOut), required=True)


class ListQuery(Schema):
    cursor = fields.String(validate=validate.Length(max=100))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=LIST_MAX))


class CaseQuery(ListQuery):
    status = fields.String(validate=validate.OneOf([s.value for s in CaseStatus]))
    conflict_type = fields.String(validate=validate.Length(max=CODE_MAX))
    area_id = fields.Integer(**ID)
    reported_from = fields.Date()
    reported_to = fields.Date()
    q = fields.String(validate=validate.Length(max=200))
    archived = fields.String(load_default="no", validate=validate.OneOf(ARCHIVED_CHOICES))


# --- a case's records -------------------------------------------------------------------------


class SessionIn(Schema):
    held_on = fields.Date(required=True)
    place = fields.String(required=True, validate=validate.Length(max=CODE_MAX))
    mechanism = fields.String(required=True, validate=validate.Length(max=CODE_MAX))
    result = fields.String(required=True, validate=validate.OneOf(SessionResult.values()))
    women = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    men = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    youth = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    minutes = fields.String(load_default="", validate=validate.Length(max=20_000))
    minutes_lang = fields.String(allow_none=True, validate=validate.OneOf(["fr", "en"]))
    actor_ids = fields.List(fields.Integer(strict=True, **ID), load_default=list)


class SessionOut(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    held_on = fields.Date(required=True)
    place = fields.String(required=True)
    mechanism = fields.String(required=True)
    ladder_level = fields.Integer(required=True)
    result = fields.String(required=True)
    women = fields.Integer(required=True)
    men = fields.Integer(required=True)
    youth = fields.Integer(required=True)
    minutes = fields.String(allow_none=True, required=True)
    minutes_lang = fields.String(allow_none=True, required=True)
    actor_ids = fields.List(fields.Integer(), required=True)


class SessionPage(Page):
    items = fields.List(fields.Nested(SessionOut), required=True)


class AgreementTermOut(Schema):
    id = fields.Integer(required=True)
    description = fields.String(allow_none=True, required=True)
    obliged_party_id = fields.Integer(allow_none=True, required=True)
    due_on = fields.Date(allow_none=True, required=True)


class AgreementOut(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    session_id = fields.Integer(allow_none=True, required=True)
    concluded_on = fields.Date(required=True)
    form = fields.String(required=True)
    outcome = fields.String(required=True)
    compensation_fcfa = fields.Integer(allow_none=True, required=True)
    livestock_heads = fields.Integer(allow_none=True, required=True)
    diya = fields.Boolean(required=True)
    restitution = fields.String(allow_none=True, required=True)
    signatories = fields.String(allow_none=True, required=True)
    witnesses = fields.String(allow_none=True, required=True)
    terms = fields.List(fields.Nested(AgreementTermOut), required=True)


class AgreementPage(Page):
    items = fields.List(fields.Nested(AgreementOut), required=True)


class ReferralOut(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    referred_on = fields.Date(required=True)
    from_level = fields.Integer(required=True)
    from_institution = fields.String(allow_none=True, required=True)
    target = fields.String(required=True)
    reason = fields.String(allow_none=True, required=True)
    is_reverse = fields.Boolean(required=True)
    acknowledged_on = fields.Date(allow_none=True, required=True)
    feedback_on = fields.Date(allow_none=True, required=True)
    feedback = fields.String(allow_none=True, required=True)
    emergency_override = fields.Boolean(required=True)


class ReferralPage(Page):
    items = fields.List(fields.Nested(ReferralOut), required=True)


class FollowUpOut(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    agreement_id = fields.Integer(allow_none=True, required=True)
    due_on = fields.Date(required=True)
    done_on = fields.Date(allow_none=True, required=True)
    compliance = fields.String(allow_none=True, required=True)
    recurrence = fields.Boolean(required=True)
    notes = fields.String(allow_none=True, required=True)


class FollowUpPage(Page):
    items = fields.List(fields.Nested(FollowUpOut), required=True)


class VisitIn(Schema):
    done_on = fields.Date(required=True)
    compliance = fields.String(required=True, validate=validate.OneOf(Compliance.values()))
    notes = fields.String(allow_none=True, validate=validate.Length(max=SHORT_TEXT_MAX))


# --- community policing -----------------------------------------------------------------------


class AlertIn(Schema):
    occurred_at = fields.AwareDateTime(required=True)
    unit_id = fields.Integer(required=True, strict=True, **ID)
    category = fields.String(required=True, validate=validate.Length(max=CODE_MAX))
    urgency = fields.Integer(required=True, strict=True, validate=validate.Range(1, 3))
    source_type = fields.String(required=True, validate=validate.Length(max=CODE_MAX))
    description = fields.String(required=True, validate=validate.Length(min=1, max=5_000))
    place = fields.String(allow_none=True, validate=validate.Length(max=NAME_MAX))
    relay_code = fields.String(allow_none=True, validate=validate.Length(max=40))
    verified = fields.Boolean(load_default=False)
    police_unit_id = fields.Integer(allow_none=True, strict=True, **ID)


class AlertOut(Schema):
    id = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    unit_id = fields.Integer(required=True)
    place = fields.String(allow_none=True, required=True)
    category = fields.String(required=True)
    urgency = fields.Integer(required=True)
    source_type = fields.String(required=True)
    relay_code = fields.String(allow_none=True, required=True)
    description = fields.String(required=True)
    verified = fields.Boolean(required=True)
    forwarded_to = fields.String(allow_none=True, required=True)
    forwarded_at = fields.DateTime(allow_none=True, required=True)
    response = fields.String(allow_none=True, required=True)
    responded_at = fields.DateTime(allow_none=True, required=True)
    police_unit_id = fields.Integer(allow_none=True, required=True)
    case_id = fields.Integer(allow_none=True, required=True)


class AlertPage(Page):
    items = fields.List(fields.Nested(AlertOut), required=True)


class AlertQuery(ListQuery):
    category = fields.String(validate=validate.Length(max=CODE_MAX))
    urgency = fields.Integer(validate=validate.Range(1, 3))
    area_id = fields.Integer(**ID)
    verified = fields.Boolean()
    occurred_from = fields.Date()
    occurred_to = fields.Date()
    q = fields.String(validate=validate.Length(max=200))


class ActivityIn(Schema):
    activity_type = fields.String(required=True, validate=validate.Length(max=CODE_MAX))
    held_on = fields.Date(required=True)
    police_unit_id = fields.Integer(required=True, strict=True, **ID)
    unit_id = fields.Integer(required=True, strict=True, **ID)
    topic = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    duration_minutes = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(0, 10_000)
    )
    place = fields.String(allow_none=True, validate=validate.Length(max=NAME_MAX))
    participants = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 100_000))
    women = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 100_000))
    men = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 100_000))
    youth = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 100_000))
    alerts_raised = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    cases_created = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    cases_referred = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    notes = fields.String(allow_none=True, validate=validate.Length(max=SHORT_TEXT_MAX))
    case_references = fields.List(
        fields.String(validate=validate.Length(max=40)), load_default=list
    )


class ActivityOut(Schema):
    id = fields.Integer(required=True)
    activity_type = fields.String(required=True)
    held_on = fields.Date(required=True)
    duration_minutes = fields.Integer(allow_none=True, required=True)
    police_unit_id = fields.Integer(required=True)
    unit_id = fields.Integer(required=True)
    place = fields.String(allow_none=True, required=True)
    topic = fields.String(required=True)
    participants = fields.Integer(required=True)
    women = fields.Integer(required=True)
    men = fields.Integer(required=True)
    youth = fields.Integer(required=True)
    alerts_raised = fields.Integer(required=True)
    cases_created = fields.Integer(required=True)
    cases_referred = fields.Integer(required=True)
    notes = fields.String(allow_none=True, required=True)
    case_references = fields.List(fields.String(), required=True)


class ActivityPage(Page):
    items = fields.List(fields.Nested(ActivityOut), required=True)


class ActivityQuery(ListQuery):
    activity_type = fields.String(validate=validate.Length(max=CODE_MAX))
    area_id = fields.Integer(**ID)
    held_from = fields.Date()
    held_to = fields.Date()


# --- reference data ---------------------------------------------------------------------------


class VocabularyTermOut(Schema):
    vocabulary = fields.String(required=True)
    code = fields.String(required=True)
    labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    is_active = fields.Boolean(required=True)
    mandatory_referral = fields.Boolean(required=True)


class VocabularyOut(Schema):
    name = fields.String(required=True)
    terms = fields.List(fields.Nested(VocabularyTermOut), required=True)


class VocabularyList(Schema):
    items = fields.List(fields.Nested(VocabularyOut), required=True)


class UnitOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(allow_none=True, required=True)


class UnitPage(Page):
    items = fields.List(fields.Nested(UnitOut), required=True)


class UnitQuery(ListQuery):
    kind = fields.String(validate=validate.Length(max=12))
    parent_id = fields.Integer(**ID)
    q = fields.String(validate=validate.Length(max=120))
