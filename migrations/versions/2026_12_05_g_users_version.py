"""a version for the people offered in lists of colleagues

Revision ID: 20261205_g
Revises: 20261205_d
Create Date: 2026-12-05 06:00:00.000000

The case list's filter form is written once per user's choices and kept by each process
(issue 19); its "Mediator" select lists colleagues, so a change to a user's name, role, area
or activity gives the ``users`` row of ``data_versions`` a new version
(casework/auth/models.py). The row is created here, so that existing databases keep their
forms from the start rather than after the first change to a user.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "20261205_g"
down_revision = "20261205_d"
branch_labels = None
depends_on = None

VERSIONS = sa.table(
    "data_versions", sa.column("name", sa.String), sa.column("version", sa.BigInteger)
)


def upgrade():
    present = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(VERSIONS).where(VERSIONS.c.name == "users")
    )
    if not present:
        op.bulk_insert(VERSIONS, [{"name": "users", "version": secrets.randbits(62)}])


def downgrade():
    op.execute(VERSIONS.delete().where(VERSIONS.c.name == "users"))
