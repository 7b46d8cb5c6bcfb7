"""the duplicate check at registration: an index on cases (unit, event date, id)

Revision ID: 20261204_y
Revises: 20261204_p
Create Date: 2026-12-04 23:45:00.000000
"""

from alembic import op

revision = "20261204_y"
down_revision = "20261204_p"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cases_unit_id_event_date", "cases", ["unit_id", "event_date", "id"])


def downgrade():
    op.drop_index("ix_cases_unit_id_event_date", table_name="cases")
