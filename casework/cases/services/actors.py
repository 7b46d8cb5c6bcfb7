"""The registry of mediators and authorities."""

from __future__ import annotations

from dataclasses import dataclass

from casework.auth.models import User
from casework.cases.access import in_area
from casework.cases.enums import Sex
from casework.cases.models import NAME_MAX, Actor
from casework.cases.services.base import CaseError
from casework.core import checks
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.text import fold
from casework.vocab import services as vocab


@dataclass
class ActorData:
    actor_type: str | None
    name: str
    function: str | None = None
    organisation: str | None = None
    sex: str = Sex.UNKNOWN.value
    unit_id: int | None = None
    trained: bool = False


def _check_actor(data: ActorData, by: User, actor: Actor | None = None) -> None:
    vocab.check_code(
        "actor_type",
        data.actor_type,
        _l("The type of actor"),
        current=actor.actor_type if actor else None,
    )
    data.name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    data.function = checks.optional_text(data.function, _l("The function"), NAME_MAX)
    data.organisation = checks.optional_text(data.organisation, _l("The organisation"), NAME_MAX)
    checks.check_choice(Sex, data.sex, _l("Sex"))
    unit = db.session.get(AdminUnit, data.unit_id) if data.unit_id else None
    if data.unit_id and unit is None:
        raise CaseError(_l("Choose the place of the case."))
    if unit is not None and not in_area(by, unit):
        raise CaseError(_l("This place is outside your area."))


def save_actor(data: ActorData, by: User, actor: Actor | None = None) -> Actor:
    """Add a mediator or an authority to the registry, or correct one."""
    _check_actor(data, by, actor)
    if actor is None:
        actor = Actor()
        db.session.add(actor)
    actor.actor_type = data.actor_type
    actor.name = data.name
    actor.name_search = fold(data.name)
    actor.function = data.function
    actor.organisation = data.organisation
    actor.sex = data.sex
    actor.unit_id = data.unit_id
    actor.trained = bool(data.trained)
    db.session.flush()
    return actor


def set_actor_active(actor: Actor, active: bool) -> Actor:
    """Actors leave the registry's choices but stay on the sessions they attended."""
    actor.is_active = active
    db.session.flush()
    return actor
