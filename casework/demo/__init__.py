"""Demonstration data: users, a registry of actors and a believable caseload for the North.

Two steps, so that a seed always gives the same data:

1. ``plan_demo()`` (``plan.py``) is a pure function of (number of cases, seed, today): it
   draws every case (place, conflict type, parties, narrative: ``cases.py``, ``people.py``)
   and the path it takes through the workflow (sessions, escalations, agreement, follow-up
   visits, referral and feedback: ``paths.py``), with dated steps, using
   ``random.Random(seed)`` and nothing else.
2. ``seed_demo()`` (``seed.py``) applies a plan through the case services only
   (``register_case``, ``transition``, ``record_session``, ``escalate``,
   ``record_agreement``, ``record_referral``, ``record_referral_feedback``,
   ``record_follow_up``, ``open_linked_case``, ``translate_narrative``: ``apply.py``), so the
   history of every case is real and every rule of the workflow holds: crimes (★ types) and
   cases with deaths or serious injuries are referred, never mediated.

The plan also holds the community policing around the cases (``policing.py``, drawn from a
random stream of its own, so the cases of a seed do not depend on it): units in the communes
with cases, security committees with their members and monthly meetings, about three
activities per case and one alert for two cases. ``seed_demo()`` applies it through the
policing services (``save_police_unit``, ``save_committee``, ``save_member``,
``save_meeting``, ``set_recommendation_status``, ``save_activity``, ``save_alert``), and the
area's coordinator turns about one alert in ten into a case (``alert_to_case``). A run of
recent alerts in Gounzoureye (Gao) and one in Ber (Tombouctou) reach the early-warning
threshold. Alert sources are pseudonymous relay codes (``GAO-R-017``), never names.

The words and numbers the plan draws from (users, actors, places, names, stories in French
and English, clauses, minutes, reasons, committee agendas, activity topics, alert texts)
live in ``data/*.json``, read by ``stories.py``.

Every date is on or before ``today``, which defaults to the real date (the services refuse
dates in the future). The services stamp events, closures and linked cases (recurrences,
civil cases) with the real current time: that is expected.

Names, places and stories are invented for demonstration; any resemblance to real persons
is a coincidence.
"""

from casework.demo.common import (
    DEFAULT_CASES,
    DEFAULT_SEED,
    MAX_AGE_DAYS,
    MAX_SESSIONS,
    STAR_TYPES,
)
from casework.demo.plan import DemoPlan, plan_demo
from casework.demo.seed import DemoResult, seed_command, seed_demo
from casework.demo.stories import DEMO_ACTORS, DEMO_USERS, PLACES

__all__ = [
    "DEFAULT_CASES",
    "DEFAULT_SEED",
    "DEMO_ACTORS",
    "DEMO_USERS",
    "MAX_AGE_DAYS",
    "MAX_SESSIONS",
    "PLACES",
    "STAR_TYPES",
    "DemoPlan",
    "DemoResult",
    "plan_demo",
    "seed_command",
    "seed_demo",
]
