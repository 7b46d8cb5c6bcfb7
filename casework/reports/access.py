"""Who produces which report: administrators everywhere; coordinators for their area;
analysts anonymised reports only (partners' figures). Case summaries follow case access."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from casework.auth.roles import Role
from casework.geo.models import AdminUnit

REPORT_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.ANALYST})


def can_report(user) -> bool:
    return user.is_authenticated and user.role in {r.value for r in REPORT_ROLES}


def require_report_role() -> None:
    if not can_report(current_user):
        abort(403)


def must_anonymise(user) -> bool:
    return user.role == Role.ANALYST.value


def may_report_on(user, area: AdminUnit | None) -> bool:
    """Administrators and analysts (anonymised) report on any area; a coordinator on their
    own area or a unit below it."""
    if user.role in (Role.ADMIN.value, Role.ANALYST.value):
        return True
    if user.area is None:
        return False
    return area is not None and user.area.contains(area)
