"""Consent to share with the authorities, the emergency override of a referral, archiving
and restoring a case, and the administrator's purge."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.audit.services import verify
from casework.auth.models import User
from casework.cases import services
from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseEvent,
    FollowUp,
    MediationSession,
    Party,
    Referral,
    SessionNote,
)
from casework.core.dates import today
from casework.db import utcnow
from casework.extensions import db
from tests.conftest import fetch_one, post_form, query
from tests.test_cases import FRENCH, Walker, iso

OVERRIDE_REASON = "Menace armée imminente contre le plaignant"
CONSENT_ERROR = (
    "A referral to justice or the security forces needs every party's consent. "
    "Without consent: %(names)s. Record their consent, or tick the emergency "
    "override and give its reason."
)


def become(app, walk: Walker, user):
    """Go on with another user, in a browser of their own; returns its client."""
    other = app.test_client()
    response = post_form(other, "/login", {"username": user.username, "password": user.password})
    assert response.status_code == 302
    walk.client = other
    return other


def count(app, model) -> int:
    return query(app, sa.select(sa.func.count()).select_from(model)).scalar_one()


def case_row(app, case_id: int) -> Case | None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        if case is not None:
            db.session.expunge(case)
        return case


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def registered(app, client, lang="fr", consents=("", "")) -> Walker:
    """A registered case whose two parties gave the answers ``consents`` ("", yes, no)."""
    walk = Walker(app, client, lang)
    overrides = {f"parties-{i}-consent_to_share": answer for i, answer in enumerate(consents)}
    walk.register(**overrides)
    walk.move("ENREGISTRE")
    return walk


def refer(walk: Walker, target="GENDARMERIE", expect=302, **extra):
    data = {
        "referred_on": iso(today() - timedelta(days=2)),
        "target": target,
        "reason": "Vol de bétail à main armée.",
        **extra,
    }
    response = walk.post(f"/cases/{walk.case_id}/referrals/new", data)
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response.get_data(as_text=True)


# --- consent and the referral check ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_referral_to_the_security_forces_without_consent_is_refused(app, client, mediator, lang):
    walk = registered(app, client, lang)
    events = count(app, CaseEvent)
    page = refer(walk, expect=400)
    message = CONSENT_ERROR if lang == "en" else FRENCH[CONSENT_ERROR]
    names = "Amadou Maïga, Hama Ag Ahmed"
    assert message.replace("%(names)s", names).replace("'", "&#39;") in page
    assert count(app, Referral) == 0
    assert count(app, CaseEvent) == events
    assert walk.status() == "ENREGISTRE"


def test_one_refusal_is_enough_to_refuse_a_referral_to_justice(app, client, mediator):
    walk = registered(app, client, "en", consents=("yes", "no"))
    page = refer(walk, target="TPI", expect=400)
    assert "Without consent: Hama Ag Ahmed." in page
    assert count(app, Referral) == 0


def test_a_referral_with_every_party_consenting_is_accepted(app, client, mediator):
    walk = registered(app, client, "en", consents=("yes", "yes"))
    refer(walk)
    referral = fetch_one(app, sa.select(Referral))
    assert not referral.emergency_override and referral.override_reason is None
    assert walk.status() == "RENVOYE"
    assert "Emergency override" not in walk.page()


@pytest.mark.parametrize("reason", ["", "   ", "Urgence"])
def test_an_override_without_a_reason_of_a_few_words_is_refused(app, client, mediator, reason):
    walk = registered(app, client, "en")
    page = refer(walk, expect=400, emergency_override="y", override_reason=reason)
    assert "The reason for the emergency override" in page
    assert count(app, Referral) == 0
    assert walk.status() == "ENREGISTRE"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_override_with_its_reason_is_stored_and_shown_on_the_case(app, client, mediator, lang):
    walk = registered(app, client, lang)
    refer(walk, emergency_override="y", override_reason=OVERRIDE_REASON)
    referral = fetch_one(app, sa.select(Referral))
    assert referral.emergency_override
    assert referral.override_reason == OVERRIDE_REASON
    assert referral.override_by_id == mediator.id
    page = walk.page()
    badge = "Emergency override" if lang == "en" else FRENCH["Emergency override"]
    assert badge in page and OVERRIDE_REASON in page
    assert 'class="badge-override"' in page
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "override")
        ).one()
        assert entry.user_id == mediator.id and entry.case_id == walk.case_id
        assert entry.details == {"target": "GENDARMERIE", "override_reason": OVERRIDE_REASON}
        assert verify().ok


def test_a_referral_to_a_local_authority_needs_no_consent(app, client, mediator):
    walk = registered(app, client, "en", consents=("no", ""))
    refer(walk, target="SOUS_PREFET")
    referral = fetch_one(app, sa.select(Referral))
    assert referral.target == "SOUS_PREFET" and not referral.emergency_override


def test_consent_is_recorded_with_who_and_when_and_shown_beside_the_party(app, client, mediator):
    walk = registered(app, client, "en", consents=("yes", ""))
    page = walk.page()
    assert "consents to share with the authorities" in page
    assert "consent to share with the authorities: not asked yet" in page
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(Party).where(Party.case_id == walk.case_id).order_by(Party.id)
        ).all()
        assert first.consent is True and first.consent_recorded_by_id == mediator.id
        assert first.consent_recorded_at is not None
        assert second.consent is None and second.consent_recorded_at is None
        second_id = second.id
    edit = f"/cases/{walk.case_id}/parties/{second_id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert re.search(r'<option (selected )?value=""( selected)?>', form)
    response = walk.post(
        edit,
        {
            "name": "Hama Ag Ahmed",
            "role": "respondent",
            "kind": "individual",
            "sex": "M",
            "age_band": "35-59",
            "livelihood": "",
            "consent_to_share": "no",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        party = db.session.get(Party, second_id)
        assert party.consent is False and party.consent_recorded_by_id == mediator.id
    assert "refuses to share with the authorities" in walk.page()


def test_an_unknown_consent_answer_is_refused(app, client, mediator):
    walk = Walker(app, client, "en")
    response = walk.post("/cases/new", _intake(app, consent="maybe"))
    assert response.status_code == 400
    assert count(app, Case) == 0


def _intake(app, consent):
    from tests.test_cases import intake

    return intake(app, **{"parties-0-consent_to_share": consent})


# --- archive and restore --------------------------------------------------------------------


@pytest.fixture
def coordinator(seeded, make_user):
    return make_user("coordinator", username="oumar", area="GAO")


def archive(walk: Walker, reason="Saisi deux fois par erreur", expect=302):
    response = walk.post(f"/cases/{walk.case_id}/archive", {"reason": reason})
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def listed(client, case_id: int, **args) -> bool:
    page = client.get("/cases", query_string=args).get_data(as_text=True)
    return f'href="/cases/{case_id}"' in page


def test_a_coordinator_archives_and_restores_a_case(app, client, mediator, coordinator):
    walk = registered(app, client, "en")
    reference = walk.case_id
    client = become(app, walk, coordinator)
    assert listed(client, reference)
    archive(walk)
    case = case_row(app, walk.case_id)
    assert case.archived_at is not None and case.archived_by_id == coordinator.id
    assert case.archive_reason == "Saisi deux fois par erreur"

    # Out of the default list and of the search; found with the filter.
    assert not listed(client, reference)
    assert not listed(client, reference, q="Amadou")
    assert listed(client, reference, archived="yes")
    assert listed(client, reference, archived="all", q="Amadou")
    page = walk.page()
    assert "This case was archived on" in page and "Saisi deux fois par erreur" in page
    assert f"/cases/{walk.case_id}/edit" not in page
    assert f"/cases/{walk.case_id}/restore" in page

    response = walk.post(f"/cases/{walk.case_id}/restore")
    assert response.status_code == 302
    case = case_row(app, walk.case_id)
    assert case.archived_at is None and case.archived_by_id is None and case.archive_reason is None
    assert listed(client, reference)
    assert f"/cases/{walk.case_id}/edit" in walk.page()


def test_an_archived_case_refuses_every_change(app, client, mediator, coordinator):
    walk = registered(app, client, "en")
    client = become(app, walk, coordinator)
    archive(walk)
    events = count(app, CaseEvent)
    message = "This case is archived: restore it before changing it."
    walk.move("EN_MEDIATION", expect=400)
    assert message in walk.move("CLASSE", reason="Plainte retirée", expect=400).get_data(
        as_text=True
    )
    page = refer(walk, expect=400)
    assert message in page
    with app.app_context():
        party = db.session.scalars(sa.select(Party).where(Party.case_id == walk.case_id)).first()
        case = db.session.get(Case, walk.case_id)
        with pytest.raises(services.CaseError):
            services.record_consent(party, True, case.created_by)
        db.session.rollback()
    assert walk.status() == "ENREGISTRE"
    assert count(app, CaseEvent) == events
    assert count(app, Referral) == 0


def test_archiving_needs_a_reason(app, client, mediator, coordinator):
    walk = registered(app, client, "en")
    client = become(app, walk, coordinator)
    response = archive(walk, reason="", expect=400)
    assert "This field is required." in response.get_data(as_text=True)
    response = archive(walk, reason="Erreur", expect=400)
    assert "The reason for archiving needs a few words" in response.get_data(as_text=True)
    assert case_row(app, walk.case_id).archived_at is None


def test_a_mediator_cannot_archive_or_restore(app, client, mediator):
    walk = registered(app, client, "en")
    assert client.get(f"/cases/{walk.case_id}/archive").status_code == 403
    token_page = f"/cases/{walk.case_id}"
    response = post_form(
        client, f"/cases/{walk.case_id}/archive", {"reason": "Trois mots ici"}, page=token_page
    )
    assert response.status_code == 403
    assert client.get(f"/cases/{walk.case_id}/restore").status_code == 403
    assert case_row(app, walk.case_id).archived_at is None
    assert f"/cases/{walk.case_id}/archive" not in walk.page()


def test_a_coordinator_of_another_area_cannot_archive(app, client, mediator, make_user):
    walk = registered(app, client, "en")
    client = become(app, walk, make_user("coordinator", area="KDL"))
    assert client.get(f"/cases/{walk.case_id}/archive").status_code == 403
    response = post_form(
        client, f"/cases/{walk.case_id}/archive", {"reason": "Trois mots ici"}, page="/cases"
    )
    assert response.status_code == 403
    assert case_row(app, walk.case_id).archived_at is None


def test_archived_cases_leave_follow_ups_due_and_open_counts(app, client, mediator, coordinator):
    from casework.reports.dashboard import build_dashboard

    walk = registered(app, client, "en")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    with app.app_context():
        user = db.session.get(User, coordinator.id)
        case = db.session.get(Case, walk.case_id)
        # Due in 26 days: within a 30-day window.
        assert services.count_follow_ups_due(user, within_days=30) == 1
        assert sum(row[2][0] for row in build_dashboard(user).open_by_status.rows) == 1
        services.archive_case(case, "Doublon saisi par erreur", user)
        assert services.count_follow_ups_due(user, within_days=30) == 0
        assert services.follow_ups_due(user, within_days=30) == []
        assert sum(row[2][0] for row in build_dashboard(user).open_by_status.rows) == 0
        db.session.rollback()


def test_archived_cases_still_count_in_the_periodic_report(app, client, mediator, coordinator):
    from casework.geo.services import get_unit_by_code
    from casework.reports.indicators import build_report
    from casework.reports.periods import parse_period

    walk = registered(app, client, "en")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    period = parse_period(f"{iso(today() - timedelta(days=30))}..{iso(today())}")
    with app.app_context():
        before = build_report(period, get_unit_by_code("GAO")).as_json()["indicators"]
        user = db.session.get(User, coordinator.id)
        services.archive_case(db.session.get(Case, walk.case_id), "Doublon saisi par erreur", user)
        after = build_report(period, get_unit_by_code("GAO")).as_json()["indicators"]
        db.session.rollback()
    assert after == before
    assert before["cases"]["cases_opened"] == 1  # the case is in the figures, and stays


# --- purge ----------------------------------------------------------------------------------


def full_case(app, client) -> Walker:
    """A case with every kind of record: parties, a session with a mediator and private
    notes, an agreement with terms and follow-ups, events, revisions."""
    from casework.cases.models import Actor

    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    with app.app_context():
        actor = Actor(actor_type="CHEF_VILLAGE", name="Chef Moussa", name_search="chef moussa")
        db.session.add(actor)
        db.session.commit()
        actor_id = actor.id
        party_id = db.session.scalars(
            sa.select(Party.id).where(Party.case_id == walk.case_id)
        ).first()
    walk.session("agreement", actor_ids=str(actor_id), **{f"note-{party_id}": "Réservé."})
    walk.agreement()
    return walk


def purge(walk: Walker, expect: int, reason="Saisie en double par erreur", confirmation=None):
    reference = case_row(walk.app, walk.case_id).reference
    response = walk.post(
        f"/cases/{walk.case_id}/purge",
        {"reason": reason, "confirmation": reference if confirmation is None else confirmation},
    )
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def test_an_admin_purges_an_archived_case_and_its_records(app, client, mediator, make_user):
    walk = full_case(app, client)
    with app.app_context():
        original = db.session.get(Case, walk.case_id)
        recurrence = services.open_linked_case(original, original.created_by, recurrence=True)
        recurrence_id, reference = recurrence.id, original.reference
        db.session.commit()
    assert count(app, SessionNote) == 1 and count(app, AgreementTerm) == 1
    client = become(app, walk, make_user("admin"))
    archive(walk)
    response = purge(walk, 302)
    assert response.headers["Location"].endswith("/cases?archived=yes")
    assert case_row(app, walk.case_id) is None
    for model in (MediationSession, SessionNote, Agreement, AgreementTerm, FollowUp, Referral):
        assert count(app, model) == 0, model
    remaining = query(app, sa.select(Party.case_id)).scalars().all()
    assert set(remaining) == {recurrence_id}
    assert query(app, sa.select(CaseEvent.case_id)).scalars().all()
    assert walk.case_id not in query(app, sa.select(CaseEvent.case_id)).scalars().all()
    linked = case_row(app, recurrence_id)
    assert linked is not None and linked.recurrence_of_id is None
    assert reference in client.get("/cases?archived=yes").get_data(as_text=True)  # the flash
    assert client.get(f"/cases/{walk.case_id}").status_code == 404


def test_purge_returns_the_reference_and_counts_and_leaves_an_audit_entry(
    app, client, mediator, make_user
):
    walk = full_case(app, client)
    admin_id = make_user("admin").id
    with app.app_context():
        admin = db.session.get(User, admin_id)
        case = db.session.get(Case, walk.case_id)
        services.archive_case(case, "Ordre du tribunal de Gao", admin)
        result = services.purge_case(
            case, "Ordre du tribunal de Gao", admin, confirmation=case.reference.lower()
        )
        assert result.reference.startswith("GAO-")
        assert result.counts["cases"] == 1 and result.counts["parties"] == 2
        assert result.counts["sessions"] == 1 and result.counts["private_notes"] == 1
        assert result.counts["follow_ups"] == 2 and result.counts["agreement_terms"] == 1
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "purge").order_by(AuditEntry.seq)
        ).all()[-1]
        assert entry.case_id == walk.case_id and entry.user_id == admin_id
        assert entry.details["reference"] == result.reference
        assert entry.details["reason"] == "Ordre du tribunal de Gao"
        assert entry.details["parties"] == 2
        assert verify().ok
        db.session.rollback()


def test_purge_lets_policing_cut_its_links_to_the_case(app, client, mediator, make_user):
    """Purging sends ``case_purging``: policing (which cases does not import) cuts an
    activity's link and an alert's case, both stay, and their counts reach the purge's
    audit entry."""
    from casework.policing import services as policing
    from casework.policing.models import Activity, Alert

    walk = full_case(app, client)
    admin_id = make_user("admin").id
    with app.app_context():
        admin = db.session.get(User, admin_id)
        case = db.session.get(Case, walk.case_id)
        place = case.unit_id
        unit = policing.save_police_unit(
            policing.PoliceUnitData("Brigade de Gao", "gendarmerie", place), admin
        )
        activity = policing.save_activity(
            policing.ActivityData(
                activity_type="PATROUILLE_PEDESTRE",
                held_on=today(),
                police_unit_id=unit.id,
                unit_id=place,
                topic="Patrouille",
                duration_minutes=60,
                place="Marché",
                participants=3,
                women=1,
                men=2,
                youth=0,
                notes="",
            ),
            admin,
        )
        activity.cases.append(case)
        alert = policing.save_alert(
            policing.AlertData(
                occurred_at=utcnow() - timedelta(hours=3),
                unit_id=place,
                category="TENSION_INTERCOMMUNAUTAIRE",
                urgency=2,
                source_type="RELAIS_COMMUNAUTAIRE",
                description="Tension au marché",
                place="Marché",
                relay_code="GAO-R-017",
            ),
            admin,
        )
        alert.case_id = case.id
        db.session.flush()
        activity_id, alert_id = activity.id, alert.id
        services.archive_case(case, "Ordre du tribunal de Gao", admin)
        result = services.purge_case(
            case, "Ordre du tribunal de Gao", admin, confirmation=case.reference
        )
        assert result.counts["activity_links"] == 1
        assert result.counts["alerts_unlinked"] == 1
        db.session.expire_all()
        assert db.session.get(Activity, activity_id).cases == []
        assert db.session.get(Alert, alert_id).case_id is None
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "purge").order_by(AuditEntry.seq)
        ).all()[-1]
        assert entry.details["activity_links"] == 1 and entry.details["alerts_unlinked"] == 1
        db.session.rollback()


@pytest.mark.parametrize(
    ("reason", "confirmation", "message"),
    [
        ("", None, "This field is required."),
        ("Erreur", None, "The reason for the purge needs a few words"),
        ("Saisie en double par erreur", "GAO-1999-0001", "to confirm the purge."),
    ],
)
def test_purge_is_refused_without_a_reason_or_the_right_confirmation(
    app, client, mediator, make_user, reason, confirmation, message
):
    walk = registered(app, client, "en")
    client = become(app, walk, make_user("admin"))
    archive(walk)
    response = purge(walk, 400, reason=reason, confirmation=confirmation)
    assert message in response.get_data(as_text=True)
    assert case_row(app, walk.case_id) is not None
    assert count(app, Party) == 2


def test_purge_is_refused_for_a_case_that_is_not_archived(app, client, mediator, make_user):
    walk = registered(app, client, "en")
    client = become(app, walk, make_user("admin"))
    response = purge(walk, 400)
    assert "Only an archived case can be purged" in response.get_data(as_text=True)
    assert case_row(app, walk.case_id) is not None


def test_purge_is_refused_for_a_coordinator(app, client, mediator, coordinator):
    walk = registered(app, client, "en")
    client = become(app, walk, coordinator)
    archive(walk)
    assert client.get(f"/cases/{walk.case_id}/purge").status_code == 403
    reference = case_row(app, walk.case_id).reference
    response = post_form(
        client,
        f"/cases/{walk.case_id}/purge",
        {"reason": "Saisie en double par erreur", "confirmation": reference},
        page=f"/cases/{walk.case_id}",
    )
    assert response.status_code == 403
    assert case_row(app, walk.case_id) is not None
    assert f"/cases/{walk.case_id}/purge" not in walk.page()


def test_no_endpoint_deletes_case_data(app):
    """Only the purge removes case data; no route answers DELETE."""
    for rule in app.url_map.iter_rules():
        assert "DELETE" not in rule.methods, rule
        if rule.endpoint.startswith("cases."):
            assert "delete" not in rule.rule and "remove" not in rule.rule, rule
