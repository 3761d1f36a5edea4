"""The dashboards' funding and relationship blocks, from the one source (funding/figures.py,
funding/relationship.py, kpis/relationship.py): a month's figures are those of its month-end
deposits listing (the last on or before the month's end) with the dashboard's loan listing A;
deposits maturing are counted from the month's judging day; retention runs from the day before
the month began to its end."""

from dataclasses import dataclass, field
from datetime import date

from aoapp.credit.figures import PortfolioScope
from aoapp.funding.figures import FundingFigures, deposits_as_of, scope_funding
from aoapp.funding.held import Listings
from aoapp.funding.movements import DepositRow, maturing_rows
from aoapp.funding.relationship import RelationshipFigures, period_start, scope_relationship
from aoapp.kpis.periods import Period
from aoapp.kpis.relationship import LostCustomer, lost_customers

LIST_LIMIT = 10  # rows of the blocks' short lists (the workbook lists them all)
SOON_DAYS = 7


@dataclass(frozen=True)
class FundingView:
    """The funding figures, the relationship figures and their two short lists."""

    funding: FundingFigures
    relationship: RelationshipFigures
    maturing: list[DepositRow] = field(default_factory=list)  # within SOON_DAYS, non-ARO first
    lost: list[LostCustomer] = field(default_factory=list)  # the month's, by name


def funding_view(scope: PortfolioScope, period: Period, as_of: date | None, day: date):
    """The blocks of a scope for month `period`, read with the loan listing `as_of`; `day` is
    the month's judging day."""
    deposits = deposits_as_of(period.end)
    funding = scope_funding(scope, deposits, maturing_from=day)
    listings = Listings(period.end, as_of, deposits)
    start = period_start(period.start) if deposits is not None else None
    relationship = scope_relationship(scope, listings, start)
    if deposits is None:
        return FundingView(funding, relationship)
    return FundingView(
        funding,
        relationship,
        maturing_rows(scope.condition, deposits, day, SOON_DAYS, LIST_LIMIT),
        lost_customers(scope.condition, start, listings, LIST_LIMIT) if start else [],
    )
