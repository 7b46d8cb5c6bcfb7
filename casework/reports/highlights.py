"""The coordinator's highlights for an area and a period: saved (in French, English or both)
and found for the report."""

from __future__ import annotations

import sqlalchemy as sa

from casework.audit import services as audit
from casework.auth.models import User
from casework.core import checks
from casework.core.errors import DomainError
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.reports.model import Highlights, Period
from casework.reports.models import HIGHLIGHTS_MAX, ReportHighlights


def find(area: AdminUnit | None, period: Period) -> ReportHighlights | None:
    if area is None:
        return None
    return db.session.scalar(
        sa.select(ReportHighlights).where(
            ReportHighlights.unit_id == area.id, ReportHighlights.period_code == period.code
        )
    )


def for_report(area: AdminUnit | None, period: Period) -> Highlights | None:
    """The highlights as the report shows them, or None."""
    found = find(area, period)
    return Highlights(found.texts()) if found is not None and found.texts() else None


def save_highlights(
    area: AdminUnit, period: Period, text_fr: str | None, text_en: str | None, by: User
) -> ReportHighlights:
    """Write (or rewrite) the highlights of ``area`` for ``period``; at least one language."""
    text_fr = checks.optional_text(text_fr, _l("The highlights in French"), HIGHLIGHTS_MAX)
    text_en = checks.optional_text(text_en, _l("The highlights in English"), HIGHLIGHTS_MAX)
    if not text_fr and not text_en:
        raise DomainError(_l("Write the highlights in French, in English or in both."))
    highlights = find(area, period)
    created = highlights is None
    if created:
        highlights = ReportHighlights(unit_id=area.id, period_code=period.code)
        db.session.add(highlights)
    highlights.text_fr, highlights.text_en = text_fr, text_en
    highlights.updated_by_id = by.id
    db.session.flush()
    audit.record(
        "create" if created else "edit",
        obj=highlights,
        details={
            "area": area.code,
            "period": period.code,
            "languages": [lang for lang in ("fr", "en") if highlights.texts().get(lang)],
        },
    )
    return highlights
