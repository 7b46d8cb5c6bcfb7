"""Pictures for the README: the main pages in both languages, on a phone and a desktop,
written to docs/screenshots/ by the test run (what the viewport shows, not the whole page,
so that the files stay small)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import LANGS, SCREENSHOTS, SIZES, expect, sign_in

PICTURED = ["sign-in", "home", "case-list", "new-case", "case"]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_screenshots_of_the_main_pages(demo_server, main_pages, open_page, lang, size):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(demo_server.base, lang, size)
    width = SIZES[size]["width"]
    for name in PICTURED:
        page.goto(demo_server.url(main_pages[name]))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        path = SCREENSHOTS / f"{name}-{lang}-{width}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        assert path.stat().st_size > 1000
        if name == "sign-in":
            sign_in(page, demo_server, "aissata")
