"""The terms of an agreement as obligations (issue 14): what each party owes, instalments,
done and breached terms, the breach of the agreement, terms due in "Follow-ups due", the
case summary of a breached agreement, and the report's compliance and compensation."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.enums import TermStatus
from casework.cases.models import Agreement, AgreementTerm, Case, CaseEvent
from casework.core.dates import today
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.reports.dashboard import build_dashboard
from casework.reports.indicators import build_report
from casework.reports.periods import parse_period
from tests.conftest import fetch_one, post_form, query
from tests.test_case_summary import docx_text, pdf_text
from tests.test_cases import Walker, iso

D = date
BEFORE_THE_AGREEMENT = "the day before the agreement"


def concluded() -> date:
    """The agreements' day: 4 days ago (the walker's session is 5 days ago)."""
    return today() - timedelta(days=4)


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def in_mediation(app, client, mediator, lang="fr", **overrides) -> Walker:
    walk = Walker(app, client, lang)
    walk.register(assigned_mediator_id=str(mediator.id), **overrides)
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    return walk


def record_agreement(walk: Walker, *terms: dict, expect: int = 302, **extra):
    data = {
        "concluded_on": iso(concluded()),
        "form": "written",
        "outcome": "ACCORD_TOTAL",
        "compensation_fcfa": "",
        "livestock_heads": "",
        **extra,
    }
    for index, term in enumerate(terms):
        data.update({f"terms-{index}-{name}": value for name, value in term.items()})
    response = walk.post(f"/cases/{walk.case_id}/agreement/new", data)
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def cash_term(amount="100000", due=None, description="Verser l'indemnité"):
    return {
        "description": description,
        "kind": "cash",
        "amount": amount,
        "due_on": iso(due or today() + timedelta(days=20)),
    }


def terms_of(app, case_id: int) -> list[SimpleNamespace]:
    """The case's terms as plain records (what they owe, their status, their instalments)."""
    with app.app_context():
        terms = db.session.scalars(
            sa.select(AgreementTerm)
            .join(Agreement)
            .where(Agreement.case_id == case_id)
            .order_by(AgreementTerm.id)
        ).all()
        return [
            SimpleNamespace(
                **{
                    name: getattr(term, name)
                    for name in (
                        "id",
                        "description",
                        "kind",
                        "species",
                        "amount",
                        "status",
                        "status_on",
                        "status_note",
                        "paid",
                        "outstanding",
                        "unpaid",
                    )
                },  # fmt: skip
                instalments=[
                    SimpleNamespace(amount_paid=i.amount_paid, received_by=i.received_by)
                    for i in term.instalments
                ],
            )
            for term in terms
        ]


def agreement_of(app, case_id: int) -> Agreement:
    return fetch_one(app, sa.select(Agreement).where(Agreement.case_id == case_id))


def events(app, case_id: int, kind: str) -> list[tuple]:
    return [
        tuple(row)
        for row in query(
            app,
            sa.select(CaseEvent.to_status, CaseEvent.reason)
            .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
            .order_by(CaseEvent.id),
        ).all()
    ]


def pay(walk: Walker, term_id: int, amount: str, on: date | None = None, expect=302, **extra):
    response = walk.post(
        f"/cases/{walk.case_id}/terms/{term_id}/instalments/new",
        {
            "paid_on": iso(on or today()),
            "amount_paid": amount,
            "received_by": "Le chef de village",
            **extra,
        },
    )
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def mark(walk: Walker, term_id: int, status: str, note: str = "", expect: int = 302):
    response = walk.post(
        f"/cases/{walk.case_id}/terms/{term_id}/status",
        {"status": status, "on": iso(today()), "note": note},
    )
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def camels_term(due: date) -> dict:
    return {
        "description": "Rendre les chameaux",
        "kind": "livestock",
        "species": "camels",
        "amount": "3",
        "due_on": iso(due),
    }


def add_term(walk: Walker, app, term: dict, expect: int = 302):
    """A term added to the case's agreement after signing."""
    agreement = agreement_of(app, walk.case_id)
    response = walk.post(f"/cases/{walk.case_id}/agreements/{agreement.id}/terms/new", term)
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


