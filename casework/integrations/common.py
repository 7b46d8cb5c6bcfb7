"""What every import shares: rows checked and created one by one through the services, each
in a savepoint, and a report of what happened to each row.

The services flush and never commit: the caller commits when ``ImportReport.keep`` says so
(no wrong row, or ``skip_invalid``; never on a dry run) and rolls back otherwise, so that a
file with one wrong row imports nothing."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from casework.audit import services as audit
from casework.core.errors import DomainError
from casework.extensions import db
from casework.i18n import _l


class ImportFileError(DomainError):
    """The file as a whole cannot be read (format, columns): nothing is imported."""


class Outcome(enum.StrEnum):
    CREATED = "created"
    ALREADY = "already"  # imported before (same instanceID or external reference)
    INVALID = "invalid"


OUTCOME_TITLES = {
    Outcome.CREATED: _l("to import"),
    Outcome.ALREADY: _l("already imported"),
    Outcome.INVALID: _l("to correct"),
}


@dataclass
class RowResult:
    line: int  # the row's number in the file (a spreadsheet's row, a submission's rank)
    key: str  # the submission's instanceID or the register's reference
    outcome: Outcome
    messages: list[str] = field(default_factory=list)
    record: str = ""  # what it made: a case's reference, an alert's number
    raw: dict[str, Any] = field(default_factory=dict)  # the row as read, for a rejects file

    @property
    def title(self) -> str:
        return str(OUTCOME_TITLES[self.outcome])

    @property
    def message(self) -> str:
        return " ".join(self.messages)


@dataclass
class ImportReport:
    rows: list[RowResult]
    dry_run: bool
    skip_invalid: bool

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def already(self) -> int:
        return self.count(Outcome.ALREADY)

    @property
    def invalid(self) -> int:
        return self.count(Outcome.INVALID)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == Outcome.INVALID]

    @property
    def keep(self) -> bool:
        """Whether the caller commits what was created."""
        return not self.dry_run and (self.invalid == 0 or self.skip_invalid)

    def errors(self) -> list[str]:
        """One translated line per wrong row: "Row 7: the title is required." """
        return [
            str(_l("Row %(line)s: %(message)s", line=row.line, message=row.message))
            for row in self.rejected
        ]


@dataclass
class Row:
    """A row to import: its number, its key, what was read, and the problems found while
    reading its values (the row is refused without calling a service when there are some)."""

    line: int
    key: str
    raw: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    data: Any = None  # what the service is given


def run_rows(
    rows: Iterable[Row],
    create: Callable[[Row], str],
    known: Callable[[list[str]], set[str]],
    *,
    dry_run: bool,
    skip_invalid: bool,
    missing_key,
    source: str,
) -> ImportReport:
    """Create each row with ``create`` (which returns what it made, e.g. a case's reference)
    in a savepoint of its own; rows whose key ``known`` already holds, or that came before in
    the file, are skipped. An import that is kept is one entry of the audit trail (``source``:
    what was read), beside the entries of the records it made."""
    rows = list(rows)
    done = known([row.key for row in rows if row.key])
    results: list[RowResult] = []
    for row in rows:
        result = RowResult(row.line, row.key, Outcome.CREATED, raw=row.raw)
        results.append(result)
        if not row.key:
            result.outcome = Outcome.INVALID
            result.messages.append(str(missing_key))
            continue
        if row.key in done:
            result.outcome = Outcome.ALREADY
            continue
        if row.problems:
            result.outcome = Outcome.INVALID
            result.messages.extend(row.problems)
            continue
        savepoint = db.session.begin_nested()
        try:
            result.record = create(row)
            savepoint.commit()
        except DomainError as error:
            savepoint.rollback()
            result.outcome = Outcome.INVALID
            result.messages.append(str(error))
            continue
        done.add(row.key)
    report = ImportReport(results, dry_run=dry_run, skip_invalid=skip_invalid)
    if report.keep and report.created:
        audit.record(
            "import",
            object_type=source,
            details={
                "created": report.created,
                "already": report.already,
                "rejected": report.invalid,
                "records": [row.record for row in results if row.outcome == Outcome.CREATED],
            },
        )
    return report


def rejects_csv(report: ImportReport) -> str:
    """The rejected rows as CSV: their values as read, then the reason."""
    columns: list[str] = []
    for row in report.rejected:
        for name in row.raw:
            if name not in columns and not isinstance(row.raw[name], list | dict):
                columns.append(name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", *columns, "error"])
    for row in report.rejected:
        writer.writerow([row.line, *(row.raw.get(name, "") for name in columns), row.message])
    return out.getvalue()
