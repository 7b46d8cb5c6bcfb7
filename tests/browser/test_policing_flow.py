"""A community-police focal point's day in a real browser, in French and English, on a phone
and a desktop: record a unit, an activity and an alert; a coordinator turns the alert into
a case. Nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from tests.browser.helpers import LANGS, SIZES, assert_fits, expect, sign_in, tr

TODAY = date.today()
POLICE = {"fr": "seydou", "en": "adama"}
COORDINATOR = {"fr": "oumou", "en": "binta"}
PLACE = {
    ("fr", "phone"): "Gabero (Gao, Gao)",
    ("fr", "desktop"): "Anchawadi (Gao, Gao)",
    ("en", "phone"): "Sony Aliber (Gao, Gao)",
    ("en", "desktop"): "Tilemsi (Gao, Gao)",
}


def submit(page) -> None:
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_activity_alert_and_alert_to_case(server, open_page, lang, size):
    place = PLACE[lang, size]
    unit_name = f"Brigade {lang} {size}"
    page = open_page(server.base, lang, size)
    page.goto(server.url("/login"))
    sign_in(page, server, POLICE[lang])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    nav = page.get_by_role("navigation", name=tr("Main menu", lang))
    expect(nav.get_by_role("link", name=tr("Cases", lang), exact=True)).to_have_count(0)

    # A unit, then an activity of that unit.
    page.goto(server.url("/policing/units/new"))
    assert_fits(page)
    page.fill("#name", unit_name)
    page.select_option("#force", "gendarmerie")
    page.select_option("#unit_id", label=place)
    submit(page)
    expect(page.locator("h1")).to_have_text(unit_name)
    page.goto(server.url("/policing/activities/new"))
    expect(page.locator("h1")).to_have_text(tr("New activity", lang))
    assert_fits(page)
    page.select_option("#activity_type", "SENSIBILISATION")
    page.fill("#held_on", (TODAY - timedelta(days=1)).isoformat())
    page.fill("#duration_minutes", "90")
    page.select_option("#police_unit_id", label=unit_name)
    page.select_option("#unit_id", label=place)
    page.fill("#topic", "Causerie sur la transhumance")
    page.fill("#participants", "40")
    page.fill("#women", "15")
    page.fill("#men", "25")
    page.fill("#youth", "12")
    submit(page)
    expect(page.locator(".flash-success")).to_contain_text(tr("Activity recorded.", lang))
    assert_fits(page)

    # An alert, with a pseudonymous relay code.
    page.goto(server.url("/policing/alerts/new"))
    expect(page.locator("h1")).to_have_text(tr("New alert", lang))
    assert_fits(page)
    moment = (datetime.utcnow() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#occurred_at", moment)
    page.select_option("#unit_id", label=place)
    page.select_option("#category", "TENSION_INTERCOMMUNAUTAIRE")
    page.select_option("#urgency", "3")
    page.select_option("#source_type", "RELAIS_COMMUNAUTAIRE")
    page.fill("#relay_code", "gao-r-017")
    page.fill("#description", "Des jeunes se rassemblent près du puits.")
    submit(page)
    expect(page.locator(".flash-success")).to_contain_text(tr("Alert recorded.", lang))
    alert_url = page.url
    assert re.search(r"/policing/alerts/\d+$", alert_url)
    assert_fits(page)
    # A focal point does not open mediation cases.
    expect(page.get_by_role("link", name=tr("Turn into a case", lang))).to_have_count(0)

    # The coordinator turns the alert into a case in one step.
    coordinator = open_page(server.base, lang, size)
    coordinator.goto(server.url("/login"))
    sign_in(coordinator, server, COORDINATOR[lang])
    coordinator.goto(alert_url)
    coordinator.get_by_role("link", name=tr("Turn into a case", lang)).click()
    expect(coordinator.locator("h1")).to_have_text(tr("Turn the alert into a case", lang))
    assert_fits(coordinator)
    coordinator.select_option("#conflict_type", "INTERCOMMUNAUTAIRE")
    coordinator.select_option("#scope", "INTERCOMMUNAUTAIRE")
    coordinator.fill("#party_name", "Jeunes du quartier")
    submit(coordinator)
    expect(coordinator).to_have_url(re.compile(r"/cases/\d+$"))
    expect(coordinator.locator(".badges .status")).to_have_text(tr("reported", lang))
    reference = coordinator.locator("h1").inner_text().split(" · ")[0]
    coordinator.goto(alert_url)
    expect(coordinator.locator("main")).to_contain_text(reference)
    assert_fits(coordinator)
