"""``seed_demo()`` and ``casework demo seed``: the demo users, the registry of actors, then
the plan of a seed applied through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from casework.auth import services as accounts
from casework.auth.models import User
from casework.cases import services as case_services
from casework.cases.models import (
    Actor,
    Agreement,
    Case,
    FollowUp,
    MediationSession,
    Party,
    Referral,
)
from casework.cases.states import CaseStatus
from casework.db import utcnow
from casework.demo.apply import Staff, apply_case, apply_policing, policing_is_empty
from casework.demo.borders import apply_cross_border_case
from casework.demo.common import DEFAULT_CASES, DEFAULT_SEED
from casework.demo.plan import plan_demo
from casework.demo.stories import DEMO_ACTORS, DEMO_USERS, PLACES
from casework.extensions import db
from casework.geo.services import get_unit_by_code, seed_units
from casework.policing.models import (
    Activity,
    Alert,
    CommitteeMeeting,
    PoliceUnit,
    SecurityCommittee,
)
from casework.text import fold
from casework.vocab.services import seed_vocabularies


@dataclass
class DemoResult:
    """What ``seed_demo`` did. Counts are of the rows in the database after seeding
    (users and actors: those created now; follow_ups: visits recorded)."""

    skipped: bool = False
    users: int = 0
    actors: int = 0
    cases: int = 0
    parties: int = 0
    sessions: int = 0
    agreements: int = 0
    referrals: int = 0
    follow_ups: int = 0
    police_units: int = 0
    committees: int = 0
    meetings: int = 0
    activities: int = 0
    alerts: int = 0
    alerts_to_cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    # username -> password, for the accounts created now (printed once by the command).
    credentials: dict[str, str] = field(default_factory=dict, repr=False)


def seed_demo(
    *, cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Create the demo users, actors and caseload, then the community policing around the
    cases (units, committees and meetings, activities, alerts, some alerts turned into
    cases), through the services (flush only).

    Does nothing when the database already holds a case; the policing part is left out when
    the database already holds policing records. ``today`` (default: the real date; a later
    date is brought back to it) bounds every date of the data.
    """
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        return DemoResult(skipped=True)
    real_today = utcnow().date()
    today = min(today or real_today, real_today)
    seed_units()
    seed_vocabularies()
    case_services.seed_fractions()

    result = DemoResult()
    users = create_users(result)
    staff = Staff(users)
    actors = create_actors(result)
    places = tuple(p for p in PLACES if get_unit_by_code(p.code) is not None)
    plan = plan_demo(
        cases, seed, today, follow_up_days=case_services.follow_up_days(), places=places
    )
    units = {p.code: get_unit_by_code(p.code) for p in places}
    # Texts the services write (a recurrence's reason) in the programme's working language.
    with force_locale("fr"):
        cases_by_number = {
            case_plan.number: apply_case(case_plan, units[case_plan.place.code], staff, actors)
            for case_plan in plan.cases
        }
        if plan.policing is not None and policing_is_empty():
            apply_policing(plan.policing, units, staff, cases_by_number)
        if cases:
            apply_cross_border_case(staff, today)
    db.session.flush()
    count_rows(result)
    return result


def create_users(result: DemoResult) -> list[User]:
    users = []
    for spec in DEMO_USERS:
        area = get_unit_by_code(spec.area_code)
        user = accounts.get_user_by_username(spec.username)
        if user is None:
            password = accounts.generate_password(avoid=spec.username)
            user = accounts.create_user(
                username=spec.username,
                full_name=spec.full_name,
                role=spec.role,
                password=password,
                preferred_language="fr",
            )
            result.credentials[user.username] = password
            result.users += 1
        if spec.gbv_trained:
            user.gbv_trained = True
        if user.area_id is None and area is not None:
            user.area_id = area.id
            user.area = area
        users.append(user)
    db.session.flush()
    return users


def create_actors(result: DemoResult) -> list[Actor]:
    """The registry of actors; an actor already there (same type and name) is reused."""
    existing = {(a.actor_type, a.name): a for a in db.session.scalars(sa.select(Actor))}
    actors = []
    for spec in DEMO_ACTORS:
        actor = existing.get((spec.actor_type, spec.name))
        if actor is None:
            unit = get_unit_by_code(spec.unit_code)
            actor = Actor(
                actor_type=spec.actor_type,
                name=spec.name,
                name_search=fold(spec.name),
                function=spec.function,
                organisation=spec.organisation,
                sex=spec.sex,
                unit_id=unit.id if unit else None,
                trained=spec.trained,
            )
            db.session.add(actor)
            result.actors += 1
        actors.append(actor)
    db.session.flush()
    return actors


def count_rows(result: DemoResult) -> None:
    def count(statement) -> int:
        return db.session.scalar(statement) or 0

    result.cases = count(sa.select(sa.func.count(Case.id)))
    result.parties = count(sa.select(sa.func.count(Party.id)))
    result.sessions = count(sa.select(sa.func.count(MediationSession.id)))
    result.agreements = count(sa.select(sa.func.count(Agreement.id)))
    result.referrals = count(sa.select(sa.func.count(Referral.id)))
    result.follow_ups = count(
        sa.select(sa.func.count(FollowUp.id)).where(FollowUp.done_on.is_not(None))
    )
    result.police_units = count(sa.select(sa.func.count(PoliceUnit.id)))
    result.committees = count(sa.select(sa.func.count(SecurityCommittee.id)))
    result.meetings = count(sa.select(sa.func.count(CommitteeMeeting.id)))
    result.activities = count(sa.select(sa.func.count(Activity.id)))
    result.alerts = count(sa.select(sa.func.count(Alert.id)))
    result.alerts_to_cases = count(
        sa.select(sa.func.count(Alert.id)).where(Alert.case_id.is_not(None))
    )
    statement = sa.select(Case.status, sa.func.count(Case.id)).group_by(Case.status)
    rows = {status: number for status, number in db.session.execute(statement)}
    result.by_status = {status.value: rows.get(status.value, 0) for status in CaseStatus}


# --- the command ----------------------------------------------------------------------------


@click.command("seed")
@click.option("--cases", default=DEFAULT_CASES, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int)
@with_appcontext
def seed_command(cases: int, seed: int):
    """Create demo users, actors and cases (only in a database without any case)."""
    result = seed_demo(cases=cases, seed=seed)
    if result.skipped:
        click.echo("Demo cases: the database already has cases, nothing was added.")
        return
    db.session.commit()
    click.echo(
        f"Demo data: {result.cases} cases, {result.parties} parties, {result.actors} actors, "
        f"{result.sessions} sessions, {result.agreements} agreements, "
        f"{result.referrals} referrals, {result.follow_ups} follow-up visits."
    )
    click.echo(
        "By status: " + ", ".join(f"{s} {n}" for s, n in result.by_status.items() if n) + "."
    )
    click.echo(
        f"Community policing: {result.police_units} units, {result.committees} security "
        f"committees, {result.meetings} committee meetings, {result.activities} activities, "
        f"{result.alerts} alerts ({result.alerts_to_cases} turned into cases)."
    )
    if not result.credentials:
        click.echo("Demo users existed already (their passwords were printed when created).")
        return
    line = "=" * 64
    click.echo(f"{line}\nDemo users (each password is printed once, now: keep it):\n")
    for spec in DEMO_USERS:
        password = result.credentials.get(spec.username)
        if password:
            click.echo(
                f"    {spec.username:<22} {spec.role:<12} {spec.area_code:<8} password: {password}"
            )
    click.echo(line)
