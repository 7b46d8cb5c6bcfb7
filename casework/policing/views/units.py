"""Screens of police units."""

from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_login import current_user

from casework.auth.models import User
from casework.cases.access import area_unit_choices
from casework.cases.forms import blank
from casework.core.forms import int_or_none
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import get_or_404
from casework.policing.forms import PoliceUnitForm
from casework.policing.models import Activity, PoliceUnit
from casework.policing.views.common import _confirm, _form_page, _name_filtered, bp
from casework.roles import Role
from casework.vocab import services as vocab

# --- units ----------------------------------------------------------------------------------


@bp.route("/units")
@requires(Resource.POLICING, Action.VIEW)
def list_units():
    form, valid, units = _name_filtered(PoliceUnit, PoliceUnit.name)
    return render_template("policing/list_units.html", units=units, form=form, valid=valid), (
        200 if valid else 400
    )


def _unit_form(police_unit: PoliceUnit | None = None) -> PoliceUnitForm:
    form = PoliceUnitForm(obj=police_unit)
    form.unit_id.choices = blank() + area_unit_choices(
        include=police_unit.unit_id if police_unit else None
    )
    focal_points = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.POLICE.value, User.is_active.is_(True))
        .order_by(User.full_name)
    )
    form.focal_point_id.choices = blank(_("Nobody yet")) + [
        (str(u.id), u.full_name) for u in focal_points
    ]
    if request.method == "GET" and police_unit is not None:
        form.unit_id.data = str(police_unit.unit_id)
        form.focal_point_id.data = str(police_unit.focal_point_id or "")
    return form


def _unit_data(form) -> services.PoliceUnitData:
    return services.PoliceUnitData(
        name=form.name.data or "",
        force=form.force.data,
        unit_id=int_or_none(form.unit_id.data),
        focal_point_id=int_or_none(form.focal_point_id.data),
    )


@bp.route("/units/new", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.CREATE)
def new_unit():
    return _save_unit()


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_unit(unit_id: int):
    return _save_unit(unit_id)


def _save_unit(unit_id: int | None = None):
    police_unit = get_or_404(PoliceUnit, unit_id) if unit_id else None
    form = _unit_form(police_unit)
    return _form_page(
        form,
        lambda: services.save_police_unit(_unit_data(form), current_user, police_unit),
        done=lambda unit: (
            _("Unit %(name)s saved.", name=unit.name),
            url_for("policing.view_unit", unit_id=unit.id),
        ),
        heading=police_unit.name if police_unit else _("New community-police unit"),
        back=url_for("policing.view_unit", unit_id=unit_id)
        if police_unit
        else url_for("policing.list_units"),
    )


@bp.route("/units/<int:unit_id>")
@requires(Resource.POLICING, Action.VIEW)
def view_unit(unit_id: int):
    police_unit = get_or_404(PoliceUnit, unit_id)
    activities = db.session.scalars(
        sa.select(Activity)
        .where(Activity.police_unit_id == police_unit.id)
        .order_by(Activity.held_on.desc(), Activity.id.desc())
        .limit(100)
    ).all()
    totals = db.session.execute(
        sa.select(
            sa.func.count(Activity.id), sa.func.coalesce(sa.func.sum(Activity.participants), 0)
        ).where(Activity.police_unit_id == police_unit.id)
    ).one()
    return render_template(
        "policing/view_unit.html",
        police_unit=police_unit,
        activities=activities,
        totals=totals,
        label=vocab.label,
    )


@bp.route("/units/<int:unit_id>/<any(activate, deactivate):action>", methods=["POST"])
@requires(Resource.POLICING, Action.EDIT)
def set_unit_active(unit_id: int, action: str):
    police_unit = get_or_404(PoliceUnit, unit_id)
    _confirm()
    services.set_active(police_unit, action == "activate")
    db.session.commit()
    return redirect(url_for("policing.view_unit", unit_id=police_unit.id))
