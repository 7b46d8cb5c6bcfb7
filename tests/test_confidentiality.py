"""Confidentiality levels (issue 12): what each role sees of a standard, a restricted and a
secret case, inside and outside its area (and, for mediators, assigned to it or not), in the
case pages, the list, the search, the follow-ups due, the exports, the case summaries, the
duplicate warnings and the community-police links; lowering a level; gender-based violence;
the audit trail. Every assertion is about what the user gets: names on the page or not, a
404, a row in a list or not."""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.models import Case
from casework.core.dates import today
from casework.db import utcnow
from casework.extensions import db
from tests.conftest import fetch_one, post_form, query
from tests.htmlforms import form_for
from tests.test_cases import FRENCH, GAO_COMMUNE, intake
from tests.test_periodic_report import docx_text, pdf_text

LEVELS = ("standard", "restricted", "secret")
MARK = {"standard": "Standarda", "restricted": "Restrikta", "secret": "Sekreta"}
# Who: every role, inside Gao and outside it (Tombouctou); two mediators of Gao, one of them
# assigned to every case.
USERS = {
    "admin": ("admin", None),
    "coordinator_in": ("coordinator", "GAO"),
    "coordinator_out": ("coordinator", "TBK"),
    "mediator_assigned": ("mediator", "GAO"),
    "mediator_other": ("mediator", "GAO"),
    "mediator_out": ("mediator", "TBK"),
    "police_in": ("police", "GAO"),
    "police_out": ("police", "TBK"),
    "analyst": ("analyst", None),
}
CASE_USERS = [key for key in USERS if USERS[key][0] in ("admin", "coordinator", "mediator")]
CONFIDENTIAL_MATCH = "A confidential case may match: ask your coordinator."
NOTICE = (
    "Restricted case: the names, narrative, minutes, notes and agreement terms are shown only "
    "to its assigned mediator, the area's coordinators and administrators."
)


def in_french(msgid: str) -> str:
    assert FRENCH[msgid], msgid
    return FRENCH[msgid]


def expected(user: str, level: str) -> str:
    """What the user gets of a case: "full", "masked" (reference, status, type and place
    only), "missing" (404: it does not exist for them) or "refused" (403)."""
    role, area = USERS[user]
    if role in ("police", "analyst"):
        return "refused"  # no grant on cases at all, whatever the case
    if role == "admin":
        return "full"
    inside = area == "GAO"
    mine = user == "mediator_assigned" or role == "coordinator"
    if level == "secret":
        return "full" if inside and mine else "missing"
    if not inside:
        return "refused"
    if level == "restricted" and not mine:
        return "masked"
    return "full"


def secrets_of(level: str) -> list[str]:
    """The sensitive texts of the case of a level: they show only in a full view."""
    mark = MARK[level]
    return [f"Aminata {mark}", f"Narrative {mark}", f"Title {mark}", f"Term {mark}"]


@dataclass
class CaseInfo:
    id: int
    reference: str
    session_id: int


@dataclass
class World:
    users: dict
    cases: dict[str, CaseInfo]
    alert_id: int = 0
    activity_id: int = 0
    police_unit_id: int = 0


