"""Dates and the bank's time zone: timestamps are UTC in storage and local on screen."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def bank_zone() -> ZoneInfo:
    """The bank's configured time zone (default Asia/Jakarta)."""
    return ZoneInfo(current_app.config.get("BANK_TIMEZONE", "Asia/Jakarta"))


def to_local(value: datetime | None) -> datetime | None:
    """Convert a UTC timestamp to the bank's time zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(bank_zone())


def bank_today() -> date:
    """Today's date in the bank's time zone (business dates follow the bank's day)."""
    return datetime.now(bank_zone()).date()


def week_end(day: date) -> date:
    """The Sunday that ends the week of `day`."""
    return day + timedelta(days=6 - day.weekday())
