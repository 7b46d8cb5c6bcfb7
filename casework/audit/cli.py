"""`casework audit verify`: check the hash chain of the audit trail, against a head kept
elsewhere if given; `casework audit new-key`: a key for the chain."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from casework.audit import services
from casework.audit.keys import new_key

PROBLEMS = {
    "altered": "entry {seq} was altered: its content does not match its hash",
    "removed": "entry {seq} is missing: it was removed",
    "broken_link": "entry {seq} does not follow the entry before it (an entry was removed "
    "or replaced)",
    "truncated": "the log ends before entry {seq}: entries were cut from the end",
    "unkeyed": "entry {seq} is not keyed although entries before it are: it was rewritten "
    "by someone without the key",
    "unknown_key": "entry {seq} was signed with key {key_id}, which is not configured: put "
    "the key that was retired in CASEWORK_AUDIT_OLD_KEYS",
}
ANCHOR_PROBLEMS = {
    "short": "the trail ends at entry {last}, before the expected entry {seq}: entries were "
    "cut from the end",
    "missing": "entry {seq} is missing: it was removed",
    "different": "entry {seq} has hash {found}, not the expected {hash}: the trail was "
    "rewritten up to that entry",
}


class AnchorParam(click.ParamType):
    name = "SEQ:HASH"

    def convert(self, value, param, ctx):
        if isinstance(value, services.Anchor):
            return value
        try:
            return services.Anchor.parse(value)
        except ValueError:
            self.fail(
                f"{value!r} is not SEQ:HASH (an entry number from 1, a colon and the 64 "
                "hexadecimal digits of its hash, as `casework audit verify` prints them).",
                param,
                ctx,
            )


@click.group()
def audit():
    """The audit trail."""


def describe_keys(verdict: services.Verdict) -> str:
    parts = []
    if verdict.plain:
        parts.append(f"{verdict.plain} plain SHA-256 (written before the chain was keyed)")
    for key_id, count in verdict.keyed.items():
        parts.append(f"{count} with key {key_id} ({verdict.sources[key_id]})")
    return "; ".join(parts)


def head_lines(seq: int, digest: str) -> list[str]:
    if seq == 0:
        return ["the trail is empty: no head to keep yet"]
    return [
        f"head: entry {seq}, hash {digest}",
        f"anchor: {seq}:{digest}",
        "Keep the anchor away from this server (a notebook, a message to the programme); "
        f"later `casework audit verify --expect {seq}:{digest}` proves that the trail up to "
        "that entry was neither rewritten nor cut.",
    ]


@audit.command("verify")
@click.option(
    "--expect",
    "anchors",
    multiple=True,
    type=AnchorParam(),
    help="An anchor printed earlier (SEQ:HASH): entry SEQ must still have HASH. Repeatable.",
)
@with_appcontext
def verify_command(anchors: tuple[services.Anchor, ...]):
    """Walk the audit trail's hash chain; exit 1 and name the first entry altered or removed.

    Prints the head (the last entry's number and hash) to keep elsewhere: whoever owns the
    database can cut entries from the end and move the head back, which only a head kept
    elsewhere reveals (--expect).
    """
    verdict = services.verify()
    mismatches = []
    for anchor in anchors:
        checked = services.check_anchor(anchor)
        if not checked.ok:
            message = ANCHOR_PROBLEMS[checked.problem].format(
                seq=anchor.seq, hash=anchor.hash, found=checked.found, last=checked.last_seq
            )
            mismatches.append(
                f"audit trail BROKEN: it does not match the anchor {anchor}: {message}"
            )
    services.db.session.rollback()
    if not verdict.ok:
        problem = PROBLEMS[verdict.problem].format(seq=verdict.seq, key_id=verdict.key_id)
        click.echo(f"audit trail BROKEN: {problem}", err=True)
        click.echo(f"{verdict.checked} entries before it are intact", err=True)
    for line in mismatches:
        click.echo(line, err=True)
    if mismatches and verdict.ok:
        click.echo(
            f"(its {verdict.checked} entries agree among themselves, which whoever owns the "
            "database can arrange; the anchor kept elsewhere cannot be)",
            err=True,
        )
    if mismatches or not verdict.ok:
        raise SystemExit(1)
    click.echo(f"audit trail intact: {verdict.checked} entries checked")
    if verdict.checked:
        click.echo(f"entries: {describe_keys(verdict)}")
    for anchor in anchors:
        click.echo(f"entry {anchor.seq} has the expected hash ({anchor})")
    for line in head_lines(verdict.head_seq, verdict.head_hash):
        click.echo(line)


@audit.command("new-key")
def new_key_command():
    """Print a new random key for CASEWORK_AUDIT_KEY, and its id."""
    raw, key_id = new_key()
    click.echo(f"CASEWORK_AUDIT_KEY={raw}")
    click.echo(
        f"(key id {key_id}) Keep it in the service's environment, not in the database or "
        "its backups; when it replaces a key, move the old one to CASEWORK_AUDIT_OLD_KEYS.",
        err=True,
    )
