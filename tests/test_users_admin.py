"""Administrators create, edit, deactivate and reactivate users and reset passwords."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from tests.conftest import PASSWORD, fetch_one, post_form, query


def user_row(app, username: str) -> User | None:
    return fetch_one(app, sa.select(User).where(User.username == username))


def temporary_password(html: str) -> str:
    match = re.search(r'class="secret"><code>([^<]+)</code>', html)
    assert match, "no temporary password on the page"
    return match.group(1)


def test_admin_creates_a_user_who_must_change_the_temporary_password(app, client, admin):
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "Aminata.T",
            "full_name": "Aminata Touré",
            "role": "coordinator",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 200
    password = temporary_password(response.get_data(as_text=True))
    user = user_row(app, "aminata.t")  # usernames are stored in lower case
    assert user.role == "coordinator" and user.must_change_password
    assert user.full_name == "Aminata Touré" and user.preferred_language == "fr"

    other = app.test_client()
    response = post_form(other, "/login", {"username": "aminata.t", "password": password})
    assert response.headers["Location"] == "/account/password"
    # Nothing else is reachable until the password is changed.
    assert other.get("/").headers["Location"] == "/account/password"
    new = "Tombouctou est loin"
    post_form(
        other,
        "/account/password",
        {"current_password": password, "new_password": new, "confirm_password": new},
    )
    assert other.get("/").status_code == 200
    assert not user_row(app, "aminata.t").must_change_password


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "x" * 65, "full_name": "Long", "role": "mediator"}, "Entre 3 et 64"),
        ({"username": "bad name!", "full_name": "Bad", "role": "mediator"}, "lettres minuscules"),
        ({"username": "okname", "full_name": "N" * 121, "role": "mediator"}, "Au plus 120"),
        (
            {"username": "okname", "full_name": "Role", "role": "superuser"},
            "Choisissez une des valeurs de la liste",
        ),
        ({"username": "okname", "full_name": "", "role": "mediator"}, "Ce champ est obligatoire"),
        ({"username": "admin", "full_name": "Twin", "role": "mediator"}, "déjà pris"),
        (
            {
                "username": "okname",
                "full_name": "Lang",
                "role": "mediator",
                "preferred_language": "xx-evil",
            },
            "Choisissez une des valeurs de la liste",
        ),
    ],
)
def test_bad_input_gets_a_translated_error_and_changes_nothing(app, client, admin, data, message):
    before = query(app, sa.select(sa.func.count(User.id))).scalar_one()
    response = post_form(client, "/admin/users/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert query(app, sa.select(sa.func.count(User.id))).scalar_one() == before


def test_admin_edits_a_user(app, client, admin, make_user):
    user = make_user("mediator")
    response = post_form(
        client,
        f"/admin/users/{user.id}/edit",
        {"full_name": "Moussa Maïga", "role": "coordinator", "preferred_language": "en"},
    )
    assert response.status_code == 302
    row = user_row(app, user.username)
    assert (row.full_name, row.role, row.preferred_language) == (
        "Moussa Maïga",
        "coordinator",
        "en",
    )


def test_an_unknown_role_on_edit_changes_nothing(app, client, admin, make_user):
    user = make_user("mediator")
    response = post_form(
        client,
        f"/admin/users/{user.id}/edit",
        {"full_name": "Changed", "role": "root", "preferred_language": ""},
    )
    assert response.status_code == 400
    row = user_row(app, user.username)
    assert (row.full_name, row.role) == (f"Mediator {user.username}", "mediator")


def test_a_role_change_signs_the_user_out(app, client, admin, make_user, login):
    user = make_user("mediator")
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": user.username, "password": user.password})
    assert theirs.get("/").status_code == 200
    post_form(
        client,
        f"/admin/users/{user.id}/edit",
        {"full_name": "Same", "role": "analyst", "preferred_language": ""},
    )
    assert theirs.get("/").status_code == 302


def test_deactivation_ends_sessions_and_blocks_sign_in(app, client, admin, make_user):
    user = make_user("mediator")
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": user.username, "password": user.password})
    assert theirs.get("/").status_code == 200

    response = post_form(client, f"/admin/users/{user.id}/deactivate", page="/admin/users")
    assert response.status_code == 302
    assert not user_row(app, user.username).is_active
    assert theirs.get("/").status_code == 302
    response = post_form(theirs, "/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 401

    post_form(client, f"/admin/users/{user.id}/activate", page="/admin/users")
    response = post_form(theirs, "/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_an_admin_cannot_deactivate_themself(app, client, admin):
    response = post_form(
        client, f"/admin/users/{admin.id}/deactivate", page="/admin/users", follow_redirects=True
    )
    assert "Vous ne pouvez pas désactiver votre propre compte" in response.get_data(as_text=True)
    assert user_row(app, "admin").is_active


def test_the_last_admin_keeps_the_admin_role(app, client, admin):
    response = post_form(
        client,
        f"/admin/users/{admin.id}/edit",
        {"full_name": "Admin", "role": "mediator", "preferred_language": ""},
    )
    assert response.status_code == 400
    assert "dernier administrateur actif" in response.get_data(as_text=True)
    assert user_row(app, "admin").role == "admin"


def test_password_reset_forces_a_change_and_ends_sessions(app, client, admin, make_user):
    user = make_user("mediator")
    theirs = app.test_client()
    post_form(theirs, "/login", {"username": user.username, "password": user.password})
    response = post_form(client, f"/admin/users/{user.id}/reset-password", page="/admin/users")
    assert response.status_code == 200
    temporary = temporary_password(response.get_data(as_text=True))
    assert theirs.get("/").status_code == 302  # signed out
    assert (
        post_form(theirs, "/login", {"username": user.username, "password": PASSWORD}).status_code
        == 401
    )
    response = post_form(theirs, "/login", {"username": user.username, "password": temporary})
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize("role", ["coordinator", "mediator", "police", "analyst"])
def test_only_admins_reach_user_administration(client, make_user, login, role):
    target = make_user("mediator")
    login(make_user(role))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    assert client.get(f"/admin/users/{target.id}/edit").status_code == 403
    response = post_form(client, f"/admin/users/{target.id}/deactivate", page="/")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_an_unknown_user_is_404(client, admin):
    response = client.get("/admin/users/987654/edit")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_the_user_list_shows_roles_in_the_interface_language(client, admin, make_user):
    make_user("police", username="fatou")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Point focal de la police de proximité" in html
    post_form(client, "/language", {"lang": "en", "next": "/admin/users"}, page="/admin/users")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Community-police focal point" in html
