"""Checks shared by every domain's services: each refuses bad input with a translated
message naming the field, before anything is changed."""

from __future__ import annotations

from datetime import date

from casework.core import dates
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.i18n import _l

# The largest number a count column (INTEGER) or an amount column (BIGINT) holds: a larger
# one made PostgreSQL and SQLite refuse the row with a server error.
MAX_COUNT = 2**31 - 1
MAX_AMOUNT = 2**63 - 1


class InvalidInput(DomainError):
    """A value is missing, out of range, too long or unknown."""


def today() -> date:
    return utcnow().date()


def check_date(
    value: date | None,
    label,
    *,
    not_before: date | None = None,
    not_before_label=None,
    required: bool = True,
    future: bool = False,
) -> None:
    """A date in the app's window (``casework.core.dates``), not after today unless it is a
    planned one (``future``), and not before ``not_before``."""
    if value is None:
        if required:
            raise InvalidInput(_l("%(field)s is required.", field=label))
        return
    if value < dates.EARLIEST:
        raise InvalidInput(
            _l(
                "%(field)s cannot be before %(other)s.",
                field=label,
                other=dates.EARLIEST.isoformat(),
            )
        )
    if future and value > dates.latest_planned():
        raise InvalidInput(
            _l(
                "%(field)s cannot be after %(other)s.",
                field=label,
                other=dates.latest_planned().isoformat(),
            )
        )
    if not future and value > today():
        raise InvalidInput(_l("%(field)s cannot be in the future.", field=label))
    if not_before is not None and value < not_before:
        raise InvalidInput(
            _l("%(field)s cannot be before %(other)s.", field=label, other=not_before_label)
        )


def check_count(value: int | None, label, maximum: int | None = None) -> None:
    if value is None:
        return
    if value < 0:
        raise InvalidInput(_l("%(field)s cannot be negative.", field=label))
    if maximum is not None and value > maximum:
        raise InvalidInput(_l("%(field)s cannot be more than %(max)s.", field=label, max=maximum))


def check_text(value: str | None, label, maximum: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_l("%(field)s is required.", field=label))
    if len(value) > maximum:
        raise InvalidInput(
            _l("%(field)s must have at most %(max)s characters.", field=label, max=maximum)
        )
    return value


def optional_text(value: str | None, label, maximum: int) -> str | None:
    """A free text that may be left empty: cleaned, checked, or None."""
    return check_text(value, label, maximum) or None


def check_choice(enum_class, value: str | None, label) -> None:
    if value not in enum_class.values():
        raise InvalidInput(_l("Unknown value for %(field)s: %(code)s.", field=label, code=value))
