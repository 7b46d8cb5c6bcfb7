"""Who may see and change which case: by role and by area (the unit and everything below).

The grants are in ``casework.permissions``: administrators see every case, coordinators and
mediators the cases of their area; community police and analysts never reach mediation
cases. Every list, search, export and page applies ``area_clause()`` or ``in_area()``.

On top of the area, a case's confidentiality level (issue 12): the details of a restricted
case and the whole of a secret one are for the holders of ``confidential_case: view`` only
(administrators, the area's coordinators, the case's assigned mediator). Lists apply
``confidentiality_clause()`` beside ``area_clause()``; pages use ``can_view()`` (a secret
case is a 404) and ``can_see_details()``.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from casework.audit import services as audit
from casework.auth.models import User
from casework.cases.enums import Confidentiality
from casework.cases.models import Case
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import AdminUnit
from casework.permissions import (
    Action,
    Resource,
    Scope,
    can,
    roles_with,
    scope,
    sees_everywhere,
)

CASE_ROLES = roles_with(Resource.CASE)
STANDARD = Confidentiality.STANDARD.value
RESTRICTED = Confidentiality.RESTRICTED.value
SECRET = Confidentiality.SECRET.value
# The levels from the lowest; lowering a case's level needs confidential_case: administer.
LEVELS = (STANDARD, RESTRICTED, SECRET)
# Inline, not a bound parameter: the planner then reads the secret cases from their partial
# index (ix_cases_secret), as it reads the archived ones from theirs.
SECRET_LITERAL = sa.literal_column(f"'{SECRET}'")
# Gender-based violence (issue 15): only the users trained for it open such a case.
GBV_TYPE = "VBG"
GBV_LITERAL = sa.literal_column(f"'{GBV_TYPE}'")


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


def secret_scope(user: User) -> Scope | None:
    """Which secret cases the user sees: all (ALL), their area's (AREA), those assigned to
    them (ASSIGNED), or none (None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return scope(user.role, Resource.CONFIDENTIAL_CASE)


@functools.cache
def _secret_cases() -> sa.orm.util.AliasedClass:
    return sa.orm.aliased(Case, name="secret_cases")


def handles_gbv(user: User) -> bool:
    """Whether the user may open a gender-based violence case at all: an administrator (who
    sees every case) or a user an administrator marked as trained for such cases."""
    if not getattr(user, "is_authenticated", False):
        return False
    return secret_scope(user) == Scope.ALL or bool(user.gbv_trained)


def _secret_hidden_for(user: User, case=Case) -> sa.ColumnElement[bool] | None:
    """The secret cases (of ``case``, the model or an alias) the user may not see, whatever
    their type; None when the user sees every secret case of their area."""
    granted = secret_scope(user)
    if granted in (Scope.ALL, Scope.AREA):
        return None
    if granted == Scope.ASSIGNED:
        return sa.and_(
            case.confidentiality == SECRET_LITERAL,
            sa.or_(case.assigned_mediator_id.is_(None), case.assigned_mediator_id != user.id),
        )
    return case.confidentiality == SECRET_LITERAL


def secret_hidden_condition(user: User, case=Case) -> sa.ColumnElement[bool] | None:
    """A condition true for the rows of ``case`` (the model or an alias of it) that are
    secret cases the user may not see, or None for administrators and trained coordinators
    (who see every secret case of their area). Gender-based violence cases, secret by
    default, are hidden from every user not trained for them."""
    hidden = _secret_hidden_for(user, case)
    if handles_gbv(user):
        return hidden
    gbv = case.conflict_type == GBV_LITERAL
    return gbv if hidden is None else sa.or_(hidden, gbv)


def confidentiality_clause(user: User, *, gbv_by_type: bool = False) -> sa.ColumnElement[bool]:
    """The condition, beside ``area_clause`` (it keeps only what that one keeps), that
    leaves out the secret cases the user may not see: none for administrators and
    coordinators (every secret case of what area_clause keeps), all but their own for a
    mediator, all for anyone else; and the gender-based violence cases, whatever their
    level, for anyone not trained for them.

    Written, like ``not_archived``, as ``id NOT IN`` the few secret cases (read from their
    partial index), so that counts and pages stay on the indexes they use.

    With ``gbv_by_type`` (the case list, whose indexes on the area all hold the conflict
    type), the gender-based violence cases are left out by their type instead: they are
    thousands, and probing each case of a region against their ids cost the list's count
    ≈14 ms at 100 000 cases, against ≈1 ms for the type read from the index."""
    secret = _secret_cases()
    if gbv_by_type and not handles_gbv(user):
        hidden = _secret_hidden_for(user, secret)
        not_gbv = Case.conflict_type != GBV_LITERAL
        if hidden is None:
            return not_gbv
        return sa.and_(Case.id.not_in(sa.select(secret.id).where(hidden)), not_gbv)
    hidden = secret_hidden_condition(user, secret)
    if hidden is None:
        return sa.true()
    return Case.id.not_in(sa.select(secret.id).where(hidden))


def details_hidden_clause(user: User) -> sa.ColumnElement[bool] | None:
    """A condition true for the visible cases whose details the user may not see (restricted
    and not theirs), or None when the user sees the details of every case they see."""
    granted = secret_scope(user)
    if granted in (Scope.ALL, Scope.AREA):
        return None
    if granted == Scope.ASSIGNED:
        return sa.and_(
            Case.confidentiality != STANDARD,
            sa.or_(Case.assigned_mediator_id.is_(None), Case.assigned_mediator_id != user.id),
        )
    return Case.confidentiality != STANDARD


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
    return sa.select(Case).where(area_clause(user), confidentiality_clause(user))


def in_area(user: User, unit: AdminUnit | None, resource: Resource = Resource.CASE) -> bool:
    granted = scope(user.role, resource) if user.is_authenticated else None
    if granted == Scope.ALL:
        return True
    if unit is None or granted is None or user.area is None:
        return False
    return user.area.contains(unit)


def may_see_confidential(user: User, case: Case) -> bool:
    """Whether the user is one of those who see a restricted or secret case in full: an
    administrator, a coordinator of its area, or its assigned mediator."""
    granted = secret_scope(user)
    if granted is None:
        return False
    if granted == Scope.ASSIGNED and (
        case.assigned_mediator_id is None or case.assigned_mediator_id != user.id
    ):
        return False
    return in_area(user, case.unit, resource=Resource.CONFIDENTIAL_CASE)


def knows_case(user: User, case: Case) -> bool:
    """Whether the case exists for the user at all, whatever their grants on cases: a
    secret case exists only for those who may see it, a gender-based violence case only for
    those trained for it (a 404 for anyone else, as a secret case)."""
    if case.conflict_type == GBV_TYPE and not handles_gbv(user):
        return False
    return case.confidentiality != SECRET or may_see_confidential(user, case)


def sees_details(user: User, case: Case) -> bool:
    """Whether the user may read the sensitive parts (names, narratives, minutes, notes,
    terms) of a case they reach."""
    return case.confidentiality == STANDARD or may_see_confidential(user, case)


def can_view(user: User, case: Case) -> bool:
    return can_use_cases(user) and in_area(user, case.unit) and knows_case(user, case)


def can_see_details(user: User, case: Case) -> bool:
    return can_view(user, case) and sees_details(user, case)


def can_edit(user: User, case: Case) -> bool:
    """Recording on a restricted case touches its sensitive parts: only those who see them."""
    return can_see_details(user, case)


def can_lower_level(user: User, case: Case) -> bool:
    """Lowering a case's confidentiality: a coordinator of its area or an administrator."""
    return can(user, Resource.CONFIDENTIAL_CASE, Action.ADMINISTER) and in_area(
        user, case.unit, resource=Resource.CONFIDENTIAL_CASE
    )


def level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def can_archive(user: User, case: Case) -> bool:
    """Archive or restore: a coordinator of the case's area, or an administrator."""
    return can(user, Resource.CASE, Action.ADMINISTER) and can_view(user, case)


def can_purge(user: User) -> bool:
    return can(user, Resource.PURGE, Action.ADMINISTER)


def get_case_or_404(case_id: int, need: str = "view") -> Case:
    """Load a case (404), then check the signed-in user's access to it (403). A secret case
    the user may not see is a 404, as if it did not exist."""
    if not can_use_cases(current_user):
        abort(403)
    case = db.session.get(Case, case_id)
    if case is None or not knows_case(current_user, case):
        abort(404)
    allowed = can_edit(current_user, case) if need == "edit" else can_view(current_user, case)
    if not allowed:
        abort(403)
    if request.method == "GET":  # every page that shows a case is a view of a sensitive record
        details = {"page": request.endpoint, "level": case.confidentiality}
        audit.record("view", obj=case, details=details)
    return case


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
