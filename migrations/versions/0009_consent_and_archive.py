"""consent to share with the authorities, emergency override of referrals, case archive

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 10:00:00.000000

SQLite cannot add a foreign key to an existing table, and rebuilding ``cases`` or
``parties`` (which other tables reference) fails with foreign keys on once rows exist. So the
new user columns are added in place on SQLite with an inline, named REFERENCES clause, which
SQLite accepts; ``referrals`` (referenced by nothing) is rebuilt for its check constraint.
The downgrade rebuilds the tables on SQLite: it works while no row references them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

# The search index's triggers on ``cases`` (as in 0004), restored after a SQLite rebuild.
SQLITE_SEARCH_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS cases_search_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_au AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END",
)
# (table, column) of the new columns that point to a user.
USER_COLUMNS = (
    ("cases", "archived_by_id"),
    ("parties", "consent_recorded_by_id"),
)


def _fk_name(table: str, column: str) -> str:
    return f"fk_{table}_{column}_users"


def _add_user_column(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {_fk_name(table, column)} REFERENCES users (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(_fk_name(table, column), table, "users", [column], ["id"])


def upgrade():
    op.add_column("cases", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("archive_reason", sa.String(length=2000), nullable=True))
    op.add_column(
        "parties", sa.Column("consent_recorded_at", sa.DateTime(timezone=True), nullable=True)
    )
    for table, column in USER_COLUMNS:
        _add_user_column(table, column)
    op.create_index(
        "ix_cases_archived_at",
        "cases",
        ["archived_at"],
        unique=False,
        sqlite_where=sa.text("archived_at IS NOT NULL"),
        postgresql_where=sa.text("archived_at IS NOT NULL"),
    )

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("emergency_override", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("override_reason", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("override_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            _fk_name("referrals", "override_by_id"), "users", ["override_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_referrals_override_has_reason"),
            sa.text(
                "(emergency_override = (override_reason IS NOT NULL)) "
                "AND (emergency_override = (override_by_id IS NOT NULL))"
            ),
        )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_referrals_override_has_reason"), type_="check")
        batch_op.drop_constraint(_fk_name("referrals", "override_by_id"), type_="foreignkey")
        batch_op.drop_column("override_by_id")
        batch_op.drop_column("override_reason")
        batch_op.drop_column("emergency_override")

    op.drop_index("ix_cases_archived_at", table_name="cases")
    for table, column in reversed(USER_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            # SQLite does not name an inline REFERENCES when it reflects it: the rebuilt
            # table simply leaves the column, and its foreign key, out.
            if not sqlite:
                batch_op.drop_constraint(_fk_name(table, column), type_="foreignkey")
            batch_op.drop_column(column)
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_column("consent_recorded_at")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("archive_reason")
        batch_op.drop_column("archived_at")
    if sqlite:
        # Rebuilding ``cases`` dropped the triggers that keep its search index in step.
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)
