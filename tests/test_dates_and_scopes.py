"""Issue 12: dates outside the app's window, dates that contradict each other, and choices of
people from another area. Each test failed before the fix (a 500, a stored record, or a name
from another region on the page)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.cases.models import Agreement, Case, FollowUp, MediationSession, Referral
from casework.core.dates import latest, today
from casework.extensions import db
from casework.policing.models import Alert
from tests.conftest import fetch_one, post_form, query, unit_id
from tests.test_cases import FRENCH, Walker, intake, iso
from tests.test_policing import alert_data

OUT_OF_WINDOW = ["0001-01-01", "1959-12-31", "9999-12-31"]
EN = {"Accept-Language": "en"}
WINDOW = "Enter a date between %(first)s and %(last)s."
AFTER_THE_LAST_YEAR = "the year after the last one"


def last_days(before: date) -> list[date]:
    """The window's last day as the app saw it: tomorrow when the request was sent (the test
    read ``before`` just before) or when it was answered; the test may cross midnight."""
    return sorted({before + timedelta(days=1), latest()})


def names_the_window(text: str, before: date, message: str = WINDOW) -> bool:
    text = text.replace("&#39;", "'")
    return any(
        message % {"first": "1960-01-01", "last": last.isoformat()} in text
        for last in last_days(before)
    )


def count(app, model) -> int:
    return query(app, sa.select(sa.func.count()).select_from(model)).scalar()


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO", lang="en")
    login(user)
    return user


# --- one window of dates --------------------------------------------------------------------


@pytest.mark.parametrize("day", OUT_OF_WINDOW)
def test_an_event_date_outside_the_window_is_a_form_error(app, client, mediator, day):
    before = today()
    response = post_form(client, "/cases/new", intake(app, event_date=day), headers=EN)
    assert response.status_code == 400
    assert names_the_window(response.get_data(as_text=True), before)
    assert count(app, Case) == 0


def test_the_window_message_is_translated(app, client, seeded, make_user, login):
    login(make_user("mediator", area="GAO", lang="fr"))
    before = today()
    response = post_form(client, "/cases/new", intake(app, event_date="0001-01-01"))
    assert response.status_code == 400
    assert names_the_window(response.get_data(as_text=True), before, FRENCH[WINDOW])


@pytest.mark.parametrize(
    "path",
    [
        "/policing/alerts?date_to=9999-12-31",
        "/policing/alerts?date_from=0001-01-01",
        "/policing/activities?date_to=9999-12-31",
        "/admin/audit?date_to=9999-12-31",
        "/admin/audit?date_from=0001-01-01",
        "/cases?reported_to=9999-12-31",
        "/cases?reported_from=1959-12-31",
    ],
)
def test_a_date_filter_outside_the_window_is_a_400(client, seeded, make_user, login, path):
    login(make_user("admin", username="root", lang="en"))
    before = today()
    response = client.get(path)
    assert response.status_code == 400
    assert names_the_window(response.get_data(as_text=True), before)


@pytest.mark.parametrize(
    "period",
    [
        "9999",
        "0001",
        "9999-Q4",
        "0001-01",
        "1959",
        "0001-01-01..0001-12-31",
        "9999-01-01..9999-12-31",
        AFTER_THE_LAST_YEAR,
    ],
)
def test_a_report_period_outside_the_window_is_a_400(client, seeded, make_user, login, period):
    login(make_user("admin", username="root", lang="en"))
    before = today()
    if period == AFTER_THE_LAST_YEAR:
        period = str(latest().year + 1)
    response = client.get(
        "/reports/periodic", query_string={"period": period, "format": "json", "lang": "en"}
    )
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers
    text = response.get_data(as_text=True)
    years = [f"Reports cover the years 1960 to {last.year}." for last in last_days(before)]
    assert any(message in text for message in years), years


def test_the_first_and_last_report_years_are_accepted(client, seeded, make_user, login):
    login(make_user("admin", username="root", lang="en"))
    for period in ("1960", "1960-01", str(latest().year)):
        response = client.get(
            "/reports/periodic", query_string={"period": period, "format": "json", "lang": "en"}
        )
        assert response.status_code == 200, period


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "1959-12-31T23:59"])
def test_an_alert_dated_before_the_window_is_not_stored(
    app, client, seeded, make_user, login, moment
):
    login(make_user("coordinator", area="GAO", lang="en"))
    before = today()
    response = post_form(client, "/policing/alerts/new", alert_data(app, occurred_at=moment))
    assert response.status_code == 400
    assert names_the_window(response.get_data(as_text=True), before)
    assert count(app, Alert) == 0


def test_the_services_refuse_a_date_outside_the_window_too(app, seeded, make_user):
    """The CLI and the demo call the services directly: they check the window again."""
    from casework.auth.models import User
    from casework.cases import services
    from casework.core.checks import InvalidInput

    user = make_user("admin", username="root")
    with app.test_request_context():
        by = db.session.get(User, user.id)
        data = services.CaseData(
            unit_id=unit_id(app, "GAO-GAO-GAO"),
            event_date=date(1, 1, 1),
            reported_on=today(),
            channel="PLAINTE_DIRECTE",
            conflict_type="DEGATS_CHAMPETRES",
            scope="INTRACOMMUNAUTAIRE",
            title="Hors fenêtre",
        )
        with pytest.raises(InvalidInput, match="1960-01-01"):
            services.register_case(data, [services.PartyData("complainant", "A B")], by)
        # The duplicate check's arithmetic holds at the ends of the calendar.
        for day in (date.min, date.max):
            assert services.likely_duplicates(data.unit_id, day, ["Amadou"]) == []


# --- dates that contradict each other -------------------------------------------------------


@pytest.fixture
def in_mediation(app, client, mediator):
    """A case whose events were 40 days ago and reported 10 days ago, now in mediation."""
    walk = Walker(app, client, "en")
    walk.register(
        event_date=iso(today() - timedelta(days=40)), reported_on=iso(today() - timedelta(days=10))
    )
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    return walk


def reported_on(app, walk) -> date:
    return query(app, sa.select(Case.reported_on).where(Case.id == walk.case_id)).scalar_one()


def before_the_report(app, walk) -> str:
    """25 days before the report, after the events."""
    return iso(reported_on(app, walk) - timedelta(days=25))


def test_a_session_before_the_report_date_is_refused(app, in_mediation):
    walk = in_mediation
    response = walk.session("continue", expect=400, held_on=before_the_report(app, walk))
    assert "The date of the session cannot be before the date of the report." in (
        response.get_data(as_text=True)
    )
    assert count(app, MediationSession) == 0
    walk.session("continue", held_on=iso(reported_on(app, walk)))  # the report's day: fine


def test_an_agreement_or_a_referral_before_the_report_date_is_refused(app, in_mediation):
    walk = in_mediation
    response = walk.post(
        f"/cases/{walk.case_id}/agreement/new",
        {
            "concluded_on": before_the_report(app, walk),
            "form": "written",
            "outcome": "ACCORD_TOTAL",
        },
    )
    assert response.status_code == 400
    assert "The date of the agreement cannot be before the date of the report." in (
        response.get_data(as_text=True)
    )
    response = walk.post(
        f"/cases/{walk.case_id}/referrals/new",
        {"referred_on": before_the_report(app, walk), "target": "TPI", "reason": "Litige foncier."},
    )
    assert response.status_code == 400
    assert "The date of the referral cannot be before the date of the report." in (
        response.get_data(as_text=True)
    )
    assert count(app, Agreement) == 0 and count(app, Referral) == 0
    assert walk.status() == "EN_MEDIATION"


def test_a_deadline_beyond_the_planning_window_is_refused(app, in_mediation):
    walk = in_mediation
    response = walk.post(
        f"/cases/{walk.case_id}/agreement/new",
        {
            "concluded_on": iso(today()),
            "form": "written",
            "outcome": "ACCORD_TOTAL",
            "terms-0-description": "Rendre deux chèvres",
            "terms-0-due_on": "9999-12-31",
        },
    )
    assert response.status_code == 400
    assert "Enter a date between 1960-01-01 and" in response.get_data(as_text=True)
    assert count(app, Agreement) == 0


def agree(walk, concluded: date) -> int:
    """Record an agreement concluded on ``concluded``; the id of its first visit."""
    walk.session("agreement", held_on=iso(concluded))
    response = walk.post(
        f"/cases/{walk.case_id}/agreement/new",
        {"concluded_on": iso(concluded), "form": "written", "outcome": "ACCORD_TOTAL"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return (
        query(
            walk.app,
            sa.select(FollowUp.id)
            .where(FollowUp.case_id == walk.case_id)
            .order_by(FollowUp.due_on),
        )
        .scalars()
        .first()
    )


def test_a_visit_long_before_its_planned_day_needs_a_reason(app, in_mediation):
    walk = in_mediation
    concluded = today() - timedelta(days=4)
    visit = agree(walk, concluded)  # planned for D+30: in 26 days
    path = f"/cases/{walk.case_id}/follow-ups/{visit}"
    due = concluded + timedelta(days=30)
    message = (
        f"This visit is planned for {iso(due)}. A visit made before "
        f"{iso(due - timedelta(days=7))} needs its reason in the notes (a few words)."
    )
    for notes in ("", "Visite faite."):
        data = {"done_on": iso(today()), "compliance": "respected", "notes": notes}
        response = walk.post(path, data)
        assert response.status_code == 400, notes
        assert message in response.get_data(as_text=True)
    assert fetch_one(app, sa.select(FollowUp).where(FollowUp.id == visit)).done_on is None
    assert walk.status() == "ACCORD"
    reason = "Les parties ont demandé la visite plus tôt."
    response = walk.post(
        path, {"done_on": iso(today()), "compliance": "respected", "notes": reason}
    )
    assert response.status_code == 302
    assert fetch_one(app, sa.select(FollowUp).where(FollowUp.id == visit)).notes == reason


def test_a_visit_in_the_week_before_its_planned_day_needs_no_reason(app, client, mediator):
    walk = Walker(app, client, "en")
    walk.register(
        event_date=iso(today() - timedelta(days=40)), reported_on=iso(today() - timedelta(days=30))
    )
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    visit = agree(walk, today() - timedelta(days=24))  # planned for D+30: in 6 days
    path = f"/cases/{walk.case_id}/follow-ups/{visit}"
    response = walk.post(path, {"done_on": iso(today()), "compliance": "respected", "notes": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


# --- people of the user's area only ---------------------------------------------------------


@pytest.fixture
def people(app, seeded, make_user):
    """Mediators and coordinators in and out of Gao, and an actor of Kidal's registry."""
    from casework.cases.models import Actor

    made = {
        "gao_coordinator": make_user("coordinator", username="coord.gao", area="GAO"),
        "ntillit_mediator": make_user("mediator", username="med.ntillit", area="GAO-GAO-NTILLIT"),
        "kidal_coordinator": make_user("coordinator", username="coord.kidal", area="KDL"),
        "menaka_mediator": make_user("mediator", username="med.menaka", area="MNK"),
    }
    with app.app_context():
        kidal = Actor(
            actor_type="CADI",
            name="Cadi de Kidal",
            name_search="cadi de kidal",
            unit_id=unit_id(app, "KDL-KIDAL-KIDAL"),
        )
        gao = Actor(
            actor_type="CADI",
            name="Cadi de Gao",
            name_search="cadi de gao",
            unit_id=unit_id(app, "GAO-GAO-GAO"),
        )
        db.session.add_all([kidal, gao])
        db.session.commit()
        made["kidal_actor"], made["gao_actor"] = kidal.id, gao.id
    return made


