"""The pages' offline layer (issue 17): the installable app's files, the service worker at the
root, and what a capture page tells its script (the API operation and its fields' types)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import sqlalchemy as sa

from casework.cases.models import Case
from casework.config import settings_from_env
from tests.api.helpers import case_json
from tests.conftest import query

ROOT = Path(__file__).resolve().parents[1]


def offline_config(page: str) -> dict:
    found = re.search(r"data-offline='([^']*)'", page)
    assert found, "the page carries no data-offline"
    return json.loads(found.group(1).replace("&#39;", "'").replace("&amp;", "&"))


def test_the_service_worker_is_served_at_the_root_without_signing_in(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert b'addEventListener("fetch"' in response.data
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_manifest_and_its_icons_are_served(client):
    manifest = json.loads(client.get("/static/manifest.webmanifest").data)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
            width = int.from_bytes(response.data[16:20], "big")
            assert f"{width}x{width}" == icon["sizes"]


def test_a_signed_in_page_links_the_app_and_its_script(client, seeded, make_user, login):
    login(make_user("mediator", area="GAO"))
    page = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in page and "/static/js/offline.js" in page
    config = offline_config(page)
    assert config["stale_days"] == 14 and config["sw"] == "/sw.js"
    assert "form" not in config  # the home page has nothing to queue


def test_the_sign_in_page_gives_the_script_nothing(client):
    assert offline_config(client.get("/login").get_data(as_text=True)) == {}


def test_the_new_case_page_names_the_api_and_its_fields_in_french(client, seeded, make_user, login):
    login(make_user("mediator", area="GAO", lang="fr"))
    page = client.get("/cases/new").get_data(as_text=True)
    config = offline_config(page)
    form = config["form"]
    assert form["api"] == "/api/v1/cases"
    assert form["shape"]["unit_id"] == "int" and form["shape"]["parties"] == "parties"
    assert form["party"]["consent_to_share"] == "bool" and form["party"]["name"] == "str"
    assert "fiches en attente" in config["msg"]["waiting"]


def test_the_capture_pages_name_their_operations(client, seeded, make_user, login):
    login(make_user("mediator", area="GAO"))
    alert = offline_config(client.get("/policing/alerts/new").get_data(as_text=True))["form"]
    assert alert["api"] == "/api/v1/alerts" and alert["shape"]["occurred_at"] == "moment"
    activity = offline_config(client.get("/policing/activities/new").get_data(as_text=True))
    assert activity["form"]["shape"]["case_references"] == "csv"


def test_the_session_page_names_the_case_s_operation(app, client, seeded, make_user, login):
    mediator = make_user("mediator", area="GAO")
    login(mediator)
    token = offline_config(client.get("/").get_data(as_text=True))["token_url"]
    csrf = client.get(token).get_json()["csrf"]
    created = client.post(
        "/api/v1/cases", json=case_json(app), headers={"X-CSRFToken": csrf, "Idempotency-Key": "k1"}
    )
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]
    page = client.get(f"/cases/{case_id}/sessions/new").get_data(as_text=True)
    form = offline_config(page)["form"]
    assert form["api"] == f"/api/v1/cases/{case_id}/sessions"
    assert form["shape"]["actor_ids"] == "ints" and form["shape"]["held_on"] == "str"
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 1


def test_the_csrf_token_for_a_sync_needs_a_signed_in_user(client):
    response = client.get("/offline/token")
    assert response.status_code in (302, 401)


def test_the_script_and_the_worker_fit_the_budget():
    """At most 30 KB of JavaScript, compressed (issue 17)."""
    scripts = (ROOT / "static" / "js").glob("*.js")
    total = sum(len(gzip.compress(path.read_bytes(), 9)) for path in scripts)
    assert 0 < total <= 30 * 1024


def test_an_edit_refused_through_the_api_is_shown_beside_the_saved_one(
    app, client, seeded, make_user, login
):
    login(make_user("coordinator", area="GAO"))
    csrf = client.get("/offline/token").get_json()["csrf"]
    headers = {"X-CSRFToken": csrf, "Accept-Language": "en"}
    case = client.post("/api/v1/cases", json=case_json(app), headers=headers).get_json()
    assert client.get(f"/cases/{case['id']}/conflict").status_code == 404
    etag = client.get(f"/api/v1/cases/{case['id']}").headers["ETag"]
    saved = client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"title": "Saved title"},
        headers={**headers, "If-Match": etag},
    )
    assert saved.status_code == 200
    refused = client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"title": "Offline title"},
        headers={**headers, "If-Match": etag},
    )
    assert refused.status_code == 412
    page = client.get(f"/cases/{case['id']}/conflict")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Saved title" in text and "Offline title" in text


def test_the_days_before_an_unsynced_phone_is_erased_come_from_the_configuration():
    assert settings_from_env({"CASEWORK_OFFLINE_STALE_DAYS": "7"})["OFFLINE_STALE_DAYS"] == 7
