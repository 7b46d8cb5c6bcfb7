"""Keyboard only: the intake form is reached, filled and submitted without a mouse, and the
focus moves through it in the order the eye reads it."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import pytest

from casework.config import PROJECT_ROOT
from tests.browser.helpers import LANGS, SIZES, assert_fits, expect

MEDIATOR = {"fr": "mariam", "en": "hawa"}
NAMES = {
    ("fr", "phone"): ("Moussa Ag Alher", "Issa Maïga"),
    ("fr", "desktop"): ("Alhousseini Touré", "Zeinabou Walet Ali"),
    ("en", "phone"): ("Bakary Koné", "Mariama Dicko"),
    ("en", "desktop"): ("Ibrahim Ag Mossa", "Kadidia Traoré"),
}
# The case's inputs in the order the form's template lays them out (what the eye reads), so
# that a field added there is walked too; the intake form has no reason for lowering the
# confidentiality (the edit form's).
CASE_FIELDS = [
    name
    for name in re.findall(
        r"field\(form\.(\w+)\)", (PROJECT_ROOT / "templates/cases/_case_fields.html").read_text()
    )
    if name != "confidentiality_reason"
]
PARTY_FIELDS = ["name", "role", "kind", "sex", "age_band", "livelihood", "community"]
# The fraction of the registry (issue 15), the consent, the survivor of GBV (issue 15).
PARTY_FIELDS += ["fraction_id", "consent_to_share", "is_survivor"]
EXPECTED_ORDER = CASE_FIELDS + [
    f"parties-{index}-{name}" for index in range(3) for name in PARTY_FIELDS
]
EXPECTED_ORDER.append("submit")

FOCUSED = """() => {
  const e = document.activeElement;
  const box = (e.closest('.field, .check') || e).getBoundingClientRect();
  return {id: e.id, tag: e.tagName, cls: e.className,
          top: Math.round(box.top + scrollY), left: Math.round(box.left + scrollX)};
}"""


@functools.cache
def date_order(browser) -> str:
    """The order in which this browser's date inputs take day, month and year."""
    page = browser.new_page()
    try:
        page.set_content('<input type="date" id="d">')
        page.focus("#d")
        page.keyboard.type("01022003")
        return {"2003-02-01": "%d%m%Y", "2003-01-02": "%m%d%Y"}[page.input_value("#d")]
    finally:
        page.close()


class Keyboard:
    """Tab from field to field, and record where the focus went."""

    def __init__(self, page):
        self.page = page
        self.visited: list[dict] = []

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def tab(self) -> str:
        # A date input keeps the focus while Tab walks through its day, month and year.
        before = self.focused()
        for _ in range(4):
            self.page.keyboard.press("Tab")
            now = self.focused()
            if now["id"] != before["id"] or now["tag"] != before["tag"]:
                self.visited.append(now)
                return now["id"]
        raise AssertionError(f"Tab does not leave {before}")

    def choose(self, value: str) -> None:
        """Choose an option of the focused select with the arrow keys."""
        options = self.page.evaluate("() => [...document.activeElement.options].map(o => o.value)")
        current = options.index(self.page.evaluate("() => document.activeElement.value"))
        target = options.index(value)
        key = "ArrowDown" if target > current else "ArrowUp"
        for _ in range(abs(target - current)):
            self.page.keyboard.press(key)
        assert self.page.evaluate("() => document.activeElement.value") == value

    def type_date(self, day: date) -> None:
        # A date input takes the digits segment by segment, in the order of the browser's
        # own language, whatever the page's (en-US: month, day, year, unless Chromium's
        # translations are installed).
        self.page.keyboard.type(day.strftime(date_order(self.page.context.browser)))


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_the_intake_form_with_the_keyboard_only(server, signed_in, lang, size):
    first, second = NAMES[lang, size]
    page = signed_in(server, MEDIATOR[lang], lang, size)
    page.goto(server.url("/cases/new"))
    keys = Keyboard(page)

    # The first Tab reaches the skip link; Enter on it brings the focus to the content.
    page.keyboard.press("Tab")
    assert "skip-link" in keys.focused()["cls"]
    page.keyboard.press("Enter")
    assert keys.focused()["id"] == "main"

    event_day = date.today() - timedelta(days=12)
    values = {
        "unit_id": None,  # the first place offered (the mediator's area)
        "event_date": event_day,
        "channel": "CHEF_VILLAGE",
        "conflict_type": "PATURAGE",
        "scope": "INTERCOMMUNAUTAIRE",
        "title": "Bourgoutière disputée" if lang == "fr" else "Disputed bourgou pasture",
        "narrative": "Deux familles réclament la même bourgoutière.",
        "narrative_lang": "fr",
        "persons_affected": "40",
        "parties-0-name": first,
        "parties-0-sex": "M",
        "parties-0-livelihood": "ELEVEUR",
        "parties-0-consent_to_share": "yes",
        "parties-1-name": second,
        "parties-1-kind": "family",
        "parties-1-livelihood": "AGRO_PASTEUR",
    }
    for expected in EXPECTED_ORDER:
        assert keys.tab() == expected, [v["id"] for v in keys.visited]
        value = values.get(expected, "")
        tag = keys.focused()["tag"]
        if expected == "unit_id":
            page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.value") != ""
        elif isinstance(value, date):
            keys.type_date(value)
        elif value is True:
            page.keyboard.press("Space")
            assert page.evaluate("() => document.activeElement.checked")
        elif value and tag == "SELECT":
            keys.choose(value)
        elif value:
            page.keyboard.type(value)

    # The focus went down the page, left to right within a row, never back up.
    for before, after in zip(keys.visited, keys.visited[1:], strict=False):
        same_row = abs(after["top"] - before["top"]) <= 2
        assert (same_row and after["left"] > before["left"]) or after["top"] > before["top"] + 2, (
            before,
            after,
        )

    assert page.input_value("#event_date") == event_day.isoformat()
    page.keyboard.press("Enter")  # on the submit button
    # (The redirect keeps the skip link's #main: the browser carries the fragment over.)
    expect(page).to_have_url(re.compile(r"/cases/\d+(#main)?$"))
    expect(page.locator(".flash-success")).to_be_visible()
    parties = page.locator("ul.parties li")
    expect(parties).to_have_count(2)
    expect(parties.nth(0)).to_contain_text(first)
    expect(parties.nth(1)).to_contain_text(second)
    assert_fits(page)
