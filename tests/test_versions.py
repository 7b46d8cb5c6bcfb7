"""What a process keeps of the geography and the vocabularies follows every change: by any
writer whatever its clock, through the ORM or a bulk statement, and not after a rollback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from casework.core import versions
from casework.extensions import db
from casework.geo import services as geo
from casework.geo.models import AdminUnit
from casework.vocab import services as vocab
from casework.vocab.models import Term


def _label(code: str) -> str:
    return next(choice.label for choice in geo.unit_choice_list() if choice.code == code)


def test_a_unit_renamed_by_a_host_whose_clock_is_behind_is_seen(app, seeded):
    with app.app_context():
        assert _label("GAO") == "Gao"
        unit = geo.get_unit_by_code("GAO")
        unit.name = "Gao-Renommée"
        # Written by another host whose clock is years behind: its updated_at is the oldest.
        unit.updated_at = datetime(2001, 1, 1, tzinfo=UTC)
        db.session.commit()
    with app.app_context():  # the next request
        assert _label("GAO") == "Gao-Renommée"


def test_the_place_choices_are_kept_between_requests(app, seeded, count_queries):
    with app.app_context():
        geo.unit_choice_list()
        vocab.label("conflict_type", "FONCIER")
    with app.app_context(), count_queries() as counter:
        geo.unit_choice_list()
        vocab.label("conflict_type", "FONCIER")
    assert counter["n"] == 1  # the versions, read once; no unit and no term read again


def test_what_a_request_stores_stays_when_the_store_is_full(app, seeded, count_queries):
    """A long-running process fills the store: storing more evicts what was used least
    recently, never what this request just stored (clearing it all made a look-up of the
    next request cost queries again, on one order of the suite)."""
    for n in range(versions._STORE.size - 1):
        versions._STORE.put(("earlier request", n), n)
    with app.app_context():
        geo.unit_choice_list()
        vocab.label("conflict_type", "FONCIER")
        vocab.label("scope", "INTRA_FAMILIAL")
    with app.app_context(), count_queries() as counter:
        geo.unit_choice_list()
        vocab.label("conflict_type", "FONCIER")
        vocab.label("scope", "INTRA_FAMILIAL")
    assert counter["n"] == 1  # the versions only
    assert ("earlier request", 0) not in versions._STORE  # the oldest went
    assert len(versions._STORE) == versions._STORE.size


def test_a_bulk_update_of_terms_is_seen(app, seeded):
    with app.app_context():
        assert vocab.label("conflict_type", "FONCIER", "en") != "Land (bulk)"
        db.session.execute(
            sa.update(Term)
            .where(Term.vocabulary == "conflict_type", Term.code == "FONCIER")
            .values(labels={"fr": "Foncier (lot)", "en": "Land (bulk)"})
        )
        db.session.commit()
    with app.app_context():
        assert vocab.label("conflict_type", "FONCIER", "en") == "Land (bulk)"


def test_a_change_in_the_request_is_seen_before_it_is_flushed(app, seeded):
    with app.app_context():
        assert _label("GAO") == "Gao"
        geo.get_unit_by_code("GAO").name = "Gao-Nouvelle"
        assert _label("GAO") == "Gao-Nouvelle"


def test_a_rolled_back_rename_is_forgotten(app, seeded):
    with app.app_context():
        unit = geo.get_unit_by_code("GAO")
        unit.name = "Gao-Annulée"
        db.session.flush()
        assert _label("GAO") == "Gao-Annulée"
        db.session.rollback()
        assert _label("GAO") == "Gao"
    with app.app_context():
        assert _label("GAO") == "Gao"


@pytest.mark.parametrize("table", [AdminUnit.__tablename__, Term.__tablename__])
def test_every_cached_table_is_tracked(table):
    assert table in versions._TRACKED
