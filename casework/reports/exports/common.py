"""What the exports share: formats, limits, who may see names, the column and spec types."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.access import CASE_ROLES
from casework.core.errors import DomainError
from casework.permissions import Action, Resource, roles_with
from casework.policing.access import POLICING_ROLES
from casework.roles import Role

# Rows fetched per round trip: a server-side cursor on PostgreSQL, fetchmany on SQLite.
YIELD_PER = 500
FORMATS = ("csv", "xlsx")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX is built on disk past this size rather than in memory.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
# Spreadsheets run a cell that starts with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

TEXT, INT, DATE, DATETIME, BOOL = "text", "int", "date", "datetime", "bool"

# CSV as a spreadsheet of the export's language opens it: Excel in a French locale splits
# lines on semicolons and reads decimal commas; in English, on commas, with decimal points.
CSV_SEPARATORS = {"semicolon": ";", "comma": ",", "tab": "\t"}
CSV_DEFAULT_SEPARATOR = {"fr": "semicolon", "en": "comma"}

# Names of people (parties, signatories) and their community: only the roles that handle
# mediation cases. Today they are also the only roles that may export those records; the
# rule is kept per column so that a wider export cannot leak them.
CASE_EXPORT_ROLES = roles_with(Resource.CASE, Action.EXPORT)
POLICING_EXPORT_ROLES = roles_with(Resource.POLICING, Action.EXPORT)
NAME_ROLES = CASE_ROLES
# The relay code is a pseudonym, never a name: the roles that record and read alerts.
RELAY_CODE_ROLES = POLICING_ROLES


class ExportError(DomainError):
    """An export cannot be made (unknown kind or language, or not allowed)."""


@dataclass(frozen=True)
class Column:
    """One field of an export. A column with a ``vocabulary`` or an ``enum`` is coded: it
    gives a code column and a label column."""

    key: str
    header: Any  # a lazy string, rendered in the export's language
    expr: Any = None  # the SQL expression selected as ``key``
    kind: str = TEXT
    vocabulary: str | None = None
    enum: type | None = None
    compute: Callable[[Mapping[str, Any]], Any] | None = None  # from the row's other values
    needs: tuple[tuple[str, Any], ...] = ()  # (key, expression) that ``compute`` reads
    roles: frozenset[Role] | None = None  # only these roles get the column
    personal: bool = False  # removed from anonymised cases: says "anonymised" there
    # Also removed from restricted cases for those who may not see their details (issue 12).
    # A reference to another case (this alias of cases): blank when that case is secret and
    # the user may not see it.
    case_link: Any = None

    @property
    def coded(self) -> bool:
        return self.vocabulary is not None or self.enum is not None


@dataclass(frozen=True)
class OutputColumn:
    """A column of the file: its key, its header in the export's language, its kind."""

    key: str
    header: str
    kind: str


@dataclass(frozen=True)
class ExportSpec:
    name: str
    title: Any  # lazy: the sheet's name
    roles: frozenset[Role]
    model: type
    scope: Callable[[User], Any]  # the rows the user may see
    joins: Callable[[sa.Select], sa.Select]
    columns: tuple[Column, ...]
