"""indexes on the dates the periodic report and the dashboard filter by

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-28 21:00:00.000000

The report counts what happened in a period: cases closed (``closed_on``, within an area,
with their status for the dashboard's resolution rate), sessions held, agreements concluded,
follow-up visits done, referrals made. The cases carried over from before the period are
counted over every case of the area reported until its end: ``..._counts`` holds every
column that count reads, so it is read from the index alone. Records of the period (sessions
above all) are checked against their case's area and type through
``ix_cases_id_unit_id_conflict_type_reported_on``, a narrow copy of those columns, rather
than through the case's wide row; the period's sessions are read from their index alone,
and the parties' sex and age band and the follow-up visits' rank from theirs.
Without these indexes each of its queries read every
case of the area and everything attached to it (see docs/performance.md).
"""

from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = (
    ("cases", "ix_cases_unit_id_closed_on_status", ["unit_id", "closed_on", "status"]),
    (
        "cases",
        "ix_cases_unit_id_reported_on_counts",
        ["unit_id", "reported_on", "conflict_type", "status", "closed_on"],
    ),
    (
        "cases",
        "ix_cases_id_unit_id_conflict_type_reported_on",
        ["id", "unit_id", "conflict_type", "reported_on"],
    ),
    (
        "mediation_sessions",
        "ix_mediation_sessions_held_on",
        ["held_on", "case_id", "mechanism", "women", "men", "youth"],
    ),
    ("mediation_sessions", "ix_mediation_sessions_case_id_held_on", ["case_id", "held_on"]),
    ("parties", "ix_parties_case_id_sex_age_band", ["case_id", "sex", "age_band"]),
    ("agreements", "ix_agreements_concluded_on", ["concluded_on"]),
    (
        "follow_ups",
        "ix_follow_ups_done_on",
        ["done_on", "case_id", "agreement_id", "due_on", "compliance"],
    ),
    (
        "follow_ups",
        "ix_follow_ups_case_id_agreement_id_due_on",
        ["case_id", "agreement_id", "due_on"],
    ),
    ("referrals", "ix_referrals_referred_on", ["referred_on"]),
)

REPLACED = (
    ("mediation_sessions", "ix_mediation_sessions_case_id"),
    ("parties", "ix_parties_case_id"),
    ("follow_ups", "ix_follow_ups_case_id"),
)


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    # The longer indexes serve every lookup of a case's sessions, parties or visits.
    for table, name in REPLACED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)


def downgrade():
    for table, name in REPLACED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, ["case_id"], unique=False)
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
