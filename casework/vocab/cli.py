"""`casework vocab ...`: the controlled vocabularies."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.extensions import db
from casework.vocab import services


@click.group("vocab")
def vocab():
    """Controlled vocabularies."""


@vocab.command("seed")
@with_appcontext
def seed_command():
    """Load the standard vocabularies (safe to repeat: adds missing terms, edits nothing)."""
    result = services.seed_vocabularies()
    db.session.commit()
    click.echo(
        f"Vocabularies seeded: {result.created} terms created, "
        f"{result.updated_labels} terms given a missing label."
    )


@vocab.command("list")
@click.argument("vocabulary", required=False, type=click.Choice(list(services.VOCABULARIES)))
@with_appcontext
def list_command(vocabulary):
    """List the vocabularies, or the terms of one VOCABULARY (inactive ones marked)."""
    if vocabulary is None:
        for name, (total, active) in services.term_counts().items():
            click.echo(f"{name}\t{total} terms\t{total - active} inactive")
        return
    for term in services.terms(vocabulary, include_inactive=True):
        flags = "active" if term.is_active else "inactive"
        if term.mandatory_referral:
            flags += ",mandatory-referral"
        labels = term.labels or {}
        click.echo(f"{term.code}\t{flags}\t{labels.get('fr', '')}\t{labels.get('en', '')}")
