"""A coordinator produces the periodic report in French and in English from the report form
and checks the downloaded files, on a phone and a desktop, whatever the interface language."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest

from tests.browser.helpers import LANGS, SIZES, assert_fits, expect, sign_in, tr

COORDINATOR = {"fr": "oumou", "en": "binta"}
TITLE = {"fr": "Rapport périodique", "en": "Periodic report"}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_a_french_and_an_english_report_are_downloaded(server, open_page, lang, size):
    page = open_page(server.base, lang, size)
    page.goto(server.url("/login"))
    sign_in(page, server, COORDINATOR[lang])
    page.get_by_role("navigation", name=tr("Main menu", lang)).get_by_role(
        "link", name=tr("Reports", lang), exact=True
    ).click()
    expect(page.locator("h1")).to_have_text(tr("Periodic report", lang))
    assert_fits(page)
    for report_lang in ("fr", "en"):
        page.fill("#period", str(date.today().year))
        page.select_option("#area", "GAO")
        page.select_option("#lang", report_lang)
        page.select_option("#format", "pdf")
        with page.expect_download() as info:
            page.locator("main form [type=submit]").click()
        download = info.value
        assert download.suggested_filename.endswith(f"-GAO-{report_lang}.pdf")
        content = Path(download.path()).read_bytes()
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
        other = "en" if report_lang == "fr" else "fr"
        assert TITLE[report_lang] in text and TITLE[other] not in text
        # The page the user is on keeps the interface language.
        expect(page.locator("html")).to_have_attribute("lang", lang)
