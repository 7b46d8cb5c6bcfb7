"""Mediation sessions: recording one, its page, translating its minutes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import (
    area_clause,
    get_case_or_404,
)
from casework.cases.forms import (
    SessionForm,
    TranslationForm,
    blank,
    language_choices,
)
from casework.cases.models import (
    Actor,
    MediationSession,
)
from casework.cases.views.common import bp
from casework.core.forms import apply_form, int_or_none
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


@bp.route("/cases/<int:case_id>/sessions/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_session(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = SessionForm()
    form.place.choices = blank() + vocab.choices("session_place")
    form.mechanism.choices = blank() + vocab.choices("resolution_mechanism")
    form.minutes_lang.choices = language_choices()
    actors = db.session.scalars(
        sa.select(Actor)
        .where(Actor.is_active.is_(True))
        .where(sa.or_(Actor.unit_id.is_(None), area_clause(current_user, Actor.unit_id)))
        .order_by(Actor.name)
    ).all()
    form.actor_ids.choices = [
        (a.id, f"{a.name} ({vocab.label('actor_type', a.actor_type)})") for a in actors
    ]
    if request.method == "GET":
        form.held_on.data = utcnow().date()
    notes = {party.id: request.form.get(f"note-{party.id}", "") for party in case.parties}
    outcome = apply_form(
        form,
        lambda: services.record_session(
            case,
            services.SessionData(
                held_on=form.held_on.data,
                place=form.place.data,
                mechanism=form.mechanism.data,
                result=form.result.data,
                women=form.women.data or 0,
                men=form.men.data or 0,
                youth=form.youth.data or 0,
                minutes=form.minutes.data or "",
                minutes_lang=form.minutes_lang.data or None,
                actor_ids=list(form.actor_ids.data or []),
                private_notes=notes,
                ladder_level=int_or_none(form.ladder_level.data),
                level_reason=form.level_reason.data,
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Session recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_session.html", form=form, case=case, notes=notes
    ), outcome.status


@bp.route("/cases/<int:case_id>/sessions/<int:session_id>")
@requires(Resource.CASE, Action.VIEW)
def view_session(case_id: int, session_id: int):
    case = get_case_or_404(case_id)
    session = db.session.get(MediationSession, session_id)
    if session is None or session.case_id != case.id:
        abort(404)
    return render_template("cases/view_session.html", case=case, session=session, label=vocab.label)


@bp.route("/cases/<int:case_id>/sessions/<int:session_id>/translate", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def translate_minutes(case_id: int, session_id: int):
    case = get_case_or_404(case_id, need="edit")
    session = db.session.get(MediationSession, session_id)
    if session is None or session.case_id != case.id:
        abort(404)
    form = TranslationForm()
    if request.method == "GET" and session.minutes_translation:
        form.translation.data = session.minutes_translation
    outcome = apply_form(
        form, lambda: services.translate_minutes(session, form.translation.data, current_user)
    )
    if outcome.done:
        flash(_("Translation saved."), "success")
        return redirect(url_for("cases.view_session", case_id=case.id, session_id=session.id))
    return render_template(
        "cases/translate_minutes.html",
        form=form,
        case=case,
        session=session,
        target="en" if session.minutes_lang == "fr" else "fr",
    ), outcome.status
