"""The trend of a scope's funding and cross-sell: DPK, CASA ratio and products per customer on the
month-end deposits listings (the last listing of each month) up to a date, from the one source
(funding/figures.py's rules, funding/relationship.py's counts)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aoapp.common import latest
from aoapp.common.dates import month_bounds
from aoapp.credit.figures import PortfolioScope, ratio
from aoapp.funding.figures import dpk_and_casa
from aoapp.funding.held import listings_on
from aoapp.funding.movements import money
from aoapp.funding.relationship import rate, scope_relationship

TREND_MONTHS = 6


@dataclass(frozen=True)
class TrendPoint:
    """A scope's funds and cross-sell on one month-end deposits listing."""

    as_of: date
    dpk: Decimal
    casa: Decimal
    customers: int
    products_held: int

    @property
    def casa_ratio(self) -> Decimal | None:
        return ratio(self.casa, self.dpk) if self.dpk else None

    @property
    def products_per_customer(self) -> Decimal | None:
        return rate(self.products_held, self.customers)


def month_ends(as_of: date, months: int = TREND_MONTHS) -> list[date]:
    """The last deposits listing of each of the `months` calendar months up to as_of's, oldest
    first (months without a listing are left out)."""
    first = date(as_of.year, as_of.month, 1)
    for _step in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    listed = latest.listed(latest.DEPOSITS)  # common/latest.py: not a read of every position
    return sorted(day for day in listed.month_ends() if first <= day <= as_of)


def funding_trend(
    scope: PortfolioScope, as_of: date | None, until: date, months: int = TREND_MONTHS
) -> list[TrendPoint]:
    """[TrendPoint] of the scope on each month-end deposits listing up to `as_of`, oldest first,
    what was held read on each month's last day (at most `until`, the period's end): one grouped
    query for the funds, one per month for the cross-sell."""
    if as_of is None:
        return []
    dates = month_ends(as_of, months)
    if not dates:
        return []
    funds = dpk_and_casa(scope.condition, dates)
    points = []
    for day in dates:
        month_end = month_bounds(day)[1]
        figures = scope_relationship(scope, listings_on(min(month_end, until)))
        dpk, casa_total = funds.get(day, (money(None), money(None)))
        points.append(TrendPoint(day, dpk, casa_total, figures.customers, figures.products_held))
    return points
