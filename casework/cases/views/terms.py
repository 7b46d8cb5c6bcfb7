"""The terms of an agreement after signing: a term added or corrected, an instalment paid,
a term marked done or breached."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import get_case_or_404
from casework.cases.enums import Species, TermKind, TermStatus
from casework.cases.forms import blank
from casework.cases.models import Agreement, AgreementTerm, Case
from casework.cases.term_forms import InstalmentForm, TermForm, TermStatusForm
from casework.cases.views.common import bp
from casework.core.forms import apply_form, int_or_none
from casework.db import utcnow
from casework.enums import title_filter
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires

for _name, _enum in {"term_kind": TermKind, "term_status": TermStatus, "species": Species}.items():
    bp.add_app_template_filter(title_filter(_enum), _name)


def _agreement_or_404(case: Case, agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.case_id != case.id:
        abort(404)
    return agreement


def _term_or_404(case: Case, term_id: int) -> AgreementTerm:
    term = db.session.get(AgreementTerm, term_id)
    if term is None or term.agreement.case_id != case.id:
        abort(404)
    return term


def term_data(form: TermForm) -> services.TermData:
    return services.TermData(
        description=form.description.data or "",
        obliged_party_id=int_or_none(form.obliged_party_id.data),
        due_on=form.due_on.data,
        kind=form.kind.data,
        species=form.species.data or None,
        amount=form.amount.data,
    )


def _offer_parties(form: TermForm, case: Case) -> None:
    form.obliged_party_id.choices = blank(_("Both parties")) + [
        (str(p.id), p.name) for p in case.parties
    ]


@bp.route("/cases/<int:case_id>/agreements/<int:agreement_id>/terms/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def add_term(case_id: int, agreement_id: int):
    case = get_case_or_404(case_id, need="edit")
    agreement = _agreement_or_404(case, agreement_id)
    form = TermForm()
    _offer_parties(form, case)
    outcome = apply_form(form, lambda: services.add_term(agreement, term_data(form), current_user))
    if outcome.done:
        flash(_("Term added to the agreement."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id, _anchor="terms"))
    return render_template("cases/edit_term.html", form=form, case=case, term=None), outcome.status


@bp.route("/cases/<int:case_id>/terms/<int:agreement_term_id>/edit", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def edit_term(case_id: int, agreement_term_id: int):
    case = get_case_or_404(case_id, need="edit")
    term = _term_or_404(case, agreement_term_id)
    form = TermForm(obj=term) if request.method == "GET" else TermForm()
    _offer_parties(form, case)
    if request.method == "GET":
        form.obliged_party_id.data = str(term.obliged_party_id or "")
        form.species.data = term.species or ""
    outcome = apply_form(form, lambda: services.edit_term(term, term_data(form), current_user))
    if outcome.done:
        flash(_("Term saved."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id, _anchor="terms"))
    return render_template("cases/edit_term.html", form=form, case=case, term=term), outcome.status


@bp.route(
    "/cases/<int:case_id>/terms/<int:agreement_term_id>/instalments/new", methods=["GET", "POST"]
)
@requires(Resource.CASE, Action.EDIT)
def record_instalment(case_id: int, agreement_term_id: int):
    case = get_case_or_404(case_id, need="edit")
    term = _term_or_404(case, agreement_term_id)
    form = InstalmentForm()
    if request.method == "GET":
        form.paid_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_instalment(
            term,
            services.InstalmentData(
                paid_on=form.paid_on.data,
                amount_paid=form.amount_paid.data,
                amount_due=form.amount_due.data,
                received_by=form.received_by.data,
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Instalment recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id, _anchor="terms"))
    return render_template(
        "cases/record_instalment.html", form=form, case=case, term=term
    ), outcome.status


@bp.route("/cases/<int:case_id>/terms/<int:agreement_term_id>/status", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def mark_term(case_id: int, agreement_term_id: int):
    case = get_case_or_404(case_id, need="edit")
    term = _term_or_404(case, agreement_term_id)
    form = TermStatusForm()
    if request.method == "GET":
        form.on.data = utcnow().date()
        form.status.data = request.args.get("status", TermStatus.DONE.value)
    outcome = apply_form(
        form,
        lambda: services.mark_term(
            term, form.status.data, form.on.data, form.note.data, current_user
        ),
    )
    if outcome.done:
        if term.status == TermStatus.BREACHED.value:
            flash(_("Term breached: the agreement is marked not respected."), "warning")
        else:
            flash(_("Term marked done."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id, _anchor="terms"))
    return render_template("cases/mark_term.html", form=form, case=case, term=term), outcome.status
