"""Property-based fuzzing of every form and every page (hypothesis).

Every endpoint of ``app.url_map`` is covered: each POST endpoint has a recipe (who posts, to
which real object, from which page), each GET endpoint is fuzzed through its query string and
its path. A new endpoint without a recipe fails ``test_every_endpoint_has_a_recipe``.

What must hold, whatever is sent (random unicode, 100 kB strings, control characters and NUL,
right-to-left marks, SQL/HTML/template injection, numbers out of range, invalid choices,
missing fields, bad dates): never a 500, and a POST that does not succeed changes no row.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from casework.core.dates import today
from casework.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.htmlforms import Field, Form, form_for, forms_of

# How many examples: the hypothesis profile (tests/conftest.py), a handful in `make test`,
# many in `make test-deep`; the same ones on every run of `make test` (derandomize).
SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking: the first failing request is reported as it was sent (the run stays
    # short; derandomize makes it reproducible).
    phases=[Phase.explicit, Phase.generate],
)

# --- what is sent -----------------------------------------------------------------------------

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE cases; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(0)",
    "%' AND 1=0 UNION SELECT NULL --",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "{% for x in range(9) %}{% endfor %}",
    "${7*7}",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "../../../../etc/passwd",
    "%00",
    "%s%s%s%n",
    "\\",
    "",
    " ",
]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x1b", "\x7f", "\r\n", "\ufeff", "\ufffe"]
RTL = ["\u202e", "\u200f", "\u202b", "\u2066", "مرحبا", "שלום"]
NUMBERS = [
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "١٢",
    "1_000",
]
DATES = [
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "1900-01-01",
    "1959-12-31",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    (date.today() + timedelta(days=2)).isoformat(),
    "10000-01-01",
    "31/12/2024",
    "2024-13-01",
    "2024-1-1",
    (date.today() + timedelta(days=3650)).isoformat(),
    date.today().isoformat(),
    "2024-06-01T25:61",
    "2024-06-01T10:00",
]

text = st.text(max_size=40)
controls = st.lists(st.sampled_from(CONTROLS + RTL), min_size=1, max_size=4).map("".join)
huge = st.sampled_from(["x", "é", "\x00", "<", "ߐ", "9"]).map(lambda c: c * 100_000)
numbers = st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**80), 2**80).map(str))
nasty = st.one_of(
    text,
    controls,
    st.sampled_from(INJECTIONS),
    numbers,
    st.sampled_from(DATES),
    st.builds(lambda a, b, c: a + b + c, text, controls, st.sampled_from(INJECTIONS)),
)
fuzz_value = st.one_of(nasty, huge)


# A value that passes the form for fields whose name says what they hold.
PLAUSIBLE = {
    "username": "nouvel.agent",
    "password": PASSWORD,
    "current_password": PASSWORD,
    "new_password": "a long new passphrase 2026",
    "confirm": "a long new passphrase 2026",
    "code": "NOUVEAU_TERME",
    "relay_code": "GAO-R-001",
    "case_references": "",
    "period": date.today().strftime("%Y-%m"),
}


def plausible(field, values=None) -> str:
    """What a careful user would enter: the page's value, else a valid-looking one."""
    if values and field.name in values:
        return values[field.name]
    if field.value:
        return field.value
    non_blank = [option for option in field.options if option]
    if field.kind == "select" and non_blank:
        return non_blank[0]
    for suffix, value in PLAUSIBLE.items():
        if field.name == suffix or field.name.endswith(f"-{suffix}"):
            return value
    if field.kind == "date" and field.name.endswith("due_on"):
        return (date.today() + timedelta(days=30)).isoformat()
    if field.kind == "date":
        return (date.today() - timedelta(days=1)).isoformat()
    if field.kind == "datetime-local":
        return (date.today() - timedelta(days=1)).isoformat() + "T10:00"
    if field.kind == "number":
        return "1"
    if field.kind in ("text", "textarea", "search"):
        return "Puits de Tin-Hama 1"
    return ""


def fuzzed_value(data, field):
    """A bad value for one field: fuzz, an invalid or unexpected choice, or nothing."""
    how = data.draw(st.sampled_from(["fuzz", "fuzz", "fuzz", "choice", "missing"]))
    if how == "missing":
        return None
    if how == "choice" and field.options:
        return data.draw(st.sampled_from(field.options))
    return data.draw(fuzz_value)


def fuzzed_form(data, form, values=None) -> dict:
    """The form as a careful user fills it, with a few fields (none to three) fuzzed, and
    perhaps a few fields the form does not have. Plausible values everywhere else let the
    request reach the services and the database."""
    names = [f.name for f in form.fields.values() if f.name != "csrf_token" and f.kind != "submit"]
    targets = set(data.draw(st.lists(st.sampled_from(names), max_size=3))) if names else set()
    sent: dict = {}
    for field in form.fields.values():
        if field.name == "csrf_token":
            sent[field.name] = field.value
            continue
        if field.kind in ("submit", "button", "reset"):
            if data.draw(st.booleans()):
                sent[field.name] = field.value or "y"
            continue
        if field.kind == "file":
            content = data.draw(st.one_of(st.binary(max_size=200), nasty.map(str.encode)))
            filename = data.draw(st.sampled_from(["units.csv", "a.txt", "x.exe", "", "..\\.csv"]))
            sent[field.name] = (io.BytesIO(content), filename)
            continue
        if field.kind in ("checkbox", "radio"):
            if field.name in targets:
                sent[field.name] = data.draw(fuzz_value)
            elif field.checked or data.draw(st.booleans()):
                sent[field.name] = field.value or (field.options or ["y"])[0]
            continue
        value = fuzzed_value(data, field) if field.name in targets else plausible(field, values)
        if value is not None:
            sent[field.name] = value
    # Fields nobody asked for: random names, and list entries far beyond the form's.
    listed = sorted({name.split("-")[0] for name in form.fields if "-" in name})
    extra = st.one_of(
        text.filter(lambda n: n and n != "csrf_token"),
        st.sampled_from(listed or ["x"]).map(lambda n: f"{n}-99999-name"),
    )
    for name in data.draw(st.lists(extra, max_size=2)):
        sent[name] = data.draw(fuzz_value)
    return sent


