"""case_counts: the number of cases per unit, status, conflict type, secrecy and archiving

Revision ID: 20261205_f
Revises: 20261205_e
Create Date: 2026-12-05 03:00:00.000000

The case list's "N cases" (issue 19) sums the rows of its area instead of counting every
case of it. Triggers on ``cases`` keep the table in the write's own transaction (every
writer: services, imports, API, sync, anonymisation, the generator's Core inserts); the
table is filled here from the cases. The statements are those of casework/cases/counts.py
as of this revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261205_f"
down_revision = "20261205_e"
branch_labels = None
depends_on = None

SQLITE_CREATE = (
    "CREATE TRIGGER IF NOT EXISTS case_counts_ai AFTER INSERT ON cases BEGIN INSERT INTO "
    "case_counts (unit_id, status, conflict_type, secret, archived, cases) VALUES (new.unit_id, "
    "new.status, new.conflict_type, new.confidentiality = 'secret', new.archived_at IS NOT NULL, "
    "1) ON CONFLICT (unit_id, status, conflict_type, secret, archived) DO UPDATE SET cases = "
    "case_counts.cases + 1; END",
    "CREATE TRIGGER IF NOT EXISTS case_counts_ad AFTER DELETE ON cases BEGIN UPDATE case_counts "
    "SET cases = cases - 1 WHERE unit_id = old.unit_id AND status = old.status AND conflict_type "
    "= old.conflict_type AND secret = (old.confidentiality = 'secret') AND archived = "
    "(old.archived_at IS NOT NULL); END",
    "CREATE TRIGGER IF NOT EXISTS case_counts_au AFTER UPDATE OF unit_id, status, conflict_type, "
    "confidentiality, archived_at ON cases WHEN old.unit_id <> new.unit_id OR old.status <> "
    "new.status OR old.conflict_type <> new.conflict_type OR (old.confidentiality = 'secret') <> "
    "(new.confidentiality = 'secret') OR (old.archived_at IS NULL) <> (new.archived_at IS NULL) "
    "BEGIN UPDATE case_counts SET cases = cases - 1 WHERE unit_id = old.unit_id AND status = "
    "old.status AND conflict_type = old.conflict_type AND secret = (old.confidentiality = "
    "'secret') AND archived = (old.archived_at IS NOT NULL); INSERT INTO case_counts (unit_id, "
    "status, conflict_type, secret, archived, cases) VALUES (new.unit_id, new.status, "
    "new.conflict_type, new.confidentiality = 'secret', new.archived_at IS NOT NULL, 1) ON "
    "CONFLICT (unit_id, status, conflict_type, secret, archived) DO UPDATE SET cases = "
    "case_counts.cases + 1; END",
)
PG_CREATE = (
    # Two rows a move locks, in the order of their keys (no deadlock between two moves).
    (
        "CREATE OR REPLACE FUNCTION case_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND NOT (OLD.unit_id <> NEW.unit_id OR OLD.status <> NEW.status OR "
        "OLD.conflict_type <> NEW.conflict_type OR (OLD.confidentiality = 'secret') <> "
        "(NEW.confidentiality = 'secret') OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)) "
        "THEN RETURN NULL; END IF; IF TG_OP = 'INSERT' THEN INSERT INTO case_counts (unit_id, status,"
        " conflict_type, secret, archived, cases) VALUES (NEW.unit_id, NEW.status, NEW.conflict_type,"
        " NEW.confidentiality = 'secret', NEW.archived_at IS NOT NULL, 1) ON CONFLICT (unit_id, "
        "status, conflict_type, secret, archived) DO UPDATE SET cases = case_counts.cases + 1; RETURN"
        " NULL; END IF; IF TG_OP = 'DELETE' THEN UPDATE case_counts SET cases = cases - 1 WHERE "
        "unit_id = OLD.unit_id AND status = OLD.status AND conflict_type = OLD.conflict_type AND "
        "secret = (OLD.confidentiality = 'secret') AND archived = (OLD.archived_at IS NOT NULL); "
        "RETURN NULL; END IF; IF ROW(OLD.unit_id, OLD.status, OLD.conflict_type, OLD.confidentiality "
        "= 'secret', OLD.archived_at IS NOT NULL) < ROW(NEW.unit_id, NEW.status, NEW.conflict_type, "
        "NEW.confidentiality = 'secret', NEW.archived_at IS NOT NULL) THEN UPDATE case_counts SET "
        "cases = cases - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status AND conflict_type = "
        "OLD.conflict_type AND secret = (OLD.confidentiality = 'secret') AND archived = "
        "(OLD.archived_at IS NOT NULL); INSERT INTO case_counts (unit_id, status, conflict_type, "
        "secret, archived, cases) VALUES (NEW.unit_id, NEW.status, NEW.conflict_type, "
        "NEW.confidentiality = 'secret', NEW.archived_at IS NOT NULL, 1) ON CONFLICT (unit_id, "
        "status, conflict_type, secret, archived) DO UPDATE SET cases = case_counts.cases + 1; ELSE "
        "INSERT INTO case_counts (unit_id, status, conflict_type, secret, archived, cases) VALUES "
        "(NEW.unit_id, NEW.status, NEW.conflict_type, NEW.confidentiality = 'secret', NEW.archived_at"
        " IS NOT NULL, 1) ON CONFLICT (unit_id, status, conflict_type, secret, archived) DO UPDATE "
        "SET cases = case_counts.cases + 1; UPDATE case_counts SET cases = cases - 1 WHERE unit_id = "
        "OLD.unit_id AND status = OLD.status AND conflict_type = OLD.conflict_type AND secret = "
        "(OLD.confidentiality = 'secret') AND archived = (OLD.archived_at IS NOT NULL); END IF; "
        "RETURN NULL; END $$"
    ),
    "DROP TRIGGER IF EXISTS case_counts_keep ON cases",
    "CREATE TRIGGER case_counts_keep AFTER INSERT OR DELETE OR UPDATE OF unit_id, status, "
    "conflict_type, confidentiality, archived_at ON cases FOR EACH ROW EXECUTE FUNCTION "
    "case_counts_keep()",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS case_counts_ai",
    "DROP TRIGGER IF EXISTS case_counts_ad",
    "DROP TRIGGER IF EXISTS case_counts_au",
)
PG_DROP = (
    "DROP TRIGGER IF EXISTS case_counts_keep ON cases",
    "DROP FUNCTION IF EXISTS case_counts_keep()",
)
FILL = (
    "INSERT INTO case_counts (unit_id, status, conflict_type, secret, archived, cases) "
    "SELECT unit_id, status, conflict_type, confidentiality = 'secret', "
    "archived_at IS NOT NULL, count(*) FROM cases "
    "GROUP BY unit_id, status, conflict_type, confidentiality = 'secret', "
    "archived_at IS NOT NULL"
)


def upgrade():
    op.create_table(
        "case_counts",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("conflict_type", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_case_counts_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint(
            "unit_id", "status", "conflict_type", "secret", "archived", name=op.f("pk_case_counts")
        ),
    )
    bind = op.get_bind()
    op.execute(FILL)
    for statement in PG_CREATE if bind.dialect.name == "postgresql" else SQLITE_CREATE:
        bind.exec_driver_sql(statement)


def downgrade():
    bind = op.get_bind()
    for statement in PG_DROP if bind.dialect.name == "postgresql" else SQLITE_DROP:
        bind.exec_driver_sql(statement)
    op.drop_table("case_counts")
