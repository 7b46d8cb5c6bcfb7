"""The home page's dashboard and the follow-ups due at scale (issue 19): the dashboard's
figures are those of the pages they stand for, read in one statement whoever the user; the
follow-ups due of a mediator are read from their own cases, never from every case of the
country; visits due on the same day are listed in a stable order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services
from casework.cases.models import Case, FollowUp
from casework.core import pagination
from casework.core.dates import today
from casework.extensions import db
from casework.reports.dashboard import build_dashboard
from tests.test_obligations import cash_term, in_mediation, record_agreement


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def in_follow_up(app, client, mediator):
    """A case of Gao with an agreement: one term late, one due in two months, and its visits."""
    walk = in_mediation(app, client, mediator)
    record_agreement(
        walk,
        cash_term(due=today() - timedelta(days=2), description="Verser la première part"),
        cash_term(due=today() + timedelta(days=60), description="Verser le solde"),
    )
    with app.app_context():
        # Its first visit due tomorrow, another one on the same day.
        case = db.session.get(Case, walk.case_id)
        visits = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.id)
        ).all()
        for visit in visits:
            visit.due_on = today() + timedelta(days=1)
        db.session.commit()
        return walk, case.status, len(visits)


@pytest.mark.parametrize("role", ["admin", "coordinator", "mediator", "police"])
def test_the_dashboard_counts_what_the_pages_list_in_one_statement(
    app, client, mediator, make_user, count_queries, role
):
    walk, status, visits = in_follow_up(app, client, mediator)
    assert visits >= 2
    user = mediator if role == "mediator" else make_user(role, area="GAO")
    with app.app_context():
        user = db.session.get(User, user.id)
        with count_queries() as counter:
            dashboard = build_dashboard(user)
        assert counter["n"] == 1
        if role == "police":
            assert dashboard.open_by_status is None
            assert dashboard.alerts_this_week == 0
            return
        due, terms = services.follow_ups_due(user), services.terms_due(user)
        assert [visit.case_id for visit in due] == [walk.case_id] * visits
        assert [term.description for term in terms] == ["Verser la première part"]
        assert dashboard.follow_ups_due == visits + 1
        open_cases = {key: values[0] for key, _label, values in dashboard.open_by_status.rows}
        assert open_cases[status] == 1 and sum(open_cases.values()) == 1
        assert (dashboard.alerts_this_week is None) is (role == "mediator")


def test_visits_due_on_the_same_day_are_listed_in_the_order_they_were_planned(
    app, client, mediator
):
    walk, _status, visits = in_follow_up(app, client, mediator)
    with app.app_context():
        user = db.session.get(User, mediator.id)
        due = services.follow_ups_due(user)
        assert len(due) == visits
        assert [visit.id for visit in due] == sorted(visit.id for visit in due)
    page = walk.client.get("/follow-ups", headers=walk.headers).get_data(as_text=True)
    links = re.findall(rf"/cases/{walk.case_id}/follow-ups/(\d+)", page)
    assert [int(link) for link in links] == [visit.id for visit in due]


def test_a_mediators_follow_ups_due_read_only_their_cases(app, client, mediator, make_user):
    """On SQLite, the plan of the follow-ups-due counts of a mediator reads no table whole:
    the secret cases they may not see were found by reading every case of the country."""
    in_follow_up(app, client, mediator)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's query plan")
        user = db.session.get(User, mediator.id)
        sent = []

        def seen(_connection, _cursor, statement, parameters, *_args):
            sent.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", seen)
        try:
            services.count_follow_ups_due(user)
            services.count_terms_due(user)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", seen)
        assert len(sent) == 2
        for statement, parameters in sent:
            plan = db.session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters
            )
            details = [row[3] for row in plan]
            whole = [line for line in details if re.match(r"SCAN \w*cases\b", line)]
            assert not whole, details


def test_each_list_of_follow_ups_due_pages_on_its_own(app, client, mediator, monkeypatch):
    """A coordinator's area can have thousands of visits and terms late: each list shows a
    page at a time, its links keep the other list's page, a broken page number shows the
    first page and one past the end the last."""
    walk, _status, visits = in_follow_up(app, client, mediator)
    assert visits == 2
    monkeypatch.setattr(pagination, "DUE_PAGE_SIZE", 1)
    with app.app_context():
        due = [visit.id for visit in services.follow_ups_due(db.session.get(User, mediator.id))]

    def page(**args) -> tuple[list[int], str]:
        response = walk.client.get("/follow-ups", query_string=args, headers=walk.headers)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        return [int(i) for i in re.findall(rf"/cases/{walk.case_id}/follow-ups/(\d+)", html)], html

    first, html = page()
    assert first == due[:1]
    assert "Page 1 sur 2 (2 en tout)" in html and "Verser la première part" in html
    assert 'href="/follow-ups?visits=2&amp;terms=1#visits-due"' in html
    second, html = page(visits=2, terms=1)
    assert second == due[1:] and "Verser la première part" in html
    assert 'href="/follow-ups?visits=1&amp;terms=1#visits-due"' in html
    assert page(visits="x")[0] == due[:1]
    assert page(visits=99)[0] == due[1:]
