"""the case ids in PostgreSQL's indexes of a unit's cases by status and of the conflict types

Revision ID: 20261204_z
Revises: 20261204_x
Create Date: 2026-12-04 23:59:00.000000

The dashboard and the follow-ups due (issue 19) read the ids of an area's cases of a few
statuses, and the ids of the gender-based violence cases, from these indexes. SQLite keeps
the rowid (the id) in every index; PostgreSQL does not, and read every case row of the
area from the table. On PostgreSQL the two indexes now carry the id (INCLUDE), so that
these reads touch the index alone; on SQLite nothing changes.
"""

from alembic import op

revision = "20261204_z"
down_revision = "20261204_x"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_cases_unit_id_status", ["unit_id", "status"]),
    ("ix_cases_conflict_type", ["conflict_type"]),
)


def _recreate(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES:
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", columns, postgresql_include=include)


def upgrade():
    _recreate(["id"])


def downgrade():
    _recreate([])
