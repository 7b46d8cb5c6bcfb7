"""Sensitive fields: an analyst (and a community-police focal point) never reaches a party's
name, by any page, search, export or report, in any format."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from casework.cases.models import Party
from casework.demo import seed_demo
from casework.extensions import db
from casework.permissions import is_public_endpoint
from casework.reports.exports import EXPORTS
from tests.test_permissions import HOME, PLACELESS, World, fill

SECRET = "Qwertzouma Ag Zyxwuvt"  # a name that appears nowhere else
FORMATS = ("html", "pdf", "docx", "xlsx", "json")


def readable(response) -> str:
    """The text a person would read in the response, whatever its format."""
    data = response.get_data()
    kind = response.mimetype or ""
    if kind == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if data[:2] == b"PK":  # DOCX and XLSX are zip files of XML
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return data.decode("utf-8", "replace")


def requests_for(app, world, spare):
    """Every GET the user could try: each endpoint with objects inside and outside the
    area, searches for the name, every export and every report format."""
    from flask import url_for

    words = SECRET.split()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or is_public_endpoint(app, rule.endpoint):
                continue
            for objects in (world.home, world.away):
                values = fill(rule, objects, spare)
                if values is not None:
                    yield url_for(rule.endpoint, **values)
                    yield url_for(rule.endpoint, q=words[0], **values)
        yield f"/cases?q={words[0]}"
        for name in EXPORTS:
            for fmt in ("csv", "xlsx"):
                yield f"/reports/exports/{name}.{fmt}?lang=fr"
        for fmt in FORMATS:
            for lang in ("fr", "en"):
                yield f"/reports/periodic?period=2026&lang={lang}&format={fmt}"
                yield f"/reports/periodic?period=2026&area=GAO&lang={lang}&format={fmt}"
                yield f"/reports/periodic?period=2026&lang={lang}&format={fmt}&anonymised=y"
        for party_case in world.home.values():
            if "case_id" in party_case:
                for fmt in ("html", "pdf", "docx"):
                    yield f"/reports/case/{party_case['case_id']}?format={fmt}"


@pytest.mark.parametrize("role", ["analyst", "police"])
def test_a_party_name_never_reaches_an_analyst_or_a_focal_point(
    app, client, make_user, login, role
):
    with app.app_context():
        seed_demo(cases=60)
        world = World()
        # Every party of one case inside the area, and one outside, get the secret name.
        for objects in (world.home, world.away):
            case_id = objects["party"]["case_id"]
            db.session.execute(sa.update(Party).where(Party.case_id == case_id).values(name=SECRET))
        db.session.commit()
        spare = {
            "term_id": 1,
            "vocabulary": "conflict_type",
            "threshold_id": 1,
            "name": "cases",
            "fmt": "csv",
            "target": "ENREGISTRE",
            "action": "deactivate",
            "token_id": 1,  # an API token (issue 16): none is there, a 404
            "user_id": 1,
        }
    assert set(spare) >= PLACELESS
    login(make_user(role, username=f"the.{role}", area=None if role == "analyst" else HOME))

    # The check sees the name where the user is allowed: a coordinator's export has it.
    leaks, reached = [], 0
    for path in dict.fromkeys(requests_for(app, world, spare)):
        response = client.get(path)
        text = readable(response) if response.status_code == 200 else ""
        response.close()
        assert response.status_code < 500, path
        reached += response.status_code == 200
        # The searches type the first name (pages echo what was typed); the family name
        # is never typed, so finding it anywhere is a leak.
        if SECRET.split()[-1] in text:
            leaks.append(path)
    assert leaks == []
    assert reached >= 10  # the walk did reach pages, reports or exports


def test_the_walk_would_see_a_name_where_it_is_shown(app, client, make_user, login):
    """The same reading finds the name in a coordinator's party export: the walk above
    would catch a leak."""
    with app.app_context():
        seed_demo(cases=60)
        party = db.session.scalars(sa.select(Party).limit(1)).one()
        party.name = SECRET
        db.session.commit()
    login(make_user("admin", username="root"))
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/reports/exports/parties.{fmt}?lang=fr")
        assert SECRET.split()[-1] in readable(response)
        response.close()
