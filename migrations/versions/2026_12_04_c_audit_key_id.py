"""the audit trail's entries name the key of their HMAC (key_id); older entries keep none

Revision ID: 20261204_c
Revises: 20261204_a
Create Date: 2026-12-04 10:00:00.000000

A column is added, no row is rewritten: the triggers of 0005 refuse UPDATE on the log, and
entries written before this revision keep their plain SHA-256, which `casework audit verify`
still checks. On SQLite the column is added in place (ALTER TABLE ADD COLUMN), not by
copying the table, so that the triggers stay.

Downgrading drops the column: entries written with a key then no longer verify with the
older code (their hash is an HMAC); take an anchor (`casework audit verify`) first.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_c"
down_revision = "20261204_a"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("audit_log", sa.Column("key_id", sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column("audit_log", "key_id")
