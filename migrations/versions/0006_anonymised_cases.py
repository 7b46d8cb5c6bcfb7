"""cases remember when their personal data was removed (casework anonymise)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00.000000

A plain ADD/DROP COLUMN (no batch mode): recreating ``cases`` on SQLite would drop the
search index's triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("cases", sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("cases", "anonymised_at")
