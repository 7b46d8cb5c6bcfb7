"""Referral rules by kind of case (issue 15, point 3), walked through the web forms in both
languages: a crime is referred without asking the parties, who are told (who, when, how);
gender-based violence is survivor-centred (the survivor's consent governs every referral,
health, psychosocial and legal-aid services come first, only trained users open the case,
only a coordinator overrides); other disputes keep every party's consent or an override."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases.models import Case, Party, Referral, ReferralNotice
from casework.core.dates import today
from casework.extensions import db
from casework.vocab import services as vocab
from tests.conftest import fetch_one, post_form, query
from tests.test_cases import FRENCH, Walker, case_id_from, edit_data, intake, iso

# The referral targets that the vocabulary work (issue 15, point 5) adds, as DOMAIN.md §9
# spells them; added here when the vocabulary does not have them yet.
GBV_SERVICES = {
    "SERVICES_VBG_SANTE": {"fr": "services de santé (VBG)", "en": "health services (GBV)"},
    "SERVICES_VBG_PSYCHO": {"fr": "prise en charge psychosociale", "en": "psychosocial support"},
    "AIDE_JURIDIQUE": {"fr": "aide juridique", "en": "legal aid"},
}
SURVIVOR = "Mariam Walet Ahmed"
NOTICE_REQUIRED = (
    "A crime is referred without asking the parties, but they are told: choose who was told, "
    "when and how."
)
SURVIVOR_CONSENT = (
    "A referral of a gender-based violence case needs the survivor's informed consent. "
    "Without consent: %(names)s. Only a coordinator may refer without it, as an emergency "
    "override with its reason."
)
MEDIATOR_OVERRIDE = (
    "Only a coordinator or an administrator may refer a gender-based violence case under an "
    "emergency override."
)
UNTRAINED = (
    "Only staff trained for gender-based violence cases record one. Hand the survivor over to "
    "a trained colleague or to your coordinator."
)
MANDATORY = "Referral to justice or the security forces is mandatory: none recorded yet."


def tr(msgid: str, lang: str) -> str:
    if lang == "en":
        return msgid
    assert FRENCH.get(msgid), msgid
    return FRENCH[msgid]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(app, model) -> int:
    return query(app, sa.select(sa.func.count()).select_from(model)).scalar_one()


def train(app, user) -> None:
    with app.app_context():
        db.session.get(User, user.id).gbv_trained = True
        db.session.commit()


def signed_in(app, user, lang: str):
    browser = app.test_client()
    response = post_form(browser, "/login", {"username": user.username, "password": user.password})
    assert response.status_code == 302
    return Walker(app, browser, lang)


@pytest.fixture
def gbv_services(app, seeded):
    with app.app_context():
        for code, labels in GBV_SERVICES.items():
            if not vocab.is_valid("referral_target", code, allow_inactive=True):
                vocab.add_term("referral_target", code, labels)
        db.session.commit()


@pytest.fixture
def staff(app, seeded, make_user, gbv_services):
    """Gao's staff: a trained and an untrained mediator, a trained and an untrained
    coordinator; an administrator."""
    people = {
        "mediator": make_user("mediator", username="r.mediator", area="GAO"),
        "untrained_mediator": make_user("mediator", username="r.untrained", area="GAO"),
        "coordinator": make_user("coordinator", username="r.coordinator", area="GAO"),
        "untrained_coordinator": make_user("coordinator", username="r.coord2", area="GAO"),
        "admin": make_user("admin", username="r.admin"),
    }
    train(app, people["mediator"])
    train(app, people["coordinator"])
    return people


def party_ids(app, case_id: int) -> list[int]:
    return list(
        query(app, sa.select(Party.id).where(Party.case_id == case_id).order_by(Party.id)).scalars()
    )


def refer(walk: Walker, target: str, expect: int, **extra) -> str:
    data = {
        "referred_on": iso(today() - timedelta(days=1)),
        "target": target,
        "reason": "Les faits relèvent de la justice pénale.",
        **extra,
    }
    response = walk.post(f"/cases/{walk.case_id}/referrals/new", data)
    assert response.status_code == expect, text(response)[-3000:]
    return text(response)


# --- crimes: told, not asked ------------------------------------------------------------------


def homicide(walk: Walker) -> int:
    """A killing during a land dispute; neither family was asked about sharing it."""
    walk.register(
        title="Meurtre lors d'un litige foncier",
        deaths="1",
        **{"parties-0-consent_to_share": "", "parties-1-consent_to_share": ""},
    )
    walk.move("ENREGISTRE")
    return walk.case_id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_homicide_goes_to_the_gendarmerie_with_the_parties_told_and_no_consent_asked(
    app, staff, lang
):
    walk = signed_in(app, staff["mediator"], lang)
    case_id = homicide(walk)
    assert tr(MANDATORY, lang) in html.unescape(walk.page())
    form = text(walk.client.get(f"/cases/{case_id}/referrals/new", headers=walk.headers))
    assert tr("Parties told of the referral", lang) in form
    assert tr("How they were told", lang) in form
    assert 'name="emergency_override"' not in form  # nothing to override: nobody is asked
    told = party_ids(app, case_id)
    refer(
        walk,
        "GENDARMERIE",
        302,
        notified_party_ids=[str(pid) for pid in told],
        notified_on=iso(today() - timedelta(days=1)),
        notified_how="chief",
    )
    referral = fetch_one(app, sa.select(Referral).where(Referral.case_id == case_id))
    assert referral.target == "GENDARMERIE"
    assert not referral.emergency_override and referral.override_reason is None
    notices = query(
        app, sa.select(ReferralNotice.party_id, ReferralNotice.notified_on, ReferralNotice.means)
    ).all()
    assert sorted(notices) == [(pid, today() - timedelta(days=1), "chief") for pid in told]
    # Nobody was asked: the parties' answers are still "not asked yet".
    answers = query(app, sa.select(Party.consent_recorded_at).where(Party.case_id == case_id))
    assert all(at is None for (at,) in answers)
    assert walk.status() == "RENVOYE"
    page = html.unescape(walk.page())
    assert tr(MANDATORY, lang) not in page
    assert tr("Emergency override", lang) not in page
    assert "Amadou Maïga" in page and "Hama Ag Ahmed" in page
    means = tr("through the chief or the family", lang)
    assert page.count(means) == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_crime_referral_without_saying_who_was_told_is_refused(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    homicide(walk)
    page = refer(walk, "GENDARMERIE", 400, notified_on=iso(today()), notified_how="phone")
    assert tr(NOTICE_REQUIRED, lang) in page
    assert count(app, Referral) == 0 and count(app, ReferralNotice) == 0
    assert walk.status() == "ENREGISTRE"


def test_a_notice_needs_a_known_means_and_a_party_of_the_case(app, staff):
    walk = signed_in(app, staff["mediator"], "en")
    case_id = homicide(walk)
    first = str(party_ids(app, case_id)[0])
    page = refer(
        walk, "POLICE", 400, notified_party_ids=[first], notified_on=iso(today()), notified_how="x"
    )
    assert "Choose one of the values in the list." in page
    refer(walk, "POLICE", 400, notified_party_ids=["999999"], notified_on=iso(today()))
    assert count(app, Referral) == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_party_found_later_is_recorded_as_told(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    case_id = homicide(walk)
    first, second = party_ids(app, case_id)
    refer(
        walk,
        "GENDARMERIE",
        302,
        notified_party_ids=[str(first)],
        notified_on=iso(today()),
        notified_how="in_person",
    )
    referral_id = fetch_one(app, sa.select(Referral)).id
    path = f"/cases/{case_id}/referrals/{referral_id}/notices"
    later = tr("record who else was told", lang)
    assert later in html.unescape(walk.page())
    told = {
        "notified_party_ids": [str(first)],
        "notified_on": iso(today()),
        "notified_how": "phone",
    }
    refused = walk.post(path, told)
    assert refused.status_code == 400
    assert tr("A party already told of this referral is not told twice.", lang) in text(refused)
    assert count(app, ReferralNotice) == 1
    assert walk.post(path, {**told, "notified_party_ids": [str(second)]}).status_code == 302
    notices = query(app, sa.select(ReferralNotice.party_id, ReferralNotice.means)).all()
    assert sorted(notices) == [(first, "in_person"), (second, "phone")]
    page = html.unescape(walk.page())
    assert later not in page and tr("by telephone", lang) in page


def test_the_service_refuses_an_override_for_a_crime(app, staff):
    from casework.cases import services

    walk = signed_in(app, staff["mediator"], "en")
    case_id = homicide(walk)
    with app.app_context():
        case = db.session.get(Case, case_id)
        with pytest.raises(services.CaseError, match="there is nothing to override"):
            services.record_referral(
                case,
                services.ReferralData(
                    referred_on=today(),
                    target="GENDARMERIE",
                    reason="Meurtre",
                    emergency_override=True,
                    override_reason="Menace armée contre les témoins",
                ),
                db.session.get(User, staff["mediator"].id),
            )
        db.session.rollback()
    assert count(app, Referral) == 0


def test_a_starred_type_is_a_crime_too_and_needs_no_override(app, staff):
    walk = signed_in(app, staff["mediator"], "en")
    walk.register(conflict_type="BANDITISME", title="Braquage sur la route de Bourem")
    walk.move("ENREGISTRE")
    ids = party_ids(app, walk.case_id)
    refer(
        walk,
        "TPI",
        302,
        notified_party_ids=[str(ids[0])],
        notified_on=iso(today()),
        notified_how="in_person",
    )
    referral = fetch_one(app, sa.select(Referral))
    assert not referral.emergency_override
    assert count(app, ReferralNotice) == 1


# --- gender-based violence: the survivor's consent, trained staff ----------------------------


def gbv_case(walk: Walker, consent: str = "yes", survivor: bool = True) -> int:
    fields = {
        "conflict_type": "VBG",
        "scope": "INTRA_FAMILIAL",
        "title": "Violences conjugales",
        "parties-0-sex": "F",
        "parties-0-consent_to_share": consent,
        "parties-1-consent_to_share": "",
    }
    if survivor:
        fields["parties-0-is_survivor"] = "y"
    response = walk.post(
        "/cases/new", intake(walk.app, parties=(SURVIVOR, "Ali Ag Mohamed"), **fields)
    )
    walk.case_id = case_id_from(response)
    walk.move("ENREGISTRE")
    return walk.case_id


def test_only_trained_users_and_administrators_open_a_gbv_case(app, client, staff):
    walk = signed_in(app, staff["mediator"], "en")
    case_id = gbv_case(walk)
    case = fetch_one(app, sa.select(Case).where(Case.id == case_id))
    assert case.confidentiality == "secret"  # secret by default, as before
    for who, status in {
        "mediator": 200,  # trained, assigned
        "coordinator": 200,  # trained, of the area
        "admin": 200,
        "untrained_mediator": 404,
        "untrained_coordinator": 404,  # sees other secret cases of Gao, not this one
    }.items():
        other = signed_in(app, staff[who], "en")
        page = other.client.get(f"/cases/{case_id}")
        assert page.status_code == status, who
        listed = text(other.client.get("/cases?q=violences"))
        assert (case.reference in listed) is (status == 200), who
        assert other.client.get(f"/cases/{case_id}/referrals/new").status_code == status, who


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_untrained_user_cannot_register_a_gbv_case(app, staff, lang):
    walk = signed_in(app, staff["untrained_mediator"], lang)
    response = walk.post(
        "/cases/new",
        intake(app, conflict_type="VBG", scope="INTRA_FAMILIAL", **{"parties-0-is_survivor": "y"}),
    )
    assert response.status_code == 400
    assert tr(UNTRAINED, lang) in text(response)
    assert count(app, Case) == 0


def test_an_untrained_user_cannot_turn_a_case_into_a_gbv_case(app, staff):
    walk = signed_in(app, staff["untrained_mediator"], "en")
    case_id = walk.register()
    data = edit_data(app, walk.client, case_id)
    data.update(conflict_type="VBG", scope="INTRA_FAMILIAL")
    response = walk.post(f"/cases/{case_id}/edit", data)
    assert response.status_code == 400
    assert UNTRAINED in text(response)
    case = fetch_one(app, sa.select(Case).where(Case.id == case_id))
    assert case.conflict_type == "DEGATS_CHAMPETRES" and case.confidentiality == "standard"
    trained = signed_in(app, staff["mediator"], "en")
    data = edit_data(app, trained.client, case_id)
    data.update(conflict_type="VBG", scope="INTRA_FAMILIAL")
    assert trained.post(f"/cases/{case_id}/edit", data).status_code == 302
    assert fetch_one(app, sa.select(Case).where(Case.id == case_id)).confidentiality == "secret"
    assert walk.client.get(f"/cases/{case_id}").status_code == 404  # gone for the untrained


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_gbv_case_goes_to_a_health_service_with_the_survivors_consent(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    case_id = gbv_case(walk, consent="yes")
    form = text(walk.client.get(f"/cases/{case_id}/referrals/new", headers=walk.headers))
    # The services first, in the order of DOMAIN.md §9, before any other institution.
    options = form[form.index('name="target"') :]
    health, psycho, legal = (GBV_SERVICES[c][lang] for c in GBV_SERVICES)
    gendarmerie = "gendarmerie"
    assert options.index(health) < options.index(psycho) < options.index(legal)
    assert options.index(legal) < options.lower().index(gendarmerie)
    assert tr("Parties told of the referral", lang) not in form  # the survivor is asked
    refer(walk, "SERVICES_VBG_SANTE", 302)
    referral = fetch_one(app, sa.select(Referral))
    assert referral.target == "SERVICES_VBG_SANTE" and not referral.emergency_override
    page = html.unescape(walk.page())
    assert tr("survivor", lang) in page and GBV_SERVICES["SERVICES_VBG_SANTE"][lang] in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_gbv_case_is_refused_for_the_police_without_the_survivors_consent(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    case_id = gbv_case(walk, consent="no")
    # Every party but the survivor is irrelevant: the other party was not asked.
    page = refer(walk, "POLICE", 400)
    assert tr(SURVIVOR_CONSENT, lang).replace("%(names)s", SURVIVOR) in page
    # A service too: the survivor's consent governs every referral.
    refer(walk, "SERVICES_VBG_PSYCHO", 400)
    assert count(app, Referral) == 0
    assert walk.status() == "ENREGISTRE"
    assert fetch_one(app, sa.select(Case).where(Case.id == case_id)).status == "ENREGISTRE"


def test_the_survivors_consent_is_enough_for_the_police(app, staff):
    walk = signed_in(app, staff["mediator"], "en")
    gbv_case(walk, consent="yes")  # the other party was never asked
    refer(walk, "POLICE", 302)
    assert fetch_one(app, sa.select(Referral)).target == "POLICE"
    assert count(app, ReferralNotice) == 0


def test_a_gbv_case_without_a_marked_survivor_is_not_referred(app, staff):
    walk = signed_in(app, staff["mediator"], "en")
    gbv_case(walk, survivor=False)
    page = refer(walk, "SERVICES_VBG_SANTE", 400)
    assert "Mark which party is the survivor" in page
    assert count(app, Referral) == 0


OVERRIDE = {"emergency_override": "y", "override_reason": "Menace de mort imminente contre elle"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_mediator_cannot_override_the_survivors_refusal(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    gbv_case(walk, consent="no")
    page = refer(walk, "GENDARMERIE", 400, **OVERRIDE)
    assert tr(MEDIATOR_OVERRIDE, lang) in page
    assert count(app, Referral) == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_coordinator_overrides_the_survivors_refusal_with_a_reason(app, staff, lang):
    walk = signed_in(app, staff["mediator"], lang)
    case_id = gbv_case(walk, consent="no")
    boss = signed_in(app, staff["coordinator"], lang)
    boss.case_id = case_id
    page = refer(boss, "GENDARMERIE", 400, emergency_override="y", override_reason="Urgence")
    assert count(app, Referral) == 0  # a reason of a few words, as for any override
    refer(boss, "GENDARMERIE", 302, **OVERRIDE)
    referral = fetch_one(app, sa.select(Referral))
    assert referral.emergency_override and referral.override_by_id == staff["coordinator"].id
    assert referral.override_reason == OVERRIDE["override_reason"]
    page = html.unescape(boss.page())
    assert tr("Emergency override", lang) in page and OVERRIDE["override_reason"] in page
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "override")
        ).one()
        assert entry.user_id == staff["coordinator"].id and entry.case_id == case_id


# --- the training flag, set by an administrator -------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_administrator_marks_a_user_trained_and_the_audit_trail_records_it(app, staff, lang):
    admin = signed_in(app, staff["admin"], lang)
    user = staff["untrained_mediator"]
    page = text(admin.client.get(f"/admin/users/{user.id}/edit", headers=admin.headers))
    assert tr("Trained for gender-based violence cases", lang) in page
    response = admin.post(
        f"/admin/users/{user.id}/edit",
        {
            "full_name": "Mediator r.untrained",
            "role": "mediator",
            "preferred_language": "",
            "area_id": str(fetch_one(app, sa.select(User).where(User.id == user.id)).area_id),
            "gbv_trained": "y",
        },
    )
    assert response.status_code == 302, text(response)[-2000:]
    assert fetch_one(app, sa.select(User).where(User.id == user.id)).gbv_trained
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.object_type == "users", AuditEntry.object_id == user.id
            )
        ).all()
        assert any("gbv_trained" in str(entry.details) for entry in entries)
    # Now trained, the mediator registers a GBV case and opens it.
    walk = signed_in(app, user, lang)
    case_id = gbv_case(walk)
    assert walk.client.get(f"/cases/{case_id}").status_code == 200


def test_a_mediator_cannot_mark_anyone_trained(app, staff):
    walk = signed_in(app, staff["untrained_mediator"], "en")
    user = staff["untrained_mediator"]
    response = walk.post(
        f"/admin/users/{user.id}/edit",
        {"full_name": "Me", "role": "mediator", "gbv_trained": "y"},
        page="/cases",
    )
    assert response.status_code == 403
    assert not fetch_one(app, sa.select(User).where(User.id == user.id)).gbv_trained


# --- other disputes: as before ----------------------------------------------------------------


def test_another_dispute_still_needs_every_partys_consent_for_the_gendarmerie(app, staff):
    walk = signed_in(app, staff["mediator"], "en")
    walk.register(**{"parties-1-consent_to_share": "no"})
    walk.move("ENREGISTRE")
    page = refer(walk, "GENDARMERIE", 400)
    assert "Without consent: Hama Ag Ahmed." in page
    refer(walk, "GENDARMERIE", 302, **OVERRIDE)  # a mediator may override here, as before
    assert fetch_one(app, sa.select(Referral)).emergency_override


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_refers_gbv_to_health_services_with_consent_and_crimes_with_notices(
    app, gbv_services
):
    from casework.db import utcnow
    from casework.demo.seed import seed_demo

    with app.app_context():
        seed_demo(cases=60, seed=1, today=utcnow().date())
        gbv = db.session.execute(
            sa.select(Referral, Case)
            .join(Case, Case.id == Referral.case_id)
            .where(Case.conflict_type == "VBG")
        ).all()
        assert gbv, "the demo has a referred gender-based violence case"
        for referral, case in gbv:
            assert referral.target == "SERVICES_VBG_SANTE" and not referral.emergency_override
            survivors = [party for party in case.parties if party.is_survivor]
            assert survivors and all(party.consent is True for party in survivors)
            assert case.confidentiality == "secret"
            assert case.assigned_mediator is None or case.assigned_mediator.gbv_trained
        crimes = db.session.scalars(
            sa.select(Referral)
            .join(Case, Case.id == Referral.case_id)
            .where(Case.conflict_type != "VBG", Case.deaths > 0)
        ).all()
        assert crimes and not any(referral.emergency_override for referral in crimes)
        told = db.session.scalars(
            sa.select(ReferralNotice).where(
                ReferralNotice.referral_id.in_([referral.id for referral in crimes])
            )
        ).all()
        assert told and {notice.means for notice in told} == {"chief"}
