"""The demonstration data (casework/demo.py): a plan drawn from a seed, applied through the
case services."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.models import (
    Actor,
    Agreement,
    Case,
    CaseEvent,
    FollowUp,
    MediationSession,
    Party,
    Referral,
)
from casework.cases.states import CaseStatus
from casework.db import utcnow
from casework.demo import DEMO_USERS, MAX_SESSIONS, plan_demo, seed_command, seed_demo
from casework.extensions import db
from casework.vocab.services import mandatory_referral_codes
from tests.conftest import post_form

REFERENCE_RE = re.compile(r"^[A-Z]{3}-\d{4}-\d{4}$")
ALL_STATUSES = {status.value for status in CaseStatus}


def titles(plan) -> list[tuple[str, str]]:
    return [(case.title, case.conflict_type) for case in plan.cases]


def test_a_seed_always_plans_the_same_caseload():
    today = date(2026, 3, 1)
    first = plan_demo(cases=60, seed=1, today=today)
    assert first == plan_demo(cases=60, seed=1, today=today)
    assert titles(first) != titles(plan_demo(cases=60, seed=2, today=today))
    assert len(first.cases) == 60


def test_the_plan_keeps_the_rules_of_the_workflow():
    today = date(2026, 3, 1)
    star = {"BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG"}
    for seed in (1, 2, 2026):
        plan = plan_demo(cases=200, seed=seed, today=today)
        assert {case.expected_status.value for case in plan.cases} == ALL_STATUSES
        languages = Counter(case.narrative_lang for case in plan.cases)
        assert 70 <= languages["fr"] <= 130 and languages["fr"] + languages["en"] == 200
        translated = sum(case.translation is not None for case in plan.cases)
        assert 40 <= translated <= 95
        for case in plan.cases:
            kinds = [step.kind for step in case.steps]
            assert all(day <= today for day in case.dates()), case.number
            assert today - timedelta(days=548) <= case.event_date <= case.reported_on
            assert (case.reported_on - case.event_date).days <= 20
            sessions = [step.on for step in case.steps if step.kind == "session"]
            assert sessions == sorted(sessions) and len(sessions) <= MAX_SESSIONS
            assert all(day >= case.reported_on for day in sessions)
            if case.conflict_type in star or case.deaths or case.injuries_serious:
                assert "refer" in kinds and "mediate" not in kinds and "session" not in kinds
            for step in case.steps:
                if step.kind == "agreement":
                    assert not sessions or step.on >= max(d for d in sessions if d <= step.on)
                if step.kind == "visit":
                    agreement = next(s for s in case.steps if s.kind == "agreement")
                    due = agreement.on + timedelta(days=(30, 90)[step.data["index"]])
                    assert due <= step.on <= today


def test_seed_demo_builds_a_caseload_through_the_services(app):
    today = utcnow().date()
    with app.app_context():
        result = seed_demo(cases=60, seed=1, today=today)
        assert not result.skipped
        assert result.users == len(DEMO_USERS)
        assert set(result.credentials) == {user.username for user in DEMO_USERS}
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        gao = users["aminata.maiga"]
        assert gao.role == "coordinator" and gao.area.code == "GAO"
        assert gao.full_name == "Aminata Maïga"
        assert users["moussa.agintalla"].area.code == "GAO-GAO"
        assert result.actors == db.session.scalar(sa.select(sa.func.count(Actor.id))) >= 20

        cases = db.session.scalars(sa.select(Case).order_by(Case.id)).all()
        assert len(cases) == result.cases >= 60
        statuses = Counter(case.status for case in cases)
        assert set(statuses) == ALL_STATUSES
        assert result.by_status == {status: statuses[status] for status in ALL_STATUSES}

        # The plan was applied faithfully: the same cases, in the planned states.
        plan = plan_demo(cases=60, seed=1, today=today)
        planned = [c for c in cases if c.recurrence_of_id is None and c.civil_case_of_id is None]
        assert [(c.title, c.conflict_type) for c in planned] == titles(plan)
        assert [c.status for c in planned] == [p.expected_status.value for p in plan.cases]
        linked = [c for c in cases if c not in planned]
        assert len(cases) == 60 + len(linked)

        references = [case.reference for case in cases]
        assert len(set(references)) == len(references)
        assert all(REFERENCE_RE.match(reference) for reference in references)
        assert all(case.parties for case in cases)
        assert {case.narrative_lang for case in planned} == {"fr", "en"}
        assert any(case.narrative_translation for case in cases)

        # Crimes, deaths and serious injuries are referred, never mediated.
        stars = mandatory_referral_codes()
        blocked = [c for c in cases if c.conflict_type in stars or c.deaths or c.injuries_serious]
        assert any(c.conflict_type in stars for c in blocked)
        mediated = db.session.scalar(
            sa.select(sa.func.count(CaseEvent.id))
            .join(Case, CaseEvent.case_id == Case.id)
            .where(
                sa.or_(Case.conflict_type.in_(stars), Case.deaths > 0, Case.injuries_serious > 0),
                CaseEvent.to_status == CaseStatus.EN_MEDIATION.value,
            )
        )
        assert mediated == 0
        referred = set(db.session.scalars(sa.select(Referral.case_id)))
        assert all(case.id in referred for case in blocked)

        # No date after today; sessions after the events, visits once due.
        for column in (
            Case.reported_on,
            MediationSession.held_on,
            Agreement.concluded_on,
            Referral.referred_on,
            Referral.feedback_on,
            FollowUp.done_on,
        ):
            assert (db.session.scalar(sa.select(sa.func.max(column))) or today) <= today
        early = db.session.scalar(
            sa.select(sa.func.count(MediationSession.id))
            .join(Case, MediationSession.case_id == Case.id)
            .where(MediationSession.held_on < Case.event_date)
        )
        assert early == 0
        early_visits = db.session.scalar(
            sa.select(sa.func.count(FollowUp.id)).where(FollowUp.done_on < FollowUp.due_on)
        )
        assert early_visits == 0
        assert result.sessions == db.session.scalar(sa.select(sa.func.count(MediationSession.id)))
        assert result.parties == db.session.scalar(sa.select(sa.func.count(Party.id)))
        assert result.agreements > 0 and result.referrals > 0 and result.follow_ups > 0

        # Running it again on a database that has cases does nothing.
        again = seed_demo(cases=60, seed=1, today=today)
        assert again.skipped and again.cases == 0 and not again.credentials
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) == len(cases)


def test_the_seed_command_prints_the_passwords_once(app, runner, client):
    result = runner.invoke(seed_command, ["--cases", "30"])
    assert result.exit_code == 0, result.output
    assert "printed once" in result.output
    passwords = {}
    for user in DEMO_USERS:
        match = re.search(
            rf"^\s+{re.escape(user.username)}\s.*password: (\S+)$", result.output, re.M
        )
        assert match, user.username
        passwords[user.username] = match.group(1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) >= 30
    response = post_form(
        client, "/login", {"username": "fatoumata.toure", "password": passwords["fatoumata.toure"]}
    )
    assert response.status_code == 302

    again = runner.invoke(seed_command, ["--cases", "30"])
    assert again.exit_code == 0, again.output
    assert "nothing was added" in again.output
    assert "password" not in again.output
