"""The terms of an agreement on a phone, in French and in English (issue 14): the case's
terms, an instalment recorded through its form, the other term screens and "Follow-ups
due" with its terms; on every page nothing scrolls sideways."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from tests.browser.helpers import LANGS, assert_fits, expect, tr


def open_term(server) -> tuple[int, int, int, int]:
    """A demo term owing an amount, partly paid, on a case in follow-up: (case, agreement,
    term, what is still owed)."""
    with closing(sqlite3.connect(server.instance / "casework.sqlite3")) as connection:
        row = connection.execute(
            "SELECT c.id, a.id, t.id, t.amount - coalesce((SELECT sum(i.amount_paid) "
            "FROM term_instalments i WHERE i.term_id = t.id), 0) "
            "FROM agreement_terms t JOIN agreements a ON a.id = t.agreement_id "
            "JOIN cases c ON c.id = a.case_id WHERE c.status IN ('ACCORD', 'SUIVI') "
            "AND t.amount IS NOT NULL AND t.status IN ('pending', 'partly_done') "
            "AND c.archived_at IS NULL ORDER BY t.id"
        ).fetchone()
    assert row, "no open demo term with an amount"
    return row


@pytest.mark.parametrize("lang", LANGS)
def test_the_term_screens_on_a_phone(demo_server, signed_in, lang):
    case_id, agreement_id, term_id, owed = open_term(demo_server)
    page = signed_in(demo_server, "aissata", lang, "phone")

    page.goto(demo_server.url(f"/cases/{case_id}"))
    terms = page.locator("ul.terms")
    expect(terms).to_be_visible()
    assert_fits(page)

    for path in (
        f"/cases/{case_id}/terms/{term_id}/status",
        f"/cases/{case_id}/terms/{term_id}/edit",
        f"/cases/{case_id}/agreements/{agreement_id}/terms/new",
        "/follow-ups",
    ):
        page.goto(demo_server.url(path))
        expect(page.locator("h1")).to_be_visible()
        assert_fits(page)

    # What is still owed, paid through the form: the term is done.
    page.goto(demo_server.url(f"/cases/{case_id}"))
    link = page.locator(f"a[href$='/terms/{term_id}/instalments/new']")
    link.click()
    expect(page.locator("h1")).to_have_text(tr("Record an instalment", lang))
    assert_fits(page)
    page.fill("#amount_paid", str(owed))
    page.fill("#received_by", "Le chef de fraction")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-success")).to_contain_text(tr("Instalment recorded.", lang))
    expect(page.locator(f"a[href$='/terms/{term_id}/instalments/new']")).to_have_count(0)
    expect(terms).to_contain_text(tr("fulfilled", lang))
    assert_fits(page)
