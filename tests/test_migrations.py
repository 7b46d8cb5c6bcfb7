"""`casework db upgrade` on an empty database gives exactly the models' schema; every
revision downgrades. On SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from casework import create_app
from casework.cases import search_index
from casework.config import PROJECT_ROOT
from casework.extensions import db
from tests.conftest import app_settings


def schema_differences(app) -> list:
    with db.engine.connect() as connection:
        # The search index (FTS5 tables, trigram index) is left out, as in migrations/env.py.
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": search_index.include_name,
                "include_object": search_index.include_object,
            },
        )
        return compare_metadata(context, db.metadata)


def table_names(app) -> set[str]:
    with db.engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def revisions() -> list[str]:
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    return [rev.revision for rev in script.walk_revisions()]  # head first


def test_upgrade_gives_the_models_schema_and_every_revision_downgrades(empty_database):
    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        assert schema_differences(app) == []
        assert {"users", "login_attempts"} <= table_names(app)

        steps = revisions()
        assert steps, "no migration found"
        for _revision in steps:
            downgrade(revision="-1")
        assert table_names(app) <= {"alembic_version"}

        upgrade()  # and back up again, from nothing
        assert schema_differences(app) == []
        db.engine.dispose()


def test_the_revision_history_is_a_single_line():
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_every_revision_goes_down_and_up_again_with_data_in_the_database(empty_database):
    """A deployed database holds rows that point to each other: altering a table (SQLite
    copies it) must keep every row and every reference."""
    from casework.demo import seed_demo

    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        seed_demo(cases=15)
        db.session.commit()
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("users", "cases", "parties", "referrals", "audit_log")
        }
        db.session.remove()
        downgrade(revision="0004")
        upgrade()
        after = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("users", "cases", "parties", "referrals")
        }
        assert after == {key: counts[key] for key in after}
        assert counts["cases"] >= 15
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            assert db.session.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
        assert schema_differences(app) == []
        db.engine.dispose()
