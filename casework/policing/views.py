"""Screens of community policing and early warning. Each view: load (404), check role and
area (403), validate the form, call one service, commit, flash, redirect."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from casework.auth.models import User
from casework.cases.access import area_unit_choices, can_use_cases, knows_case
from casework.cases.enums import PartyKind
from casework.cases.forms import blank
from casework.cases.models import Referral
from casework.core.forms import ConfirmForm, apply_form, int_or_none
from casework.core.pagination import paginate
from casework.db import utcnow
from casework.enums import title_filter
from casework.extensions import db
from casework.geo.models import UnitKind
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import (
    get_or_404,
    in_policing_area,
    policing_area_clause,
)
from casework.policing.enums import Force, RecommendationStatus, Urgency
from casework.policing.forms import (
    AcknowledgeForm,
    ActivityFilterForm,
    ActivityForm,
    AlertCaseForm,
    AlertFilterForm,
    AlertForm,
    CommitteeForm,
    MeetingForm,
    MemberForm,
    NameFilterForm,
    PoliceUnitForm,
    RecommendationStatusForm,
    ThresholdForm,
)
from casework.policing.models import (
    Activity,
    Alert,
    AlertThreshold,
    CommitteeMeeting,
    CommitteeMember,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from casework.roles import Role
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


# --- units ----------------------------------------------------------------------------------


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


# --- committees, members, meetings ----------------------------------------------------------


@bp.route("/committees")
@requires(Resource.POLICING, Action.VIEW)
def list_committees():
    form, valid, committees = _name_filtered(SecurityCommittee, SecurityCommittee.name)
    return render_template(
        "policing/list_committees.html", committees=committees, form=form, valid=valid
    ), (200 if valid else 400)


def _committee_form(committee: SecurityCommittee | None = None) -> CommitteeForm:
    form = CommitteeForm(obj=committee)
    form.unit_id.choices = blank() + area_unit_choices(
        [UnitKind.COMMUNE], include=committee.unit_id if committee else None
    )
    if request.method == "GET" and committee is not None:
        form.unit_id.data = str(committee.unit_id)
    return form


def _committee_data(form) -> services.CommitteeData:
    return services.CommitteeData(
        name=form.name.data or "",
        unit_id=int_or_none(form.unit_id.data),
        chair=form.chair.data,
        monthly_target=form.monthly_target.data,
    )


@bp.route("/committees/new", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.CREATE)
def new_committee():
    return _save_committee()


@bp.route("/committees/<int:committee_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_committee(committee_id: int):
    return _save_committee(committee_id)


def _save_committee(committee_id: int | None = None):
    committee = get_or_404(SecurityCommittee, committee_id) if committee_id else None
    form = _committee_form(committee)
    return _form_page(
        form,
        lambda: services.save_committee(_committee_data(form), current_user, committee),
        done=lambda saved: (
            _("Committee %(name)s saved.", name=saved.name),
            url_for("policing.view_committee", committee_id=saved.id),
        ),
        heading=committee.name if committee else _("New security committee"),
        back=url_for("policing.view_committee", committee_id=committee_id)
        if committee
        else url_for("policing.list_committees"),
    )


@bp.route("/committees/<int:committee_id>")
@requires(Resource.POLICING, Action.VIEW)
def view_committee(committee_id: int):
    committee = get_or_404(SecurityCommittee, committee_id)
    meetings = db.session.scalars(
        sa.select(CommitteeMeeting)
        .where(CommitteeMeeting.committee_id == committee.id)
        .options(selectinload(CommitteeMeeting.recommendations))
        .order_by(CommitteeMeeting.held_on.desc())
    ).all()
    return render_template(
        "policing/view_committee.html",
        committee=committee,
        meetings=meetings,
        status_form=RecommendationStatusForm(),
    )


@bp.route("/committees/<int:committee_id>/members/new", methods=["GET", "POST"])
@bp.route("/committees/<int:committee_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_member(committee_id: int, member_id: int | None = None):
    committee = get_or_404(SecurityCommittee, committee_id)
    member = None
    if member_id is not None:
        member = db.session.get(CommitteeMember, member_id)
        if member is None or member.committee_id != committee.id:
            abort(404)
    form = MemberForm(obj=member)
    committee_page = url_for("policing.view_committee", committee_id=committee.id)
    return _form_page(
        form,
        lambda: services.save_member(
            committee,
            services.MemberData(
                name=form.name.data or "", function=form.function.data, sex=form.sex.data
            ),
            member,
        ),
        done=lambda _saved: (_("Member saved."), committee_page),
        heading=member.name if member else _("New member"),
        back=committee_page,
    )


@bp.route(
    "/committees/<int:committee_id>/members/<int:member_id>/<any(activate, deactivate):action>",
    methods=["POST"],
)
@requires(Resource.POLICING, Action.EDIT)
def set_member_active(committee_id: int, member_id: int, action: str):
    committee = get_or_404(SecurityCommittee, committee_id)
    member = db.session.get(CommitteeMember, member_id)
    if member is None or member.committee_id != committee.id:
        abort(404)
    _confirm()
    services.set_active(member, action == "activate")
    db.session.commit()
    return redirect(url_for("policing.view_committee", committee_id=committee.id))


def _meeting_data(form) -> services.MeetingData:
    return services.MeetingData(
        held_on=form.held_on.data,
        agenda=form.agenda.data or "",
        women=form.women.data,
        men=form.men.data,
        notes=form.notes.data,
        recommendations=[
            services.RecommendationData(
                text=entry.form.text.data or "",
                responsible=entry.form.responsible.data,
                status=entry.form.status.data,
                id=int_or_none(entry.form.id.data),
            )
            for entry in form.recommendations
        ],
    )


@bp.route("/committees/<int:committee_id>/meetings/new", methods=["GET", "POST"])
@bp.route("/committees/<int:committee_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Resource.POLICING, Action.EDIT)
def edit_meeting(committee_id: int, meeting_id: int | None = None):
    committee = get_or_404(SecurityCommittee, committee_id)
    meeting = None
    if meeting_id is not None:
        meeting = db.session.get(CommitteeMeeting, meeting_id)
        if meeting is None or meeting.committee_id != committee.id:
            abort(404)
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        if meeting is None:
            form.held_on.data = utcnow().date()
        else:
            while len(form.recommendations) < len(meeting.recommendations) + 2:
                form.recommendations.append_entry()
            for entry, rec in zip(form.recommendations, meeting.recommendations, strict=False):
                entry.form.id.data = str(rec.id)
                entry.form.text.data = rec.text
                entry.form.responsible.data = rec.responsible
                entry.form.status.data = rec.status
    outcome = apply_form(
        form, lambda: services.save_meeting(committee, _meeting_data(form), current_user, meeting)
    )
    if outcome.done:
        flash(_("Meeting saved."), "success")
        return redirect(url_for("policing.view_committee", committee_id=committee.id))
    return render_template(
        "policing/edit_meeting.html", form=form, committee=committee, meeting=meeting
    ), outcome.status


@bp.route("/recommendations/<int:recommendation_id>/status", methods=["POST"])
@requires(Resource.POLICING, Action.EDIT)
def set_recommendation_status(recommendation_id: int):
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None:
        abort(404)
    committee = recommendation.meeting.committee
    if not in_policing_area(current_user, committee.area):
        abort(403)
    form = RecommendationStatusForm()
    outcome = apply_form(
        form, lambda: services.set_recommendation_status(recommendation, form.status.data)
    )
    if not outcome.done:
        abort(400)
    flash(_("Recommendation updated."), "success")
    return redirect(url_for("policing.view_committee", committee_id=committee.id))


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
        form.title.data = f"{vocab.label('alert_category', alert.category)} – {alert.area.name}"[
            :200
        ]
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


# --- referrals addressed to the security forces ---------------------------------------------


@bp.route("/referrals")
@requires(Resource.SECURITY_REFERRAL, Action.VIEW)
def list_referrals():
    referrals = services.referrals_to_security_forces(current_user)
    return render_template(
        "policing/list_referrals.html",
        referrals=referrals,
        label=vocab.label,
        today=utcnow().date().isoformat(),
    )


@bp.route("/referrals/<int:referral_id>/acknowledge", methods=["POST"])
@requires(Resource.SECURITY_REFERRAL, Action.EDIT)
def acknowledge_referral(referral_id: int):
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.target not in services.SECURITY_FORCE_TARGETS:
        abort(404)
    if not in_policing_area(current_user, referral.case.unit):
        abort(403)
    form = AcknowledgeForm()
    outcome = apply_form(
        form,
        lambda: services.acknowledge_referral(referral, form.acknowledged_on.data, current_user),
    )
    if outcome.done:
        flash(_("Referral acknowledged."), "success")
    else:
        # The list shows no field: every error goes in the message (the date's too).
        errors = [str(error) for errors in form.errors.values() for error in errors]
        flash(" ".join(errors) or _("Please correct the fields marked below."), "error")
    return redirect(url_for("policing.list_referrals"))


# --- thresholds -----------------------------------------------------------------------------


@bp.route("/thresholds")
@requires(Resource.THRESHOLD, Action.VIEW)
def list_thresholds():
    rows = db.session.scalars(
        sa.select(AlertThreshold).options(joinedload(AlertThreshold.area))
    ).all()
    return render_template("policing/list_thresholds.html", rows=rows, label=vocab.label)


@bp.route("/thresholds/new", methods=["GET", "POST"])
@bp.route("/thresholds/<int:threshold_id>/edit", methods=["GET", "POST"])
@requires(Resource.THRESHOLD, Action.ADMINISTER)
def edit_threshold(threshold_id: int | None = None):
    threshold = None
    if threshold_id is not None:
        threshold = db.session.get(AlertThreshold, threshold_id)
        if threshold is None:
            abort(404)
    form = ThresholdForm(obj=threshold)
    form.unit_id.choices = blank(_("Every commune")) + area_unit_choices([UnitKind.COMMUNE])
    form.category.choices = blank(_("Every category")) + vocab.choices("alert_category")
    if request.method == "GET" and threshold is not None:
        form.unit_id.data = str(threshold.unit_id or "")
        form.category.data = threshold.category or ""
    return _form_page(
        form,
        lambda: services.save_threshold(
            services.ThresholdData(
                unit_id=int_or_none(form.unit_id.data),
                category=form.category.data or None,
                alert_count=form.alert_count.data,
                window_days=form.window_days.data,
            ),
            threshold,
        ),
        done=lambda _saved: (_("Threshold saved."), url_for("policing.list_thresholds")),
        heading=_("Warning threshold"),
        back=url_for("policing.list_thresholds"),
    )
