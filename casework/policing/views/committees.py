"""Screens of security committees, their members, meetings and recommendations."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from casework.cases.access import area_unit_choices
from casework.cases.forms import blank
from casework.core.forms import apply_form, int_or_none
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import UnitKind
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.policing import services
from casework.policing.access import get_or_404, in_policing_area
from casework.policing.forms import CommitteeForm, MeetingForm, MemberForm, RecommendationStatusForm
from casework.policing.models import (
    CommitteeMeeting,
    CommitteeMember,
    Recommendation,
    SecurityCommittee,
)
from casework.policing.views.common import _confirm, _form_page, _name_filtered, bp

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
