"""`flask followups ...`: daily suggestions of collection follow-ups."""

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from aoapp.followups.suggestions import (
    latest_listing_date,
    suggest_after_import,
    suggest_for_broken_promises,
)

followups_cli = AppGroup("followups", help="Follow-ups: suggested collection follow-ups.")


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from None


@followups_cli.command("suggest")
@click.option("--today", help="The bank day to plan from, YYYY-MM-DD (default: today).")
def suggest(today: str | None) -> None:
    """Suggest collection follow-ups: broken promises and the newest listing (safe to re-run)."""
    day = _parse_day(today)
    as_of = latest_listing_date()
    if as_of is None:
        broken = suggest_for_broken_promises(today=day)
        click.echo(f"No listing imported yet. Broken promises: {broken} call(s) suggested.")
        return
    counts = suggest_after_import(as_of, today=day)
    click.echo(
        f"Listing of {as_of.isoformat()}: {counts['created']} follow-up(s) suggested "
        f"(DPD 1-30: {counts['dpd_1_30']} call(s); DPD 31-90: {counts['dpd_31_90']} visit(s); "
        f"DPD > 90: {counts['dpd_over_90']} visit(s), escalated to the supervisor); "
        f"{counts['skipped_no_officer']} skipped (no active officer)."
    )
    click.echo(f"Broken promises: {counts['broken_ptp']} call(s) suggested.")


def register(app: Flask) -> None:
    """Add the follow-up commands to the app's CLI."""
    app.cli.add_command(followups_cli)
