"""The one clock of aoapp, and the bank's time zone.

Every "today" and "now" in the application comes from here: `bank_today()` (the bank's business
date), `bank_now()` (the bank's local time) and `utcnow()` (stored timestamps). No other module
calls `date.today()`, `datetime.now()` or `datetime.utcnow()` (tests/test_clock.py greps for them),
and SQL receives today as a parameter, never `CURRENT_DATE` or `now()`, so a test that moves this
clock moves the whole application with it.

The one exception is the age of a file: it is measured against the file system's own clock
(`fs_now()`, the modification time the file system stamps on a file it writes now), because the
file system, not this process, stamped the times it is compared with.
"""

import os
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app


def bank_zone() -> ZoneInfo:
    """The bank's configured time zone (default Asia/Jakarta)."""
    return ZoneInfo(current_app.config.get("BANK_TIMEZONE", "Asia/Jakarta"))


def utcnow() -> datetime:
    """Current time, aware, in UTC (a callable for column defaults)."""
    return datetime.now(UTC)


def bank_now() -> datetime:
    """Current time in the bank's time zone."""
    return utcnow().astimezone(bank_zone())


def bank_today() -> date:
    """Today's date in the bank's time zone (business dates follow the bank's day)."""
    return bank_now().date()


def to_local(value: datetime | None) -> datetime | None:
    """Convert a UTC timestamp to the bank's time zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(bank_zone())


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds [start, end) of the bank's local days `first` to `last` (for timestamps)."""
    zone = bank_zone()
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


def fs_now(directory: str | Path) -> float:
    """The file system's clock under `directory`: the mtime it stamps on a file written now."""
    handle, name = tempfile.mkstemp(prefix=".clock-", dir=directory)
    try:
        return os.fstat(handle).st_mtime
    finally:
        os.close(handle)
        os.unlink(name)


def week_end(day: date) -> date:
    """The Sunday that ends the week of `day`."""
    return day + timedelta(days=6 - day.weekday())


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the month of `day`."""
    first = day.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)