# --- terms recorded with the agreement ------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_agreement_form_records_each_term_as_an_obligation(app, client, mediator, lang):
    walk = in_mediation(app, client, mediator, lang)
    record_agreement(
        walk,
        cash_term(),
        {
            "description": "Rendre les bœufs",
            "kind": "livestock",
            "species": "cattle",
            "amount": "5",
            "due_on": iso(today() + timedelta(days=10)),
        },
        {"description": "Excuses publiques devant la djemaa", "kind": "action"},
    )
    terms = terms_of(app, walk.case_id)
    assert [(t.kind, t.species, t.amount, t.status) for t in terms] == [
        ("cash", None, 100_000, "pending"),
        ("livestock", "cattle", 5, "pending"),
        ("action", None, None, "pending"),
    ]
    # The agreement's totals, left empty, are the terms' own.
    agreement = agreement_of(app, walk.case_id)
    assert (agreement.compensation_fcfa, agreement.livestock_heads) == (100_000, 5)
    page = walk.page()
    words = {
        "fr": ["bovins", "en attente", "0 sur 5 têtes payées", "enregistrer un versement"],
        "en": ["cattle", "pending", "0 of 5 heads paid", "record an instalment"],
    }[lang]
    for word in words:
        assert word in page, word


@pytest.mark.parametrize(
    ("term", "french"),
    [
        ({"description": "Bétail", "kind": "livestock", "amount": "4"}, "Dites quel bétail"),
        ({"description": "Payer", "kind": "cash", "amount": ""}, "Dites combien l’engagement doit"),
        (
            {"description": "Excuses", "kind": "action", "amount": "10"},
            "Seuls les engagements en espèces",
        ),
        ({"description": "Payer", "kind": "gold", "amount": "3"}, "Choisissez une des valeurs"),
        ({"description": "", "kind": "cash", "amount": "5000"}, "Décrivez chaque engagement"),
    ],
)
def test_a_bad_term_is_refused_with_a_translated_message(app, client, mediator, term, french):
    walk = in_mediation(app, client, mediator)
    response = record_agreement(walk, term, expect=400)
    assert french in response.get_data(as_text=True)
    assert walk.status() == "EN_MEDIATION"
    assert terms_of(app, walk.case_id) == []


def test_an_agreement_total_without_its_term_becomes_a_term_to_track(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(
        walk,
        {"description": "Excuses publiques", "kind": "action"},
        compensation_fcfa="30000",
        livestock_heads="4",
        diya="y",
    )
    terms = terms_of(app, walk.case_id)
    assert [(t.kind, t.species, t.amount) for t in terms] == [
        ("action", None, None),
        ("diya", None, 30_000),
        ("livestock", "other", 4),
    ]
    agreement = agreement_of(app, walk.case_id)
    assert (agreement.compensation_fcfa, agreement.livestock_heads, agreement.diya) == (
        30_000,
        4,
        True,
    )


# --- instalments ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_term_paid_in_two_instalments_is_partly_done_then_done(app, client, mediator, lang):
    walk = in_mediation(app, client, mediator, lang)
    record_agreement(walk, cash_term())
    (term,) = terms_of(app, walk.case_id)

    pay(walk, term.id, "40000", on=today() - timedelta(days=2))
    (term,) = terms_of(app, walk.case_id)
    assert (term.status, term.paid, term.outstanding) == ("partly_done", 40_000, 60_000)
    partly = {"fr": "partiellement exécuté", "en": "partly done"}[lang]
    assert partly in walk.page()

    pay(walk, term.id, "60000")
    (term,) = terms_of(app, walk.case_id)
    assert (term.status, term.status_on, term.paid) == ("done", today(), 100_000)
    assert [(i.amount_paid, i.received_by) for i in term.instalments] == [
        (40_000, "Le chef de village"),
        (60_000, "Le chef de village"),
    ]
    # In the case's timeline, and in the audit trail.
    assert [status for status, _reason in events(app, walk.case_id, "term")] == [
        "partly_done",
        "done",
    ]
    page = walk.page()
    done = {
        "fr": "engagement de l’accord mis à jour\u00a0: exécuté",
        "en": "agreement term updated: fulfilled",
    }
    assert done[lang] in page
    audited = query(
        app,
        sa.select(sa.func.count()).where(
            AuditEntry.object_type == "term_instalments", AuditEntry.case_id == walk.case_id
        ),
    ).scalar_one()
    assert audited == 2


@pytest.mark.parametrize(
    ("amount", "extra", "french"),
    [
        ("150000", {}, "plus que ce qui reste dû"),
        ("0", {}, "Dites combien a été payé"),
        ("douze", {}, "Saisissez un nombre entier"),
        ("1000", {"paid_on": BEFORE_THE_AGREEMENT}, "ne peut pas être antérieure"),
    ],
)
def test_a_bad_instalment_is_refused_translated_and_changes_nothing(
    app, client, mediator, amount, extra, french
):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term())
    (term,) = terms_of(app, walk.case_id)
    if extra.get("paid_on") == BEFORE_THE_AGREEMENT:
        agreed = query(
            app, sa.select(Agreement.concluded_on).where(Agreement.case_id == walk.case_id)
        ).scalar_one()
        extra = {"paid_on": iso(agreed - timedelta(days=1))}
    response = pay(walk, term.id, amount, expect=400, **extra)
    assert french in response.get_data(as_text=True)
    (term,) = terms_of(app, walk.case_id)
    assert (term.status, term.instalments) == ("pending", [])


