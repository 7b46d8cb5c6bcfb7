"""The case list, the search and the case page read what they show through indexes, and
what they keep between requests (the filter form's lists, the translated titles) follows the
data and the language (issue 19). Query plans and pages, no timings."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from casework.cases.forms import CaseFilterForm
from casework.cases.models import Agreement, Case, FollowUp
from casework.cases.states import STATUS_TITLES
from casework.extensions import db
from casework.generate import generate
from casework.geo.models import AdminUnit
from tests.conftest import post_form

TODAY = date(2026, 6, 30)
FRENCH = {"Accept-Language": "fr"}
COUNT_RE = re.compile(r'<p role="status">(\d+) cases?</p>')


@pytest.fixture
def cases(app, admin):
    with app.app_context():
        generate(cases=80, seed=11, today=TODAY, years=0.5)
        db.session.commit()


@contextmanager
def statements(app):
    """The SELECT statements (with their parameters) run inside the block."""
    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def plans(app, seen) -> list[tuple[str, list[str]]]:
    """SQLite's plan of each statement: (statement, its plan lines)."""
    with app.app_context():
        connection = db.session.connection().connection.driver_connection
        return [
            (
                statement,
                [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", p)],
            )
            for statement, p in seen
        ]


def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("SQLite's query plans (PostgreSQL's depend on its statistics)")


def test_the_case_page_reads_its_agreements_visits_through_an_index(app, client, cases, backend):
    sqlite_only(backend)
    with app.app_context():
        case_id = db.session.scalar(
            sa.select(Agreement.case_id)
            .join(FollowUp, FollowUp.agreement_id == Agreement.id)
            .order_by(Agreement.id)
            .limit(1)
        )
    assert case_id is not None
    with statements(app) as seen:
        response = client.get(f"/cases/{case_id}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    read = [(s, lines) for s, lines in plans(app, seen) if "FROM follow_ups" in s]
    assert read, "the case page reads the visits of its agreement"
    for statement, lines in read:
        assert not any(line.startswith("SCAN follow_ups") for line in lines), (statement, lines)


def _coordinator_of_busiest_region(app, make_user):
    """A coordinator (not trained for gender-based violence cases) of the region with the
    most cases, signed in on a client of their own; and the region."""
    with app.app_context():
        region = db.session.execute(
            sa.select(AdminUnit.code, AdminUnit.path)
            .where(AdminUnit.kind == "region")
            .order_by(
                sa.select(sa.func.count(Case.id))
                .join(AdminUnit.__table__.alias("u"), sa.text("u.id = cases.unit_id"))
                .where(sa.text("u.path LIKE admin_units.path || '%'"))
                .scalar_subquery()
                .desc()
            )
            .limit(1)
        ).one()
    coordinator = make_user("coordinator", area=region.code)
    client = app.test_client()
    response = post_form(
        client, "/login", {"username": coordinator.username, "password": coordinator.password}
    )
    assert response.status_code == 302
    return client, region


def test_the_list_leaves_gbv_cases_out_by_their_type_not_by_a_list_of_them(
    app, cases, make_user, backend
):
    client, region = _coordinator_of_busiest_region(app, make_user)
    with app.app_context():
        in_region = (
            sa.select(sa.func.count(Case.id))
            .join(AdminUnit, AdminUnit.id == Case.unit_id)
            .where(AdminUnit.path.startswith(region.path), Case.archived_at.is_(None))
        )
        # Two of the region's cases are gender-based violence (secret, as registered).
        ids = db.session.scalars(
            in_region.with_only_columns(Case.id).order_by(Case.id).limit(2)
        ).all()
        db.session.execute(
            sa.update(Case)
            .where(Case.id.in_(ids))
            .values(conflict_type="VBG", confidentiality="secret")
        )
        db.session.commit()
        everything = db.session.scalar(in_region)
        without_gbv = db.session.scalar(in_region.where(Case.conflict_type != "VBG"))
    assert without_gbv < everything, "the region holds gender-based violence cases"
    with statements(app) as seen:
        html = client.get("/cases", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # An untrained coordinator is not shown them, nor counted them.
    assert int(COUNT_RE.search(html).group(1)) == without_gbv
    if backend == "sqlite":
        for statement, lines in plans(app, seen):
            if "FROM cases" in statement:
                assert not any("ix_cases_conflict_type " in f"{line} " for line in lines), (
                    statement,
                    lines,
                )


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [
        (value, label, bool(selected))
        for selected, value, label in re.findall(
            r'<option (selected )?value="([^"]*)">([^<]*)</option>', select.group(1)
        )
    ]


def test_the_filter_form_follows_the_choice_the_language_and_new_people(
    app, client, cases, make_user
):
    english = client.get("/cases?status=ACCORD", headers={"Accept-Language": "en"})
    statuses = _options(english.get_data(as_text=True), "status")
    assert [value for value, _label, selected in statuses if selected] == ["ACCORD"]
    again = client.get("/cases", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert [value for value, _label, selected in _options(again, "status") if selected] == [""]
    french = client.get("/cases?status=ACCORD", headers=FRENCH).get_data(as_text=True)
    labels = {value: label for value, label, _selected in _options(french, "status")}
    assert labels != {value: label for value, label, _selected in statuses}
    assert labels[""] == "Tous les statuts"

    mediators = {label for _value, label, _sel in _options(french, "mediator")}
    newcomer = make_user("mediator", username="newcomer")
    after = client.get("/cases?status=ACCORD", headers=FRENCH).get_data(as_text=True)
    added = {label for _value, label, _sel in _options(after, "mediator")} - mediators
    assert added == {f"Mediator {newcomer.username}"}


def test_status_titles_of_the_list_follow_the_language(app, client, cases):
    status_re = re.compile(r'<span class="status status-[a-z_]+">([^<]+)</span>')
    titles = {}
    for lang in ("en", "fr", "en"):
        html = client.get("/cases", headers={"Accept-Language": lang}).get_data(as_text=True)
        titles.setdefault(lang, set()).update(status_re.findall(html))
        with app.test_request_context(), force_locale(lang):
            expected = {str(title) for title in STATUS_TITLES.values()}
        assert titles[lang] and titles[lang] <= expected, lang
    assert titles["en"] != titles["fr"]


def test_the_filter_forms_own_messages_are_in_the_readers_language(app):
    # WTForms' own message (NumberRange's), from its catalogue, kept per language.
    for lang, expected in (
        ("fr", "Le nombre doit être compris entre 1 et 100000."),
        ("en", "Number must be between 1 and 100000."),
        ("fr", "Le nombre doit être compris entre 1 et 100000."),
    ):
        with app.test_request_context(headers={"Accept-Language": lang}), force_locale(lang):
            form = CaseFilterForm(MultiDict({"page": "0"}))
            form.area.choices = form.type.choices = form.status.choices = [("", "-")]
            form.level.choices = form.mediator.choices = [("", "-")]
            assert not form.validate()
            assert form.page.errors == [expected], lang
