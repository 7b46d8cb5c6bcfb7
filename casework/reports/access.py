"""Who produces which report: administrators everywhere; coordinators for their area;
analysts anonymised reports only (partners' figures). Case summaries follow case access."""

from __future__ import annotations

from casework.geo.models import AdminUnit
from casework.permissions import Action, Resource, can, roles_with, sees_everywhere

REPORT_ROLES = roles_with(Resource.REPORT, Action.REPORT) | roles_with(
    Resource.ANONYMISED_REPORT, Action.REPORT
)


def can_report(user) -> bool:
    return can(user, Resource.REPORT, Action.REPORT) or can(
        user, Resource.ANONYMISED_REPORT, Action.REPORT
    )


def must_anonymise(user) -> bool:
    return not can(user, Resource.REPORT, Action.REPORT)


def may_report_on(user, area: AdminUnit | None) -> bool:
    """Administrators and analysts (anonymised) report on any area; a coordinator on their
    own area or a unit below it."""
    if sees_everywhere(user, Resource.ANONYMISED_REPORT, Action.REPORT):
        return True
    if user.area is None:
        return False
    return area is not None and user.area.contains(area)
