"""geography, vocabularies and mediation cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:56:14.074340
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "admin_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_search", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('region', 'cercle', 'commune', 'village', 'fraction', 'quartier')",
            name=op.f("ck_admin_units_kind_known"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_admin_units_validity_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["admin_units.id"], name=op.f("fk_admin_units_parent_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_units")),
        sa.UniqueConstraint("code", name=op.f("uq_admin_units_code")),
    )
    with op.batch_alter_table("admin_units", schema=None) as batch_op:
        batch_op.create_index("ix_admin_units_name_search", ["name_search"], unique=False)
        batch_op.create_index("ix_admin_units_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_admin_units_path", ["path"], unique=False)

    op.create_table(
        "case_counters",
        sa.Column("region_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "vocabulary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vocabulary", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("mandatory_referral", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vocabulary_terms")),
        sa.UniqueConstraint("vocabulary", "code", name=op.f("uq_vocabulary_terms_vocabulary_code")),
    )
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_search", sa.String(length=160), nullable=False),
        sa.Column("function", sa.String(length=160), nullable=True),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("trained", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sex IN ('F', 'M', 'U')", name=op.f("ck_actors_sex_known")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_actors_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
    )
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actors_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('well', 'corridor', 'market', 'pasture', 'other')",
            name=op.f("ck_sites_kind_known"),
        ),
        sa.CheckConstraint(
            "latitude IS NULL OR latitude BETWEEN -90 AND 90", name=op.f("ck_sites_latitude")
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR longitude BETWEEN -180 AND 180", name=op.f("ck_sites_longitude")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_sites_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("conflict_type", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("narrative_lang", sa.String(length=8), nullable=True),
        sa.Column("narrative_translation", sa.Text(), nullable=True),
        sa.Column("translated_by_id", sa.Integer(), nullable=True),
        sa.Column("translated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("persons_affected", sa.Integer(), nullable=True),
        sa.Column("deaths", sa.Integer(), server_default="0", nullable=False),
        sa.Column("injuries_serious", sa.Integer(), server_default="0", nullable=False),
        sa.Column("injuries_minor", sa.Integer(), server_default="0", nullable=False),
        sa.Column("damage_text", sa.String(length=2000), nullable=True),
        sa.Column("damage_fcfa", sa.BigInteger(), nullable=True),
        sa.Column("livestock_heads", sa.Integer(), nullable=True),
        sa.Column("ladder_level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("suspended_from", sa.String(length=24), nullable=True),
        sa.Column("confidentiality", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("assigned_mediator_id", sa.Integer(), nullable=True),
        sa.Column("recurrence_of_id", sa.Integer(), nullable=True),
        sa.Column("civil_case_of_id", sa.Integer(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'SUSPENDU') = (suspended_from IS NOT NULL)",
            name=op.f("ck_cases_suspension_consistent"),
        ),
        sa.CheckConstraint(
            "confidentiality IN ('standard', 'restricted', 'secret')",
            name=op.f("ck_cases_confidentiality_known"),
        ),
        sa.CheckConstraint(
            "narrative_lang IS NULL OR narrative_lang IN ('fr', 'en')",
            name=op.f("ck_cases_narrative_lang_known"),
        ),
        sa.CheckConstraint(
            "status IN ('SIGNALE', 'ENREGISTRE', 'EN_MEDIATION', 'ACCORD', 'SUIVI', 'CLOTURE_RESOLU', 'RENVOYE', 'CLOTURE_NON_RESOLU', 'CLASSE', 'SUSPENDU')",
            name=op.f("ck_cases_status_known"),
        ),
        sa.CheckConstraint(
            "damage_fcfa IS NULL OR damage_fcfa >= 0",
            name=op.f("ck_cases_damage_fcfa_not_negative"),
        ),
        sa.CheckConstraint(
            "deaths IS NULL OR deaths >= 0", name=op.f("ck_cases_deaths_not_negative")
        ),
        sa.CheckConstraint(
            "injuries_minor IS NULL OR injuries_minor >= 0",
            name=op.f("ck_cases_injuries_minor_not_negative"),
        ),
        sa.CheckConstraint(
            "injuries_serious IS NULL OR injuries_serious >= 0",
            name=op.f("ck_cases_injuries_serious_not_negative"),
        ),
        sa.CheckConstraint(
            "ladder_level BETWEEN 0 AND 5", name=op.f("ck_cases_ladder_level_range")
        ),
        sa.CheckConstraint(
            "livestock_heads IS NULL OR livestock_heads >= 0",
            name=op.f("ck_cases_livestock_heads_not_negative"),
        ),
        sa.CheckConstraint(
            "persons_affected IS NULL OR persons_affected >= 0",
            name=op.f("ck_cases_persons_affected_not_negative"),
        ),
        sa.CheckConstraint("reported_on >= event_date", name=op.f("ck_cases_reported_after_event")),
        sa.ForeignKeyConstraint(
            ["assigned_mediator_id"], ["users.id"], name=op.f("fk_cases_assigned_mediator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["civil_case_of_id"], ["cases.id"], name=op.f("fk_cases_civil_case_of_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_cases_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recurrence_of_id"], ["cases.id"], name=op.f("fk_cases_recurrence_of_id_cases")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_cases_site_id_sites")),
        sa.ForeignKeyConstraint(
            ["translated_by_id"], ["users.id"], name=op.f("fk_cases_translated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_cases_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_assigned_mediator_id", ["assigned_mediator_id"], unique=False
        )
        batch_op.create_index("ix_cases_conflict_type", ["conflict_type"], unique=False)
        batch_op.create_index(
            "ix_cases_status_reported_on", ["status", "reported_on"], unique=False
        )
        batch_op.create_index("ix_cases_unit_id_status", ["unit_id", "status"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=True),
        sa.Column("from_level", sa.Integer(), nullable=True),
        sa.Column("to_level", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("linked_case_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('created', 'transition', 'escalation', 'session', 'agreement', 'referral', 'follow_up', 'edited', 'translated', 'linked')",
            name=op.f("ck_case_events_kind_known"),
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_case_events_by_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["linked_case_id"], ["cases.id"], name=op.f("fk_case_events_linked_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case_id_at", ["case_id", "at"], unique=False)

    op.create_table(
        "case_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('saved', 'conflict')", name=op.f("ck_case_revisions_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_case_revisions_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_revisions_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_revisions")),
    )
    with op.batch_alter_table("case_revisions", schema=None) as batch_op:
        batch_op.create_index("ix_case_revisions_case_id", ["case_id"], unique=False)

    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=40), nullable=False),
        sa.Column("mechanism", sa.String(length=40), nullable=False),
        sa.Column("ladder_level", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("youth", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("minutes_lang", sa.String(length=8), nullable=True),
        sa.Column("minutes_translation", sa.Text(), nullable=True),
        sa.Column("translated_by_id", sa.Integer(), nullable=True),
        sa.Column("translated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "result IN ('continue', 'agreement', 'failure', 'referral')",
            name=op.f("ck_mediation_sessions_result_known"),
        ),
        sa.CheckConstraint(
            "ladder_level BETWEEN 0 AND 5", name=op.f("ck_mediation_sessions_ladder_level_range")
        ),
        sa.CheckConstraint(
            "men IS NULL OR men >= 0", name=op.f("ck_mediation_sessions_men_not_negative")
        ),
        sa.CheckConstraint(
            "women IS NULL OR women >= 0", name=op.f("ck_mediation_sessions_women_not_negative")
        ),
        sa.CheckConstraint(
            "youth IS NULL OR youth >= 0", name=op.f("ck_mediation_sessions_youth_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_mediation_sessions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_mediation_sessions_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["translated_by_id"],
            ["users.id"],
            name=op.f("fk_mediation_sessions_translated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_sessions")),
    )
    with op.batch_alter_table("mediation_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_mediation_sessions_case_id", ["case_id"], unique=False)

    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_search", sa.String(length=160), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("livelihood", sa.String(length=40), nullable=True),
        sa.Column("community", sa.String(length=160), nullable=True),
        sa.Column("consent_to_share", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "age_band IN ('under18', '18-34', '35-59', '60plus', 'unknown')",
            name=op.f("ck_parties_age_band_known"),
        ),
        sa.CheckConstraint(
            "kind IN ('individual', 'family', 'fraction', 'village', 'community', 'association')",
            name=op.f("ck_parties_kind_known"),
        ),
        sa.CheckConstraint(
            "role IN ('complainant', 'respondent', 'third')", name=op.f("ck_parties_role_known")
        ),
        sa.CheckConstraint("sex IN ('F', 'M', 'U')", name=op.f("ck_parties_sex_known")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_parties_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index("ix_parties_case_id", ["case_id"], unique=False)
        batch_op.create_index("ix_parties_name_search", ["name_search"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("from_level", sa.Integer(), nullable=False),
        sa.Column("from_institution", sa.String(length=160), nullable=True),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("is_reverse", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.String(length=2000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "from_level BETWEEN 0 AND 5", name=op.f("ck_referrals_from_level_range")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_referrals_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_referrals_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index("ix_referrals_case_id", ["case_id"], unique=False)
        batch_op.create_index("ix_referrals_target", ["target"], unique=False)

    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("compensation_fcfa", sa.BigInteger(), nullable=True),
        sa.Column("livestock_heads", sa.Integer(), nullable=True),
        sa.Column("diya", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("restitution", sa.String(length=2000), nullable=True),
        sa.Column("signatories", sa.String(length=2000), nullable=True),
        sa.Column("witnesses", sa.String(length=2000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "form IN ('verbal', 'written', 'homologated')", name=op.f("ck_agreements_form_known")
        ),
        sa.CheckConstraint(
            "compensation_fcfa IS NULL OR compensation_fcfa >= 0",
            name=op.f("ck_agreements_compensation_fcfa_not_negative"),
        ),
        sa.CheckConstraint(
            "livestock_heads IS NULL OR livestock_heads >= 0",
            name=op.f("ck_agreements_livestock_heads_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_agreements_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_agreements_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mediation_sessions.id"],
            name=op.f("fk_agreements_session_id_mediation_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index("ix_agreements_case_id", ["case_id"], unique=False)

    op.create_table(
        "session_actors",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_session_actors_actor_id_actors")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mediation_sessions.id"],
            name=op.f("fk_session_actors_session_id_mediation_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", "actor_id", name=op.f("pk_session_actors")),
    )
    op.create_table(
        "session_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_session_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_session_notes_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mediation_sessions.id"],
            name=op.f("fk_session_notes_session_id_mediation_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_notes")),
    )
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_notes_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "agreement_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("obliged_party_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_terms_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["obliged_party_id"],
            ["parties.id"],
            name=op.f("fk_agreement_terms_obliged_party_id_parties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_terms")),
    )
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_terms_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("compliance", sa.String(length=16), nullable=True),
        sa.Column("recurrence", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "compliance IS NULL OR compliance IN ('respected', 'partial', 'not_respected')",
            name=op.f("ck_follow_ups_compliance_known"),
        ),
        sa.CheckConstraint(
            "(done_on IS NULL) = (compliance IS NULL)",
            name=op.f("ck_follow_ups_done_has_compliance"),
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_follow_ups_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_follow_ups_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_follow_ups_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_case_id", ["case_id"], unique=False)
        batch_op.create_index("ix_follow_ups_due_on_done_on", ["due_on", "done_on"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_users_area_id_admin_units"), "admin_units", ["area_id"], ["id"]
        )


def downgrade():

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_area_id_admin_units"), type_="foreignkey")

    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_due_on_done_on")
        batch_op.drop_index("ix_follow_ups_case_id")

    op.drop_table("follow_ups")
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_terms_agreement_id"))

    op.drop_table("agreement_terms")
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_notes_session_id"))

    op.drop_table("session_notes")
    op.drop_table("session_actors")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_agreements_case_id")

    op.drop_table("agreements")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_target")
        batch_op.drop_index("ix_referrals_case_id")

    op.drop_table("referrals")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index("ix_parties_name_search")
        batch_op.drop_index("ix_parties_case_id")

    op.drop_table("parties")
    with op.batch_alter_table("mediation_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_mediation_sessions_case_id")

    op.drop_table("mediation_sessions")
    with op.batch_alter_table("case_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_case_revisions_case_id")

    op.drop_table("case_revisions")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_case_id_at")

    op.drop_table("case_events")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_unit_id_status")
        batch_op.drop_index("ix_cases_status_reported_on")
        batch_op.drop_index("ix_cases_conflict_type")
        batch_op.drop_index("ix_cases_assigned_mediator_id")

    op.drop_table("cases")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_unit_id"))

    op.drop_table("sites")
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actors_unit_id"))

    op.drop_table("actors")
    op.drop_table("vocabulary_terms")
    op.drop_table("case_counters")
    with op.batch_alter_table("admin_units", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_units_path")
        batch_op.drop_index("ix_admin_units_parent_id")
        batch_op.drop_index("ix_admin_units_name_search")

    op.drop_table("admin_units")
