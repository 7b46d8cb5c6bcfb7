"""Archiving, restoring and purging a case."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import (
    can_archive,
    can_purge,
    get_case_or_404,
)
from casework.cases.forms import (
    ArchiveForm,
    PurgeForm,
    RestoreForm,
)
from casework.cases.models import (
    Case,
)
from casework.cases.views.common import bp
from casework.core.forms import apply_form
from casework.i18n import _
from casework.permissions import Action, Resource, requires


def get_case_to_archive(case_id: int) -> Case:
    """Load the case (404) that the signed-in coordinator or admin may archive (403)."""
    case = get_case_or_404(case_id)
    if not can_archive(current_user, case):
        abort(403)
    return case


@bp.route("/cases/<int:case_id>/archive", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def archive_case(case_id: int):
    case = get_case_to_archive(case_id)
    form = ArchiveForm()
    outcome = apply_form(form, lambda: services.archive_case(case, form.reason.data, current_user))
    if outcome.done:
        flash(_("Case %(reference)s archived.", reference=case.reference), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/archive_case.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/restore", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def restore_case(case_id: int):
    case = get_case_to_archive(case_id)
    form = RestoreForm()
    outcome = apply_form(form, lambda: services.restore_case(case, current_user))
    if outcome.done:
        flash(_("Case %(reference)s restored.", reference=case.reference), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/restore_case.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/purge", methods=["GET", "POST"])
@requires(Resource.PURGE, Action.ADMINISTER)
def purge_case(case_id: int):
    case = get_case_or_404(case_id)
    if not can_purge(current_user):
        abort(403)
    form = PurgeForm()
    outcome = apply_form(
        form,
        lambda: services.purge_case(
            case, form.reason.data, current_user, confirmation=form.confirmation.data
        ),
    )
    if outcome.done:
        flash(
            _(
                "Case %(reference)s and its records were purged from the database.",
                reference=outcome.value.reference,
            ),
            "warning",
        )
        return redirect(url_for("cases.list_cases", archived="yes"))
    return render_template("cases/purge_case.html", form=form, case=case), outcome.status
