"""The triage rule (DOMAIN.md §9): a case is a crime when its type is a ★ type, or when
someone died or was seriously injured. Crimes are referred, never mediated, and reports
count them apart from mediable disputes.

The rule is written here once, in its two forms side by side: on one case (the workflow
refuses to mediate it) and as an SQL condition (the reports count with it).
``tests/test_honest_figures.py`` checks that both forms agree.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from casework.cases.models import Case
from casework.vocab import services as vocab


def crime_types() -> set[str]:
    """The ★ conflict types (inactive ones included: an old record still holds them)."""
    return vocab.mandatory_referral_codes()


def is_crime(case: Case, types: Collection[str] | None = None) -> bool:
    """The rule on one case."""
    types = crime_types() if types is None else types
    return case.conflict_type in types or (case.deaths or 0) > 0 or (case.injuries_serious or 0) > 0


def crime_condition(types: Collection[str]) -> sa.ColumnElement[bool]:
    """The rule in SQL, over ``Case`` (both counts are NOT NULL, 0 by default: the
    condition is never NULL, so its negation is exact)."""
    return sa.or_(
        Case.conflict_type.in_(sorted(types)),
        Case.deaths > 0,
        Case.injuries_serious > 0,
    )
