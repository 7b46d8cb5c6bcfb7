"""a partial index of the secret cases

Revision ID: 20261204_a
Revises: 20261204_b
Create Date: 2026-12-04 10:00:00.000000

Confidentiality levels (issue 12): the case list, the search, the follow-ups due and the
exports leave out the secret cases a user may not see with ``id NOT IN`` the secret cases
(not theirs), read from this small index, as they leave out archived cases; the counts and
pages stay on the indexes they use.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_a"
down_revision = "20261204_b"
branch_labels = None
depends_on = None

WHERE = sa.text("confidentiality = 'secret'")


def upgrade():
    op.create_index(
        "ix_cases_secret",
        "cases",
        ["id", "assigned_mediator_id"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade():
    op.drop_index("ix_cases_secret", table_name="cases")
