"""Reporting periods as people type them: a year, a quarter, a month, or two dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from casework.core import dates
from casework.core.errors import DomainError
from casework.i18n import _l
from casework.reports.model import Period

MAX_YEARS = 5

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\S+)\.\.(\S+)$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(DomainError):
    """A period that cannot be read; the message is translated."""


def _unknown(text: str) -> PeriodError:
    return PeriodError(
        _l(
            "“%(text)s” is not a period: write a year (2026), a quarter (2026-Q3), a month "
            "(2026-10) or two dates (2026-01-01..2026-03-31).",
            text=text,
        )
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(text: str) -> date:
    try:
        if not _DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            _l("“%(text)s” is not a date: write it as 2026-01-31.", text=text)
        ) from None


def _year(text: str) -> int:
    year = int(text)
    if year < 1:
        raise ValueError(text)
    return year


def parse_period(text: str, today: date | None = None) -> Period:
    """Read "2026", "2026-Q1", "2026-10" or "2026-01-01..2026-03-31" (inclusive), within
    the years ``dates.EARLIEST.year`` .. ``dates.last_report_year()``.

    A period that starts after ``today`` (when given) is refused: it holds nothing yet.
    """
    raw = (text or "").strip()
    code = raw.upper()
    try:
        if match := _YEAR.match(code):
            year = _year(match[1])
            period = Period(date(year, 1, 1), date(year, 12, 31), code)
        elif match := _QUARTER.match(code):
            year, quarter = _year(match[1]), int(match[2])
            if not 1 <= quarter <= 4:
                raise PeriodError(_l("A quarter is Q1, Q2, Q3 or Q4, not “%(text)s”.", text=raw))
            first = 3 * quarter - 2
            period = Period(date(year, first, 1), _month_end(year, first + 2), code)
        elif match := _MONTH.match(code):
            year, month = _year(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_l("A month is 01 to 12, not “%(text)s”.", text=raw))
            period = Period(date(year, month, 1), _month_end(year, month), code)
        elif match := _RANGE.match(code):
            start, end = _day(match[1]), _day(match[2])
            if end < start:
                raise PeriodError(_l("The period ends before it starts."))
            if (end.year - MAX_YEARS, end.month, end.day) >= (start.year, start.month, start.day):
                raise PeriodError(_l("A period is at most %(years)s years long.", years=MAX_YEARS))
            period = Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        else:
            raise _unknown(raw)
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise _unknown(raw) from None
    first, last = dates.EARLIEST.year, dates.last_report_year()
    if period.start < date(first, 1, 1) or period.end > date(last, 12, 31):
        # Before any arithmetic on the period (the one before it, the day after it).
        raise PeriodError(
            _l("Reports cover the years %(first)s to %(last)s.", first=first, last=last)
        )
    if today is not None and period.start > today:
        raise PeriodError(_l("The period starts after today: it holds nothing yet."))
    return period


def previous_period(period: Period) -> Period:
    """The period just before ``period``, as long: the previous year, quarter or month, or
    as many days before a span of dates."""
    code = period.code
    if _YEAR.match(code):
        year = period.start.year - 1
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    if match := _QUARTER.match(code):
        year, quarter = int(match[1]), int(match[2]) - 1
        if quarter == 0:
            year, quarter = year - 1, 4
        first = 3 * quarter - 2
        return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
    if _MONTH.match(code):
        year, month = (
            (period.start.year, period.start.month - 1)
            if period.start.month > 1
            else (
                period.start.year - 1,
                12,
            )
        )
        return Period(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
    days = (period.end - period.start).days + 1
    end = period.start - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
