"""the coordinator's highlights ("faits marquants") of an area for a report's period

Revision ID: 20261204_p
Revises: 20261204_k
Create Date: 2026-12-04 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_p"
down_revision = "20261204_k"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_highlights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_code", sa.String(length=40), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "COALESCE(text_fr, '') <> '' OR COALESCE(text_en, '') <> ''",
            name=op.f("ck_report_highlights_has_text"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_report_highlights_unit_id_admin_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_report_highlights_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_highlights")),
        sa.UniqueConstraint(
            "unit_id", "period_code", name=op.f("uq_report_highlights_unit_id_period_code")
        ),
    )


def downgrade():
    op.drop_table("report_highlights")
