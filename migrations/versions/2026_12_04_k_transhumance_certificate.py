"""the number of a herd's ECOWAS international transhumance certificate, on its case

Revision ID: 20261204_k
Revises: 20261204_i
Create Date: 2026-12-04 19:30:00.000000

A nullable column, added in place (no copy of the table, so that the search index's triggers
stay on SQLite).
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_k"
down_revision = "20261204_i"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "cases", sa.Column("transhumance_certificate", sa.String(length=40), nullable=True)
    )


def downgrade():
    op.drop_column("cases", "transhumance_certificate")
