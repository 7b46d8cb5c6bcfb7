"""Who reaches community-policing records: administrators everywhere; coordinators and
community-police focal points in their area and below. Mediators record cases, not
police work; police users never reach mediation content (see cases.access)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from casework.audit import services as audit
from casework.cases.access import area_clause, in_area
from casework.extensions import db
from casework.permissions import Resource, can, roles_with

POLICING_ROLES = roles_with(Resource.POLICING)


def can_use_policing(user) -> bool:
    return can(user, Resource.POLICING)


def policing_area_clause(user, unit_column):
    return area_clause(user, unit_column, resource=Resource.POLICING)


def in_policing_area(user, unit) -> bool:
    return in_area(user, unit, resource=Resource.POLICING)


def get_or_404(model, record_id: int, unit_attribute: str = "area"):
    """Load a policing record (404), then check the user's area (403); the role was checked
    by the route's declaration."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    if not in_policing_area(current_user, getattr(record, unit_attribute)):
        abort(403)
    if record.__tablename__ == "alerts" and request.method == "GET":
        audit.record("view", obj=record, details={"page": request.endpoint})  # relay code
    return record
