"""What the geography services share: the CSV columns, limits, errors and rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import LazyString

from casework.core.errors import DomainError
from casework.i18n import ngettext

REQUIRED_COLUMNS = ("code", "kind", "name", "parent_code")
OPTIONAL_COLUMNS = ("valid_from", "valid_to")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DEFAULT_VALID_FROM = date(2012, 1, 1)
CODE_MAX = 40
NAME_MAX = 120
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
# A region's code starts case references (GAO-2026-0042): short, and no hyphen of its own.
REGION_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STARTER_SET = "data/units.csv"
# Keeps IN (...) lists well below SQLite's limit on bound parameters.
_CHUNK = 500

Message = str | LazyString
Problem = tuple[int, Message]


class _Problems(list[Problem]):
    def add(self, line: int, message: Message) -> None:
        self.append((line, message))


class GeoError(DomainError):
    """A rule of the geography was broken; the message is translated and shown."""


class GeoImportError(GeoError):
    """A CSV file of units was refused. ``problems`` lists every ``(line, message)``, the
    header being line 1; nothing was imported."""

    def __init__(self, problems: Iterable[Problem]):
        # Stable sort: several problems on one line keep the order in which they were found.
        self.problems: list[Problem] = sorted(problems, key=lambda problem: problem[0])
        super().__init__(self.problems)

    @property
    def lines(self) -> list[int]:
        """The bad line numbers, each once."""
        return sorted({line for line, _message in self.problems})

    def messages(self) -> list[str]:
        return [str(message) for _line, message in self.problems]

    def __str__(self) -> str:
        return ngettext(
            "The file has a problem on %(num)d line; nothing was imported.",
            "The file has problems on %(num)d lines; nothing was imported.",
            len(self.lines),
        )


@dataclass(frozen=True)
class UnitRow:
    """One checked line of a units file."""

    line: int
    code: str
    kind: str
    name: str
    parent_code: str | None
    valid_from: date = DEFAULT_VALID_FROM
    valid_to: date | None = None


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Parsed:
    rows: list[UnitRow] = field(default_factory=list)
    # Every line with a code, good or bad: (line, code, kind or None when unusable).
    entries: list[tuple[int, str, str | None]] = field(default_factory=list)
    problems: _Problems = field(default_factory=_Problems)
