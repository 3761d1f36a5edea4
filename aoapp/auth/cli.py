"""Provisioning commands (scriptable from HR systems): branches, users and API tokens."""

import os

import click
import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _

from aoapp.auth import branches, services, tokens
from aoapp.auth.models import Role, User
from aoapp.errors import DomainError
from aoapp.extensions import db


def _fail(error: DomainError) -> None:
    """Print a domain error in plain words on stderr and exit non-zero (nothing was saved)."""
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.errors.items())
    raise click.ClickException(f"{error.message} {details}".strip())


def _split_codes(values: tuple[str, ...]) -> list[str]:
    """Accept `--supervises A --supervises B` and `--supervises A,B`."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


@click.command("create-branch")
@click.argument("code")
@click.argument("name")
@click.option("--timezone", help="Local time zone, e.g. Asia/Makassar (default: BANK_TIMEZONE).")
def create_branch(code: str, name: str, timezone: str | None) -> None:
    """Create a branch CODE with NAME."""
    try:
        branch = branches.create_branch(code, name, timezone=timezone)
    except DomainError as error:
        _fail(error)
    click.echo(
        _("Created branch %(code)s (%(name)s).", code=branch.code, name=branch.name), err=True
    )


@click.command("set-branch-timezone")
@click.argument("code")
@click.argument("timezone", required=False)
def set_branch_timezone(code: str, timezone: str | None) -> None:
    """Set branch CODE's local time zone (Asia/Jakarta WIB, Asia/Makassar WITA, Asia/Jayapura
    WIT); without TIMEZONE the branch follows BANK_TIMEZONE."""
    try:
        branch = branches.set_branch_timezone(code, timezone)
    except DomainError as error:
        _fail(error)
    if branch.timezone:
        message = _("Branch %(code)s: time zone %(zone)s.", code=branch.code, zone=branch.timezone)
    else:
        message = _("Branch %(code)s follows the bank's time zone.", code=branch.code)
    click.echo(message, err=True)


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--branch", "branch_code", help="Branch code (required for officers).")
@click.option("--officer-code", help="Core banking AO code (required for officers).")
@click.option("--supervises", multiple=True, help="Branch code(s) a supervisor supervises.")
@click.option("--full-name", default="", help="Full name shown in the application.")
@click.option("--email", help="E-mail address the daily digest is sent to.")
def create_user(username, role, branch_code, officer_code, supervises, full_name, email) -> None:
    """Create a user; the password comes from AOAPP_PASSWORD or is prompted twice."""
    password = os.environ.get("AOAPP_PASSWORD")
    if password is None:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(
            username,
            password,
            role,
            full_name=full_name,
            branch_code=branch_code,
            officer_code=officer_code,
            supervises=_split_codes(supervises),
            email=email,
        )
    except DomainError as error:
        _fail(error)
    click.echo(
        _("Created %(role)s %(username)s.", role=user.role, username=user.username), err=True
    )


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="cli", help="Label to recognise the token later.")
def create_token(username: str, name: str) -> None:
    """Create an API token for USERNAME and print only the token."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(_("No user %(username)s.", username=repr(username)))
    if not user.active:
        raise click.ClickException(_("User %(username)s is deactivated.", username=repr(username)))
    try:
        _token, plain = tokens.create_token(user, name)
    except DomainError as error:
        _fail(error)
    click.echo(plain)


def register(app: Flask) -> None:
    """Add the provisioning commands to `flask`."""
    for command in (create_branch, set_branch_timezone, create_user, create_token):
        app.cli.add_command(command)
