"""A case's records: mediation sessions, agreements and their terms, referrals, follow-ups.
Each is reached through its case, so the case's area and confidentiality apply first."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from casework.api.common import (
    IDEMPOTENCY_HEADER,
    blp,
    case_first,
    idempotent_create,
    page_of,
)
from casework.api.schemas import (
    AgreementOut,
    AgreementPage,
    FollowUpOut,
    FollowUpPage,
    ListQuery,
    ReferralOut,
    ReferralPage,
    SessionIn,
    SessionOut,
    SessionPage,
    VisitIn,
)
from casework.cases import services
from casework.cases.access import get_case_or_404, sees_details
from casework.cases.models import Agreement, Case, FollowUp, MediationSession, Referral
from casework.extensions import db
from casework.permissions import Action, Resource, requires


def _record_of(model, case: Case, record_id: int):
    record = db.session.get(model, record_id)
    if record is None or record.case_id != case.id:
        abort(404)
    return record


def _hidden(case: Case, value):
    return value if sees_details(current_user, case) else None


def dump_session(session: MediationSession) -> dict:
    return {
        "id": session.id,
        "case_id": session.case_id,
        "held_on": session.held_on,
        "place": session.place,
        "mechanism": session.mechanism,
        "ladder_level": session.ladder_level,
        "result": session.result,
        "women": session.women,
        "men": session.men,
        "youth": session.youth,
        "minutes": _hidden(session.case, session.minutes),
        "minutes_lang": session.minutes_lang,
        "actor_ids": [actor.id for actor in session.actors],
    }


def dump_agreement(agreement: Agreement) -> dict:
    case = agreement.case
    return {
        "id": agreement.id,
        "case_id": agreement.case_id,
        "session_id": agreement.session_id,
        "concluded_on": agreement.concluded_on,
        "form": agreement.form,
        "outcome": agreement.outcome,
        "compensation_fcfa": agreement.compensation_fcfa,
        "livestock_heads": agreement.livestock_heads,
        "diya": agreement.diya,
        "restitution": _hidden(case, agreement.restitution),
        "signatories": _hidden(case, agreement.signatories),
        "witnesses": _hidden(case, agreement.witnesses),
        "terms": [
            {
                "id": term.id,
                "description": _hidden(case, term.description),
                "obliged_party_id": term.obliged_party_id,
                "due_on": term.due_on,
            }
            for term in agreement.terms
        ],
    }


def dump_referral(referral: Referral) -> dict:
    case = referral.case
    return {
        "id": referral.id,
        "case_id": referral.case_id,
        "referred_on": referral.referred_on,
        "from_level": referral.from_level,
        "from_institution": referral.from_institution,
        "target": referral.target,
        "reason": _hidden(case, referral.reason),
        "is_reverse": referral.is_reverse,
        "acknowledged_on": referral.acknowledged_on,
        "feedback_on": referral.feedback_on,
        "feedback": _hidden(case, referral.feedback),
        "emergency_override": referral.emergency_override,
    }


def dump_follow_up(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.id,
        "case_id": follow_up.case_id,
        "agreement_id": follow_up.agreement_id,
        "due_on": follow_up.due_on,
        "done_on": follow_up.done_on,
        "compliance": follow_up.compliance,
        "recurrence": follow_up.recurrence,
        "notes": _hidden(follow_up.case, follow_up.notes),
    }


def _list(model, case_id: int, args: dict, dump):
    case = db.session.get(Case, case_id)  # reached and viewed through @case_first
    return page_of(sa.select(model).where(model.case_id == case.id), model.id, args, dump)


# --- sessions ---------------------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/sessions", methods=["GET"], endpoint="list_sessions")
@requires(Resource.CASE, Action.VIEW)
@case_first("view")
@blp.arguments(ListQuery, location="query", as_kwargs=False)
@blp.response(200, SessionPage)
def list_sessions(args, case_id: int):
    """The case's mediation sessions (private notes are never sent)."""
    return _list(MediationSession, case_id, args, dump_session)


@blp.route(
    "/cases/<int:case_id>/sessions/<int:session_id>", methods=["GET"], endpoint="get_session"
)
@requires(Resource.CASE, Action.VIEW)
@blp.response(200, SessionOut)
def get_session(case_id: int, session_id: int):
    return dump_session(_record_of(MediationSession, get_case_or_404(case_id), session_id))


