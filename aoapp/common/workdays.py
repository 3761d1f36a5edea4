"""Working days: Monday to Friday, except the bank's public holidays (a configurable list).

The holidays come from `BANK_HOLIDAYS` (ISO dates separated by commas or whitespace, or a
collection of dates) or, when unset, from `HOLIDAYS_FILE` (one ISO date per line, `#` comments),
defaulting to the Indonesian national holidays and collective leave days shipped in
`aoapp/common/holidays_id.txt`. A bad entry stops with an error naming the list and the line.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

DEFAULT_HOLIDAYS_FILE = Path(__file__).with_name("holidays_id.txt")


def parse_holidays(text: str, source: str | None = None) -> frozenset[date]:
    """ISO dates from text: separated by commas, spaces or lines; `#` starts a comment."""
    source = source or _("the holiday list")
    days = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0]
        for token in line.replace(",", " ").split():
            try:
                days.add(date.fromisoformat(token))
            except ValueError:
                raise ValueError(
                    _(
                        "Not a date in %(source)s, line %(line)s: %(token)s (write dates as "
                        "YYYY-MM-DD).",
                        source=source,
                        line=number,
                        token=repr(token),
                    )
                ) from None
    return frozenset(days)


@lru_cache(maxsize=8)
def _file_holidays(path: str) -> frozenset[date]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(
            _(
                "The holiday file %(path)s cannot be read: %(reason)s.",
                path=path,
                reason=error.strerror,
            )
        ) from None
    return parse_holidays(text, source=_("the holiday file %(path)s", path=path))


@lru_cache(maxsize=8)
def _listed_holidays(text: str) -> frozenset[date]:
    return parse_holidays(text, source="BANK_HOLIDAYS")


def _collection(listed: Iterable) -> frozenset[date]:
    """Holidays given as a collection of dates (or ISO strings) in the config."""
    days = set()
    for item in listed:
        if isinstance(item, date):
            days.add(item)
        else:
            days |= _listed_holidays(str(item))
    return frozenset(days)


def holidays() -> frozenset[date]:
    """The configured public holidays."""
    listed = current_app.config.get("BANK_HOLIDAYS")
    if listed is None:
        path = current_app.config.get("HOLIDAYS_FILE") or DEFAULT_HOLIDAYS_FILE
        return _file_holidays(str(path))
    if isinstance(listed, str):
        return _listed_holidays(listed)
    return _collection(listed)


def is_working_day(day: date, closed: frozenset[date] | None = None) -> bool:
    """Monday to Friday and not a public holiday."""
    closed = holidays() if closed is None else closed
    return day.weekday() < 5 and day not in closed


def add_working_days(start: date, days: int, closed: frozenset[date] | None = None) -> date:
    """The date `days` working days after `start` (start itself never counts).

    Friday + 2 working days is Tuesday; a Saturday + 1 is Monday (when neither is a holiday).
    """
    if days < 0:
        raise ValueError(_("days must be zero or more"))
    closed = holidays() if closed is None else closed
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            days -= 1
    return day
