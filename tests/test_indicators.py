"""The periodic report's indicators, worked out by hand on a small dataset; reporting
periods; anonymisation for partners."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from casework.auth import services as accounts
from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.models import FollowUp
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.policing import services as policing
from casework.reports.anonymise import anonymise
from casework.reports.indicators import build_report
from casework.reports.model import Figure, Period, Report, Section, Table
from casework.reports.periods import PeriodError, parse_period
from tests.conftest import PASSWORD, shared_data

GAO_TOWN = "GAO-GAO-GAO"
NTILLIT = "GAO-GAO-NTILLIT"
ANSONGO = "GAO-ANSONGO-ANSONGO"
MENAKA = "MNK-MENAKA-MENAKA"
D = date


# --- the dataset ------------------------------------------------------------------------------
#
# Two regions (Gao: communes Gao, N'Tillit, Ansongo; Ménaka: commune Ménaka), two quarters
# (2025-Q3 = 1 Jul–30 Sep, 2025-Q4 = 1 Oct–31 Dec), everything recorded through the services.
#
# Cases (★ = crime, never mediated; parties as sex/age band):
#  C1  Gao town  FONCIER    intracomm.  reported 25 Jun (Q2)  M 35-59, F 18-34
#      S1 5 Jul CONCILIATION_CHEF failure (w2 m6 y3; A1, A2), level 2 → escalated to level 3
#      S2 20 Jul PALABRE agreement (w1 m5 y2; A2), level 2 (the chief); agreement 21 Jul
#      full, 50 000 FCFA, 3 heads
#      D+30 visit 22 Aug respected; D+90 visit 20 Oct partial; closed resolved 25 Oct
#      recurrence R1 reported 10 Nov (same place, type, scope, parties)
#  C2  N'Tillit  PATURAGE   intercomm.  reported 3 Jul   M 18-34, M 60plus, 2 minor injuries
#      S3 10 Jul AMIABLE agreement (w3 m3 y1; A1); agreement 12 Jul PARTIAL, 10 heads
#      D+30 visit 15 Aug not respected → closed unresolved 15 Aug, recurrence R2 reported 15 Aug
#  C3  Ansongo   VOL_BETAIL intracomm.  reported 5 Aug   F 35-59
#      referred 10 Aug to the gendarmerie, feedback 1 Sep: settled → closed resolved 1 Sep
#  C4  Gao town  DEGATS_CHAMPETRES intracomm. reported 28 Sep  M unknown, U unknown
#      dropped 2 Oct
#  C5★ Gao town  BANDITISME intercomm.  reported 3 Oct   M 35-59; 1 death, 2 serious injuries
#      referred 5 Oct to the gendarmerie, no feedback
#  C6  N'Tillit  FONCIER    intracomm.  reported 3 Nov   F under18, M 35-59
#      S4 20 Nov COFO_CONCILIATION continue (w4 m4 y0; A3); still open
#  M1  Ménaka    EAU_PUITS  intercomm.  reported 20 Jul  M 18-34, M 35-59
#      S5 1 Aug ARBITRAGE_RELIGIEUX agreement (w0 m10 y5; A2), level 2; agreement 2 Aug full,
#      20 000 FCFA
#      closed resolved 30 Aug (no visit done)
#  M2★ Ménaka    TRAFIC     cross-border reported 12 Sep  M unknown; left reported
#  M3  Ménaka    SUCCESSION intra-family reported 15 Oct  F 60plus, F 35-59
#      S6 20 Oct AMIABLE failure (w2 m2 y0; A1); closed unresolved 1 Dec
# Actors: A1 woman, A2 man, A3 woman.
#
# Community police: unit "Brigade de Gao" (PU_G, Gao town), "Poste de Ménaka" (PU_M).
#  Activities: 10 Jul PATROUILLE_PEDESTRE PU_G Gao town (10: w3 m7 y4);
#   20 Aug SENSIBILISATION PU_G N'Tillit (40: w25 m15 y20); 5 Nov SENSIBILISATION PU_G Gao
#   town (20: w10 m10 y5); 1 Sep PATROUILLE_MOTORISEE PU_M (6: w0 m6 y2);
#   15 Dec SENSIBILISATION PU_M (12: w6 m6 y3).
#  Committees (monthly target): Gao town 1, N'Tillit 2, Ménaka 1.
#  Meetings (recommendations): Gao 15 Jul (done, pending); N'Tillit 1 Aug (in progress);
#   Ménaka 5 Sep (done, done); Gao 10 Oct (done).
#  Alerts (UTC = Bamako time): 5 Jul 10:00 Gao town VOL_BETAIL verified, answered 12:30
#   (150 min); 12 Aug 23:30 N'Tillit BANDITISME; 30 Sep 23:59 Gao town
#   TENSION_INTERCOMMUNAUTAIRE verified, answered 1 Oct 00:29 (30 min: still Q3);
#   20 Oct 08:00 Ansongo TRAFIC verified, answered 09:00 (60 min), became a case (reported
#   today, outside every period tested); 1 Aug 06:00 Ménaka MOUVEMENT_ARME verified,
#   answered 07:40 (100 min); 11 Nov Ménaka ENGIN_EXPLOSIF.


def _uid(code: str) -> int:
    return get_unit_by_code(code).id


def _case(by, unit, conflict_type, scope, reported, parties, **extra):
    roles = ["complainant", "respondent", "third"]
    data = cases.CaseData(
        unit_id=_uid(unit),
        event_date=reported,
        reported_on=reported,
        channel="PLAINTE_DIRECTE",
        conflict_type=conflict_type,
        scope=scope,
        title=f"{conflict_type} {reported}",
        **extra,
    )
    people = [
        cases.PartyData(
            role=roles[i], name=f"Partie {i}", sex=sex, age_band=band, consent_to_share=True
        )
        for i, (sex, band) in enumerate(parties)
    ]
    return cases.register_case(data, people, by)


def _session(by, case, held_on, mechanism, result, women, men, youth, actors):
    return cases.record_session(
        case,
        cases.SessionData(
            held_on=held_on,
            place="ARBRE_PALABRE",
            mechanism=mechanism,
            result=result,
            women=women,
            men=men,
            youth=youth,
            actor_ids=[actor.id for actor in actors],
        ),
        by,
    )


def _told(case, on):
    """A crime's referral: its parties are told, through the chief (issue 15)."""
    return cases.NoticeData(
        party_ids=[party.id for party in case.parties], notified_on=on, means="chief"
    )


def _agreement(by, case, on, outcome, fcfa=None, heads=None):
    return cases.record_agreement(
        case,
        cases.AgreementData(
            concluded_on=on,
            form="written",
            outcome=outcome,
            compensation_fcfa=fcfa,
            livestock_heads=heads,
        ),
        by,
    )


def _visit(by, agreement, index, on, compliance):
    follow_ups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.agreement_id == agreement.id).order_by(FollowUp.due_on)
    ).all()
    return cases.record_follow_up(
        follow_ups[index], cases.FollowUpData(done_on=on, compliance=compliance), by
    )


def _close_approved(by, case, on, approver):
    """Closed, resolved before the follow-up allows it: requested, then approved."""
    request = cases.request_closure(case, "Accord appliqué, les parties sont réconciliées.", by)
    cases.decide_closure(request, "approved", None, approver, on=on)


