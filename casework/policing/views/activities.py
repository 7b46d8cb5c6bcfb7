"""Screens of community-policing activities."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from casework.cases.access import area_unit_choices, can_use_cases, knows_case
from casework.cases.forms import blank
from casework.core.forms import int_or_none
from casework.core.pagination import paginate
from casework.db import utcnow
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import get_or_404
from casework.policing.forms import ActivityFilterForm, ActivityForm
from casework.policing.models import Activity
from casework.policing.views.common import _form_page, bp, police_unit_choices
from casework.vocab import services as vocab

# --- activities -----------------------------------------------------------------------------


def _activity_form(activity: Activity | None = None) -> ActivityForm:
    form = ActivityForm(obj=activity)
    form.activity_type.choices = blank() + vocab.choices(
        "activity_type", include=activity.activity_type if activity else None
    )
    form.police_unit_id.choices = blank() + police_unit_choices(
        activity.police_unit_id if activity else None
    )
    form.unit_id.choices = blank() + area_unit_choices(
        include=activity.unit_id if activity else None
    )
    if request.method == "GET":
        if activity is None:
            form.held_on.data = utcnow().date()
        else:
            form.police_unit_id.data = str(activity.police_unit_id)
            form.unit_id.data = str(activity.unit_id)
            form.case_references.data = ", ".join(
                c.reference for c in activity.cases if knows_case(current_user, c)
            )
    return form


def _activity_data(form) -> services.ActivityData:
    return services.ActivityData(
        activity_type=form.activity_type.data,
        held_on=form.held_on.data,
        police_unit_id=int_or_none(form.police_unit_id.data),
        unit_id=int_or_none(form.unit_id.data),
        topic=form.topic.data or "",
        duration_minutes=form.duration_minutes.data,
        place=form.place.data,
        participants=form.participants.data,
        women=form.women.data,
        men=form.men.data,
        youth=form.youth.data,
        alerts_raised=form.alerts_raised.data,
        cases_created=form.cases_created.data,
        cases_referred=form.cases_referred.data,
        notes=form.notes.data,
        case_references=(form.case_references.data or "").replace(";", ",").split(","),
    )


@bp.route("/activities")
@requires(Resource.POLICING, Action.VIEW)
def list_activities():
    form = ActivityFilterForm(request.args)
    form.area.choices = [("", _("My whole area"))] + area_unit_choices()
    form.type.choices = blank(_("All types")) + vocab.choices("activity_type")
    form.police_unit.choices = blank(_("All units")) + police_unit_choices()
    valid = form.validate() if request.args else True
    filters = services.ActivityFilters()
    if valid:
        filters = services.ActivityFilters(
            activity_type=form.type.data or None,
            police_unit_id=int_or_none(form.police_unit.data),
            area_id=int_or_none(form.area.data),
            held_from=form.date_from.data,
            held_to=form.date_to.data,
            text=form.q.data,
        )
    statement = services.filtered_activities(current_user, filters)
    listing = paginate(statement, (Activity.held_on.desc(), Activity.id.desc()))
    return render_template(
        "policing/list_activities.html",
        form=form,
        listing=listing,
        label=vocab.label,
        valid=valid,
    ), (200 if valid else 400)


@bp.route("/activities/new", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.CREATE)
def new_activity():
    return _save_activity()


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_activity(activity_id: int):
    return _save_activity(activity_id)


def _save_activity(activity_id: int | None = None):
    activity = get_or_404(Activity, activity_id) if activity_id else None
    form = _activity_form(activity)
    return _form_page(
        form,
        lambda: services.save_activity(_activity_data(form), current_user, activity),
        done=lambda saved: (
            _("Activity saved.") if activity else _("Activity recorded."),
            url_for("policing.view_activity", activity_id=saved.id),
        ),
        heading=activity.topic if activity else _("New activity"),
        back=url_for("policing.view_activity", activity_id=activity_id)
        if activity
        else url_for("policing.list_activities"),
    )


@bp.route("/activities/<int:activity_id>")
@requires(Resource.POLICING, Action.VIEW)
def view_activity(activity_id: int):
    activity = get_or_404(Activity, activity_id)
    return render_template(
        "policing/view_activity.html",
        activity=activity,
        known_cases=[case for case in activity.cases if knows_case(current_user, case)],
        label=vocab.label,
        can_open_cases=can_use_cases(current_user),
    )
