"""Controlled vocabularies: stable codes with a label per language. Data, not code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core import versions
from casework.db import UTCDateTime, utcnow
from casework.extensions import db


class Term(db.Model):
    __tablename__ = "vocabulary_terms"
    __table_args__ = (sa.UniqueConstraint("vocabulary", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(sa.String(40))  # e.g. conflict_type
    code: Mapped[str] = mapped_column(sa.String(40))  # e.g. FONCIER; never changes
    # {"fr": "litige foncier", "en": "land dispute", ...}: room for more languages.
    labels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # A conflict type that is never mediated as such (★ in DOMAIN.md): data, editable.
    mandatory_referral: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Term {self.vocabulary}:{self.code}>"

    def label(self, lang: str) -> str:
        """The label in ``lang``, else French, else English, else the code."""
        labels = self.labels or {}
        return labels.get(lang) or labels.get("fr") or labels.get("en") or self.code


# Processes cache each vocabulary's terms (vocab.services) by this version.
versions.track(Term.__tablename__, "vocab")
