"""The whole run and the ``casework demo generate`` command."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from casework.cases import due
from casework.cases.models import Case, CaseCounter
from casework.db import utcnow
from casework.extensions import db
from casework.generate.cases import _Generator
from casework.generate.data import DEFAULT_SEED
from casework.generate.policing import _activity, _actors, _alert, _police_units
from casework.generate.writer import GenerateResult, _create_staff, _Ids, _places, _Writer
from casework.geo.services import seed_units
from casework.vocab.services import seed_vocabularies

# --- the whole run --------------------------------------------------------------------------

ID_TABLES = (
    "cases", "parties", "mediation_sessions", "agreements", "agreement_terms", "actors",
    "police_units", "police_activities",
)  # fmt: skip


def _next_ids(connection: sa.Connection) -> _Ids:
    values = {}
    for name in ID_TABLES:
        table = db.metadata.tables[name]
        values[name] = (connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
    return _Ids(values)


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: rows were given explicit ids, so move each id sequence past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
            )
        )


def generate(
    *, cases: int, seed: int = DEFAULT_SEED, today: date | None = None, years: float = 3.0
) -> GenerateResult:
    """Fill the database with ``cases`` cases (and about three activities and half an alert
    per case) spread over the ``years`` before ``today``. Flushes, never commits. Does
    nothing when the database already holds a case."""
    result = GenerateResult()
    started = time.perf_counter()
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        result.skipped = True
        return result
    today = today or utcnow().date()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    seed_units()
    seed_vocabularies()
    staff = _create_staff()
    db.session.flush()
    places = _places()
    connection = db.session.connection()
    ids = _next_ids(connection)
    writer = _Writer(connection, result)
    police = _police_units(writer, places, ids, rng)
    actors = _actors(writer, places, ids, rng)
    writer.flush()

    gen = _Generator(rng, today, places, staff, actors, ids, result.by_status)
    span = max(1, int(365 * years))
    start = today - timedelta(days=span)
    # Report dates in order, so that reference numbers grow with time as they do in use.
    days = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(cases))
    case_ids: list[int] = []
    for index, day in enumerate(days):
        case_ids.append(ids.next["cases"])
        gen.case(writer, day)
        # About three activities and half an alert per case, on nearby dates.
        for _ in range(3):
            _activity(gen, writer, police, day, case_ids[-500:])
        if index % 2 == 0:
            _alert(gen, writer, police, day)
        writer.flush_if_full()
    writer.flush()
    # Core inserts pass no flush: each case's earliest visit or term owed, in one statement.
    due.refresh_all(connection)

    counter_table = CaseCounter.__table__
    existing = {
        (row.region_code, row.year): row.last_number
        for row in connection.execute(sa.select(counter_table))
    }
    for (region, year), number in sorted(gen.counters.items()):
        if (region, year) in existing:
            connection.execute(
                counter_table.update()
                .where(counter_table.c.region_code == region, counter_table.c.year == year)
                .values(last_number=max(number, existing[(region, year)]))
            )
        else:
            connection.execute(
                counter_table.insert(), {"region_code": region, "year": year, "last_number": number}
            )
    _reset_sequences(connection)
    result.seconds = time.perf_counter() - started
    return result


@click.command("generate")
@click.option("--cases", default=10_000, show_default=True, help="How many cases.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The last day of the data (default: today); with --seed it fixes every row.",
)
@with_appcontext
def generate_command(cases: int, seed: int, today):
    """Fill an empty database with a large realistic caseload, fast (bulk inserts)."""
    result = generate(cases=cases, seed=seed, today=today.date() if today else None)
    if result.skipped:
        click.echo("The database already has cases: nothing was generated.")
        return
    started = time.perf_counter()
    db.session.commit()
    seconds = result.seconds + time.perf_counter() - started
    counts = ", ".join(f"{name} {n}" for name, n in sorted(result.counts.items()))
    click.echo(f"Generated {result.by_status.total()} cases in {seconds:.1f} s ({counts}).")
    click.echo("By status: " + ", ".join(f"{s} {n}" for s, n in sorted(result.by_status.items())))