def _register(level: str, by: User, mediator_id: int) -> CaseInfo:
    mark = MARK[level]
    case = services.register_case(
        services.CaseData(
            unit_id=unit_id_now(GAO_COMMUNE),
            event_date=today() - timedelta(days=40),
            reported_on=today() - timedelta(days=39),
            channel="PLAINTE_DIRECTE",
            conflict_type="DEGATS_CHAMPETRES",
            scope="INTRACOMMUNAUTAIRE",
            title=f"Title {mark}",
            narrative=f"Narrative {mark}",
            narrative_lang="fr",
            confidentiality=level,
            assigned_mediator_id=mediator_id,
        ),
        [
            services.PartyData(role="complainant", name=f"Aminata {mark}", consent_to_share=True),
            services.PartyData(role="respondent", name=f"Boubacar {mark}", consent_to_share=True),
        ],
        by,
    )
    services.transition(case, "ENREGISTRE", by)
    services.transition(case, "EN_MEDIATION", by)
    session = services.record_session(
        case,
        services.SessionData(
            held_on=today() - timedelta(days=30),
            place="ARBRE_PALABRE",
            mechanism="CONCILIATION_CHEF",
            result="agreement",
            women=1,
            men=2,
            minutes=f"Minutes {mark}",
            minutes_lang="fr",
            private_notes={case.parties[0].id: f"Private note {mark}"},
        ),
        by,
    )
    services.record_agreement(
        case,
        services.AgreementData(
            concluded_on=today() - timedelta(days=28),  # the D+30 visit is due in two days
            form="written",
            outcome="ACCORD_TOTAL",
            terms=[services.TermData(description=f"Term {mark}")],
        ),
        by,
    )
    return CaseInfo(case.id, case.reference, session.id)


def unit_id_now(code: str) -> int:
    from casework.geo.services import get_unit_by_code

    return get_unit_by_code(code).id


@pytest.fixture
def world(app, seeded, make_user) -> World:
    from casework.policing import services as policing

    users = {
        key: make_user(role, username=f"c.{key}", area=area) for key, (role, area) in USERS.items()
    }
    with app.app_context():
        coordinator = db.session.get(User, users["coordinator_in"].id)
        cases = {
            level: _register(level, coordinator, users["mediator_assigned"].id) for level in LEVELS
        }
        police_unit = policing.save_police_unit(
            policing.PoliceUnitData(
                name="Brigade de Gao", force="gendarmerie", unit_id=unit_id_now("GAO")
            ),
            coordinator,
        )
        # The coordinator, who sees the secret case, linked an activity and an alert to it.
        activity = policing.save_activity(
            policing.ActivityData(
                activity_type="PATROUILLE_PEDESTRE",
                held_on=today(),
                police_unit_id=police_unit.id,
                unit_id=unit_id_now("GAO"),
                topic="Patrouille du marché",
                case_references=[cases["secret"].reference, cases["standard"].reference],
            ),
            coordinator,
        )
        alert = policing.save_alert(
            policing.AlertData(
                occurred_at=utcnow() - timedelta(hours=3),
                unit_id=unit_id_now(GAO_COMMUNE),
                category="TENSION_INTERCOMMUNAUTAIRE",
                urgency=2,
                source_type="RELAIS_COMMUNAUTAIRE",
                description="Des cris entendus la nuit.",
            ),
            coordinator,
        )
        alert.case_id = cases["secret"].id
        db.session.commit()
        return World(users, cases, alert.id, activity.id, police_unit.id)


