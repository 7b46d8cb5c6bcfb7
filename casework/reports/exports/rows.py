"""The rows of an export: columns the user may see, read in batches, labelled."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale

from casework.auth.models import User
from casework.cases.access import STANDARD, details_hidden_clause, secret_hidden_condition
from casework.cases.models import Case
from casework.extensions import db
from casework.i18n import _l
from casework.reports.exports.catalogue import _case_scope, _code_header
from casework.reports.exports.checks import _check, _has_role, get_spec
from casework.reports.exports.common import (
    BOOL,
    DATETIME,
    TEXT,
    YIELD_PER,
    Column,
    ExportSpec,
    OutputColumn,
)
from casework.vocab import services as vocab

# --- rows -------------------------------------------------------------------------------------


def _columns(spec: ExportSpec, user: User) -> list[Column]:
    return [c for c in spec.columns if c.roles is None or _has_role(user, c.roles)]


ANONYMISED_AT = "case_anonymised_at"
DETAILS_HIDDEN = "case_details_hidden"


def _reader(column: Column, masked: bool = False) -> Callable[[Mapping[str, Any]], Any]:
    """How a file column reads its value from a row. ``masked``: the user may not see the
    details of some cases (restricted ones not theirs), whose personal columns then say
    "restricted"."""
    if column.compute is not None:
        return column.compute
    key = column.key
    if column.personal:
        word = str(_l("anonymised"))  # called inside force_locale: the export's language
        if masked:
            hidden = str(_l("restricted"))
            return lambda row: (
                word
                if row[ANONYMISED_AT] is not None
                else hidden
                if row[DETAILS_HIDDEN]
                else row[key]
            )
        return lambda row: word if row[ANONYMISED_AT] is not None else row[key]
    return lambda row: row[key]


def _labeller(column: Column, read, lang: str) -> Callable[[Mapping[str, Any]], str]:
    """The label of a coded value in ``lang`` (the code itself if unknown)."""
    if column.vocabulary is not None:
        name = column.vocabulary
        # Every term's label in ``lang``, once (loaded now, not while rows stream); an odd
        # code goes through vocab.label, which gives the code itself.
        labels = {
            term.code: vocab.label(name, term.code, lang)
            for term in vocab.terms(name, include_inactive=True)
        }

        def vocabulary_label(row: Mapping[str, Any]) -> str:
            code = read(row)
            found = labels.get(code)
            return found if found is not None else vocab.label(name, code, lang)

        return vocabulary_label
    # A few members each: their titles are rendered once (call inside force_locale).
    titles = {str(member.value): member.title for member in column.enum}

    def label(row: Mapping[str, Any]) -> str:
        code = read(row)
        return "" if code is None else titles.get(str(code), str(code))

    return label


def _plan(spec: ExportSpec, user: User, lang: str):
    """The columns to select, the file's columns (headers in ``lang``) and a getter for
    each file column."""
    columns = _columns(spec, user)
    masked = _masks_details(spec, user)
    output: list[OutputColumn] = []
    getters: list[Callable[[Mapping[str, Any]], Any]] = []
    with force_locale(lang):
        for column in columns:
            read = _reader(column, masked)
            if not column.coded:
                output.append(OutputColumn(column.key, str(column.header), column.kind))
                getters.append(read)
                continue
            output.append(OutputColumn(column.key, str(_code_header(column.header)), column.kind))
            getters.append(read)
            output.append(OutputColumn(f"{column.key}_label", str(column.header), TEXT))
            getters.append(_labeller(column, read, lang))
    return columns, output, getters


def _masks_details(spec: ExportSpec, user: User) -> bool:
    """Whether the export's rows belong to cases and the user may not see the details of
    some of them."""
    return spec.scope is _case_scope and details_hidden_clause(user) is not None


def _statement(spec: ExportSpec, user: User, columns: list[Column]) -> sa.Select:
    selected = {c.key: c.expr for c in columns if c.expr is not None}
    for column in columns:
        if column.case_link is not None:
            hidden = secret_hidden_condition(user, column.case_link)
            if hidden is not None:
                selected[column.key] = sa.case((hidden, sa.null()), else_=column.expr)
    masked = _masks_details(spec, user)
    for column in columns:
        for key, expr in column.needs:
            selected.setdefault(key, expr)
        if column.personal:
            selected.setdefault(ANONYMISED_AT, Case.anonymised_at)
            if masked:
                selected.setdefault(DETAILS_HIDDEN, details_hidden_clause(user))
    statement = sa.select(*(expr.label(key) for key, expr in selected.items()))
    statement = spec.joins(statement.select_from(spec.model))
    return statement.where(spec.scope(user)).order_by(spec.model.id)


def _plain(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == BOOL:
        return 1 if value else 0
    if kind == DATETIME and isinstance(value, datetime):
        if value.tzinfo is None:  # stored naive on SQLite, and UTC (casework.db.UTCDateTime)
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return value


def _generate(statement: sa.Select, output, getters) -> Iterator[list]:
    yield [column.header for column in output]
    kinds = [column.kind for column in output]
    result = db.session.execute(statement.execution_options(yield_per=YIELD_PER))
    try:
        for row in result.mappings():
            yield [_plain(get(row), kind) for get, kind in zip(getters, kinds, strict=True)]
    finally:
        result.close()


def _prepare(name: str, user: User, lang: str):
    spec = _check(name, user, lang)
    columns, output, getters = _plan(spec, user, lang)
    return spec, output, _generate(_statement(spec, user, columns), output, getters)


def confidential_cases(name: str, user: User) -> list[tuple[int, str]]:
    """The restricted and secret cases (id, level) that have a row in the user's export, for
    the audit trail; none for an export that is not of cases."""
    spec = get_spec(name)
    if spec.scope is not _case_scope:
        return []
    statement = spec.joins(sa.select(Case.id, Case.confidentiality).select_from(spec.model))
    statement = statement.where(spec.scope(user), Case.confidentiality != STANDARD)
    return [tuple(row) for row in db.session.execute(statement.distinct().order_by(Case.id))]


def export_rows(name: str, user: User, lang: str) -> Iterator[list]:
    """The export's rows, header first, read from the database in batches.

    The checks (export, language, permission) run at once and raise ExportError; the rows
    come lazily, from a generator. Values are plain: int, str, ``date``, naive UTC
    ``datetime`` (to the second) or None; yes/no are 1 and 0. Call inside an app context.
    """
    return _prepare(name, user, lang)[2]


def export_columns(name: str, user: User, lang: str) -> list[OutputColumn]:
    """The file's columns for this user, with headers in ``lang``."""
    spec = _check(name, user, lang)
    return _plan(spec, user, lang)[1]
