"""A mediator's day in a real browser, in French and in English, on a phone and a desktop:
sign in, switch the language, register a case with two parties, record a session, an
agreement and a follow-up visit, close the case. On every page nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.browser.helpers import LANGS, SIZES, assert_fits, expect, other, page_lang, sign_in, tr

TODAY = date.today()
# One mediator of Gao per language: switching the language while signed in saves it.
MEDIATOR = {"fr": "mariam", "en": "hawa"}
# Each run records its case in its own commune, so that no run finds another's case among
# the likely duplicates.
PLACES = {
    ("fr", "phone"): ("N'Tillit (Gao, Gao)", "Amadou Maïga", "Hama Ag Ahmed"),
    ("fr", "desktop"): ("Gabero (Gao, Gao)", "Boubacar Cissé", "Fatouma Walet Mohamed"),
    ("en", "phone"): ("Anchawadi (Gao, Gao)", "Ousmane Touré", "Mohamed Ag Intalla"),
    ("en", "desktop"): ("Sony Aliber (Gao, Gao)", "Salif Diallo", "Aminata Haïdara"),
}


def iso(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def submit(page) -> None:
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def expect_success(page, lang: str, msgid: str, **values) -> None:
    expect(page.locator(".flash-success")).to_contain_text(tr(msgid, lang, **values))
    assert_fits(page)


def open_status_form(page, target: str) -> None:
    page.locator(f"ul.actions a[href$='/status/{target}']").click()
    expect(page.locator("main form")).to_be_visible()
    assert_fits(page)
    submit(page)
    assert_fits(page)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_a_case_from_intake_to_closure(server, open_page, lang, size):
    place, first, second = PLACES[lang, size]
    title = {"fr": "Champ de mil détruit", "en": "Millet field destroyed"}[lang]
    title = f"{title} ({size})"

    # The browser asks for the other language; the switch on the sign-in page wins.
    page = open_page(server.base, other(lang), size)
    page.goto(server.url("/"))
    assert page.url.startswith(server.url("/login"))
    assert page_lang(page) == other(lang)
    page.locator(f"form.lang-switch button[value={lang}]").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(tr("Sign in", lang))
    assert_fits(page)

    sign_in(page, server, MEDIATOR[lang])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("navigation")).to_be_visible()
    assert_fits(page)

    # The intake form, reached through the menu.
    page.get_by_role("navigation").get_by_role("link", name=tr("Cases", lang), exact=True).click()
    expect(page.locator("h1")).to_have_text(tr("Cases", lang))
    assert_fits(page)
    page.get_by_role("link", name=tr("New case", lang), exact=True).click()
    expect(page.locator("h1")).to_have_text(tr("New case", lang))
    assert_fits(page)
    page.select_option("#unit_id", label=place)
    page.fill("#event_date", iso(10))
    page.fill("#reported_on", iso(8))  # before the session: a record is not dated before it
    page.select_option("#channel", "PLAINTE_DIRECTE")
    page.select_option("#conflict_type", "DEGATS_CHAMPETRES")
    page.select_option("#scope", "INTRACOMMUNAUTAIRE")
    page.fill("#title", title)
    page.fill("#narrative", "Un troupeau de bovins a traversé le champ de mil avant la récolte.")
    page.select_option("#narrative_lang", "fr")
    page.fill("#livestock_heads", "12")
    for index, (name, livelihood) in enumerate([(first, "AGRICULTEUR"), (second, "ELEVEUR")]):
        page.fill(f"#parties-{index}-name", name)
        page.select_option(f"#parties-{index}-sex", "M" if index == 0 else "F")
        page.select_option(f"#parties-{index}-age_band", "35-59")
        page.select_option(f"#parties-{index}-livelihood", livelihood)
        page.select_option(f"#parties-{index}-consent_to_share", "yes")
    assert page.input_value("#parties-0-role") == "complainant"
    assert page.input_value("#parties-1-role") == "respondent"
    submit(page)

    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator(".flash-success")).to_be_visible()
    assert_fits(page)
    parties = page.locator("ul.parties li")
    expect(parties).to_have_count(2)
    expect(parties.nth(0)).to_contain_text(first)
    expect(parties.nth(1)).to_contain_text(second)
    expect(page.locator(".badges .status")).to_have_text(tr("reported", lang))

    open_status_form(page, "ENREGISTRE")
    expect(page.locator(".badges .status")).to_have_text(tr("registered", lang))
    open_status_form(page, "EN_MEDIATION")
    expect(page.locator(".badges .status")).to_have_text(tr("in mediation", lang))

    # A session that reaches an agreement.
    page.get_by_role("link", name=tr("Record a session", lang), exact=True).click()
    expect(page.locator("h1")).to_have_text(tr("Record a session", lang))
    assert_fits(page)
    page.fill("#held_on", iso(5))
    page.select_option("#place", "ARBRE_PALABRE")
    page.select_option("#mechanism", "CONCILIATION_CHEF")
    page.fill("#women", "3")
    page.fill("#men", "9")
    page.fill("#youth", "4")
    page.fill("#minutes", "Les deux parties ont été entendues sous l'arbre à palabres.")
    page.select_option("#minutes_lang", "fr")
    page.select_option("#result", "agreement")
    submit(page)
    expect(page.locator("#sessions-h")).to_be_visible()
    assert_fits(page)

    # The agreement, which plans the follow-up visits.
    page.get_by_role("link", name=tr("Record an agreement", lang), exact=True).click()
    expect(page.locator("h1")).to_have_text(tr("Record an agreement", lang))
    assert_fits(page)
    page.fill("#concluded_on", iso(4))
    page.select_option("#form", "written")
    page.select_option("#outcome", "ACCORD_TOTAL")
    page.fill("#terms-0-description", "Verser 50 000 FCFA au propriétaire du champ")
    page.fill("#terms-0-due_on", (TODAY + timedelta(days=20)).isoformat())
    page.select_option("#terms-0-kind", "cash")
    page.fill("#terms-0-amount", "50000")
    submit(page)
    expect(page.locator(".badges .status")).to_have_text(tr("agreement reached", lang))
    visits = page.get_by_role("link", name=tr("record the visit", lang), exact=True)
    expect(visits).to_have_count(2)
    assert_fits(page)

    # The first follow-up visit finds the agreement respected.
    visits.first.click()
    expect(page.locator("h1")).to_have_text(tr("Follow-up visit", lang))
    assert_fits(page)
    page.fill("#done_on", TODAY.isoformat())
    page.select_option("#compliance", "respected")
    page.fill("#notes", "Le montant a été versé devant le chef de village.")
    submit(page)
    expect(page.locator(".badges .status")).to_have_text(tr("follow-up", lang))
    expect(page.locator("#follow-h + ul")).to_contain_text(tr("respected", lang))

    # The last planned visit too: the case then closes without an approval (issue 14).
    page.get_by_role("link", name=tr("record the visit", lang), exact=True).click()
    page.fill("#done_on", TODAY.isoformat())
    page.select_option("#compliance", "respected")
    page.fill("#notes", "Visite avancée : les parties sont disponibles.")
    submit(page)
    expect(page.locator(".badges .status")).to_have_text(tr("follow-up", lang))

    # The 50 000 FCFA paid in full (issue 14: every term fulfilled before closing).
    page.locator("a[href*='/instalments/new']").first.click()
    expect(page.locator("h1")).to_have_text(tr("Record an instalment", lang))
    assert_fits(page)
    page.fill("#amount_paid", "50000")
    page.fill("#received_by", "Le chef de village")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-success")).to_contain_text(tr("Instalment recorded.", lang))

    # Close the case.
    open_status_form(page, "CLOTURE_RESOLU")
    expect(page.locator(".badges .status")).to_have_text(tr("closed, resolved", lang))
    expect(page.locator("#timeline-h")).to_have_text(tr("Timeline", lang))
    expect(page.locator("ul.actions a[href*='/status/']")).to_have_count(0)

    # Switching the language while signed in turns this very page into the other language.
    page.locator(f"form.lang-switch button[value={other(lang)}]").click()
    expect(page.locator("html")).to_have_attribute("lang", other(lang))
    expect(page.locator(".badges .status")).to_have_text(tr("closed, resolved", other(lang)))
    assert_fits(page)
    page.locator(f"form.lang-switch button[value={lang}]").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_contain_text(title)
