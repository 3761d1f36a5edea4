"""`flask renewals refresh`: renewal opportunities between listings (run it daily)."""

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from aoapp.renewals.pipeline import refresh as refresh_opportunities

renewals_cli = AppGroup("renewals", help="Renewal opportunities of maturing loans and depositos.")


@renewals_cli.command("refresh")
@click.option("--today", help="The bank day to count from, YYYY-MM-DD (default: today).")
def refresh(today: str | None) -> None:
    """Create the opportunities entering the window, move open ones to their customer's officer
    and settle what the newest listings answer; safe to re-run."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise click.BadParameter(_("use YYYY-MM-DD"), param_hint="--today") from None
    counts = refresh_opportunities(today=day)
    click.echo(
        _(
            "Renewals: %(loans)s maturing loan(s), %(extensions)s yearly extension(s), "
            "%(deposits)s deposito(s) added; %(settled)s settled by the listings.",
            loans=counts["loans"],
            extensions=counts["extensions"],
            deposits=counts["deposits"],
            settled=counts.get("loans_settled", 0) + counts.get("deposits_settled", 0),
        )
    )


def register(app: Flask) -> None:
    """Add the renewal commands to the app's CLI."""
    app.cli.add_command(renewals_cli)
