"""the case's unit on its sessions, agreements, terms, follow-up visits and referrals, and
the report's indexes of one area's rows by date

Revision ID: 20261205_e
Revises: 20261204_z
Create Date: 2026-12-05 02:40:00.000000

The periodic report (issue 19) read every region's sessions, agreements, terms, visits and
referrals of the period, then probed each row's case to keep the area's. Each of these rows
now carries its case's unit (kept by ``casework.cases.row_units`` when the case moves),
filled here from the cases, and an index on the unit and the date the report ranges on
gives one area's rows of a period. The terms that owe an amount get the same partial index
as ``ix_agreement_terms_amount_status``, led by the unit. Columns added in place (no copy of
the tables: other tables refer to them); nullable, as the rows written before were.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261205_e"
down_revision = "20261204_z"
branch_labels = None
depends_on = None

CASE_TABLES = ("mediation_sessions", "agreements", "follow_ups", "referrals")
INDEXES = (
    (
        "ix_mediation_sessions_unit_id_held_on",
        "mediation_sessions",
        ["unit_id", "held_on", "case_id", "mechanism", "women", "men", "youth"],
        None,
    ),
    ("ix_agreements_unit_id_concluded_on", "agreements", ["unit_id", "concluded_on"], None),
    ("ix_agreement_terms_unit_id_due_on", "agreement_terms", ["unit_id", "due_on", "status"], None),
    (
        "ix_agreement_terms_unit_id_amount_status",
        "agreement_terms",
        ["unit_id", "status", "status_on", "agreement_id", "kind", "species", "unpaid"],
        "amount IS NOT NULL",
    ),
    (
        "ix_follow_ups_unit_id_done_on",
        "follow_ups",
        ["unit_id", "done_on", "case_id", "agreement_id", "due_on", "compliance"],
        None,
    ),
    ("ix_referrals_unit_id_referred_on", "referrals", ["unit_id", "referred_on"], None),
)


def upgrade():
    for table in (*CASE_TABLES, "agreement_terms"):
        op.add_column(table, sa.Column("unit_id", sa.Integer(), nullable=True))
    # Correlated subqueries: the same statement on SQLite and PostgreSQL, one seek by the
    # case's (or the agreement's) primary key per row.
    cases = sa.table("cases", sa.column("id"), sa.column("unit_id"))
    for name in CASE_TABLES:
        table = sa.table(name, sa.column("case_id"), sa.column("unit_id"))
        unit = sa.select(cases.c.unit_id).where(cases.c.id == table.c.case_id)
        op.execute(table.update().values(unit_id=unit.scalar_subquery()))
    agreements = sa.table("agreements", sa.column("id"), sa.column("unit_id"))
    terms = sa.table("agreement_terms", sa.column("agreement_id"), sa.column("unit_id"))
    unit = sa.select(agreements.c.unit_id).where(agreements.c.id == terms.c.agreement_id)
    op.execute(terms.update().values(unit_id=unit.scalar_subquery()))
    for name, table, columns, where in INDEXES:
        condition = None if where is None else sa.text(where)
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            sqlite_where=condition,
            postgresql_where=condition,
        )
    _analyze([name for name, *_ in INDEXES])


def _analyze(indexes: list[str]) -> None:
    """On SQLite, the new indexes' statistics where the database keeps statistics (as in
    20261204_x: an index without them looks cheaper to the planner than it is); on
    PostgreSQL, the tables' (their new column's values)."""
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in (*CASE_TABLES, "agreement_terms"):
            connection.exec_driver_sql(f"ANALYZE {table}")
        return
    kept = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).scalar()
    if kept:
        for index in indexes:
            connection.exec_driver_sql(f"ANALYZE {index}")


def downgrade():
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for table in ("agreement_terms", *reversed(CASE_TABLES)):
        op.drop_column(table, "unit_id")
