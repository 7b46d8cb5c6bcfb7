"""The password policy: length, common passwords, and the username."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casework.auth import services as accounts
from casework.auth.models import User
from casework.auth.passwords import common_passwords, is_common
from casework.cli import cli
from tests.conftest import PASSWORD, post_form, query


def test_the_list_is_large_and_loaded_once():
    words = common_passwords()
    assert len(words) >= 10_000
    assert common_passwords() is words
    assert {"password", "123456", "azerty", "motdepasse", "bamako"} <= words


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "PASSWORD",
        "  Password  ",
        "password1234!",
        "2024password!!",
        "Azertyuiop12",
        "Bamako2025!!",
        "Motdepasse 123",
        "dragondragondragon",
        "aaaaaaaaaaaa",
        "121212121212",
        "123456789012",
        "!!!???!!!???",
    ],
)
def test_common_passwords_are_recognised(password):
    assert is_common(password)


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "my cat eats fish at noon", "xK3pQ9mZ7vR2", "Gao river 2024, sunrise"],
)
def test_uncommon_passwords_pass(password):
    assert not is_common(password)


def test_a_common_password_is_refused_on_create(app):
    with app.app_context(), pytest.raises(accounts.AccountError, match="too common"):
        accounts.create_user(
            username="amadou", full_name="Amadou", role="mediator", password="password1234"
        )


def test_a_password_containing_the_username_is_refused_on_create(app):
    with app.app_context(), pytest.raises(accounts.AccountError, match="contain the username"):
        accounts.create_user(
            username="amadou", full_name="Amadou", role="mediator", password="Amadou is my name"
        )


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("oumar.cisse", "oumarcisse-long-2026", "contain the username"),
        ("oumar.cisse", "Oumar_Cisse 2026 rocks", "contain the username"),
        ("oumar.cisse", "OUMAR-CISSE!! at home", "contain the username"),
        ("oumar.cisse", "le champ de Cissé à Gao", "part of the username (cisse)"),
        ("oumar.cisse", "oumar planted millet", "part of the username (oumar)"),
        ("a-dicko_1977", "my dicko was born 1977", "part of the username (dicko)"),
    ],
)
def test_a_password_containing_the_username_without_punctuation_is_refused(
    app, username, password, message
):
    with app.app_context(), pytest.raises(accounts.AccountError, match=re.escape(message)):
        accounts.create_user(
            username=username, full_name="Someone", role="mediator", password=password
        )


@pytest.mark.parametrize(
    ("username", "password"),
    [
        # Parts shorter than four characters are too common a sequence to refuse.
        ("amy.ba", "Amy likes tea a lot"),
        ("oumar.cisse", "the river at Gao, 2026"),
    ],
)
def test_short_name_parts_are_allowed(app, username, password):
    with app.app_context():
        accounts.check_password(password, username)


def test_the_username_part_error_is_translated(app, client, make_user, login):
    user = make_user("mediator", username="oumar.cisse", lang="fr")
    login(user)
    new = "la maison de Cissé, 2026"
    response = post_form(
        client,
        "/account/password",
        {"current_password": user.password, "new_password": new, "confirm_password": new},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 400
    assert "ne doit pas contenir une partie de l&#39;identifiant (cisse)" in response.get_data(
        as_text=True
    )


def test_the_command_line_refuses_a_common_password(app, runner):
    result = runner.invoke(
        cli,
        ["users", "create", "someone", "--role", "admin", "--password-stdin"],
        input="qwertyuiop123\n",
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert (
        query(app, sa.select(sa.func.count(User.id)).where(User.username == "someone")).scalar()
        == 0
    )


def test_generated_passwords_never_contain_the_username(app):
    with app.app_context():
        for _ in range(200):
            password = accounts.generate_password(avoid="abc")
            assert "abc" not in password.lower()
            accounts.check_password(password, "abc")
            password = accounts.generate_password(length=12, avoid="ab.cd.efgh")
            assert "efgh" not in password.lower()
            accounts.check_password(password, "ab.cd.efgh")


def test_the_admin_create_form_still_works(app, client, admin):
    response = post_form(
        client,
        "/admin/users/new",
        {"username": "newbie", "full_name": "New Bie", "role": "mediator"},
    )
    assert response.status_code == 200
    assert query(app, sa.select(User.id).where(User.username == "newbie")).scalar() is not None


@pytest.mark.parametrize(
    ("lang", "new", "message"),
    [
        ("en", "Password2024!", "This password is too common"),
        ("fr", "Password2024!", "Ce mot de passe est trop courant"),
        ("en", "I am {username} ok", "The password must not contain the username."),
        ("fr", "I am {username} ok", "Le mot de passe ne doit pas contenir"),
    ],
)
def test_change_password_refuses_weak_passwords(app, client, make_user, login, lang, new, message):
    user = make_user("mediator", lang=lang)
    login(user)
    new = new.format(username=user.username.upper())
    response = post_form(
        client,
        "/account/password",
        {"current_password": user.password, "new_password": new, "confirm_password": new},
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():  # nothing changed
        unchanged = accounts.get_user_by_username(user.username)
        assert accounts.verify_password(unchanged, user.password)