# --- the world the requests act on ----------------------------------------------------------

AREA = "GAO"


@dataclass
class World:
    ids: dict
    users: dict  # role -> UserInfo


@pytest.fixture
def world(app, make_user) -> World:
    """The demonstration data (every kind of record) plus a user of each role in GAO."""
    from casework.auth import tokens
    from casework.auth.models import User
    from casework.cases.closure_models import ClosureRequest
    from casework.cases.models import (
        Actor,
        Agreement,
        AgreementTerm,
        Case,
        FollowUp,
        Fraction,
        MediationSession,
        Party,
        Referral,
    )
    from casework.demo import seed_demo
    from casework.geo.models import AdminUnit
    from casework.policing.models import (
        Activity,
        Alert,
        AlertThreshold,
        CommitteeMeeting,
        CommitteeMember,
        PoliceUnit,
        Recommendation,
        SecurityCommittee,
        SmsRelay,
    )
    from casework.vocab.models import Term

    with app.app_context():
        seed_demo(cases=25)
        db.session.commit()
    users = {
        role: make_user(role, username=f"fuzz-{role}", area=None if role == "admin" else AREA)
        for role in ("admin", "coordinator", "mediator", "police", "analyst")
    }
    with app.app_context():
        area = db.session.scalar(sa.select(AdminUnit).where(AdminUnit.code == AREA))
        within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path))

        def first(statement):
            found = db.session.scalar(statement.limit(1))
            assert found is not None, str(statement)
            return found

        in_area = Case.unit_id.in_(within)
        # A case in mediation if there is one: most forms apply to it.
        preferred = sa.case((Case.status == "EN_MEDIATION", 0), (Case.status == "ENREGISTRE", 1))
        case = first(sa.select(Case).where(in_area).order_by(sa.nulls_last(preferred), Case.id))
        admin = db.session.get(User, users["admin"].id)
        other = first(sa.select(Case).where(in_area).order_by(Case.id.desc()))
        # A referral to the gendarmerie, not yet acknowledged, and a threshold to edit.
        referral = Referral(
            case_id=other.id,
            referred_on=date.today() - timedelta(days=3),
            from_level=other.ladder_level,
            target="GENDARMERIE",
            reason="Crime",
            recorded_by_id=admin.id,
        )
        threshold = AlertThreshold(unit_id=None, category=None, alert_count=3, window_days=30)
        relay = SmsRelay(
            relay_code="FUZZ-R-001",
            number_hash="0" * 64,
            number_hint="00",
            language="fr",
            unit_id=area.id,
            registered_by_id=admin.id,
        )
        db.session.add_all([referral, threshold, relay])

        # A closure request awaiting the coordinator's decision (issue 14).
        closure = ClosureRequest(
            case_id=other.id, reason="Les parties sont réconciliées.", requested_by_id=admin.id
        )
        db.session.add_all([referral, threshold, closure])
        db.session.flush()
        party = first(sa.select(Party).join(Case).where(in_area))
        session = first(sa.select(MediationSession).join(Case).where(in_area))
        follow_up = first(
            sa.select(FollowUp)
            .join(Case)
            .where(in_area)
            .order_by(FollowUp.done_on.is_not(None), FollowUp.id)
        )
        # A term owing an amount, not met yet, on a case still in follow-up (the demo has
        # some): the term screens apply to it.
        agreement_term = first(
            sa.select(AgreementTerm)
            .join(Agreement)
            .join(Case)
            .where(
                in_area,
                Case.status.in_(["ACCORD", "SUIVI"]),
                AgreementTerm.amount.is_not(None),
                AgreementTerm.status.in_(["pending", "partly_done"]),
            )
            .order_by(AgreementTerm.id)
        )
        committee = first(sa.select(SecurityCommittee).where(SecurityCommittee.unit_id.in_(within)))
        member = first(
            sa.select(CommitteeMember).where(CommitteeMember.committee_id == committee.id)
        )
        meeting = first(
            sa.select(CommitteeMeeting).where(CommitteeMeeting.committee_id == committee.id)
        )
        ids = {
            "case": case.id,
            "party": (party.case_id, party.id),
            "session": (session.case_id, session.id),
            "follow_up": (follow_up.case_id, follow_up.id),
            "agreement": (agreement_term.agreement.case_id, agreement_term.agreement_id),
            "agreement_term": (agreement_term.agreement.case_id, agreement_term.id),
            "referral": (referral.case_id, referral.id),
            "target": (services_targets(case) or ["CLASSE"])[0],
            "actor": first(
                sa.select(Actor.id).where(
                    sa.or_(Actor.unit_id.is_(None), Actor.unit_id.in_(within))
                )
            ),
            "fraction": first(sa.select(Fraction.id).where(Fraction.home_unit_id.in_(within))),
            "user": first(sa.select(User.id).where(User.username == "moussa.agintalla")),
            "term": first(
                sa.select(Term.id).where(Term.vocabulary == "conflict_type").order_by(Term.id)
            ),
            "police_unit": first(sa.select(PoliceUnit.id).where(PoliceUnit.unit_id.in_(within))),
            "activity": first(sa.select(Activity.id).where(Activity.unit_id.in_(within))),
            "alert": first(
                sa.select(Alert.id).where(Alert.unit_id.in_(within), Alert.case_id.is_(None))
            ),
            "committee": committee.id,
            "member": (committee.id, member.id),
            "meeting": (committee.id, meeting.id),
            "recommendation": first(
                sa.select(Recommendation.id).where(Recommendation.meeting_id == meeting.id)
            ),
            "security_referral": referral.id,
            "threshold": threshold.id,
            "relay": relay.id,
            "closure": (closure.case_id, closure.id),
        }
        # API tokens (issue 16): one of the analyst's, one of the administered user's.
        analyst = db.session.get(User, users["analyst"].id)
        owner = db.session.get(User, ids["user"])
        ids["token"] = tokens.create_token(analyst, "fuzz", "read", 5, analyst)[0].id
        ids["user_token"] = tokens.create_token(owner, "fuzz", "read", 5, admin)[0].id
        db.session.commit()
    return World(ids, users)


