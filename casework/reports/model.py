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


@dataclass
class Report:
    period: Period
    area_code: str | None  # None: every area
    area_name: str | None
    anonymised: bool
    sections: list[Section] = field(default_factory=list)

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
            "indicators": {
                section.key: {
                    **{figure.key: figure.value for figure in section.figures},
                    **{table.key: table.as_dict() for table in section.tables},
                }
                for section in self.sections
            },
        }