def client_for(app, user, lang: str = "en"):
    """A browser signed in as ``user``, asking for pages in ``lang``."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = post_form(client, "/login", {"username": user.username, "password": user.password})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return client


def text(response) -> str:
    """The page as a reader sees its characters (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


# --- the case page, its sub-pages and its summaries ------------------------------------------


@pytest.mark.parametrize("user", list(USERS))
def test_case_pages_and_summaries_for_every_role_and_level(app, world, user):
    client = client_for(app, world.users[user])
    for level in LEVELS:
        case = world.cases[level]
        want = expected(user, level)
        base = f"/cases/{case.id}"
        reading = {
            "page": base,
            "session": f"{base}/sessions/{case.session_id}",
            "history": f"{base}/history",
            "summary_html": f"/reports/case/{case.id}?format=html&lang=fr",
            "summary_docx": f"/reports/case/{case.id}?format=docx&lang=fr",
            "summary_pdf": f"/reports/case/{case.id}?format=pdf&lang=fr",
        }
        editing = [f"{base}/edit", f"{base}/parties/new", f"{base}/translate"]
        status = {"full": 200, "masked": 200, "missing": 404, "refused": 403}[want]
        for name, path in reading.items():
            response = client.get(path)
            assert response.status_code == status, (user, level, name, response.status_code)
            if status != 200:
                continue
            shown = {
                "summary_docx": lambda r: docx_text(r.data),
                "summary_pdf": lambda r: pdf_text(r.data),
            }.get(name, text)(response)
            if name in ("page", "summary_html", "summary_docx", "summary_pdf"):
                for secret in secrets_of(level):
                    assert (secret in shown) == (want == "full"), (user, level, name, secret)
                if want == "masked":
                    assert case.reference in shown
            if name == "page":
                assert (NOTICE in shown) == (want == "masked")
            if name == "session":
                for secret in (f"Minutes {MARK[level]}", f"Private note {MARK[level]}"):
                    assert (secret in shown) == (want == "full"), (user, level, secret)
        for path in editing:
            response = client.get(path)
            edit_status = {"full": 200, "masked": 403, "missing": 404, "refused": 403}[want]
            assert response.status_code == edit_status, (user, level, path, response.status_code)


def test_a_restricted_case_page_says_restricted_in_french_too(app, world):
    client = client_for(app, world.users["mediator_other"], "fr")
    page = text(client.get(f"/cases/{world.cases['restricted'].id}"))
    assert in_french(NOTICE) in page
    assert "Aminata Restrikta" not in page and world.cases["restricted"].reference in page


def test_a_missing_secret_case_looks_like_a_case_that_does_not_exist(app, world):
    client = client_for(app, world.users["mediator_other"])
    secret_id = world.cases["secret"].id
    client.get("/")  # the welcome message is shown once, there
    secret = client.get(f"/cases/{secret_id}")
    nothing = client.get("/cases/999999")
    assert secret.status_code == nothing.status_code == 404
    # The same page, but for the address it was asked at (the language switch returns there).
    assert text(secret).replace(f"/cases/{secret_id}", "/cases/999999") == text(nothing)


# --- lists, search, follow-ups due, exports --------------------------------------------------


def export_text(client, name: str, fmt: str) -> tuple[int, str]:
    response = client.get(f"/reports/exports/{name}.{fmt}?lang=en")
    body = response.get_data()
    response.close()
    if response.status_code != 200:
        return response.status_code, ""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return 200, "\n".join(",".join(row) for row in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return 200, "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.mark.parametrize("user", list(USERS))
def test_lists_search_follow_ups_and_exports_for_every_role_and_level(app, world, user):
    client = client_for(app, world.users[user])
    if USERS[user][0] in ("police", "analyst"):
        for path in ("/cases", "/follow-ups", "/reports/exports/cases.csv"):
            assert client.get(path).status_code == 403, (user, path)
        return
    listing = text(client.get("/cases"))
    due = text(client.get("/follow-ups"))
    exports = {
        (name, fmt): export_text(client, name, fmt)
        for name in ("cases", "parties")
        for fmt in ("csv", "xlsx")
    }
    for level in LEVELS:
        case, want = world.cases[level], expected(user, level)
        known = want in ("full", "masked")
        mark = MARK[level]
        link = f'href="/cases/{case.id}"'  # a row of the list (the search box repeats the text)
        assert (link in listing) == known, (user, level, "list")
        assert (f"Title {mark}" in listing) == (want == "full"), (user, level, "list title")
        # A search by a party's name finds the case only for those who may read the names;
        # a search by the reference finds it for everyone who sees it.
        by_name = text(client.get("/cases", query_string={"q": f"Aminata {mark}"}))
        assert (link in by_name) == (want == "full"), (user, level, "search name")
        by_reference = text(client.get("/cases", query_string={"q": case.reference}))
        assert (link in by_reference) == known, (user, level, "search reference")
        # A mediator's follow-ups are those of their own cases; a coordinator's, the area's.
        own = USERS[user][0] != "mediator" or user == "mediator_assigned"
        assert (case.reference in due) == (known and own), (user, level, "follow-ups")
        for (name, fmt), (status, content) in exports.items():
            assert status == 200, (user, name, fmt, status)
            assert (case.reference in content) == known, (user, level, name, fmt)
            # Party names are in the parties' export, titles in the cases'.
            shown = f"Aminata {mark}" if name == "parties" else f"Title {mark}"
            assert (shown in content) == (want == "full"), (user, level, name, fmt)
            if want == "masked":
                assert "restricted" in content, (user, level, name, fmt)


# --- duplicate warnings at registration -------------------------------------------------------


@pytest.mark.parametrize("user", ["admin", "coordinator_in", "mediator_assigned", "mediator_other"])
def test_duplicate_warnings_never_name_a_case_the_user_may_not_read(app, world, user):
    client = client_for(app, world.users[user])
    for level in LEVELS:
        case, want = world.cases[level], expected(user, level)
        data = intake(app, parties=(f"Aminata {MARK[level]}",), title="Nouvelle plainte")
        response = post_form(client, "/cases/new", data)
        page = text(response)
        assert response.status_code == 200, (user, level, response.status_code)
        assert "Is it one of these cases?" in page
        if want == "full":
            assert case.reference in page and f"Title {MARK[level]}" in page
            assert CONFIDENTIAL_MATCH not in page
        else:
            assert CONFIDENTIAL_MATCH in page
            # (the name the user typed is in the form, of course)
            for secret in [case.reference, *secrets_of(level)[1:], f"Boubacar {MARK[level]}"]:
                assert secret not in page, (user, level, secret)
    assert query(app, sa.select(sa.func.count()).select_from(Case)).scalar() == 3


def test_the_confidential_match_warning_is_in_french(app, world):
    client = client_for(app, world.users["mediator_other"], "fr")
    data = intake(app, parties=("Aminata Sekreta",))
    page = text(post_form(client, "/cases/new", data))
    assert in_french(CONFIDENTIAL_MATCH) in page


# --- community policing -----------------------------------------------------------------------


def activity_form(app, police_unit: int, references: str) -> dict:
    from tests.test_policing import activity_data

    return activity_data(app, police_unit, case_references=references)


@pytest.mark.parametrize("user", ["police_in", "coordinator_in", "admin"])
def test_policing_links_to_a_secret_case_behave_as_if_it_did_not_exist(app, world, user):
    client = client_for(app, world.users[user])
    sees_secret = user != "police_in"
    secret = world.cases["secret"].reference
    # Typing the reference of a secret case: the same refusal as an unknown reference.
    response = post_form(
        client, "/policing/activities/new", activity_form(app, world.police_unit_id, secret)
    )
    if sees_secret:
        assert response.status_code == 302
    else:
        unknown = post_form(
            client,
            "/policing/activities/new",
            activity_form(app, world.police_unit_id, "GAO-1999-9999"),
        )
        assert response.status_code == unknown.status_code == 400
        assert f"No case with the reference {secret} in your area." in text(response)
        assert "No case with the reference GAO-1999-9999 in your area." in text(unknown)
    for level in ("standard", "restricted"):
        linked = post_form(
            client,
            "/policing/activities/new",
            activity_form(app, world.police_unit_id, world.cases[level].reference),
        )
        assert linked.status_code == 302, (user, level)
    # The activity and the alert the coordinator linked to the secret case.
    activity = text(client.get(f"/policing/activities/{world.activity_id}"))
    assert world.cases["standard"].reference in activity
    assert (secret in activity) == sees_secret
    edit = text(client.get(f"/policing/activities/{world.activity_id}/edit"))
    assert (secret in edit) == sees_secret
    for path in (f"/policing/alerts/{world.alert_id}", "/policing/alerts"):
        assert (secret in text(client.get(path))) == sees_secret, (user, path)


def test_a_focal_point_saving_an_activity_keeps_the_links_it_cannot_see(app, world):
    from casework.policing.models import Activity

    client = client_for(app, world.users["police_in"])
    path = f"/policing/activities/{world.activity_id}/edit"
    form = form_for(text(client.get(path)), path, path)
    data = form.defaults()
    data["topic"] = "Patrouille du marché, de nuit"
    assert post_form(client, path, data).status_code == 302
    with app.app_context():
        activity = db.session.get(Activity, world.activity_id)
        linked = {case.reference for case in activity.cases}
    assert linked == {world.cases["secret"].reference, world.cases["standard"].reference}


def test_a_referral_of_a_secret_case_reaches_the_police_without_naming_the_case(app, world):
    with app.app_context():
        coordinator = db.session.get(User, world.users["coordinator_in"].id)
        coordinator.gbv_trained = True  # only trained staff handle such a case (issue 15)
        case = services.register_case(
            services.CaseData(
                unit_id=unit_id_now(GAO_COMMUNE),
                event_date=today() - timedelta(days=3),
                reported_on=today() - timedelta(days=2),
                channel="PLAINTE_DIRECTE",
                conflict_type="VBG",
                scope="INTRA_FAMILIAL",
                title="Violences contre Mariam Sekreta",
            ),
            [
                services.PartyData(
                    role="complainant",
                    name="Mariam Sekreta",
                    consent_to_share=True,
                    is_survivor=True,
                )
            ],
            coordinator,
        )
        services.transition(case, "ENREGISTRE", coordinator)
        referral = services.record_referral(
            case,
            services.ReferralData(
                referred_on=today(), target="GENDARMERIE", reason="Violences envers Mariam Sekreta"
            ),
            coordinator,
        )
        db.session.commit()
        reference, referral_id = case.reference, referral.id
    police = client_for(app, world.users["police_in"])
    page = text(police.get("/policing/referrals"))
    assert "A confidential case: ask your coordinator." in page
    assert reference not in page and "Sekreta" not in page
    acknowledged = post_form(
        police,
        f"/policing/referrals/{referral_id}/acknowledge",
        {"acknowledged_on": today().isoformat()},
        page="/policing/referrals",
    )
    assert acknowledged.status_code == 302
    coordinator_page = text(
        client_for(app, world.users["coordinator_in"]).get("/policing/referrals")
    )
    assert reference in coordinator_page


# --- aggregated figures -----------------------------------------------------------------------


def test_the_periodic_report_still_counts_secret_cases(app, world):
    other = client_for(app, world.users["mediator_other"])
    assert world.cases["secret"].reference not in text(other.get("/cases"))
    coordinator = client_for(app, world.users["coordinator_in"])
    period = f"{(today() - timedelta(days=60)).isoformat()}..{today().isoformat()}"
    response = coordinator.get(
        "/reports/periodic",
        query_string={"period": period, "area": "GAO", "lang": "en", "format": "json"},
    )
    assert response.status_code == 200, text(response)[-2000:]
    figures = json.loads(response.data)["indicators"]["cases"]
    assert figures["cases_opened"] == 3  # the secret case too
    closed = json.loads(response.data)["indicators"]["timeliness"]
    assert closed["agreements_concluded"] == 3


# --- changing the level -----------------------------------------------------------------------


def edit_data(client, case_id: int, **changes) -> dict:
    path = f"/cases/{case_id}/edit"
    form = form_for(text(client.get(path)), path, path)
    data = form.defaults()
    data.update(changes)
    return data


def level_of(app, case_id: int) -> str:
    return query(app, sa.select(Case.confidentiality).where(Case.id == case_id)).scalar_one()


def level_entries(app, case_id: int) -> list[dict]:
    entries = query(
        app,
        sa.select(AuditEntry.details)
        .where(AuditEntry.case_id == case_id, AuditEntry.action == "confidentiality")
        .order_by(AuditEntry.seq),
    ).scalars()
    return list(entries)


def test_lowering_a_level_needs_a_coordinator_and_a_reason(app, world):
    restricted = world.cases["restricted"].id
    mediator = client_for(app, world.users["mediator_assigned"], "fr")
    path = f"/cases/{restricted}/edit"
    data = edit_data(mediator, restricted, confidentiality="standard")
    data["confidentiality_reason"] = "Les deux familles ont accepté de lever la restriction"
    refused = post_form(mediator, path, data)
    message = (
        "Only a coordinator of the area or an administrator lowers the confidentiality of a case."
    )
    assert refused.status_code == 400
    assert in_french(message) in text(refused)
    assert level_of(app, restricted) == "restricted"

    coordinator = client_for(app, world.users["coordinator_in"])
    no_reason = post_form(
        coordinator, path, edit_data(coordinator, restricted, confidentiality="standard")
    )
    assert no_reason.status_code == 400
    assert "The reason for lowering the confidentiality is required." in text(no_reason)
    assert level_of(app, restricted) == "restricted" and level_entries(app, restricted) == []

    reason = "Les deux familles ont accepté de lever la restriction"
    data = edit_data(coordinator, restricted, confidentiality="standard")
    data["confidentiality_reason"] = reason
    assert post_form(coordinator, path, data).status_code == 302
    assert level_of(app, restricted) == "standard"
    [entry] = level_entries(app, restricted)
    assert entry == {"from": "restricted", "to": "standard", "reason": reason}


def test_a_mediator_raises_a_level_freely(app, world):
    standard = world.cases["standard"].id
    other = client_for(app, world.users["mediator_other"])
    assert other.get(f"/cases/{standard}").status_code == 200
    response = post_form(
        other, f"/cases/{standard}/edit", edit_data(other, standard, confidentiality="secret")
    )
    # Saved; the case is now secret and not theirs: they are taken back to the list.
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases")
    assert level_of(app, standard) == "secret"
    assert other.get(f"/cases/{standard}").status_code == 404
    [entry] = level_entries(app, standard)
    assert entry["from"] == "standard" and entry["to"] == "secret"


# --- gender-based violence and who is assigned -------------------------------------------------


def test_a_gbv_case_is_registered_secret_and_its_mediator_is_not_locked_out(app, world):
    with app.app_context():  # only trained staff register one (issue 15)
        db.session.get(User, world.users["mediator_other"].id).gbv_trained = True
        db.session.commit()
    other = client_for(app, world.users["mediator_other"])
    data = intake(app, parties=("Hawa Walet",), conflict_type="VBG", confidentiality="standard")
    response = post_form(other, "/cases/new", data)
    assert response.status_code == 302, text(response)[-2000:]
    case = fetch_one(app, sa.select(Case).where(Case.conflict_type == "VBG"))
    assert case.confidentiality == "secret"
    assert case.assigned_mediator_id == world.users["mediator_other"].id
    assert "Hawa Walet" in text(other.get(f"/cases/{case.id}"))
    assigned = client_for(app, world.users["mediator_assigned"])
    assert assigned.get(f"/cases/{case.id}").status_code == 404
    assert case.reference not in text(assigned.get("/cases"))


# Issue 15: a gender-based violence case exists only for the users trained for it and for
# administrators; the only trained user of Gao here is the assigned mediator: Gao's
# coordinator, who sees every other secret case of Gao, does not see this one.
GBV_TRAINED = ("mediator_assigned",)


def gbv_expected(user: str) -> int:
    role, area = USERS[user]
    if role in ("police", "analyst"):
        return 403  # no grant on cases at all
    if role == "admin" or (user in GBV_TRAINED and area == "GAO"):
        return 200
    return 404  # untrained, or trained elsewhere: the case does not exist for them


@pytest.mark.parametrize("user", list(USERS))
def test_a_gbv_case_exists_only_for_trained_users_and_administrators(app, world, user):
    with app.app_context():
        for key in (*GBV_TRAINED, "coordinator_out"):  # trained, but outside Gao
            db.session.get(User, world.users[key].id).gbv_trained = True
        mediator = db.session.get(User, world.users["mediator_assigned"].id)
        case = services.register_case(
            services.CaseData(
                unit_id=unit_id_now(GAO_COMMUNE),
                event_date=today() - timedelta(days=3),
                reported_on=today() - timedelta(days=2),
                channel="PLAINTE_DIRECTE",
                conflict_type="VBG",
                scope="INTRA_FAMILIAL",
                title="Violences contre Fanta Sekreta",
                confidentiality="secret",
                assigned_mediator_id=mediator.id,
            ),
            [services.PartyData(role="complainant", name="Fanta Sekreta", is_survivor=True)],
            mediator,
        )
        db.session.commit()
        case_id, reference = case.id, case.reference
    client = client_for(app, world.users[user])
    status = gbv_expected(user)
    assert client.get(f"/cases/{case_id}").status_code == status
    if status != 403:
        listed = text(client.get("/cases"))
        assert (reference in listed) is (status == 200)
        assert ("Fanta Sekreta" in text(client.get(f"/cases/{case_id}"))) is (status == 200)


def test_the_registering_mediator_is_assigned_to_a_restricted_case(app, world):
    with app.app_context():
        mediator = db.session.get(User, world.users["mediator_other"].id)
        coordinator = db.session.get(User, world.users["coordinator_in"].id)

        def register(by, level):
            return services.register_case(
                services.CaseData(
                    unit_id=unit_id_now(GAO_COMMUNE),
                    event_date=today(),
                    reported_on=today(),
                    channel="PLAINTE_DIRECTE",
                    conflict_type="FONCIER",
                    scope="INTRACOMMUNAUTAIRE",
                    title="Limite de champ",
                    confidentiality=level,
                ),
                [services.PartyData(role="complainant", name="Ousmane Touré")],
                by,
            )

        assert register(mediator, "restricted").assigned_mediator_id == mediator.id
        assert register(mediator, "standard").assigned_mediator_id is None
        assert register(coordinator, "secret").assigned_mediator_id is None
        db.session.rollback()


# --- the audit trail --------------------------------------------------------------------------


def entries(app, case_id: int, action: str) -> list[dict]:
    return list(
        query(
            app,
            sa.select(AuditEntry.details).where(
                AuditEntry.case_id == case_id, AuditEntry.action == action
            ),
        ).scalars()
    )


def test_views_summaries_and_exports_of_confidential_cases_are_audited(app, world):
    assigned = client_for(app, world.users["mediator_assigned"])
    for level in ("restricted", "secret"):
        case = world.cases[level]
        assert assigned.get(f"/cases/{case.id}").status_code == 200
        assert assigned.get(f"/cases/{case.id}/sessions/{case.session_id}").status_code == 200
        assert assigned.get(f"/reports/case/{case.id}?format=docx&lang=en").status_code == 200
        views = entries(app, case.id, "view")
        assert {"page": "cases.view_case", "level": level} in views
        assert {"page": "cases.view_session", "level": level} in views
        assert any(
            e.get("report") == "case_summary" and e["level"] == level and e["format"] == "docx"
            for e in entries(app, case.id, "report")
        )
    coordinator = client_for(app, world.users["coordinator_in"])
    exported = coordinator.get("/reports/exports/parties.xlsx?lang=fr")
    assert exported.status_code == 200
    exported.close()
    for level in LEVELS:
        exported = entries(app, world.cases[level].id, "export")
        if level == "standard":
            assert exported == []
        else:
            assert exported == [
                {"export": "parties", "format": "xlsx", "lang": "fr", "level": level}
            ]


def test_the_permissions_document_states_the_rule(app):
    from casework.permissions import permissions_markdown

    document = permissions_markdown(app)
    assert "## Confidentiality levels" in document
    assert "| confidential_case | view | all | area | assigned | — | — |" in document
    assert "| confidential_case | administer | all | area | — | — | — |" in document
    assert "private notes" in document
