"""Early-warning thresholds and the warnings they raise."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from casework.auth.models import User
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _l
from casework.policing.access import policing_area_clause
from casework.policing.models import Alert, AlertThreshold
from casework.policing.services.common import PolicingError
from casework.vocab import services as vocab

# --- early-warning thresholds ---------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    commune: AdminUnit
    category: str
    count: int
    threshold: int
    window_days: int


def _commune_of(unit: AdminUnit) -> AdminUnit | None:
    for ancestor in unit.ancestry:
        if ancestor.kind == UnitKind.COMMUNE.value:
            return ancestor
    return None


def thresholds() -> tuple[tuple[int, int], dict[tuple[int | None, str | None], tuple[int, int]]]:
    default = (
        current_app.config["ALERT_THRESHOLD_COUNT"],
        current_app.config["ALERT_THRESHOLD_DAYS"],
    )
    rows = db.session.scalars(sa.select(AlertThreshold)).all()
    return default, {(r.unit_id, r.category): (r.alert_count, r.window_days) for r in rows}


def rule_for(commune_id: int, category: str, default, rules) -> tuple[int, int]:
    for key in ((commune_id, category), (commune_id, None), (None, category), (None, None)):
        if key in rules:
            return rules[key]
    return default


def active_warnings(user: User, *, now: datetime | None = None) -> list[Warning]:
    """Communes and categories whose recent alerts reach their threshold, in the user's area."""
    now = now or utcnow()
    default, rules = thresholds()
    longest = max([default[1]] + [days for _count, days in rules.values()])
    # The alerts' unit, category and time only (the home page reads them for every request:
    # a week of a region is about a hundred alerts at 100 000 cases), each unit's commune
    # found once (issue 19).
    alerts = db.session.execute(
        sa.select(Alert.unit_id, Alert.category, Alert.occurred_at)
        .where(Alert.occurred_at >= now - timedelta(days=longest), Alert.occurred_at <= now)
        .where(policing_area_clause(user, Alert.unit_id))
    ).all()
    units = db.session.scalars(
        sa.select(AdminUnit).where(AdminUnit.id.in_({unit_id for unit_id, *_ in alerts}))
    )
    commune_of_unit = {unit.id: _commune_of(unit) for unit in units}
    grouped: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    communes: dict[int, AdminUnit] = {}
    for unit_id, category, occurred_at in alerts:
        commune = commune_of_unit[unit_id]
        if commune is None:
            continue
        communes[commune.id] = commune
        grouped[(commune.id, category)].append(occurred_at)
    warnings = []
    for (commune_id, category), found in grouped.items():
        count_needed, days = rule_for(commune_id, category, default, rules)
        recent = [at for at in found if at >= now - timedelta(days=days)]
        if len(recent) >= count_needed:
            warnings.append(
                Warning(communes[commune_id], category, len(recent), count_needed, days)
            )
    return sorted(warnings, key=lambda w: (-w.count, w.commune.name_search, w.category))


@dataclass
class ThresholdData:
    unit_id: int | None
    category: str | None
    alert_count: int | None
    window_days: int | None


def save_threshold(data: ThresholdData, threshold: AlertThreshold | None = None):
    if data.unit_id is not None:
        unit = db.session.get(AdminUnit, data.unit_id)
        if unit is None or unit.kind != UnitKind.COMMUNE.value:
            raise PolicingError(_l("A threshold applies to a commune, or to every commune."))
    vocab.check_code("alert_category", data.category, _l("The threat category"), required=False)
    if not data.alert_count or data.alert_count < 1 or data.alert_count > 1000:
        raise PolicingError(_l("The number of alerts is between 1 and 1000."))
    if not data.window_days or data.window_days < 1 or data.window_days > 366:
        raise PolicingError(_l("The window is between 1 and 366 days."))
    clash = db.session.scalars(
        sa.select(AlertThreshold).where(
            AlertThreshold.unit_id.is_(data.unit_id)
            if data.unit_id is None
            else AlertThreshold.unit_id == data.unit_id,
            AlertThreshold.category.is_(None)
            if not data.category
            else AlertThreshold.category == data.category,
        )
    ).first()
    if clash is not None and clash is not threshold:
        raise PolicingError(_l("A threshold for this commune and category exists already."))
    if threshold is None:
        threshold = AlertThreshold()
        db.session.add(threshold)
    threshold.unit_id = data.unit_id
    threshold.category = data.category or None
    threshold.alert_count = data.alert_count
    threshold.window_days = data.window_days
    db.session.flush()
    return threshold
