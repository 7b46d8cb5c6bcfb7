"""The `casework` command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from casework.auth.models import User
from casework.cli import cli
from tests.conftest import fetch_one, post_form

CASEWORK = str(Path(sys.executable).parent / "casework")


def invoke(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_casework_help_lists_every_command():
    result = subprocess.run([CASEWORK, "--help"], capture_output=True, text=True, check=True)
    for command in ("db", "users", "demo", "run", "routes", "shell"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command
    users = subprocess.run(
        [CASEWORK, "users", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("create", "list", "reset-password", "deactivate"):
        assert command in users.stdout


def test_users_create_generates_a_password_that_signs_in(app, runner, client):
    result = invoke(runner, "users", "create", "Ousmane", "--role", "admin", "--lang", "en")
    assert result.exit_code == 0, result.output
    password = re.search(r"Password: (\S+)", result.output).group(1)
    assert len(password) >= 12
    user = fetch_one(app, sa.select(User).where(User.username == "ousmane"))
    assert user.role == "admin" and user.preferred_language == "en"
    response = post_form(client, "/login", {"username": "ousmane", "password": password})
    # Whoever ran the command saw the password: the user must choose their own.
    assert response.headers["Location"] == "/account/password"


def test_users_create_reads_the_password_from_stdin(app, runner, client):
    result = invoke(
        runner,
        "users",
        "create",
        "mariam",
        "--role",
        "mediator",
        "--full-name",
        "Mariam Cissé",
        "--password-stdin",
        input="une phrase secrète à Gao\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password:" not in result.output
    response = post_form(
        client, "/login", {"username": "mariam", "password": "une phrase secrète à Gao"}
    )
    assert response.headers["Location"] == "/account/password"


def test_users_create_keeps_a_password_from_stdin_when_told_so(app, runner, client):
    result = invoke(
        runner,
        "users",
        "create",
        "mariam",
        "--role",
        "mediator",
        "--password-stdin",
        "--no-password-change",
        input="une phrase secrète à Gao\n",
    )
    assert result.exit_code == 0, result.output
    assert not fetch_one(app, sa.select(User).where(User.username == "mariam")).must_change_password
    response = post_form(
        client, "/login", {"username": "mariam", "password": "une phrase secrète à Gao"}
    )
    assert response.headers["Location"] == "/"


def test_no_password_change_needs_a_password_from_stdin(app, runner):
    result = runner.invoke(
        cli, ["users", "create", "mariam", "--role", "admin", "--no-password-change"]
    )
    assert result.exit_code != 0
    assert "--no-password-change needs --password-stdin" in result.output
    assert fetch_one(app, sa.select(User).where(User.username == "mariam")) is None


def test_users_create_refuses_bad_input_and_creates_nothing(app, runner):
    count = sa.select(sa.func.count(User.id))
    before = fetch_count(app, count)
    bad_role = runner.invoke(cli, ["users", "create", "someone", "--role", "king"])
    assert bad_role.exit_code != 0 and "king" in bad_role.output
    short = runner.invoke(
        cli, ["users", "create", "someone", "--role", "admin", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    invoke(runner, "users", "create", "twin", "--role", "admin")
    again = runner.invoke(cli, ["users", "create", "twin", "--role", "admin"])
    assert again.exit_code != 0 and "already taken" in again.output
    assert fetch_count(app, count) == before + 1


def fetch_count(app, statement) -> int:
    from casework.extensions import db

    with app.app_context():
        return db.session.scalar(statement)


def test_users_list_and_deactivate(app, runner, make_user):
    user = make_user("police", username="focal.gao")
    make_user("admin", username="root.admin")
    listing = invoke(runner, "users", "list")
    assert "focal.gao\tpolice\tactive" in listing.output
    result = invoke(runner, "users", "deactivate", "focal.gao")
    assert result.exit_code == 0
    assert not fetch_one(app, sa.select(User).where(User.id == user.id)).is_active
    missing = runner.invoke(cli, ["users", "deactivate", "nobody"])
    assert missing.exit_code != 0 and "No user named" in missing.output


def test_the_last_admin_cannot_be_deactivated_from_the_cli(app, runner, make_user):
    make_user("admin", username="only.admin")
    result = runner.invoke(cli, ["users", "deactivate", "only.admin"])
    assert result.exit_code != 0 and "last active administrator" in result.output


def test_users_reset_password(app, runner, client, make_user):
    user = make_user("mediator")
    result = invoke(runner, "users", "reset-password", user.username)
    temporary = re.search(r": (\S+)$", result.output.strip()).group(1)
    response = post_form(client, "/login", {"username": user.username, "password": temporary})
    assert response.headers["Location"] == "/account/password"


def test_demo_admin_prints_its_password_once(app, runner, client):
    first = invoke(runner, "demo", "admin")
    password = re.search(r"password: (\S+)", first.output).group(1)
    second = invoke(runner, "demo", "admin")
    assert password not in second.output and "created earlier" in second.output
    response = post_form(client, "/login", {"username": "demo", "password": password})
    assert response.status_code == 302
