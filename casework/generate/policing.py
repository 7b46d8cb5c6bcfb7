"""Community-policing rows: police units, actors, activities and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from casework.cases.models import Actor
from casework.generate.cases import _Generator
from casework.generate.data import (
    ACTIVITY_TYPES,
    ACTOR_TYPES_BY_LEVEL,
    ALERT_CATEGORIES,
    ALERT_SOURCES,
    CRIME_TARGETS,
    FORCES,
    GIVEN_M,
    REGION_WEIGHTS,
    SURNAMES,
    _weighted,
)
from casework.generate.writer import _at, _Ids, _Place, _Writer
from casework.policing.models import Activity, Alert, PoliceUnit, activity_cases
from casework.text import fold

# --- policing -------------------------------------------------------------------------------


def _police_units(writer: _Writer, places: list[_Place], ids: _Ids, rng) -> dict[str, list]:
    """One community-police unit per cercle."""
    units: dict[str, list[tuple[int, _Place]]] = {}
    for place in places:
        if place.kind != "cercle":
            continue
        unit_id = ids.take("police_units")
        writer.add(
            PoliceUnit.__table__,
            {"id": unit_id, "name": f"Police de proximité de {place.name}",
             "force": rng.choice(FORCES), "unit_id": place.id, "focal_point_id": None,
             "is_active": True, "created_at": datetime(2020, 1, 1, tzinfo=UTC)},
        )  # fmt: skip
        units.setdefault(place.region, []).append((unit_id, place))
    return units


def _actors(writer: _Writer, places: list[_Place], ids: _Ids, rng) -> dict[str, list[int]]:
    """A registry of chiefs, cadis, elders and officials: a few per commune."""
    by_region: dict[str, list[int]] = {}
    for place in places:
        if place.kind != "commune":
            continue
        for level in range(5):
            actor_type = rng.choice(ACTOR_TYPES_BY_LEVEL[level])
            name = f"{rng.choice(GIVEN_M)} {rng.choice(SURNAMES)}"
            actor_id = ids.take("actors")
            writer.add(
                Actor.__table__,
                {"id": actor_id, "actor_type": actor_type, "name": name,
                 "name_search": fold(name), "function": None, "organisation": None,
                 "sex": "M", "unit_id": place.id, "trained": rng.random() < 0.5,
                 "is_active": True, "created_at": datetime(2020, 1, 1, tzinfo=UTC)},
            )  # fmt: skip
            by_region.setdefault(place.region, []).append(actor_id)
    return by_region


def _activity(gen: _Generator, writer: _Writer, units, day: date, case_ids: list[int]) -> None:
    rng = gen.rng
    region = _weighted(rng, REGION_WEIGHTS)
    if region not in units:
        return
    police_unit_id, cercle = rng.choice(units[region])
    place = rng.choice(gen.within[cercle.id])
    activity_type = rng.choice(ACTIVITY_TYPES)
    topic = f"{activity_type.replace('_', ' ').capitalize()} à {place.name}"
    women = rng.randrange(0, 15)
    men = rng.randrange(0, 30)
    activity_id = gen.ids.take("police_activities")
    at = _at(day, rng)
    writer.add(
        Activity.__table__,
        {"id": activity_id, "activity_type": activity_type, "held_on": day,
         "duration_minutes": rng.choice((30, 60, 90, 120, 180)),
         "police_unit_id": police_unit_id, "unit_id": place.id, "place": None,
         "topic": topic, "topic_search": fold(" ".join([topic, place.name])),
         "participants": women + men, "women": women, "men": men,
         "youth": rng.randrange(0, women + men + 1),
         "alerts_raised": rng.choice((0, 0, 0, 1)), "cases_created": 0,
         "cases_referred": 0, "notes": None, "recorded_by_id": gen.staff.admin_id,
         "created_at": at, "updated_at": at},
    )  # fmt: skip
    if case_ids and rng.random() < 0.1:
        writer.add(activity_cases, {"activity_id": activity_id, "case_id": rng.choice(case_ids)})


def _alert(gen: _Generator, writer: _Writer, units, day: date) -> None:
    rng = gen.rng
    region = _weighted(rng, REGION_WEIGHTS)
    place = rng.choice(gen.by_region[region])
    category = _weighted(rng, ALERT_CATEGORIES)
    occurred = _at(day, rng)
    description = (
        f"{category.replace('_', ' ').capitalize()} signalé près de {place.name} ; "
        "faits rapportés par le relais, à vérifier."
    )
    forwarded = rng.random() < 0.6
    responded = forwarded and rng.random() < 0.7
    police = units.get(region)
    writer.add(
        Alert.__table__,
        {"occurred_at": occurred, "unit_id": place.id, "place": None, "category": category,
         "urgency": rng.choice((1, 2, 2, 3)), "source_type": rng.choice(ALERT_SOURCES),
         "relay_code": f"{region}-R-{rng.randrange(1, 60):03d}", "description": description,
         "description_search": fold(" ".join([description, place.name])),
         "verified": rng.random() < 0.5,
         "forwarded_to": rng.choice(CRIME_TARGETS) if forwarded else None,
         "forwarded_at": occurred + timedelta(minutes=rng.randrange(5, 240)) if forwarded else None,
         "response": "Patrouille envoyée sur place." if responded else None,
         "responded_at": (occurred + timedelta(minutes=rng.randrange(30, 1440))
                          if responded else None),
         "police_unit_id": rng.choice(police)[0] if police else None, "case_id": None,
         "recorded_by_id": gen.staff.admin_id, "created_at": occurred, "updated_at": occurred},
    )  # fmt: skip
