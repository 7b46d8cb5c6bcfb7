"""Agreements and follow-up visits."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import (
    get_case_or_404,
)
from casework.cases.forms import (
    AgreementRecordForm,
    FollowUpForm,
    blank,
)
from casework.cases.models import (
    FollowUp,
)
from casework.cases.views.common import bp
from casework.core.forms import apply_form, int_or_none
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


@bp.route("/cases/<int:case_id>/agreement/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_agreement(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = AgreementRecordForm()
    form.outcome.choices = blank() + [
        (code, label)
        for code, label in vocab.choices("outcome")
        if code in services.AGREEMENT_OUTCOMES
    ]
    parties = blank(_("Both parties")) + [(str(p.id), p.name) for p in case.parties]
    for entry in form.terms:
        entry.form.obliged_party_id.choices = parties
    if request.method == "GET":
        form.concluded_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_agreement(
            case,
            services.AgreementData(
                concluded_on=form.concluded_on.data,
                form=form.form.data,
                outcome=form.outcome.data,
                compensation_fcfa=form.compensation_fcfa.data,
                livestock_heads=form.livestock_heads.data,
                diya=form.diya.data,
                restitution=form.restitution.data,
                signatories=form.signatories.data,
                witnesses=form.witnesses.data,
                terms=[
                    services.TermData(
                        description=entry.form.description.data or "",
                        obliged_party_id=int_or_none(entry.form.obliged_party_id.data),
                        due_on=entry.form.due_on.data,
                        kind=entry.form.kind.data,
                        species=entry.form.species.data or None,
                        amount=entry.form.amount.data,
                    )
                    for entry in form.terms
                ],
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Agreement recorded; follow-up visits are scheduled."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/record_agreement.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_follow_up(case_id: int, follow_up_id: int):
    case = get_case_or_404(case_id, need="edit")
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.case_id != case.id:
        abort(404)
    form = FollowUpForm()
    if request.method == "GET":
        form.done_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_follow_up(
            follow_up,
            services.FollowUpData(
                done_on=form.done_on.data, compliance=form.compliance.data, notes=form.notes.data
            ),
            current_user,
        ),
    )
    if outcome.done:
        if case.status in ("ACCORD", "SUIVI") and services.breach_found(case) is not None:
            flash(
                _(
                    "Agreement not respected: choose whether to renegotiate within this case "
                    "or to close it and open a recurrence."
                ),
                "warning",
            )
            return redirect(url_for("cases.handle_breach", case_id=case.id))
        flash(_("Follow-up visit recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_follow_up.html", form=form, case=case, follow_up=follow_up
    ), outcome.status