def test_an_action_takes_no_instalment_and_a_term_of_another_case_is_not_found(
    app, client, mediator
):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, {"description": "Excuses publiques", "kind": "action"})
    (term,) = terms_of(app, walk.case_id)
    response = pay(walk, term.id, "1000", expect=400)
    assert "Les versements se font" in response.get_data(as_text=True)
    other = in_mediation(
        app, client, mediator, parties=("Fatoumata Touré", "Ibrahim Cissé"), title="Puits"
    )
    assert client.get(f"/cases/{other.case_id}/terms/{term.id}/instalments/new").status_code == 404


def test_a_term_added_and_edited_after_signing(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term())
    add_term(walk, app, camels_term(today() + timedelta(days=30)))
    first, added = terms_of(app, walk.case_id)
    assert (added.kind, added.species, added.amount) == ("livestock", "camels", 3)
    pay(walk, first.id, "40000")
    # What was paid cannot be owed less.
    response = walk.post(
        f"/cases/{walk.case_id}/terms/{first.id}/edit",
        {**cash_term(amount="30000"), "obliged_party_id": ""},
    )
    assert response.status_code == 400
    assert "ne peut pas être inférieur" in response.get_data(as_text=True)
    response = walk.post(
        f"/cases/{walk.case_id}/terms/{first.id}/edit",
        {**cash_term(amount="40000", description="Verser 40 000"), "obliged_party_id": ""},
    )
    assert response.status_code == 302
    first, _added = terms_of(app, walk.case_id)
    assert (first.description, first.amount, first.status) == ("Verser 40 000", 40_000, "done")


# --- done, breached, and the breach of the agreement -----------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_term_marked_breached_marks_the_agreement_not_respected(app, client, mediator, lang):
    walk = in_mediation(app, client, mediator, lang)
    record_agreement(walk, cash_term(), {"description": "Excuses publiques", "kind": "action"})
    cash, action = terms_of(app, walk.case_id)

    response = mark(walk, cash.id, "breached", note="", expect=400)
    few = {"fr": "quelques mots", "en": "a few words"}[lang]
    assert few in response.get_data(as_text=True)
    assert agreement_of(app, walk.case_id).breached_on is None

    mark(walk, action.id, "done")
    mark(walk, cash.id, "breached", note="La famille refuse de payer")
    cash, action = terms_of(app, walk.case_id)
    assert (action.status, cash.status, cash.status_note) == (
        "done",
        "breached",
        "La famille refuse de payer",
    )
    agreement = agreement_of(app, walk.case_id)
    assert agreement.breached_on == today()
    assert "La famille refuse de payer" in agreement.breach_reason
    assert len(events(app, walk.case_id, "breach")) == 1
    # The case's status is the workflow's business, not the term's.
    assert walk.status() == "ACCORD"
    page = walk.page()
    assert {"fr": "Accord non respecté", "en": "Agreement not respected"}[lang] in page
    # A settled term cannot be paid or marked again.
    assert "déjà" in pay(walk, cash.id, "1000", expect=400).get_data(as_text=True) or lang == "en"