def test_a_session_refuses_a_mediator_from_another_region(app, client, people, mediator):
    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    page = client.get(f"/cases/{walk.case_id}/sessions/new").get_data(as_text=True)
    assert "Cadi de Gao" in page and "Cadi de Kidal" not in page
    response = walk.session("continue", expect=400, actor_ids=str(people["kidal_actor"]))
    assert "Choose one of the values in the list." in response.get_data(as_text=True)
    assert count(app, MediationSession) == 0
    walk.session("continue", actor_ids=str(people["gao_actor"]))
    assert "Cadi de Kidal" not in walk.page()


def test_the_session_service_refuses_an_actor_outside_the_area(app, client, people, mediator):
    from casework.auth.models import User
    from casework.cases import services

    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    with app.test_request_context(headers=EN):
        by = db.session.scalar(sa.select(User).where(User.username == "mariam"))
        case = db.session.get(Case, walk.case_id)
        data = services.SessionData(
            held_on=today(),
            place="ARBRE_PALABRE",
            mechanism="CONCILIATION_CHEF",
            result="continue",
            actor_ids=[people["kidal_actor"]],
        )
        with pytest.raises(services.CaseError, match="among those of your area"):
            services.record_session(case, data, by)


def options(client, page: str, name: str) -> set[str]:
    """The values a page's select named ``name`` offers."""
    html = client.get(page).get_data(as_text=True)
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, (page, name)
    return set(re.findall(r'<option[^>]* value="([^"]*)"', select.group(1)))


