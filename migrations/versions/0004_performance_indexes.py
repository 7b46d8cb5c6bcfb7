"""indexes for the case list at scale, and the search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 19:00:00.000000

The search index (SQLite: an FTS5 trigram table kept in step by triggers; PostgreSQL: a
pg_trgm GIN index) cannot be declared by the models; casework/cases/search_index.py creates
the same objects for create_all, and the migration test leaves them out of its comparison.
The statements are repeated here so that the revision never imports the app.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search USING fts5("
    "search_text, content='cases', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS cases_search_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_au AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS cases_search_ai",
    "DROP TRIGGER IF EXISTS cases_search_ad",
    "DROP TRIGGER IF EXISTS cases_search_au",
    "DROP TABLE IF EXISTS cases_search",
)
PG_OPCLASS_VISIBLE = (
    "SELECT count(*) FROM pg_opclass WHERE opcname = 'gin_trgm_ops' AND pg_opclass_is_visible(oid)"
)


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_reported_on", ["reported_on"], unique=False)
        batch_op.create_index(
            "ix_cases_unit_id_reported_on", ["unit_id", "reported_on"], unique=False
        )
        batch_op.create_index(
            "ix_cases_unit_id_conflict_type_status_reported_on",
            ["unit_id", "conflict_type", "status", "reported_on"],
            unique=False,
        )
        for column in ("recurrence_of_id", "civil_case_of_id"):
            batch_op.create_index(
                f"ix_cases_{column}",
                [column],
                unique=False,
                sqlite_where=sa.text(f"{column} IS NOT NULL"),
                postgresql_where=sa.text(f"{column} IS NOT NULL"),
            )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        if not bind.scalar(sa.text(PG_OPCLASS_VISIBLE)):
            try:
                with bind.begin_nested():
                    bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except sa.exc.DBAPIError:
                pass  # no right to create it: search keeps working, without the index
        if bind.scalar(sa.text(PG_OPCLASS_VISIBLE)):
            op.execute(
                "CREATE INDEX IF NOT EXISTS ix_cases_search_text_trgm "
                "ON cases USING gin (search_text gin_trgm_ops)"
            )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_text_trgm")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_civil_case_of_id")
        batch_op.drop_index("ix_cases_recurrence_of_id")
        batch_op.drop_index("ix_cases_unit_id_conflict_type_status_reported_on")
        batch_op.drop_index("ix_cases_unit_id_reported_on")
        batch_op.drop_index("ix_cases_reported_on")
