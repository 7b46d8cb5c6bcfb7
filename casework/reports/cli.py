"""`casework report ...`: the periodic report and the case summary from the command line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from casework.cases.models import Case
from casework.core.errors import DomainError
from casework.extensions import db
from casework.geo import services as geo
from casework.reports import highlights, render
from casework.reports.indicators import build_report
from casework.reports.periods import parse_period


@click.group("report")
def report():
    """Reports in French or English, whatever the interface language."""


def _write(content: bytes, output: str) -> None:
    """Write the whole file or nothing: a failed report leaves no partial file."""
    target = Path(output)
    handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".casework-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@report.command("periodic")
@click.option("--period", required=True, help="2026-10, 2026-Q3, 2026 or 2026-01-01..2026-03-31")
@click.option(
    "--area", default="", help="The code of a region, cercle or commune (all when empty)."
)
@click.option("--lang", default="fr", show_default=True)
@click.option(
    "--format", "fmt", default="pdf", show_default=True, type=click.Choice(render.FORMATS)
)
@click.option("--anonymised", is_flag=True, help="For partners: no names, small counts hidden.")
@click.option("--compare", is_flag=True, help="With the previous period beside each figure.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def periodic_command(period, area, lang, fmt, anonymised, compare, output):
    """The periodic report with every indicator."""
    unit = None
    if area:
        unit = geo.get_unit_by_code(area.upper())
        if unit is None:
            raise click.ClickException(f"Unknown area: {area}.")
    with current_app.test_request_context("/"):
        try:
            render.check_request(lang, fmt)
            asked = parse_period(period)
            built = build_report(
                asked,
                unit,
                anonymised=anonymised,
                compare=compare,
                highlights=highlights.for_report(unit, asked),
            )
            rendered = render.render_periodic(built, lang, fmt)
        except DomainError as error:
            raise click.ClickException(str(error)) from error
    _write(rendered.content, output)
    click.echo(f"Wrote {output} ({len(rendered.content)} bytes).")


@report.command("case")
@click.argument("reference")
@click.option("--lang", default="fr", show_default=True)
@click.option(
    "--format", "fmt", default="pdf", show_default=True, type=click.Choice(render.CASE_FORMATS)
)
@click.option("--redacted", is_flag=True, help="Leave out names, communities and narratives.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def case_command(reference, lang, fmt, redacted, output):
    """The summary of one case (fiche de dossier)."""
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise click.ClickException(f"Unknown case reference: {reference}.")
    with current_app.test_request_context("/"):
        try:
            rendered = render.render_case_summary(case, lang, fmt, redacted=redacted)
        except DomainError as error:
            raise click.ClickException(str(error)) from error
    _write(rendered.content, output)
    click.echo(f"Wrote {output} ({len(rendered.content)} bytes).")
