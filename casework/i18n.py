"""Languages: locale selection, translation helpers and locale-aware formatting."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user

from casework.memo import Memo

_ = gettext
_l = lazy_gettext
__all__ = [
    "_",
    "_l",
    "ngettext",
    "select_locale",
    "supported_locales",
    "format_fcfa",
    "format_date",
    "format_datetime",
]

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
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        # The API answers in the language its client asks for (issue 16).
        best = request.accept_languages.best_match(supported_locales())
        if best:
            return best
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


def writing_language() -> str:
    """The language a user writes in: the page's language in a request, else the
    programme's working language (French)."""
    if has_request_context():
        return str(get_locale())
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    """Each language is named in itself, so that a lost user finds their own."""
    return {"fr": "Français", "en": "English"}.get(code, code)


def language_in_text(code: str | None) -> str:
    """A language named the way a sentence of the active locale names it: "Written in
    French", "Rédigé en anglais". (``language_name`` names each language in itself, for the
    language switch only.)"""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(str(get_locale())) or code
    except (ValueError, UnknownLocaleError):
        return code


def language_title(code: str | None) -> str:
    """A language named in the page's language, as a heading or a choice ("Français",
    "Anglais" on a French page; "French", "English" on an English one)."""
    name = language_in_text(code)
    return name[:1].upper() + name[1:]


def format_fcfa(amount: int | float | Decimal | None) -> str:
    """An amount in CFA francs (no subunit), e.g. 1 234 FCFA / 1,234 FCFA."""
    if amount is None:
        return ""
    whole = Decimal(amount).quantize(Decimal(1))
    return f"{format_decimal(whole, locale=str(get_locale()))}\u00a0FCFA"


# Dates are written day, month, year in both languages, the month in letters, and times on
# 24 hours: Babel's "en" is American (12/4/26, 4:51 PM), which a reader in Mali takes for
# the 12th of April. The same patterns serve French and English; Babel supplies the month
# names ("4 déc. 2026, 16:51", "4 Dec 2026, 16:51"). CASEWORK_DATE_STYLE=iso gives ISO 8601.
DATE_PATTERNS = {
    "written": {
        "short": "d MMM y",
        "medium": "d MMM y",
        "long": "d MMMM y",
        "full": "EEEE d MMMM y",
    },
    "iso": {
        "short": "yyyy-MM-dd",
        "medium": "yyyy-MM-dd",
        "long": "yyyy-MM-dd",
        "full": "yyyy-MM-dd",
    },
}
TIME_PATTERNS = {"written": "HH:mm", "iso": "HH:mm"}
DATE_STYLES = tuple(DATE_PATTERNS)


def _date_style() -> str:
    style = current_app.config.get("DATE_STYLE", "written")
    return style if style in DATE_PATTERNS else "written"


# (day, pattern, locale) -> the day written: a list page writes 25 days, often the same ones.
_DAYS_WRITTEN: Memo[str] = Memo(4096)


def format_date(value, style: str = "medium") -> str:
    """A date in the active locale: "25 October 2026", "25 octobre 2026", "2026-10-25"."""
    if value is None:
        return ""
    pattern = DATE_PATTERNS[_date_style()].get(style, style)
    locale = get_locale()
    if type(value) is not date or locale is None:  # a moment: in the user's time zone
        return babel_format_date(value, pattern)
    key = (value, pattern, str(locale))
    written = _DAYS_WRITTEN.get(key)
    if written is None:
        written = _DAYS_WRITTEN.put(key, babel_format_date(value, pattern))
    return written


def format_datetime(value, style: str = "medium") -> str:
    """A moment in the users' time zone: "4 Dec 2026, 16:51", "4 déc. 2026, 16:51",
    "2026-12-04 16:51"."""
    if value is None:
        return ""
    date_style = _date_style()
    pattern = DATE_PATTERNS[date_style].get(style)
    if pattern is None:  # an explicit Babel pattern
        return babel_format_datetime(value, style)
    separator = " " if date_style == "iso" else ", "
    return babel_format_datetime(value, f"{pattern}{separator}{TIME_PATTERNS[date_style]}")
