"""Authorisation, walked from the URL map: every endpoint × every role × an object inside and
an object outside the user's area, against the grants of casework.permissions (the matrix
of docs/permissions.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.auth import tokens
from casework.auth.models import User
from casework.cases.closure_models import ClosureRequest
from casework.cases.enums import Confidentiality
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
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.permissions import (
    Action,
    Resource,
    Scope,
    alternatives,
    endpoint_scope,
    is_public_endpoint,
    permissions_markdown,
    requires,
    scope,
    undeclared_endpoints,
)
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
from casework.policing.services import SECURITY_FORCE_TARGETS
from casework.roles import Role
from casework.vocab.models import Term
from tests.conftest import CSRF_RE

CASE, EXPORT = Resource.CASE, Action.EXPORT
ROOT = Path(__file__).resolve().parent.parent
HOME, AWAY = "GAO", "TBK"  # the users' area, and a region outside it
# Arguments whose object has no place: the same object serves "inside" and "outside".
PLACELESS = {
    "threshold_id",
    "token_id",
    "user_id",
    "term_id",
    "vocabulary",
    "name",
    "fmt",
    "target",
    "action",
}


def test_every_endpoint_is_public_or_declares_its_grants(app):
    """Every route says next to its definition what it needs (``@requires``) or that it is
    public; the check before each request reads the same declarations."""
    assert undeclared_endpoints(app) == [], "add @requires(...) (or @public) to these views"
    for rule in app.url_map.iter_rules():
        for needs in alternatives(rule.endpoint, app):
            assert needs and all(
                isinstance(resource, Resource) and isinstance(action, Action)
                for resource, action in needs
            ), rule.endpoint


def test_a_route_without_its_declaration_fails_the_check_and_is_refused(
    app, client, make_user, login
):
    """Take the declaration off one route (the same view, undecorated): the completeness
    check names it, the document leaves it out, and nobody reaches it, not even an
    administrator. Declared again, it opens."""
    endpoint = "vocab.list_vocabularies"
    declared = app.view_functions[endpoint]
    assert alternatives(endpoint, app) == (((Resource.VOCABULARY, Action.VIEW),),)

    def undeclared(*args, **kwargs):
        return declared(*args, **kwargs)

    app.view_functions[endpoint] = undeclared
    assert undeclared_endpoints(app) == [endpoint]
    assert f"`{endpoint}`" not in permissions_markdown(app)
    login(make_user("admin"))
    assert client.get("/admin/vocabularies").status_code == 403

    app.view_functions[endpoint] = requires(Resource.VOCABULARY, Action.VIEW)(undeclared)
    assert undeclared_endpoints(app) == []
    assert f"`{endpoint}`" in permissions_markdown(app)
    assert client.get("/admin/vocabularies").status_code == 200


def test_docs_permissions_md_is_produced_from_the_code(app):
    written = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == permissions_markdown(app), (
        "docs/permissions.md is stale: run `casework permissions > docs/permissions.md`"
    )


class World:
    """Objects inside (GAO) and outside (KDL) the users' area, from the demo caseload."""

    def __init__(self):
        self.home = {}
        self.away = {}
        home_path = db.session.scalar(sa.select(AdminUnit.path).where(AdminUnit.code == HOME))
        away_path = db.session.scalar(sa.select(AdminUnit.path).where(AdminUnit.code == AWAY))
        for path, found in ((home_path, self.home), (away_path, self.away)):
            within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(path))
            found.update(self._objects(within))

    @staticmethod
    def _first(statement):
        return db.session.scalars(statement.limit(1)).first()

    def _objects(self, within) -> dict[str, dict]:
        first = self._first
        # Standard cases only: a restricted one the user is not assigned to is refused by the
        # object's own check (403), whatever the role's grants; PostgreSQL returns the rows
        # without ORDER BY in any order, so such a case was picked after earlier tests.
        in_cases = sa.select(Case.id).where(
            Case.unit_id.in_(within), Case.confidentiality == Confidentiality.STANDARD.value
        )
        found = {}
        party = first(sa.select(Party).where(Party.case_id.in_(in_cases)))
        session = first(sa.select(MediationSession).where(MediationSession.case_id.in_(in_cases)))
        referral = first(sa.select(Referral).where(Referral.case_id.in_(in_cases)))
        security = first(
            sa.select(Referral).where(
                Referral.case_id.in_(in_cases), Referral.target.in_(SECURITY_FORCE_TARGETS)
            )
        )
        follow_up = first(sa.select(FollowUp).where(FollowUp.case_id.in_(in_cases)))
        agreement = first(sa.select(Agreement).where(Agreement.case_id.in_(in_cases)))
        if agreement:
            found["agreement"] = {"case_id": agreement.case_id, "agreement_id": agreement.id}
        case = first(sa.select(Case).where(Case.unit_id.in_(within)).order_by(Case.id))
        found["case"] = {"case_id": case.id}
        if party:
            found["party"] = {"case_id": party.case_id, "party_id": party.id}
        if session:
            found["session"] = {"case_id": session.case_id, "session_id": session.id}
        if referral:
            found["referral"] = {"case_id": referral.case_id, "referral_id": referral.id}
        if security:
            found["security_referral"] = {"referral_id": security.id}
        if follow_up:
            found["follow_up"] = {"case_id": follow_up.case_id, "follow_up_id": follow_up.id}
        closure = first(sa.select(ClosureRequest).where(ClosureRequest.case_id.in_(in_cases)))
        if closure:
            found["closure"] = {"case_id": closure.case_id, "request_id": closure.id}
        term = first(
            sa.select(AgreementTerm).join(Agreement).where(Agreement.case_id.in_(in_cases))
        )
        if term:
            found["agreement"] = {
                "case_id": term.agreement.case_id,
                "agreement_id": term.agreement_id,
            }
            found["agreement_term"] = {
                "case_id": term.agreement.case_id,
                "agreement_term_id": term.id,
            }
        actor = first(sa.select(Actor).where(Actor.unit_id.in_(within)))
        if actor:
            found["actor"] = {"actor_id": actor.id}
        fraction = first(sa.select(Fraction).where(Fraction.home_unit_id.in_(within)))
        if fraction:
            found["fraction"] = {"fraction_id": fraction.id}
        for key, model in (
            ("police_unit", PoliceUnit),
            ("activity", Activity),
            ("alert", Alert),
            ("committee", SecurityCommittee),
            ("relay", SmsRelay),
        ):
            row = first(sa.select(model).where(model.unit_id.in_(within)))
            if row:
                found[key] = {
                    {"police_unit": "unit_id"}.get(key, f"{key}_id"): row.id,
                }
        committees = sa.select(SecurityCommittee.id).where(SecurityCommittee.unit_id.in_(within))
        member = first(
            sa.select(CommitteeMember).where(CommitteeMember.committee_id.in_(committees))
        )
        if member:
            found["member"] = {"committee_id": member.committee_id, "member_id": member.id}
        meeting = first(
            sa.select(CommitteeMeeting).where(CommitteeMeeting.committee_id.in_(committees))
        )
        if meeting:
            found["meeting"] = {"committee_id": meeting.committee_id, "meeting_id": meeting.id}
        meetings = sa.select(CommitteeMeeting.id).where(
            CommitteeMeeting.committee_id.in_(committees)
        )
        recommendation = first(
            sa.select(Recommendation).where(Recommendation.meeting_id.in_(meetings))
        )
        if recommendation:
            found["recommendation"] = {"recommendation_id": recommendation.id}
        return found


