"""imports: a case's reference in the register it came from, and the submissions imported
from KoboToolbox or ODK Central

Revision ID: 20261204_u
Revises: 20261204_w
Create Date: 2026-12-04 21:00:00.000000

The column is added in place (no copy of the table, so that the search index's triggers stay
on SQLite), with a unique index rather than a constraint for the same reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_u"
down_revision = "20261204_w"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("cases", sa.Column("external_ref", sa.String(length=60), nullable=True))
    op.create_index("ix_cases_external_ref", "cases", ["external_ref"], unique=True)
    op.create_table(
        "imported_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=100), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "form IN ('intake', 'alert', 'visit')",
            name=op.f("ck_imported_submissions_form_known"),
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_imported_submissions_imported_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_submissions")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_imported_submissions_instance_id")),
    )


def downgrade():
    op.drop_table("imported_submissions")
    op.drop_index("ix_cases_external_ref", table_name="cases")
    op.drop_column("cases", "external_ref")
