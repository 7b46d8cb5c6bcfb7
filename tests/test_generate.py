"""`casework demo generate`: a large caseload through bulk inserts, consistent with what the
services would have written, and the same for the same seed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseCounter,
    CaseEvent,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    TermInstalment,
)
from casework.cases.services import CaseFilters, filtered_cases
from casework.extensions import db
from casework.generate import generate, generate_command
from casework.policing.models import Activity, Alert
from casework.text import fold

TODAY = date(2026, 6, 30)
CASES = 300


def _generate(app, seed: int = 7) -> dict:
    with app.app_context():
        result = generate(cases=CASES, seed=seed, today=TODAY)
        db.session.commit()
        rows = db.session.execute(
            sa.select(Case.reference, Case.title, Case.status).order_by(Case.id)
        ).all()
        return {"result": result, "cases": [tuple(row) for row in rows]}


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_the_command_is_registered_under_demo():
    from casework.cli import demo

    assert demo.commands["generate"] is generate_command


def test_the_command_fills_an_empty_database_and_refuses_a_filled_one(runner):
    done = runner.invoke(generate_command, ["--cases", "40", "--today", "2026-06-30"])
    assert done.exit_code == 0, done.output
    assert "Generated 40 cases in" in done.output
    again = runner.invoke(generate_command, ["--cases", "40"])
    assert again.exit_code == 0, again.output
    assert "already has cases" in again.output


def test_counts_come_in_the_stated_ratios(app):
    _generate(app)
    with app.app_context():
        assert _count(Case) == CASES
        parties = db.session.execute(
            sa.select(Party.case_id, sa.func.count()).group_by(Party.case_id)
        ).all()
        assert len(parties) == CASES and {n for _id, n in parties} <= {1, 2, 3, 4}
        sessions = db.session.execute(
            sa.select(MediationSession.case_id, sa.func.count()).group_by(MediationSession.case_id)
        ).all()
        assert max(n for _id, n in sessions) <= 5
        assert _count(Activity) == 3 * CASES
        assert _count(Alert) == CASES // 2
        assert _count(Agreement) > CASES // 5
        assert _count(Referral) > CASES // 20
        assert _count(FollowUp) == 2 * _count(Agreement)
        statuses = set(db.session.scalars(sa.select(Case.status).distinct()))
        assert len(statuses) >= 8, statuses
        types = set(db.session.scalars(sa.select(Case.conflict_type).distinct()))
        assert len(types) >= 12
        regions = {ref.split("-")[0] for ref in db.session.scalars(sa.select(Case.reference))}
        # Taoudénit (issue 15) is drawn like any region with communes, when the draw falls there.
        assert (
            {"GAO", "TBK", "MNK", "KDL", "MPT"}
            <= regions
            <= {"GAO", "TBK", "MNK", "KDL", "MPT", "TDN"}
        )


def test_records_agree_with_each_case_state_and_derived_columns(app):
    _generate(app)
    with app.app_context():
        cases = db.session.scalars(sa.select(Case)).all()
        agreements = {a.case_id for a in db.session.scalars(sa.select(Agreement))}
        referrals = {r.case_id for r in db.session.scalars(sa.select(Referral))}
        done = {
            f.case_id
            for f in db.session.scalars(sa.select(FollowUp).where(FollowUp.done_on.isnot(None)))
        }
        for case in cases:
            assert case.version == 1 and case.reported_on >= case.event_date
            assert (case.status == "SUSPENDU") == (case.suspended_from is not None)
            if case.status in ("ACCORD", "SUIVI"):
                assert case.id in agreements
            if case.status == "SUIVI":
                assert case.id in done
            if case.status == "CLOTURE_RESOLU":
                assert case.id in agreements or case.id in referrals
                assert case.closed_on is not None and case.outcome
            if case.status == "RENVOYE":
                assert case.id in referrals
            # As cases.services.refresh_search_text computes it.
            parts = [case.reference, case.title, case.narrative, case.narrative_translation or ""]
            parts += [unit.name for unit in case.unit.ancestry]
            parts += [party.name for party in case.parties]
            assert case.search_text == fold(" ".join(p for p in parts if p))
            assert all(p.name_search == fold(p.name) for p in case.parties)
            first = db.session.scalars(
                sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            ).first()
            assert first.kind == "created"
        # The counters continue after the generated references.
        for counter in db.session.scalars(sa.select(CaseCounter)):
            prefix = f"{counter.region_code}-{counter.year}-"
            numbers = [
                int(ref.rsplit("-", 1)[1])
                for ref in db.session.scalars(
                    sa.select(Case.reference).where(Case.reference.startswith(prefix))
                )
            ]
            assert counter.last_number == max(numbers) == len(numbers)


def test_agreements_owe_their_compensation_as_terms_paid_in_instalments(app):
    """Each agreement's compensation in FCFA and its livestock are terms with an amount, as
    the services record them since issue 14; a resolved case's terms are all fulfilled, a
    breached agreement has a breached term; the report's compensation figures add up."""
    _generate(app)
    with app.app_context():
        agreements = db.session.scalars(sa.select(Agreement)).all()
        kinds = set()
        for agreement in agreements:
            terms = {term.kind: term for term in agreement.terms}
            kinds |= set(terms)
            assert agreement.terms, agreement.id
            if agreement.compensation_fcfa:
                assert terms["cash"].amount == agreement.compensation_fcfa
            if agreement.livestock_heads:
                assert terms["livestock"].amount == agreement.livestock_heads
                assert terms["livestock"].species
            for term in agreement.terms:
                assert term.obliged_party.case_id == agreement.case_id
                if term.amount is not None:
                    assert term.paid <= term.amount
                    assert term.unpaid == term.amount - term.paid
                    assert (term.status == "done") == (term.paid == term.amount)
                    assert (term.status == "partly_done") == (0 < term.paid < term.amount)
            if agreement.case.status == "CLOTURE_RESOLU":
                assert all(term.status == "done" for term in agreement.terms)
            breached = [term for term in agreement.terms if term.status == "breached"]
            assert bool(breached) == (agreement.breached_on is not None)
        assert {"cash", "livestock", "action", "restitution"} <= kinds
        statuses = set(db.session.scalars(sa.select(AgreementTerm.status).distinct()))
        assert {"pending", "partly_done", "done", "breached"} <= statuses, statuses
        split = db.session.execute(
            sa.select(TermInstalment.term_id)
            .group_by(TermInstalment.term_id)
            .having(sa.func.count() > 1)
        ).all()
        assert split  # some terms were paid in two instalments
        paid = db.session.scalar(sa.select(sa.func.sum(TermInstalment.amount_paid)))
        agreed = db.session.scalar(
            sa.select(sa.func.sum(AgreementTerm.amount)).where(AgreementTerm.kind == "cash")
        )
        assert paid > 0 and agreed > 0


