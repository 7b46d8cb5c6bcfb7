"""closure with approval: the closure requests, and the case events that record them

Revision ID: 20261204_o
Revises: 20261204_u
Create Date: 2026-12-04 21:00:00.000000

A new table, and the check on case_events.kind widened to the new kinds (closure requested,
approved, returned; recurrence). SQLite rebuilds case_events (batch mode): it carries no
search-index trigger.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_o"
down_revision = "20261204_u"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "created",
    "transition",
    "escalation",
    "session",
    "agreement",
    "referral",
    "follow_up",
    "edited",
    "translated",
    "linked",
)
NEW_KINDS = ("closure_request", "closure_approved", "closure_returned", "recurrence")


def _kinds(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    op.create_table(
        "closure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'returned')",
            name=op.f("ck_closure_requests_status_known"),
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_by_id IS NULL) "
            "AND (decided_by_id IS NULL) = (decided_at IS NULL)",
            name=op.f("ck_closure_requests_decision_recorded"),
        ),
        sa.CheckConstraint(
            "status != 'returned' OR comment IS NOT NULL",
            name=op.f("ck_closure_requests_return_has_comment"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_closure_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_closure_requests_requested_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_closure_requests_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_requests")),
    )
    op.create_index("ix_closure_requests_case_id", "closure_requests", ["case_id"])
    op.create_index(
        "ix_closure_requests_pending",
        "closure_requests",
        ["requested_at"],
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    with op.batch_alter_table("case_events") as batch:
        batch.drop_constraint(op.f("ck_case_events_kind_known"), type_="check")
        batch.create_check_constraint(
            op.f("ck_case_events_kind_known"), sa.text(_kinds(OLD_KINDS + NEW_KINDS))
        )


def downgrade():
    # The events of the new kinds cannot stay under the old check.
    op.execute(
        sa.text("DELETE FROM case_events WHERE " + _kinds(NEW_KINDS))  # noqa: S608
    )
    with op.batch_alter_table("case_events") as batch:
        batch.drop_constraint(op.f("ck_case_events_kind_known"), type_="check")
        batch.create_check_constraint(op.f("ck_case_events_kind_known"), sa.text(_kinds(OLD_KINDS)))
    op.drop_index("ix_closure_requests_pending", table_name="closure_requests")
    op.drop_index("ix_closure_requests_case_id", table_name="closure_requests")
    op.drop_table("closure_requests")
