"""what each term of an agreement still has unpaid, and the report's indexes on the terms
that owe an amount and on the instalments by date

Revision ID: 20261204_x
Revises: 20261204_p
Create Date: 2026-12-04 23:45:00.000000

``agreement_terms.unpaid`` is the term's amount minus the instalments paid towards it (none
for a term without an amount), filled here for the terms already recorded. The report's
compensation outstanding reads it from the partial index on the terms with an amount, by
status and date, instead of every term and instalment of the area's agreements. Added in
place (no copy of the table: ``term_instalments`` refers to it).
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_x"
down_revision = "20261204_p"
branch_labels = None
depends_on = None

AMOUNT_STATUS_COLUMNS = ["status", "status_on", "agreement_id", "kind", "species", "unpaid"]


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


def downgrade():
    op.drop_index("ix_term_instalments_paid_on", table_name="term_instalments")
    op.drop_index("ix_agreement_terms_amount_status", table_name="agreement_terms")
    op.drop_column("agreement_terms", "unpaid")
