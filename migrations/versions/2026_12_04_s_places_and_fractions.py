"""the fraction registry, a party's fraction, a case's other places and other country

Revision ID: 20261204_s
Revises: 20261204_r
Create Date: 2026-12-04 21:15:00.000000

New tables ``fractions``, ``fraction_range`` (the communes of a fraction's seasonal range) and
``case_places`` (a case's places other than that of the incident); new nullable columns
``cases.other_country`` (added in place, so that the search index's triggers stay on SQLite)
and ``parties.fraction_id``. SQLite cannot add a foreign key to an existing table, and
rebuilding ``parties`` (which other tables reference) fails once rows exist: the column is
added in place with an inline, named REFERENCES clause, as in 0009. Existing rows keep their
values: no case has other places yet, no party a fraction, no case another country.

The new vocabulary terms, the regions of Taoudénit and the starter fractions are data: they
are added by ``casework vocab seed``, ``casework geo seed`` and ``casework fractions seed``,
which never touch a term or a unit already in use.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_s"
down_revision = "20261204_r"
branch_labels = None
depends_on = None

PARTY_FK = "fk_parties_fraction_id_fractions"


def upgrade():
    op.create_table(
        "fractions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_search", sa.String(length=160), nullable=False),
        sa.Column("group_code", sa.String(length=40), nullable=False),
        sa.Column("home_unit_id", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["home_unit_id"],
            ["admin_units.id"],
            name=op.f("fk_fractions_home_unit_id_admin_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fractions")),
    )
    op.create_index("ix_fractions_name_search", "fractions", ["name_search"], unique=False)
    op.create_index(op.f("ix_fractions_home_unit_id"), "fractions", ["home_unit_id"], unique=False)
    op.create_table(
        "fraction_range",
        sa.Column("fraction_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fraction_id"], ["fractions.id"], name=op.f("fk_fraction_range_fraction_id_fractions")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_fraction_range_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("fraction_id", "unit_id", name=op.f("pk_fraction_range")),
    )
    op.create_table(
        "case_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('home_commune', 'route', 'other')", name=op.f("ck_case_places_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_places_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_units.id"], name=op.f("fk_case_places_unit_id_admin_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_places")),
        sa.UniqueConstraint(
            "case_id", "unit_id", "role", name=op.f("uq_case_places_case_id_unit_id_role")
        ),
    )
    op.create_index(
        "ix_case_places_unit_id_case_id", "case_places", ["unit_id", "case_id"], unique=False
    )
    op.add_column("cases", sa.Column("other_country", sa.String(length=40), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE parties ADD COLUMN fraction_id INTEGER "
            f"CONSTRAINT {PARTY_FK} REFERENCES fractions (id)"
        )
    else:
        op.add_column("parties", sa.Column("fraction_id", sa.Integer(), nullable=True))
        op.create_foreign_key(PARTY_FK, "parties", "fractions", ["fraction_id"], ["id"])


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("parties", schema=None) as batch_op:
        # SQLite does not name an inline REFERENCES when it reflects it: the rebuilt table
        # simply leaves the column, and its foreign key, out (as in 0009).
        if not sqlite:
            batch_op.drop_constraint(PARTY_FK, type_="foreignkey")
        batch_op.drop_column("fraction_id")
    op.drop_column("cases", "other_country")
    op.drop_index("ix_case_places_unit_id_case_id", table_name="case_places")
    op.drop_table("case_places")
    op.drop_table("fraction_range")
    op.drop_index(op.f("ix_fractions_home_unit_id"), table_name="fractions")
    op.drop_index("ix_fractions_name_search", table_name="fractions")
    op.drop_table("fractions")