def _utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def build_dataset(admin: User, approver: User) -> dict:
    by = admin
    actor = {
        name: cases.save_actor(cases.ActorData(actor_type=kind, name=name, sex=sex), by)
        for name, kind, sex in (
            ("A1", "ASSOC_FEMMES", "F"),
            ("A2", "CHEF_VILLAGE", "M"),
            ("A3", "MEMBRE_COFO", "F"),
        )
    }
    a1, a2, a3 = actor["A1"], actor["A2"], actor["A3"]

    c1 = _case(by, GAO_TOWN, "FONCIER", "INTRACOMMUNAUTAIRE", D(2025, 6, 25),
               [("M", "35-59"), ("F", "18-34")])  # fmt: skip
    cases.transition(c1, "ENREGISTRE", by)
    cases.transition(c1, "EN_MEDIATION", by)
    _session(by, c1, D(2025, 7, 5), "CONCILIATION_CHEF", "failure", 2, 6, 3, [a1, a2])
    cases.escalate(c1, by)
    _session(by, c1, D(2025, 7, 20), "PALABRE", "agreement", 1, 5, 2, [a2])
    ag1 = _agreement(by, c1, D(2025, 7, 21), "ACCORD_TOTAL", fcfa=50_000, heads=3)
    _visit(by, ag1, 0, D(2025, 8, 22), "respected")
    _visit(by, ag1, 1, D(2025, 10, 20), "partial")
    _close_approved(by, c1, D(2025, 10, 25), approver)  # its last visit was partial
    cases.open_recurrence(c1, by, on=D(2025, 11, 10))  # R1

    c2 = _case(by, NTILLIT, "PATURAGE", "INTERCOMMUNAUTAIRE", D(2025, 7, 3),
               [("M", "18-34"), ("M", "60plus")], injuries_minor=2)  # fmt: skip
    cases.transition(c2, "ENREGISTRE", by)
    cases.transition(c2, "EN_MEDIATION", by)
    _session(by, c2, D(2025, 7, 10), "AMIABLE", "agreement", 3, 3, 1, [a1])
    ag2 = _agreement(by, c2, D(2025, 7, 12), "ACCORD_PARTIEL", heads=10)
    _visit(by, ag2, 0, D(2025, 8, 15), "not_respected")
    reason = "Accord non respecté, nouveau dossier."
    assert cases.handle_breach(c2, "close_and_recur", reason, by, on=D(2025, 8, 15))  # R2

    c3 = _case(by, ANSONGO, "VOL_BETAIL", "INTRACOMMUNAUTAIRE", D(2025, 8, 5), [("F", "35-59")])
    cases.transition(c3, "ENREGISTRE", by)
    referral = cases.record_referral(
        c3,
        cases.ReferralData(
            D(2025, 8, 10), "GENDARMERIE", "Vol de bétail armé", notice=_told(c3, D(2025, 8, 10))
        ),
        by,
    )
    cases.record_referral_feedback(
        referral,
        feedback_on=D(2025, 9, 1),
        feedback="Réglé à la brigade.",
        result=cases.FeedbackResult.SETTLED,
        by=by,
    )

    c4 = _case(by, GAO_TOWN, "DEGATS_CHAMPETRES", "INTRACOMMUNAUTAIRE", D(2025, 9, 28),
               [("M", "unknown"), ("U", "unknown")])  # fmt: skip
    cases.transition(c4, "CLASSE", by, reason="Plainte retirée", on=D(2025, 10, 2))

    c5 = _case(by, GAO_TOWN, "BANDITISME", "INTERCOMMUNAUTAIRE", D(2025, 10, 3),
               [("M", "35-59")], deaths=1, injuries_serious=2)  # fmt: skip
    cases.transition(c5, "ENREGISTRE", by)
    cases.record_referral(
        c5,
        cases.ReferralData(
            D(2025, 10, 5), "GENDARMERIE", "Braquage: crime", notice=_told(c5, D(2025, 10, 5))
        ),
        by,
    )

    c6 = _case(by, NTILLIT, "FONCIER", "INTRACOMMUNAUTAIRE", D(2025, 11, 3),
               [("F", "under18"), ("M", "35-59")])  # fmt: skip
    cases.transition(c6, "ENREGISTRE", by)
    cases.transition(c6, "EN_MEDIATION", by)
    _session(by, c6, D(2025, 11, 20), "COFO_CONCILIATION", "continue", 4, 4, 0, [a3])

    m1 = _case(by, MENAKA, "EAU_PUITS", "INTERCOMMUNAUTAIRE", D(2025, 7, 20),
               [("M", "18-34"), ("M", "35-59")])  # fmt: skip
    cases.transition(m1, "ENREGISTRE", by)
    cases.transition(m1, "EN_MEDIATION", by)
    _session(by, m1, D(2025, 8, 1), "ARBITRAGE_RELIGIEUX", "agreement", 0, 10, 5, [a2])
    _agreement(by, m1, D(2025, 8, 2), "ACCORD_TOTAL", fcfa=20_000)
    _close_approved(by, m1, D(2025, 8, 30), approver)  # before its visits

    _case(by, MENAKA, "TRAFIC", "TRANSFRONTALIER", D(2025, 9, 12), [("M", "unknown")])  # M2

    m3 = _case(by, MENAKA, "SUCCESSION", "INTRA_FAMILIAL", D(2025, 10, 15),
               [("F", "60plus"), ("F", "35-59")])  # fmt: skip
    cases.transition(m3, "ENREGISTRE", by)
    cases.transition(m3, "EN_MEDIATION", by)
    _session(by, m3, D(2025, 10, 20), "AMIABLE", "failure", 2, 2, 0, [a1])
    cases.transition(m3, "CLOTURE_NON_RESOLU", by, reason="Échec", on=D(2025, 12, 1))

    # --- community police ---
    pu_g = policing.save_police_unit(
        policing.PoliceUnitData("Brigade de Gao", "gendarmerie", _uid(GAO_TOWN)), by
    )
    pu_m = policing.save_police_unit(
        policing.PoliceUnitData("Poste de Ménaka", "police", _uid(MENAKA)), by
    )
    for held_on, kind, unit, place, total, women, men, youth in (
        (D(2025, 7, 10), "PATROUILLE_PEDESTRE", pu_g, GAO_TOWN, 10, 3, 7, 4),
        (D(2025, 8, 20), "SENSIBILISATION", pu_g, NTILLIT, 40, 25, 15, 20),
        (D(2025, 11, 5), "SENSIBILISATION", pu_g, GAO_TOWN, 20, 10, 10, 5),
        (D(2025, 9, 1), "PATROUILLE_MOTORISEE", pu_m, MENAKA, 6, 0, 6, 2),
        (D(2025, 12, 15), "SENSIBILISATION", pu_m, MENAKA, 12, 6, 6, 3),
    ):
        policing.save_activity(
            policing.ActivityData(
                activity_type=kind,
                held_on=held_on,
                police_unit_id=unit.id,
                unit_id=_uid(place),
                topic="Sécurité du marché",
                participants=total,
                women=women,
                men=men,
                youth=youth,
            ),
            by,
        )
    committee = {
        code: policing.save_committee(
            policing.CommitteeData(f"CCS {code}", _uid(code), monthly_target=target), by
        )
        for code, target in ((GAO_TOWN, 1), (NTILLIT, 2), (MENAKA, 1))
    }
    for code, held_on, statuses in (
        (GAO_TOWN, D(2025, 7, 15), ("done", "pending")),
        (NTILLIT, D(2025, 8, 1), ("in_progress",)),
        (MENAKA, D(2025, 9, 5), ("done", "done")),
        (GAO_TOWN, D(2025, 10, 10), ("done",)),
    ):
        policing.save_meeting(
            committee[code],
            policing.MeetingData(
                held_on=held_on,
                agenda="Transhumance",
                women=2,
                men=8,
                recommendations=[
                    policing.RecommendationData(text=f"Recommandation {i}", status=status)
                    for i, status in enumerate(statuses)
                ],
            ),
            by,
        )
    alerts = {}
    for name, at, place, category, verified, answered in (
        ("a", _utc(2025, 7, 5, 10, 0), GAO_TOWN, "VOL_BETAIL", True, _utc(2025, 7, 5, 12, 30)),
        ("b", _utc(2025, 8, 12, 23, 30), NTILLIT, "BANDITISME", False, None),
        ("c", _utc(2025, 9, 30, 23, 59), GAO_TOWN, "TENSION_INTERCOMMUNAUTAIRE", True,
         _utc(2025, 10, 1, 0, 29)),
        ("d", _utc(2025, 10, 20, 8, 0), ANSONGO, "TRAFIC", True, _utc(2025, 10, 20, 9, 0)),
        ("e", _utc(2025, 8, 1, 6, 0), MENAKA, "MOUVEMENT_ARME", True, _utc(2025, 8, 1, 7, 40)),
        ("f", _utc(2025, 11, 11, 14, 0), MENAKA, "ENGIN_EXPLOSIF", False, None),
    ):  # fmt: skip
        alerts[name] = policing.save_alert(
            policing.AlertData(
                occurred_at=at,
                unit_id=_uid(place),
                category=category,
                urgency=2,
                source_type="RELAIS_COMMUNAUTAIRE",
                description="Signalement du relais",
                verified=verified,
                responded_at=answered,
                response="Patrouille envoyée" if answered else None,
            ),
            by,
        )
    policing.alert_to_case(
        alerts["d"],
        policing.AlertCaseData(
            conflict_type="TRAFIC",
            scope="INTERCOMMUNAUTAIRE",
            title="Convoi suspect",
            party_name="Communauté d'Ansongo",
        ),
        by,
    )
    db.session.commit()
    return {"PU_G": str(pu_g.id), "PU_M": str(pu_m.id)}


