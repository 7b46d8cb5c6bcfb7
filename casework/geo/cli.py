"""`casework geo ...`: the geography reference data."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.extensions import db
from casework.geo import services
from casework.geo.models import UnitKind


@click.group("geo")
def geo():
    """Administrative units and sites."""


def _report(result: services.ImportResult, *, dry_run: bool = False) -> None:
    verb = "Would create" if dry_run else "Created"
    click.echo(
        f"{verb} {result.created}, updated {result.updated}, unchanged {result.unchanged} unit(s)."
    )


@geo.command("import")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report; import nothing.")
@with_appcontext
def import_command(csv_file: str, dry_run: bool):
    """Import units from a CSV file: all of it, or nothing if any line is wrong.

    Units with a new code are created, the others updated. Columns: code, kind, name,
    parent_code, and optionally valid_from, valid_to.
    """
    try:
        result = services.import_units(Path(csv_file).read_bytes(), dry_run=dry_run)
    except services.GeoImportError as error:
        db.session.rollback()
        for message in error.messages():
            click.echo(message, err=True)
        raise click.ClickException(str(error)) from None
    if dry_run:
        db.session.rollback()
        click.echo("The file is valid; nothing was imported (--dry-run).")
    else:
        db.session.commit()
    _report(result, dry_run=dry_run)


@geo.command("seed")
@with_appcontext
def seed_command():
    """Load the starter set of units (idempotent)."""
    result = services.seed_units()
    db.session.commit()
    _report(result)


@geo.command("list")
@click.option(
    "--kind", type=click.Choice([kind.value for kind in UnitKind]), help="Only this kind."
)
@with_appcontext
def list_command(kind: str | None):
    """List units in tree order: code, kind, valid from, valid to, label."""
    for unit in services.list_units(kind):
        valid_to = unit.valid_to.isoformat() if unit.valid_to else "-"
        click.echo(
            f"{unit.code}\t{unit.kind}\t{unit.valid_from.isoformat()}\t{valid_to}\t{unit.label}"
        )
