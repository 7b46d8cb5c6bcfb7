"""Administration of the controlled vocabularies (administrators only).

There is no delete route, by design: a term that is no longer wanted is deactivated, and
the records that use it keep their code and its label.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework.core.forms import ConfirmForm, apply_form
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services
from casework.vocab.forms import NewTermForm, TermForm
from casework.vocab.models import Term

bp = Blueprint("vocab", __name__)


def get_vocabulary_or_404(vocabulary: str) -> str:
    if vocabulary not in services.VOCABULARIES:
        abort(404)
    return vocabulary


def get_term_or_404(vocabulary: str, term_id: int) -> Term:
    get_vocabulary_or_404(vocabulary)
    term = db.session.get(Term, term_id)
    if term is None or term.vocabulary != vocabulary:
        abort(404)
    return term


@bp.route("/admin/vocabularies")
@requires(Resource.VOCABULARY, Action.VIEW)
def list_vocabularies():
    return render_template(
        "vocab/list_vocabularies.html",
        vocabularies=services.VOCABULARIES,
        counts=services.term_counts(),
    )


@bp.route("/admin/vocabularies/<vocabulary>")
@requires(Resource.VOCABULARY, Action.VIEW)
def list_terms(vocabulary: str):
    get_vocabulary_or_404(vocabulary)
    return render_template(
        "vocab/list_terms.html",
        vocabulary=vocabulary,
        title=services.VOCABULARIES[vocabulary],
        terms=services.terms(vocabulary, include_inactive=True),
        usage=services.usage_counts(vocabulary),
        with_referral_flag=vocabulary == services.CONFLICT_TYPE,
    )


@bp.route("/admin/vocabularies/<vocabulary>/new", methods=["GET", "POST"])
@requires(Resource.VOCABULARY, Action.ADMINISTER)
def add_term(vocabulary: str):
    get_vocabulary_or_404(vocabulary)
    form = NewTermForm(with_referral_flag=vocabulary == services.CONFLICT_TYPE)
    outcome = apply_form(
        form,
        lambda: services.add_term(
            vocabulary,
            form.code.data,
            form.labels,
            mandatory_referral=bool(form.referral_flag),
        ),
    )
    if outcome.done:
        flash(_("Term %(code)s added.", code=outcome.value.code), "success")
        return redirect(url_for("vocab.list_terms", vocabulary=vocabulary))
    return render_template(
        "vocab/edit_term.html",
        form=form,
        term=None,
        vocabulary=vocabulary,
        title=services.VOCABULARIES[vocabulary],
    ), outcome.status


@bp.route("/admin/vocabularies/<vocabulary>/<int:term_id>/edit", methods=["GET", "POST"])
@requires(Resource.VOCABULARY, Action.ADMINISTER)
def edit_term(vocabulary: str, term_id: int):
    term = get_term_or_404(vocabulary, term_id)
    form = TermForm(with_referral_flag=vocabulary == services.CONFLICT_TYPE)
    if request.method == "GET":
        form.label_fr.data = (term.labels or {}).get("fr", "")
        form.label_en.data = (term.labels or {}).get("en", "")
        if "mandatory_referral" in form:
            form.mandatory_referral.data = term.mandatory_referral
    outcome = apply_form(form, lambda: services.edit_labels(term, form.labels, form.referral_flag))
    if outcome.done:
        flash(_("Term %(code)s saved.", code=term.code), "success")
        return redirect(url_for("vocab.list_terms", vocabulary=vocabulary))
    return render_template(
        "vocab/edit_term.html",
        form=form,
        term=term,
        vocabulary=vocabulary,
        title=services.VOCABULARIES[vocabulary],
        usage=services.usage_count(vocabulary, term.code),
    ), outcome.status


def _set_active(vocabulary: str, term_id: int, active: bool):
    term = get_term_or_404(vocabulary, term_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = term.code
    services.set_active(term, active)
    db.session.commit()
    if active:
        flash(_("Term %(code)s reactivated.", code=code), "success")
    else:
        flash(
            _(
                "Term %(code)s deactivated: it is no longer offered for new records; "
                "records that use it keep it.",
                code=code,
            ),
            "success",
        )
    return redirect(url_for("vocab.list_terms", vocabulary=vocabulary))


@bp.route("/admin/vocabularies/<vocabulary>/<int:term_id>/deactivate", methods=["POST"])
@requires(Resource.VOCABULARY, Action.ADMINISTER)
def deactivate_term(vocabulary: str, term_id: int):
    return _set_active(vocabulary, term_id, False)


@bp.route("/admin/vocabularies/<vocabulary>/<int:term_id>/activate", methods=["POST"])
@requires(Resource.VOCABULARY, Action.ADMINISTER)
def activate_term(vocabulary: str, term_id: int):
    return _set_active(vocabulary, term_id, True)
