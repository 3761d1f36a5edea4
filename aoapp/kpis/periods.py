"""Report periods: a month (`2026-10`), a quarter (`2026Q3`) or a custom range.

A custom range is written `2026-10-01..2026-10-15` and its code (used in file and directory
names) is `20261001-20261015`. The report's as-of date is the last listing date inside the period; the day its states are
judged on (promises kept or broken, complaints and follow-ups overdue, watchlist signals) is
`judging_day`: the period's last day, or today while the period runs. DOMAIN.md, "Periodic
reports": a report shows what was true in its period, and says it again when made tomorrow.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from babel.dates import format_date as babel_date
from flask_babel import gettext as _

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date, locale_code
from aoapp.credit.models import Position
from aoapp.errors import InvalidInput
from aoapp.extensions import db

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|_|/)(\d{4}-\d{2}-\d{2})$")
_RANGE_CODE = re.compile(r"^(\d{8})-(\d{8})$")
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class Period:
    """A reporting period: its code, kind, first and last day."""

    code: str
    kind: str  # month | quarter | custom
    start: date
    end: date

    @property
    def label(self) -> str:
        """The period for people: `October 2026`, `2026 Q3`, `1 Oct 2026 – 15 Oct 2026`."""
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    @property
    def local_label(self) -> str:
        """The period for people in the current language: `Oktober 2026` in Indonesian."""
        return period_text(self)

    def previous_month_end(self) -> date:
        """The last day of the month before the period starts."""
        return self.start.replace(day=1) - timedelta(days=1)


def period_text(period: Period) -> str:
    """A period for people: `October 2026` (en), `Oktober 2026` (id)."""
    if locale_code() == "en":
        return period.label
    if period.kind == "month":
        return babel_date(period.start, "MMMM y", locale=locale_code())
    if period.kind == "quarter":
        return period.label
    return f"{format_date(period.start)} – {format_date(period.end)}"


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year:04d}-{month:02d}", "month", date(year, month, 1), date(year, month, last))


def parse_period(text: str) -> Period:
    """Parse a period code; an unreadable one is InvalidInput with a plain message."""
    value = (text or "").strip()
    try:
        if match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValueError
            return _month(year, month)
        if match := _QUARTER.match(value):
            year, quarter = int(match[1]), int(match[2])
            first = _month(year, quarter * 3 - 2)
            last = _month(year, quarter * 3)
            return Period(f"{year:04d}Q{quarter}", "quarter", first.start, last.end)
        if match := _RANGE.match(value):
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        elif match := _RANGE_CODE.match(value):
            start = date(int(match[1][:4]), int(match[1][4:6]), int(match[1][6:]))
            end = date(int(match[2][:4]), int(match[2][4:6]), int(match[2][6:]))
        else:
            raise ValueError
    except ValueError:
        raise InvalidInput(
            _(
                "'%(value)s' is not a period. Use a month (2026-10), a quarter (2026Q3) "
                "or a date range (2026-10-01..2026-10-15).",
                value=value,
            ),
            {"period": [_("Not a period.")]},
        ) from None
    if end < start:
        raise InvalidInput(
            _("The period ends before it starts."), {"period": [_("Ends before it starts.")]}
        )
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            _("A custom period may span at most one year."),
            {"period": [_("Longer than a year.")]},
        )
    return Period(f"{start:%Y%m%d}-{end:%Y%m%d}", "custom", start, end)


def period_as_of(period: Period) -> date | None:
    """The last listing date inside the period (bank-wide), or None when it has no positions."""
    stmt = sa.select(sa.func.max(Position.as_of)).where(
        Position.as_of.between(period.start, period.end)
    )
    return db.session.scalar(stmt)


def judging_day(period: Period, today: date | None = None) -> date:
    """The day a period's states are judged on, "as of": its last day once it is over, today
    (the bank's, by default) while it runs. Reports, dashboards and KPIs of a period all take it,
    so a closed period gives the same states whenever it is read."""
    return min(period.end, today or bank_today())


def month_ends(as_of: date, months: int = 12) -> list[tuple[date, date]]:
    """(first day, last day) of the `months` calendar months up to and including as_of's month."""
    result = []
    year, month = as_of.year, as_of.month
    for _month_index in range(months):
        period = _month(year, month)
        result.append((period.start, period.end))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(result))


def last_complete_month(today: date) -> Period:
    """The calendar month before `today` (what the monthly schedule generates)."""
    previous = today.replace(day=1) - timedelta(days=1)
    return _month(previous.year, previous.month)
