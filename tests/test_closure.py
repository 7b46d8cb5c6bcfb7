"""Honest closure (issue 14), through the web forms: a mediator may not close a case as
resolved before its last follow-up visit without a coordinator's approval; requests are
approved or returned, in the timeline and the audit trail; visits are recorded whatever the
state; a breach leaves the choice to the mediator; a recurrence starts at the level of the
authority that made the broken agreement."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.closure_models import ClosureRequest
from casework.cases.models import Case, CaseEvent, FollowUp
from casework.core.dates import today
from casework.extensions import db
from tests.conftest import post_form, query
from tests.test_cases import FRENCH, Walker, case_id_from, iso

REASON = "Les parties sont réconciliées et ont tout réglé."


@pytest.fixture
def people(seeded, make_user):
    return {
        "mediator": make_user("mediator", username="mariam", area="GAO"),
        "coordinator": make_user("coordinator", username="coord", area="GAO"),
        "other": make_user("coordinator", username="coord2", area="GAO"),
        "far": make_user("coordinator", username="coordkdl", area="KDL"),
    }


@pytest.fixture
def sign_in(client, login):
    signed_in = []

    def switch(user):
        if signed_in:
            post_form(client, "/logout", {}, page="/")
        signed_in.append(user)
        response = login(user)
        assert response.status_code == 302

    return switch


def in_follow_up(app, client, lang="en", level_up=False) -> Walker:
    """A case with an agreement and its first (D+30) visit recorded as respected."""
    walk = Walker(app, client, lang)
    walk.register(not_a_duplicate="y")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    if level_up:  # the parties alone fail (0), the family and joking kin settle it (1)
        walk.session("failure", mechanism="AMIABLE")
        response = walk.post(f"/cases/{walk.case_id}/escalate", {"reason": ""})
        assert response.status_code == 302
        walk.session("agreement", mechanism="COUSINAGE_PLAISANTERIE")
    else:
        walk.session("agreement")
    walk.agreement()
    walk.follow_up("respected")
    assert walk.status() == "SUIVI"
    return walk


def events(app, case_id) -> list[tuple]:
    return [
        tuple(row)
        for row in query(
            app,
            sa.select(CaseEvent.kind, CaseEvent.reason)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.id),
        )
    ]


def request_closure(walk, reason=REASON, expect=302):
    response = walk.post(f"/cases/{walk.case_id}/closure/request", {"reason": reason})
    assert response.status_code == expect, response.get_data(as_text=True)[-2000:]
    return response


def pending_id(app, case_id) -> int:
    return query(
        app,
        sa.select(ClosureRequest.id).where(
            ClosureRequest.case_id == case_id, ClosureRequest.status == "pending"
        ),
    ).scalar_one()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This case cannot be closed as resolved yet"),
        ("fr", FRENCH["This case cannot be closed as resolved yet: %(why)s Request the closure "
                     "for a coordinator to approve."].split("\u00a0:")[0]),
    ],
)  # fmt: skip
def test_a_mediator_cannot_close_resolved_before_the_last_visit(
    app, client, people, sign_in, lang, message
):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client, lang)
    before = events(app, walk.case_id)
    response = walk.move("CLOTURE_RESOLU", expect=400)
    assert message in response.get_data(as_text=True)
    assert walk.status() == "SUIVI"
    assert events(app, walk.case_id) == before
    page = walk.page()
    assert f"/cases/{walk.case_id}/status/CLOTURE_RESOLU" not in page
    assert f"/cases/{walk.case_id}/closure/request" in page
    # The last planned visit respected and the agreement's term paid: nothing stops a direct
    # closure.
    walk.follow_up("respected")
    assert f"/cases/{walk.case_id}/status/CLOTURE_RESOLU" not in walk.page()  # the term
    walk.pay_terms()
    assert f"/cases/{walk.case_id}/status/CLOTURE_RESOLU" in walk.page()
    walk.move("CLOTURE_RESOLU")
    assert walk.status() == "CLOTURE_RESOLU"


def test_a_request_approved_closes_the_case_in_the_timeline_and_the_audit(
    app, client, people, sign_in
):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client)
    response = request_closure(walk, reason="ok", expect=400)  # one word is not a reason
    assert "needs a few words" in response.get_data(as_text=True)
    request_closure(walk)
    assert walk.status() == "SUIVI"
    request_id = pending_id(app, walk.case_id)
    assert "awaiting a coordinator" in walk.page()
    request_closure(walk, expect=400)  # one request at a time
    # Neither the mediator nor a coordinator of another region decides.
    assert client.get("/closures").status_code == 403
    decide = f"/cases/{walk.case_id}/closure/{request_id}"
    assert client.get(decide).status_code == 403
    sign_in(people["far"])
    listed = re.findall(r"/cases/(\d+)/closure/", client.get("/closures").get_data(as_text=True))
    assert str(walk.case_id) not in listed
    assert client.get(decide).status_code == 403

    sign_in(people["coordinator"])
    listing = client.get("/closures").get_data(as_text=True)
    assert decide in listing
    response = walk.post(decide, {"decision": "approved", "comment": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert walk.status() == "CLOTURE_RESOLU"
    kinds = [kind for kind, _reason in events(app, walk.case_id)]
    assert kinds[-3:] == ["closure_request", "closure_approved", "transition"]
    assert decide not in client.get("/closures").get_data(as_text=True)
    page = walk.page()
    assert "closure approved" in page and "closure requested" in page
    assert "clôture approuvée" in client.get(
        f"/cases/{walk.case_id}", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    audit = query(
        app,
        sa.select(AuditEntry.action, AuditEntry.username, AuditEntry.details)
        .where(AuditEntry.object_type == "closure_requests", AuditEntry.case_id == walk.case_id)
        .order_by(AuditEntry.seq),
    ).all()
    assert [(action, user) for action, user, _d in audit] == [
        ("create", "mariam"),
        ("change", "coord"),
    ]
    assert "approved" in str(audit[-1].details)
    # Approved twice: refused, nothing changes.
    assert walk.post(decide, {"decision": "approved"}).status_code == 400


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_request_returned_with_a_comment_keeps_the_case_open(app, client, people, sign_in, lang):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client, lang)
    request_closure(walk)
    decide = f"/cases/{walk.case_id}/closure/{pending_id(app, walk.case_id)}"
    sign_in(people["coordinator"])
    response = walk.post(decide, {"decision": "returned", "comment": ""})
    assert response.status_code == 400  # a return says why
    response = walk.post(decide, {"decision": "maybe", "comment": ""})
    assert response.status_code == 400
    comment = "Attendez la visite du troisième mois."
    response = walk.post(decide, {"decision": "returned", "comment": comment})
    assert response.status_code == 302
    assert walk.status() == "SUIVI"
    assert events(app, walk.case_id)[-1] == ("closure_returned", comment)
    page = walk.page()
    returned = "closure request returned" if lang == "en" else FRENCH["closure request returned"]
    assert returned in page and comment in page
    audit = query(
        app,
        sa.select(AuditEntry.action, AuditEntry.username).where(
            AuditEntry.object_type == "closure_requests", AuditEntry.action == "change"
        ),
    ).all()
    assert [tuple(row) for row in audit] == [("change", "coord")]
    # The mediator may ask again.
    sign_in(people["mediator"])
    request_closure(walk)


def test_nobody_approves_their_own_request(app, client, people, sign_in):
    sign_in(people["coordinator"])
    walk = in_follow_up(app, client)
    walk.move("CLOTURE_RESOLU", expect=400)  # a coordinator too, while a blocker stands
    request_closure(walk)
    decide = f"/cases/{walk.case_id}/closure/{pending_id(app, walk.case_id)}"
    response = walk.post(decide, {"decision": "approved"})
    assert response.status_code == 400
    assert "Another coordinator or an administrator" in response.get_data(as_text=True)
    assert walk.status() == "SUIVI"
    sign_in(people["other"])
    assert walk.post(decide, {"decision": "approved"}).status_code == 302
    assert walk.status() == "CLOTURE_RESOLU"


def test_visits_are_recorded_after_closure_and_on_a_suspended_case(app, client, people, sign_in):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client)
    walk.move("SUSPENDU", reason="Insécurité sur la route.")
    assert "record the visit" in walk.page()
    walk.follow_up("partial")  # the D+90 visit, on a suspended case
    assert walk.status() == "SUSPENDU"

    other = in_follow_up(app, client)
    request_closure(other)
    sign_in(people["coordinator"])
    other.post(f"/cases/{other.case_id}/closure/{pending_id(app, other.case_id)}",
               {"decision": "approved"})  # fmt: skip
    assert other.status() == "CLOTURE_RESOLU"
    page = other.page()
    assert "record the visit" in page and "not made" not in page  # still planned
    other.follow_up("respected")
    assert other.status() == "CLOTURE_RESOLU"
    done = query(
        app,
        sa.select(sa.func.count()).where(
            FollowUp.case_id == other.case_id, FollowUp.done_on.is_not(None)
        ),
    ).scalar_one()
    assert done == 2


def test_a_breach_can_be_renegotiated_within_the_case(app, client, people, sign_in):
    sign_in(people["mediator"])
    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    walk.move("EN_MEDIATION", expect=400)  # no breach: no going back
    response = walk.follow_up("not_respected")
    assert response.headers["Location"].endswith(f"/cases/{walk.case_id}/breach")
    assert walk.status() == "SUIVI"
    assert "Act on the breach" in walk.page()
    bad = walk.post(f"/cases/{walk.case_id}/breach", {"choice": "", "reason": REASON})
    assert bad.status_code == 400 and walk.status() == "SUIVI"
    response = walk.post(
        f"/cases/{walk.case_id}/breach", {"choice": "renegotiate", "reason": REASON}
    )
    assert response.status_code == 302
    assert walk.status() == "EN_MEDIATION"
    count = query(
        app, sa.select(sa.func.count()).where(Case.recurrence_of_id == walk.case_id)
    ).scalar_one()
    assert count == 0
    walk.session("agreement")  # a new agreement, with its own visits
    walk.agreement()
    assert walk.status() == "ACCORD"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_recurrence_starts_at_the_level_of_the_agreement(app, client, people, sign_in, lang):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client, lang, level_up=True)
    assert walk.level() == 1
    original = walk.case_id
    response = walk.post(f"/cases/{original}/recurrence", {"opened_on": iso(today())})
    assert response.status_code == 400  # the case is still open
    walk.move("CLOTURE_NON_RESOLU", reason="Les parties ne viennent plus.")
    page = walk.page()
    assert f"/cases/{original}/recurrence" in page
    response = walk.post(
        f"/cases/{original}/recurrence", {"opened_on": iso(today()), "reason": "Le champ envahi."}
    )
    recurrence = case_id_from(response)
    assert recurrence != original
    row = query(
        app, sa.select(Case.ladder_level, Case.recurrence_of_id).where(Case.id == recurrence)
    ).one()
    assert tuple(row) == (1, original)
    assert ("linked", None) in events(app, original)
    assert ("recurrence", "Le champ envahi.") in events(app, recurrence)
    page = client.get(f"/cases/{recurrence}", headers={"Accept-Language": lang}).get_data(
        as_text=True
    )
    earlier = "The earlier agreement" if lang == "en" else "accord précédent"
    assert earlier in page
    assert "Verser 50 000 FCFA" in page  # the earlier agreement's term
    made_at = "Made at level 1" if lang == "en" else "niveau 1"
    assert made_at in page
    # One open recurrence at a time.
    again = walk.post(f"/cases/{original}/recurrence", {"opened_on": iso(today())})
    assert again.status_code == 400


def test_a_recurrence_of_a_dropped_case_starts_at_its_level(app, client, people, sign_in):
    sign_in(people["mediator"])
    walk = Walker(app, client, "en")
    walk.register()
    walk.move("CLASSE", reason="Plainte retirée par la famille.")
    response = walk.post(f"/cases/{walk.case_id}/recurrence", {"opened_on": "not a date"})
    assert response.status_code == 400
    response = walk.post(f"/cases/{walk.case_id}/recurrence", {"opened_on": iso(today())})
    recurrence = case_id_from(response)
    level = query(app, sa.select(Case.ladder_level).where(Case.id == recurrence)).scalar_one()
    assert level == 0


def test_a_case_with_a_closure_request_is_purged_whole(app, client, people, sign_in, make_user):
    sign_in(people["mediator"])
    walk = in_follow_up(app, client)
    request_closure(walk)
    admin_id = make_user("admin").id
    with app.app_context():
        admin = db.session.get(User, admin_id)
        case = db.session.get(Case, walk.case_id)
        services.archive_case(case, "Doublon saisi par erreur", admin)
        result = services.purge_case(
            case, "Doublon saisi par erreur", admin, confirmation=case.reference.lower()
        )
        assert result.counts["closure_requests"] == 1
        db.session.rollback()