def test_the_same_seed_gives_the_same_cases(app):
    first = _generate(app, seed=11)["cases"]
    with app.app_context():
        for table in (
            "case_events", "case_revisions", "follow_ups", "term_instalments", "agreement_terms",
            "agreements",
            "session_actors", "mediation_sessions", "referrals", "parties", "activity_cases",
            "police_activities", "alerts", "police_units", "actors", "cases", "case_counters",
        ):  # fmt: skip
            db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
        db.session.commit()
    second = _generate(app, seed=11)["cases"]
    assert first == second


def test_generated_cases_open_in_the_list_search_and_case_page(app, client, admin):
    _generate(app)
    with app.app_context():
        from casework.auth.models import User

        user = db.session.scalar(sa.select(User).where(User.username == "admin"))
        case_ids = db.session.scalars(
            filtered_cases(user, CaseFilters()).with_only_columns(Case.id).limit(40)
        ).all()
        party = db.session.scalar(sa.select(Party.name).where(Party.kind == "individual"))
    listing = client.get("/cases")
    assert listing.status_code == 200
    assert client.get("/cases?page=5").status_code == 200
    found = client.get("/cases", query_string={"q": party})
    assert found.status_code == 200
    assert party.split()[0] in found.get_data(as_text=True) or "1 " in found.get_data(as_text=True)
    for case_id in case_ids:
        assert client.get(f"/cases/{case_id}").status_code == 200


def test_each_case_keeps_the_earliest_visit_or_term_it_owes(app):
    """The generator writes rows with Core inserts, past the flush that keeps
    ``next_due_on``: it fills the column for every case itself."""
    _generate(app)
    with app.app_context():
        owed: dict[int, list] = {}
        statuses = dict(db.session.execute(sa.select(Case.id, Case.status)).all())
        for case_id, due_on in db.session.execute(
            sa.select(FollowUp.case_id, FollowUp.due_on).where(FollowUp.done_on.is_(None))
        ):
            if statuses[case_id] in ("ACCORD", "SUIVI", "CLOTURE_RESOLU"):
                owed.setdefault(case_id, []).append(due_on)
        for case_id, due_on in db.session.execute(
            sa.select(Agreement.case_id, AgreementTerm.due_on)
            .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
            .where(
                AgreementTerm.status.in_(("pending", "partly_done")),
                AgreementTerm.due_on.is_not(None),
            )
        ):
            if statuses[case_id] in ("ACCORD", "SUIVI"):
                owed.setdefault(case_id, []).append(due_on)
        stored = dict(db.session.execute(sa.select(Case.id, Case.next_due_on)).all())
        assert len(owed) >= 5
        assert stored == {
            case_id: min(owed[case_id]) if case_id in owed else None for case_id in statuses
        }
