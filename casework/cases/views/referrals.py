"""Referrals, the institutions' feedback and the civil case opened beside a referral."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import (
    get_case_or_404,
)
from casework.cases.forms import (
    CivilCaseForm,
    FeedbackForm,
    NoticeForm,
    ReferralForm,
    blank,
)
from casework.cases.models import (
    Referral,
)
from casework.cases.services import referral_rules as rules
from casework.cases.views.common import bp
from casework.core.forms import apply_form, int_or_none
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


@bp.route("/cases/<int:case_id>/referrals/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_referral(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = ReferralForm()
    kind = rules.referral_kind(case)
    form.target.choices = blank() + rules.target_order(case, vocab.choices("referral_target"))
    crime = kind == rules.ReferralKind.CRIME
    if crime:  # told, not asked: nothing to override
        form.notified_party_ids.choices = [(party.id, party.name) for party in case.parties]
        del form.emergency_override, form.override_reason
    else:  # only a crime's parties are told rather than asked
        del form.notified_party_ids, form.notified_on, form.notified_how
    if request.method == "GET":
        form.referred_on.data = utcnow().date()
    notice = None
    if crime:
        notice = rules.NoticeData(
            party_ids=list(form.notified_party_ids.data or []),
            notified_on=form.notified_on.data,
            means=form.notified_how.data or None,
        )
    outcome = apply_form(
        form,
        lambda: services.record_referral(
            case,
            services.ReferralData(
                referred_on=form.referred_on.data,
                target=form.target.data,
                reason=form.reason.data or "",
                from_institution=form.from_institution.data,
                emergency_override=not crime and bool(form.emergency_override.data),
                override_reason=None if crime else form.override_reason.data,
                parallel=bool(form.parallel.data),
                notice=notice,
            ),
            current_user,
        ),
    )
    if outcome.done:
        if outcome.value.emergency_override:
            flash(_("Referral recorded under an emergency override."), "warning")
        else:
            flash(_("Referral recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_referral.html",
        form=form,
        case=case,
        kind=kind.value,
        survivors=rules.survivors(case),
        without_consent=rules.missing_consent(case, next(iter(rules.AUTHORITY_TARGETS))),
        may_override=kind != rules.ReferralKind.GBV or rules.may_override_survivor(current_user),
        authority_targets=", ".join(
            label
            for code, label in vocab.choices("referral_target")
            if code in rules.AUTHORITY_TARGETS
        ),
    ), outcome.status


@bp.route("/cases/<int:case_id>/referrals/<int:referral_id>/feedback", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_feedback(case_id: int, referral_id: int):
    case = get_case_or_404(case_id, need="edit")
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.case_id != case.id:
        abort(404)
    form = FeedbackForm()
    if request.method == "GET":
        form.feedback_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_referral_feedback(
            referral,
            feedback_on=form.feedback_on.data,
            feedback=form.feedback.data or "",
            result=form.result.data,
            by=current_user,
            back_to_level=int_or_none(form.back_to_level.data),
        ),
    )
    if outcome.done:
        flash(_("Feedback recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_feedback.html", form=form, case=case, referral=referral, label=vocab.label
    ), outcome.status


@bp.route("/cases/<int:case_id>/referrals/<int:referral_id>/notices", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_notice(case_id: int, referral_id: int):
    case = get_case_or_404(case_id, need="edit")
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.case_id != case.id:
        abort(404)
    form = NoticeForm()
    form.notified_party_ids.choices = [(party.id, party.name) for party in case.parties]
    if request.method == "GET":
        form.notified_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: rules.record_notice(
            referral,
            rules.NoticeData(
                party_ids=list(form.notified_party_ids.data or []),
                notified_on=form.notified_on.data,
                means=form.notified_how.data or None,
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Recorded who was told."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_notice.html", form=form, case=case, referral=referral, label=vocab.label
    ), outcome.status


@bp.route("/cases/<int:case_id>/civil-case", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def open_civil_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = CivilCaseForm()
    starred = vocab.mandatory_referral_codes()
    form.conflict_type.choices = blank() + [
        c for c in vocab.choices("conflict_type") if c[0] not in starred
    ]
    if request.method == "GET":
        form.title.data = _("Compensation between the families: %(title)s", title=case.title)[:200]
    outcome = apply_form(
        form,
        lambda: services.open_linked_case(
            case, current_user, conflict_type=form.conflict_type.data, title=form.title.data
        ),
    )
    if outcome.done:
        flash(_("Civil case %(reference)s opened.", reference=outcome.value.reference), "success")
        return redirect(url_for("cases.view_case", case_id=outcome.value.id))
    return render_template("cases/open_civil_case.html", form=form, case=case), outcome.status
