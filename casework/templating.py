"""Jinja environment: trimmed {% trans %}, locale-aware filters and layout helpers."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import format_decimal, get_locale

from casework.i18n import (
    format_date,
    format_datetime,
    format_fcfa,
    language_in_text,
    language_name,
    language_title,
)
from casework.permissions import may
from casework.roles import Role
from casework.text import without_bidi_controls


def _layout_context() -> dict:
    return {
        "current_locale": str(get_locale()),
        "language_name": language_name,  # a language in itself: the language switch
        "language_in_text": language_in_text,  # a language in the page's language
        "language_title": language_title,  # the same, as a heading or a choice
        "Role": Role,  # the roles and their descriptions (user administration)
        "may": may,  # may the user open this endpoint: what the menus show
        "here": request.full_path if request.query_string else request.path,
    }


def _finalize(value):
    """Every {{ ... }} of every template, before it is escaped: no direction control
    reaches a page, a printed summary (PDF, DOCX) or a report."""
    if isinstance(value, str):  # Markup included: translate() keeps it Markup
        return without_bidi_controls(value)
    return value


def init_app(app: Flask) -> None:
    # Before any template is compiled: the finaliser is compiled into each one.
    app.jinja_env.finalize = _finalize
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
        fcfa=format_fcfa,
    )
    app.context_processor(_layout_context)
