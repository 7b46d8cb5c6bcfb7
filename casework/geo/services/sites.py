"""Sites: places inside a unit."""

from __future__ import annotations

import unicodedata

from casework.extensions import db
from casework.geo.models import AdminUnit, Site, SiteKind
from casework.geo.services.common import NAME_MAX, GeoError
from casework.i18n import _l

# --- sites ------------------------------------------------------------------------------------


def add_site(
    unit: AdminUnit,
    *,
    kind: str,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    """Record a precise place (a well, a corridor, a market) in a unit."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if kind not in {k.value for k in SiteKind}:
        raise GeoError(_l("Unknown kind of site: %(kind)s.", kind=kind))
    if not name or len(name) > NAME_MAX:
        raise GeoError(_l("The name must have 1 to %(max)s characters.", max=NAME_MAX))
    if (latitude is None) != (longitude is None):
        raise GeoError(_l("Give both the latitude and the longitude, or neither."))
    if latitude is not None and not -90 <= latitude <= 90:
        raise GeoError(_l("The latitude must be between -90 and 90."))
    if longitude is not None and not -180 <= longitude <= 180:
        raise GeoError(_l("The longitude must be between -180 and 180."))
    site = Site(unit=unit, kind=kind, name=name, latitude=latitude, longitude=longitude)
    db.session.add(site)
    db.session.flush()
    return site
