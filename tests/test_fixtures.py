"""What the shared fixtures promise every test file: without `seeded` the database is
empty; with it, the starter geography and the vocabularies are there, as seeding them in the
test would leave them."""

from __future__ import annotations

import sqlalchemy as sa

from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.geo.services import seed_units
from casework.vocab.models import Term
from casework.vocab.services import seed_vocabularies


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(AdminUnit)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Term)),
        )


def test_without_seeded_there_is_no_unit_and_no_term(app):
    assert counts(app) == (0, 0)


def test_seeded_holds_the_whole_starter_set_and_seeding_again_changes_nothing(app, seeded):
    units, terms = counts(app)
    assert units > 0 and terms > 0
    with app.app_context():
        assert seed_units().created == 0
        assert seed_vocabularies().created == 0
        db.session.commit()
    assert counts(app) == (units, terms)
