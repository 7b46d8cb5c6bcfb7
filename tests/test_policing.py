"""Community policing and early warning through the web forms, in both languages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from casework.cases.models import Case
from casework.core.dates import today
from casework.policing.models import (
    Activity,
    Alert,
    AlertThreshold,
    CommitteeMeeting,
    CommitteeMember,
    PoliceUnit,
    Recommendation,
    SecurityCommittee,
)
from tests.conftest import fetch_one, post_form, query, unit_id
from tests.test_cases import Walker

GAO = "GAO-GAO-GAO"
NTILLIT = "GAO-GAO-NTILLIT"
KIDAL = "KDL-KIDAL-KIDAL"
TEXT = {
    "fr": {
        "participants": "Les participants ne font pas le compte",
        "before": "avant l'alerte",
        "choose": "Choisissez une des valeurs de la liste",
        "warning": "Alertes précoces",
        "hours": "2\u00a0heures",
        "relay": "pseudonyme",
    },
    "en": {
        "participants": "The participants do not add up",
        "before": "before the alert",
        "choose": "Choose one of the values in the list",
        "warning": "Early warnings",
        "hours": "2 hours",
        "relay": "pseudonym",
    },
}


def moment(delta: timedelta) -> str:
    """A wall-clock time in Bamako (UTC+0), as the datetime-local input sends it."""
    return (datetime.utcnow().replace(second=0, microsecond=0) - delta).strftime("%Y-%m-%dT%H:%M")


def count(app, model) -> int:
    return query(app, sa.select(sa.func.count()).select_from(model)).scalar()


def id_from(response, path: str) -> int:
    match = re.search(rf"{path}/(\d+)$", response.headers.get("Location", ""))
    assert match, (response.status_code, response.get_data(as_text=True)[-2500:])
    return int(match.group(1))


@pytest.fixture
def coordinator(seeded, make_user, login):
    user = make_user("coordinator", username="coord", area="GAO")
    login(user)
    return user


def send(client, path, data, lang="en"):
    return post_form(client, path, data, headers={"Accept-Language": lang})


def new_unit(app, client, name="Brigade de Gao", lang="en") -> int:
    response = send(
        client,
        "/policing/units/new",
        {
            "name": name,
            "force": "gendarmerie",
            "unit_id": str(unit_id(app, GAO)),
            "focal_point_id": "",
        },
        lang,
    )
    return id_from(response, "/policing/units")


def activity_data(app, police_unit: int, **overrides) -> dict:
    data = {
        "activity_type": "PATROUILLE_PEDESTRE",
        "held_on": today().isoformat(),
        "duration_minutes": "120",
        "police_unit_id": str(police_unit),
        "unit_id": str(unit_id(app, GAO)),
        "place": "Marché de Washington",
        "topic": "Patrouille du marché",
        "participants": "30",
        "women": "12",
        "men": "18",
        "youth": "10",
        "alerts_raised": "1",
        "cases_created": "0",
        "cases_referred": "0",
        "case_references": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def alert_data(app, **overrides) -> dict:
    data = {
        "occurred_at": moment(timedelta(hours=3)),
        "unit_id": str(unit_id(app, NTILLIT)),
        "place": "Puits de Tin-Hama",
        "category": "TENSION_INTERCOMMUNAUTAIRE",
        "urgency": "2",
        "source_type": "RELAIS_COMMUNAUTAIRE",
        "relay_code": "gao-r-017",
        "description": "Des jeunes armés de bâtons se rassemblent près du puits.",
        "police_unit_id": "",
        "forwarded_to": "",
        "forwarded_at": "",
        "response": "",
        "responded_at": "",
    }
    data.update(overrides)
    return data


# --- every record: created, edited, listed, filtered ----------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_units_and_their_activity_history(app, client, coordinator, lang):
    police_unit = new_unit(app, client, lang=lang)
    response = send(
        client,
        f"/policing/units/{police_unit}/edit",
        {
            "name": "Brigade territoriale de Gao",
            "force": "mixed",
            "unit_id": str(unit_id(app, GAO)),
            "focal_point_id": "",
        },
        lang,
    )
    assert response.status_code == 302
    unit = fetch_one(app, sa.select(PoliceUnit).where(PoliceUnit.id == police_unit))
    assert (unit.name, unit.force) == ("Brigade territoriale de Gao", "mixed")
    listing = client.get("/policing/units", headers={"Accept-Language": lang})
    assert "Brigade territoriale de Gao" in listing.get_data(as_text=True)
    send(client, "/policing/activities/new", activity_data(app, police_unit), lang)
    page = client.get(f"/policing/units/{police_unit}", headers={"Accept-Language": lang})
    body = page.get_data(as_text=True)
    assert "Patrouille du marché" in body
    assert ("Historique des activités" if lang == "fr" else "Activity history") in body


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_activities_created_edited_listed_and_filtered(app, client, coordinator, lang):
    police_unit = new_unit(app, client)
    response = send(client, "/policing/activities/new", activity_data(app, police_unit), lang)
    activity_id = id_from(response, "/policing/activities")
    send(
        client,
        "/policing/activities/new",
        activity_data(
            app, police_unit, activity_type="SENSIBILISATION", topic="Causerie sur la transhumance"
        ),
        lang,
    )
    edited = send(
        client,
        f"/policing/activities/{activity_id}/edit",
        activity_data(app, police_unit, topic="Patrouille du grand marché"),
        lang,
    )
    assert edited.status_code == 302
    assert fetch_one(app, sa.select(Activity).where(Activity.id == activity_id)).topic == (
        "Patrouille du grand marché"
    )
    all_rows = client.get("/policing/activities", headers={"Accept-Language": lang})
    body = all_rows.get_data(as_text=True)
    assert "Patrouille du grand marché" in body and "Causerie sur la transhumance" in body
    by_type = client.get(
        "/policing/activities",
        query_string={"type": "SENSIBILISATION"},
        headers={"Accept-Language": lang},
    ).get_data(as_text=True)
    assert "Causerie sur la transhumance" in by_type and "grand marché" not in by_type
    by_text = client.get("/policing/activities", query_string={"q": "GRAND MARCHE"}).get_data(
        as_text=True
    )
    assert "grand marché" in by_text and "transhumance" not in by_text


def test_an_activity_links_cases_by_reference(app, client, coordinator):
    police_unit = new_unit(app, client)
    walk = Walker(app, client, "en")
    case_id = walk.register()
    reference = query(app, sa.select(Case.reference).where(Case.id == case_id)).scalar_one()
    response = send(
        client,
        "/policing/activities/new",
        activity_data(app, police_unit, case_references=reference.lower()),
    )
    activity_id = id_from(response, "/policing/activities")
    assert reference in client.get(f"/policing/activities/{activity_id}").get_data(as_text=True)
    bad = send(
        client,
        "/policing/activities/new",
        activity_data(app, police_unit, case_references="GAO-1999-9999"),
    )
    assert bad.status_code == 400 and "GAO-1999-9999" in bad.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_alerts_created_edited_listed_and_filtered(app, client, coordinator, lang):
    response = send(client, "/policing/alerts/new", alert_data(app), lang)
    alert_id = id_from(response, "/policing/alerts")
    alert = fetch_one(app, sa.select(Alert).where(Alert.id == alert_id))
    assert alert.relay_code == "GAO-R-017" and not alert.verified
    send(
        client,
        "/policing/alerts/new",
        alert_data(app, category="VOL_BETAIL", description="Vol de douze bovins.", urgency="3"),
        lang,
    )
    edited = send(
        client,
        f"/policing/alerts/{alert_id}/edit",
        alert_data(
            app,
            verified="y",
            forwarded_to="GENDARMERIE",
            forwarded_at=moment(timedelta(hours=2)),
            response="Patrouille envoyée, calme revenu.",
            responded_at=moment(timedelta(hours=1)),
        ),
        lang,
    )
    assert edited.status_code == 302
    alert = fetch_one(app, sa.select(Alert).where(Alert.id == alert_id))
    assert alert.verified and alert.forwarded_to == "GENDARMERIE"
    assert alert.response_minutes == 120
    headers = {"Accept-Language": lang}
    page = client.get(f"/policing/alerts/{alert_id}", headers=headers).get_data(as_text=True)
    assert TEXT[lang]["hours"] in page  # the response time, in the reader's language
    answered = client.get(
        "/policing/alerts", query_string={"answered": "yes"}, headers=headers
    ).get_data(as_text=True)
    assert "Puits de Tin-Hama" not in answered  # the list shows places by unit name
    assert f"/policing/alerts/{alert_id}" in answered
    urgent = client.get(
        "/policing/alerts", query_string={"urgency": "3"}, headers=headers
    ).get_data(as_text=True)
    assert f'/policing/alerts/{alert_id}"' not in urgent
    found = client.get("/policing/alerts", query_string={"q": "bovins"}).get_data(as_text=True)
    assert f'/policing/alerts/{alert_id}"' not in found and "alerts/" in found


def test_the_alert_form_has_no_field_for_a_name_and_says_why(app, client, coordinator):
    html = client.get("/policing/alerts/new", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Never write an informant" in html
    names = set(re.findall(r'name="([^"]+)"', html))
    assert not {n for n in names if "informant" in n or n in {"name", "source_name"}}
    assert {c.name for c in Alert.__table__.columns}.isdisjoint({"informant", "source_name"})


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_committee_members_meetings_and_recommendations(app, client, coordinator, lang):
    response = send(
        client,
        "/policing/committees/new",
        {
            "name": "CCS de Gao",
            "unit_id": str(unit_id(app, GAO)),
            "chair": "Le maire de Gao",
            "monthly_target": "1",
        },
        lang,
    )
    committee_id = id_from(response, "/policing/committees")
    send(
        client,
        f"/policing/committees/{committee_id}/edit",
        {
            "name": "CCS de la commune de Gao",
            "unit_id": str(unit_id(app, GAO)),
            "chair": "Le maire",
            "monthly_target": "2",
        },
        lang,
    )
    assert fetch_one(app, sa.select(SecurityCommittee)).monthly_target == 2
    for name, sex in (("Aïssata Maïga", "F"), ("Alassane Touré", "M")):
        send(
            client,
            f"/policing/committees/{committee_id}/members/new",
            {"name": name, "function": "membre", "sex": sex},
            lang,
        )
    members = query(app, sa.select(CommitteeMember.name).order_by(CommitteeMember.id)).scalars()
    assert list(members) == ["Aïssata Maïga", "Alassane Touré"]
    meeting = send(
        client,
        f"/policing/committees/{committee_id}/meetings/new",
        {
            "held_on": today().isoformat(),
            "women": "4",
            "men": "9",
            "agenda": "Sécurité du marché",
            "recommendations-0-text": "Éclairer le marché",
            "recommendations-0-responsible": "Mairie",
            "recommendations-0-status": "pending",
            "recommendations-1-text": "",
            "recommendations-1-status": "pending",
            "recommendations-2-text": "",
            "recommendations-2-status": "pending",
        },
        lang,
    )
    assert meeting.status_code == 302
    recommendation = fetch_one(app, sa.select(Recommendation))
    response = send(
        client, f"/policing/recommendations/{recommendation.id}/status", {"status": "done"}, lang
    )
    assert response.status_code == 302
    assert fetch_one(app, sa.select(Recommendation)).status == "done"
    page = client.get(
        f"/policing/committees/{committee_id}", headers={"Accept-Language": lang}
    ).get_data(as_text=True)
    assert "Éclairer le marché" in page and "Sécurité du marché" in page
    assert count(app, CommitteeMeeting) == 1
    listing = client.get("/policing/committees").get_data(as_text=True)
    assert "CCS de la commune de Gao" in listing


# --- alert to case --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_alert_becomes_a_linked_case_in_one_step(app, client, coordinator, lang):
    alert_id = id_from(
        send(client, "/policing/alerts/new", alert_data(app), lang), "/policing/alerts"
    )
    form = client.get(f"/policing/alerts/{alert_id}/case").get_data(as_text=True)
    assert '<option selected value="INTERCOMMUNAUTAIRE">' in form  # suggested from category
    response = send(
        client,
        f"/policing/alerts/{alert_id}/case",
        {
            "conflict_type": "INTERCOMMUNAUTAIRE",
            "scope": "INTERCOMMUNAUTAIRE",
            "title": "Tension au puits de Tin-Hama",
            "party_name": "Jeunes du quartier",
            "party_kind": "community",
        },
        lang,
    )
    case_id = int(re.search(r"/cases/(\d+)$", response.headers["Location"]).group(1))
    case = fetch_one(app, sa.select(Case).where(Case.id == case_id))
    alert = fetch_one(app, sa.select(Alert).where(Alert.id == alert_id))
    assert alert.case_id == case_id
    assert case.unit_id == alert.unit_id and case.channel == "ALERTE"
    assert case.event_date == alert.occurred_at.date()
    assert case.narrative == alert.description
    page = client.get(f"/policing/alerts/{alert_id}").get_data(as_text=True)
    assert case.reference in page and f"/cases/{case_id}" in page


# --- warnings -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_three_alerts_raise_the_warning_two_do_not(app, client, coordinator, lang):
    headers = {"Accept-Language": lang}
    for hours in (30, 50):
        send(
            client,
            "/policing/alerts/new",
            alert_data(app, occurred_at=moment(timedelta(hours=hours))),
            lang,
        )
    # Another category, and an old alert, do not count.
    send(client, "/policing/alerts/new", alert_data(app, category="VOL_BETAIL"), lang)
    send(
        client, "/policing/alerts/new", alert_data(app, occurred_at=moment(timedelta(days=9))), lang
    )
    assert TEXT[lang]["warning"] not in client.get("/", headers=headers).get_data(as_text=True)
    send(client, "/policing/alerts/new", alert_data(app), lang)
    home = client.get("/", headers=headers).get_data(as_text=True)
    assert TEXT[lang]["warning"] in home and "N&#39;Tillit" in home
    listing = client.get("/policing/alerts", headers=headers).get_data(as_text=True)
    assert TEXT[lang]["warning"] in listing


def test_a_threshold_per_commune_and_category(app, client, seeded, make_user, login):
    login(make_user("admin", username="boss", area=None))
    response = send(
        client,
        "/policing/thresholds/new",
        {
            "unit_id": str(unit_id(app, NTILLIT)),
            "category": "TENSION_INTERCOMMUNAUTAIRE",
            "alert_count": "2",
            "window_days": "3",
        },
    )
    assert response.status_code == 302
    for _ in range(2):
        send(client, "/policing/alerts/new", alert_data(app))
    assert "Early warnings" in client.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    clash = send(
        client,
        "/policing/thresholds/new",
        {
            "unit_id": str(unit_id(app, NTILLIT)),
            "category": "TENSION_INTERCOMMUNAUTAIRE",
            "alert_count": "5",
            "window_days": "3",
        },
    )
    assert clash.status_code == 400 and count(app, AlertThreshold) == 1


# --- who sees what --------------------------------------------------------------------------


def test_police_users_see_referrals_to_the_gendarmerie_but_not_mediation(
    app, client, seeded, make_user, login
):
    mediator = make_user("mediator", username="med", area="GAO")
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": mediator.username, "password": mediator.password})
    walk = Walker(app, theirs, "en")
    walk.register(conflict_type="BANDITISME", title="Braquage sur la route")
    walk.move("ENREGISTRE")
    walk.refer("GENDARMERIE")
    other = walk.register(title="Champ détruit", not_a_duplicate="y")
    walk.case_id = other
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("continue")
    with app.app_context():
        from casework.cases.models import MediationSession
        from casework.extensions import db

        session_id = db.session.scalar(sa.select(MediationSession.id))
    reference = query(
        app, sa.select(Case.reference).where(Case.title == "Braquage sur la route")
    ).scalar_one()

    login(make_user("police", username="focal", area="GAO", lang="en"))
    assert client.get(f"/cases/{other}/sessions/{session_id}").status_code == 403
    assert client.get(f"/cases/{other}").status_code == 403
    assert client.get("/cases").status_code == 403
    referrals = client.get("/policing/referrals").get_data(as_text=True)
    assert reference in referrals and "Crime: hors de la médiation." in referrals
    assert "Les deux parties ont été entendues" not in referrals
    # A police user records activities and alerts.
    police_unit = new_unit(app, client)
    assert (
        send(client, "/policing/activities/new", activity_data(app, police_unit)).status_code == 302
    )
    assert send(client, "/policing/alerts/new", alert_data(app)).status_code == 302
    # But does not open a mediation case from an alert.
    alert_id = query(app, sa.select(Alert.id)).scalar_one()
    assert client.get(f"/policing/alerts/{alert_id}/case").status_code == 403


def test_policing_is_scoped_by_area(app, client, seeded, make_user, login):
    login(make_user("admin", username="root2"))
    kidal_unit = id_from(
        send(
            client,
            "/policing/units/new",
            {
                "name": "Poste de Kidal",
                "force": "police",
                "unit_id": str(unit_id(app, KIDAL)),
                "focal_point_id": "",
            },
        ),
        "/policing/units",
    )
    kidal_alert = id_from(
        send(client, "/policing/alerts/new", alert_data(app, unit_id=str(unit_id(app, KIDAL)))),
        "/policing/alerts",
    )
    other = app.test_client()
    user = make_user("police", username="gao.focal", area="GAO")
    post_form(other, "/login", {"username": user.username, "password": user.password})
    assert other.get(f"/policing/units/{kidal_unit}").status_code == 403
    assert other.get(f"/policing/alerts/{kidal_alert}").status_code == 403
    assert "Poste de Kidal" not in other.get("/policing/units").get_data(as_text=True)
    assert f"/policing/alerts/{kidal_alert}" not in other.get("/policing/alerts").get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", ["mediator", "analyst"])
def test_other_roles_do_not_reach_policing(client, seeded, make_user, login, role):
    login(make_user(role, area="GAO"))
    assert client.get("/policing/").status_code == 403
    assert client.get("/policing/alerts").status_code == 403


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_bad_input_gets_a_translated_error_and_changes_nothing(app, client, coordinator, lang):
    police_unit = new_unit(app, client)
    before = count(app, Activity)
    bad = send(
        client, "/policing/activities/new", activity_data(app, police_unit, participants="25"), lang
    )
    assert bad.status_code == 400 and TEXT[lang]["participants"] in bad.get_data(as_text=True)
    too_young = send(
        client, "/policing/activities/new", activity_data(app, police_unit, youth="31"), lang
    )
    assert too_young.status_code == 400
    assert count(app, Activity) == before

    before = count(app, Alert)
    early = send(
        client,
        "/policing/alerts/new",
        alert_data(app, response="Calme revenu", responded_at=moment(timedelta(hours=5))),
        lang,
    )
    assert early.status_code == 400
    assert TEXT[lang]["before"] in early.get_data(as_text=True).replace("&#39;", "'")
    unknown = send(client, "/policing/alerts/new", alert_data(app, category="OVNI"), lang)
    assert unknown.status_code == 400 and TEXT[lang]["choose"] in unknown.get_data(as_text=True)
    named = send(
        client,
        "/policing/alerts/new",
        alert_data(app, relay_code="Moussa Traoré l'informateur"),
        lang,
    )
    assert named.status_code == 400 and TEXT[lang]["relay"] in named.get_data(as_text=True)
    future = send(
        client,
        "/policing/alerts/new",
        alert_data(app, occurred_at=moment(-timedelta(days=2))),
        lang,
    )
    assert future.status_code == 400
    huge = send(client, "/policing/alerts/new", alert_data(app, description="x" * 100_000), lang)
    assert huge.status_code == 400
    assert count(app, Alert) == before


def test_units_and_committees_are_filtered_by_name_and_area(app, client, coordinator):
    new_unit(app, client, name="Brigade de Gabero")
    send(
        client,
        "/policing/units/new",
        {
            "name": "Commissariat de N'Tillit",
            "force": "police",
            "unit_id": str(unit_id(app, NTILLIT)),
            "focal_point_id": "",
        },
    )
    by_name = client.get("/policing/units", query_string={"q": "ntillit"}).get_data(as_text=True)
    assert "Commissariat de N&#39;Tillit" in by_name and "Brigade de Gabero" not in by_name
    by_area = client.get("/policing/units", query_string={"area": unit_id(app, NTILLIT)})
    assert "Brigade de Gabero" not in by_area.get_data(as_text=True)
    for name, code in (("CCS de Ménaka", GAO), ("CCS de Gao", GAO)):
        send(
            client,
            "/policing/committees/new",
            {"name": name, "unit_id": str(unit_id(app, code)), "chair": "", "monthly_target": "1"},
        )
    client.get("/policing/committees")  # shows (and clears) the last confirmation
    found = client.get("/policing/committees", query_string={"q": "MENAKA"}).get_data(as_text=True)
    assert "CCS de Ménaka" in found and "CCS de Gao" not in found


def test_a_focal_point_acknowledges_a_referral(app, client, seeded, make_user, login):
    from casework.cases.models import Referral

    mediator = make_user("mediator", username="med2", area="GAO")
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": mediator.username, "password": mediator.password})
    walk = Walker(app, theirs, "en")
    walk.register(conflict_type="BANDITISME", title="Braquage au marché")
    walk.move("ENREGISTRE")
    walk.refer("GENDARMERIE")
    login(make_user("police", username="focal2", area="GAO", lang="en"))
    before = today()
    page = client.get("/policing/referrals").get_data(as_text=True)
    # today, ready to confirm (the day the page was made: the test may cross midnight)
    assert any(f'value="{day.isoformat()}"' in page for day in {before, today()})
    referral_id = query(app, sa.select(Referral.id)).scalar_one()
    day = today()
    response = send(
        client,
        f"/policing/referrals/{referral_id}/acknowledge",
        {"acknowledged_on": day.isoformat()},
    )
    assert response.status_code == 302
    acknowledged = query(app, sa.select(Referral.acknowledged_on)).scalar_one()
    assert acknowledged == day
