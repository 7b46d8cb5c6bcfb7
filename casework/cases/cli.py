"""`casework fractions ...`: the registry of nomadic fractions."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.cases import services
from casework.extensions import db


@click.group("fractions")
def fractions():
    """The registry of nomadic fractions."""


@fractions.command("seed")
@with_appcontext
def seed_command():
    """Add the starter fractions that are missing (after `geo seed` and `vocab seed`; safe to
    repeat: a fraction already in the registry is left as it is)."""
    result = services.seed_fractions()
    db.session.commit()
    click.echo(
        f"Fractions seeded: {result.created} created, {result.skipped} already there or "
        "without their home commune."
    )
