"""Screens of alerts, and turning an alert into a case."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.orm import joinedload

from casework.cases.access import area_unit_choices, can_use_cases
from casework.cases.enums import PartyKind
from casework.cases.forms import blank
from casework.core.forms import apply_form, int_or_none
from casework.core.pagination import paginate
from casework.db import utcnow
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import get_or_404
from casework.policing.enums import Urgency
from casework.policing.forms import AlertCaseForm, AlertFilterForm, AlertForm
from casework.policing.models import Alert
from casework.policing.views.common import _form_page, bp, police_unit_choices
from casework.vocab import services as vocab

# --- alerts ---------------------------------------------------------------------------------


def _alert_form(alert: Alert | None = None) -> AlertForm:
    form = AlertForm(obj=alert)
    form.unit_id.choices = blank() + area_unit_choices(include=alert.unit_id if alert else None)
    form.category.choices = blank() + vocab.choices(
        "alert_category", include=alert.category if alert else None
    )
    form.source_type.choices = blank() + vocab.choices(
        "alert_source", include=alert.source_type if alert else None
    )
    form.police_unit_id.choices = blank(_("None")) + police_unit_choices(
        alert.police_unit_id if alert else None
    )
    form.forwarded_to.choices = blank(_("Not forwarded")) + vocab.choices("referral_target")
    if request.method == "GET":
        if alert is None:
            form.occurred_at.data = services.to_local(utcnow()).replace(second=0, microsecond=0)
        else:
            form.unit_id.data = str(alert.unit_id)
            form.urgency.data = str(alert.urgency)
            form.police_unit_id.data = str(alert.police_unit_id or "")
            form.forwarded_to.data = alert.forwarded_to or ""
            form.occurred_at.data = services.to_local(alert.occurred_at)
            form.forwarded_at.data = services.to_local(alert.forwarded_at)
            form.responded_at.data = services.to_local(alert.responded_at)
    return form


def _alert_data(form) -> services.AlertData:
    return services.AlertData(
        occurred_at=services.from_local(form.occurred_at.data),
        unit_id=int_or_none(form.unit_id.data),
        category=form.category.data,
        urgency=int_or_none(form.urgency.data),
        source_type=form.source_type.data,
        description=form.description.data or "",
        place=form.place.data,
        relay_code=form.relay_code.data,
        verified=form.verified.data,
        forwarded_to=form.forwarded_to.data or None,
        forwarded_at=services.from_local(form.forwarded_at.data),
        response=form.response.data,
        responded_at=services.from_local(form.responded_at.data),
        police_unit_id=int_or_none(form.police_unit_id.data),
    )


@bp.route("/alerts")
@requires(Resource.POLICING, Action.VIEW)
def list_alerts():
    form = AlertFilterForm(request.args)
    form.area.choices = [("", _("My whole area"))] + area_unit_choices()
    form.category.choices = blank(_("All categories")) + vocab.choices("alert_category")
    form.urgency.choices = blank(_("Any urgency")) + Urgency.choices()
    yes_no = [("yes", _("yes")), ("no", _("no"))]
    form.verified.choices = blank(_("Either")) + yes_no
    form.answered.choices = blank(_("Either")) + yes_no
    valid = form.validate() if request.args else True
    filters = services.AlertFilters()
    if valid:
        flag = {"yes": True, "no": False}
        filters = services.AlertFilters(
            category=form.category.data or None,
            urgency=int_or_none(form.urgency.data),
            area_id=int_or_none(form.area.data),
            verified=flag.get(form.verified.data),
            answered=flag.get(form.answered.data),
            occurred_from=form.date_from.data,
            occurred_to=form.date_to.data,
            text=form.q.data,
        )
    statement = services.filtered_alerts(current_user, filters).options(joinedload(Alert.case))
    listing = paginate(statement, (Alert.occurred_at.desc(), Alert.id.desc()))
    return render_template(
        "policing/list_alerts.html",
        form=form,
        listing=listing,
        label=vocab.label,
        valid=valid,
        warnings=services.active_warnings(current_user),
    ), (200 if valid else 400)


@bp.route("/alerts/new", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.CREATE)
def new_alert():
    return _save_alert()


@bp.route("/alerts/<int:alert_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_alert(alert_id: int):
    return _save_alert(alert_id)


def _save_alert(alert_id: int | None = None):
    alert = get_or_404(Alert, alert_id) if alert_id else None
    form = _alert_form(alert)
    return _form_page(
        form,
        lambda: services.save_alert(_alert_data(form), current_user, alert),
        done=lambda saved: (
            _("Alert saved.") if alert else _("Alert recorded."),
            url_for("policing.view_alert", alert_id=saved.id),
        ),
        heading=_("Edit the alert") if alert else _("New alert"),
        back=url_for("policing.view_alert", alert_id=alert_id)
        if alert
        else url_for("policing.list_alerts"),
    )


@bp.route("/alerts/<int:alert_id>")
@requires(Resource.POLICING, Action.VIEW)
def view_alert(alert_id: int):
    alert = get_or_404(Alert, alert_id)
    return render_template(
        "policing/view_alert.html",
        alert=alert,
        label=vocab.label,
        can_open_cases=can_use_cases(current_user),
    )


@bp.route("/alerts/<int:alert_id>/case", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.VIEW, and_=[(Resource.CASE, Action.CREATE)])
def alert_to_case(alert_id: int):
    alert = get_or_404(Alert, alert_id)
    if not can_use_cases(current_user):
        abort(403)
    if alert.case_id is not None:
        return redirect(url_for("cases.view_case", case_id=alert.case_id))
    form = AlertCaseForm()
    starred = vocab.mandatory_referral_codes()
    form.conflict_type.choices = blank() + [
        (code, f"{text} ★" if code in starred else text)
        for code, text in vocab.choices("conflict_type")
    ]
    form.scope.choices = blank() + vocab.choices("scope")
    form.party_kind.choices = PartyKind.choices()
    if request.method == "GET":
        form.conflict_type.data = services.suggested_conflict_type(alert) or ""
        form.title.data = services.suggested_title(alert, str(get_locale()))
    outcome = apply_form(
        form,
        lambda: services.alert_to_case(
            alert,
            services.AlertCaseData(
                conflict_type=form.conflict_type.data,
                scope=form.scope.data,
                title=form.title.data or "",
                party_name=form.party_name.data or "",
                party_kind=form.party_kind.data,
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(
            _("Case %(reference)s opened from the alert.", reference=outcome.value.reference),
            "success",
        )
        return redirect(url_for("cases.view_case", case_id=outcome.value.id))
    return render_template(
        "policing/alert_to_case.html", form=form, alert=alert, label=vocab.label
    ), outcome.status
