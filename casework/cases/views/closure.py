"""Closing with approval, the choice after a breach, and recurrences (issue 14)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import get_case_or_404
from casework.cases.closure_forms import (
    BreachForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    RecurrenceForm,
)
from casework.cases.closure_models import ClosureRequest
from casework.cases.enums import ClosureRequestStatus
from casework.cases.states import LadderLevel
from casework.cases.views.common import bp
from casework.core.forms import apply_form
from casework.db import utcnow
from casework.enums import title_filter
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires

bp.add_app_template_filter(title_filter(ClosureRequestStatus), "closure_status")


@bp.app_template_global()
def level_title(level: int) -> str:
    return LadderLevel(level).title


@bp.route("/cases/<int:case_id>/closure/request", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def request_closure(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = ClosureRequestForm()
    outcome = apply_form(
        form, lambda: services.request_closure(case, form.reason.data, current_user)
    )
    if outcome.done:
        flash(
            _("Closure requested: a coordinator of the area will approve or return it."), "success"
        )
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/request_closure.html",
        form=form,
        case=case,
        blockers=services.closure_blockers(case),
    ), outcome.status


@bp.route("/cases/<int:case_id>/closure/<int:request_id>", methods=["GET", "POST"])
@requires(Resource.CASE, Action.APPROVE)
def decide_closure(case_id: int, request_id: int):
    case = get_case_or_404(case_id, need="edit")
    closure = db.session.get(ClosureRequest, request_id)
    if closure is None or closure.case_id != case.id:
        abort(404)
    if not services.can_approve(current_user, case):
        abort(403)
    form = ClosureDecisionForm()
    outcome = apply_form(
        form,
        lambda: services.decide_closure(
            closure, form.decision.data, form.comment.data, current_user
        ),
    )
    if outcome.done:
        if closure.status == "approved":
            flash(
                _(
                    "Closure approved: case %(reference)s is closed, resolved.",
                    reference=case.reference,
                ),
                "success",
            )
        else:
            flash(_("The closure request was returned to the mediator."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/decide_closure.html",
        form=form,
        case=case,
        closure=closure,
        blockers=services.closure_blockers(case),
    ), outcome.status


@bp.route("/closures")
@requires(Resource.CASE, Action.APPROVE)
def closures_to_approve():
    return render_template(
        "cases/closures_to_approve.html", requests=services.pending_requests(current_user)
    )


@bp.route("/cases/<int:case_id>/breach", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def handle_breach(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = BreachForm()
    outcome = apply_form(
        form,
        lambda: services.handle_breach(case, form.choice.data, form.reason.data, current_user),
    )
    if outcome.done:
        if outcome.value is not None:
            flash(
                _(
                    "Case %(reference)s closed unresolved; recurrence %(new)s opened at "
                    "level %(level)s.",
                    reference=case.reference,
                    new=outcome.value.reference,
                    level=outcome.value.ladder_level,
                ),
                "warning",
            )
            return redirect(url_for("cases.view_case", case_id=outcome.value.id))
        flash(_("The case is back in mediation to renegotiate the agreement."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/handle_breach.html", form=form, case=case, breach=services.breach_found(case)
    ), outcome.status


@bp.route("/cases/<int:case_id>/recurrence", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def open_recurrence(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = RecurrenceForm()
    if request.method == "GET":
        form.opened_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.open_recurrence(
            case, current_user, on=form.opened_on.data, reason=form.reason.data
        ),
    )
    if outcome.done:
        flash(
            _(
                "Recurrence %(new)s opened at level %(level)s.",
                new=outcome.value.reference,
                level=outcome.value.ladder_level,
            ),
            "success",
        )
        return redirect(url_for("cases.view_case", case_id=outcome.value.id))
    return render_template(
        "cases/open_recurrence.html",
        form=form,
        case=case,
        level=services.agreement_level(case),
    ), outcome.status
