"""The policing blueprint, the helpers its screens share, and the hub."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import format_timedelta
from flask_login import current_user

from casework.cases.access import area_unit_choices
from casework.core.forms import ConfirmForm, apply_form, int_or_none
from casework.enums import title_filter
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import policing_area_clause
from casework.policing.enums import Force, RecommendationStatus
from casework.policing.forms import NameFilterForm
from casework.policing.models import Alert, PoliceUnit
from casework.text import fold, search_tokens
from casework.vocab import services as vocab

bp = Blueprint("policing", __name__, url_prefix="/policing")

bp.add_app_template_filter(title_filter(Force), "force")
bp.add_app_template_filter(title_filter(RecommendationStatus), "recommendation_status")


@bp.app_template_global()
def response_time(alert: Alert) -> str:
    """How long the response took, in the reader's language (e.g. "2 heures" / "2 hours")."""
    if alert.responded_at is None:
        return ""
    return format_timedelta(
        alert.responded_at - alert.occurred_at, threshold=1.0, granularity="minute"
    )


# --- helpers --------------------------------------------------------------------------------


def police_unit_choices(include: int | None = None) -> list[tuple[str, str]]:
    units = db.session.scalars(
        sa.select(PoliceUnit)
        .where(policing_area_clause(current_user, PoliceUnit.unit_id))
        .where(sa.or_(PoliceUnit.is_active.is_(True), PoliceUnit.id == (include or 0)))
        .order_by(PoliceUnit.name)
    )
    return [(str(unit.id), unit.name) for unit in units]


def _form_page(form, save, *, done, heading, back):
    """A record's form: on success, flash and go where ``done(record)`` says; else show the
    form again with what was wrong (400 for a refused POST)."""
    outcome = apply_form(form, save)
    if outcome.done:
        message, target = done(outcome.value)
        flash(message, "success")
        return redirect(target)
    return render_template(
        "policing/form.html", form=form, heading=heading, back=back
    ), outcome.status


def _confirm() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


# --- hub and warnings -----------------------------------------------------------------------


@bp.route("/")
@requires(Resource.POLICING, Action.VIEW)
def index():
    warnings = services.active_warnings(current_user)
    recent_alerts = db.session.scalars(
        services.filtered_alerts(current_user, services.AlertFilters())
        .order_by(Alert.occurred_at.desc())
        .limit(5)
    ).all()
    return render_template(
        "policing/index.html", warnings=warnings, alerts=recent_alerts, label=vocab.label
    )


def _name_filtered(model, name_column) -> tuple[NameFilterForm, bool, list]:
    """A short list (units, committees) narrowed by area and by name, accents ignored.
    These lists hold tens of rows: the name is matched in Python with fold()."""
    form = NameFilterForm(request.args)
    form.area.choices = [("", _("My whole area"))] + area_unit_choices()
    statement = sa.select(model).where(policing_area_clause(current_user, model.unit_id))
    valid = form.validate() if request.args else True
    tokens: list[str] = []
    if valid:
        area_id = int_or_none(form.area.data)
        if area_id:
            statement = statement.where(model.unit_id.in_(services.units_within(area_id)))
        tokens = search_tokens(form.q.data)
    rows = db.session.scalars(statement.order_by(model.is_active.desc(), name_column)).all()
    rows = [row for row in rows if all(token in fold(row.name) for token in tokens)]
    return form, valid, rows
