"""What every section uses: labels resolved at render time, rates and medians, conditional
counts and sums in SQL, the area filter, months, and the rows of the usual tables (over a
vocabulary, by commune, by month)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import format_date

from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.reports.model import Period
from casework.vocab import services as vocab

RATE_DIGITS = 4

# A table row: (stable key, label resolved at render time, values by column).
Row = tuple[str, object, list]


# --- labels resolved at render time ---------------------------------------------------------


@dataclass(frozen=True)
class VocabLabel:
    """A vocabulary term's label in the locale active when it is written out."""

    vocabulary: str
    code: str

    def __str__(self) -> str:
        return vocab.label(self.vocabulary, self.code)


@dataclass(frozen=True)
class TitleLabel:
    """The translated title of a code-level enum member (sex, age band, ladder level…)."""

    member: object

    def __str__(self) -> str:
        return self.member.title


@dataclass(frozen=True)
class MonthLabel:
    """A month, e.g. "juillet 2025" / "July 2025"."""

    first_day: date

    def __str__(self) -> str:
        return format_date(self.first_day, "LLLL yyyy")


# --- values ---------------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to four digits; None when there is nothing to divide by."""
    return round(part / whole, RATE_DIGITS) if whole else None


def median(values: list) -> float | int | None:
    return statistics.median(values) if values else None


# --- SQL ------------------------------------------------------------------------------------
# Result columns are labelled and read by name (``row.opened``). Never label a column
# ``count`` or ``index``: a result row is a tuple, and those names are its methods.


def count_if(condition) -> sa.ColumnElement[int]:
    """How many rows meet ``condition`` (a conditional count, portable)."""
    return sa.func.count(sa.case((condition, 1)))


def sum_of(column) -> sa.ColumnElement[int]:
    """The column's sum, 0 over no rows."""
    return sa.func.coalesce(sa.func.sum(column), 0)


def within(column, area: AdminUnit | None):
    """``column`` (a unit id) is the area or a unit below it; no area means everywhere."""
    if area is None:
        return sa.true()
    return column.in_(sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path)))


def counts_by(key, *criteria) -> dict:
    """{value of ``key``: how many rows} over the rows that meet ``criteria`` (one GROUP BY)."""
    statement = (
        sa.select(key.label("group_key"), sa.func.count().label("n")).where(*criteria).group_by(key)
    )
    return {row.group_key: int(row.n) for row in db.session.execute(statement)}


def month_key(column) -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """The year and the month of a date column, to group by (label them in the SELECT)."""
    return (
        sa.cast(sa.extract("year", column), sa.Integer),
        sa.cast(sa.extract("month", column), sa.Integer),
    )


# --- months ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), on the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    last = (_next_month(first) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last))


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def months(period: Period) -> list[date]:
    """The first day of every month the period touches."""
    firsts, day = [], period.start.replace(day=1)
    while day <= period.end:
        firsts.append(day)
        day = _next_month(day)
    return firsts


def month_share(period: Period) -> Fraction:
    """How many months the period lasts: whole months count 1, a part counts its days."""
    total = Fraction(0)
    for first in months(period):
        last = _next_month(first) - timedelta(days=1)
        covered = (min(last, period.end) - max(first, period.start)).days + 1
        total += Fraction(covered, last.day)
    return total


# --- table rows -----------------------------------------------------------------------------


def _vocab_order(vocabulary: str, codes) -> list[str]:
    order = [term.code for term in vocab.terms(vocabulary, include_inactive=True)]
    known = [code for code in order if code in codes]
    return known + sorted(code for code in codes if code not in order)


def vocab_rows(vocabulary: str, values: dict[str, list]) -> list[Row]:
    """One row per code that occurs, in the vocabulary's order (unknown codes last)."""
    return [
        (code, VocabLabel(vocabulary, code), values[code])
        for code in _vocab_order(vocabulary, values)
    ]


def commune_rows(counts: dict[int, int]) -> list[Row]:
    """Counts by unit rolled up to their commune (a unit above a commune stays itself).

    The roll-up runs over the distinct units found (a few hundred), never over records.
    """
    if not counts:
        return []
    paths = {
        row.id: row.path
        for row in db.session.execute(
            sa.select(AdminUnit.id, AdminUnit.path).where(AdminUnit.id.in_(list(counts)))
        )
    }
    by_commune: dict[int, int] = {}
    for unit_id, count in counts.items():
        ids = [int(part) for part in paths[unit_id].strip("/").split("/") if part]
        commune_id = ids[2] if len(ids) >= 3 else unit_id  # région / cercle / commune / …
        by_commune[commune_id] = by_commune.get(commune_id, 0) + count
    communes = db.session.execute(
        sa.select(AdminUnit.id, AdminUnit.code, AdminUnit.name).where(
            AdminUnit.id.in_(list(by_commune))
        )
    ).all()
    return [
        (row.code, row.name, [by_commune[row.id]])
        for row in sorted(communes, key=lambda row: (row.name, row.code))
    ]


def month_rows(period: Period, counts: dict[tuple[int, int], int]) -> list[Row]:
    """One row per month of the period, zero when nothing happened in it."""
    return [
        (f"{first:%Y-%m}", MonthLabel(first), [counts.get((first.year, first.month), 0)])
        for first in months(period)
    ]
