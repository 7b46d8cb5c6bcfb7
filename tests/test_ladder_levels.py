"""Levels that fit the field (issue 15): the entry level, a session's level from who sat,
escalation over levels, returns down the ladder, a formal track beside the mediation, and the
"level at which settled" indicator. Through the web forms, in both languages."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.models import Actor, Case, CaseEvent, MediationSession, Party, Referral
from casework.core.dates import today
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.reports.indicators import build_report
from casework.reports.periods import parse_period
from tests.conftest import fetch_one, query
from tests.test_cases import GAO_COMMUNE, Walker, edit_data, intake, iso

WHY_LEVEL_2 = "Deux villages: les chefs sont saisis d'emblée."


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def _actors(app, *types: str) -> list[int]:
    """Actors of the registry (of no particular place), one per type."""
    with app.app_context():
        actors = [
            Actor(actor_type=kind, name=f"{kind.title()} Maïga", name_search=kind.lower())
            for kind in types
        ]
        db.session.add_all(actors)
        db.session.commit()
        return [actor.id for actor in actors]


def _events(app, case_id: int, kind: str) -> list:
    return query(
        app,
        sa.select(CaseEvent.from_level, CaseEvent.to_level, CaseEvent.reason)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
        .order_by(CaseEvent.id),
    ).all()


def _case(app, case_id: int) -> Case:
    return fetch_one(app, sa.select(Case).where(Case.id == case_id))


# --- the entry level --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "refusal", "entry"),
    [
        ("fr", "Dites pourquoi le dossier entre au-dessus du niveau 0.", "Niveau d'entrée"),
        ("en", "Say why the case enters above level 0.", "Entry level"),
    ],
)
def test_a_case_enters_at_level_2_with_a_reason(app, client, mediator, lang, refusal, entry):
    walk = Walker(app, client, lang)
    refused = walk.post("/cases/new", intake(app, entry_level="2"))
    assert refused.status_code == 400
    assert refusal.replace("'", "&#39;") in refused.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(Case.id))).scalar_one() == 0

    walk.register(entry_level="2", entry_level_reason=WHY_LEVEL_2)
    case = _case(app, walk.case_id)
    assert (case.entry_level, case.ladder_level) == (2, 2)
    assert case.entry_level_reason == WHY_LEVEL_2
    page = unescape(walk.page())
    assert entry in page and WHY_LEVEL_2 in page
    # The path on the ladder starts where the case entered.
    chief = "chef de village, de fraction" if lang == "fr" else "village, fraction or quarter"
    assert chief in page.split('id="path-h"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("fr", "Nommez le tribunal ou l&#39;administration qui a envoyé le dossier."),
        ("en", "Name the court or the administration that sent the case."),
    ],
)
def test_a_case_received_from_a_court_names_it(app, client, mediator, lang, refusal):
    walk = Walker(app, client, lang)
    data = intake(app, channel="INSTITUTION", entry_level="2", entry_level_reason=WHY_LEVEL_2)
    refused = walk.post("/cases/new", data)
    assert refused.status_code == 400 and refusal in refused.get_data(as_text=True)
    walk.register(
        channel="INSTITUTION",
        sending_institution="Tribunal de première instance de Gao",
        entry_level="2",
        entry_level_reason="Le juge renvoie l'affaire au cadi.",
    )
    page = walk.page()
    assert "Tribunal de première instance de Gao" in page
    channel = (
        "reçu d&#39;un tribunal ou de l&#39;administration"
        if lang == "fr"
        else "received from a court or the administration"
    )
    assert channel in page


def test_an_edit_raises_the_case_to_a_corrected_entry_level(app, client, mediator):
    walk = Walker(app, client, "en")
    walk.register()
    data = edit_data(app, client, walk.case_id)
    data.update(entry_level="3")
    refused = walk.post(f"/cases/{walk.case_id}/edit", data)
    assert refused.status_code == 400
    assert "Say why the case enters above level 0." in refused.get_data(as_text=True)
    data.update(entry_level_reason="Le maire a été saisi dès le premier jour.")
    assert walk.post(f"/cases/{walk.case_id}/edit", data).status_code == 302
    case = _case(app, walk.case_id)
    assert (case.entry_level, case.ladder_level) == (3, 3)


# --- a session's level ------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "level"), [("fr", "niveau 2"), ("en", "level 2")])
def test_a_session_before_the_chief_and_the_cadi_sits_at_level_2(
    app, client, mediator, lang, level
):
    """Before: the session copied the case's level (0), whoever sat."""
    chief, cadi = _actors(app, "CHEF_VILLAGE", "CADI")
    walk = Walker(app, client, lang)
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    assert walk.level() == 0
    # A palaver says nothing of the level: the people present do.
    walk.session("failure", mechanism="PALABRE", actor_ids=[str(chief), str(cadi)])
    session = fetch_one(app, sa.select(MediationSession))
    assert session.ladder_level == 2 and session.level_reason is None
    assert walk.level() == 2  # the highest reached
    page = walk.page()
    assert level in page.split('id="sessions-h"')[1]


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("fr", "Les personnes présentes placent cette séance au niveau 0."),
        ("en", "The people present put this session at level 0."),
    ],
)
def test_a_session_level_set_by_hand_needs_a_reason(app, client, mediator, lang, refusal):
    walk = Walker(app, client, lang)
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    refused = walk.session("continue", expect=400, mechanism="AMIABLE", ladder_level="3")
    assert refusal in refused.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(MediationSession.id))).scalar_one() == 0
    walk.session(
        "continue",
        mechanism="AMIABLE",
        ladder_level="3",
        level_reason="Le maire présidait, absent de la liste.",
    )
    session = fetch_one(app, sa.select(MediationSession))
    assert (session.ladder_level, session.level_reason) == (
        3,
        "Le maire présidait, absent de la liste.",
    )
    assert walk.level() == 3