def services_targets(case) -> list[str]:
    from casework.cases.services import available_transitions

    return [status.value for status in available_transitions(case)]


# --- recipes: who posts what to where -------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    role: str | None  # None: signed out
    url: object  # (ids) -> the path posted to
    page: object = None  # (ids) -> the page holding the form (default: the url)
    success_status: tuple = ()  # statuses other than a redirect that mean "done"
    may_change: tuple = ()  # (status, tables) a refused request may legitimately write
    values: dict | None = None  # plausible values of this form's fields, by name


def _case(path):
    return lambda i: f"/cases/{i['case']}{path}"


def _sub(key, path):
    return lambda i: path.format(*i[key])


POST_RECIPES = {
    "auth.login": Recipe(
        None,
        lambda i: "/login",
        may_change=((401, {"login_attempts", "users"}), (429, {"login_attempts", "users"})),
        values={"username": "fuzz-analyst"},
    ),
    "auth.logout": Recipe("analyst", lambda i: "/logout", page=lambda i: "/"),
    "home.set_language": Recipe("analyst", lambda i: "/language", page=lambda i: "/"),
    "auth.change_password": Recipe("analyst", lambda i: "/account/password"),
    "auth.create_user": Recipe("admin", lambda i: "/admin/users/new", success_status=(200,)),
    "auth.edit_user": Recipe("admin", lambda i: f"/admin/users/{i['user']}/edit"),
    "auth.activate_user": Recipe(
        "admin", lambda i: f"/admin/users/{i['user']}/activate", page=lambda i: "/admin/users"
    ),
    "auth.deactivate_user": Recipe(
        "admin", lambda i: f"/admin/users/{i['user']}/deactivate", page=lambda i: "/admin/users"
    ),
    "auth.reset_password": Recipe(
        "admin",
        lambda i: f"/admin/users/{i['user']}/reset-password",
        page=lambda i: "/admin/users",
        success_status=(200,),
    ),
    "auth.api_tokens": Recipe("analyst", lambda i: "/account/tokens", success_status=(200,)),
    "auth.revoke_api_token": Recipe(
        "analyst",
        lambda i: f"/account/tokens/{i['token']}/revoke",
        page=lambda i: "/account/tokens",
    ),
    "auth.user_api_tokens": Recipe(
        "admin", lambda i: f"/admin/users/{i['user']}/tokens", success_status=(200,)
    ),
    "auth.revoke_user_api_token": Recipe(
        "admin",
        lambda i: f"/admin/users/{i['user']}/tokens/{i['user_token']}/revoke",
        page=lambda i: f"/admin/users/{i['user']}/tokens",
    ),
    "auth.login_code": Recipe(
        None,
        lambda i: "/login/code",
        page=lambda i: "/login",
        may_change=((401, {"login_attempts", "users"}), (429, {"login_attempts", "users"})),
    ),
    "auth.start_two_factor": Recipe(
        "analyst",
        lambda i: "/account/two-factor/start",
        page=lambda i: "/account/two-factor",
        # A wrong password counts as a failed sign-in.
        may_change=((400, {"login_attempts"}),),
    ),
    "auth.setup_two_factor": Recipe(
        "analyst", lambda i: "/account/two-factor/setup", page=lambda i: "/account/two-factor"
    ),
    "auth.disable_two_factor": Recipe(
        "analyst", lambda i: "/account/two-factor/disable", page=lambda i: "/account/two-factor"
    ),
    "auth.new_recovery_codes": Recipe(
        "analyst",
        lambda i: "/account/two-factor/recovery-codes",
        page=lambda i: "/account/two-factor",
    ),
    "auth.reset_two_factor": Recipe(
        "admin",
        lambda i: f"/admin/users/{i['user']}/reset-two-factor",
        page=lambda i: f"/admin/users/{i['user']}/edit",
    ),
    "cases.archive_case": Recipe("coordinator", _case("/archive")),
    "cases.restore_case": Recipe("coordinator", _case("/restore")),
    "cases.purge_case": Recipe("admin", _case("/purge")),
    "geo.import_units": Recipe("admin", lambda i: "/geo/import"),
    # A preview (200) changes nothing; a confirmation without a kept file is refused.
    "integrations.import_cases": Recipe(
        "coordinator", lambda i: "/imports/cases", success_status=(200,)
    ),
    "integrations.import_odk": Recipe(
        "coordinator", lambda i: "/imports/odk", success_status=(200,)
    ),
    "integrations.confirm_cases": Recipe(
        "coordinator", lambda i: "/imports/cases/confirm", page=lambda i: "/imports/cases"
    ),
    "integrations.confirm_odk": Recipe(
        "coordinator", lambda i: "/imports/odk/confirm", page=lambda i: "/imports/odk"
    ),
    "vocab.add_term": Recipe("admin", lambda i: "/admin/vocabularies/conflict_type/new"),
    "vocab.edit_term": Recipe(
        "admin", lambda i: f"/admin/vocabularies/conflict_type/{i['term']}/edit"
    ),
    "vocab.activate_term": Recipe(
        "admin",
        lambda i: f"/admin/vocabularies/conflict_type/{i['term']}/activate",
        page=lambda i: "/admin/vocabularies/conflict_type",
    ),
    "vocab.deactivate_term": Recipe(
        "admin",
        lambda i: f"/admin/vocabularies/conflict_type/{i['term']}/deactivate",
        page=lambda i: "/admin/vocabularies/conflict_type",
    ),
    "cases.new_case": Recipe("mediator", lambda i: "/cases/new"),
    "cases.edit_case": Recipe(
        "coordinator", _case("/edit"), may_change=((409, {"case_revisions"}),)
    ),
    "cases.add_party": Recipe("mediator", _case("/parties/new")),
    "cases.edit_party": Recipe("mediator", _sub("party", "/cases/{}/parties/{}/edit")),
    "cases.change_status": Recipe(
        "coordinator", lambda i: f"/cases/{i['case']}/status/{i['target']}"
    ),
    "cases.escalate_case": Recipe("coordinator", _case("/escalate")),
    "cases.record_session": Recipe("mediator", _case("/sessions/new")),
    "cases.translate_minutes": Recipe(
        "mediator", _sub("session", "/cases/{}/sessions/{}/translate")
    ),
    "cases.record_agreement": Recipe("mediator", _case("/agreement/new")),
    "cases.record_referral": Recipe("mediator", _case("/referrals/new")),
    "cases.record_notice": Recipe("mediator", _sub("referral", "/cases/{}/referrals/{}/notices")),
    "cases.record_feedback": Recipe(
        "coordinator", _sub("referral", "/cases/{}/referrals/{}/feedback")
    ),
    "cases.record_follow_up": Recipe("mediator", _sub("follow_up", "/cases/{}/follow-ups/{}")),
    "cases.request_closure": Recipe("mediator", _case("/closure/request")),
    "cases.decide_closure": Recipe("coordinator", _sub("closure", "/cases/{}/closure/{}")),
    "cases.handle_breach": Recipe("mediator", _case("/breach")),
    "cases.open_recurrence": Recipe("mediator", _case("/recurrence")),
    "cases.add_term": Recipe("mediator", _sub("agreement", "/cases/{}/agreements/{}/terms/new")),
    "cases.edit_term": Recipe("mediator", _sub("agreement_term", "/cases/{}/terms/{}/edit")),
    "cases.record_instalment": Recipe(
        "mediator", _sub("agreement_term", "/cases/{}/terms/{}/instalments/new")
    ),
    "cases.mark_term": Recipe("mediator", _sub("agreement_term", "/cases/{}/terms/{}/status")),
    "cases.translate_case": Recipe("mediator", _case("/translate")),
    "cases.open_civil_case": Recipe("coordinator", _case("/civil-case")),
    "cases.new_actor": Recipe("mediator", lambda i: "/actors/new"),
    "cases.edit_actor": Recipe("mediator", lambda i: f"/actors/{i['actor']}/edit"),
    "cases.set_actor_active": Recipe(
        "coordinator", lambda i: f"/actors/{i['actor']}/deactivate", page=lambda i: "/actors"
    ),
    "cases.new_fraction": Recipe("coordinator", lambda i: "/fractions/new"),
    "cases.edit_fraction": Recipe("coordinator", lambda i: f"/fractions/{i['fraction']}/edit"),
    "cases.set_fraction_active": Recipe(
        "coordinator",
        lambda i: f"/fractions/{i['fraction']}/deactivate",
        page=lambda i: "/fractions",
    ),
    "cases.edit_places": Recipe("mediator", _case("/places")),
    "policing.new_unit": Recipe("police", lambda i: "/policing/units/new"),
    "policing.edit_unit": Recipe("police", lambda i: f"/policing/units/{i['police_unit']}/edit"),
    "policing.set_unit_active": Recipe(
        "coordinator",
        lambda i: f"/policing/units/{i['police_unit']}/deactivate",
        page=lambda i: f"/policing/units/{i['police_unit']}",
    ),
    "policing.new_committee": Recipe("coordinator", lambda i: "/policing/committees/new"),
    "policing.edit_committee": Recipe(
        "coordinator", lambda i: f"/policing/committees/{i['committee']}/edit"
    ),
    "policing.edit_member": Recipe(
        "police", _sub("member", "/policing/committees/{}/members/{}/edit")
    ),
    "policing.set_member_active": Recipe(
        "police",
        _sub("member", "/policing/committees/{}/members/{}/deactivate"),
        page=lambda i: f"/policing/committees/{i['committee']}",
    ),
    "policing.edit_meeting": Recipe(
        "police", _sub("meeting", "/policing/committees/{}/meetings/{}/edit")
    ),
    "policing.set_recommendation_status": Recipe(
        "police",
        lambda i: f"/policing/recommendations/{i['recommendation']}/status",
        page=lambda i: f"/policing/committees/{i['committee']}",
    ),
    "policing.new_activity": Recipe("police", lambda i: "/policing/activities/new"),
    "policing.edit_activity": Recipe(
        "police", lambda i: f"/policing/activities/{i['activity']}/edit"
    ),
    "policing.new_alert": Recipe("police", lambda i: "/policing/alerts/new"),
    "policing.edit_alert": Recipe("police", lambda i: f"/policing/alerts/{i['alert']}/edit"),
    "policing.alert_to_case": Recipe(
        "coordinator", lambda i: f"/policing/alerts/{i['alert']}/case"
    ),
    "policing.acknowledge_referral": Recipe(
        "police",
        lambda i: f"/policing/referrals/{i['security_referral']}/acknowledge",
        page=lambda i: "/policing/referrals",
    ),
    "policing.edit_threshold": Recipe(
        "admin", lambda i: f"/policing/thresholds/{i['threshold']}/edit"
    ),
    "policing.edit_relay": Recipe(
        "coordinator", lambda i: f"/policing/sms/relays/{i['relay']}/edit"
    ),
    "reports.edit_highlights": Recipe(
        "coordinator",
        lambda i: "/reports/highlights",
        values={"period": "2026-Q1", "text_fr": "Faits marquants"},
    ),
}
# Endpoints with two routes (new and edit) are fuzzed on both.
EXTRA_POST_RECIPES = {
    "policing.edit_member#new": Recipe(
        "police", lambda i: f"/policing/committees/{i['committee']}/members/new"
    ),
    "policing.edit_meeting#new": Recipe(
        "police", lambda i: f"/policing/committees/{i['committee']}/meetings/new"
    ),
    "policing.edit_threshold#new": Recipe("admin", lambda i: "/policing/thresholds/new"),
    "policing.edit_relay#new": Recipe("coordinator", lambda i: "/policing/sms/relays/new"),
}
# POST endpoints that are not forms of a page: each is fuzzed in its own test module.
NOT_FORMS = {"policing.smssync"}  # the SMS gateway's protocol: tests/test_sms.py
ALL_POST_RECIPES = POST_RECIPES | EXTRA_POST_RECIPES