@pytest.fixture(scope="module")
def dataset(request, seeded_app):
    """Built once per backend for the tests of this module (it takes a while), in a
    transaction that each test's own rollback leaves as it was."""
    with shared_data(request, seeded_app, seeded=True):
        with seeded_app.app_context():
            admin = accounts.create_user(
                username="admin1", full_name="Admin admin1", role="admin", password=PASSWORD
            )
            approver = accounts.create_user(
                username="admin2", full_name="Admin admin2", role="admin", password=PASSWORD
            )
            db.session.commit()
            units = build_dataset(db.session.get(User, admin.id), db.session.get(User, approver.id))
        yield units


# --- expected values, worked out by hand from the dataset above -------------------------------

LEVELS = ("PARTIES", "FAMILLE_NOTABLES", "CHEFFERIE", "COMMUNE", "ADMINISTRATION", "JUSTICE_FDS")
BANDS = ("under18", "18-34", "35-59", "60plus", "unknown")


def ladder(**counts) -> dict:
    """The ladder profile: every level, then cases settled by the institution referred to."""
    return {key: {"resolved": counts.get(key, 0)} for key in (*LEVELS, "SETTLED_ELSEWHERE")}


def sex_age(**rows) -> dict:
    """Parties by sex (F, M, U) and age band; rows not given are all zero."""
    return {sex: dict(zip(BANDS, rows.get(sex, [0] * 5), strict=True)) for sex in ("F", "M", "U")}


def compliance(**rows) -> dict:
    """Follow-up visits by compliance, [D+30, D+90]; rows not given are zero."""
    return {
        row: dict(zip(("d30", "d90"), rows.get(row, [0, 0]), strict=True))
        for row in ("respected", "partial", "not_respected")
    }


def months(*pairs) -> dict:
    return {month: {"opened": n} for month, n in pairs}


def activity_months(*pairs) -> dict:
    return {month: {"activities": n} for month, n in pairs}


def cercles(**rows) -> dict:
    """Key figures by cercle: [opened, closed, resolved, crimes] (GAO_GAO for GAO-GAO)."""
    return {
        row.replace("_", "-"): dict(zip(("opened", "closed", "resolved", "crimes"), v, strict=True))
        for row, v in rows.items()
    }


def one(column: str, **rows) -> dict:
    """A one-column table: {row: {column: value}}."""
    return {row: {column: value} for row, value in rows.items()}


def by_type(**rows) -> dict:
    return {
        row: dict(zip(("opened", "closed", "resolved", "resolution_rate"), v, strict=True))
        for row, v in rows.items()
    }


def by_mechanism(**rows) -> dict:
    return {
        row: dict(zip(("sessions", "closed", "resolved", "resolution_rate"), v, strict=True))
        for row, v in rows.items()
    }


def referrals(**rows) -> dict:
    return {
        row: dict(zip(("referrals", "with_feedback", "feedback_share"), v, strict=True))
        for row, v in rows.items()
    }


def obligations(agreed=0, outstanding=0, heads=(0, 0, 0)) -> dict:
    """The dataset's agreements give terms of their totals (FCFA, livestock of no named
    species), without deadlines and unpaid (tests/test_obligations.py has the rest)."""
    zero = dict.fromkeys(("agreed", "paid", "outstanding"), 0)
    return {
        "terms_due": 0,
        "terms_done": 0,
        "term_compliance_rate": None,
        "agreements_with_terms_due": 0,
        "agreements_compliant": 0,
        "agreement_compliance_rate": None,
        "compensation_agreed_fcfa": agreed,
        "compensation_paid_fcfa": 0,
        "compensation_outstanding_fcfa": outstanding,
        "livestock_compensation": {
            "cattle": zero,
            "camels": zero,
            "small_ruminants": zero,
            "other": dict(zip(("agreed", "paid", "outstanding"), heads, strict=True)),
        },
    }


