"""`casework forms ...` and `casework import ...`: XLSForms for KoboToolbox and ODK, and the
imports of their submissions and of case registers."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from casework.auth.models import User
from casework.extensions import db
from casework.integrations import odk, spreadsheet
from casework.integrations.common import ImportFileError, ImportReport, rejects_csv
from casework.integrations.xlsform import FORMS, build_xlsform
from casework.roles import Role


@click.group("forms")
def forms():
    """Forms for KoboToolbox and ODK Collect."""


@forms.command("xlsform")
@click.option(
    "--form",
    "form_name",
    type=click.Choice([*FORMS, "all"]),
    default="all",
    show_default=True,
    help="intake: a case and its parties; alert: an early-warning alert; visit: a follow-up.",
)
@click.option(
    "--out",
    type=click.Path(),
    help="The file to write (one form), or the folder (all); casework_<form>.xlsx by default.",
)
@with_appcontext
def xlsform_command(form_name: str, out: str | None):
    """Write XLSForms (French and English) from the current vocabularies and geography:
    upload each to KoboToolbox or ODK Central; write them again after a change."""
    names = FORMS if form_name == "all" else (form_name,)
    for name in names:
        if form_name == "all" or out is None:
            path = Path(out or ".") / f"casework_{name}.xlsx"
        else:
            path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build_xlsform(name))
        click.echo(f"Wrote {path}")


@click.group("import")
def import_group():
    """Import submissions from KoboToolbox or ODK, and case registers."""


def _user(username: str | None) -> User:
    if username:
        user = db.session.scalar(sa.select(User).where(User.username == username.lower()))
        if user is None or not user.is_active:
            raise click.ClickException(f"No active user named {username}.")
        return user
    admins = list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.ADMIN.value, User.is_active.is_(True))
        )
    )
    if len(admins) != 1:
        raise click.ClickException("Say as whom to import: --as USERNAME.")
    return admins[0]


def _finish(report: ImportReport, *, may_skip: bool = True) -> None:
    for row in report.rows:
        if row.messages:
            click.echo(f"Row {row.line} ({row.key or '-'}): {row.message}", err=True)
    verb = "Would create" if report.dry_run else "Created"
    if not report.keep and not report.dry_run:
        verb = "Would have created"
    click.echo(
        f"{verb} {report.created}, already imported {report.already}, "
        f"rejected {report.invalid} row(s)."
    )
    if report.keep:
        db.session.commit()
        return
    db.session.rollback()
    if report.dry_run:
        click.echo("Nothing was imported (--dry-run).")
    else:
        hint = ", or import the valid ones with --skip-invalid" if may_skip else ""
        raise click.ClickException(f"Nothing was imported: correct the rows above{hint}.")


@import_group.command("odk")
@click.argument("export", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.argument(
    "repeats", metavar="[PARTIES.csv]...", nargs=-1, type=click.Path(exists=True, dir_okay=False)
)
@click.option("--dry-run", is_flag=True, help="Check and report; import nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, reject the others.")
@click.option("--rejects", type=click.Path(dir_okay=False), help="Write the rejected rows here.")
@click.option("--as", "username", help="The user who imports (their area applies).")
@with_appcontext
def import_odk_command(export, repeats, dry_run, skip_invalid, rejects, username):
    """Import the submissions of our forms exported from KoboToolbox or ODK Central (JSON,
    or CSV with the parties' CSV files after it). Submissions already imported (same
    instanceID) are skipped; any wrong row stops the import unless --skip-invalid."""
    user = _user(username)
    data = Path(export).read_bytes()
    try:
        submissions = odk.read_submissions(data, [Path(p).read_bytes() for p in repeats])
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    report = odk.import_submissions(submissions, user, dry_run=dry_run, skip_invalid=skip_invalid)
    if rejects and report.rejected:
        if rejects.endswith(".json"):
            content = json.dumps(
                [
                    {"row": row.line, "error": row.message, "submission": row.raw}
                    for row in report.rejected
                ],
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        else:
            content = rejects_csv(report)
        Path(rejects).write_text(content, encoding="utf-8")
        click.echo(f"Rejected rows written to {rejects}")
    _finish(report)


@import_group.command("cases")
@click.argument("register", metavar="FILE.xlsx|FILE.csv", type=click.Path(exists=True))
@click.option("--dry-run", is_flag=True, help="Check and report; import nothing.")
@click.option("--as", "username", help="The user who imports (their area applies).")
@with_appcontext
def import_cases_command(register, dry_run, username):
    """Import a case register: one case a row, headers in French or English (see the
    template on the import page). All or nothing; rows already imported (same register
    reference) are skipped."""
    user = _user(username)
    try:
        rows = spreadsheet.read_register(Path(register).read_bytes())
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    _finish(spreadsheet.import_register(rows, user, dry_run=dry_run), may_skip=False)


COMMANDS = (forms, import_group)
