"""`casework backup`, `casework restore` and `casework anonymise`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.audit import cli as audit_cli
from casework.audit import services as audit
from casework.extensions import db
from casework.maintenance import anonymise as anonymising
from casework.maintenance import backup as backups
from casework.maintenance import derived


def _size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)  # not reached


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {number}" for table, number in counts.items())


@click.command("backup")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The backup file."
)
@click.option("--force", is_flag=True, help="Replace an existing file of that name.")
@with_appcontext
def backup_command(output: Path, force: bool):
    """A consistent copy of the database, taken while the application runs.

    SQLite: the online backup API; PostgreSQL: pg_dump --format=custom. The SHA-256
    checksum is written beside it, in FILE.sha256.
    """
    try:
        result = backups.backup(output, force=force)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.session.rollback()
    audit.record(
        "backup",
        details={"file": str(result.path), "sha256": result.sha256, "cases": result.cases},
    )
    db.session.commit()
    click.echo(
        f"Wrote {result.path} ({_size(result.size)}, {result.cases} cases); "
        f"SHA-256 {result.sha256} in {backups.checksum_path(result.path).name}."
    )
    click.echo("The audit trail in the backup:")
    for line in audit_cli.head_lines(result.audit_seq, result.audit_hash):
        click.echo(line)


@click.command("restore")
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(backup_file: Path, yes: bool):
    """Replace the database with a backup, after checking it.

    The checksum, the integrity of the file and its schema revision are checked first;
    when one fails nothing is changed. Stop the application before restoring.
    """
    db.session.rollback()
    try:
        checked = backups.check_backup(backup_file)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    try:
        summary = f" ({_counts(checked.counts)})" if checked.counts else ""
        click.echo(
            f"{backup_file}: checksum, integrity and schema revision {checked.revision} "
            f"are correct{summary}."
        )
        if not yes:
            click.confirm(
                "Replace the current database with this backup? Everything recorded since "
                "the backup will be gone from it",
                abort=True,
            )
        counts = backups.restore(checked)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        checked.discard()
    # Written into the restored database: its chain goes on from the backup's last entry.
    db.session.remove()
    audit.record(
        "restore_backup",
        details={"file": str(backup_file), "revision": checked.revision, **counts},
    )
    db.session.commit()
    click.echo(f"Restored {backup_file}: {_counts(counts)}.")


@click.command("anonymise")
@click.option(
    "--closed-before",
    "closed_before",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Cases closed before this date (YYYY-MM-DD) lose their personal data.",
)
@click.option("--dry-run", is_flag=True, help="Only say how many cases would change.")
@with_appcontext
def anonymise_command(closed_before, dry_run: bool):
    """Remove the personal data of old closed cases; every figure of the reports stays.

    Names, communities and everything people wrote about the case go; codes, dates,
    counts, states, outcomes and ladder levels stay. Running it again changes nothing.
    """
    day = closed_before.date()
    if day > date.today():
        raise click.BadParameter(
            f"{day.isoformat()} is in the future.", param_hint="'--closed-before'"
        )
    if dry_run:
        count = anonymising.count_due(day)
        db.session.rollback()
        click.echo(f"{count} cases closed before {day.isoformat()} would be anonymised.")
        return
    count = anonymising.anonymise_closed_cases(day)
    db.session.commit()
    click.echo(f"Anonymised {count} cases closed before {day.isoformat()}.")


@click.command("check-derived")
@click.option("--fix", is_flag=True, help="Set right the values found wrong.")
@with_appcontext
def check_derived_command(fix: bool):
    """Check the values kept derived from others against what they derive from: each
    case's next due date, the case counts, the unit on a case's records, each term's amount
    left to pay.

    Every change made through the application keeps them; a row written around it (by hand
    in the database) is found here, and set right with --fix. Exits with 1 when a value is
    wrong and not fixed.
    """
    results = derived.check(db.session.connection(), fix=fix)
    wrong = False
    for check, found in results:
        if not found:
            click.echo(f"Right: {check.what}.")
            continue
        wrong = True
        shown = ", ".join(_shown(key) for key in found[:20])
        more = f" and {len(found) - 20} more" if len(found) > 20 else ""
        verb = "Set right" if fix else "Wrong"
        click.echo(f"{verb}: {check.what}: {len(found)} ({shown}{more}).")
    if fix and wrong:
        db.session.commit()
        return
    db.session.rollback()
    if wrong:
        sys.exit(1)


def _shown(key) -> str:
    if isinstance(key, tuple):
        return " ".join(str(part) for part in key)
    return str(key)


COMMANDS = (backup_command, restore_command, anonymise_command, check_derived_command)