# Query parameters the pages read, and a few they do not.
KNOWN_PARAMS = [
    "page",
    "visits",
    "terms",
    "q",
    "state",
    "status",
    "type",
    "unit",
    "area",
    "lang",
    "format",
    "redacted",
    "level",
    "mediator",
    "reported_from",
    "reported_to",
    "date_from",
    "date_to",
    "category",
    "urgency",
    "verified",
    "answered",
    "police_unit",
    "period",
    "anonymised",
    "parent",
    "next",
]

# Who opens each page (the role that may; admin where only an administrator may).
GET_ROLES = {
    "audit.": "admin",
    "auth.": "admin",
    "vocab.": "admin",
    "geo.": "admin",
    "cases.": "coordinator",
    "policing.": "police",
    "reports.": "coordinator",
    "home.": "coordinator",
    "integrations.": "coordinator",
    "static": None,
    "api_docs.": None,
    "offline.": "coordinator",  # the service worker and a sync's CSRF token (issue 17)
}
# GET pages whose path holds a string rather than an id: a real value to start from.
STRING_ARGS = {
    "vocabulary": "conflict_type",
    "target": "ENREGISTRE",
    "name": "cases",
    "filename": "css/casework.css",
    "action": "deactivate",
    "fmt": "csv",
}
ID_ARGS = {
    "case_id": "case",
    "party_id": "party",
    "session_id": "session",
    "follow_up_id": "follow_up",
    "agreement_id": "agreement",
    "agreement_term_id": "agreement_term",
    "referral_id": "referral",
    "actor_id": "actor",
    "fraction_id": "fraction",
    "user_id": "user",
    "term_id": "term",
    "unit_id": "police_unit",
    "activity_id": "activity",
    "alert_id": "alert",
    "committee_id": "committee",
    "member_id": "member",
    "meeting_id": "meeting",
    "recommendation_id": "recommendation",
    "threshold_id": "threshold",
    "relay_id": "relay",
    "request_id": "closure",
    "token_id": "token",
}


