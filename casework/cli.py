"""The `casework` command: every Flask command plus our own, bound to the app factory."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate.cli import db as migrations_group

from casework import create_app, revision_lock
from casework.audit.cli import audit
from casework.auth import services as accounts
from casework.auth import two_factor
from casework.auth.models import User
from casework.cases.cli import fractions
from casework.demo import seed_command
from casework.extensions import db
from casework.generate import generate_command
from casework.geo.cli import geo
from casework.integrations.cli import COMMANDS as INTEGRATION_COMMANDS
from casework.maintenance.cli import COMMANDS as MAINTENANCE_COMMANDS
from casework.permissions import permissions_markdown
from casework.reports.cli import report
from casework.reports.export_cli import export
from casework.roles import Role
from casework.vocab.cli import vocab

DEMO_USERNAME = "demo"


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli():
    """Casework: community mediation cases and community-police activities."""


def _fail(error: Exception) -> None:
    db.session.rollback()
    raise click.ClickException(str(error))


cli.add_command(audit)
cli.add_command(geo)
cli.add_command(vocab)
cli.add_command(fractions)
cli.add_command(report)
cli.add_command(export)
for _command in (*MAINTENANCE_COMMANDS, *INTEGRATION_COMMANDS):
    cli.add_command(_command)


@migrations_group.command("lock-revisions")
def lock_revisions_command():
    """Record new revision files in migrations/revisions.lock (never changes a recorded one)."""
    try:
        added = revision_lock.record()
    except revision_lock.LockError as error:
        raise click.ClickException(str(error)) from error
    for name in added:
        click.echo(f"Recorded {name}")
    if not added:
        click.echo("Nothing new: every revision file is recorded.")


@cli.command("permissions")
def permissions_command():
    """Print the permission matrix as Markdown (docs/permissions.md)."""
    click.echo(permissions_markdown(), nl=False)


@cli.group()
def users():
    """Create and manage user accounts."""


@users.command("create")
@click.argument("username")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The user's role."
)
@click.option("--full-name", help="Full name (defaults to the username).")
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Preferred language.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of generating one.",
)
@click.option(
    "--no-password-change",
    is_flag=True,
    help="With --password-stdin: the user keeps this password (by default they must change "
    "it at first sign-in).",
)
@with_appcontext
def create_user_command(username, role, full_name, lang, password_stdin, no_password_change):
    """Create a user, who must choose their own password at first sign-in (whoever runs this
    command saw the first one). Without --password-stdin a random password is generated and
    printed."""
    if no_password_change and not password_stdin:
        raise click.UsageError(
            "--no-password-change needs --password-stdin: a printed password must be changed."
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = accounts.generate_password(avoid=username)
    try:
        user = accounts.create_user(
            username=username,
            full_name=full_name or username,
            role=role,
            password=password,
            preferred_language=lang,
            must_change_password=not no_password_change,
        )
    except accounts.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}).")
    if not no_password_change:
        click.echo("The password must be changed at first sign-in.")
    if not password_stdin:
        click.echo(f"Password: {password}")


@users.command("list")
@with_appcontext
def list_users_command():
    """List user accounts."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        state = "active" if user.is_active else "inactive"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
        click.echo(f"{user.username}\t{user.role}\t{state}\t{last}\t{user.full_name}")


def _user_or_fail(username: str) -> User:
    user = accounts.get_user_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


@users.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password_command(username):
    """Give a user a new temporary password, to be changed at next sign-in."""
    user = _user_or_fail(username)
    password = accounts.reset_password(user)
    db.session.commit()
    click.echo(f"Temporary password for {user.username}: {password}")


@users.command("reset-two-factor")
@click.argument("username")
@with_appcontext
def reset_two_factor_command(username):
    """Switch off a user's two-factor sign-in (a lost phone); they set it up again."""
    user = _user_or_fail(username)
    two_factor.reset(user)
    db.session.commit()
    click.echo(f"Two-factor sign-in of {user.username} reset.")


@users.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate_command(username):
    """Stop a user from signing in (the account and its history are kept)."""
    user = _user_or_fail(username)
    try:
        accounts.set_active(user, False, by=None)
    except accounts.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Deactivated {user.username}.")


@cli.group()
def demo():
    """Demonstration data and logins."""


demo.add_command(seed_command)
demo.add_command(generate_command)


@demo.command("admin")
@with_appcontext
def demo_admin_command():
    """Create the demo administrator on first start and print its password once."""
    if accounts.get_user_by_username(DEMO_USERNAME) is not None:
        click.echo(
            f"Demo sign-in: user '{DEMO_USERNAME}' (created earlier; its password was printed "
            f"then). Forgotten? Run: casework users reset-password {DEMO_USERNAME}"
        )
        return
    password = accounts.generate_password(avoid=DEMO_USERNAME)
    accounts.create_user(
        username=DEMO_USERNAME,
        full_name="Demo Administrator",
        role=Role.ADMIN.value,
        password=password,
    )
    db.session.commit()
    line = "=" * 64
    click.echo(f"{line}\nDemo sign-in (printed once, keep it):\n")
    click.echo(f"    username: {DEMO_USERNAME}\n    password: {password}\n{line}")
