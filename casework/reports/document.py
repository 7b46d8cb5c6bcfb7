"""What every document of a periodic report says, whatever its format (HTML, PDF, DOCX, XLSX,
JSON): its title, subtitle and note, the line that says when it was produced, and the
language tag office suites know. The renderers (``render``, ``docx_report``, ``xlsx_report``,
``json_report``) all import it; it imports none of them."""

from __future__ import annotations

from html import unescape

from casework.core.errors import DomainError
from casework.db import utcnow
from casework.i18n import _l, format_date, format_datetime
from casework.reports.model import Report


class RenderError(DomainError):
    """A report cannot be produced (unknown format or language, a missing system library)."""


def report_title(report: Report) -> str:
    if report.anonymised:
        return str(_l("Periodic report (anonymised)"))
    return str(_l("Periodic report"))


def report_subtitle(report: Report) -> str:
    area = report.area_name or str(_l("All areas"))
    return str(
        _l(
            "%(area)s, from %(start)s to %(end)s",
            area=area,
            start=format_date(report.period.start, "long"),
            end=format_date(report.period.end, "long"),
        )
    )


def report_note(report: Report, threshold: int = 5) -> str | None:
    """What an anonymised report hides, as plain text (the same sentence as on screen)."""
    if not report.anonymised:
        return None
    return unescape(
        str(
            _l(
                "Anonymised: no names, no party details, no narratives; counts from 1 to "
                "%(threshold)s are shown as “&lt;%(threshold)s” and some further cells as "
                "“–” so that they cannot be recomputed.",
                threshold=threshold,
            )
        )
    )


def generated_line() -> str:
    """ "Produced by Casework on …", as at the foot of the PDF."""
    return str(
        _l(
            "Produced by Casework on %(when)s (Bamako time).",
            when=format_datetime(utcnow(), "medium"),
        )
    )


# The language tag that office suites' spell-checkers and hyphenation know.
OFFICE_LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}


def document_language(lang: str) -> str:
    return OFFICE_LANGUAGES.get(lang, lang)
