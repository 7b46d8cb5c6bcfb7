"""The demo plan: a pure function of (number of cases, seed, today) that draws every case and
the community policing around them, without touching the database."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from casework.db import utcnow
from casework.demo.cases import CasePlan, CasePlanner
from casework.demo.common import DEFAULT_CASES, DEFAULT_FOLLOW_UP_DAYS, DEFAULT_SEED
from casework.demo.policing import PolicingPlan, PolicingPlanner
from casework.demo.stories import PLACES, DemoPlace


@dataclass(frozen=True)
class DemoPlan:
    today: date
    cases: tuple[CasePlan, ...]
    policing: PolicingPlan | None = None


def plan_demo(
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    *,
    follow_up_days: Sequence[int] = DEFAULT_FOLLOW_UP_DAYS,
    places: Sequence[DemoPlace] = PLACES,
) -> DemoPlan:
    """The demonstration caseload and the community policing around it: a pure function of
    its arguments (no database)."""
    today = today or utcnow().date()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    planner = CasePlanner(rng, today, tuple(sorted(follow_up_days)), places)
    case_plans = tuple(planner.plan(cases))
    policing_plan = None
    if case_plans:
        # A stream of its own: the cases of a seed do not depend on the policing data.
        policing_rng = random.Random(f"{seed}-policing")  # noqa: S311
        policing_plan = PolicingPlanner(policing_rng, today, places, case_plans).build()
    return DemoPlan(today, case_plans, policing_plan)
