"""The API (issue 16): its document, tokens, idempotent creates, ETag / If-Match, errors."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from openapi_spec_validator import validate

from casework.auth.tokens import ApiToken
from casework.cases.models import Case
from casework.db import utcnow
from casework.extensions import db
from tests.api.helpers import bearer, case_json, token_for
from tests.conftest import query


def test_the_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert "/api/v1/cases" in document["paths"]
    assert "If-Match" in str(document["paths"]["/api/v1/cases/{case_id}"]["patch"])


def test_the_docs_page_lists_operations_without_external_assets(client):
    response = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/cases/{case_id}/sessions" in page
    assert "CaseCreate" in page
    assert "https://" not in page and "http://" not in page.replace("http://localhost", "")
    assert "<script" not in page.replace('<script src="/static', "")


def test_without_a_token_the_api_answers_401_in_json(client, seeded):
    response = client.get("/api/v1/cases", headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized"
    assert "jeton" in error["message"]


def test_a_revoked_or_expired_token_gets_401(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    secret = token_for(app, mediator)
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    with app.app_context():
        token = db.session.scalars(sa.select(ApiToken)).one()
        token.revoked_at = utcnow()
        db.session.commit()
    response = client.get("/api/v1/cases", headers=bearer(secret))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"

    other = token_for(app, mediator)
    with app.app_context():
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.revoked_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(other)).status_code == 401
    assert client.get("/api/v1/cases", headers=bearer("cw_not-a-token")).status_code == 401


def test_a_read_token_cannot_write(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    secret = token_for(app, mediator, scope="read")
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    response = client.post("/api/v1/cases", json=case_json(app), headers=bearer(secret))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "read_only_token"
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 0


def test_the_same_create_twice_with_one_key_makes_one_case(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    headers = {**bearer(make := token_for(app, mediator)), "Idempotency-Key": "4b1e-uuid"}
    assert make
    first = client.post("/api/v1/cases", json=case_json(app), headers=headers)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/v1/cases", json=case_json(app), headers=headers)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 1
    assert [p["name"] for p in first.get_json()["parties"]] == ["Amadou Maïga", "Hama Ag Ahmed"]

    other_body = client.post(
        "/api/v1/cases", json=case_json(app, title="Un autre champ"), headers=headers
    )
    assert other_body.status_code == 422
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 1
    # Without a key, each create is a new case.
    plain = client.post("/api/v1/cases", json=case_json(app), headers=bearer(make))
    assert plain.status_code == 201
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 2


def test_an_edit_needs_if_match_and_a_stale_one_gets_412(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    headers = bearer(token_for(app, mediator))
    created = client.post("/api/v1/cases", json=case_json(app), headers=headers)
    case_id = created.get_json()["id"]
    read = client.get(f"/api/v1/cases/{case_id}", headers=headers)
    first_etag = read.headers["ETag"]
    assert first_etag == created.headers["ETag"]

    missing = client.patch(f"/api/v1/cases/{case_id}", json={"deaths": 1}, headers=headers)
    assert missing.status_code == 428
    assert missing.get_json()["error"]["code"] == "precondition_required"

    saved = client.patch(
        f"/api/v1/cases/{case_id}",
        json={"title": "Champ de sorgho détruit"},
        headers={**headers, "If-Match": first_etag},
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["title"] == "Champ de sorgho détruit"
    assert saved.headers["ETag"] != first_etag

    stale = client.patch(
        f"/api/v1/cases/{case_id}",
        json={"title": "Écrasé"},
        headers={**headers, "If-Match": first_etag},
    )
    assert stale.status_code == 412
    assert stale.get_json()["error"]["code"] == "precondition_failed"
    now = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()
    assert now["title"] == "Champ de sorgho détruit"


def test_errors_are_json_in_the_language_asked(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    secret = token_for(app, mediator)
    body = case_json(app)
    del body["title"]
    body["deaths"] = -1
    english = client.post("/api/v1/cases", json=body, headers=bearer(secret, "en"))
    french = client.post("/api/v1/cases", json=body, headers=bearer(secret, "fr"))
    assert english.status_code == french.status_code == 422
    assert english.get_json()["error"]["fields"]["title"] == ["This field is required."]
    assert "deaths" in english.get_json()["error"]["fields"]
    assert french.get_json()["error"]["fields"]["title"] == ["Ce champ est obligatoire."]
    assert french.get_json()["error"]["message"] != english.get_json()["error"]["message"]

    future = case_json(app, event_date="2999-01-01")
    refused = client.post("/api/v1/cases", json=future, headers=bearer(secret, "fr"))
    assert refused.status_code == 422
    assert "futur" in refused.get_json()["error"]["message"]
    assert client.post(
        "/api/v1/cases", data="{", headers={**bearer(secret), "Content-Type": "application/json"}
    ).status_code in (400, 422)
    nul = client.post("/api/v1/cases", json=case_json(app, title="a\x00b"), headers=bearer(secret))
    assert nul.status_code == 400
    assert query(app, sa.select(sa.func.count(Case.id))).scalar() == 0


def test_lists_page_with_an_opaque_cursor_and_filter(app, client, seeded, make_user):
    mediator = make_user("mediator", area="GAO")
    headers = bearer(token_for(app, mediator))
    for title in ("Premier", "Deuxième", "Troisième"):
        assert client.post("/api/v1/cases", json=case_json(app, title=title), headers=headers)
    first = client.get("/api/v1/cases?limit=2", headers=headers).get_json()
    assert [c["title"] for c in first["items"]] == ["Troisième", "Deuxième"]
    cursor = first["next_cursor"]
    assert cursor and not cursor.isdigit()
    second = client.get(f"/api/v1/cases?limit=2&cursor={cursor}", headers=headers).get_json()
    assert [c["title"] for c in second["items"]] == ["Premier"]
    assert second["next_cursor"] is None
    found = client.get("/api/v1/cases?q=deuxieme", headers=headers).get_json()
    assert [c["title"] for c in found["items"]] == ["Deuxième"]
    assert (
        client.get("/api/v1/cases?status=CLOTURE_RESOLU", headers=headers).get_json()["items"] == []
    )
    assert client.get("/api/v1/cases?cursor=nonsense", headers=headers).status_code == 422
    assert client.get("/api/v1/cases?limit=1000", headers=headers).status_code == 422


def test_the_session_cookie_writes_only_with_the_csrf_header(app, client, seeded, make_user, login):
    mediator = make_user("mediator", area="GAO")
    login(mediator)
    assert client.get("/api/v1/cases").status_code == 200
    refused = client.post("/api/v1/cases", json=case_json(app))
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf"
    from tests.conftest import csrf_token

    token = csrf_token(client, "/cases/new")
    made = client.post("/api/v1/cases", json=case_json(app), headers={"X-CSRFToken": token})
    assert made.status_code == 201


def test_a_case_links_its_summary_in_each_language_and_format(
    app, client, seeded, make_user, login
):
    """Issue 18: the case summary is one click away, from the API too."""
    mediator = make_user("mediator", area="GAO")
    created = client.post(
        "/api/v1/cases", json=case_json(app), headers=bearer(token_for(app, mediator))
    )
    assert created.status_code == 201, created.get_json()
    links = {
        (link["lang"], link["format"]): link["href"] for link in created.get_json()["summaries"]
    }
    assert set(links) == {(lang, fmt) for lang in ("fr", "en") for fmt in ("html", "pdf", "docx")}
    login(mediator)  # the links are for a browser signed in to the application
    for (lang, fmt), href in links.items():
        response = client.get(href)
        assert response.status_code == 200, (href, response.status_code)
        if fmt == "html":
            assert f'lang="{lang}"' in response.get_data(as_text=True)