def expected(period: str, area: str | None, units: dict) -> dict:
    pu_g, pu_m = units["PU_G"], units["PU_M"]
    return {
        # ------------------------------------------------------------------ 2025-Q3, Gao
        ("2025-Q3", "GAO"): {
            "cases": {
                "cases_opened": 4,  # C2, R2, C3, C4 (no ★ case in Gao in Q3)
                "cases_carried_over": 1,  # C1, reported in June, open on 1 July
                "cases_closed": 2,  # C2 (unresolved 15 Aug), C3 (resolved 1 Sep)
                "cases_closed_resolved": 1,  # C3
                "resolution_rate": 0.5,  # 1 ÷ 2
                "partial_agreements": 1,  # C2's agreement of 12 Jul
                "cases_by_type": by_type(
                    PATURAGE=[2, 1, 0, 0.0],  # C2 + R2 opened; C2 closed unresolved
                    DEGATS_CHAMPETRES=[1, 0, 0, None],  # C4 opened, closed in Q4
                    VOL_BETAIL=[1, 1, 1, 1.0],  # C3 opened and settled
                ),
                "cases_by_scope": one("opened", INTRACOMMUNAUTAIRE=2, INTERCOMMUNAUTAIRE=2),
                "cases_by_place": {
                    NTILLIT: {"opened": 2},  # C2, R2
                    ANSONGO: {"opened": 1},  # C3
                    GAO_TOWN: {"opened": 1},  # C4
                },
                "cases_by_month": months(("2025-07", 1), ("2025-08", 2), ("2025-09", 1)),
                "by_mechanism": by_mechanism(
                    CONCILIATION_CHEF=[1, 0, 0, None],  # S1
                    PALABRE=[1, 0, 0, None],  # S2 (C1 closed in Q4)
                    AMIABLE=[1, 1, 0, 0.0],  # S3; C2 closed unresolved after it
                ),
                "ladder_profile": ladder(SETTLED_ELSEWHERE=1),  # C3, settled by the gendarmerie
                "referrals_by_target": referrals(GENDARMERIE=[1, 1, 1.0]),  # C3, with feedback
            },
            "timeliness": {
                "cases_first_session": 2,  # C1 (25 Jun → 5 Jul: 10 d), C2 (3 → 10 Jul: 7 d)
                "median_days_to_first_session": 8.5,
                "agreements_concluded": 2,  # C1 (25 Jun → 21 Jul: 26 d), C2 (3 → 12 Jul: 9 d)
                "median_days_to_agreement": 17.5,
            },
            "compliance": {
                "resolved_last_12_months": 0,  # nothing closed Jul 2024 – Jun 2025
                "recurrences": 0,
                "recurrence_rate": None,
                # C1's D+30 visit respected, C2's D+30 visit not respected
                "follow_up_compliance": compliance(respected=[1, 0], not_respected=[1, 0]),
            },
            # Terms made of the agreements' totals, without deadlines: none due.
            "obligations": obligations(
                agreed=50_000, outstanding=50_000, heads=[13, 0, 13]
            ),  # C1, C2
            "harm": {
                "deaths": 0,
                "injuries_serious": 0,
                "injuries_minor": 2,  # C2
                "livestock_returned": 13,  # agreements of C1 (3) and C2 (10)
                "compensation_fcfa": 50_000,  # C1
            },
            "inclusion": {
                "session_participants": 20,  # S1 (2+6), S2 (1+5), S3 (3+3)
                "session_participants_women": 6,
                "session_participants_youth": 6,  # 3 + 2 + 1
                "share_women_participants": 0.3,
                "share_youth_participants": 0.3,
                "mediators_attending": 2,  # A1, A2
                "mediators_women": 1,  # A1
                "share_women_mediators": 0.5,
                "cases_woman_party": 1,  # C3
                "woman_party_closed": 1,  # C3
                "woman_party_resolved": 1,
                "woman_party_resolution_rate": 1.0,
                "cases_young_party": 2,  # C2, R2
                "young_party_closed": 1,  # C2, unresolved
                "young_party_resolved": 0,
                "young_party_resolution_rate": 0.0,
                # C2 and R2: M 18-34 + M 60plus; C3: F 35-59; C4: M unknown + U unknown
                "parties_by_sex_age": sex_age(
                    F=[0, 0, 1, 0, 0], M=[0, 2, 0, 2, 1], U=[0, 0, 0, 0, 1]
                ),
            },
            "policing": {
                "activities_held": 2,  # 10 Jul patrol, 20 Aug awareness session
                "people_reached": 50,
                "people_reached_women": 28,
                "people_reached_men": 22,
                "people_reached_youth": 24,
                "committee_meetings_held": 2,  # Gao 15 Jul, N'Tillit 1 Aug
                "committee_meetings_expected": 9,  # (1 + 2) a month × 3 months
                "committee_meetings_rate": 0.2222,
                "recommendations_made": 3,
                "recommendations_done": 1,
                "recommendations_done_share": 0.3333,
                "activities_by_type": one("activities", PATROUILLE_PEDESTRE=1, SENSIBILISATION=1),
                "activities_by_unit": {pu_g: {"activities": 2}},
                "activities_by_month": activity_months(
                    ("2025-07", 1), ("2025-08", 1), ("2025-09", 0)
                ),
            },
            "early_warning": {
                "alerts_received": 3,  # a, b, c (30 Sep 23:59 is still Q3)
                "alerts_verified": 2,  # a, c
                "alerts_answered": 2,  # a (150 min), c (30 min)
                "median_response_minutes": 90,
                "alerts_became_cases": 0,
                "share_became_cases": 0.0,
                "alerts_by_category": one(
                    "alerts", VOL_BETAIL=1, BANDITISME=1, TENSION_INTERCOMMUNAUTAIRE=1
                ),
                "alerts_by_commune": {GAO_TOWN: {"alerts": 2}, NTILLIT: {"alerts": 1}},
            },
            "serious_crime": {
                "serious_cases": 0,
                "serious_alerts": 1,  # b, banditry
                "serious_cases_by_type": {},
                "serious_alerts_by_category": one("alerts", BANDITISME=1),
            },
            "administration": {
                "settled_community_levels": 0,
                "settled_state_levels": 1,  # C3, settled by the gendarmerie
                "share_settled_community": 0.0,
                "agreements_homologated": 0,
                "by_cercle": cercles(GAO_ANSONGO=[1, 1, 1, 0], GAO_GAO=[3, 1, 0, 0]),
            },
        },
        # --------------------------------------------------------------- 2025-Q3, Ménaka
        ("2025-Q3", "MNK"): {
            "cases": {
                "cases_opened": 1,  # M1 (M2 is a crime: counted apart)
                "cases_carried_over": 0,
                "cases_closed": 1,  # M1
                "cases_closed_resolved": 1,
                "resolution_rate": 1.0,
                "partial_agreements": 0,
                "cases_by_type": by_type(EAU_PUITS=[1, 1, 1, 1.0]),
                "cases_by_scope": one("opened", INTERCOMMUNAUTAIRE=1),
                "cases_by_place": {MENAKA: {"opened": 1}},
                "cases_by_month": months(("2025-07", 1), ("2025-08", 0), ("2025-09", 0)),
                "by_mechanism": by_mechanism(ARBITRAGE_RELIGIEUX=[1, 1, 1, 1.0]),  # S5, M1
                "ladder_profile": ladder(CHEFFERIE=1),  # M1, settled before the chief (A2)
                "referrals_by_target": {},
            },
            "timeliness": {
                "cases_first_session": 1,  # M1: 20 Jul → 1 Aug
                "median_days_to_first_session": 12,
                "agreements_concluded": 1,  # M1: 20 Jul → 2 Aug
                "median_days_to_agreement": 13,
            },
            "compliance": {
                "resolved_last_12_months": 0,  # nothing closed Jul 2024 – Jun 2025
                "recurrences": 0,
                "recurrence_rate": None,
                "follow_up_compliance": compliance(),
            },
            "obligations": obligations(agreed=20_000, outstanding=20_000),  # M1
            "harm": {
                "deaths": 0,
                "injuries_serious": 0,
                "injuries_minor": 0,
                "livestock_returned": 0,
                "compensation_fcfa": 20_000,  # M1
            },
            "inclusion": {
                "session_participants": 10,  # S5
                "session_participants_women": 0,
                "session_participants_youth": 5,
                "share_women_participants": 0.0,
                "share_youth_participants": 0.5,
                "mediators_attending": 1,  # A2
                "mediators_women": 0,
                "share_women_mediators": 0.0,
                "cases_woman_party": 0,
                "woman_party_closed": 0,
                "woman_party_resolved": 0,
                "woman_party_resolution_rate": None,
                "cases_young_party": 1,  # M1
                "young_party_closed": 1,
                "young_party_resolved": 1,
                "young_party_resolution_rate": 1.0,
                "parties_by_sex_age": sex_age(M=[0, 1, 1, 0, 0]),  # M1
            },
            "policing": {
                "activities_held": 1,  # 1 Sep motorised patrol
                "people_reached": 6,
                "people_reached_women": 0,
                "people_reached_men": 6,
                "people_reached_youth": 2,
                "committee_meetings_held": 1,  # 5 Sep
                "committee_meetings_expected": 3,  # 1 a month × 3
                "committee_meetings_rate": 0.3333,
                "recommendations_made": 2,
                "recommendations_done": 2,
                "recommendations_done_share": 1.0,
                "activities_by_type": one("activities", PATROUILLE_MOTORISEE=1),
                "activities_by_unit": {pu_m: {"activities": 1}},
                "activities_by_month": activity_months(
                    ("2025-07", 0), ("2025-08", 0), ("2025-09", 1)
                ),
            },
            "early_warning": {
                "alerts_received": 1,  # e
                "alerts_verified": 1,
                "alerts_answered": 1,
                "median_response_minutes": 100,
                "alerts_became_cases": 0,
                "share_became_cases": 0.0,
                "alerts_by_category": one("alerts", MOUVEMENT_ARME=1),
                "alerts_by_commune": {MENAKA: {"alerts": 1}},
            },
            "serious_crime": {
                "serious_cases": 1,  # M2
                "serious_alerts": 1,  # e
                "serious_cases_by_type": one("cases", TRAFIC=1),
                "serious_alerts_by_category": one("alerts", MOUVEMENT_ARME=1),
            },
            "administration": {
                "settled_community_levels": 1,  # M1, by a level-0 session
                "settled_state_levels": 0,
                "share_settled_community": 1.0,
                "agreements_homologated": 0,
                "by_cercle": cercles(MNK_MENAKA=[1, 1, 1, 1]),  # M1; M2★
            },
        },
        # ------------------------------------------------------------ 2025-Q3, all areas
        ("2025-Q3", None): {
            "cases": {
                "cases_opened": 5,  # Gao 4 + Ménaka 1
                "cases_carried_over": 1,  # C1
                "cases_closed": 3,  # C2, C3, M1
                "cases_closed_resolved": 2,  # C3, M1
                "resolution_rate": 0.6667,
                "partial_agreements": 1,
                "cases_by_type": by_type(
                    EAU_PUITS=[1, 1, 1, 1.0],
                    PATURAGE=[2, 1, 0, 0.0],
                    DEGATS_CHAMPETRES=[1, 0, 0, None],
                    VOL_BETAIL=[1, 1, 1, 1.0],
                ),
                "cases_by_scope": one("opened", INTRACOMMUNAUTAIRE=2, INTERCOMMUNAUTAIRE=3),
                "cases_by_place": {
                    NTILLIT: {"opened": 2},
                    ANSONGO: {"opened": 1},
                    GAO_TOWN: {"opened": 1},
                    MENAKA: {"opened": 1},
                },
                "cases_by_month": months(("2025-07", 2), ("2025-08", 2), ("2025-09", 1)),
                "by_mechanism": by_mechanism(
                    CONCILIATION_CHEF=[1, 0, 0, None],
                    PALABRE=[1, 0, 0, None],
                    AMIABLE=[1, 1, 0, 0.0],
                    ARBITRAGE_RELIGIEUX=[1, 1, 1, 1.0],
                ),
                "ladder_profile": ladder(CHEFFERIE=1, SETTLED_ELSEWHERE=1),  # M1; C3
                "referrals_by_target": referrals(GENDARMERIE=[1, 1, 1.0]),
            },
            "timeliness": {
                "cases_first_session": 3,  # 10, 7 and 12 days
                "median_days_to_first_session": 10,
                "agreements_concluded": 3,  # 26, 9 and 13 days
                "median_days_to_agreement": 13,
            },
            "compliance": {
                "resolved_last_12_months": 0,
                "recurrences": 0,
                "recurrence_rate": None,
                "follow_up_compliance": compliance(respected=[1, 0], not_respected=[1, 0]),
            },
            "obligations": obligations(agreed=70_000, outstanding=70_000, heads=[13, 0, 13]),
            "harm": {
                "deaths": 0,
                "injuries_serious": 0,
                "injuries_minor": 2,
                "livestock_returned": 13,
                "compensation_fcfa": 70_000,  # 50 000 + 20 000
            },
            "inclusion": {
                "session_participants": 30,  # 20 + 10
                "session_participants_women": 6,
                "session_participants_youth": 11,  # 6 + 5
                "share_women_participants": 0.2,
                "share_youth_participants": 0.3667,  # 11 ÷ 30
                "mediators_attending": 2,  # A1, A2
                "mediators_women": 1,
                "share_women_mediators": 0.5,
                "cases_woman_party": 1,  # C3
                "woman_party_closed": 1,
                "woman_party_resolved": 1,
                "woman_party_resolution_rate": 1.0,
                "cases_young_party": 3,  # C2, R2, M1
                "young_party_closed": 2,  # C2 (unresolved), M1 (resolved)
                "young_party_resolved": 1,
                "young_party_resolution_rate": 0.5,
                "parties_by_sex_age": sex_age(
                    F=[0, 0, 1, 0, 0], M=[0, 3, 1, 2, 1], U=[0, 0, 0, 0, 1]
                ),
            },
            "policing": {
                "activities_held": 3,
                "people_reached": 56,
                "people_reached_women": 28,
                "people_reached_men": 28,
                "people_reached_youth": 26,
                "committee_meetings_held": 3,
                "committee_meetings_expected": 12,  # (1 + 2 + 1) × 3
                "committee_meetings_rate": 0.25,
                "recommendations_made": 5,
                "recommendations_done": 3,
                "recommendations_done_share": 0.6,
                "activities_by_type": one(
                    "activities", PATROUILLE_PEDESTRE=1, PATROUILLE_MOTORISEE=1, SENSIBILISATION=1
                ),
                "activities_by_unit": {pu_g: {"activities": 2}, pu_m: {"activities": 1}},
                "activities_by_month": activity_months(
                    ("2025-07", 1), ("2025-08", 1), ("2025-09", 1)
                ),
            },
            "early_warning": {
                "alerts_received": 4,  # a, b, c, e
                "alerts_verified": 3,
                "alerts_answered": 3,  # 150, 30, 100 minutes
                "median_response_minutes": 100,
                "alerts_became_cases": 0,
                "share_became_cases": 0.0,
                "alerts_by_category": one(
                    "alerts",
                    TENSION_INTERCOMMUNAUTAIRE=1,
                    MOUVEMENT_ARME=1,
                    BANDITISME=1,
                    VOL_BETAIL=1,
                ),
                "alerts_by_commune": {
                    GAO_TOWN: {"alerts": 2},
                    NTILLIT: {"alerts": 1},
                    MENAKA: {"alerts": 1},
                },
            },
            "serious_crime": {
                "serious_cases": 1,  # M2
                "serious_alerts": 2,  # b, e
                "serious_cases_by_type": one("cases", TRAFIC=1),
                "serious_alerts_by_category": one("alerts", MOUVEMENT_ARME=1, BANDITISME=1),
            },
            "administration": {
                "settled_community_levels": 1,  # M1
                "settled_state_levels": 1,  # C3
                "share_settled_community": 0.5,
                "agreements_homologated": 0,
                "by_cercle": cercles(
                    GAO_ANSONGO=[1, 1, 1, 0], GAO_GAO=[3, 1, 0, 0], MNK_MENAKA=[1, 1, 1, 1]
                ),
            },
        },
        # ------------------------------------------------------------------ 2025-Q4, Gao
        ("2025-Q4", "GAO"): {
            "cases": {
                "cases_opened": 2,  # C6, R1 (C5 is a crime)
                "cases_carried_over": 3,  # C1, R2, C4: reported before 1 Oct, not closed then
                "cases_closed": 2,  # C1 (resolved 25 Oct), C4 (dropped 2 Oct)
                "cases_closed_resolved": 1,
                "resolution_rate": 0.5,
                "partial_agreements": 0,
                "cases_by_type": by_type(
                    FONCIER=[2, 1, 1, 1.0],  # C6 + R1 opened; C1 closed resolved
                    DEGATS_CHAMPETRES=[0, 1, 0, 0.0],  # C4 dropped
                ),
                "cases_by_scope": one("opened", INTRACOMMUNAUTAIRE=2),
                "cases_by_place": {NTILLIT: {"opened": 1}, GAO_TOWN: {"opened": 1}},
                "cases_by_month": months(("2025-10", 0), ("2025-11", 2), ("2025-12", 0)),
                "by_mechanism": by_mechanism(
                    PALABRE=[0, 1, 1, 1.0],  # C1 closed after its last session S2
                    COFO_CONCILIATION=[1, 0, 0, None],  # S4
                ),
                "ladder_profile": ladder(CHEFFERIE=1),  # C1, settled at S2 before the chief (A2)
                "referrals_by_target": referrals(GENDARMERIE=[1, 0, 0.0]),  # C5, no feedback
            },
            "timeliness": {
                "cases_first_session": 1,  # C6: 3 → 20 Nov
                "median_days_to_first_session": 17,
                "agreements_concluded": 0,
                "median_days_to_agreement": None,
            },
            "compliance": {
                "resolved_last_12_months": 2,  # Oct 2024 – Sep 2025: C2 (agreement), C3
                "recurrences": 1,  # C2: breached at the D+30 visit, R2
                "recurrence_rate": 0.5,
                "follow_up_compliance": compliance(partial=[0, 1]),  # C1's D+90 visit
            },
            "obligations": obligations(outstanding=50_000, heads=[0, 0, 13]),  # C1, C2, unpaid
            "harm": {
                "deaths": 1,  # C5 (crimes count in harm)
                "injuries_serious": 2,  # C5
                "injuries_minor": 0,
                "livestock_returned": 0,
                "compensation_fcfa": 0,
            },
            "inclusion": {
                "session_participants": 8,  # S4
                "session_participants_women": 4,
                "session_participants_youth": 0,
                "share_women_participants": 0.5,
                "share_youth_participants": 0.0,
                "mediators_attending": 1,  # A3
                "mediators_women": 1,
                "share_women_mediators": 1.0,
                "cases_woman_party": 2,  # C6, R1
                "woman_party_closed": 1,  # C1
                "woman_party_resolved": 1,
                "woman_party_resolution_rate": 1.0,
                "cases_young_party": 2,  # C6 (under 18), R1 (18-34)
                "young_party_closed": 1,  # C1
                "young_party_resolved": 1,
                "young_party_resolution_rate": 1.0,
                # C6: F under18 + M 35-59; R1: M 35-59 + F 18-34
                "parties_by_sex_age": sex_age(F=[1, 1, 0, 0, 0], M=[0, 0, 2, 0, 0]),
            },
            "policing": {
                "activities_held": 1,  # 5 Nov
                "people_reached": 20,
                "people_reached_women": 10,
                "people_reached_men": 10,
                "people_reached_youth": 5,
                "committee_meetings_held": 1,  # Gao 10 Oct
                "committee_meetings_expected": 9,
                "committee_meetings_rate": 0.1111,
                "recommendations_made": 1,
                "recommendations_done": 1,
                "recommendations_done_share": 1.0,
                "activities_by_type": one("activities", SENSIBILISATION=1),
                "activities_by_unit": {pu_g: {"activities": 1}},
                "activities_by_month": activity_months(
                    ("2025-10", 0), ("2025-11", 1), ("2025-12", 0)
                ),
            },
            "early_warning": {
                "alerts_received": 1,  # d
                "alerts_verified": 1,
                "alerts_answered": 1,
                "median_response_minutes": 60,
                "alerts_became_cases": 1,
                "share_became_cases": 1.0,
                "alerts_by_category": one("alerts", TRAFIC=1),
                "alerts_by_commune": {ANSONGO: {"alerts": 1}},
            },
            "serious_crime": {
                "serious_cases": 1,  # C5
                "serious_alerts": 1,  # d
                "serious_cases_by_type": one("cases", BANDITISME=1),
                "serious_alerts_by_category": one("alerts", TRAFIC=1),
            },
            "administration": {
                "settled_community_levels": 1,  # C1, by its level-1 palaver
                "settled_state_levels": 0,
                "share_settled_community": 1.0,
                "agreements_homologated": 0,
                "by_cercle": cercles(GAO_GAO=[2, 2, 1, 1]),  # C6, R1; C4, C1; C5★
            },
        },
        # --------------------------------------------------------------- 2025-Q4, Ménaka
        ("2025-Q4", "MNK"): {
            "cases": {
                "cases_opened": 1,  # M3
                "cases_carried_over": 0,  # M1 closed in August; M2 is a crime
                "cases_closed": 1,  # M3, unresolved
                "cases_closed_resolved": 0,
                "resolution_rate": 0.0,
                "partial_agreements": 0,
                "cases_by_type": by_type(SUCCESSION=[1, 1, 0, 0.0]),
                "cases_by_scope": one("opened", INTRA_FAMILIAL=1),
                "cases_by_place": {MENAKA: {"opened": 1}},
                "cases_by_month": months(("2025-10", 1), ("2025-11", 0), ("2025-12", 0)),
                "by_mechanism": by_mechanism(AMIABLE=[1, 1, 0, 0.0]),  # S6, M3
                "ladder_profile": ladder(),
                "referrals_by_target": {},
            },
            "timeliness": {
                "cases_first_session": 1,  # M3: 15 → 20 Oct
                "median_days_to_first_session": 5,
                "agreements_concluded": 0,
                "median_days_to_agreement": None,
            },
            "compliance": {
                "resolved_last_12_months": 1,  # M1 (30 Aug)
                "recurrences": 0,
                "recurrence_rate": 0.0,
                "follow_up_compliance": compliance(),
            },
            "obligations": obligations(outstanding=20_000),  # M1, unpaid
            "harm": {
                "deaths": 0,
                "injuries_serious": 0,
                "injuries_minor": 0,
                "livestock_returned": 0,
                "compensation_fcfa": 0,
            },
            "inclusion": {
                "session_participants": 4,  # S6
                "session_participants_women": 2,
                "session_participants_youth": 0,
                "share_women_participants": 0.5,
                "share_youth_participants": 0.0,
                "mediators_attending": 1,  # A1
                "mediators_women": 1,
                "share_women_mediators": 1.0,
                "cases_woman_party": 1,  # M3
                "woman_party_closed": 1,
                "woman_party_resolved": 0,
                "woman_party_resolution_rate": 0.0,
                "cases_young_party": 0,
                "young_party_closed": 0,
                "young_party_resolved": 0,
                "young_party_resolution_rate": None,
                "parties_by_sex_age": sex_age(F=[0, 0, 1, 1, 0]),  # M3
            },
            "policing": {
                "activities_held": 1,  # 15 Dec
                "people_reached": 12,
                "people_reached_women": 6,
                "people_reached_men": 6,
                "people_reached_youth": 3,
                "committee_meetings_held": 0,
                "committee_meetings_expected": 3,
                "committee_meetings_rate": 0.0,
                "recommendations_made": 0,
                "recommendations_done": 0,
                "recommendations_done_share": None,
                "activities_by_type": one("activities", SENSIBILISATION=1),
                "activities_by_unit": {pu_m: {"activities": 1}},
                "activities_by_month": activity_months(
                    ("2025-10", 0), ("2025-11", 0), ("2025-12", 1)
                ),
            },
            "early_warning": {
                "alerts_received": 1,  # f
                "alerts_verified": 0,
                "alerts_answered": 0,
                "median_response_minutes": None,
                "alerts_became_cases": 0,
                "share_became_cases": 0.0,
                "alerts_by_category": one("alerts", ENGIN_EXPLOSIF=1),
                "alerts_by_commune": {MENAKA: {"alerts": 1}},
            },
            "serious_crime": {
                "serious_cases": 0,
                "serious_alerts": 1,  # f
                "serious_cases_by_type": {},
                "serious_alerts_by_category": one("alerts", ENGIN_EXPLOSIF=1),
            },
            "administration": {
                "settled_community_levels": 0,
                "settled_state_levels": 0,
                "share_settled_community": None,
                "agreements_homologated": 0,
                "by_cercle": cercles(MNK_MENAKA=[1, 1, 0, 0]),  # M3
            },
        },
        # ------------------------------------------------------------ 2025-Q4, all areas
        ("2025-Q4", None): {
            "cases": {
                "cases_opened": 3,  # C6, R1, M3
                "cases_carried_over": 3,  # C1, R2, C4
                "cases_closed": 3,  # C1, C4, M3
                "cases_closed_resolved": 1,  # C1
                "resolution_rate": 0.3333,
                "partial_agreements": 0,
                "cases_by_type": by_type(
                    FONCIER=[2, 1, 1, 1.0],
                    DEGATS_CHAMPETRES=[0, 1, 0, 0.0],
                    SUCCESSION=[1, 1, 0, 0.0],
                ),
                "cases_by_scope": one("opened", INTRA_FAMILIAL=1, INTRACOMMUNAUTAIRE=2),
                "cases_by_place": {
                    NTILLIT: {"opened": 1},
                    GAO_TOWN: {"opened": 1},
                    MENAKA: {"opened": 1},
                },
                "cases_by_month": months(("2025-10", 1), ("2025-11", 2), ("2025-12", 0)),
                "by_mechanism": by_mechanism(
                    AMIABLE=[1, 1, 0, 0.0],
                    PALABRE=[0, 1, 1, 1.0],
                    COFO_CONCILIATION=[1, 0, 0, None],
                ),
                "ladder_profile": ladder(CHEFFERIE=1),  # C1, settled before the chief
                "referrals_by_target": referrals(GENDARMERIE=[1, 0, 0.0]),
            },
            "timeliness": {
                "cases_first_session": 2,  # 17 and 5 days
                "median_days_to_first_session": 11,
                "agreements_concluded": 0,
                "median_days_to_agreement": None,
            },
            "compliance": {
                "resolved_last_12_months": 3,  # C2, C3, M1
                "recurrences": 1,  # C2
                "recurrence_rate": 0.3333,
                "follow_up_compliance": compliance(partial=[0, 1]),
            },
            "obligations": obligations(outstanding=70_000, heads=[0, 0, 13]),
            "harm": {
                "deaths": 1,
                "injuries_serious": 2,
                "injuries_minor": 0,
                "livestock_returned": 0,
                "compensation_fcfa": 0,
            },
            "inclusion": {
                "session_participants": 12,  # S4 8 + S6 4
                "session_participants_women": 6,
                "session_participants_youth": 0,
                "share_women_participants": 0.5,
                "share_youth_participants": 0.0,
                "mediators_attending": 2,  # A3, A1
                "mediators_women": 2,
                "share_women_mediators": 1.0,
                "cases_woman_party": 3,  # C6, R1, M3
                "woman_party_closed": 2,  # C1 (resolved), M3 (unresolved)
                "woman_party_resolved": 1,
                "woman_party_resolution_rate": 0.5,
                "cases_young_party": 2,  # C6, R1
                "young_party_closed": 1,  # C1
                "young_party_resolved": 1,
                "young_party_resolution_rate": 1.0,
                "parties_by_sex_age": sex_age(F=[1, 1, 1, 1, 0], M=[0, 0, 2, 0, 0]),
            },
            "policing": {
                "activities_held": 2,
                "people_reached": 32,
                "people_reached_women": 16,
                "people_reached_men": 16,
                "people_reached_youth": 8,
                "committee_meetings_held": 1,
                "committee_meetings_expected": 12,
                "committee_meetings_rate": 0.0833,
                "recommendations_made": 1,
                "recommendations_done": 1,
                "recommendations_done_share": 1.0,
                "activities_by_type": one("activities", SENSIBILISATION=2),
                "activities_by_unit": {pu_g: {"activities": 1}, pu_m: {"activities": 1}},
                "activities_by_month": activity_months(
                    ("2025-10", 0), ("2025-11", 1), ("2025-12", 1)
                ),
            },
            "early_warning": {
                "alerts_received": 2,  # d, f
                "alerts_verified": 1,
                "alerts_answered": 1,
                "median_response_minutes": 60,
                "alerts_became_cases": 1,  # d
                "share_became_cases": 0.5,
                "alerts_by_category": one("alerts", TRAFIC=1, ENGIN_EXPLOSIF=1),
                "alerts_by_commune": {ANSONGO: {"alerts": 1}, MENAKA: {"alerts": 1}},
            },
            "serious_crime": {
                "serious_cases": 1,  # C5
                "serious_alerts": 2,  # d, f
                "serious_cases_by_type": one("cases", BANDITISME=1),
                "serious_alerts_by_category": one("alerts", TRAFIC=1, ENGIN_EXPLOSIF=1),
            },
            "administration": {
                "settled_community_levels": 1,
                "settled_state_levels": 0,
                "share_settled_community": 1.0,
                "agreements_homologated": 0,
                "by_cercle": cercles(GAO_GAO=[2, 2, 1, 1], MNK_MENAKA=[1, 1, 0, 0]),
            },
        },
    }[(period, area)]


