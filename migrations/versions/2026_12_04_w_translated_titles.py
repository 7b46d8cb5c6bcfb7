"""a case title's language and its translation

Revision ID: 20261204_w
Revises: 20261204_v
Create Date: 2026-12-04 21:20:00.000000

Titles are translated like narratives (issue 18): ``title_lang`` says which language the
title is written in (that of the narrative for the cases already recorded), and
``title_translation`` holds it in the other language. Added in place (no copy of the table,
so that the search index's triggers stay on SQLite).
"""

import sqlalchemy as sa
from alembic import op

revision = "20261204_w"
down_revision = "20261204_v"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("cases", sa.Column("title_lang", sa.String(length=8), nullable=True))
    op.add_column("cases", sa.Column("title_translation", sa.String(length=200), nullable=True))
    op.execute("UPDATE cases SET title_lang = narrative_lang WHERE narrative_lang IS NOT NULL")


def downgrade():
    op.drop_column("cases", "title_translation")
    op.drop_column("cases", "title_lang")
