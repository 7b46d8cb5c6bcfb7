"""Case references stay unique when cases are registered at the same moment."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from casework import create_app
from casework.cases.services import next_reference
from casework.extensions import db
from casework.geo.models import AdminUnit
from tests.conftest import app_settings


def test_simultaneous_registrations_get_distinct_numbers(empty_database):
    """Eight threads, each in its own transaction on its own connection, draw a number at
    the same moment and commit: every number is different and none is skipped."""
    app = create_app(app_settings(empty_database))
    with app.app_context():
        db.create_all()
        region = AdminUnit(code="GAO", kind="region", name="Gao", name_search="gao", path="/1/")
        db.session.add(region)
        db.session.commit()
    start = threading.Barrier(8)
    drawn: list[str] = []
    errors: list[BaseException] = []

    def register():
        try:
            with app.app_context():
                unit = db.session.scalars(sa.select(AdminUnit)).one()
                code = unit.code
                db.session.rollback()  # each draw in a transaction of its own, as a request
                start.wait(timeout=10)
                unit = db.session.scalars(sa.select(AdminUnit).where(AdminUnit.code == code)).one()
                reference = next_reference(unit, 2026)
                db.session.commit()
                drawn.append(reference)
        except BaseException as error:  # reported below, with the thread's result
            errors.append(error)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    assert not errors, errors
    assert sorted(drawn) == [f"GAO-2026-{n:04d}" for n in range(1, 9)]
