"""The registry of mediators and authorities, and its use in sessions."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.models import Actor, MediationSession
from tests.conftest import fetch_one, post_form, query, unit_id
from tests.test_cases import Walker, intake


def actor_form(app, **overrides) -> dict:
    data = {
        "name": "Cadi Alhousseini Touré",
        "actor_type": "CADI",
        "function": "cadi de Gao",
        "organisation": "",
        "sex": "M",
        "unit_id": str(unit_id(app, "GAO-GAO-GAO")),
        "trained": "y",
    }
    data.update(overrides)
    return data


def test_add_edit_deactivate_an_actor_and_choose_them_for_a_session(
    app, client, seeded, make_user, login
):
    login(make_user("mediator", area="GAO", lang="en"))
    response = post_form(client, "/actors/new", actor_form(app))
    assert response.status_code == 302
    actor = fetch_one(app, sa.select(Actor).where(Actor.name == "Cadi Alhousseini Touré"))
    assert (
        actor.trained
        and actor.actor_type == "CADI"
        and actor.name_search == "cadi alhousseini toure"
    )
    listing = client.get("/actors").get_data(as_text=True)
    assert "Cadi Alhousseini Touré" in listing and "cadi" in listing

    edited = post_form(
        client,
        f"/actors/{actor.id}/edit",
        actor_form(app, name="Alhousseini Touré", actor_type="IMAM"),
    )
    assert edited.status_code == 302
    assert fetch_one(app, sa.select(Actor).where(Actor.id == actor.id)).actor_type == "IMAM"

    walk = Walker(app, client, "en")
    walk.register()
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    form = client.get(f"/cases/{walk.case_id}/sessions/new").get_data(as_text=True)
    assert "Alhousseini Touré" in form
    walk.session("continue", actor_ids=str(actor.id))
    with app.app_context():
        from casework.extensions import db

        session = db.session.scalars(sa.select(MediationSession)).one()
        assert [a.id for a in session.actors] == [actor.id]

    post_form(client, f"/actors/{actor.id}/deactivate", page="/actors")
    assert not fetch_one(app, sa.select(Actor).where(Actor.id == actor.id)).is_active
    form = client.get(f"/cases/{walk.case_id}/sessions/new").get_data(as_text=True)
    assert "Alhousseini Touré" not in form
    # It stays on the session it attended.
    assert "Alhousseini Touré" in client.get(f"/cases/{walk.case_id}").get_data(as_text=True)


def test_bad_actor_input_changes_nothing(app, client, seeded, make_user, login):
    login(make_user("mediator", area="GAO", lang="en"))
    for overrides, message in [
        ({"name": ""}, "This field is required."),
        ({"actor_type": "SORCIER"}, "Choose one of the values in the list."),
        ({"name": "n" * 5000}, "At most 160 characters."),
        (
            {"unit_id": str(unit_id(app, "KDL-KIDAL-KIDAL"))},
            "Choose one of the values in the list.",
        ),
    ]:
        response = post_form(client, "/actors/new", actor_form(app, **overrides))
        assert response.status_code == 400, overrides
        assert message in response.get_data(as_text=True), overrides
    assert query(app, sa.select(sa.func.count(Actor.id))).scalar() == 0


def test_an_admin_sets_a_users_area_which_scopes_their_cases(
    app, client, seeded, make_user, login, admin
):
    mediator = make_user("mediator", lang="en")
    response = post_form(
        client,
        f"/admin/users/{mediator.id}/edit",
        {
            "full_name": "Mariam",
            "role": "mediator",
            "preferred_language": "en",
            "area_id": str(unit_id(app, "MNK")),
        },
    )
    assert response.status_code == 302
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": mediator.username, "password": mediator.password})
    walk = Walker(app, theirs, "en")
    assert walk.post("/cases/new", intake(app, "MNK-MENAKA-MENAKA")).status_code == 302
    refused = walk.post("/cases/new", intake(app, "GAO-GAO-GAO"))
    assert refused.status_code == 400
