"""Who may see and change which case: by role and by area (the unit and everything below).

Administrators see every case. Coordinators and mediators see the cases of their area.
Other roles do not reach mediation cases (community police and analysts get their own
views in later work). Every list, search and page goes through ``visible_cases()``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from casework.auth.models import User
from casework.auth.roles import Role
from casework.cases.models import Case
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import AdminUnit

CASE_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.MEDIATOR})
# Who archives and restores a case of their area; only an administrator purges one.
ARCHIVE_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def can_use_cases(user: User) -> bool:
    return user.is_authenticated and user.role in {r.value for r in CASE_ROLES}


def area_clause(user: User, unit_column=Case.unit_id, roles=CASE_ROLES):
    """A condition on ``unit_column`` that keeps the user's area (always false without one,
    or for a role outside ``roles``)."""
    if user.role == Role.ADMIN.value:
        return sa.true()
    if user.role not in {r.value for r in roles} or user.area is None:
        return sa.false()
    within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(user.area.path))
    return unit_column.in_(within)


def visible_cases(user: User) -> sa.Select:
    return sa.select(Case).where(area_clause(user))


def in_area(user: User, unit: AdminUnit | None, roles=CASE_ROLES) -> bool:
    if user.role == Role.ADMIN.value:
        return True
    if unit is None or user.role not in {r.value for r in roles} or user.area is None:
        return False
    return user.area.contains(unit)


def can_view(user: User, case: Case) -> bool:
    return can_use_cases(user) and in_area(user, case.unit)


def can_edit(user: User, case: Case) -> bool:
    return can_view(user, case)


def can_archive(user: User, case: Case) -> bool:
    """Archive or restore: a coordinator of the case's area, or an administrator."""
    return user.role in {r.value for r in ARCHIVE_ROLES} and can_view(user, case)


def can_purge(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN.value


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
    return case


def require_case_role() -> None:
    if not can_use_cases(current_user):
        abort(403)


def area_unit_choices(kinds=None, include: int | None = None) -> list[tuple[str, str]]:
    """``(id, label)`` of the units in the signed-in user's area (every unit for an admin),
    plus ``include``: the place a record already holds stays selectable."""
    found = [
        (str(choice.id), choice.label)
        for choice in geo.choices_within(
            current_user.area, everything=current_user.role == Role.ADMIN.value, kinds=kinds
        )
    ]
    if include and str(include) not in {value for value, _label in found}:
        unit = db.session.get(AdminUnit, include)
        if unit is not None:
            found.append((str(unit.id), unit.label))
    return found
