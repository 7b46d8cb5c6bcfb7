"""the terms of an agreement as tracked obligations: kind, amount, status, instalments; the
agreement's breach

Revision ID: 20261204_n
Revises: 20261204_q
Create Date: 2026-12-04 21:00:00.000000

``agreement_terms`` (referenced by nothing until ``term_instalments``) and ``case_events``
(referenced by nothing) are rebuilt on SQLite for their check constraints; ``agreements``
(referenced by terms and visits) only gains two nullable columns in place.

Existing data is mapped: an agreement's compensation in FCFA becomes a cash term (a diya term
when the diya box was ticked), its livestock heads a livestock term ("other" species: the old
field did not say which), unless the agreement already has such a term; a ticked diya with
no amount becomes a diya term without an amount. These terms are done when the case was
closed resolved, pending otherwise. An agreement whose visit found "not respected" is
marked breached on the first such visit. The agreement's own fields are kept as signed.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_n"
down_revision = "20261204_q"
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
    # Added by 20261204_o (closure requests, recurrences) and 20261204_q (returns).
    "closure_request",
    "closure_approved",
    "closure_returned",
    "recurrence",
    "return",
)
NEW_KINDS = (*OLD_KINDS, "term", "breach")
# The descriptions of the terms made of the old compensation fields (SQL literals).
MAPPED = (
    "'Compensation (FCFA) / indemnisation (FCFA)'",
    "'Diya'",
    "'Livestock / bétail'",
)


def _kinds(kinds) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def _set_event_kinds(kinds) -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_case_events_kind_known"), sa.text(_kinds(kinds)))


def upgrade():
    _set_event_kinds(NEW_KINDS)
    op.add_column("agreements", sa.Column("breached_on", sa.Date(), nullable=True))
    op.add_column("agreements", sa.Column("breach_reason", sa.String(length=2000), nullable=True))
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="action", nullable=False)
        )
        batch_op.add_column(sa.Column("species", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="pending", nullable=False)
        )
        batch_op.add_column(sa.Column("status_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("status_note", sa.String(length=2000), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_agreement_terms_kind_known"),
            sa.text("kind IN ('action', 'cash', 'livestock', 'restitution', 'diya')"),
        )
        batch_op.create_check_constraint(
            op.f("ck_agreement_terms_status_known"),
            sa.text("status IN ('pending', 'partly_done', 'done', 'breached')"),
        )
        batch_op.create_check_constraint(
            op.f("ck_agreement_terms_amount_not_negative"), sa.text("amount IS NULL OR amount >= 0")
        )
        batch_op.create_check_constraint(
            op.f("ck_agreement_terms_species_known"),
            sa.text(
                "species IS NULL OR species IN ('cattle', 'camels', 'small_ruminants', 'other')"
            ),
        )
        batch_op.create_check_constraint(
            op.f("ck_agreement_terms_species_for_livestock"),
            sa.text("(kind = 'livestock') = (species IS NOT NULL)"),
        )
        batch_op.create_index(
            "ix_agreement_terms_due_on_status", ["due_on", "status"], unique=False
        )
    op.create_table(
        "term_instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("amount_due", sa.BigInteger(), nullable=True),
        sa.Column("amount_paid", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("received_by", sa.String(length=160), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_due IS NULL OR amount_due >= 0",
            name=op.f("ck_term_instalments_amount_due_not_negative"),
        ),
        sa.CheckConstraint(
            "amount_paid > 0", name=op.f("ck_term_instalments_amount_paid_positive")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_term_instalments_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["agreement_terms.id"],
            name=op.f("fk_term_instalments_term_id_agreement_terms"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_instalments")),
    )
    op.create_index("ix_term_instalments_term_id", "term_instalments", ["term_id"], unique=False)
    _map_existing_agreements()


def _map_existing_agreements() -> None:
    done = (
        "CASE WHEN (SELECT status FROM cases WHERE cases.id = agreements.case_id) "
        "= 'CLOTURE_RESOLU' THEN 'done' ELSE 'pending' END"
    )
    done_on = (
        "CASE WHEN (SELECT status FROM cases WHERE cases.id = agreements.case_id) "
        "= 'CLOTURE_RESOLU' THEN (SELECT closed_on FROM cases WHERE cases.id = agreements.case_id) "
        "END"
    )
    for kind, description, amount, species, condition in (
        (
            "CASE WHEN diya THEN 'diya' ELSE 'cash' END",
            MAPPED[0],
            "compensation_fcfa",
            "NULL",
            "compensation_fcfa > 0",
        ),
        (
            "'diya'",
            MAPPED[1],
            "NULL",
            "NULL",
            "diya AND (compensation_fcfa IS NULL OR compensation_fcfa = 0)",
        ),
        (
            "'livestock'",
            MAPPED[2],
            "livestock_heads",
            "'other'",
            "livestock_heads > 0",
        ),
    ):
        op.execute(
            "INSERT INTO agreement_terms "  # noqa: S608 - fixed SQL, no input
            "(agreement_id, description, kind, species, amount, status, status_on) "
            f"SELECT id, {description}, {kind}, {species}, {amount}, {done}, {done_on} "
            f"FROM agreements WHERE {condition} AND NOT EXISTS (SELECT 1 FROM agreement_terms t "
            f"WHERE t.agreement_id = agreements.id AND t.kind = {kind})"
        )
    op.execute(
        "UPDATE agreements SET breached_on = (SELECT min(f.done_on) FROM follow_ups f "
        "WHERE f.agreement_id = agreements.id AND f.compliance = 'not_respected'), "
        "breach_reason = 'Follow-up visit: not respected / visite de suivi : non respecté' "
        "WHERE EXISTS (SELECT 1 FROM follow_ups f WHERE f.agreement_id = agreements.id "
        "AND f.compliance = 'not_respected')"
    )


def downgrade():
    op.drop_index("ix_term_instalments_term_id", table_name="term_instalments")
    op.drop_table("term_instalments")
    # The terms the upgrade made of the old fields (those fields are still there).
    op.execute(
        "DELETE FROM agreement_terms WHERE kind <> 'action' AND description IN ({})".format(  # noqa: S608 - fixed SQL
            ", ".join(MAPPED)
        )
    )
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_agreement_terms_due_on_status")
        for name in (
            "species_for_livestock",
            "species_known",
            "amount_not_negative",
            "status_known",
            "kind_known",
        ):
            batch_op.drop_constraint(op.f(f"ck_agreement_terms_{name}"), type_="check")
        for column in ("status_note", "status_on", "status", "amount", "species", "kind"):
            batch_op.drop_column(column)
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_column("breach_reason")
        batch_op.drop_column("breached_on")
    # The events of the new kinds are kept, under the nearest older kind.
    op.execute("UPDATE case_events SET kind = 'agreement' WHERE kind IN ('term', 'breach')")
    _set_event_kinds(OLD_KINDS)