def test_case_forms_and_the_list_offer_only_people_of_the_area(app, client, people, mediator):
    mine = {str(people["gao_coordinator"].id), str(people["ntillit_mediator"].id)}
    theirs = {str(people["kidal_coordinator"].id), str(people["menaka_mediator"].id)}
    case_id = Walker(app, client, "en").register()
    for page, name in (
        ("/cases/new", "assigned_mediator_id"),
        (f"/cases/{case_id}/edit", "assigned_mediator_id"),
        ("/cases", "mediator"),
    ):
        offered = options(client, page, name)
        assert mine <= offered, page
        assert not theirs & offered, page
    html = client.get("/cases/new").get_data(as_text=True)
    assert "coord.kidal" not in html and "med.menaka" not in html


def test_an_administrator_is_offered_everyone(app, client, people, login, make_user):
    login(make_user("admin", username="root"))
    offered = options(client, "/cases", "mediator")
    assert {str(people[k].id) for k in ("gao_coordinator", "kidal_coordinator")} <= offered


def test_a_posted_mediator_from_another_area_is_refused(app, client, people, mediator):
    kidal = str(people["kidal_coordinator"].id)
    response = post_form(client, "/cases/new", intake(app, assigned_mediator_id=kidal))
    assert response.status_code == 400
    assert "Choose one of the values in the list." in response.get_data(as_text=True)
    assert count(app, Case) == 0
    response = client.get("/cases", query_string={"mediator": kidal})
    assert response.status_code == 400
    assert "Choose one of the values in the list." in response.get_data(as_text=True)
    ok = client.get("/cases", query_string={"mediator": str(people["ntillit_mediator"].id)})
    assert ok.status_code == 200
