"""Jinja environment: trimmed {% trans %}, locale-aware filters and layout helpers."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from casework.auth.roles import Role
from casework.i18n import format_fcfa, language_name


def _layout_context() -> dict:
    return {
        "current_locale": str(get_locale()),
        "language_name": language_name,
        "Role": Role,
        "here": request.full_path if request.query_string else request.path,
    }


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
        fcfa=format_fcfa,
    )
    app.context_processor(_layout_context)