def id_value(ids, arg):
    value = ids[ID_ARGS[arg]]
    if isinstance(value, tuple):
        return value[1]
    return value


def is_api(rule) -> bool:
    """The API's operations take and give JSON: schemathesis drives them, from their OpenAPI
    document (tests/api/test_api_schemathesis.py)."""
    return rule.endpoint.startswith("api.")


def endpoints(app, method):
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if method in rule.methods and not is_api(rule)
        }
    )


def test_every_endpoint_has_a_recipe(app):
    assert set(endpoints(app, "POST")) == set(POST_RECIPES) | NOT_FORMS
    for endpoint in endpoints(app, "GET"):
        assert any(endpoint.startswith(prefix) for prefix in GET_ROLES), endpoint
    for rule in app.url_map.iter_rules():
        if is_api(rule):
            continue
        for arg in rule.arguments:
            assert arg in ID_ARGS or arg in STRING_ARGS, (rule.rule, arg)


# --- helpers ----------------------------------------------------------------------------------


# The audit trail records views and refusals too: the one place a refused request writes.
AUDIT_TABLES = {"audit_log", "audit_head"}


def snapshot(app) -> dict[str, str]:
    """A digest of every row of every table: any change shows."""
    digests = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in AUDIT_TABLES:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(sa.select(table).order_by(*order)).all()
            digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        db.session.rollback()
    return digests


def post_multipart(client, url: str, sent: dict):
    """POST as multipart/form-data, encoded in memory: the test client spools a large body
    into a temporary file that it never closes (a ResourceWarning, an error here)."""
    values = {
        name: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
        for name, value in sent.items()
    }
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def sign_in(client, user) -> None:
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": user.password,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302, response.status_code


def fresh_client(app, world, role):
    client = app.test_client()
    if role is not None:
        sign_in(client, world.users[role])
    return client


def signed_in_page(client, world, role, page):
    response = client.get(page)
    if role is not None and response.status_code == 302 and "/login" in response.location:
        sign_in(client, world.users[role])  # a fuzzed logout or password change signed us out
        response = client.get(page)
    return response


# --- the properties ---------------------------------------------------------------------------


def fuzz_form(app, world, name, build=None, *, refused=False, recipe=None, runs=SETTINGS):
    """Post examples of the form (``build(data, form, values)`` makes each one, fuzzed by
    default): never a 500, and nothing changes unless it succeeds; with ``refused``, every
    example must be refused: nothing changes at all."""
    recipe = recipe or ALL_POST_RECIPES[name]
    build = build or fuzzed_form
    client = fresh_client(app, world, recipe.role)
    url = recipe.url(world.ids)
    page = (recipe.page or recipe.url)(world.ids)

    @runs
    @given(data=st.data())
    @functools.partial(each_example_from_the_same_state, app)
    def run(data):
        nonlocal client
        if recipe.role is None:
            client = app.test_client()  # signed out for every example
        response = signed_in_page(client, world, recipe.role, page)
        assert response.status_code == 200, (page, response.status_code)
        page_html = response.get_data(as_text=True)
        form = form_for(page_html, page, url)
        if form is None:  # a confirmation button that the page shows in its other state
            form = Form(url, "post", {"csrf_token": Field("csrf_token", "hidden", "")})
            form.fields["csrf_token"].value = csrf_token(client, page)
        sent = build(data, form, recipe.values)
        before = snapshot(app)
        response = post_multipart(client, url, sent)
        status = response.status_code
        shown = {k: str(v)[:80] for k, v in sent.items()}
        assert status < 500, (name, status, shown)
        if (300 <= status < 400 or status in recipe.success_status) and not refused:
            return
        # Refused (a redirect too may say so: the referrals list flashes why): nothing changed.
        after = snapshot(app)
        allowed = set().union(*(tables for code, tables in recipe.may_change if code == status))
        changed = {table for table in before if before[table] != after[table]}
        assert changed <= allowed, (name, status, changed, shown)

    run()


