"""relays who send alerts by SMS, and the messages the gateway delivered

Revision ID: 20261204_v
Revises: 20261204_k
Create Date: 2026-12-04 20:51:50.112542

``sms_relays``: a relay code, the keyed hash of the phone number (never the number), the
language of the replies and the area reported on. ``sms_messages``: one row per message
(outcome, the number's hash for the hourly limit, the alert made, the reply), never the text.
The alert source ``SMS`` is vocabulary data: ``casework vocab seed`` adds it.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_v"
down_revision = "20261204_k"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sms_relays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relay_code", sa.String(length=32), nullable=False),
        sa.Column("number_hash", sa.String(length=64), nullable=False),
        sa.Column("number_hint", sa.String(length=4), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f("ck_sms_relays_language_known")),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_sms_relays_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_sms_relays_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_relays")),
        sa.UniqueConstraint("number_hash", name=op.f("uq_sms_relays_number_hash")),
        sa.UniqueConstraint("relay_code", name=op.f("uq_sms_relays_relay_code")),
    )
    with op.batch_alter_table("sms_relays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_relays_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "sms_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway_message_id", sa.String(length=80), nullable=False),
        sa.Column("number_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("problem", sa.String(length=24), nullable=True),
        sa.Column("relay_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("reply", sa.String(length=480), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('created', 'malformed', 'unknown_number', 'rate_limited', 'inactive_relay')",
            name=op.f("ck_sms_messages_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_sms_messages_alert_id_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["relay_id"], ["sms_relays.id"], name=op.f("fk_sms_messages_relay_id_sms_relays")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_messages")),
        sa.UniqueConstraint("gateway_message_id", name="uq_sms_messages_gateway_message_id"),
    )
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sms_messages_number_hash_received_at", ["number_hash", "received_at"], unique=False
        )
        batch_op.create_index("ix_sms_messages_received_at", ["received_at"], unique=False)


def downgrade():
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_messages_received_at")
        batch_op.drop_index("ix_sms_messages_number_hash_received_at")

    op.drop_table("sms_messages")
    with op.batch_alter_table("sms_relays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_relays_unit_id"))

    op.drop_table("sms_relays")
