"""The one window of dates the app accepts, and date arithmetic that cannot overflow.

Every date field of every form, every date filter of every list and every reporting period
lies in this window (docs/decisions.md, "Dates and scopes"): nothing the app records is older
than ``EARLIEST``, nothing that happened is later than ``latest()`` (tomorrow: a filter "until
tomorrow" is harmless, and the services refuse a fact dated after today), and a planned date
(an agreement's deadline) lies at most ``PLANNED_YEARS`` ahead. A date outside it is refused
with a translated message, before any arithmetic: ``date.max + 1 day`` was a server error.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from casework.db import utcnow

EARLIEST = date(1960, 1, 1)  # no dispute the app records is older
AHEAD_DAYS = 1  # the window ends tomorrow
PLANNED_YEARS = 10  # an agreement's deadline lies at most ten years ahead


def today() -> date:
    return utcnow().date()


def latest() -> date:
    """The last day any recorded date or date filter may name."""
    return today() + timedelta(days=AHEAD_DAYS)


def latest_planned() -> date:
    """The last day a planned date (a deadline) may name."""
    return add_days(today(), 366 * PLANNED_YEARS)


def last_report_year() -> int:
    """Reporting periods lie within the years EARLIEST.year .. this one."""
    return latest().year


def day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def in_window(value: date | datetime, *, planned: bool = False) -> bool:
    day = day_of(value)
    return EARLIEST <= day <= (latest_planned() if planned else latest())


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar instead of overflowing (a
    filter "until 9999-12-31" means "until the end")."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
