"""What people write for a report: the coordinator's highlights ("faits marquants")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import UTCDateTime, utcnow
from casework.extensions import db

HIGHLIGHTS_MAX = 4000  # characters in each language: a page, not a report of its own


class ReportHighlights(db.Model):
    """The highlights of an area for a period, written by a coordinator in French and/or
    English; the report shows them in its language (or says which language they are in)."""

    __tablename__ = "report_highlights"
    __table_args__ = (
        sa.UniqueConstraint("unit_id", "period_code"),
        sa.CheckConstraint(
            "COALESCE(text_fr, '') <> '' OR COALESCE(text_en, '') <> ''", name="has_text"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"))
    period_code: Mapped[str] = mapped_column(sa.String(40))  # as the report's: 2026-Q3…
    text_fr: Mapped[str | None] = mapped_column(sa.Text)
    text_en: Mapped[str | None] = mapped_column(sa.Text)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit = relationship("AdminUnit")
    updated_by = relationship("User")

    def texts(self) -> dict[str, str]:
        return {lang: text for lang, text in (("fr", self.text_fr), ("en", self.text_en)) if text}
