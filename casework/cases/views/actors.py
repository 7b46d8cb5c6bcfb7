"""The registry of mediators and authorities."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from casework.cases import services
from casework.cases.access import (
    area_clause,
    in_area,
)
from casework.cases.forms import (
    ActorForm,
    blank,
)
from casework.cases.models import (
    Actor,
)
from casework.cases.views.common import bp, unit_choices
from casework.core.forms import ConfirmForm, apply_form, int_or_none
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


def get_actor_or_404(actor_id: int) -> Actor:
    actor = db.session.get(Actor, actor_id)
    if actor is None:
        abort(404)
    if actor.unit is not None and not _unit_in_area(actor.unit):
        abort(403)
    return actor


def _unit_in_area(unit: AdminUnit) -> bool:
    return in_area(current_user, unit)


def _actor_form(actor: Actor | None = None) -> ActorForm:
    form = ActorForm(obj=actor)
    form.actor_type.choices = blank() + vocab.choices(
        "actor_type", include=actor.actor_type if actor else None
    )
    form.unit_id.choices = [("", _("No particular place"))] + unit_choices(
        actor.unit_id if actor else None
    )[1:]
    if request.method == "GET" and actor is not None:
        form.unit_id.data = str(actor.unit_id or "")
    return form


def _actor_data(form: ActorForm) -> services.ActorData:
    return services.ActorData(
        actor_type=form.actor_type.data,
        name=form.name.data or "",
        function=form.function.data,
        organisation=form.organisation.data,
        sex=form.sex.data,
        unit_id=int_or_none(form.unit_id.data),
        trained=bool(form.trained.data),
    )


@bp.route("/actors")
@requires(Resource.ACTOR, Action.VIEW)
def list_actors():
    actors = db.session.scalars(
        sa.select(Actor)
        .where(sa.or_(Actor.unit_id.is_(None), area_clause(current_user, Actor.unit_id)))
        .options(sa.orm.joinedload(Actor.unit))
        .order_by(Actor.is_active.desc(), Actor.name_search)
    ).all()
    return render_template("cases/list_actors.html", actors=actors, label=vocab.label)


@bp.route("/actors/new", methods=["GET", "POST"])
@requires(Resource.ACTOR, Action.CREATE)
def new_actor():
    form = _actor_form()
    outcome = apply_form(form, lambda: services.save_actor(_actor_data(form), current_user))
    if outcome.done:
        flash(_("%(name)s added to the registry.", name=outcome.value.name), "success")
        return redirect(url_for("cases.list_actors"))
    return render_template("cases/edit_actor.html", form=form, actor=None), outcome.status


@bp.route("/actors/<int:actor_id>/edit", methods=["GET", "POST"])
@requires(Resource.ACTOR, Action.EDIT)
def edit_actor(actor_id: int):
    actor = get_actor_or_404(actor_id)
    form = _actor_form(actor)
    outcome = apply_form(form, lambda: services.save_actor(_actor_data(form), current_user, actor))
    if outcome.done:
        flash(_("%(name)s saved.", name=actor.name), "success")
        return redirect(url_for("cases.list_actors"))
    return render_template("cases/edit_actor.html", form=form, actor=actor), outcome.status


@bp.route("/actors/<int:actor_id>/<any(activate, deactivate):action>", methods=["POST"])
@requires(Resource.ACTOR, Action.EDIT)
def set_actor_active(actor_id: int, action: str):
    actor = get_actor_or_404(actor_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_actor_active(actor, action == "activate")
    db.session.commit()
    return redirect(url_for("cases.list_actors"))
