"""The shape of a report, independent of its format.

An indicator module builds a ``Report`` of sections holding figures (one value each) and
tables (rows × columns of counts or values). Labels are lazy strings (``_l``) or vocabulary
labels resolved at render time, so the same report renders in French or English whatever
the interface language: renderers (HTML, PDF, DOCX, XLSX, JSON) only walk this structure
inside ``flask_babel.force_locale(lang)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Definition:
    """What an indicator counts, declared with it and printed in the report's annex: a
    sentence, and for a rate or a share what is divided by what (lazy strings)."""

    text: Any
    numerator: Any = None
    denominator: Any = None


# A value is an int, a float (rates: 0..1), None (not computable: no denominator), or the
# string "<5" in an anonymised report (a suppressed small count), or "–" (a count hidden so
# that a suppressed one cannot be recomputed from the totals).
Value = Any


@dataclass
class Figure:
    key: str  # stable, for JSON: "cases_opened"
    label: Any  # lazy string
    value: Value
    kind: str = "count"  # count | rate | days | fcfa
    definition: Definition | None = None
    # The same figure over the previous period, when the report compares (None otherwise,
    # or when it cannot be computed there).
    previous: Value = None


@dataclass
class Table:
    key: str  # stable, for JSON and XLSX sheet names: "cases_by_type"
    title: Any  # lazy string
    columns: list[tuple[str, Any]]  # (key, lazy label)
    rows: list[tuple[str, Any, list[Value]]]  # (key, label, values by column)
    kind: str = "count"  # how the values are formatted
    chart: bool = False  # draw a bar chart of the first column beside the table
    column_kinds: dict[str, str] = field(default_factory=dict)  # a column's own kind
    # A name for where there is little room (a spreadsheet's tab: at most 28 characters in
    # every language); when None the title is shortened between words.
    short_title: Any = None
    definition: Definition | None = None

    def kind_of(self, column_key: str) -> str:
        """How a column's values are written: its own kind, else a rate for columns whose key
        says so ("resolution_rate", "share_with_feedback"), else the table's kind."""
        if column_key in self.column_kinds:
            return self.column_kinds[column_key]
        if "rate" in column_key or "share" in column_key:
            return "rate"
        return self.kind

    def as_dict(self) -> dict:
        return {
            row_key: {
                col_key: value for (col_key, _l), value in zip(self.columns, values, strict=True)
            }
            for row_key, _label, values in self.rows
        }


@dataclass
class Section:
    key: str
    title: Any
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Period:
    start: date  # inclusive
    end: date  # inclusive
    code: str  # what was asked: "2026-Q3", "2026-10", "2026", "2026-01-01..2026-02-15"


@dataclass(frozen=True)
class Highlights:
    """The coordinator's "faits marquants" for the area and period: the text in each
    language it was written or translated in (at least one)."""

    texts: dict[str, str]  # language code → text

    def in_language(self, lang: str) -> tuple[str, str | None]:
        """The text in ``lang`` when it exists; else the other one, with the language it is
        written in (the renderers say so)."""
        if self.texts.get(lang):
            return self.texts[lang], None
        other = next(code for code, text in sorted(self.texts.items()) if text)
        return self.texts[other], other


@dataclass(frozen=True)
class AnnexEntry:
    """One line of the annex of definitions: an indicator of a section and its definition."""

    section: Any
    label: Any
    definition: Definition


@dataclass
class Report:
    period: Period
    area_code: str | None  # None: every area
    area_name: str | None
    anonymised: bool
    sections: list[Section] = field(default_factory=list)
    # The period the ``previous`` values are for, when the report compares with it.
    previous_period: Period | None = None
    highlights: Highlights | None = None
    # Anonymised: counts from 1 to threshold - 1 are hidden (``anonymise``).
    threshold: int | None = None

    def annex(self) -> list[AnnexEntry]:
        """Every figure and table of the report with its definition, in the report's order:
        the definitions are those declared with the indicators, nothing is written twice."""
        return [
            AnnexEntry(
                section.title,
                item.label if isinstance(item, Figure) else item.title,
                item.definition,
            )
            for section in self.sections
            for item in (*section.figures, *section.tables)
            if item.definition is not None
        ]

    def as_json(self) -> dict:
        """Every indicator's value, keyed by stable codes (for machines)."""
        return {
            "period": {
                "code": self.period.code,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "area": self.area_code,
            "anonymised": self.anonymised,
            **(
                {
                    "previous_period": {
                        "code": self.previous_period.code,
                        "start": self.previous_period.start.isoformat(),
                        "end": self.previous_period.end.isoformat(),
                    },
                    "previous": {
                        section.key: {figure.key: figure.previous for figure in section.figures}
                        for section in self.sections
                    },
                }
                if self.previous_period is not None
                else {}
            ),
            "indicators": {
                section.key: {
                    **{figure.key: figure.value for figure in section.figures},
                    **{table.key: table.as_dict() for table in section.tables},
                }
                for section in self.sections
            },
        }
