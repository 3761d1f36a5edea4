"""What the reports page's period picker offers, and what it says of a period without a listing.

Periods are read and named in one place, `kpis.periods` (`parse_period`: what people and scripts
write, in Indonesian or English; `period_name`: `November 2026`, `Kuartal IV 2026`, `1–15 Okt
2026`), which the pages, the API, the CLI and the workbooks share; this module lists the months
and quarters the picker offers, each knowing whether a loan listing falls inside it.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from aoapp.common import latest
from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from aoapp.kpis.periods import Period, parse_period, period_name
from aoapp.reports.listing import listing_months

PICKER_MONTHS = 24  # calendar months back from today the month select offers
PICKER_QUARTERS = 8


@dataclass(frozen=True)
class PeriodOption:
    """One choice of the picker: the period and whether a listing falls inside it."""

    period: Period
    listed: bool

    @property
    def code(self) -> str:
        return self.period.code

    @property
    def name(self) -> str:
        """Its name, saying when no listing falls inside it yet."""
        name = period_name(self.period)
        return name if self.listed else _("%(period)s (no listing yet)", period=name)


def _month_code(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    year, month, result = today.year, today.month, []
    for _step in range(count):
        result.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result


@dataclass(frozen=True)
class Picker:
    """What the period picker offers, newest first, and its defaults: the latest month with a
    listing and its quarter (None before the first listing)."""

    months: list[PeriodOption]
    quarters: list[PeriodOption]
    month: str | None
    quarter: str | None


def _quarter_code(month_code: str) -> str:
    return f"{month_code[:4]}Q{(int(month_code[5:7]) - 1) // 3 + 1}"


def picker_options() -> Picker:
    """The last PICKER_MONTHS calendar months and PICKER_QUARTERS quarters, plus every older one
    with a listing, each knowing whether a listing falls inside it."""
    listed = [p.code for p in listing_months(PICKER_MONTHS)]
    recent = [_month_code(y, m) for y, m in _months_back(bank_today(), 3 * PICKER_QUARTERS)]
    months = set(recent[:PICKER_MONTHS]) | set(listed)
    quarters = {_quarter_code(code) for code in recent} | {_quarter_code(c) for c in listed}
    listed_quarters = {_quarter_code(code) for code in listed}
    return Picker(
        months=[PeriodOption(parse_period(c), c in listed) for c in sorted(months, reverse=True)],
        quarters=[
            PeriodOption(parse_period(c), c in listed_quarters)
            for c in sorted(quarters, reverse=True)
        ],
        month=listed[0] if listed else None,
        quarter=_quarter_code(listed[0]) if listed else None,
    )


def latest_listing() -> date | None:
    """The date of the latest loan listing, or None before the first."""
    return latest.newest(latest.LOANS)


def no_listing_message(period: Period) -> str:
    """What the picker says when the period holds no listing yet."""
    latest = latest_listing()
    if latest is None:
        return _("No listing has been imported yet: there is nothing to report.")
    if latest < period.start:
        return _(
            "There is no listing in %(period)s yet: the latest is dated %(day)s.",
            period=period_name(period),
            day=format_date(latest),
        )
    return _("There is no listing in %(period)s.", period=period_name(period))
