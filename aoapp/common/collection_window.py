"""When a bank may contact a debtor about arrears (POJK 22/2023 art. 62(2)), in local time.

Collection contacts are allowed on COLLECTION_DAYS (default Monday to Saturday) outside the
public holidays of `common.workdays`, within COLLECTION_HOURS (default 08:00-20:00; the end is
not included: 20:00 is closed), in the customer's local time: the time zone of the customer's
branch (WIB, WITA or WIT), else the bank's. Outside it, only within the hours the consumer agreed
to beforehand (a recorded consent: `consent` below), still on collection days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_day_names
from flask import current_app
from flask_babel import gettext as _

from aoapp.common.dates import bank_zone, utcnow
from aoapp.common.i18n import locale_code
from aoapp.common.workdays import holidays

DEFAULT_DAYS = "Mon-Sat"
DEFAULT_HOURS = "08:00-20:00"
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Indonesia's three zones by their Indonesian abbreviations; any other zone shows its own name.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
TIME_PATTERNS = {"id": "HH.mm", "en": "HH:mm"}  # 08.00 as Indonesians write it, 08:00 in English
SEARCH_DAYS = 400  # a window open on no day of the next year is a configuration error


@dataclass(frozen=True)
class Window:
    """Collection days (weekday numbers, Monday 0) and hours [start, end)."""

    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class WindowState:
    """Whether collection contact is allowed now, and when it is next (local time) if not."""

    allowed: bool
    by_consent: bool
    zone: str  # the customer's time zone name (Asia/Makassar)
    now: datetime  # local
    next_at: datetime | None  # local; None when allowed now
    window: Window

    @property
    def zone_label(self) -> str:
        """WIB, WITA or WIT (or the zone's own name)."""
        return zone_label(self.zone)

    @property
    def reason(self) -> str | None:
        """Why contact is refused now, with the next allowed time, in the reader's language."""
        if self.allowed:
            return None
        return _(
            "Collection only %(days)s %(hours)s %(zone)s; next: %(next)s",
            days=describe_days(self.window.days),
            hours=describe_hours(self.window.start, self.window.end),
            zone=self.zone_label,
            next=describe_moment(self.next_at),
        )


def parse_days(text: str) -> frozenset[int]:
    """`Mon-Sat`, `mon,wed,fri` or ISO numbers (`1-6`, Monday 1) into weekday numbers."""
    days: set[int] = set()
    for token in text.replace(" ", "").lower().split(","):
        if not token:
            continue
        first, _sep, last = token.partition("-")
        start, end = _day_number(first, text), _day_number(last or first, text)
        if end < start:
            raise ValueError(f"COLLECTION_DAYS: {token!r} runs backwards")
        days.update(range(start, end + 1))
    if not days:
        raise ValueError("COLLECTION_DAYS names no day")
    return frozenset(days)


def _day_number(token: str, text: str) -> int:
    if token[:3] in DAY_CODES:
        return DAY_CODES.index(token[:3])
    if token.isdigit() and 1 <= int(token) <= 7:
        return int(token) - 1
    raise ValueError(f"COLLECTION_DAYS: not a day in {text!r}: {token!r} (write Mon-Sat)")


def parse_hours(text: str) -> tuple[time, time]:
    """`08:00-20:00` (or `08.00-20.00`) into (start, end), start before end."""
    try:
        first, last = (part.strip().replace(".", ":") for part in text.split("-"))
        start, end = time.fromisoformat(first), time.fromisoformat(last)
    except ValueError:
        raise ValueError(f"not hours: {text!r} (write 08:00-20:00)") from None
    if start >= end:
        raise ValueError(f"hours must start before they end: {text!r}")
    return start, end


@lru_cache(maxsize=8)
def _window(days: str, hours: str) -> Window:
    return Window(parse_days(days), *parse_hours(hours))


def window() -> Window:
    """The bank's collection window (COLLECTION_DAYS, COLLECTION_HOURS)."""
    config = current_app.config
    return _window(
        config.get("COLLECTION_DAYS") or DEFAULT_DAYS,
        config.get("COLLECTION_HOURS") or DEFAULT_HOURS,
    )


def zone_of(name: str | None) -> ZoneInfo:
    """A branch's time zone, else the bank's."""
    return ZoneInfo(name) if name else bank_zone()


def zone_label(name: str) -> str:
    """WIB, WITA, WIT for Indonesia's zones; other zones by their name."""
    return ZONE_NAMES.get(name, name)


def is_collection_day(day: date, win: Window | None = None, closed=None) -> bool:
    """A collection day (by default Monday to Saturday) that is not a public holiday."""
    win = win or window()
    closed = holidays() if closed is None else closed
    return day.weekday() in win.days and day not in closed


def next_collection_day(day: date) -> date:
    """`day` when collection is allowed on it, else the next day it is (suggestions plan there)."""
    win, closed = window(), holidays()
    for offset in range(SEARCH_DAYS):
        candidate = day + timedelta(days=offset)
        if is_collection_day(candidate, win, closed):
            return candidate
    raise ValueError("COLLECTION_DAYS leaves no collection day")


def _intervals(win: Window, consent: tuple[time, time] | None) -> list[tuple[time, time]]:
    spans = [(win.start, win.end)]
    if consent is not None:
        spans.append(consent)
    return sorted(spans)


def _next_opening(local: datetime, win: Window, spans, closed) -> datetime:
    """The first moment at or after `local` inside one of `spans` on a collection day."""
    for offset in range(SEARCH_DAYS):
        day = local.date() + timedelta(days=offset)
        if not is_collection_day(day, win, closed):
            continue
        for start, end in spans:
            if offset == 0 and local.time() >= end:
                continue
            if offset == 0 and local.time() >= start:
                return local
            return datetime.combine(day, start, local.tzinfo)
    raise ValueError("COLLECTION_DAYS leaves no collection day")


def collection_state(
    zone: str | None = None,
    consent: tuple[time, time] | None = None,
    now: datetime | None = None,
) -> WindowState:
    """Whether collection contact is allowed now in `zone` (a branch's; None: the bank's), with
    the consumer's agreed hours `consent` added to the window."""
    tz = zone_of(zone)
    local = (now or utcnow()).astimezone(tz)
    win = window()
    opening = _next_opening(local, win, _intervals(win, consent), holidays())
    allowed = opening == local
    by_consent = allowed and not (
        is_collection_day(local.date(), win) and win.start <= local.time() < win.end
    )
    return WindowState(
        allowed=allowed,
        by_consent=by_consent,
        zone=str(tz.key),
        now=local,
        next_at=None if allowed else opening,
        window=win,
    )


# --- Words, in the reader's language -----------------------------------------------------------


def describe_days(days: frozenset[int]) -> str:
    """`Senin–Sabtu` for a run of days, `Senin, Rabu, Jumat` otherwise."""
    names = get_day_names("wide", locale=locale_code())
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[ordered[0]]}–{names[ordered[-1]]}"
    return ", ".join(names[day] for day in ordered)


def describe_time(value: time) -> str:
    """08.00 (id) or 08:00 (en)."""
    locale = locale_code()
    return babel_time(value, TIME_PATTERNS.get(locale, "HH:mm"), locale=locale)


def describe_hours(start: time, end: time) -> str:
    """08.00–20.00 (id) or 08:00–20:00 (en)."""
    return f"{describe_time(start)}–{describe_time(end)}"


def describe_moment(moment: datetime | None) -> str:
    """Senin 7 Des 08.00 (id), Monday 7 Dec 08:00 (en)."""
    if moment is None:
        return ""
    day = babel_date(moment.date(), "EEEE d MMM", locale=locale_code())
    return f"{day} {describe_time(moment.time())}"
