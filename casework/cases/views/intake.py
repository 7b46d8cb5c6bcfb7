"""Registering a case, with the check for likely duplicates."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import can_see_details, in_area
from casework.cases.forms import (
    IntakeForm,
)
from casework.cases.models import (
    Case,
)
from casework.cases.views.common import (
    _visible,
    bp,
    case_data,
    fill_case_choices,
    fill_party_choices,
    party_data,
)
from casework.core.forms import Outcome, apply_form, int_or_none
from casework.db import utcnow
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.roles import Role
from casework.vocab import services as vocab


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.CREATE)
def new_case():
    form = IntakeForm()
    fill_case_choices(form)
    fractions = None
    for entry in form.parties:  # the fractions are the same for every party: read once
        fill_party_choices(entry.form, fractions=fractions)
        fractions = entry.form.fraction_id.choices
    if request.method == "GET":
        form.reported_on.data = utcnow().date()
        form.parties[0].form.role.data = "complainant"
        form.parties[1].form.role.data = "respondent"
        if current_user.has_role(Role.MEDIATOR):
            form.assigned_mediator_id.data = str(current_user.id)
    duplicates: list[Case] = []
    confidential_match = False
    outcome = Outcome(False, status=200)
    if form.validate_on_submit():
        parties = [
            party_data(entry.form) for entry in form.parties if (entry.form.name.data or "").strip()
        ]
        # Once the user ticked "not a duplicate", the check is not run again before saving.
        if not form.not_a_duplicate.data:
            duplicates, confidential_match = _duplicates(form, parties)
        if not duplicates and not confidential_match:
            outcome = apply_form(
                form, lambda: services.register_case(case_data(form), parties, current_user)
            )
            if outcome.done:
                flash(
                    _("Case %(reference)s recorded.", reference=outcome.value.reference), "success"
                )
                if not _visible(outcome.value):  # a secret case assigned to someone else
                    return redirect(url_for("cases.list_cases"))
                return redirect(url_for("cases.view_case", case_id=outcome.value.id))
            if form.not_a_duplicate.data:  # refused: the likely duplicates are shown again
                duplicates, confidential_match = _duplicates(form, parties)
    elif request.method == "POST":
        outcome = Outcome(False, status=400)
    return render_template(
        "cases/new_case.html",
        form=form,
        duplicates=duplicates,
        confidential_match=confidential_match,
        label=vocab.label,
    ), outcome.status


def _duplicates(form, parties: list[services.PartyData]) -> tuple[list[Case], bool]:
    """The likely duplicates the user may see in full, and whether a confidential case
    (secret, or restricted and not theirs) may match too: that one is never named."""
    found = services.likely_duplicates(
        int_or_none(form.unit_id.data), form.event_date.data, [p.name for p in parties]
    )
    shown = [c for c in found if can_see_details(current_user, c)]
    confidential = any(
        in_area(current_user, c.unit) and not can_see_details(current_user, c) for c in found
    )
    return shown, confidential
