"""each case's earliest visit or term owed (``cases.next_due_on``), by area

Revision ID: 20261205_d
Revises: 20261205_f
Create Date: 2026-12-05 02:40:00.000000

The dashboard and "Follow-ups due" (issue 19) probed the visits and terms of every open case
of the area (≈16 000 for a region at 100 000 cases). Each case now keeps the earliest date
it owes: a visit not yet made while it is in agreement, follow-up or closed as resolved, a
term pending or partly done while it is in agreement or follow-up (NULL when nothing is
owed; casework/cases/due.py keeps it in the same flush as the rows it is computed from).
The pages read the area's cases owing something within their horizon from a partial index
and only those cases' visits and terms: an agreement's terms by status and date, and an
area's alerts by date (the dashboard's alerts of the week read every alert of each unit), are
read from two new indexes.

Filled here for the existing cases with one UPDATE, the statement of
``casework.cases.due.next_due_expression`` written out.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261205_d"
down_revision = "20261205_f"
branch_labels = None
depends_on = None

INDEX = "ix_cases_unit_id_next_due_on"
TERMS_INDEX = "ix_agreement_terms_agreement_id_status_due_on"
ALERTS_INDEX = "ix_alerts_unit_id_occurred_at"

VISITS = """(CASE WHEN cases.status IN ('ACCORD', 'SUIVI', 'CLOTURE_RESOLU') THEN (
    SELECT min(follow_ups.due_on) FROM follow_ups
    WHERE follow_ups.case_id = cases.id AND follow_ups.done_on IS NULL
) END)"""
TERMS = """(CASE WHEN cases.status IN ('ACCORD', 'SUIVI') THEN (
    SELECT min(agreement_terms.due_on) FROM agreement_terms
    JOIN agreements ON agreements.id = agreement_terms.agreement_id
    WHERE agreements.case_id = cases.id AND agreement_terms.status IN ('pending', 'partly_done')
) END)"""
# The earlier of the two, either of which may be NULL; only these statuses owe anything.
FILL = f"""UPDATE cases SET next_due_on = CASE
    WHEN {VISITS} IS NULL THEN {TERMS}
    WHEN {TERMS} IS NULL THEN {VISITS}
    WHEN {VISITS} <= {TERMS} THEN {VISITS}
    ELSE {TERMS}
END
WHERE cases.status IN ('ACCORD', 'SUIVI', 'CLOTURE_RESOLU')"""  # noqa: S608 - constants


def upgrade():
    op.add_column("cases", sa.Column("next_due_on", sa.Date(), nullable=True))
    op.execute(FILL)
    op.create_index(
        TERMS_INDEX,
        "agreement_terms",
        ["agreement_id", "status", "due_on"],
        unique=False,
        postgresql_include=["id"],
    )
    op.create_index(ALERTS_INDEX, "alerts", ["unit_id", "occurred_at", "category"], unique=False)
    op.create_index(
        INDEX,
        "cases",
        ["unit_id", "next_due_on", "status", "conflict_type"],
        unique=False,
        sqlite_where=sa.text("next_due_on IS NOT NULL"),
        postgresql_where=sa.text("next_due_on IS NOT NULL"),
        postgresql_include=["id"],
    )


def downgrade():
    op.drop_index(INDEX, table_name="cases")
    op.drop_index(ALERTS_INDEX, table_name="alerts")
    op.drop_index(TERMS_INDEX, table_name="agreement_terms")
    op.drop_column("cases", "next_due_on")  # SQLite drops a column no index names