def test_a_not_respected_visit_marks_the_agreement_breached(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term())
    walk.follow_up("not_respected")
    agreement = agreement_of(app, walk.case_id)
    assert agreement.breached_on == today()
    assert agreement.breach_reason == "Visite avancée, parties disponibles."


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_summary_of_a_breached_agreement_never_says_no_agreement(
    app, client, mediator, lang, fmt
):
    """Issue 14: a visit found the agreement not respected; the summary printed "no
    agreement" (the outcome "échec" the closure gave)."""
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term())
    walk.follow_up("not_respected")
    response = client.get(
        f"/reports/case/{walk.case_id}", query_string={"lang": lang, "format": fmt}
    )
    assert response.status_code == 200
    text = {
        "html": lambda data: data.decode(),
        "pdf": pdf_text,
        "docx": docx_text,
    }[fmt](response.data)
    text = " ".join(text.split()).lower()
    if lang == "fr":
        assert "accord non respecté" in text
        assert "échec" not in text
    else:
        assert "agreement not respected" in text
        assert "no agreement" not in text


# --- terms due, outstanding terms -----------------------------------------------------------


def test_late_is_derived_from_the_deadline():
    term = AgreementTerm(status="pending", due_on=D(2026, 3, 1))
    assert term.status_at(D(2026, 3, 1)) is TermStatus.PENDING
    assert term.status_at(D(2026, 3, 2)) is TermStatus.LATE
    term.status = "partly_done"
    assert term.status_at(D(2026, 3, 2)) is TermStatus.LATE
    term.status = "done"
    assert term.status_at(D(2026, 3, 2)) is TermStatus.DONE


