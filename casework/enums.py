"""Small code-level enumerations whose values are stored and whose titles are translated."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class TitledEnum(enum.StrEnum):
    """A StrEnum with a translated title per member, given once with ``set_titles``."""

    @property
    def title(self) -> str:
        return str(type(self)._titles[self])

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


def title_filter(enum_class: type[TitledEnum]):
    """A template filter: a stored code's translated title (the code itself when unknown)."""

    def title(value) -> str:
        try:
            return enum_class(value).title
        except ValueError:
            return value or ""

    return title
