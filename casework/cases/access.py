"""Who may see and change which case: by role and by area (the unit and everything below).

The grants are in ``casework.permissions``: administrators see every case, coordinators and
mediators the cases of their area; community police and analysts never reach mediation
cases. Every list, search, export and page applies ``area_clause()`` or ``in_area()``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from casework.audit import services as audit
from casework.auth.models import User
from casework.cases.models import Case
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import AdminUnit
from casework.permissions import Action, Resource, Scope, can, roles_with, scope, sees_everywhere

CASE_ROLES = roles_with(Resource.CASE)


def can_use_cases(user: User) -> bool:
    return can(user, Resource.CASE)


def area_clause(user: User, unit_column=Case.unit_id, resource: Resource = Resource.CASE):
    """A condition on ``unit_column`` that keeps what the user may see of ``resource``:
    everything, their area and below, or nothing (no grant, or no area)."""
    granted = scope(user.role, resource) if user.is_authenticated else None
    if granted == Scope.ALL:
        return sa.true()
    if granted is None or user.area is None:
        return sa.false()
    within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(user.area.path))
    return unit_column.in_(within)


def colleague_clause(user: User) -> sa.ColumnElement[bool]:
    """A condition on ``User.area_id`` that keeps the people whose area meets the user's:
    below it, or above it (the coordinator of the region), i.e. those who may be assigned a
    case of the user's area. Everyone for a user who sees every place; nobody without an
    area. Selects of mediators offer these only: a name from another region is not shown."""
    granted = scope(user.role, Resource.CASE) if user.is_authenticated else None
    if granted == Scope.ALL:
        return sa.true()
    if granted is None or user.area is None:
        return sa.false()
    within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(user.area.path))
    above = [unit.id for unit in user.area.ancestry]
    return sa.or_(User.area_id.in_(within), User.area_id.in_(above))


def visible_cases(user: User) -> sa.Select:
    return sa.select(Case).where(area_clause(user))


def in_area(user: User, unit: AdminUnit | None, resource: Resource = Resource.CASE) -> bool:
    granted = scope(user.role, resource) if user.is_authenticated else None
    if granted == Scope.ALL:
        return True
    if unit is None or granted is None or user.area is None:
        return False
    return user.area.contains(unit)


def can_view(user: User, case: Case) -> bool:
    return can_use_cases(user) and in_area(user, case.unit)


def can_edit(user: User, case: Case) -> bool:
    return can_view(user, case)


def can_archive(user: User, case: Case) -> bool:
    """Archive or restore: a coordinator of the case's area, or an administrator."""
    return can(user, Resource.CASE, Action.ADMINISTER) and can_view(user, case)


def can_purge(user: User) -> bool:
    return can(user, Resource.PURGE, Action.ADMINISTER)


def get_case_or_404(case_id: int, need: str = "view") -> Case:
    """Load a case (404), then check the signed-in user's access to it (403)."""
    if not can_use_cases(current_user):
        abort(403)
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    allowed = can_edit(current_user, case) if need == "edit" else can_view(current_user, case)
    if not allowed:
        abort(403)
    if request.method == "GET":  # every page that shows a case is a view of a sensitive record
        audit.record("view", obj=case, details={"page": request.endpoint})
    return case


def require_case_role() -> None:
    if not can_use_cases(current_user):
        abort(403)


def area_unit_choices(
    kinds=None, include: int | None = None, resource: Resource = Resource.CASE
) -> list[tuple[str, str]]:
    """``(id, label)`` of the units in the signed-in user's area (every unit for an admin),
    plus ``include``: the place a record already holds stays selectable."""
    found = [
        (str(choice.id), choice.label)
        for choice in geo.choices_within(
            current_user.area, everything=sees_everywhere(current_user, resource), kinds=kinds
        )
    ]
    if include and str(include) not in {value for value, _label in found}:
        unit = db.session.get(AdminUnit, include)
        if unit is not None:
            found.append((str(unit.id), unit.label))
    return found
