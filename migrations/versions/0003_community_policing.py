"""community policing and early warning

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 18:00:39.902037
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "alert_thresholds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("alert_count", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "alert_count >= 1", name=op.f("ck_alert_thresholds_alert_count_positive")
        ),
        sa.CheckConstraint(
            "window_days >= 1", name=op.f("ck_alert_thresholds_window_days_positive")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_alert_thresholds_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_thresholds")),
        sa.UniqueConstraint(
            "unit_id", "category", name=op.f("uq_alert_thresholds_unit_id_category")
        ),
    )
    op.create_table(
        "security_committees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("chair", sa.String(length=160), nullable=True),
        sa.Column("monthly_target", sa.Integer(), server_default="1", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "monthly_target IS NULL OR monthly_target >= 0",
            name=op.f("ck_security_committees_monthly_target_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_security_committees_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_committees")),
    )
    with op.batch_alter_table("security_committees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_security_committees_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "committee_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("agenda", sa.String(length=2000), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "men IS NULL OR men >= 0", name=op.f("ck_committee_meetings_men_not_negative")
        ),
        sa.CheckConstraint(
            "women IS NULL OR women >= 0", name=op.f("ck_committee_meetings_women_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["security_committees.id"],
            name=op.f("fk_committee_meetings_committee_id_security_committees"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_committee_meetings_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meetings")),
    )
    with op.batch_alter_table("committee_meetings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_committee_meetings_committee_id_held_on", ["committee_id", "held_on"], unique=False
        )

    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("function", sa.String(length=160), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("sex IN ('F', 'M', 'U')", name=op.f("ck_committee_members_sex_known")),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["security_committees.id"],
            name=op.f("fk_committee_members_committee_id_security_committees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_members_committee_id"), ["committee_id"], unique=False
        )

    op.create_table(
        "police_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("force", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("focal_point_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "force IN ('police', 'gendarmerie', 'garde_nationale', 'mixed')",
            name=op.f("ck_police_units_force_known"),
        ),
        sa.ForeignKeyConstraint(
            ["focal_point_id"], ["users.id"], name=op.f("fk_police_units_focal_point_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_police_units_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_units")),
    )
    with op.batch_alter_table("police_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_police_units_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=160), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("urgency", sa.Integer(), nullable=False),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column("relay_code", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_search", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("forwarded_to", sa.String(length=40), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response", sa.String(length=2000), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("police_unit_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "forwarded_at IS NULL OR forwarded_at >= occurred_at",
            name=op.f("ck_alerts_forwarded_after_alert"),
        ),
        sa.CheckConstraint(
            "responded_at IS NULL OR responded_at >= occurred_at",
            name=op.f("ck_alerts_response_after_alert"),
        ),
        sa.CheckConstraint("urgency BETWEEN 1 AND 3", name=op.f("ck_alerts_urgency_range")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_alerts_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["police_unit_id"],
            ["police_units.id"],
            name=op.f("fk_alerts_police_unit_id_police_units"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_alerts_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_alerts_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("case_id", name=op.f("uq_alerts_case_id")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index(
            "ix_alerts_unit_id_category_occurred_at",
            ["unit_id", "category", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "meeting_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("responsible", sa.String(length=160), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'in_progress', 'done')",
            name=op.f("ck_meeting_recommendations_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_meeting_recommendations_meeting_id_committee_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_recommendations")),
    )
    with op.batch_alter_table("meeting_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_recommendations_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "police_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_type", sa.String(length=40), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("police_unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=160), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("topic_search", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("youth", sa.Integer(), nullable=False),
        sa.Column("alerts_raised", sa.Integer(), nullable=False),
        sa.Column("cases_created", sa.Integer(), nullable=False),
        sa.Column("cases_referred", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "alerts_raised IS NULL OR alerts_raised >= 0",
            name=op.f("ck_police_activities_alerts_raised_not_negative"),
        ),
        sa.CheckConstraint(
            "cases_created IS NULL OR cases_created >= 0",
            name=op.f("ck_police_activities_cases_created_not_negative"),
        ),
        sa.CheckConstraint(
            "cases_referred IS NULL OR cases_referred >= 0",
            name=op.f("ck_police_activities_cases_referred_not_negative"),
        ),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes >= 0",
            name=op.f("ck_police_activities_duration_minutes_not_negative"),
        ),
        sa.CheckConstraint(
            "men IS NULL OR men >= 0", name=op.f("ck_police_activities_men_not_negative")
        ),
        sa.CheckConstraint(
            "participants IS NULL OR participants >= 0",
            name=op.f("ck_police_activities_participants_not_negative"),
        ),
        sa.CheckConstraint(
            "women IS NULL OR women >= 0", name=op.f("ck_police_activities_women_not_negative")
        ),
        sa.CheckConstraint(
            "youth IS NULL OR youth >= 0", name=op.f("ck_police_activities_youth_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["police_unit_id"],
            ["police_units.id"],
            name=op.f("fk_police_activities_police_unit_id_police_units"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_police_activities_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_police_activities_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_activities")),
    )
    with op.batch_alter_table("police_activities", schema=None) as batch_op:
        batch_op.create_index("ix_police_activities_held_on", ["held_on"], unique=False)
        batch_op.create_index(
            "ix_police_activities_police_unit_id", ["police_unit_id"], unique=False
        )
        batch_op.create_index("ix_police_activities_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "activity_cases",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["police_activities.id"],
            name=op.f("fk_activity_cases_activity_id_police_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_activity_cases_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("activity_id", "case_id", name=op.f("pk_activity_cases")),
    )


def downgrade():

    op.drop_table("activity_cases")
    with op.batch_alter_table("police_activities", schema=None) as batch_op:
        batch_op.drop_index("ix_police_activities_unit_id")
        batch_op.drop_index("ix_police_activities_police_unit_id")
        batch_op.drop_index("ix_police_activities_held_on")

    op.drop_table("police_activities")
    with op.batch_alter_table("meeting_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_recommendations_meeting_id"))

    op.drop_table("meeting_recommendations")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_unit_id_category_occurred_at")
        batch_op.drop_index("ix_alerts_occurred_at")

    op.drop_table("alerts")
    with op.batch_alter_table("police_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_police_units_unit_id"))

    op.drop_table("police_units")
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_committee_id"))

    op.drop_table("committee_members")
    with op.batch_alter_table("committee_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_committee_meetings_committee_id_held_on")

    op.drop_table("committee_meetings")
    with op.batch_alter_table("security_committees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_security_committees_unit_id"))

    op.drop_table("security_committees")
    op.drop_table("alert_thresholds")
