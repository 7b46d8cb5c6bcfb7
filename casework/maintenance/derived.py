"""The values the database keeps derived from others, so that pages and reports read one
column or one row instead of recounting (issue 19), and how to check them.

Every change made through the application keeps them, in the same transaction: the ORM
listeners (casework/cases/due.py, casework/cases/row_units.py), the terms services
(``count_unpaid``) and the triggers on ``cases`` (casework/cases/counts.py). A row written
around them, by hand in the database or by a script, is found here and set right (``casework
check-derived [--fix]``), without touching anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from casework.cases import counts, due, row_units
from casework.cases.models import AgreementTerm, TermInstalment


@dataclass(frozen=True)
class Derived:
    what: str  # what the operator reads
    find: Callable[[sa.Connection], list]  # the wrong ones (ids, or keys), in order
    fix: Callable[[sa.Connection, list], None]


def _unpaid_expected() -> sa.ColumnElement:
    paid = (
        sa.select(sa.func.coalesce(sa.func.sum(TermInstalment.amount_paid), 0))
        .where(TermInstalment.term_id == AgreementTerm.id)
        .scalar_subquery()
    )
    return sa.case((AgreementTerm.amount.is_(None), None), else_=AgreementTerm.amount - paid)


def stale_unpaid(connection: sa.Connection) -> list[int]:
    """The terms whose ``unpaid`` is not their amount minus their instalments."""
    return list(
        connection.scalars(
            sa.select(AgreementTerm.id)
            .where(AgreementTerm.unpaid.is_distinct_from(_unpaid_expected()))
            .order_by(AgreementTerm.id)
        )
    )


def fix_unpaid(connection: sa.Connection, _found: list) -> None:
    expected = _unpaid_expected()
    connection.execute(
        sa.update(AgreementTerm.__table__)
        .where(AgreementTerm.unpaid.is_distinct_from(expected))
        .values(unpaid=expected)
    )


CHECKS = (
    Derived(
        "the earliest visit or term each case owes (cases.next_due_on)",
        due.stale_cases,
        due.refresh,
    ),
    Derived(
        "the number of cases per unit, status and type (case_counts)",
        lambda connection: sorted(counts.differences(connection)),
        lambda connection, _found: counts.rebuild(connection),
    ),
    Derived(
        "the unit that a case's sessions, agreements, terms, visits and referrals carry",
        row_units.stale_rows,
        lambda connection, _found: row_units.fix_rows(connection),
    ),
    Derived(
        "the amount each term has left to pay (agreement_terms.unpaid)",
        stale_unpaid,
        fix_unpaid,
    ),
)


def check(connection: sa.Connection, *, fix: bool = False) -> list[tuple[Derived, list]]:
    """Each derived value with what was found wrong (set right when ``fix``)."""
    found = []
    for derived in CHECKS:
        wrong = derived.find(connection)
        if wrong and fix:
            derived.fix(connection, wrong)
        found.append((derived, wrong))
    return found
