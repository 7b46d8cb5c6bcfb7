"""the coordinator's highlights ("faits marquants") of an area for a report's period; the
report's covering indexes on cases also hold deaths and serious injuries (the triage rule)

Revision ID: 20261204_p
Revises: 20261204_s
Create Date: 2026-12-04 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_p"
down_revision = "20261204_s"
branch_labels = None
depends_on = None


# The report's covering indexes on cases: their columns before, and the two added after.
COVERING = {
    "ix_cases_unit_id_reported_on_counts": [
        "unit_id",
        "reported_on",
        "conflict_type",
        "status",
        "closed_on",
    ],
    "ix_cases_id_unit_id_conflict_type_reported_on": [
        "id",
        "unit_id",
        "conflict_type",
        "reported_on",
    ],
    "ix_cases_unit_id_conflict_type_status_reported_on": [
        "unit_id",
        "conflict_type",
        "status",
        "reported_on",
    ],
}
TRIAGE = ["deaths", "injuries_serious"]


def upgrade():
    for name, columns in COVERING.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", [*columns, *TRIAGE])
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
    for name, columns in COVERING.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", columns)
