"""The fraction registry and the other places of a case (issue 15)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import get_case_or_404
from casework.cases.enums import PlaceRole
from casework.cases.forms import CasePlacesForm, FractionForm, blank
from casework.cases.models import Fraction
from casework.cases.services.places import FRACTION_GROUP, manages_fractions_of
from casework.cases.views.common import bp
from casework.core.forms import ConfirmForm, apply_form, int_or_none
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import UnitKind
from casework.i18n import _
from casework.permissions import Action, Resource, requires, sees_everywhere
from casework.vocab import services as vocab


def get_fraction_or_404(fraction_id: int) -> Fraction:
    """A fraction (404), that the user may correct: its home commune is in their area (403)."""
    fraction = db.session.get(Fraction, fraction_id)
    if fraction is None:
        abort(404)
    if not manages_fractions_of(current_user, fraction.home_unit):
        abort(403)
    return fraction


def _commune_choices(everywhere: bool) -> list[tuple[str, str]]:
    return [
        (str(choice.id), choice.label)
        for choice in geo.choices_within(
            current_user.area, everything=everywhere, kinds=[UnitKind.COMMUNE]
        )
    ]


def _fraction_form(fraction: Fraction | None = None) -> FractionForm:
    form = FractionForm(obj=fraction)
    form.group_code.choices = blank() + vocab.choices(
        FRACTION_GROUP, include=fraction.group_code if fraction else None
    )
    # The home commune is in the user's area; the range goes anywhere.
    form.home_unit_id.choices = blank(_("Choose a place")) + _commune_choices(
        sees_everywhere(current_user, Resource.FRACTION, Action.EDIT)
    )
    form.range_unit_ids.choices = [
        (int(value), label) for value, label in _commune_choices(everywhere=True)
    ]
    if request.method == "GET" and fraction is not None:
        form.home_unit_id.data = str(fraction.home_unit_id)
        form.range_unit_ids.data = [unit.id for unit in fraction.range_units]
    return form


def _fraction_data(form: FractionForm) -> services.FractionData:
    return services.FractionData(
        name=form.name.data or "",
        group_code=form.group_code.data or None,
        home_unit_id=int_or_none(form.home_unit_id.data),
        range_unit_ids=list(form.range_unit_ids.data or []),
    )


@bp.route("/fractions")
@requires(Resource.FRACTION, Action.VIEW)
def list_fractions():
    fractions = db.session.scalars(
        sa.select(Fraction)
        .options(sa.orm.selectinload(Fraction.range_units))
        .order_by(Fraction.is_active.desc(), Fraction.name_search)
    ).all()
    editable = {
        fraction.id
        for fraction in fractions
        if manages_fractions_of(current_user, fraction.home_unit)
    }
    return render_template(
        "cases/list_fractions.html", fractions=fractions, editable=editable, label=vocab.label
    )


@bp.route("/fractions/new", methods=["GET", "POST"])
@requires(Resource.FRACTION, Action.CREATE)
def new_fraction():
    form = _fraction_form()
    outcome = apply_form(form, lambda: services.save_fraction(_fraction_data(form), current_user))
    if outcome.done:
        flash(_("%(name)s added to the registry.", name=outcome.value.name), "success")
        return redirect(url_for("cases.list_fractions"))
    return render_template("cases/edit_fraction.html", form=form, fraction=None), outcome.status


@bp.route("/fractions/<int:fraction_id>/edit", methods=["GET", "POST"])
@requires(Resource.FRACTION, Action.EDIT)
def edit_fraction(fraction_id: int):
    fraction = get_fraction_or_404(fraction_id)
    form = _fraction_form(fraction)
    outcome = apply_form(
        form, lambda: services.save_fraction(_fraction_data(form), current_user, fraction)
    )
    if outcome.done:
        flash(_("%(name)s saved.", name=fraction.name), "success")
        return redirect(url_for("cases.list_fractions"))
    return render_template("cases/edit_fraction.html", form=form, fraction=fraction), outcome.status


@bp.route("/fractions/<int:fraction_id>/<any(activate, deactivate):action>", methods=["POST"])
@requires(Resource.FRACTION, Action.EDIT)
def set_fraction_active(fraction_id: int, action: str):
    fraction = get_fraction_or_404(fraction_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_fraction_active(fraction, action == "activate")
    db.session.commit()
    return redirect(url_for("cases.list_fractions"))


@bp.route("/cases/<int:case_id>/places", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def edit_places(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = CasePlacesForm()
    # Any place of the geography: a herder's home commune may lie in another region.
    choices = [(unit_id, label) for unit_id, label in geo.choices()]
    roles = [role.value for role in PlaceRole]
    for role in roles:
        form[role].choices = choices
        if request.method == "GET":
            form[role].data = [place.unit_id for place in case.places if place.role == role]
    outcome = apply_form(
        form,
        lambda: services.set_case_places(
            case, {role: list(form[role].data or []) for role in roles}, current_user
        ),
    )
    if outcome.done:
        flash(_("The places of the case are saved."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/edit_places.html", form=form, case=case), outcome.status
