"""referral rules by kind of case: the parties told of a crime's referral, the survivor of
gender-based violence, the users trained for such cases (issue 15)

Revision ID: 20261204_r
Revises: 20261204_n
Create Date: 2026-12-04 21:00:00.000000

Columns added in place with a server default (no copy of the table, so that the search
index's triggers stay on SQLite); existing users are not trained, existing parties are not
survivors: an administrator marks the trained users after the upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_r"
down_revision = "20261204_n"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "users",
        sa.Column("gbv_trained", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "parties",
        sa.Column("is_survivor", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "referral_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("means", sa.String(length=12), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "means IN ('in_person', 'phone', 'chief', 'written')",
            name=op.f("ck_referral_notices_means_known"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_referral_notices_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_referral_notices_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_notices_referral_id_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_notices")),
        sa.UniqueConstraint(
            "referral_id", "party_id", name=op.f("uq_referral_notices_referral_id_party_id")
        ),
    )
    op.create_index("ix_referral_notices_party_id", "referral_notices", ["party_id"])


def downgrade():
    op.drop_index("ix_referral_notices_party_id", table_name="referral_notices")
    op.drop_table("referral_notices")
    op.drop_column("parties", "is_survivor")
    op.drop_column("users", "gbv_trained")
