"""The permission matrix through the API (issue 16): role × area × confidentiality, for
every operation on a case and its records, read and write. A mediator's token reaches no
case outside their area and no secret case that is not theirs, through any endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.core.dates import today
from tests.api.helpers import bearer, case_json, token_for
from tests.test_confidentiality import LEVELS, USERS, expected

CASE_READS = ("", "/sessions", "/agreements", "/referrals", "/follow-ups")
SESSION = {
    "held_on": today().isoformat(),
    "place": "ARBRE_PALABRE",
    "mechanism": "PALABRE",
    "result": "continue",
}
# What each outcome of tests.test_confidentiality.expected answers.
READ_STATUS = {"full": 200, "masked": 200, "missing": 404, "refused": 403}
# A write that passes the checks of access fails on the case itself: a stale If-Match (412),
# a session on a case not in mediation (422).
PATCH_STATUS = {"full": 412, "masked": 403, "missing": 404, "refused": 403}
SESSION_STATUS = {"full": 422, "masked": 403, "missing": 404, "refused": 403}


@pytest.fixture
def world(app, client, seeded, make_user):
    users = {key: make_user(role, area=area) for key, (role, area) in USERS.items()}
    secrets = {key: token_for(app, user) for key, user in users.items()}
    cases = {}
    for level in LEVELS:
        body = case_json(
            app,
            title=f"Case {level}",
            confidentiality=level,
            assigned_mediator_id=users["mediator_assigned"].id,
            reported_on=(today() - timedelta(days=3)).isoformat(),
        )
        made = client.post("/api/v1/cases", json=body, headers=bearer(secrets["admin"]))
        assert made.status_code == 201, made.get_json()
        cases[level] = made.get_json()["id"]
    return secrets, cases


@pytest.mark.parametrize("user", list(USERS))
def test_every_case_endpoint_applies_role_area_and_confidentiality(client, world, user):
    secrets, cases = world
    headers = bearer(secrets[user])
    listed = client.get("/api/v1/cases?archived=all", headers=headers)
    listed_ids = set()
    if listed.status_code == 200:
        listed_ids = {case["id"] for case in listed.get_json()["items"]}
    for level, case_id in cases.items():
        outcome = expected(user, level)
        assert (case_id in listed_ids) == (outcome in ("full", "masked")), (user, level)
        for suffix in CASE_READS:
            response = client.get(f"/api/v1/cases/{case_id}{suffix}", headers=headers)
            assert response.status_code == READ_STATUS[outcome], (user, level, suffix)
        if outcome in ("full", "masked"):
            case = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()
            assert case["details_visible"] is (outcome == "full")
            assert (case["title"] is not None) is (outcome == "full")
            assert all((p["name"] is not None) is (outcome == "full") for p in case["parties"])
        patch = client.patch(
            f"/api/v1/cases/{case_id}",
            json={"deaths": 3},
            headers={**headers, "If-Match": '"v999"'},
        )
        assert patch.status_code == PATCH_STATUS[outcome], (user, level, patch.get_json())
        session = client.post(f"/api/v1/cases/{case_id}/sessions", json=SESSION, headers=headers)
        assert session.status_code == SESSION_STATUS[outcome], (user, level, session.get_json())
        assert session.get_json()["error"]["message"]


def test_mediators_reach_no_alert_and_police_no_case(app, client, seeded, make_user):
    mediator = bearer(token_for(app, make_user("mediator", area="GAO")))
    police = bearer(token_for(app, make_user("police", area="GAO")))
    analyst = bearer(token_for(app, make_user("analyst")))
    assert client.get("/api/v1/alerts", headers=mediator).status_code == 403
    assert client.get("/api/v1/activities", headers=mediator).status_code == 403
    assert client.post("/api/v1/alerts", json={}, headers=mediator).status_code == 403
    assert client.get("/api/v1/cases", headers=police).status_code == 403
    assert client.post("/api/v1/cases", json=case_json(app), headers=police).status_code == 403
    assert client.get("/api/v1/alerts", headers=police).status_code == 200
    assert client.get("/api/v1/cases", headers=analyst).status_code == 403
    assert client.get("/api/v1/units?limit=2", headers=analyst).status_code == 200


def test_a_mediator_cannot_register_a_case_outside_their_area(app, client, seeded, make_user):
    mediator = bearer(token_for(app, make_user("mediator", area="TBK")), "en")
    response = client.post("/api/v1/cases", json=case_json(app), headers=mediator)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "This place is outside your area."