PERIOD_BOUNDS = {"2025-Q3": ("2025-07-01", "2025-09-30"), "2025-Q4": ("2025-10-01", "2025-12-31")}


@pytest.mark.parametrize("period", ["2025-Q3", "2025-Q4"])
@pytest.mark.parametrize("area", ["GAO", "MNK", None])
def test_indicators_by_period_and_area(app, dataset, period, area):
    with app.app_context():
        unit = get_unit_by_code(area) if area else None
        report = build_report(parse_period(period), unit).as_json()
    start, end = PERIOD_BOUNDS[period]
    assert report["period"] == {"code": period, "start": start, "end": end}
    assert report["area"] == area
    assert report["anonymised"] is False
    want = expected(period, area, dataset)
    assert list(report["indicators"]) == list(want)
    for section, values in want.items():
        assert report["indicators"][section] == values, section


def test_a_commune_is_an_area_too(app, dataset):
    with app.app_context():
        report = build_report(parse_period("2025-Q3"), get_unit_by_code(NTILLIT)).as_json()
    cases_ = report["indicators"]["cases"]
    # C2 and R2 were reported in N'Tillit in Q3; C2 was closed unresolved.
    assert (cases_["cases_opened"], cases_["cases_closed"], cases_["resolution_rate"]) == (
        2,
        1,
        0.0,
    )
    assert report["indicators"]["early_warning"]["alerts_received"] == 1  # b
    # Only N'Tillit's committee: 2 a month over 3 months.
    assert report["indicators"]["policing"]["committee_meetings_expected"] == 6