@pytest.mark.deep
def test_a_fuzzed_form_never_fails_and_a_refusal_changes_nothing(app, world):
    """Every form, one after the other on the same data (built once: it takes a while)."""
    failures = each(sorted(ALL_POST_RECIPES), lambda name: fuzz_form(app, world, name))
    assert not failures, "\n\n".join(failures)


def each(names, fuzz) -> list[str]:
    """Fuzz every name; report every failure, not only the first."""
    failures = []
    for name in names:
        try:
            fuzz(name)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            import traceback

            failures.append(f"{name}: {''.join(traceback.format_exception(error))[-3000:]}")
    return failures


def each_example_from_the_same_state(app, example):
    """Run one example inside a savepoint that is rolled back: every example starts from the
    same data, so that hypothesis can replay and shrink a failure."""

    @functools.wraps(example)
    def wrapped(*args, **kwargs):
        with app.app_context():
            connection = db.session.get_bind()
        savepoint = connection.begin_nested()
        try:
            return example(*args, **kwargs)
        finally:
            savepoint.rollback()

    return wrapped


GET_RULES = [
    "/",
    "/sw.js",
    "/offline/token",
    "/account/password",
    "/account/tokens",
    "/account/two-factor",
    "/account/two-factor/setup",
    "/actors",
    "/admin/users/<int:user_id>/tokens",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/actors/<int:actor_id>/edit",
    "/actors/new",
    "/fractions",
    "/fractions/<int:fraction_id>/edit",
    "/fractions/new",
    "/admin/audit",
    "/admin/users",
    "/admin/users/<int:user_id>/edit",
    "/admin/users/new",
    "/admin/vocabularies",
    "/admin/vocabularies/<vocabulary>",
    "/admin/vocabularies/<vocabulary>/<int:term_id>/edit",
    "/admin/vocabularies/<vocabulary>/new",
    "/cases",
    "/cases/<int:case_id>",
    "/cases/<int:case_id>/agreement/new",
    "/cases/<int:case_id>/agreements/<int:agreement_id>/terms/new",
    "/cases/<int:case_id>/archive",
    "/cases/<int:case_id>/conflict",
    "/cases/<int:case_id>/history",
    "/cases/<int:case_id>/places",
    "/cases/<int:case_id>/purge",
    "/cases/<int:case_id>/restore",
    "/cases/<int:case_id>/civil-case",
    "/cases/<int:case_id>/breach",
    "/cases/<int:case_id>/closure/<int:request_id>",
    "/cases/<int:case_id>/closure/request",
    "/cases/<int:case_id>/recurrence",
    "/cases/<int:case_id>/edit",
    "/cases/<int:case_id>/escalate",
    "/cases/<int:case_id>/follow-ups/<int:follow_up_id>",
    "/cases/<int:case_id>/parties/<int:party_id>/edit",
    "/cases/<int:case_id>/parties/new",
    "/cases/<int:case_id>/referrals/<int:referral_id>/feedback",
    "/cases/<int:case_id>/referrals/<int:referral_id>/notices",
    "/cases/<int:case_id>/referrals/new",
    "/cases/<int:case_id>/sessions/<int:session_id>",
    "/cases/<int:case_id>/sessions/<int:session_id>/translate",
    "/cases/<int:case_id>/sessions/new",
    "/cases/<int:case_id>/status/<target>",
    "/cases/<int:case_id>/terms/<int:agreement_term_id>/edit",
    "/cases/<int:case_id>/terms/<int:agreement_term_id>/instalments/new",
    "/cases/<int:case_id>/terms/<int:agreement_term_id>/status",
    "/cases/<int:case_id>/translate",
    "/cases/new",
    "/closures",
    "/follow-ups",
    "/geo/import",
    "/geo/units",
    "/healthz",
    "/imports/cases",
    "/imports/cases/template.xlsx",
    "/imports/odk",
    "/login",
    "/login/code",
    "/policing/",
    "/policing/activities",
    "/policing/activities/<int:activity_id>",
    "/policing/activities/<int:activity_id>/edit",
    "/policing/activities/new",
    "/policing/alerts",
    "/policing/alerts/<int:alert_id>",
    "/policing/alerts/<int:alert_id>/case",
    "/policing/alerts/<int:alert_id>/edit",
    "/policing/alerts/new",
    "/policing/committees",
    "/policing/committees/<int:committee_id>",
    "/policing/committees/<int:committee_id>/edit",
    "/policing/committees/<int:committee_id>/meetings/<int:meeting_id>/edit",
    "/policing/committees/<int:committee_id>/meetings/new",
    "/policing/committees/<int:committee_id>/members/<int:member_id>/edit",
    "/policing/committees/<int:committee_id>/members/new",
    "/policing/committees/new",
    "/policing/referrals",
    "/policing/sms",
    "/policing/sms/relays/<int:relay_id>/edit",
    "/policing/sms/relays/new",
    "/policing/sms/smssync",
    "/policing/thresholds",
    "/policing/thresholds/<int:threshold_id>/edit",
    "/policing/thresholds/new",
    "/policing/units",
    "/policing/units/<int:unit_id>",
    "/policing/units/<int:unit_id>/edit",
    "/policing/units/new",
    "/reports/",
    "/reports/case/<int:case_id>",
    "/reports/exports",
    "/reports/exports/<name>.<any(csv, xlsx):fmt>",
    "/reports/highlights",
    "/reports/periodic",
    "/reports/periodic.schema.json",
    "/static/<path:filename>",
]


def test_the_get_rules_are_the_fuzzed_ones(app):
    """A new page must be added to GET_RULES (and so fuzzed)."""
    rules = {
        rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not is_api(rule)
    }
    assert rules == set(GET_RULES)


