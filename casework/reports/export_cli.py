"""`casework export KIND`: write one data export to a CSV or XLSX file.

The file is written beside its destination under a temporary name and renamed at the end,
so that a failed export leaves no partial file. It is readable by its owner only (it may
hold names of parties).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.auth import services as accounts
from casework.db import utcnow
from casework.extensions import db
from casework.reports.exports import (
    CSV_SEPARATORS,
    EXPORTS,
    FORMATS,
    ExportError,
    check_format,
    check_language,
    csv_dialect,
    download_name,
    export_rows,
    write_csv,
    write_xlsx,
)
from casework.roles import Role


@dataclass(frozen=True)
class CommandLine:
    """Who runs an export without --user: the operator of the server, who sees everything
    as an administrator does. Never stored."""

    role: str = Role.ADMIN.value
    area = None
    is_authenticated = True
    username = "(command line)"


@click.group()
def export():
    """Data exports (CSV or XLSX) for analysis in a spreadsheet.

    One command per kind, e.g. casework export cases --lang fr --format xlsx -o cases.xlsx
    """


def run_export(
    kind: str, lang: str, fmt: str | None, output: Path | None, username, sep: str | None = None
) -> Path:
    """Check everything, then write the file; a refusal raises ClickException (exit 1)
    before any file is made."""
    fmt = fmt or _format_from(output)
    user = CommandLine()
    if username is not None:
        user = accounts.get_user_by_username(username)
        if user is None:
            raise click.ClickException(f"No user named {username!r}.")
    try:
        check_format(fmt)
        check_language(lang)
        if fmt == "csv":
            csv_dialect(lang, sep)
        export_rows(kind, user, lang)  # the kind and the permission, checked now
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    target = output or Path(download_name(kind, lang, fmt, utcnow().date()))
    if not target.parent.is_dir():
        raise click.ClickException(f"No directory {str(target.parent)!r}.")
    try:
        _write_atomically(target, lambda handle: _write(kind, user, lang, fmt, handle, sep))
    finally:
        db.session.rollback()  # an export only reads
    return target


def _format_from(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in FORMATS else "csv"


def _write(kind: str, user, lang: str, fmt: str, handle, sep: str | None = None) -> None:
    if fmt == "xlsx":
        write_xlsx(kind, user, lang, handle)
    else:
        write_csv(kind, user, lang, handle, sep)


def _write_atomically(target: Path, write) -> None:
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _kind_command(kind: str) -> click.Command:
    @click.command(kind, help=f"Write the {kind} export to a file.")
    @click.option(
        "--lang", default="fr", show_default=True, help="Language of headers and labels: fr or en."
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="File format (default: the output file's extension, else csv).",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="File to write (default: KIND-DATE-LANG.FORMAT in the current directory).",
    )
    @click.option("--user", "username", help="Export only what this user may see.")
    @click.option(
        "--sep",
        type=click.Choice(sorted(CSV_SEPARATORS)),
        help="CSV separator (default: semicolon for fr, with decimal commas; comma for en).",
    )
    @with_appcontext
    def command(lang, fmt, output, username, sep):
        target = run_export(kind, lang, fmt, output, username, sep)
        click.echo(f"Wrote {target}.")

    return command


for _kind in EXPORTS:
    export.add_command(_kind_command(_kind))
