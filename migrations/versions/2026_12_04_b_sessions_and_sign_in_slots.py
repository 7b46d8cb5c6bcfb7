"""sessions kept on the server, and the places held under the sign-in throttle

Revision ID: 20261204_b
Revises: 0011
Create Date: 2026-12-04 10:00:00.000000

``user_sessions``: one row per sign-in on a device; the cookie carries a token whose hash
is kept here, so that signing out ends every copy of the cookie and a session has an
absolute lifetime. Sessions opened before this revision had no row: everyone signs in
again once after the upgrade.

``sign_in_slots``: a sign-in whose password is being checked holds a place under the
throttle, counted as a failure until its attempt is recorded (issue 12).
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_b"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)
    op.create_table(
        "sign_in_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_slots")),
    )
    with op.batch_alter_table("sign_in_slots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_slots_username_reserved_at", ["username", "reserved_at"], unique=False
        )
        batch_op.create_index(
            "ix_sign_in_slots_address_reserved_at", ["address", "reserved_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("sign_in_slots", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_slots_address_reserved_at")
        batch_op.drop_index("ix_sign_in_slots_username_reserved_at")
    op.drop_table("sign_in_slots")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
