"""Dates that cannot be right: a plan years ahead (a mistyped year) is refused in plain words."""

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from marshmallow import ValidationError

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date


def horizon_days() -> int:
    """How far ahead a follow-up or a next visit may be planned (FOLLOWUP_HORIZON_DAYS)."""
    return int(current_app.config.get("FOLLOWUP_HORIZON_DAYS", 366))


def horizon_end(today: date) -> date:
    """The last day a plan made today may name."""
    return today + timedelta(days=horizon_days())


def beyond_horizon(day: date, today: date) -> str | None:
    """Why a planned day is too far ahead to be meant, or None when it is within the horizon."""
    last = horizon_end(today)
    if day <= last:
        return None
    return _(
        "Plans reach at most %(days)s days ahead, to %(day)s; check the year.",
        days=horizon_days(),
        day=format_date(last),
    )


def within_horizon(value: date | None) -> None:
    """A schema validator: a planned day no further ahead than the horizon (from the bank's today)."""
    if value is not None and (reason := beyond_horizon(value, bank_today())):
        raise ValidationError(reason)


def not_in_future(value) -> None:
    """A schema validator: business dates that already happened cannot lie after today."""
    if value is not None and value > bank_today():
        raise ValidationError(_("This date cannot be in the future."))


def backdate_days() -> int:
    """How far back a past event (a visit, a complaint's receipt) may be entered."""
    return int(current_app.config.get("BACKDATE_LIMIT_DAYS", 366))


def too_long_ago(day: date, today: date) -> str | None:
    """Why a past day is too far back to be meant (a mistyped year), or None."""
    first = today - timedelta(days=backdate_days())
    if day >= first:
        return None
    return _(
        "Records reach at most %(days)s days back, to %(day)s; check the year.",
        days=backdate_days(),
        day=format_date(first),
    )