@blp.route("/cases/<int:case_id>/sessions", methods=["POST"], endpoint="create_session")
@requires(Resource.CASE, Action.EDIT)
@case_first("edit")
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
@blp.alt_response(200, schema=SessionOut, description="Made earlier with the same Idempotency-Key")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def create_session(body, case_id: int):
    """Record a mediation session on a case in mediation."""
    case = get_case_or_404(case_id, need="edit")
    data = services.SessionData(**body)
    session, status = idempotent_create(
        f"session:{case.id}",
        lambda session_id: _record_of(MediationSession, case, session_id),
        lambda: services.record_session(case, data, current_user),
    )
    return dump_session(session), status


# --- agreements, referrals --------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/agreements", methods=["GET"], endpoint="list_agreements")
@requires(Resource.CASE, Action.VIEW)
@case_first("view")
@blp.arguments(ListQuery, location="query", as_kwargs=False)
@blp.response(200, AgreementPage)
def list_agreements(args, case_id: int):
    """The case's agreements with their terms."""
    return _list(Agreement, case_id, args, dump_agreement)


@blp.route(
    "/cases/<int:case_id>/agreements/<int:agreement_id>", methods=["GET"], endpoint="get_agreement"
)
@requires(Resource.CASE, Action.VIEW)
@blp.response(200, AgreementOut)
def get_agreement(case_id: int, agreement_id: int):
    return dump_agreement(_record_of(Agreement, get_case_or_404(case_id), agreement_id))


@blp.route("/cases/<int:case_id>/referrals", methods=["GET"], endpoint="list_referrals")
@requires(Resource.CASE, Action.VIEW)
@case_first("view")
@blp.arguments(ListQuery, location="query", as_kwargs=False)
@blp.response(200, ReferralPage)
def list_referrals(args, case_id: int):
    """The case's referrals to other institutions."""
    return _list(Referral, case_id, args, dump_referral)


@blp.route(
    "/cases/<int:case_id>/referrals/<int:referral_id>", methods=["GET"], endpoint="get_referral"
)
@requires(Resource.CASE, Action.VIEW)
@blp.response(200, ReferralOut)
def get_referral(case_id: int, referral_id: int):
    return dump_referral(_record_of(Referral, get_case_or_404(case_id), referral_id))


# --- follow-ups -------------------------------------------------------------------------------


@blp.route("/cases/<int:case_id>/follow-ups", methods=["GET"], endpoint="list_follow_ups")
@requires(Resource.CASE, Action.VIEW)
@case_first("view")
@blp.arguments(ListQuery, location="query", as_kwargs=False)
@blp.response(200, FollowUpPage)
def list_follow_ups(args, case_id: int):
    """The case's follow-up visits, planned and done."""
    return _list(FollowUp, case_id, args, dump_follow_up)


@blp.route(
    "/cases/<int:case_id>/follow-ups/<int:follow_up_id>", methods=["GET"], endpoint="get_follow_up"
)
@requires(Resource.CASE, Action.VIEW)
@blp.response(200, FollowUpOut)
def get_follow_up(case_id: int, follow_up_id: int):
    return dump_follow_up(_record_of(FollowUp, get_case_or_404(case_id), follow_up_id))


@blp.route(
    "/cases/<int:case_id>/follow-ups/<int:follow_up_id>/visit",
    methods=["POST"],
    endpoint="record_visit",
)
@requires(Resource.CASE, Action.EDIT)
@case_first("edit")
@blp.arguments(VisitIn)
@blp.response(201, FollowUpOut)
@blp.alt_response(200, schema=FollowUpOut, description="Recorded earlier with the same key")
@blp.doc(parameters=[IDEMPOTENCY_HEADER])
def record_visit(body, case_id: int, follow_up_id: int):
    """Record the visit of a planned follow-up (a breach closes the case unresolved and
    opens a linked case, as on the page)."""
    case = get_case_or_404(case_id, need="edit")
    follow_up = _record_of(FollowUp, case, follow_up_id)
    data = services.FollowUpData(**body)

    def visit():
        services.record_follow_up(follow_up, data, current_user)
        return follow_up

    follow_up, status = idempotent_create(
        f"visit:{case.id}", lambda ident: _record_of(FollowUp, case, ident), visit
    )
    return dump_follow_up(follow_up), status
