"""versions of rarely changed data, shared by every process

Revision ID: 20261204_i
Revises: 20261204_c
Create Date: 2026-12-04 12:00:00.000000

``data_versions``: one row per kind of cached data (the geography, the vocabularies), given
a new random version by every write to its tables (casework/core/versions.py). Processes key
what they cache by it, so that a change made through one gunicorn worker or host is seen by
the others at their next request (issue 19). The rows are created here, so that existing
databases are cached from the start.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "20261204_i"
down_revision = "20261204_c"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(
        table,
        [{"name": name, "version": secrets.randbits(62)} for name in ("geo", "vocab")],
    )


def downgrade():
    op.drop_table("data_versions")
