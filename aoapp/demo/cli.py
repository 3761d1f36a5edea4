"""`flask seed-demo`: load the demo bank; running it again changes nothing."""

import os

import click
from flask import Flask, current_app
from flask_babel import gettext as _

from aoapp.demo import data
from aoapp.demo.seed import Seeder
from aoapp.errors import DomainError
from aoapp.extensions import db


@click.command("seed-demo")
@click.option(
    "--allow-production", is_flag=True, help="Load demo data even when AOAPP_ENV=production."
)
def seed_demo(allow_production: bool) -> None:
    """Create the demo branches, users, products, customers and prospects that are missing."""
    if current_app.config.get("PRODUCTION") and not allow_production:
        raise click.ClickException(
            _(
                "Refusing to load demo data into a production database (AOAPP_ENV=production). "
                "Pass --allow-production if you really mean it."
            )
        )
    password = os.environ.get("DEMO_PASSWORD") or data.DEFAULT_PASSWORD
    seeder = Seeder(password)
    try:
        seeder.run()
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{field}: {' '.join(m)}" for field, m in error.errors.items())
        raise click.ClickException(
            _("Demo data not loaded: %(reason)s", reason=f"{error.message} {details}".strip())
        ) from None
    logins = ", ".join(user["username"] for user in data.USERS)
    source = "DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else f"{data.DEFAULT_PASSWORD!r}"
    click.echo(_("Demo data ready:") + "\n" + seeder.summary(), err=True)
    click.echo(
        _("Logins: %(logins)s (password: %(source)s).", logins=logins, source=source), err=True
    )


def register(app: Flask) -> None:
    """Add the demo-data command."""
    app.cli.add_command(seed_demo)
