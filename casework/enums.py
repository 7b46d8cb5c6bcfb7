"""Small code-level enumerations whose values are stored and whose titles are translated."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from flask_babel import get_locale

# (enum class, locale) -> {member: title}: a title is translated once per language and process
# (the catalogues do not change while it runs), not on every use (a list page shows 25).
_TITLES_IN: dict[tuple[type, str], dict] = {}


class TitledEnum(enum.StrEnum):
    """A StrEnum with a translated title per member, given once with ``set_titles``."""

    @property
    def title(self) -> str:
        cls = type(self)
        locale = get_locale()
        if locale is None:
            return str(cls._titles[self])
        key = (cls, str(locale))
        titles = _TITLES_IN.get(key)
        if titles is None:
            titles = _TITLES_IN[key] = {member: str(cls._titles[member]) for member in cls}
        return titles[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.title) for member in cls]

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


def set_titles(enum_class: type[TitledEnum], titles: Mapping) -> None:
    missing = set(enum_class) - set(titles)
    if missing:
        raise ValueError(f"{enum_class.__name__} lacks titles for {sorted(missing)}")
    type.__setattr__(enum_class, "_titles", dict(titles))
    for key in [key for key in _TITLES_IN if key[0] is enum_class]:
        del _TITLES_IN[key]


def title_filter(enum_class: type[TitledEnum]):
    """A template filter: a stored code's translated title (the code itself when unknown)."""

    def title(value) -> str:
        try:
            return enum_class(value).title
        except ValueError:
            return value or ""

    return title
