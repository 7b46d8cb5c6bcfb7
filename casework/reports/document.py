"""What every document of a periodic report says, whatever its format (HTML, PDF, DOCX, XLSX,
JSON): its title, subtitle and note, the line that says when it was produced, and the
language tag office suites know. The renderers (``render``, ``docx_report``, ``xlsx_report``,
``json_report``) all import it; it imports none of them."""

from __future__ import annotations

from flask_babel import get_locale

from casework.core.errors import DomainError
from casework.db import utcnow
from casework.i18n import _l, format_date, format_datetime, language_in_text
from casework.reports.anonymise import SMALL_COUNT_THRESHOLD
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


def report_note(report: Report) -> str | None:
    """What an anonymised report hides, as plain text, in every format: the counts it names
    are those ``anonymise`` hides (1 to the threshold less one), from the report's own
    threshold."""
    if not report.anonymised:
        return None
    threshold = report.threshold or SMALL_COUNT_THRESHOLD
    return str(
        _l(
            "Anonymised: no names, no party details, no narratives; counts from 1 to "
            "%(largest)s are shown as “<%(threshold)s” and some further cells as “–” so "
            "that they cannot be recomputed.",
            largest=threshold - 1,
            threshold=threshold,
        )
    )


def previous_heading(report: Report) -> str | None:
    """The heading of the previous period's column ("Previous period (2026-Q2)"), or None
    when the report does not compare."""
    if report.previous_period is None:
        return None
    return str(_l("Previous period (%(period)s)", period=report.previous_period.code))


def this_period_heading() -> str:
    return str(_l("This period"))


def annex_headings() -> list[str]:
    """The annex's columns, in every format."""
    return [
        str(_l("Indicator")),
        str(_l("Definition")),
        str(_l("Numerator")),
        str(_l("Denominator")),
    ]


def annex_rows(report: Report) -> list[tuple[str, str, str, str, str]]:
    """(section, indicator, definition, numerator, denominator) as text, in the report's
    language; "—" where an indicator is no ratio."""
    return [
        (
            str(entry.section),
            str(entry.label),
            str(entry.definition.text),
            str(entry.definition.numerator) if entry.definition.numerator else "—",
            str(entry.definition.denominator) if entry.definition.denominator else "—",
        )
        for entry in report.annex()
    ]


def annex_by_section(report: Report) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """The annex's rows grouped by section, in the report's order."""
    groups: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for section, *row in annex_rows(report):
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append(tuple(row))
    return groups


def highlights_text(report: Report) -> tuple[str, str | None] | None:
    """The coordinator's highlights in the report's language, else in the language they
    were written in with a note that says so; None when there are none."""
    if report.highlights is None:
        return None
    text, other = report.highlights.in_language(str(get_locale()))
    if other is None:
        return text, None
    return text, str(
        _l("Written in %(language)s; no translation yet.", language=language_in_text(other))
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
