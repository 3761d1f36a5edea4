"""Working days: Monday to Friday, except the bank's public holidays (a configurable list).

The holidays come from `BANK_HOLIDAYS` (ISO dates separated by commas or whitespace) or, when
unset, from `HOLIDAYS_FILE` (one ISO date per line, `#` comments), defaulting to the Indonesian
national holidays and collective leave days shipped in `aoapp/common/holidays_id.txt`.
"""

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app

DEFAULT_HOLIDAYS_FILE = Path(__file__).with_name("holidays_id.txt")


def parse_holidays(text: str) -> frozenset[date]:
    """ISO dates from text: separated by commas, spaces or lines; `#` starts a comment."""
    days = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for token in line.replace(",", " ").split():
            try:
                days.add(date.fromisoformat(token))
            except ValueError:
                raise ValueError(f"Not an ISO date in the holiday list: {token!r}") from None
    return frozenset(days)


@lru_cache(maxsize=8)
def _file_holidays(path: str) -> frozenset[date]:
    return parse_holidays(Path(path).read_text(encoding="utf-8"))


def holidays() -> frozenset[date]:
    """The configured public holidays."""
    listed = current_app.config.get("BANK_HOLIDAYS")
    if listed is not None:
        return listed if isinstance(listed, frozenset) else parse_holidays(str(listed))
    return _file_holidays(str(current_app.config.get("HOLIDAYS_FILE") or DEFAULT_HOLIDAYS_FILE))


def is_working_day(day: date, closed: frozenset[date] | None = None) -> bool:
    """Monday to Friday and not a public holiday."""
    closed = holidays() if closed is None else closed
    return day.weekday() < 5 and day not in closed


def add_working_days(start: date, days: int, closed: frozenset[date] | None = None) -> date:
    """The date `days` working days after `start` (start itself never counts).

    Friday + 2 working days is Tuesday; a Saturday + 1 is Monday (when neither is a holiday).
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    closed = holidays() if closed is None else closed
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            days -= 1
    return day