def test_terms_due_or_late_are_listed_beside_the_visits(app, client, mediator, make_user, login):
    walk = in_mediation(app, client, mediator)
    record_agreement(
        walk,
        cash_term(due=today() - timedelta(days=2), description="Verser la première part"),
        cash_term(due=today() + timedelta(days=5), description="Verser la seconde part"),
        cash_term(due=today() + timedelta(days=60), description="Verser le solde"),
    )
    page = client.get("/follow-ups", headers=walk.headers).get_data(as_text=True)
    assert "Verser la première part" in page and "en retard depuis" in page
    assert "Verser la seconde part" in page
    assert "Verser le solde" not in page  # not due within the week
    # The coordinator of the area sees them; a mediator it is not assigned to, and the
    # coordinator of another region, do not.
    for role, area, seen in (
        ("coordinator", "GAO", True),
        ("mediator", "GAO", False),
        ("coordinator", "KDL", False),
    ):
        user = make_user(role, area=area)
        with app.app_context():
            due = services.terms_due(db.session.get(User, user.id))
            assert bool(due) is seen, (role, area)
            # The home page's count of follow-ups due counts them too (no visit is due yet).
            count = build_dashboard(db.session.get(User, user.id)).follow_ups_due
            assert count == (2 if seen else 0), (role, area, count)
    coordinator = make_user("coordinator", area="GAO", lang="en")
    other = app.test_client()
    post_form(other, "/login", {"username": coordinator.username, "password": coordinator.password})
    page = other.get("/follow-ups", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Verser la première part" in page and "late since" in page


def test_outstanding_terms_are_those_not_done(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(
        walk,
        cash_term(description="Premier"),
        cash_term(description="Deuxième"),
        {"description": "Troisième", "kind": "action"},
    )
    first, second, third = terms_of(app, walk.case_id)
    pay(walk, first.id, "100000")
    pay(walk, second.id, "10")
    mark(walk, third.id, "breached", note="Les excuses ont été refusées")
    with app.app_context():
        case = db.session.get(Case, walk.case_id)
        assert [t.description for t in services.outstanding_terms(case)] == [
            "Deuxième",
            "Troisième",
        ]


# --- the report: compliance and compensation on a fixed dataset -----------------------------
#
# Gao town, two agreements recorded through the services:
#  A1 concluded 1 Jul 2025: T1 cash 100 000 due 1 Aug, paid 40 000 (15 Jul) + 60 000 (20 Aug)
#     → done 20 Aug; T2 cattle 5 due 1 Sep, marked done 30 Aug; T3 action due 15 Oct, pending.
#  A2 concluded 10 Jul 2025: T4 camels 3 due 15 Sep, breached 20 Sep; T5 diya 200 000 due
#     1 Dec, paid 50 000 (25 Sep).
#  Q3 (Jul–Sep): due T1 T2 T4 (3), done by 30 Sep T1 T2 (2); agreements with terms due A1 A2,
#  compliant A1. FCFA agreed 300 000, paid 150 000, outstanding 150 000 (T5); cattle 5/0/0
#  (T2 done without an instalment owes nothing), camels 3/0/3.
#  Q4 (Oct–Dec): due T3 T5 (2), done 0; agreements A1 A2, compliant 0. FCFA agreed 0, paid
#  0, outstanding 150 000; cattle 0/0/0; camels 0/0/3.


def _obligations_dataset(by: User) -> None:
    unit = get_unit_by_code("GAO-GAO-GAO")

    def agreement(on: date, terms: list[services.TermData]) -> Agreement:
        case = services.register_case(
            services.CaseData(
                unit_id=unit.id,
                event_date=on - timedelta(days=20),
                reported_on=on - timedelta(days=20),
                channel="PLAINTE_DIRECTE",
                conflict_type="FONCIER",
                scope="INTRACOMMUNAUTAIRE",
                title=f"Champ {on}",
            ),
            [services.PartyData(role="complainant", name="Partie", sex="M", age_band="35-59")],
            by,
        )
        services.transition(case, "ENREGISTRE", by)
        services.transition(case, "EN_MEDIATION", by)
        return services.record_agreement(
            case,
            services.AgreementData(
                concluded_on=on, form="written", outcome="ACCORD_TOTAL", terms=terms
            ),
            by,
        )

    a1 = agreement(
        D(2025, 7, 1),
        [
            services.TermData("T1", due_on=D(2025, 8, 1), kind="cash", amount=100_000),
            services.TermData(
                "T2", due_on=D(2025, 9, 1), kind="livestock", species="cattle", amount=5
            ),
            services.TermData("T3", due_on=D(2025, 10, 15)),
        ],
    )
    a2 = agreement(
        D(2025, 7, 10),
        [
            services.TermData(
                "T4", due_on=D(2025, 9, 15), kind="livestock", species="camels", amount=3
            ),
            services.TermData("T5", due_on=D(2025, 12, 1), kind="diya", amount=200_000),
        ],
    )
    t1, t2, _t3 = a1.terms
    t4, t5 = a2.terms
    services.record_instalment(t1, services.InstalmentData(D(2025, 7, 15), 40_000), by)
    services.record_instalment(t1, services.InstalmentData(D(2025, 8, 20), 60_000), by)
    services.mark_term(t2, "done", D(2025, 8, 30), None, by)
    services.mark_term(t4, "breached", D(2025, 9, 20), "Les chameaux ne sont pas venus", by)
    services.record_instalment(t5, services.InstalmentData(D(2025, 9, 25), 50_000), by)


def livestock(**rows) -> dict:
    every = {"cattle": [0, 0, 0], "camels": [0, 0, 0], "small_ruminants": [0, 0, 0]}
    every["other"] = [0, 0, 0]
    every.update(rows)
    return {
        key: dict(zip(("agreed", "paid", "outstanding"), values, strict=True))
        for key, values in every.items()
    }


EXPECTED = {
    "2025-Q3": {
        "terms_due": 3,
        "terms_done": 2,
        "term_compliance_rate": 0.6667,
        "agreements_with_terms_due": 2,
        "agreements_compliant": 1,
        "agreement_compliance_rate": 0.5,
        "compensation_agreed_fcfa": 300_000,
        "compensation_paid_fcfa": 150_000,
        "compensation_outstanding_fcfa": 150_000,
        "livestock_compensation": livestock(cattle=[5, 0, 0], camels=[3, 0, 3]),
    },
    "2025-Q4": {
        "terms_due": 2,
        "terms_done": 0,
        "term_compliance_rate": 0.0,
        "agreements_with_terms_due": 2,
        "agreements_compliant": 0,
        "agreement_compliance_rate": 0.0,
        "compensation_agreed_fcfa": 0,
        "compensation_paid_fcfa": 0,
        "compensation_outstanding_fcfa": 150_000,
        "livestock_compensation": livestock(camels=[0, 0, 3]),
    },
}


@pytest.mark.parametrize("period", ["2025-Q3", "2025-Q4"])
def test_compliance_and_compensation_figures(app, seeded, make_user, period):
    admin = make_user("admin")
    with app.app_context():
        _obligations_dataset(db.session.get(User, admin.id))
        db.session.flush()
        gao = build_report(parse_period(period), get_unit_by_code("GAO")).as_json()
        kidal = build_report(parse_period(period), get_unit_by_code("KDL")).as_json()
        db.session.rollback()
    assert gao["indicators"]["obligations"] == EXPECTED[period]
    assert kidal["indicators"]["obligations"]["terms_due"] == 0
    assert kidal["indicators"]["obligations"]["compensation_outstanding_fcfa"] == 0


# A month's end falls between the payments: July ends with T1 paid 40 000 of 100 000 (the
# rest paid 20 Aug), T2 done on 30 Aug and T5 paid on 25 Sep; August ends after T1 and T2
# were done. What was paid after the month still counted as owed at its end.
MONTHS = {
    "2025-07": {
        "compensation_agreed_fcfa": 300_000,
        "compensation_paid_fcfa": 40_000,
        "compensation_outstanding_fcfa": 260_000,
        "livestock_compensation": livestock(cattle=[5, 0, 5], camels=[3, 0, 3]),
    },
    "2025-08": {
        "compensation_agreed_fcfa": 0,
        "compensation_paid_fcfa": 60_000,
        "compensation_outstanding_fcfa": 200_000,
        "livestock_compensation": livestock(camels=[0, 0, 3]),
    },
}


@pytest.mark.parametrize("period", sorted(MONTHS))
def test_compensation_outstanding_at_a_months_end_counts_what_was_paid_after_it(
    app, seeded, make_user, period
):
    admin = make_user("admin")
    with app.app_context():
        _obligations_dataset(db.session.get(User, admin.id))
        db.session.flush()
        report = build_report(parse_period(period), get_unit_by_code("GAO")).as_json()
        db.session.rollback()
    figures = report["indicators"]["obligations"]
    assert {key: figures[key] for key in MONTHS[period]} == MONTHS[period]


def test_each_term_keeps_what_is_unpaid_in_step_with_its_amount_and_instalments(
    app, seeded, make_user
):
    """``AgreementTerm.unpaid`` (the report's outstanding reads it): the amount minus the
    instalments, whatever the status; none for a term without an amount."""
    admin = make_user("admin")
    with app.app_context():
        by = db.session.get(User, admin.id)
        _obligations_dataset(by)
        db.session.flush()
        terms = {
            term.description: term
            for term in db.session.scalars(
                sa.select(AgreementTerm).where(AgreementTerm.description.like("T%"))
            )
        }
        unpaid = {name: term.unpaid for name, term in sorted(terms.items())}
        # T1 paid in full, T2 done without an instalment, T4 breached, T5 paid 50 000.
        assert unpaid == {"T1": 0, "T2": 5, "T3": None, "T4": 3, "T5": 150_000}
        services.edit_term(
            terms["T5"],
            services.TermData("T5", due_on=D(2025, 12, 1), kind="diya", amount=250_000),
            by,
        )
        assert terms["T5"].unpaid == 200_000
        services.record_instalment(
            terms["T5"], services.InstalmentData(D(2025, 10, 1), 200_000), by
        )
        assert (terms["T5"].unpaid, terms["T5"].status) == (0, "done")
        db.session.rollback()


def test_an_agreement_total_becomes_a_term_with_all_of_it_unpaid(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, compensation_fcfa="30000", livestock_heads="4")
    terms = terms_of(app, walk.case_id)
    assert [(t.kind, t.amount, t.unpaid) for t in terms] == [
        ("cash", 30_000, 30_000),
        ("livestock", 4, 4),
    ]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Taux de respect par engagement", "Indemnisation restant due", "chameaux"]),
        ("en", ["Compliance rate by term", "Compensation outstanding", "camels"]),
    ],
)
def test_the_report_prints_the_rows_in_its_language(
    app, seeded, make_user, login, client, lang, words
):
    admin = make_user("admin")
    with app.app_context():
        _obligations_dataset(db.session.get(User, admin.id))
        db.session.commit()
    login(admin)
    response = client.get(
        "/reports/periodic",
        query_string={"period": "2025-Q3", "area": "GAO", "lang": lang, "format": "html"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for word in words:
        assert word in html, word
    pdf = client.get(
        "/reports/periodic",
        query_string={"period": "2025-Q3", "area": "GAO", "lang": lang, "format": "pdf"},
    )
    assert words[0] in " ".join(pdf_text(pdf.data).split())
