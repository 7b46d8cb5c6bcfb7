"""The count table behind the case list's "N cases" (issue 19): after every kind of write
to a case (registration, transitions, an edit of its place or type, archive, restore,
anonymisation, purge, a recurrence, the generator's Core inserts) the table equals a
recount of the cases, and the list shows the number of cases the user may see."""

from __future__ import annotations

import importlib.util
import itertools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.cases import counts
from casework.cases.models import Case
from casework.core.dates import today
from casework.extensions import db
from casework.generate import generate
from casework.maintenance.anonymise import anonymise_closed_cases
from tests.conftest import post_form, query, unit_id
from tests.test_cases import Walker, case_id_from, edit_data

TOTAL_RE = re.compile(r'<p role="status">(\d+) cases?</p>')


def assert_counts_kept(app) -> None:
    with app.app_context():
        assert counts.differences() == {}
        assert counts.stored(), "the table holds the cases"


def listed_total(client, **args) -> int:
    response = client.get("/cases", query_string=args, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return int(TOTAL_RE.search(response.get_data(as_text=True)).group(1))


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


NAMES = itertools.cycle(
    [
        (f"{first} {last}", f"{other} {family}")
        for first, other, last, family in [
            ("Boubacar", "Fatoumata", "Touré", "Cissé"),
            ("Moussa", "Aïssata", "Diallo", "Traoré"),
            ("Ibrahim", "Kadidia", "Sidibé", "Coulibaly"),
            ("Almoustapha", "Mariama", "Haïdara", "Dicko"),
            ("Sidi", "Oumou", "Keïta", "Sangaré"),
            ("Ousmane", "Bintou", "Kanté", "Doumbia"),
            ("Mahamane", "Safiatou", "Tamboura", "Guindo"),
        ]
    ]
)


def register(walk: Walker, **overrides) -> int:
    """A case of its own parties (the duplicate check would ask about the same names)."""
    return walk.register(parties=next(NAMES), **overrides)


def signed_in(app, user):
    other = app.test_client()
    response = post_form(other, "/login", {"username": user.username, "password": user.password})
    assert response.status_code == 302
    return other


def test_every_write_keeps_the_counts_equal_to_a_recount(app, client, mediator, make_user):
    walk = Walker(app, client, "en")
    register(walk)
    assert_counts_kept(app)
    secret = Walker(app, client, "en")
    register(secret, confidentiality="secret", assigned_mediator_id=str(mediator.id))
    assert_counts_kept(app)

    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    assert_counts_kept(app)

    # The edit form moves the case to another commune and changes its type.
    data = edit_data(app, client, walk.case_id)
    data.update(unit_id=str(unit_id(app, "GAO-GAO-NTILLIT")), conflict_type="FONCIER")
    assert post_form(client, f"/cases/{walk.case_id}/edit", data).status_code == 302
    moved = query(app, sa.select(Case.unit_id, Case.conflict_type).where(Case.id == walk.case_id))
    assert tuple(moved.one()) == (unit_id(app, "GAO-GAO-NTILLIT"), "FONCIER")
    assert_counts_kept(app)

    # An agreement breached: the case closes and a recurrence is opened.
    walk.session("agreement")
    walk.agreement()
    walk.follow_up("not_respected")
    response = walk.post(
        f"/cases/{walk.case_id}/breach",
        {"choice": "close_and_recur", "reason": "Les parties ne respectent plus rien."},
    )
    recurrence = case_id_from(response)
    assert walk.status() == "CLOTURE_NON_RESOLU"
    assert_counts_kept(app)

    # Anonymisation of the closed case (what the command runs; it refuses a future date).
    with app.app_context():
        assert anonymise_closed_cases(today() + timedelta(days=1)) == 1
        db.session.commit()
    assert query(app, sa.select(Case.anonymised_at).where(Case.id == walk.case_id)).scalar()
    assert_counts_kept(app)

    # Archive, restore, archive again and purge, as the coordinator and the administrator.
    walk.client = signed_in(app, make_user("coordinator", username="oumar", area="GAO"))
    walk.case_id = recurrence
    for action in ("archive", "restore", "archive"):
        data = {"reason": "Saisi deux fois par erreur"} if action == "archive" else {}
        assert walk.post(f"/cases/{recurrence}/{action}", data).status_code == 302
        assert_counts_kept(app)
    walk.client = signed_in(app, make_user("admin"))
    reference = query(app, sa.select(Case.reference).where(Case.id == recurrence)).scalar_one()
    response = walk.post(
        f"/cases/{recurrence}/purge",
        {"reason": "Saisie en double par erreur", "confirmation": reference},
    )
    assert response.status_code == 302
    assert query(app, sa.select(Case.id).where(Case.id == recurrence)).first() is None
    assert_counts_kept(app)


def test_generated_cases_are_counted(app, seeded):
    with app.app_context():
        generate(cases=60, seed=3, today=date(2026, 6, 30), years=0.5)
        db.session.commit()
    assert_counts_kept(app)
    with app.app_context():
        assert sum(counts.stored().values()) == db.session.scalar(
            sa.select(sa.func.count()).select_from(Case)
        )


def test_the_list_shows_the_cases_each_user_may_see(app, client, mediator, make_user):
    """The total read from the table follows the list's rules: the area, secret cases
    (a mediator's own only), gender-based violence cases for trained users only, archived
    cases left out; filters the table cannot answer count the cases."""
    other = make_user("mediator", username="awa", area="GAO")
    admin = signed_in(app, make_user("admin"))
    walk, by_admin = Walker(app, client, "en"), Walker(app, admin, "en")
    register(walk)  # standard, Gao
    register(walk, confidentiality="secret", assigned_mediator_id=str(mediator.id))
    register(by_admin, confidentiality="secret", assigned_mediator_id=str(other.id))
    register(by_admin, conflict_type="VBG", confidentiality="secret")
    register(by_admin, unit_id=str(unit_id(app, "MNK-MENAKA-MENAKA")))  # outside Gao
    register(walk)
    walk.move("CLASSE", reason="Plainte retirée par le demandeur.", outcome="RETRAIT_PLAINTE")
    assert_counts_kept(app)

    # Mariam: the standard ones of Gao and her own secret case.
    assert listed_total(client) == 3
    assert listed_total(client, status="CLASSE") == 1
    assert listed_total(client, type="DEGATS_CHAMPETRES") == 3
    assert listed_total(client, type="FONCIER") == 0
    assert listed_total(client, q="troupeau") == 3  # counted from the cases
    coordinator = signed_in(app, make_user("coordinator", username="oumar", area="GAO"))
    assert listed_total(coordinator) == 4  # every secret case but the untrained one's VBG
    assert listed_total(coordinator, status="SIGNALE") == 3
    assert listed_total(admin) == 6
    assert listed_total(admin, type="VBG") == 1

    archived_id = walk.case_id
    walk.client = coordinator
    walk.case_id = archived_id
    assert walk.post(f"/cases/{archived_id}/archive", {"reason": "Saisi deux fois"}).status_code
    assert listed_total(admin) == 5
    assert listed_total(client) == 2
    assert_counts_kept(app)


def _revision():
    path = Path(__file__).parent.parent / "migrations/versions/2026_12_05_f_case_counts.py"
    spec = importlib.util.spec_from_file_location("case_counts_revision", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    return revision


def test_a_migrated_database_has_the_triggers_a_new_one_has():
    """The revision writes out the triggers of casework/cases/counts.py as they are: an
    upgraded database and a new one (``create_all``) keep their counts alike. A change to
    the triggers comes with a new revision, and this test then reads that one."""
    revision = _revision()
    assert revision.SQLITE_CREATE == counts.SQLITE_CREATE
    assert revision.PG_CREATE == counts.PG_CREATE


def test_the_migration_fills_the_table_as_the_recount(app, client, mediator, make_user):
    """The revision's own statement (an upgrade of a filled database) gives the recount."""
    revision = _revision()
    admin = signed_in(app, make_user("admin"))
    walk = Walker(app, admin, "en")
    register(walk)
    register(walk, confidentiality="secret")
    register(walk, conflict_type="VBG", confidentiality="secret")
    assert walk.post(f"/cases/{walk.case_id}/archive", {"reason": "Saisi deux fois"}).status_code
    with app.app_context():
        kept = counts.stored()
        db.session.execute(sa.delete(counts.CaseCount))
        db.session.execute(sa.text(revision.FILL))
        assert counts.stored() == kept
        assert counts.differences() == {}
        db.session.rollback()
