"""`flask followups ...`: daily suggestions of collection and retention follow-ups."""

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from aoapp.followups.retention import suggest_retention
from aoapp.followups.suggestions import (
    latest_listing_date,
    suggest_after_import,
    suggest_for_broken_promises,
)

followups_cli = AppGroup(
    "followups", help="Follow-ups: suggested collection and retention follow-ups."
)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("use YYYY-MM-DD"), param_hint="--today") from None


@followups_cli.command("suggest")
@click.option("--today", help="The bank day to plan from, YYYY-MM-DD (default: today).")
def suggest(today: str | None) -> None:
    """Suggest collection follow-ups (broken promises, the newest loan listing) and retention
    calls (maturing depositos, the newest deposits listing's withdrawals); safe to re-run."""
    day = _parse_day(today)
    _suggest_collection(day)
    _echo_retention(suggest_retention(today=day))


def _echo_retention(counts: dict) -> None:
    click.echo(
        _(
            "Retention: %(maturing)s call(s) for non-ARO depositos maturing soon, %(withdrawals)s "
            "for large withdrawals; %(skipped)s skipped (no active officer).",
            maturing=counts["maturing"],
            withdrawals=counts["withdrawals"],
            skipped=counts["skipped_no_officer"],
        )
    )


def _suggest_collection(day: date | None) -> None:
    as_of = latest_listing_date()
    if as_of is None:
        broken = suggest_for_broken_promises(today=day)
        click.echo(
            _(
                "No listing imported yet. Broken promises: %(broken)s call(s) suggested.",
                broken=broken,
            )
        )
        return
    counts = suggest_after_import(as_of, today=day)
    click.echo(
        _(
            "Listing of %(day)s: %(created)s follow-up(s) suggested (DPD 1-30: %(calls)s "
            "call(s); DPD 31-90: %(visits)s visit(s); DPD > 90: %(escalated)s visit(s), "
            "escalated to the supervisor); %(skipped)s skipped (no active officer).",
            day=as_of.isoformat(),
            created=counts["created"],
            calls=counts["dpd_1_30"],
            visits=counts["dpd_31_90"],
            escalated=counts["dpd_over_90"],
            skipped=counts["skipped_no_officer"],
        )
    )
    click.echo(_("Broken promises: %(broken)s call(s) suggested.", broken=counts["broken_ptp"]))


def register(app: Flask) -> None:
    """Add the follow-up commands to the app's CLI."""
    app.cli.add_command(followups_cli)
