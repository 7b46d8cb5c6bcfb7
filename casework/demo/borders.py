"""The demo's cross-border transhumance case (issue 15), registered through the services:
a Malian fraction and herders from Niger, two places, the other country and the herd's
certificate (casework/demo/data/borders.json)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from casework.cases import services
from casework.cases.enums import AgeBand, PlaceRole, Sex
from casework.cases.models import Case, Fraction
from casework.demo.apply import Staff
from casework.extensions import db
from casework.geo.services import get_unit_by_code

DATA_FILE = Path(__file__).parent / "data" / "borders.json"


def apply_cross_border_case(staff: Staff, today: date) -> Case | None:
    """Register the case, or nothing when its places or its fraction are not in the database
    (a geography or a registry of one's own)."""
    spec = json.loads(DATA_FILE.read_text(encoding="utf-8"))["case"]
    unit = get_unit_by_code(spec["place"])
    home = get_unit_by_code(spec["home_commune"])
    route = get_unit_by_code(spec["route"])
    fraction = db.session.scalar(sa.select(Fraction).where(Fraction.name == spec["fraction"]))
    if None in (unit, home, route, fraction):
        return None
    recorder = staff.recorder(unit)
    data = services.CaseData(
        unit_id=unit.id,
        event_date=today - timedelta(days=12),
        reported_on=today - timedelta(days=11),
        channel="CHEF_VILLAGE",
        conflict_type="TRANSHUMANCE",
        scope="TRANSFRONTALIER",
        title=spec["title"]["fr"],
        narrative=spec["narrative"]["fr"],
        narrative_lang="fr",
        injuries_minor=2,
        livestock_heads=spec["livestock_heads"],
        transhumance_certificate=spec["certificate"],
        other_country=spec["country"],
        assigned_mediator_id=recorder.id if recorder.role == "mediator" else None,
    )
    parties = [
        services.PartyData(
            role=party["role"],
            name=party["name"],
            kind=party["kind"],
            sex=Sex.MALE.value,
            age_band=AgeBand.UNKNOWN.value,
            livelihood="ELEVEUR",
            fraction_id=fraction.id if party["fraction"] else None,
        )
        for party in spec["parties"]
    ]
    case = services.register_case(data, parties, recorder)
    services.set_case_places(
        case,
        {PlaceRole.HOME_COMMUNE.value: [home.id], PlaceRole.ROUTE.value: [route.id]},
        recorder,
    )
    return case
