"""The periodic report as JSON, for machines and for people who read it with one.

``indicators`` holds every value keyed by stable codes, exactly as ``Report.as_json`` (the
same in every language). ``sections`` holds the same values again in the report's order,
each with its label in the language asked beside its code, and the kind of value it is
(a rate is a fraction from 0 to 1). ``PERIODIC_SCHEMA`` describes the whole file; it is
published at /reports/periodic.schema.json.
"""

from __future__ import annotations

from flask import url_for

from casework.db import utcnow
from casework.reports.document import (
    annex_rows,
    highlights_text,
    report_note,
    report_subtitle,
    report_title,
)
from casework.reports.model import Report

SCHEMA_ID = "periodic.schema.json"
KINDS = ["count", "rate", "days", "fcfa", "minutes"]


def periodic_json(report: Report, lang: str) -> dict:
    data = report.as_json()
    compared = report.previous_period is not None
    highlights = highlights_text(report)
    return {
        "schema": url_for("reports.periodic_schema"),
        "lang": lang,
        "title": report_title(report),
        "subtitle": report_subtitle(report),
        "note": report_note(report),
        "generated_at": utcnow().replace(microsecond=0).isoformat(),
        "period": data["period"],
        "area": data["area"],
        "area_name": report.area_name,
        "anonymised": data["anonymised"],
        "previous_period": data.get("previous_period"),
        "highlights": (
            {"text": highlights[0], "note": highlights[1]} if highlights is not None else None
        ),
        "indicators": data["indicators"],
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "figures": [
                    {
                        "key": figure.key,
                        "label": str(figure.label),
                        "kind": figure.kind,
                        "value": figure.value,
                        **({"previous": figure.previous} if compared else {}),
                    }
                    for figure in section.figures
                ],
                "tables": [
                    {
                        "key": table.key,
                        "title": str(table.title),
                        "columns": [
                            {"key": key, "label": str(label), "kind": table.kind_of(key)}
                            for key, label in table.columns
                        ],
                        "rows": [
                            {
                                "key": str(row_key),
                                "label": str(label),
                                "values": values,
                            }
                            for row_key, label, values in table.rows
                        ],
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
        "annex": [
            {
                "section": section,
                "indicator": label,
                "definition": definition,
                "numerator": numerator,
                "denominator": denominator,
            }
            for section, label, definition, numerator, denominator in annex_rows(report)
        ],
    }


_VALUE = {
    "description": (
        "A count or an amount, a rate from 0 to 1, null when it cannot be computed (no "
        "denominator), or in an anonymised report a hidden count: '<5' (a small count) or "
        "'–' (hidden so that a small one cannot be recomputed)."
    ),
    "anyOf": [
        {"type": "number"},
        {"type": "null"},
        {"type": "string", "pattern": "^(<[0-9]+|–)$"},
    ],
}
_PERIOD = {
    "type": "object",
    "required": ["code", "start", "end"],
    "properties": {
        "code": {"type": "string", "description": "2026-Q3, 2026-10, 2026, or a span."},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date", "description": "Inclusive."},
    },
    "additionalProperties": False,
}
_LABELLED = {
    "key": {"type": "string", "minLength": 1, "description": "Stable code."},
    "label": {"type": "string", "description": "In the report's language."},
}
_KIND = {"enum": KINDS, "description": "count, rate (0..1), days, fcfa or minutes."}

PERIODIC_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Casework periodic report",
    "description": (
        "Every indicator of the periodic report for one period and area. 'indicators' "
        "gives the values by stable codes; 'sections' gives the same values in the "
        "report's order with their labels in the language asked ('lang')."
    ),
    "type": "object",
    "required": [
        "lang",
        "title",
        "subtitle",
        "period",
        "area",
        "anonymised",
        "indicators",
        "sections",
        "annex",
    ],
    "properties": {
        "schema": {"type": "string"},
        "lang": {"enum": ["fr", "en"]},
        "title": {"type": "string"},
        "subtitle": {"type": "string", "description": "Area and period, in words."},
        "note": {"type": ["string", "null"], "description": "What anonymisation hides."},
        "generated_at": {"type": "string", "format": "date-time", "description": "UTC."},
        "period": {"$ref": "#/$defs/period"},
        "area": {"type": ["string", "null"], "description": "Area code; null: every area."},
        "area_name": {"type": ["string", "null"]},
        "anonymised": {"type": "boolean"},
        "previous_period": {
            "description": "The period of the figures' 'previous' values; null: no comparison.",
            "anyOf": [{"type": "null"}, {"$ref": "#/$defs/period"}],
        },
        "highlights": {
            "description": (
                "The coordinator's highlights for the area and period, in the report's "
                "language; 'note' says which language when no translation exists."
            ),
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["text", "note"],
                    "properties": {
                        "text": {"type": "string"},
                        "note": {"type": ["string", "null"]},
                    },
                    "additionalProperties": False,
                },
            ],
        },
        "annex": {
            "type": "array",
            "description": "Every indicator's definition, in the report's language.",
            "items": {
                "type": "object",
                "required": ["section", "indicator", "definition", "numerator", "denominator"],
                "properties": {
                    "section": {"type": "string"},
                    "indicator": {"type": "string"},
                    "definition": {"type": "string"},
                    "numerator": {"type": "string", "description": "“—”: not a ratio."},
                    "denominator": {"type": "string", "description": "“—”: not a ratio."},
                },
                "additionalProperties": False,
            },
        },
        "indicators": {
            "type": "object",
            "description": "Section code → indicator code → value, or → table.",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        {"$ref": "#/$defs/value"},
                        {
                            "type": "object",
                            "description": "Row code → column code → value.",
                            "additionalProperties": {
                                "type": "object",
                                "additionalProperties": {"$ref": "#/$defs/value"},
                            },
                        },
                    ]
                },
            },
        },
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "title", "figures", "tables"],
                "properties": {
                    "key": _LABELLED["key"],
                    "title": {"type": "string"},
                    "figures": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "label", "kind", "value"],
                            "properties": {
                                **_LABELLED,
                                "kind": _KIND,
                                "value": {"$ref": "#/$defs/value"},
                                "previous": {
                                    "$ref": "#/$defs/value",
                                    "description": "Over the previous period, when compared.",
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                    "tables": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "title", "columns", "rows"],
                            "properties": {
                                "key": _LABELLED["key"],
                                "title": {"type": "string"},
                                "columns": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["key", "label", "kind"],
                                        "properties": {**_LABELLED, "kind": _KIND},
                                        "additionalProperties": False,
                                    },
                                },
                                "rows": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["key", "label", "values"],
                                        "properties": {
                                            **_LABELLED,
                                            "values": {
                                                "type": "array",
                                                "description": "One per column, in order.",
                                                "items": {"$ref": "#/$defs/value"},
                                            },
                                        },
                                        "additionalProperties": False,
                                    },
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
    "$defs": {"value": _VALUE, "period": _PERIOD},
}
