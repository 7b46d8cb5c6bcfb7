"""Parts of pages written once, then kept by the process (issue 19), and still right.

The case list's filter form, per user's choices, language and input (writing it was a
third of a list page): what it offers follows a new, renamed or deactivated colleague, a
renamed type, another area's people, another language, and a form with errors. The main
menu, per role, language and page: each role its own links, each page its own entry
marked."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine
from flask import template_rendered

from casework.auth import services as accounts
from casework.auth.models import User
from casework.core import versions
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.services import get_unit_by_code
from casework.vocab.models import Term
from tests.conftest import PASSWORD, post_form

FILTERS = "cases/_list_filters.html"
pytestmark = pytest.mark.usefixtures("seeded")


def reader(app, make_user, role="coordinator", area="GAO", lang="en"):
    client = app.test_client()
    user = make_user(role, area=area, lang=lang)
    post_form(client, "/login", {"username": user.username, "password": user.password})
    return client


def filters(page: str) -> str:
    return re.search(r'<form method="get" class="filters".*?</form>', page, re.S).group(0)


def mediator_names(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="mediator".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.fixture
def written(app):
    """The names of the templates each request writes."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def colleague(app, name: str, area: str = "GAO", role: str = "mediator") -> int:
    with app.app_context():
        username = re.sub(r"[^a-z]+", ".", name.lower().encode("ascii", "ignore").decode())
        user = accounts.create_user(username=username, full_name=name, role=role, password=PASSWORD)
        user.area_id = get_unit_by_code(area).id
        db.session.commit()
        return user.id


def test_the_form_is_written_once_and_the_same_each_time(app, make_user, written):
    client = reader(app, make_user)
    first = client.get("/cases?status=EN_MEDIATION&q=eau").get_data(as_text=True)
    assert FILTERS in written
    written.clear()
    second = client.get("/cases?status=EN_MEDIATION&q=eau").get_data(as_text=True)
    assert FILTERS not in written
    assert filters(second) == filters(first)
    assert 'selected value="EN_MEDIATION"' in filters(second)
    assert 'value="eau"' in filters(second)
    client.get("/cases?status=EN_MEDIATION&q=eau&page=2")  # the page is not in the form
    assert FILTERS not in written
    # Other input is another form: its own selection, not the kept one's.
    other = filters(client.get("/cases?status=ACCORD").get_data(as_text=True))
    assert 'selected value="ACCORD"' in other and 'selected value="EN_MEDIATION"' not in other


def test_a_new_renamed_or_deactivated_colleague_is_offered_at_the_next_request(
    app, make_user, admin, client
):
    coordinator = reader(app, make_user)
    assert "Aminata Touré" not in mediator_names(coordinator.get("/cases").get_data(as_text=True))
    aminata = colleague(app, "Aminata Touré")
    assert "Aminata Touré" in mediator_names(coordinator.get("/cases").get_data(as_text=True))

    post_form(
        client,
        f"/admin/users/{aminata}/edit",
        {
            "full_name": "Aminata Touré-Cissé",
            "role": "mediator",
            "preferred_language": "",
            "area_id": str(unit_id_of(app, "GAO")),
        },
    )
    names = mediator_names(coordinator.get("/cases").get_data(as_text=True))
    assert "Aminata Touré-Cissé" in names and "Aminata Touré" not in names

    post_form(client, f"/admin/users/{aminata}/deactivate", page="/admin/users")
    names = mediator_names(coordinator.get("/cases").get_data(as_text=True))
    assert "Aminata Touré-Cissé" not in names


def unit_id_of(app, code: str) -> int:
    with app.app_context():
        return get_unit_by_code(code).id


def test_a_sign_in_does_not_throw_away_what_was_written(app, make_user, written):
    """A sign-in writes its user's row (last sign-in): the colleagues offered are the same."""
    coordinator = reader(app, make_user)
    coordinator.get("/cases")
    mediator = make_user("mediator", area="GAO")
    coordinator.get("/cases")  # the new colleague: written again, once
    with app.app_context():
        before = versions.current()["users"]
    post_form(
        app.test_client(), "/login", {"username": mediator.username, "password": mediator.password}
    )
    with app.app_context():
        assert db.session.get(User, mediator.id).last_login_at is not None
        assert versions.current()["users"] == before
    written.clear()
    coordinator.get("/cases")
    assert FILTERS not in written