def fill(rule, objects: dict[str, dict], spare: dict) -> dict | None:
    """Values for the rule's arguments, all from one consistent group of objects."""
    args = set(rule.arguments)
    values = {}
    placed = args - PLACELESS
    if placed:
        groups = [group for group in objects.values() if placed <= set(group)]
        if rule.endpoint == "policing.acknowledge_referral":
            groups = [objects["security_referral"]] if "security_referral" in objects else []
        if not groups:
            return None
        values.update(min(groups, key=len))
    for arg in args & PLACELESS:
        values[arg] = spare[arg]
    return {key: value for key, value in values.items() if key in args}


def request_as(client, rule, values, token):
    from flask import url_for

    with client.application.test_request_context():
        path = url_for(rule.endpoint, **values)
    if "GET" in rule.methods:
        response = client.get(path)
    else:  # POST, or the API's PATCH
        method = "POST" if "POST" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
        response = client.open(path, method=method, data={"csrf_token": token})
    response.get_data()  # a streamed export runs to its end, as a browser reads it
    response.close()
    return response


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_endpoint_for_every_role_inside_and_outside_the_area(
    app, client, make_user, login, role
):
    from casework.demo import seed_demo

    with app.app_context():
        seed_demo(cases=60)
        db.session.commit()
        term = db.session.scalars(sa.select(Term).limit(1)).one()
        threshold = db.session.scalars(sa.select(AlertThreshold).limit(1)).first()
        spare = {
            "term_id": term.id,
            "vocabulary": term.vocabulary,
            "threshold_id": threshold.id if threshold else 1,
            "name": "cases",
            "fmt": "csv",
            "target": "ENREGISTRE",
            "action": "deactivate",
        }
        # The demo's Gao cases have no referral to the security forces: make one.
        gao_referral = db.session.scalars(
            sa.select(Referral)
            .join(Case)
            .join(AdminUnit, Case.unit_id == AdminUnit.id)
            .where(AdminUnit.code.startswith("GAO"))
            .limit(1)
        ).first()
        if gao_referral is not None:
            gao_referral.target = "GENDARMERIE"
        # A relay who sends alerts by SMS, and a closure request, inside and outside the area.
        someone = db.session.scalars(sa.select(User).order_by(User.id).limit(1)).one()
        for code in (HOME, AWAY):
            unit = db.session.scalar(sa.select(AdminUnit).where(AdminUnit.code == code))
            db.session.add(
                SmsRelay(
                    relay_code=f"{code}-R-900",
                    number_hash=code.ljust(64, "0"),
                    number_hint="00",
                    language="fr",
                    unit_id=unit.id,
                    registered_by_id=someone.id,
                )
            )
            within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(unit.path))
            open_case = db.session.scalars(
                sa.select(Case.id)
                .where(
                    Case.unit_id.in_(within),
                    Case.confidentiality == Confidentiality.STANDARD.value,
                )
                .order_by(Case.id)
                .limit(1)
            ).one()
            db.session.add(
                ClosureRequest(
                    case_id=open_case, reason="Accord respecté.", requested_by_id=someone.id
                )
            )
        db.session.commit()
        world = World()
    spare["user_id"] = make_user("mediator", username="spare", area=HOME).id
    with app.app_context():  # an API token of someone else (issue 16)
        spare_user = db.session.get(User, spare["user_id"])
        spare["token_id"] = tokens.create_token(spare_user, "spare", "read", 5, spare_user)[0].id
        db.session.commit()
    area = None if role in (Role.ADMIN.value, Role.ANALYST.value) else HOME
    user = make_user(role, username=f"the.{role}", area=area)

    wrong, checked, untested = [], 0, []
    rules = sorted(
        (r for r in app.url_map.iter_rules() if not is_public_endpoint(app, r.endpoint)),
        key=lambda r: (r.endpoint == "auth.logout", r.endpoint),
    )
    login(user)
    token = CSRF_RE.search(client.get("/").get_data(as_text=True))
    token = token.group(1) or token.group(2)
    for rule in rules:
        reach = endpoint_scope(role, rule.endpoint, app)
        allowed = reach is not None
        placed = bool(set(rule.arguments) - PLACELESS)
        for inside in (True, False) if placed else (True,):
            values = fill(rule, world.home if inside else world.away, spare)
            if values and rule.endpoint == "reports.export" and not scope(role, CASE, EXPORT):
                values["name"] = "activities"  # the export this role may make, if any
            if values is None:
                untested.append((rule.endpoint, inside))
                continue
            response = request_as(client, rule, values, token)
            status = response.status_code
            checked += 1
            if status >= 500:
                wrong.append((rule.endpoint, inside, status, "server error"))
            elif not allowed and status != 403:
                wrong.append((rule.endpoint, inside, status, "expected 403"))
            elif allowed and inside and status == 403:
                wrong.append((rule.endpoint, inside, status, "expected access"))
            elif allowed and not inside and reach == Scope.AREA and status not in (403, 404):
                wrong.append((rule.endpoint, inside, status, "outside the area: expected 403"))
            elif allowed and not inside and reach == Scope.ALL and status == 403:
                wrong.append((rule.endpoint, inside, status, "scope all: expected access"))
    assert wrong == []
    assert checked >= 90
    assert len(untested) <= 4, untested


