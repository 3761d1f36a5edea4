"""Report periods: a month (`2026-10`), a quarter (`2026Q3`) or a custom range — the one reader
of a period people and scripts write (`parse_period`), and the one name shown for it
(`period_name`).

People write periods in Indonesian or English (`Desember 2026`, `Kuartal IV 2026`, `Q4 2026`,
`12/2026`, `1-15 Desember 2026`: kpis/period_words.py); the CLI, the API, the pages' query
arguments and the reports page all read them here. A period is shown as `November 2026`,
`Kuartal IV 2026` (`Q4 2026` in English) or `1–15 Okt 2026`. A custom range's code (used in file
and directory names) is `20261001-20261015`. The report's as-of date is the last listing date
inside the period; the day its states are judged on (promises kept or broken, complaints and
follow-ups overdue, watchlist signals) is `judging_day`: the period's last day, or today while
the period runs. DOMAIN.md, "Periodic reports": a report shows what was true in its period, and
says it again when made tomorrow.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from babel.dates import format_interval
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.common.dates import bank_today, month_bounds
from aoapp.common.i18n import format_month, locale_code
from aoapp.common.read_memo import remembered
from aoapp.credit.models import Position
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.kpis.period_words import read_day, read_month, read_quarter, read_range

MAX_RANGE_DAYS = 366
# What people may write, named in every refusal (the examples in the reader's language).
PERIOD_FORMS = _l(
    "Write a month (December 2026, Dec 2026, 12/2026 or 2026-12), a quarter (Q4 2026 or "
    "2026Q4) or a date range (1-15 December 2026 or 01/12/2026 - 15/12/2026)."
)
MONTH_FORMS = _l("Write a month: December 2026, Dec 2026, 12/2026 or 2026-12.")
_QUARTERS = (
    lambda year: _("Q1 %(year)s", year=year),
    lambda year: _("Q2 %(year)s", year=year),
    lambda year: _("Q3 %(year)s", year=year),
    lambda year: _("Q4 %(year)s", year=year),
)


@dataclass(frozen=True)
class Period:
    """A reporting period: its code, kind, first and last day."""

    code: str
    kind: str  # month | quarter | custom
    start: date
    end: date

    @property
    def label(self) -> str:
        """The period in English whatever the language (the API's `label`): `October 2026`,
        `2026 Q3`, `1 Oct 2026 – 15 Oct 2026`."""
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    @property
    def local_label(self) -> str:
        """The period for people in the current language (`period_name`)."""
        return period_name(self)

    def previous_month_end(self) -> date:
        """The last day of the month before the period starts."""
        return self.start.replace(day=1) - timedelta(days=1)


def period_name(period: "Period | str") -> str:
    """The period for people in the current language, wherever it is shown (pages, workbooks,
    messages): `November 2026`, `Kuartal IV 2026` (id) or `Q4 2026` (en), `1–15 Okt 2026`."""
    if isinstance(period, str):
        period = parse_period(period)
    if period.kind == "month":
        return format_month(period.start)  # a dashboard's month selector names 24
    if period.kind == "quarter":
        return _QUARTERS[(period.start.month - 1) // 3](period.start.year)
    return format_interval(period.start, period.end, "yMMMd", locale=locale_code())


def _month(year: int, month: int) -> Period:
    first, last = month_bounds(date(year, month, 1))
    return Period(f"{year:04d}-{month:02d}", "month", first, last)


def _quarter(year: int, quarter: int) -> Period:
    first, last = _month(year, quarter * 3 - 2), _month(year, quarter * 3)
    return Period(f"{year:04d}Q{quarter}", "quarter", first.start, last.end)


def _refused(value: str) -> InvalidInput:
    message = _("'%(value)s' is not a period.", value=value)
    return InvalidInput(f"{message} {PERIOD_FORMS}", {"period": [str(PERIOD_FORMS)]})


def parse_period(text: str) -> Period:
    """The one reader of a period a person or script writes (period_words: months, quarters and
    ranges in Indonesian or English, and the codes); anything else is InvalidInput naming what
    is accepted."""
    value = (text or "").strip()
    for read, make in ((read_month, _month), (read_quarter, _quarter)):
        try:
            return make(*read(value))
        except ValueError:
            continue
    try:
        start, end = read_range(value)
    except ValueError:
        raise _refused(value) from None
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


def parse_month(text: str) -> Period:
    """A month as people write it (`Desember 2026`, `12/2026`, `2026-12`); anything else,
    a quarter or a range included, is InvalidInput naming what is accepted."""
    try:
        return _month(*read_month(text))
    except ValueError:
        message = _("'%(value)s' is not a month.", value=(text or "").strip())
        raise InvalidInput(f"{message} {MONTH_FORMS}", {"period": [str(MONTH_FORMS)]}) from None


def parse_day(text: str) -> date:
    """A day as people write it: `2026-10-15`, `15/10/2026`, `15 Oktober 2026` (ValueError)."""
    return read_day(text)


def period_as_of(period: Period) -> date | None:
    """The last listing date inside the period (bank-wide), or None when it has no positions."""
    stmt = sa.select(sa.func.max(Position.as_of)).where(
        Position.as_of.between(period.start, period.end)
    )
    return remembered(("loans_between", period.start, period.end), lambda: db.session.scalar(stmt))


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
