"""`flask notifications send-digest`: the daily digest, for cron or a systemd timer every 15
minutes (each user's arrives at the first run after their digest time, once a bank day).

Exit status: 0 when nothing failed, 1 when some e-mail failed (recorded; the next run tries
again), 2 on bad options.
"""

from datetime import date, datetime

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from aoapp.common.workdays import is_working_day
from aoapp.extensions import db
from aoapp.notifications.jobs import enqueue_due_digests
from aoapp.notifications.models import SendStatus
from aoapp.notifications.sending import SKIPPED, send_digest, send_due_digests

notifications_cli = AppGroup("notifications", help="The daily digest: e-mail and in-app.")


def _day(text: str | None) -> date:
    """The bank day asked for: YYYY-MM-DD or DD/MM/YYYY (default: today)."""
    if not text:
        return bank_today()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text.strip(), pattern).date()
            break
        except ValueError:
            continue
    else:
        raise click.BadParameter(_("use YYYY-MM-DD or DD/MM/YYYY"), param_hint="--date")
    if day > bank_today():
        raise click.BadParameter(_("a day still to come has no digest"), param_hint="--date")
    return day


@notifications_cli.command("send-digest")
@click.option("--date", "day_text", help="The bank day, YYYY-MM-DD or DD/MM/YYYY (default: today).")
@click.option("--user", "username", help="Only this user, whatever their digest time.")
@click.option(
    "--queue",
    is_flag=True,
    help="Enqueue one job per user due (rq worker notifications) instead of sending here.",
)
def send_digest_command(day_text: str | None, username: str | None, queue: bool) -> None:
    """Send the digests whose time has come and that no run has sent (safe to re-run)."""
    day = _day(day_text)
    if not is_working_day(day):
        click.echo(_("%(day)s is not a bank day: no digest.", day=format_date(day)), err=True)
        return
    if queue:
        count = enqueue_due_digests(day)
        click.echo(_("Enqueued %(count)s digest job(s).", count=count))
        return
    if username:
        user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None or not user.active:
            raise click.ClickException(_("No active user %(username)s.", username=repr(username)))
        outcomes = {send_digest(user, day): 1}
    else:
        outcomes = send_due_digests(day)
    click.echo(
        _(
            "Digests of %(day)s: %(sent)s e-mailed, %(in_app)s in the application only, "
            "%(empty)s empty (not sent), %(failed)s failed, %(skipped)s done by another run.",
            day=format_date(day),
            sent=outcomes.get(SendStatus.SENT, 0),
            in_app=outcomes.get(SendStatus.IN_APP, 0),
            empty=outcomes.get(SendStatus.SKIPPED_EMPTY, 0),
            failed=outcomes.get(SendStatus.FAILED, 0),
            skipped=outcomes.get(SKIPPED, 0),
        )
    )
    if outcomes.get(SendStatus.FAILED):
        raise SystemExit(1)


def register(app: Flask) -> None:
    """Add the notification commands to `flask`."""
    app.cli.add_command(notifications_cli)