param_values = st.one_of(
    nasty,
    st.sampled_from(["1", "2", "fr", "en", "xx", "pdf", "docx", "html", "json", "xlsx", "csv"]),
    st.sampled_from(["2024-06", "2024-Q2", "2024", "2024-S1", "2024-13", "9999-99"]),
    st.sampled_from(["0001", "9999", "9999-Q4", "0001-01", "1959", "0001-01-01..0001-12-31"]),
    huge,
)
param_names = st.one_of(st.sampled_from(KNOWN_PARAMS), text.filter(bool))
path_ids = st.one_of(
    st.integers(0, 2**80),
    st.sampled_from([0, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
)


@pytest.mark.deep
def test_a_fuzzed_page_request_never_fails(app, world):
    failures = each(GET_RULES, lambda rule_text: fuzz_page(app, world, rule_text))
    assert not failures, "\n\n".join(failures)


def fuzz_page(app, world, rule_text):
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text and "GET" in r.methods)
    role = next(
        (role for prefix, role in GET_ROLES.items() if rule.endpoint.startswith(prefix)), "admin"
    )
    if rule.endpoint in ("auth.login", "home.healthz"):
        role = None
    client = fresh_client(app, world, role)

    @SETTINGS
    @given(data=st.data())
    @functools.partial(each_example_from_the_same_state, app)
    def run(data):
        path = rule.rule
        for arg in rule.arguments:
            converter = rule._converters[arg]
            placeholder = (
                next(part for part in (f"<{arg}>", f"<int:{arg}>", f"<path:{arg}>") if part in path)
                if arg not in ("fmt",)
                else "<any(csv, xlsx):fmt>"
            )
            if arg in ID_ARGS:
                value = data.draw(st.one_of(st.just(id_value(world.ids, arg)), path_ids))
            elif type(converter).__name__ == "AnyConverter":
                value = data.draw(st.sampled_from(sorted(converter.items)))
            else:
                value = data.draw(st.one_of(st.just(STRING_ARGS[arg]), nasty))
                value = quote(str(value), safe="/") or "x"
            path = path.replace(placeholder, str(value))
        params = data.draw(st.lists(st.tuples(param_names, param_values), max_size=4))
        response = client.get(path, query_string=params)
        assert response.status_code < 500, (path, params, response.status_code)
        response.close()

    run()


# --- the window of dates, and dates that contradict each other (issue 12) ---------------------
#
# The fuzzing above draws a bad date for a field now and then; these properties put a date
# beyond the window (1960-01-01 .. tomorrow; a deadline up to ten years ahead) in every date
# field and every date filter, and a period beyond 1960 .. this year in the report: each must be
# refused with a form error (a 400), never a 500 and never stored.

DATE_KINDS = ("date", "datetime-local")
FEW = settings(SETTINGS, max_examples=6)


def outside_window(field) -> st.SearchStrategy[str]:
    """A day beyond the window, as the field's input sends it: the ends of the calendar and the
    days just beyond the window's ends first."""
    planned = field.name.endswith("due_on")  # a deadline: ten years ahead are fine
    after = today() + timedelta(days=366 * 10 + 2) if planned else today() + timedelta(days=2)
    days = st.one_of(
        st.sampled_from(["0001-01-01", "9999-12-31", "1959-12-31", after.isoformat()]),
        st.dates(max_value=date(1959, 12, 31)).map(date.isoformat),
        st.dates(min_value=after).map(date.isoformat),
    )
    return days.map(lambda day: f"{day}T00:00") if field.kind == "datetime-local" else days


def plausible_form(form, values=None) -> dict:
    """The form as a careful user fills it (plausible values, boxes as they are)."""
    sent = {}
    for field in form.fields.values():
        if field.kind in ("submit", "button", "reset", "file"):
            continue
        if field.kind in ("checkbox", "radio"):
            if field.checked:
                sent[field.name] = field.value or "y"
            continue
        sent[field.name] = field.value if field.name == "csrf_token" else plausible(field, values)
    return sent


def date_fields(form) -> list:
    return [field for field in form.fields.values() if field.kind in DATE_KINDS]


def one_date_outside_the_window(data, form, values=None) -> dict:
    sent = plausible_form(form, values)
    field = data.draw(st.sampled_from(date_fields(form)))
    sent[field.name] = data.draw(outside_window(field))
    return sent


def dated_forms(app, world) -> list[str]:
    """The POST recipes whose form has a date field (read from the pages)."""
    names = []
    for name, recipe in sorted(ALL_POST_RECIPES.items()):
        client = fresh_client(app, world, recipe.role)
        page = (recipe.page or recipe.url)(world.ids)
        form = form_for(client.get(page).get_data(as_text=True), page, recipe.url(world.ids))
        if form is not None and date_fields(form):
            names.append(name)
    return names


def test_a_date_outside_the_window_is_refused_on_every_form(app, world):
    names = dated_forms(app, world)
    assert {"cases.new_case", "cases.record_session", "policing.new_alert"} <= set(names)
    failures = each(
        names,
        lambda name: fuzz_form(app, world, name, one_date_outside_the_window, refused=True),
    )
    assert not failures, "\n\n".join(failures)


def date_filter_pages(app, world) -> dict[str, list[str]]:
    """Every page (without an id in its path) whose GET form has a date field, and its
    date fields (the query parameters)."""
    found = {}
    for rule_text in GET_RULES:
        if "<" in rule_text:
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text)
        role = next((r for p, r in GET_ROLES.items() if rule.endpoint.startswith(p)), "admin")
        if role is None:
            continue
        response = fresh_client(app, world, role).get(rule_text)
        if response.mimetype != "text/html":  # a file (the import template), not a page
            continue
        html = response.get_data(as_text=True)
        for form in forms_of(html, rule_text, method="get"):
            names = [field.name for field in date_fields(form)]
            if names:
                found[rule_text] = (role, names)
    return found


def test_a_date_filter_outside_the_window_is_a_form_error(app, world):
    pages = date_filter_pages(app, world)
    assert {"/cases", "/admin/audit", "/policing/alerts", "/policing/activities"} <= set(pages)

    def fuzz(path):
        role, names = pages[path]
        client = fresh_client(app, world, role)

        @FEW
        @given(data=st.data())
        def run(data):
            name = data.draw(st.sampled_from(names))
            value = data.draw(outside_window(Field(name, "date")))
            response = client.get(path, query_string={name: value})
            assert response.status_code == 400, (path, name, value, response.status_code)

        run()

    failures = each(sorted(pages), fuzz)
    assert not failures, "\n\n".join(failures)


