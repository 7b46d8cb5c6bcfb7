"""The case list's pager: its Next and Previous links carry a keyset cursor (the next page
starts where this one ended), page numbers alone still work, and filters are kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
import time_machine

from casework.cases.models import Case
from casework.cases.services import Cursor, parse_cursor
from casework.extensions import db
from casework.generate import generate

TODAY = date(2026, 6, 30)  # the generated cases' last day; the tests run the day after it
ROW_RE = re.compile(r'<td data-label="[^"]*" class="ref"><a href="/cases/(\d+)"')
NEXT_RE = re.compile(r'<a rel="next" href="([^"]+)"')
PREV_RE = re.compile(r'<a rel="prev" href="([^"]+)"')
PAGE_RE = re.compile(r"Page (\d+) of (\d+)")


@pytest.fixture(autouse=True)
def _day_after_the_cases():
    """The filters name dates of June 2026: the tests run after them whatever the clock says
    (CASEWORK_TEST_NOW, tests/conftest.py), since a filter after tomorrow is refused."""
    with time_machine.travel(datetime.combine(TODAY + timedelta(days=1), time(10), UTC)):
        yield


@pytest.fixture
def cases(app, admin):
    """130 cases over about two months: several share a date, so ids break the ties."""
    with app.app_context():
        generate(cases=130, seed=5, today=TODAY, years=0.15)
        db.session.commit()


def _ids(app, *where) -> list[int]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Case.id).where(*where).order_by(Case.reported_on.desc(), Case.id.desc())
        ).all()


def _get(client, url: str) -> tuple[list[int], str | None, str | None, tuple[int, int]]:
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    following = NEXT_RE.search(html)
    previous = PREV_RE.search(html)
    page = PAGE_RE.search(html)
    return (
        [int(i) for i in ROW_RE.findall(html)],
        unescape(following.group(1)) if following else None,
        unescape(previous.group(1)) if previous else None,
        (int(page.group(1)), int(page.group(2))) if page else (1, 1),
    )


def _walk(client, url: str) -> tuple[list[list[int]], list[str]]:
    """Follow the Next links from ``url`` to the last page."""
    pages, links = [], []
    while url:
        rows, url, _previous, _page = _get(client, url)
        pages.append(rows)
        if url:
            links.append(url)
    return pages, links


def test_next_links_return_every_case_once_in_order(app, client, cases):
    expected = _ids(app)
    assert len(expected) == 130
    pages, links = _walk(client, "/cases")
    assert [len(rows) for rows in pages] == [25, 25, 25, 25, 25, 5]
    assert sum(pages, []) == expected
    for number, link in enumerate(links, start=2):
        query = parse_qs(urlsplit(link).query)
        assert query["page"] == [str(number)]
        assert parse_cursor(query["after"][0]) is not None


def test_next_links_keep_the_filters(app, client, cases):
    expected = _ids(app, Case.reported_on <= date(2026, 6, 20))
    assert 25 < len(expected) < 130
    pages, links = _walk(client, "/cases?reported_to=2026-06-20&archived=all")
    assert sum(pages, []) == expected
    assert len(pages) == -(-len(expected) // 25)
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["reported_to"] == ["2026-06-20"]
        assert query["archived"] == ["all"]


def test_previous_links_walk_back_through_the_same_pages(app, client, cases):
    forward, links = _walk(client, "/cases")
    rows, _next, previous, page = _get(client, links[-1])
    assert page == (6, 6)
    backward = [rows]
    while previous:
        rows, _next, previous, page = _get(client, previous)
        backward.append(rows)
        query = parse_qs(urlsplit(previous).query) if previous else {}
        assert not previous or "before" in query
    assert page == (1, 6)
    assert backward[::-1] == forward


def test_a_page_number_alone_still_works(app, client, cases):
    pages, _links = _walk(client, "/cases")
    for number in (1, 3, 6):
        rows, _next, _previous, page = _get(client, f"/cases?page={number}")
        assert rows == pages[number - 1]
        assert page == (number, 6)


def test_a_cursor_from_a_link_gives_the_same_page_as_its_number(app, client, cases):
    expected = _ids(app)
    with app.app_context():
        case = db.session.get(Case, expected[49])
        cursor = str(Cursor.of(case))
    rows, _next, previous, page = _get(client, f"/cases?page=3&after={cursor}")
    assert rows == expected[50:75]
    assert page == (3, 6)
    rows, *_rest = _get(client, previous)
    assert rows == expected[25:50]


@pytest.mark.parametrize(
    "cursor", ["", "nonsense", "2026-13-01.5", "2026-06-01.x", "2026-06-01.-3", "9" * 60]
)
def test_a_broken_cursor_falls_back_to_the_page_number(app, client, cases, cursor):
    expected = _ids(app)
    for key in ("after", "before"):
        rows, *_rest = _get(client, f"/cases?page=2&{key}={cursor}")
        assert rows == expected[25:50]


def test_a_cursor_past_the_end_shows_the_numbered_page(app, client, cases):
    expected = _ids(app)
    rows, *_rest = _get(client, "/cases?page=2&after=1990-01-01.1")
    assert rows == expected[25:50]


def test_parse_cursor():
    assert parse_cursor("2025-03-02.81234") == Cursor(date(2025, 3, 2), 81234)
    assert str(Cursor(date(2025, 3, 2), 81234)) == "2025-03-02.81234"
    for text in (None, "", "2025-03-02", "2025-03-02.", ".5", "2025-03-02.0", "x.5"):
        assert parse_cursor(text) is None


def test_the_quick_select_writes_what_wtforms_writes():
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, SelectField

    from casework.cases.forms import QuickSelect

    choices = [("", "All"), ("a&b", 'x "y" <z>'), ("3", "Trois é"), ("4", "")]

    class Plain(Form):
        f = SelectField(validate_choice=False)

    class Quick(Form):
        f = SelectField(validate_choice=False, widget=QuickSelect())

    def html(form_class, data):
        form = form_class(MultiDict(data))
        form.f.choices = choices  # set as the views set them
        return form.f(**{"aria-invalid": "true"})

    for data in ({}, {"f": "a&b"}, {"f": "3"}):
        assert html(Quick, data) == html(Plain, data)
    assert '<option selected value="a&amp;b">x &#34;y&#34; &lt;z&gt;</option>' in html(
        Quick, {"f": "a&b"}
    )


@pytest.mark.parametrize("ids_max", [1, 2000])
def test_search_pages_hold_every_match_once(app, client, cases, monkeypatch, ids_max):
    """A search reads its matches once as ids, or (more than SEARCH_IDS_MAX) as a subquery:
    the same cases either way, paged through the Next links."""
    from casework.cases.services import listing

    monkeypatch.setattr(listing, "SEARCH_IDS_MAX", ids_max)
    with app.app_context():
        expected = db.session.scalars(
            sa.select(Case.id)
            .where(Case.search_text.contains("ent"))
            .order_by(Case.reported_on.desc(), Case.id.desc())
        ).all()
    assert len(expected) > 25
    pages, _links = _walk(client, "/cases?q=ent")
    assert sum(pages, []) == expected
