"""Recording through the API (issue 16): a session on a case in mediation, alerts and
activities, each once per Idempotency-Key, each with the services' own checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services
from casework.cases.models import Case, MediationSession
from casework.core.dates import today
from casework.extensions import db
from casework.policing.models import Alert
from tests.api.helpers import bearer, case_json, token_for
from tests.conftest import query, unit_id


def _in_mediation(app, case_id: int, user_id: int) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        by = db.session.get(User, user_id)
        services.transition(case, "ENREGISTRE", by)
        services.transition(case, "EN_MEDIATION", by)
        db.session.commit()


def test_a_session_is_recorded_once_per_key(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    headers = bearer(token_for(app, mediator))
    case_id = client.post("/api/v1/cases", json=case_json(app), headers=headers).get_json()["id"]
    _in_mediation(app, case_id, mediator.id)
    body = {
        "held_on": today().isoformat(),
        "place": "ARBRE_PALABRE",
        "mechanism": "PALABRE",
        "result": "continue",
        "women": 2,
        "men": 5,
        "youth": 1,
        "minutes": "Les parties se sont rencontrées.",
        "minutes_lang": "fr",
    }
    keyed = {**headers, "Idempotency-Key": "session-1"}
    first = client.post(f"/api/v1/cases/{case_id}/sessions", json=body, headers=keyed)
    assert first.status_code == 201, first.get_json()
    again = client.post(f"/api/v1/cases/{case_id}/sessions", json=body, headers=keyed)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert query(app, sa.select(sa.func.count(MediationSession.id))).scalar() == 1
    listed = client.get(f"/api/v1/cases/{case_id}/sessions", headers=headers).get_json()
    assert [s["minutes"] for s in listed["items"]] == ["Les parties se sont rencontrées."]

    too_young = {**body, "youth": 20}
    refused = client.post(f"/api/v1/cases/{case_id}/sessions", json=too_young, headers=headers)
    assert refused.status_code == 422
    assert query(app, sa.select(sa.func.count(MediationSession.id))).scalar() == 1


def test_alerts_are_recorded_once_per_key_within_the_area(app, client, seeded, make_user):
    police = bearer(token_for(app, make_user("police", area="GAO")))
    elsewhere = bearer(token_for(app, make_user("police", area="TBK")))
    body = {
        "occurred_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        "unit_id": unit_id(app, "GAO-GAO-GAO"),
        "category": "VOL_BETAIL",
        "urgency": 2,
        "source_type": "RELAIS_COMMUNAUTAIRE",
        "relay_code": "GAO-R-017",
        "description": "Vol de bétail signalé au puits",
    }
    keyed = {**police, "Idempotency-Key": "alert-1"}
    first = client.post("/api/v1/alerts", json=body, headers=keyed)
    assert first.status_code == 201, first.get_json()
    assert client.post("/api/v1/alerts", json=body, headers=keyed).status_code == 200
    assert query(app, sa.select(sa.func.count(Alert.id))).scalar() == 1
    alert_id = first.get_json()["id"]
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=police).status_code == 200
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=elsewhere).status_code == 403
    assert client.get("/api/v1/alerts", headers=elsewhere).get_json()["items"] == []
    outside = client.post("/api/v1/alerts", json=body, headers=elsewhere)
    assert outside.status_code == 422
    assert query(app, sa.select(sa.func.count(Alert.id))).scalar() == 1