def test_a_month_and_a_range_of_dates(app, dataset):
    with app.app_context():
        gao = get_unit_by_code("GAO")
        august = build_report(parse_period("2025-08"), gao).as_json()["indicators"]
        # 20 Aug to 10 Sep: 12 days of a 31-day month and 10 of a 30-day month.
        span = build_report(parse_period("2025-08-20..2025-09-10"), gao).as_json()
    assert august["cases"]["cases_opened"] == 2  # R2 (15 Aug), C3 (5 Aug)
    assert august["cases"]["cases_by_month"] == {"2025-08": {"opened": 2}}
    assert august["policing"]["committee_meetings_expected"] == 3  # (1 + 2) × 1 month
    assert span["period"]["code"] == "2025-08-20..2025-09-10"
    # (1 + 2) × (12/31 + 10/30) = 3 × 0.7204 = 2.16 → 2
    assert span["indicators"]["policing"]["committee_meetings_expected"] == 2
    assert span["indicators"]["policing"]["activities_held"] == 1  # 20 Aug


def test_labels_render_in_either_language(app, dataset):
    with app.app_context():
        report = build_report(parse_period("2025-Q3"), get_unit_by_code("GAO"))
        cases_section = report.sections[0]
        by_type = next(t for t in cases_section.tables if t.key == "cases_by_type")
        by_month = next(t for t in cases_section.tables if t.key == "cases_by_month")
        inclusion = next(s for s in report.sections if s.key == "inclusion")
        sex_table = inclusion.tables[0]
        with app.test_request_context():
            labels = {}
            for lang in ("fr", "en"):
                with force_locale(lang):
                    labels[lang] = (
                        str(by_type.rows[0][1]),
                        str(by_month.rows[0][1]),
                        str(sex_table.rows[0][1]),
                    )
    assert labels["fr"] == ("pâturage, bourgoutière", "juillet 2025", "femme")
    assert labels["en"] == ("grazing, bourgou pasture", "July 2025", "woman")


