"""Reading the values of a submission or of a spreadsheet's cell: codes or labels in either
language for the vocabularies and choices, places by code or by name, dates and numbers as
people and tools write them. Each problem names its column and the value found."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale

from casework.auth.models import User
from casework.core.checks import InvalidInput
from casework.enums import TitledEnum
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.i18n import _l, local_zone
from casework.text import fold
from casework.vocab import services as vocab

LANGUAGES = ("fr", "en")
YES = frozenset({"1", "yes", "oui", "true", "vrai", "y", "o"})
NO = frozenset({"0", "no", "non", "false", "faux", "n"})
_NUMBER_RE = re.compile(r"^-?\d+(?:[.,]0+)?$")


class ValueProblem(InvalidInput):
    """A value of a row that cannot be read; the row is refused."""


def in_languages(text) -> list[str]:
    """A lazy string as written in each label language."""
    out = []
    for lang in LANGUAGES:
        with force_locale(lang):
            out.append(str(text))
    return out


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _unknown(column, value) -> ValueProblem:
    return ValueProblem(
        _l("%(field)s: “%(value)s” is not one of the accepted values.", field=column, value=value)
    )


class Lookup:
    """The values an import accepts, read once for the whole file."""

    def __init__(self) -> None:
        self._vocabularies: dict[str, dict[str, str]] = {}
        self._enums: dict[type, dict[str, str]] = {}
        self._units: dict[tuple[str, str], list[AdminUnit]] | None = None
        self._users: dict[str, int] = {}

    # --- choices ---------------------------------------------------------------------------

    def vocabulary(self, vocabulary: str, value: Any, column) -> str | None:
        """A vocabulary's code from its code or its label in French or English."""
        if blank(value):
            return None
        known = self._vocabularies.get(vocabulary)
        if known is None:
            known = {}
            for lang in LANGUAGES:
                for code, label in vocab.choices(vocabulary, lang):
                    known.setdefault(fold(label), code)
            for code, _label in vocab.choices(vocabulary, LANGUAGES[0]):
                known[fold(code)] = code
            self._vocabularies[vocabulary] = known
        found = known.get(fold(text(value)))
        if found is None:
            raise _unknown(column, text(value))
        return found

    def choice(self, enum_class: type[TitledEnum], value: Any, column) -> str | None:
        """An enum's value from itself or its title in French or English."""
        if blank(value):
            return None
        known = self._enums.get(enum_class)
        if known is None:
            known = {}
            for lang in LANGUAGES:
                with force_locale(lang):
                    for member in enum_class:
                        known.setdefault(fold(member.title), member.value)
            for member in enum_class:
                known[fold(member.value)] = member.value
            self._enums[enum_class] = known
        found = known.get(fold(text(value)))
        if found is None:
            raise _unknown(column, text(value))
        return found

    def language(self, value: Any, column) -> str | None:
        if blank(value):
            return None
        names = {"fr": ("fr", "french", "francais"), "en": ("en", "english", "anglais")}
        folded = fold(text(value))
        for code, spellings in names.items():
            if folded in spellings:
                return code
        raise _unknown(column, text(value))

    def user_id(self, value: Any, column) -> int | None:
        """An active user's id from their user name."""
        if blank(value):
            return None
        name = text(value).lower()
        if name not in self._users:
            found = db.session.scalar(
                sa.select(User.id).where(User.username == name, User.is_active.is_(True))
            )
            if found is None:
                raise _unknown(column, text(value))
            self._users[name] = found
        return self._users[name]

    # --- places ----------------------------------------------------------------------------

    def _named(self, kind: UnitKind, folded: str) -> list[AdminUnit]:
        """The units of a kind whose code or name folds to ``folded``, those by code first."""
        if self._units is None:
            self._units = {}
            units = list(db.session.scalars(sa.select(AdminUnit)))
            for key in ("code", "name"):
                for unit in units:
                    found = self._units.setdefault((unit.kind, fold(getattr(unit, key))), [])
                    if unit not in found:
                        found.append(unit)
        return self._units.get((kind.value, folded), [])

    def unit(self, levels: Iterable[tuple[UnitKind, Any, Any]]) -> int | None:
        """The lowest place given: ``levels`` are (kind, value, column) from the region down;
        each value is a code or a name, and the higher ones narrow the lower ones' names."""
        chosen: AdminUnit | None = None
        for kind, value, column in levels:
            if blank(value):
                continue
            wanted = fold(text(value))
            matches = [
                unit
                for unit in self._named(kind, wanted)
                if chosen is None or chosen.contains(unit)
            ]
            by_code = [unit for unit in matches if fold(unit.code) == wanted]
            matches = by_code or matches
            if not matches:
                raise _unknown(column, text(value))
            if len(matches) > 1:
                raise ValueProblem(
                    _l(
                        "%(field)s: several places are called “%(value)s”; give the code or "
                        "the place above it.",
                        field=column,
                        value=text(value),
                    )
                )
            chosen = matches[0]
        return chosen.id if chosen is not None else None


# --- dates and numbers -------------------------------------------------------------------------


def to_date(value: Any, column) -> date | None:
    """A day written YYYY-MM-DD or DD/MM/YYYY, or a spreadsheet's date."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(written[:10], pattern).date()
        except ValueError:
            continue
    raise ValueProblem(
        _l(
            "%(field)s: “%(value)s” is not a date (write YYYY-MM-DD or DD/MM/YYYY).",
            field=column,
            value=written,
        )
    )


def to_moment(value: Any, column) -> datetime | None:
    """An aware UTC moment from an ISO 8601 date and time (KoboToolbox and ODK write
    2026-11-20T14:30:00.000+00:00); without an offset, the app's local time."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        written = text(value).replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(written)
        except ValueError:
            raise ValueProblem(
                _l(
                    "%(field)s: “%(value)s” is not a date and time (write YYYY-MM-DDTHH:MM).",
                    field=column,
                    value=text(value),
                )
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC)


def to_count(value: Any, column) -> int | None:
    """A whole number; spaces between thousands are accepted (1 500)."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise _not_number(column, value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _not_number(column, value)
    written = re.sub(r"[\s\u00a0\u202f]", "", text(value))
    if not _NUMBER_RE.match(written):
        raise _not_number(column, text(value))
    return int(re.split(r"[.,]", written)[0])


def _not_number(column, value) -> ValueProblem:
    return ValueProblem(
        _l("%(field)s: “%(value)s” is not a whole number.", field=column, value=value)
    )


def to_flag(value: Any, column) -> bool | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold(text(value))
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise _unknown(column, text(value))
