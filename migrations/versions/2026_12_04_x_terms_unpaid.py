"""what each term of an agreement still has unpaid; the report's indexes on the terms that
owe an amount, the instalments by date, the breaches found, and the cases closed

Revision ID: 20261204_x
Revises: 20261204_y
Create Date: 2026-12-04 23:45:00.000000

``agreement_terms.unpaid`` is the term's amount minus the instalments paid towards it (none
for a term without an amount), filled here for the terms already recorded. The report's
compensation outstanding reads it from the partial index on the terms with an amount, by
status and date, instead of every term and instalment of the area's agreements. Added in
place (no copy of the table: ``term_instalments`` refers to it).

The recurrence (cases settled in the 12 months before the period, and whether each was
breached or recurred) reads the cases closed from their index alone (it gains the triage
rule's columns, as the other covering indexes did in 20261204_p, and the report date) and asks each case's
breaches of two small partial indexes.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_x"
down_revision = "20261204_y"
branch_labels = None
depends_on = None

AMOUNT_STATUS_COLUMNS = ["status", "status_on", "agreement_id", "kind", "species", "unpaid"]
CLOSED = "ix_cases_unit_id_closed_on_status"
CLOSED_COLUMNS = ["unit_id", "closed_on", "status"]
COVERED = ["conflict_type", "deaths", "injuries_serious", "reported_on"]


def upgrade():
    op.add_column("agreement_terms", sa.Column("unpaid", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE agreement_terms SET unpaid = amount - COALESCE("
        "(SELECT SUM(term_instalments.amount_paid) FROM term_instalments "
        "WHERE term_instalments.term_id = agreement_terms.id), 0) "
        "WHERE amount IS NOT NULL"
    )
    op.create_index(
        "ix_agreement_terms_amount_status",
        "agreement_terms",
        AMOUNT_STATUS_COLUMNS,
        unique=False,
        sqlite_where=sa.text("amount IS NOT NULL"),
        postgresql_where=sa.text("amount IS NOT NULL"),
    )
    op.create_index(
        "ix_term_instalments_paid_on",
        "term_instalments",
        ["paid_on", "term_id", "amount_paid"],
        unique=False,
    )
    op.drop_index(CLOSED, table_name="cases")
    op.create_index(CLOSED, "cases", [*CLOSED_COLUMNS, *COVERED], unique=False)
    op.create_index(
        "ix_follow_ups_not_respected",
        "follow_ups",
        ["case_id", "done_on"],
        unique=False,
        sqlite_where=sa.text("compliance = 'not_respected'"),
        postgresql_where=sa.text("compliance = 'not_respected'"),
    )
    op.create_index(
        "ix_agreements_breached",
        "agreements",
        ["case_id", "breached_on"],
        unique=False,
        sqlite_where=sa.text("breached_on IS NOT NULL"),
        postgresql_where=sa.text("breached_on IS NOT NULL"),
    )

    _analyze(
        [
            "ix_agreement_terms_amount_status",
            "ix_term_instalments_paid_on",
            CLOSED,
            "ix_follow_ups_not_respected",
            "ix_agreements_breached",
        ]
    )


def _analyze(indexes: list[str]) -> None:
    """On SQLite, the new indexes' statistics, where the database keeps statistics (it was
    analysed): an index without them looks cheaper to the planner than it is, and it
    chose the closed cases' index for queries that never ask for closures."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    kept = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).scalar()
    if kept:
        for index in indexes:
            connection.exec_driver_sql(f"ANALYZE {index}")


def downgrade():
    op.drop_index("ix_agreements_breached", table_name="agreements")
    op.drop_index("ix_follow_ups_not_respected", table_name="follow_ups")
    op.drop_index(CLOSED, table_name="cases")
    op.create_index(CLOSED, "cases", CLOSED_COLUMNS, unique=False)
    op.drop_index("ix_term_instalments_paid_on", table_name="term_instalments")
    op.drop_index("ix_agreement_terms_amount_status", table_name="agreement_terms")
    op.drop_column("agreement_terms", "unpaid")
