"""Cases and their parties: list, read, register, edit (with ETag / If-Match)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_login import current_user

from casework.api.common import (
    IDEMPOTENCY_HEADER,
    IF_MATCH_HEADER,
    PreconditionFailed,
    blp,
    case_first,
    etag,
    expected_version,
    idempotent_create,
    page_of,
)
from casework.api.schemas import CaseCreate, CaseOut, CasePage, CasePatch, CaseQuery
from casework.cases import services
from casework.cases.access import can_view, get_case_or_404, sees_details
from casework.cases.fields import CASE_FIELDS
from casework.cases.models import Case
from casework.extensions import db
from casework.permissions import Action, Resource, requires
from casework.reports.render import CASE_FORMATS

SENSITIVE = frozenset(spec.name for spec in CASE_FIELDS if spec.sensitive)


def dump_party(party, details: bool) -> dict:
    return {
        "id": party.id,
        "role": party.role,
        "kind": party.kind,
        "name": party.name if details else None,
        "sex": party.sex,
        "age_band": party.age_band,
        "livelihood": party.livelihood,
        "community": party.community if details else None,
        "consent": party.consent,
    }


def dump_case(case: Case) -> dict:
    details = sees_details(current_user, case)
    values = {
        spec.name: (getattr(case, spec.name) if details or spec.name not in SENSITIVE else None)
        for spec in CASE_FIELDS
    }
    return {
        "id": case.id,
        "reference": case.reference,
        "status": case.status,
        "ladder_level": case.ladder_level,
        "version": case.version,
        "archived": case.is_archived,
        "details_visible": details,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        **values,
        "parties": [dump_party(party, details) for party in case.parties],
        "summaries": [
            {
                "lang": lang,
                "format": fmt,
                "href": url_for("reports.case_summary", case_id=case.id, lang=lang, format=fmt),
            }
            for lang in current_app.config["LANGUAGES"]
            for fmt in CASE_FORMATS
        ],
    }


def with_etag(case: Case, status: int = 200):
    return dump_case(case), status, {"ETag": etag(case.version)}


@blp.route("/cases", methods=["GET"], endpoint="list_cases")
@requires(Resource.CASE, Action.VIEW)
@blp.arguments(CaseQuery, location="query", as_kwargs=False)
@blp.response(200, CasePage)
def list_cases(args):
    """The cases the user may see, newest first, with the case list's filters."""
    filters = services.CaseFilters(
        area_id=args.get("area_id"),
        conflict_type=args.get("conflict_type"),
        status=args.get("status"),
        reported_from=args.get("reported_from"),
        reported_to=args.get("reported_to"),
        text=args.get("q"),
        archived=args["archived"],
    )
    statement = services.filtered_cases(current_user, filters).options(
        sa.orm.selectinload(Case.parties)
    )
    return page_of(statement, Case.id, args, dump_case)


@blp.route("/cases", methods=["POST"], endpoint="create_case")
@requires(Resource.CASE, Action.CREATE)
@blp.arguments(CaseCreate)
@blp.response(201, CaseOut, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(200, schema=CaseOut, description="Made earlier with the same Idempotency-Key")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def create_case(body):
    """Register a case with its parties (at least one); it starts as reported."""
    parties = [services.PartyData(**party) for party in body.pop("parties")]
    data = _case_data(body)

    case, status = idempotent_create(
        "case",
        lambda case_id: db.session.get(Case, case_id),
        lambda: services.register_case(data, parties, current_user),
    )
    if not can_view(current_user, case):  # an earlier key's case, moved out of reach since
        abort(404)
    return with_etag(case, status)


def _case_data(body: dict, case: Case | None = None):
    """What the services are given: the body over the case's current values (an edit) or
    over the declared defaults (a registration). A text sent as null is empty."""
    values = {spec.name: getattr(case, spec.name) if case else spec.empty for spec in CASE_FIELDS}
    values["site_id"] = case.site_id if case else None
    values.update(body)
    for spec in CASE_FIELDS:
        if spec.text and values[spec.name] is None:
            values[spec.name] = "" if spec.required else spec.empty
    return services.CaseData(**values)


@blp.route("/cases/<int:case_id>", methods=["GET"], endpoint="get_case")
@requires(Resource.CASE, Action.VIEW)
@blp.response(200, CaseOut, headers={"ETag": {"schema": {"type": "string"}}})
def get_case(case_id: int):
    """One case with its parties; its ETag is what an edit sends in If-Match."""
    return with_etag(get_case_or_404(case_id))


@blp.route("/cases/<int:case_id>", methods=["PATCH"], endpoint="update_case")
@requires(Resource.CASE, Action.EDIT)
@case_first("edit")
@blp.arguments(CasePatch)
@blp.response(200, CaseOut, headers={"ETag": {"schema": {"type": "string"}}})
@blp.doc(parameters=[IF_MATCH_HEADER])
def update_case(body, case_id: int):
    """Change some fields of a case. If-Match is required: 428 without it, 412 (nothing
    saved) when someone changed the case since it was read."""
    case = get_case_or_404(case_id, need="edit")
    version = expected_version()
    data = _case_data(body, case)
    try:
        services.update_case(case, data, version, current_user)
    except services.EditConflict:
        db.session.commit()  # the refused edit is kept as a conflicting revision
        raise PreconditionFailed() from None
    db.session.commit()
    return with_etag(case)