# --- escalation and return --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "refusal", "change"),
    [
        ("fr", "Donnez le motif", "niveau 1 → 3"),
        ("en", "Give the reason", "level 1 → 3"),
    ],
)
def test_an_escalation_from_1_to_3_with_a_reason(app, client, mediator, lang, refusal, change):
    walk = Walker(app, client, lang)
    walk.register(entry_level="1", entry_level_reason="Les familles ont déjà essayé.")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    form = client.get(f"/cases/{walk.case_id}/escalate", headers=walk.headers)
    assert 'value="3"' in form.get_data(as_text=True)
    refused = walk.post(f"/cases/{walk.case_id}/escalate", {"to_level": "3", "reason": ""})
    assert refused.status_code == 400 and refusal in refused.get_data(as_text=True)
    assert walk.level() == 1
    done = walk.post(
        f"/cases/{walk.case_id}/escalate",
        {"to_level": "3", "reason": "Un mort pendant la dispute: la commune doit trancher."},
    )
    assert done.status_code == 302
    assert walk.level() == 3
    assert _events(app, walk.case_id, "escalation") == [
        (1, 3, "Un mort pendant la dispute: la commune doit trancher.")
    ]
    assert change in walk.page()


@pytest.mark.parametrize(
    ("lang", "returned"),
    [
        ("fr", "renvoyé plus bas sur l&#39;échelle\u00a0: niveau 5 → 2"),
        ("en", "sent back down the ladder: level 5 → 2"),
    ],
)
def test_a_court_sends_the_matter_back_to_the_cadi(app, client, mediator, lang, returned):
    walk = Walker(app, client, lang)
    walk.register(conflict_type="FONCIER")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.post(
        f"/cases/{walk.case_id}/escalate",
        {"to_level": "4", "reason": "Le sous-préfet est saisi directement."},
    )
    walk.refer("TPI")
    assert walk.status() == "RENVOYE"
    referral = fetch_one(app, sa.select(Referral))
    response = walk.post(
        f"/cases/{walk.case_id}/referrals/{referral.id}/feedback",
        {
            "feedback_on": iso(today() - timedelta(days=1)),
            "feedback": "Le juge renvoie l'affaire au cadi de Gao.",
            "result": "sent_back",
            "back_to_level": "2",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert walk.status() == "EN_MEDIATION" and walk.level() == 2
    assert _events(app, walk.case_id, "return") == [
        (5, 2, "Le juge renvoie l'affaire au cadi de Gao.")
    ]
    assert fetch_one(app, sa.select(Referral)).result == "sent_back"
    page = walk.page()
    assert returned in page
    assert "Le juge renvoie l&#39;affaire au cadi de Gao." in page


# --- two tracks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "customary", "formal", "waiting", "settled"),
    [
        ("fr", "Voie coutumière", "Voie formelle", "en attente du retour", "réglé par l'inst"),
        ("en", "Customary track", "Formal track", "awaiting the institution", "settled by the"),
    ],
)
def test_a_homicide_goes_to_the_gendarmerie_while_the_families_settle_before_the_chief(
    app, client, mediator, lang, customary, formal, waiting, settled
):
    (chief,) = _actors(app, "CHEF_VILLAGE")
    walk = Walker(app, client, lang)
    walk.register(conflict_type="FONCIER", deaths="1", title="Un berger tué près d'un champ")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION", expect=400)  # a death: the penal side must go out first
    response = walk.post(
        f"/cases/{walk.case_id}/referrals/new",
        {
            "referred_on": iso(today() - timedelta(days=6)),
            "target": "GENDARMERIE",
            "reason": "Homicide: enquête de la gendarmerie.",
            "parallel": "y",
            # A crime: the parties are told, not asked (issue 15, referral rules).
            "notified_party_ids": [
                str(party_id)
                for party_id in query(
                    app, sa.select(Party.id).where(Party.case_id == walk.case_id)
                ).scalars()
            ],
            "notified_on": iso(today() - timedelta(days=6)),
            "notified_how": "chief",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert walk.status() == "ENREGISTRE"  # not "referred": the case is not handed over
    walk.move("EN_MEDIATION")
    walk.session("agreement", mechanism="COMPENSATION", actor_ids=[str(chief)])
    walk.agreement()
    assert walk.status() == "ACCORD"
    session = fetch_one(app, sa.select(MediationSession))
    assert session.ladder_level == 2
    page = walk.page()
    tracks = page.split('id="tracks-h"')[1].split("</section>")[0]
    assert customary in tracks and formal in tracks and waiting in tracks
    referral = fetch_one(app, sa.select(Referral))
    assert referral.parallel is True and referral.result is None
    response = walk.post(
        f"/cases/{walk.case_id}/referrals/{referral.id}/feedback",
        {
            "feedback_on": iso(today() - timedelta(days=1)),
            "feedback": "Le suspect est déféré au parquet.",
            "result": "settled",
            "back_to_level": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert fetch_one(app, sa.select(Referral)).result == "settled"
    assert walk.status() == "ACCORD"  # each track has its own outcome
    tracks = unescape(walk.page().split('id="tracks-h"')[1].split("</section>")[0])
    assert settled in tracks and waiting not in tracks


def test_only_a_referral_to_the_authorities_opens_a_formal_track(app, client, mediator):
    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    refused = walk.post(
        f"/cases/{walk.case_id}/referrals/new",
        {
            "referred_on": iso(today() - timedelta(days=2)),
            "target": "COFO",
            "reason": "Terres.",
            "parallel": "y",
        },
    )
    assert refused.status_code == 400
    assert "Only a referral to justice or the security forces" in refused.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(Referral.id))).scalar_one() == 0


# --- the level at which cases were settled ----------------------------------------------------

D = date


def _register(by, reported, **extra) -> Case:
    case = cases.register_case(
        cases.CaseData(
            unit_id=get_unit_by_code(GAO_COMMUNE).id,
            event_date=reported,
            reported_on=reported,
            channel="PLAINTE_DIRECTE",
            conflict_type="FONCIER",
            scope="INTRACOMMUNAUTAIRE",
            title=f"Champ {reported}",
            **extra,
        ),
        [
            cases.PartyData(role="complainant", name="Partie A", consent_to_share=True),
            cases.PartyData(role="respondent", name="Partie B", consent_to_share=True),
        ],
        by,
    )
    cases.transition(case, "ENREGISTRE", by)
    cases.transition(case, "EN_MEDIATION", by)
    return case


def _sit(by, case, on, mechanism, result, actors=()):
    return cases.record_session(
        case,
        cases.SessionData(
            held_on=on,
            place="ARBRE_PALABRE",
            mechanism=mechanism,
            result=result,
            actor_ids=[actor.id for actor in actors],
        ),
        by,
    )


def _settle(by, case, on):
    cases.record_agreement(
        case, cases.AgreementData(concluded_on=on, form="written", outcome="ACCORD_TOTAL"), by
    )
    # Closed before the visits: as a coordinator's approval of an early closure (issue 14).
    cases.transition(case, "CLOTURE_RESOLU", by, on=on + timedelta(days=10), approved=True)


def test_the_level_at_which_settled_of_a_fixed_scenario(app, seeded, make_user):
    """A: the parties, alone (0). B: before the chief and the cadi, on a case that entered
    at 0 (2; was 0). C: entered at 1, escalated to 3, settled before the mayor (3).
    D: the land commission failed (3), then the chief settled it (2; the case stands at 3).
    E: referred to the court, which settled it (settled elsewhere)."""
    info = make_user("admin", username="admin")
    with app.app_context():
        by = db.session.get(User, info.id)
        chief, cadi, mayor, cofo = (
            cases.save_actor(cases.ActorData(actor_type=kind, name=kind.title(), sex="M"), by)
            for kind in ("CHEF_VILLAGE", "CADI", "MAIRE", "MEMBRE_COFO")
        )
        a = _register(by, D(2025, 7, 1))
        _sit(by, a, D(2025, 7, 5), "AMIABLE", "agreement")
        _settle(by, a, D(2025, 7, 6))

        b = _register(by, D(2025, 7, 2))
        _sit(by, b, D(2025, 7, 8), "PALABRE", "agreement", [chief, cadi])
        _settle(by, b, D(2025, 7, 9))

        c = _register(by, D(2025, 7, 3), entry_level=1, entry_level_reason="Les familles.")
        cases.escalate(c, by, "La commune doit trancher.", to_level=3)
        _sit(by, c, D(2025, 7, 10), "MEDIATION_TIERCE", "agreement", [mayor])
        _settle(by, c, D(2025, 7, 11))

        d = _register(by, D(2025, 7, 4))
        _sit(by, d, D(2025, 7, 12), "COFO_CONCILIATION", "failure", [cofo])
        _sit(by, d, D(2025, 7, 20), "CONCILIATION_CHEF", "agreement", [chief])
        _settle(by, d, D(2025, 7, 21))
        assert d.ladder_level == 3

        e = _register(by, D(2025, 7, 5))
        referral = cases.record_referral(
            e,
            cases.ReferralData(referred_on=D(2025, 7, 6), target="TPI", reason="Au tribunal."),
            by,
        )
        cases.record_referral_feedback(
            referral, feedback_on=D(2025, 8, 1), feedback="Jugé.", result="settled", by=by
        )

        report = build_report(parse_period("2025-Q3"), None).as_json()
    profile = report["indicators"]["cases"]["ladder_profile"]
    assert {level: row["resolved"] for level, row in profile.items()} == {
        "PARTIES": 1,
        "FAMILLE_NOTABLES": 0,
        "CHEFFERIE": 2,
        "COMMUNE": 1,
        "ADMINISTRATION": 0,
        "JUSTICE_FDS": 0,
        "SETTLED_ELSEWHERE": 1,
    }


# --- the migration that maps today's data -----------------------------------------------------


def test_the_migration_sets_session_levels_from_their_mechanism_and_entry_levels(
    empty_database,
):
    """A database as it was before this revision: sessions copied their case's level, and
    the level a case entered at was only in its first event."""
    from flask_migrate import downgrade, upgrade

    from casework import create_app
    from casework.demo import seed_demo
    from tests.conftest import app_settings

    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        seed_demo(cases=15)
        db.session.commit()
        db.session.remove()
        downgrade(revision="20261204_k")
        run = db.session.execute
        first, second = run(
            sa.text("SELECT id, case_id FROM mediation_sessions ORDER BY id")
        ).all()[:2]
        # Before the chief, recorded at the case's level 0; a third party's mediation at 1.
        run(
            sa.text("DELETE FROM session_actors WHERE session_id IN (:a, :b)"),
            {
                "a": first.id,
                "b": second.id,
            },
        )
        run(
            sa.text(
                "UPDATE mediation_sessions SET mechanism = 'CONCILIATION_CHEF', ladder_level = 0 "
                "WHERE id = :id"
            ),
            {"id": first.id},
        )
        run(
            sa.text(
                "UPDATE mediation_sessions SET mechanism = 'MEDIATION_TIERCE', ladder_level = 1 "
                "WHERE id = :id"
            ),
            {"id": second.id},
        )
        run(sa.text("DELETE FROM referrals WHERE case_id = :id"), {"id": first.case_id})
        run(sa.text("UPDATE cases SET ladder_level = 0 WHERE id = :id"), {"id": first.case_id})
        entered = run(
            sa.text("SELECT id FROM cases WHERE id <> :id ORDER BY id"), {"id": first.case_id}
        ).first()
        run(
            sa.text("UPDATE case_events SET to_level = 1 WHERE case_id = :id AND kind = 'created'"),
            {"id": entered.id},
        )
        db.session.commit()
        db.session.remove()

        upgrade()
        levels = dict(run(sa.text("SELECT id, ladder_level FROM mediation_sessions")).all())
        assert levels[first.id] == 2  # from its mechanism
        assert levels[second.id] == 1  # a third party says nothing: kept
        case_levels = dict(run(sa.text("SELECT id, ladder_level FROM cases")).all())
        assert case_levels[first.case_id] >= 2  # the highest its sessions reached
        entries = dict(run(sa.text("SELECT id, entry_level FROM cases")).all())
        assert entries[entered.id] == 1
        # Every case enters where its first event put it.
        created = dict(
            run(sa.text("SELECT case_id, to_level FROM case_events WHERE kind = 'created'")).all()
        )
        assert entries == created
        db.session.remove()
        db.engine.dispose()
