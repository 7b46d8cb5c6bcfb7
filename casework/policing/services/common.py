"""What every policing service shares: the limits, the error, the place check, local time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from casework import signals
from casework.auth.models import User
from casework.cases import services as cases
from casework.core.errors import DomainError
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l, local_zone
from casework.policing.access import in_policing_area
from casework.policing.models import Alert, activity_cases

DESCRIPTION_MAX = 5_000
MAX_DURATION_MINUTES = 7 * 24 * 60
# The referral targets that are security forces: their focal points see these referrals.
SECURITY_FORCE_TARGETS = cases.SECURITY_FORCE_TARGETS
# A pseudonym, never a name: letters, digits and hyphens, e.g. GAO-R-017.
RELAY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
# Suggested conflict type when an alert becomes a case (the user can change it).
CATEGORY_TO_CONFLICT_TYPE = {
    "TENSION_INTERCOMMUNAUTAIRE": "INTERCOMMUNAUTAIRE",
    "MOUVEMENT_ARME": "GROUPE_ARME",
    "TRAFIC": "TRAFIC",
    "BANDITISME": "BANDITISME",
    "ENLEVEMENT": "BANDITISME",
    "ENGIN_EXPLOSIF": "GROUPE_ARME",
    "VOL_BETAIL": "VOL_BETAIL",
    "TRANSHUMANCE_CONFLICTUELLE": "TRANSHUMANCE",
    "RUMEUR_INCITATION": "INTERCOMMUNAUTAIRE",
}


class PolicingError(DomainError):
    """A rule of community policing was broken."""


# --- shared checks --------------------------------------------------------------------------


def _place(unit_id: int | None, by: User, label=None) -> AdminUnit:
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    if unit is None:
        raise PolicingError(_l("Choose the place."))
    if not in_policing_area(by, unit):
        raise PolicingError(_l("This place is outside your area."))
    return unit


@signals.case_purging.connect
def _cut_purged_case(case_id: int, **_extra) -> dict[str, int]:
    """A purged case leaves the activities and alerts that named it; only the link goes."""
    options = {"synchronize_session": False}
    return {
        "activity_links": db.session.execute(
            activity_cases.delete().where(activity_cases.c.case_id == case_id),
            execution_options=options,
        ).rowcount,
        "alerts_unlinked": db.session.execute(
            sa.update(Alert).where(Alert.case_id == case_id).values(case_id=None),
            execution_options=options,
        ).rowcount,
    }


def from_local(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in Bamako, as an aware UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(local_zone()).replace(tzinfo=None) if value else None
