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
from casework.reports.document import report_note, report_subtitle, report_title
from casework.reports.model import Report

SCHEMA_ID = "periodic.schema.json"
KINDS = ["count", "rate", "days", "fcfa", "minutes"]


def periodic_json(report: Report, lang: str) -> dict:
    data = report.as_json()
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
    ],
    "properties": {
        "schema": {"type": "string"},
        "lang": {"enum": ["fr", "en"]},
        "title": {"type": "string"},
        "subtitle": {"type": "string", "description": "Area and period, in words."},
        "note": {"type": ["string", "null"], "description": "What anonymisation hides."},
        "generated_at": {"type": "string", "format": "date-time", "description": "UTC."},
        "period": {
            "type": "object",
            "required": ["code", "start", "end"],
            "properties": {
                "code": {"type": "string", "description": "2026-Q3, 2026-10, 2026, or a span."},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date", "description": "Inclusive."},
            },
            "additionalProperties": False,
        },
        "area": {"type": ["string", "null"], "description": "Area code; null: every area."},
        "area_name": {"type": ["string", "null"]},
        "anonymised": {"type": "boolean"},
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
    "$defs": {"value": _VALUE},
}