def test_the_grants_keep_police_and_analysts_away_from_mediation(app):
    from casework.permissions import Resource

    assert scope(Role.POLICE, Resource.CASE) is None
    assert scope(Role.ANALYST, Resource.CASE) is None
    assert scope(Role.ANALYST, Resource.REPORT, "report") is None
    assert scope(Role.COORDINATOR, Resource.CASE) == Scope.AREA


def test_no_template_names_a_role():
    """Menus and links ask ``may(endpoint)``: the routes' declarations, not role lists."""
    naming = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "has_role(" in (text := path.read_text(encoding="utf-8")) or "Role." in text
    ]
    assert naming == []


MENU = [
    "cases.list_cases",
    "cases.follow_ups_due",
    "cases.list_actors",
    "policing.index",
    "reports.periodic_form",
    "auth.list_users",
    "vocab.list_vocabularies",
    "audit.list_entries",
]


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_the_menu_shows_what_the_declarations_open(app, client, make_user, login, role):
    from flask import url_for

    login(make_user(role))
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    menu = page[page.index('class="main-nav"') : page.index('class="account"')]
    with app.test_request_context():
        links = {endpoint: f'href="{url_for(endpoint)}"' for endpoint in MENU}
    for endpoint, link in links.items():
        opens = endpoint_scope(role, endpoint, app) is not None
        assert (link in menu) == opens, (role, endpoint)
