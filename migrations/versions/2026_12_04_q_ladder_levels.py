"""levels that fit the field: a case's entry level and sending institution, a session's level
from who sat (with the reason of a level set by hand), referrals on a formal track with their
own outcome, and the "return" down the ladder in the case history (issue 15)

Revision ID: 20261204_q
Revises: 20261204_t
Create Date: 2026-12-04 21:00:00.000000

``cases`` is not rebuilt (rows of other tables point to it, and its search index's triggers
live on it in SQLite): its columns are added in place, the entry level's check inline on
SQLite. ``referrals`` and ``case_events`` (referenced by nothing) are rebuilt for their checks.

Existing data: a session's level is set from its actors' types, else its mechanism, when they
say it (a frozen copy of casework.cases.levels); a case's entry level is the level of its
first event; a case's level becomes the highest its sessions reached, unless it was ever sent
back down the ladder.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_q"
down_revision = "20261204_t"
branch_labels = None
depends_on = None

ENTRY_CHECK = "entry_level BETWEEN 0 AND 5"
RESULT_CHECK = "result IS NULL OR result IN ('sent_back', 'settled', 'not_settled')"
KINDS_BEFORE = (
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
    # Added by 20261204_o (closure requests and recurrences).
    "closure_request",
    "closure_approved",
    "closure_returned",
    "recurrence",
)
KINDS_AFTER = (*KINDS_BEFORE, "return")

# casework.cases.levels as of this revision.
ACTOR_LEVELS = {
    "NOTABLE": 1,
    "GRIOT": 1,
    "PARENT_PLAISANTERIE": 1,
    "MARABOUT": 1,
    "CHEF_VILLAGE": 2,
    "CHEF_FRACTION": 2,
    "CHEF_QUARTIER": 2,
    "CONSEILLER": 2,
    "CADI": 2,
    "IMAM": 2,
    "AMENOKAL": 2,
    "DIORO": 2,
    "OULEMA": 2,
    "MAIRE": 3,
    "MEMBRE_COFO": 3,
    "MEMBRE_COMITE_PAIX": 3,
    "MEMBRE_CCS": 3,
    "SOUS_PREFET": 4,
    "PREFET": 4,
    "GOUVERNEUR": 4,
    "JUGE": 5,
    "GENDARMERIE": 5,
    "POLICE": 5,
    "GARDE_NATIONALE": 5,
}
MECHANISM_LEVELS = {
    "AMIABLE": 0,
    "COUSINAGE_PLAISANTERIE": 1,
    "CONCILIATION_CHEF": 2,
    "ARBITRAGE_RELIGIEUX": 2,
    "SERMENT_CORAN": 2,
    "COFO_CONCILIATION": 3,
    "CCS_CONCERTATION": 3,
    "ADMINISTRATIF": 4,
    "JUDICIAIRE": 5,
}


def _kinds_check(kinds) -> sa.TextClause:
    return sa.text("kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(
            "ALTER TABLE cases ADD COLUMN entry_level INTEGER DEFAULT '0' NOT NULL "
            f"CONSTRAINT ck_cases_entry_level_range CHECK ({ENTRY_CHECK})"
        )
    else:
        op.add_column(
            "cases", sa.Column("entry_level", sa.Integer(), server_default="0", nullable=False)
        )
        op.create_check_constraint(op.f("ck_cases_entry_level_range"), "cases", ENTRY_CHECK)
    op.add_column("cases", sa.Column("entry_level_reason", sa.String(length=2000), nullable=True))
    op.add_column("cases", sa.Column("sending_institution", sa.String(length=160), nullable=True))
    op.add_column(
        "mediation_sessions", sa.Column("level_reason", sa.String(length=2000), nullable=True)
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parallel", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("result", sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(op.f("ck_referrals_result_known"), sa.text(RESULT_CHECK))
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_kind_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_kind_known"), _kinds_check(KINDS_AFTER)
        )
    _map_existing_data()


def _map_existing_data():
    bind = op.get_bind()
    sessions = bind.execute(
        sa.text("SELECT id, mechanism, ladder_level FROM mediation_sessions")
    ).all()
    actor_types: dict[int, list[str]] = {}
    for session_id, actor_type in bind.execute(
        sa.text(
            "SELECT sa.session_id, a.actor_type FROM session_actors sa "
            "JOIN actors a ON a.id = sa.actor_id"
        )
    ):
        actor_types.setdefault(session_id, []).append(actor_type)
    update = sa.text("UPDATE mediation_sessions SET ladder_level = :level WHERE id = :id")
    for session_id, mechanism, current in sessions:
        known = [ACTOR_LEVELS[t] for t in actor_types.get(session_id, []) if t in ACTOR_LEVELS]
        level = max(known) if known else MECHANISM_LEVELS.get(mechanism, current)
        if level != current:
            bind.execute(update, {"level": level, "id": session_id})
    bind.execute(
        sa.text(
            "UPDATE cases SET entry_level = COALESCE(("
            "SELECT e.to_level FROM case_events e WHERE e.case_id = cases.id "
            "AND e.kind = 'created' AND e.to_level IS NOT NULL ORDER BY e.at, e.id LIMIT 1), 0)"
        )
    )
    bind.execute(
        sa.text(
            "UPDATE cases SET ladder_level = ("
            "SELECT max(s.ladder_level) FROM mediation_sessions s WHERE s.case_id = cases.id) "
            "WHERE ladder_level < ("
            "SELECT max(s.ladder_level) FROM mediation_sessions s WHERE s.case_id = cases.id) "
            "AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = cases.id "
            "AND r.is_reverse = :reverse)"
        ),
        {"reverse": True},
    )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    # A return is written as the reverse referral it was recorded as before.
    op.execute("UPDATE case_events SET kind = 'referral' WHERE kind = 'return'")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_kind_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_kind_known"), _kinds_check(KINDS_BEFORE)
        )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_referrals_result_known"), type_="check")
        batch_op.drop_column("result")
        batch_op.drop_column("parallel")
    op.drop_column("mediation_sessions", "level_reason")
    op.drop_column("cases", "sending_institution")
    op.drop_column("cases", "entry_level_reason")
    if not sqlite:  # on SQLite the column's own check goes with it
        op.drop_constraint(op.f("ck_cases_entry_level_range"), "cases", type_="check")
    op.drop_column("cases", "entry_level")