def test_each_area_is_offered_its_own_people(app, make_user):
    colleague(app, "Moussa Ag Kidal", area="KDL")
    colleague(app, "Fatouma Gao", area="GAO")
    kidal = reader(app, make_user, area="KDL")
    gao = reader(app, make_user, area="GAO")
    for _ in range(2):  # written, then kept: each area's own
        kidal_names = mediator_names(kidal.get("/cases").get_data(as_text=True))
        gao_names = mediator_names(gao.get("/cases").get_data(as_text=True))
        assert "Moussa Ag Kidal" in kidal_names and "Fatouma Gao" not in kidal_names
        assert "Fatouma Gao" in gao_names and "Moussa Ag Kidal" not in gao_names


def test_each_language_has_its_own_form(app, make_user):
    english = reader(app, make_user, lang="en")
    french = reader(app, make_user, lang="fr")
    for _ in range(2):
        assert "All statuses" in filters(english.get("/cases").get_data(as_text=True))
        assert "Tous les statuts" in filters(french.get("/cases").get_data(as_text=True))


def test_a_renamed_type_is_offered_at_the_next_request(app, make_user):
    coordinator = reader(app, make_user)
    assert "Land (renamed)" not in coordinator.get("/cases").get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            sa.update(Term)
            .where(Term.vocabulary == "conflict_type", Term.code == "FONCIER")
            .values(labels={"fr": "Foncier (renommé)", "en": "Land (renamed)"})
        )
        db.session.commit()
    assert "Land (renamed)" in filters(coordinator.get("/cases").get_data(as_text=True))


def test_a_form_with_errors_says_so_each_time_and_a_good_one_after_it_does_not(app, make_user):
    coordinator = reader(app, make_user)
    for _ in range(2):
        response = coordinator.get("/cases?reported_from=yesterday")
        assert response.status_code == 400
        assert 'aria-invalid="true"' in filters(response.get_data(as_text=True))
    good = coordinator.get("/cases?reported_from=2026-01-01")
    assert good.status_code == 200
    assert 'aria-invalid="true"' not in filters(good.get_data(as_text=True))


def menu(page: str) -> str:
    return re.search(r'<nav class="main-nav".*?</ul>', page, re.S).group(0)


def test_each_role_language_and_page_has_its_own_menu(app, make_user):
    admin = reader(app, make_user, role="admin", area=None)
    coordinator = reader(app, make_user)
    french = reader(app, make_user, lang="fr")
    for _ in range(2):  # written, then kept
        admins = menu(admin.get("/cases").get_data(as_text=True))
        coordinators = menu(coordinator.get("/cases").get_data(as_text=True))
        assert ">Users</a>" in admins and ">Users</a>" not in coordinators
        assert ">Cases</a>" in coordinators
        assert ">Dossiers</a>" in menu(french.get("/cases").get_data(as_text=True))
        assert re.search(r'href="/cases" aria-current="page"', coordinators)
        due = menu(coordinator.get("/follow-ups").get_data(as_text=True))
        assert re.search(r'href="/follow-ups" aria-current="page"', due)
        assert not re.search(r'href="/cases" aria-current="page"', due)


def test_a_place_valid_from_tomorrow_is_offered_from_tomorrow(app, make_user):
    """The choices hold the places valid today: kept overnight, they would still lack it."""
    with app.app_context():
        geo.import_units(
            "code,kind,name,parent_code,valid_from,valid_to\n"
            "GAO-GAO-NOUVELLE,commune,Commune nouvelle,GAO-GAO,2027-01-01,\n"
        )
        db.session.commit()
    with time_machine.travel(datetime(2026, 12, 31, 23, 58, tzinfo=UTC), tick=False) as clock:
        coordinator = reader(app, make_user)
        assert "Commune nouvelle" not in filters(coordinator.get("/cases").get_data(as_text=True))
        clock.move_to(datetime(2027, 1, 1, 0, 1, tzinfo=UTC))
        assert "Commune nouvelle" in filters(coordinator.get("/cases").get_data(as_text=True))
