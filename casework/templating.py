"""Jinja environment: trimmed {% trans %}, locale-aware filters and layout helpers."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import format_decimal, get_locale
from flask_login import current_user
from markupsafe import Markup

from casework.i18n import (
    format_date,
    format_datetime,
    format_fcfa,
    language_in_text,
    language_name,
    language_title,
)
from casework.memo import Memo
from casework.permissions import may
from casework.roles import Role
from casework.text import without_bidi_controls

# The main menus written: (app, root, role, language, endpoint) -> HTML.
_MENUS: Memo[Markup] = Memo(512)


def main_menu() -> Markup:
    """The main menu's links, written once per role, language and page (issue 19: the
    layout was a tenth of a list page, most of it asking ``may`` for each link). What the
    menu shows depends on nothing else: ``may`` reads the role's grants, which are code."""
    key = (
        id(current_app),
        request.script_root,
        current_user.role,
        str(get_locale()),
        request.endpoint,
        request.blueprint,
    )

    def write() -> Markup:
        template = current_app.jinja_env.get_template("_main_menu.html")
        return Markup(template.render(may=may, request=request))  # noqa: S704 (Jinja escapes)

    return _MENUS.get_or_make(key, write)


def _layout_context() -> dict:
    return {
        "current_locale": str(get_locale()),
        "language_name": language_name,  # a language in itself: the language switch
        "language_in_text": language_in_text,  # a language in the page's language
        "language_title": language_title,  # the same, as a heading or a choice
        "Role": Role,  # the roles and their descriptions (user administration)
        "may": may,  # may the user open this endpoint: what the menus show
        "main_menu": main_menu,
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
