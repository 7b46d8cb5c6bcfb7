"""`casework audit verify`: check the hash chain of the audit trail."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.audit import services

PROBLEMS = {
    "altered": "entry {seq} was altered: its content does not match its hash",
    "removed": "entry {seq} is missing: it was removed",
    "broken_link": "entry {seq} does not follow the entry before it (an entry was removed "
    "or replaced)",
    "truncated": "the log ends before entry {seq}: entries were cut from the end",
}


@click.group()
def audit():
    """The audit trail."""


@audit.command("verify")
@with_appcontext
def verify_command():
    """Walk the audit trail's hash chain; exit 1 and name the first entry altered or removed."""
    verdict = services.verify()
    if verdict.ok:
        click.echo(f"audit trail intact: {verdict.checked} entries checked")
        return
    click.echo(f"audit trail BROKEN: {PROBLEMS[verdict.problem].format(seq=verdict.seq)}", err=True)
    click.echo(f"{verdict.checked} entries before it are intact", err=True)
    raise SystemExit(1)