def test_crimes_are_counted_apart(app, dataset):
    with app.app_context():
        report = build_report(parse_period("2025-Q4"), get_unit_by_code("GAO")).as_json()
    indicators = report["indicators"]
    assert "BANDITISME" not in indicators["cases"]["cases_by_type"]
    assert indicators["serious_crime"]["serious_cases_by_type"] == {"BANDITISME": {"cases": 1}}


@pytest.mark.parametrize("area", ["GAO", None])
def test_the_report_runs_a_fixed_number_of_queries(app, dataset, count_queries, area):
    """Each kind of record is read once per report and shared by the sections that count it
    (docs/performance.md): a new indicator over sessions, opened cases or agreements reads
    ``indicators.scope``'s rows instead of adding a query. Raise this number only for a
    query that is really new, and say why in the commit."""
    with app.app_context():
        unit = get_unit_by_code(area) if area else None
        build_report(parse_period("2025-Q3"), unit)  # loads the vocabularies (per request)
        with count_queries() as counter:
            build_report(parse_period("2025-Q3"), unit, anonymised=True)
    # 33: the obligations section's terms due, and its compensation agreed, paid and
    # outstanding in one statement (issue 14); the key figures by cercle add the cases
    # closed by unit, and the roll-up of the units found to their cercles (their paths, then
    # the cercles' names). One more for an area: the cases placed in it by another of their
    # places (issue 15), read once.
    assert counter["n"] == (34 if area else 33)


# --- reporting periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "code"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "2026"),
        (" 2025 ", D(2025, 1, 1), D(2025, 12, 31), "2025"),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), "2026-Q1"),
        ("2026-q2", D(2026, 4, 1), D(2026, 6, 30), "2026-Q2"),
        ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30), "2025-Q3"),
        ("2025-Q4", D(2025, 10, 1), D(2025, 12, 31), "2025-Q4"),
        ("2026-10", D(2026, 10, 1), D(2026, 10, 31), "2026-10"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        ("2026-01-01..2026-03-31", D(2026, 1, 1), D(2026, 3, 31), "2026-01-01..2026-03-31"),
        ("2026-02-15..2026-02-15", D(2026, 2, 15), D(2026, 2, 15), "2026-02-15..2026-02-15"),
        ("2020-01-01..2024-12-31", D(2020, 1, 1), D(2024, 12, 31), "2020-01-01..2024-12-31"),
    ],
)
def test_periods(text, start, end, code):
    assert parse_period(text) == Period(start, end, code)


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q5",
        "2026-Q0",
        "2026-13",
        "2026-00",
        "abc",
        "",
        "26",
        "2026-1",
        "2026-02-30..2026-03-01",
        "2026-03-01..2026-01-01",
        "2020-01-01..2025-01-01",  # more than five years
        "2026-01-01..",
        "0000",
    ],
)
def test_periods_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_period_in_the_future_is_refused():
    today = D(2026, 11, 28)
    assert parse_period("2026-11", today=today).start == D(2026, 11, 1)
    with pytest.raises(PeriodError):
        parse_period("2026-12", today=today)


