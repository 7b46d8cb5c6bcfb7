"""the duplicate check at registration: an index on cases (unit, event date, id)

Revision ID: 20261204_y
Revises: 20261204_p
Create Date: 2026-12-04 23:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_y"
down_revision = "20261204_p"
branch_labels = None
depends_on = None

INDEX = "ix_cases_unit_id_event_date"


def upgrade():
    op.create_index(INDEX, "cases", ["unit_id", "event_date", "id"])
    bind = op.get_bind()
    analyzed = bind.dialect.name == "sqlite" and bind.scalar(
        sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    )
    if analyzed:
        # A database analyzed before (the bench's): the new index gets its statistics too.
        # Without them, SQLite's planner took it for the case list's area filter, whose
        # other indexes it knew (207 ms instead of 51 ms at 100 000 cases).
        op.execute(f"ANALYZE {INDEX}")


def downgrade():
    op.drop_index(INDEX, table_name="cases")
