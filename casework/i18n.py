"""Languages: locale selection, translation helpers and locale-aware formatting."""

from __future__ import annotations

import os
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user

_ = gettext
_l = lazy_gettext
__all__ = ["_", "_l", "ngettext", "select_locale", "supported_locales", "format_fcfa"]

SESSION_KEY = "lang"


def local_zone() -> ZoneInfo:
    """The time zone the users live in (Bamako): dates typed and shown are in it."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def is_supported(code: str | None) -> bool:
    return bool(code) and code in supported_locales()


def select_locale() -> str:
    """The user's saved preference, else the language switch, else Accept-Language, else French.

    Outside a request (the command line, whose own messages are English) it is
    CASEWORK_CLI_LANGUAGE, else English.
    """
    if not has_request_context():
        code = os.environ.get("CASEWORK_CLI_LANGUAGE", "en")
        return code if is_supported(code) else "en"
    if current_user and current_user.is_authenticated:
        preferred = getattr(current_user, "preferred_language", None)
        if is_supported(preferred):
            return preferred
    return language_without_user()


def language_without_user() -> str:
    """The language switch (session), else Accept-Language, else French: what a page that
    cannot read the user's row (the database is busy) is shown in."""
    chosen = session.get(SESSION_KEY)
    if is_supported(chosen):
        return chosen
    best = request.accept_languages.best_match(supported_locales())
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    """Each language is named in itself, so that a lost user finds their own."""
    return {"fr": "Français", "en": "English"}.get(code, code)


def format_fcfa(amount: int | float | Decimal | None) -> str:
    """An amount in CFA francs (no subunit), e.g. 1 234 FCFA / 1,234 FCFA."""
    if amount is None:
        return ""
    whole = Decimal(amount).quantize(Decimal(1))
    return f"{format_decimal(whole, locale=str(get_locale()))}\u00a0FCFA"