@pytest.mark.parametrize(
    ("text", "english", "french"),
    [
        ("2026-Q5", "A quarter is Q1, Q2, Q3 or Q4, not “2026-Q5”.",
         "Un trimestre est Q1, Q2, Q3 ou Q4, pas « 2026-Q5 »."),
        ("2026-13", "A month is 01 to 12, not “2026-13”.",
         "Un mois va de 01 à 12, pas « 2026-13 »."),
        ("abc", "“abc” is not a period: write a year (2026), a quarter (2026-Q3), a month "
         "(2026-10) or two dates (2026-01-01..2026-03-31).",
         "« abc » n'est pas une période\u00a0: écrivez une année (2026), un trimestre (2026-Q3), "
         "un mois (2026-10) ou deux dates (2026-01-01..2026-03-31)."),
    ],
)  # fmt: skip
def test_period_errors_are_translated(app, text, english, french):
    with app.test_request_context():
        with pytest.raises(PeriodError) as caught:
            parse_period(text)
        with force_locale("en"):
            assert str(caught.value) == english
        with force_locale("fr"):
            message = str(caught.value)
    if message == english:
        pytest.skip("French catalogue not compiled with the reports strings yet")
    assert message == french


# --- anonymisation --------------------------------------------------------------------------


def _report(*sections: Section) -> Report:
    return Report(Period(D(2025, 7, 1), D(2025, 9, 30), "2025-Q3"), None, None, False, [*sections])


def test_small_counts_become_less_than_five():
    report = _report(
        Section(
            "cases",
            "Cases",
            figures=[
                Figure("cases_opened", "opened", 12),
                Figure("cases_carried_over", "carried", 0),
                Figure("cases_closed", "closed", 3),
                Figure("cases_closed_resolved", "resolved", 2),
                Figure("resolution_rate", "rate", 0.6667, "rate"),
            ],
        ),
        Section("harm", "Harm", figures=[Figure("compensation_fcfa", "FCFA", 4, "fcfa")]),
    )
    hidden = anonymise(report).as_json()
    assert hidden["anonymised"] is True
    assert hidden["indicators"] == {
        "cases": {
            "cases_opened": 12,
            "cases_carried_over": 0,  # a zero singles out nobody
            "cases_closed": "<5",
            "cases_closed_resolved": "<5",
            "resolution_rate": "–",  # 0.6667 of "<5" would tell 2 of 3
        },
        "harm": {"compensation_fcfa": 4},  # an amount is not a count
    }
    assert report.as_json()["indicators"]["cases"]["cases_closed"] == 3  # the original stays
    assert anonymise(report, threshold=3).as_json()["indicators"]["cases"]["cases_closed"] == 3
    assert anonymise(report, threshold=10).as_json()["indicators"]["cases"]["cases_opened"] == 12
    assert anonymise(report, threshold=20).as_json()["indicators"]["cases"]["cases_opened"] == "<20"


def _grid(rows: list[list[int]]) -> Table:
    return Table(
        "parties_by_sex_age",
        "grid",
        [("a", "a"), ("b", "b"), ("c", "c")],
        [(f"r{i}", f"r{i}", values) for i, values in enumerate(rows, start=1)],
    )


def _single_hidden_lines(table: Table) -> list:
    grid = [values for _key, _label, values in table.rows]
    lines = grid + [list(column) for column in zip(*grid, strict=True)]
    return [line for line in lines if sum(isinstance(v, str) for v in line) == 1]


def test_complementary_suppression_protects_row_and_column_totals():
    table = _grid([[20, 3, 15], [30, 12, 9], [25, 14, 40]])
    section = Section("inclusion", "Inclusion", tables=[table])
    hidden = anonymise(_report(section)).sections[0].tables[0]
    # r1.b (3) is hidden; alone in its column, the column's smallest other count r2.b (12)
    # goes too; alone in row r1, the row's smallest other count r1.c (15) goes too; then
    # r2.b is alone in row r2, so r2.c (9) goes. Every row and column now hides 0 or 2.
    assert hidden.as_dict() == {
        "r1": {"a": 20, "b": "<5", "c": "–"},
        "r2": {"a": 30, "b": "–", "c": "–"},
        "r3": {"a": 25, "b": 14, "c": 40},
    }
    assert _single_hidden_lines(hidden) == []
    assert table.rows[0][2] == [20, 3, 15]  # the original is untouched


def test_tables_of_measures_hide_rates_and_protect_columns():
    table = Table(
        "cases_by_type",
        "by type",
        [("opened", "o"), ("closed", "c"), ("resolved", "r"), ("resolution_rate", "%")],
        [
            ("FONCIER", "land", [12, 10, 6, 0.6]),
            ("PATURAGE", "grazing", [8, 6, 2, 0.3333]),
            ("VOL_BETAIL", "theft", [9, 7, 7, 1.0]),
        ],
    )
    hidden = anonymise(_report(Section("cases", "Cases", tables=[table]))).sections[0].tables[0]
    # PATURAGE's 2 resolved is hidden, and its rate with it; the resolved column then hides
    # its next smallest count (FONCIER's 6), whose rate goes too. Rows are different
    # measures (opened, closed, resolved): they are not sums, nothing else is hidden.
    assert hidden.as_dict() == {
        "FONCIER": {"opened": 12, "closed": 10, "resolved": "–", "resolution_rate": "–"},
        "PATURAGE": {"opened": 8, "closed": 6, "resolved": "<5", "resolution_rate": "–"},
        "VOL_BETAIL": {"opened": 9, "closed": 7, "resolved": 7, "resolution_rate": 1.0},
    }


def test_no_figure_lets_a_hidden_count_be_recomputed():
    policing_ = Section(
        "policing",
        "Policing",
        figures=[
            Figure("people_reached", "reached", 30),
            Figure("people_reached_women", "women", 3),
            Figure("people_reached_men", "men", 27),
            Figure("committee_meetings_held", "held", 2),
            Figure("committee_meetings_expected", "expected", 3),
            Figure("committee_meetings_rate", "rate", 0.6667, "rate"),
        ],
    )
    warning = Section(
        "early_warning",
        "Alerts",
        figures=[
            Figure("alerts_received", "received", 9),
            Figure("alerts_answered", "answered", 2),
            Figure("median_response_minutes", "median", 45, "minutes"),
        ],
    )
    hidden = anonymise(_report(policing_, warning)).as_json()["indicators"]
    assert hidden["policing"] == {
        "people_reached": 30,
        "people_reached_women": "<5",
        "people_reached_men": "–",  # else 30 − 27 gives the women
        "committee_meetings_held": "<5",
        "committee_meetings_expected": 3,  # a target describes no one
        "committee_meetings_rate": "–",  # else 3 × 0.6667 gives the meetings
    }
    assert hidden["early_warning"] == {
        "alerts_received": 9,
        "alerts_answered": "<5",
        "median_response_minutes": "–",  # a median of 2 response times
    }


def test_anonymised_report_of_the_dataset(app, dataset):
    with app.app_context():
        unit = get_unit_by_code("GAO")
        report = build_report(parse_period("2025-Q3"), unit, anonymised=True)
        with app.test_request_context(), force_locale("fr"):
            labels = [
                str(label) for s in report.sections for t in s.tables for _k, label, _v in t.rows
            ]
    data = report.as_json()
    assert data["anonymised"] is True
    # No table lists people: rows are codes, communes, months, police units.
    assert labels and not any("Partie" in label or "Communauté" in label for label in labels)
    cases_ = data["indicators"]["cases"]
    assert (cases_["cases_opened"], cases_["cases_closed"], cases_["resolution_rate"]) == (
        "<5",
        "<5",
        "–",
    )
    assert cases_["cases_by_type"]["PATURAGE"] == {
        "opened": "<5",
        "closed": "<5",
        "resolved": 0,
        "resolution_rate": "–",
    }
    policing_ = data["indicators"]["policing"]
    assert (policing_["people_reached"], policing_["people_reached_women"]) == (50, 28)
    assert data["indicators"]["harm"]["compensation_fcfa"] == "–"  # 2 agreements only
    assert data["indicators"]["inclusion"]["session_participants"] == 20
    for section in report.sections:
        for table in section.tables:
            if table.kind == "count":
                assert not any(
                    isinstance(v, int) and 0 < v < 5
                    for _k, _l, values in table.rows
                    for v in values
                ), table.key
        for figure in section.figures:
            if figure.kind == "count" and figure.key != "committee_meetings_expected":
                assert not (isinstance(figure.value, int) and 0 < figure.value < 5), figure.key