# Deferred: the years are read from the clock when a test first draws one, not at import.
years_outside = st.deferred(
    lambda: st.one_of(
        st.sampled_from([1, 9999, 1959, today().year + 2]),
        st.integers(1, 1959),
        st.integers(today().year + 2, 9999),
    )
)
periods_outside = st.one_of(
    years_outside.map("{:04d}".format),
    st.builds("{:04d}-Q{}".format, years_outside, st.integers(1, 4)),
    st.builds("{:04d}-{:02d}".format, years_outside, st.integers(1, 12)),
    years_outside.map(lambda year: f"{year:04d}-01-01..{year:04d}-12-31"),
)


def test_a_report_period_outside_the_window_is_a_form_error(app, world):
    client = fresh_client(app, world, "coordinator")

    @settings(SETTINGS, max_examples=20)
    @given(
        period=periods_outside,
        fmt=st.sampled_from(["json", "html", "pdf", "docx", "xlsx"]),
        lang=st.sampled_from(["fr", "en"]),
    )
    def run(period, fmt, lang):
        query = {"period": period, "format": fmt, "lang": lang, "area": AREA}
        response = client.get("/reports/periodic", query_string=query)
        assert response.status_code == 400, (period, fmt, response.status_code)
        assert "Content-Disposition" not in response.headers

    run()


@pytest.fixture
def dated_cases(app, world) -> dict:
    """A case in mediation whose events were 60 days ago and reported 20 days ago, and one
    whose agreement, 10 days ago, planned its first visit in 20 days (in GAO)."""
    from casework.auth.models import User
    from casework.cases import services
    from casework.cases.models import FollowUp
    from casework.geo.services import get_unit_by_code

    def in_mediation(by, title):
        data = services.CaseData(
            unit_id=get_unit_by_code("GAO-GAO-GAO").id,
            event_date=today() - timedelta(days=60),
            reported_on=today() - timedelta(days=20),
            channel="PLAINTE_DIRECTE",
            conflict_type="DEGATS_CHAMPETRES",
            scope="INTRACOMMUNAUTAIRE",
            title=title,
        )
        case = services.register_case(data, [services.PartyData("complainant", "Hama")], by)
        services.transition(case, "ENREGISTRE", by)
        services.transition(case, "EN_MEDIATION", by)
        return case

    with app.test_request_context():
        by = db.session.get(User, world.users["mediator"].id)
        case = in_mediation(by, "Dates contradictoires")
        agreed = in_mediation(by, "Visite avancée")
        agreement = services.AgreementData(
            concluded_on=today() - timedelta(days=10), form="written", outcome="ACCORD_TOTAL"
        )
        services.record_agreement(agreed, agreement, by)
        visit = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.case_id == agreed.id).order_by(FollowUp.due_on)
        ).first()
        db.session.commit()
        return {"case": case.id, "agreed": agreed.id, "visit": visit.id}


def test_a_record_dated_before_its_case_or_an_early_visit_without_reason_is_refused(
    app, world, dated_cases
):
    """A session, an agreement or a referral dated after the events but before the report, and
    a visit more than a week before its planned day whose notes give no reason."""
    case, agreed, visit = dated_cases["case"], dated_cases["agreed"], dated_cases["visit"]
    records = {
        "cases.record_session": ("held_on", f"/cases/{case}/sessions/new"),
        "cases.record_agreement": ("concluded_on", f"/cases/{case}/agreement/new"),
        "cases.record_referral": ("referred_on", f"/cases/{case}/referrals/new"),
    }

    def before_the_report(field_name):
        def build(data, form, values):
            sent = plausible_form(form, values)
            sent[field_name] = (
                today() - timedelta(days=data.draw(st.integers(21, 60)))
            ).isoformat()
            return sent

        return build

    def early_visit(data, form, values):
        sent = plausible_form(form, values)
        sent["done_on"] = (today() - timedelta(days=data.draw(st.integers(0, 10)))).isoformat()
        sent["notes"] = data.draw(st.sampled_from(["", "Fait.", "Visite faite.", " \t "]))
        return sent

    def fuzz(name):
        if name == "cases.record_follow_up":
            path = f"/cases/{agreed}/follow-ups/{visit}"
            recipe = Recipe("mediator", lambda i: path)
            fuzz_form(app, world, name, early_visit, refused=True, recipe=recipe, runs=FEW)
            return
        field_name, path = records[name]
        recipe = Recipe("mediator", lambda i: path)
        build = before_the_report(field_name)
        fuzz_form(app, world, name, build, refused=True, recipe=recipe, runs=FEW)

    failures = each([*records, "cases.record_follow_up"], fuzz)
    assert not failures, "\n\n".join(failures)


# --- the bugs the fuzzing found, one test each ------------------------------------------------


def test_an_id_beyond_the_database_range_is_404_not_500(client, admin):
    for path in (
        "/cases/2147483648",
        "/cases/99999999999999999999",
        "/admin/users/2147483648/edit",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/cases/2147483647").status_code == 404  # the largest id: not found


def test_a_nul_character_is_refused_with_a_translated_400_and_changes_nothing(app, client, admin):
    from casework.auth.models import User

    before = snapshot(app)
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(client, "/admin/users/new"),
            "username": "nul\x00user",
            "full_name": "Nul",
            "role": "analyst",
        },
    )
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert client.get("/cases", query_string={"q": "a\x00b"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.full_name == "Nul")) is None


def test_a_count_too_large_for_its_column_is_refused_on_the_form(client, make_user, login, seeded):
    login(make_user("police", area=AREA))
    response = client.post(
        "/policing/committees/new",
        data={
            "csrf_token": csrf_token(client, "/policing/committees/new"),
            "name": "Comité",
            "monthly_target": str(2**31),
        },
    )
    assert response.status_code == 400
    assert "Saisissez un nombre d'au plus 2147483647." in html.unescape(
        response.get_data(as_text=True)
    )


def test_a_multipart_field_without_a_name_is_a_400(client, admin):
    boundary, body = encode_multipart({'a"b': "x", "title": "y"})
    response = client.post(
        "/cases/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
