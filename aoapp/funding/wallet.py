"""The customer's wallet, the customer page's section (customers.hooks): total credit exposure,
total funding by kind, the net position, 12 month-ends of both, and the products held by category.

The figures of today are sums over `customers.holdings.holdings` (so the page, the holdings API
and the workbook cannot disagree); each month-end of the history sums the customer's positions
on the loan and deposits listings last dated in that month, as the holdings on that day would.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.common.dates import month_bounds
from aoapp.credit.models import Position
from aoapp.customers.holdings import (
    DEPOSIT_LISTING,
    LOAN_LISTING,
    Holding,
    by_category,
    holdings,
)
from aoapp.customers.hooks import customer_section
from aoapp.extensions import db
from aoapp.funding.holdings import KINDS
from aoapp.funding.models import DepositPosition, DepositStatus
from aoapp.funding.wallet_chart import WalletChart, wallet_chart

ZERO = Decimal("0.00")
HISTORY_MONTHS = 12


@dataclass(frozen=True)
class WalletMonth:
    """The customer's balances at one month's listings (None: no listing of that kind then)."""

    month_end: date
    credit: Decimal | None
    funding: Decimal | None


@dataclass
class Wallet:
    """What the customer has at the bank, and owes it, in one picture."""

    held: list[Holding]
    history: list[WalletMonth] = field(default_factory=list)
    chart: WalletChart | None = None

    @property
    def credit(self) -> Decimal:
        """Total credit exposure: the outstanding of the active facilities."""
        return sum((h.amount or ZERO for h in self.held if h.source == LOAN_LISTING), ZERO)

    @property
    def funding(self) -> dict[str, Decimal]:
        """Total funding (DPK) by kind: giro, tabungan, deposito (every kind, zeros included)."""
        totals = dict.fromkeys(KINDS, ZERO)
        for h in self.held:
            if h.source == DEPOSIT_LISTING:
                totals[h.category] += h.amount or ZERO
        return totals

    @property
    def funding_total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)

    @property
    def net(self) -> Decimal:
        """Net position: funding less credit exposure (negative: the customer owes more)."""
        return self.funding_total - self.credit

    @property
    def categories(self) -> list[tuple[str, list[Holding]]]:
        return by_category(self.held)


def _month_ends(last: date, count: int) -> list[tuple[date, date]]:
    """(first day, last day) of the `count` calendar months up to `last`'s, oldest first."""
    months = []
    year, month = last.year, last.month
    for _index in range(count):
        months.append(month_bounds(date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _listing_dates(
    months: list[tuple[date, date]], loans: latest.Listed, deposits: latest.Listed
) -> list[tuple[date | None, date | None]]:
    """Each month's last loan and deposits listing dates (bank-wide), from the listing dates
    (common/latest.py): asked of the month partitions, these 24 lookups took ~8 ms to plan on the
    bank-scale seed, however written."""
    return [
        (loans.last_between(first, last), deposits.last_between(first, last))
        for first, last in months
    ]


def balance_history(customer_id: int, months: int = HISTORY_MONTHS) -> list[WalletMonth]:
    """The customer's credit outstanding and funding on each month's last listings, for the
    `months` months up to the latest listing (oldest first; none before any listing)."""
    loans, deposits = latest.listed(latest.LOANS), latest.listed(latest.DEPOSITS)
    newest = [day for day in (loans.newest(), deposits.newest()) if day]
    if not newest:
        return []
    window = _month_ends(max(newest), months)
    dates = _listing_dates(window, loans, deposits)
    credit = _sums(Position.outstanding, customer_id, {d for d, _deposit in dates if d})
    funding = _sums(
        DepositPosition.balance,
        customer_id,
        {d for _loan, d in dates if d},
        DepositPosition.status != DepositStatus.CLOSED,
    )
    history = [
        WalletMonth(
            last,
            _money(credit.get(loan_day)) if loan_day else None,
            _money(funding.get(deposit_day)) if deposit_day else None,
        )
        for (_first, last), (loan_day, deposit_day) in zip(window, dates, strict=True)
    ]
    while history and history[0].credit is None and history[0].funding is None:
        history.pop(0)  # months before the first listing
    return history


def _sums(column, customer_id: int, days: set[date], *where) -> dict[date, Decimal]:
    """The customer's sum of `column` (a positions table's) on each of `days`."""
    if not days:
        return {}
    model = column.class_
    stmt = (
        sa.select(model.as_of, sa.func.sum(column))
        .where(model.customer_id == customer_id, model.as_of.in_(sorted(days)), *where)
        .group_by(model.as_of)
    )
    return {day: _money(total) for day, total in db.session.execute(stmt)}


def _money(value) -> Decimal:
    """A database sum as money (SQLite hands sums back as floats or ints; none is zero)."""
    return ZERO if value is None else Decimal(str(value)).quantize(ZERO)


def wallet(customer) -> Wallet:
    """The customer's wallet: today's holdings and the 12 month-ends before."""
    history = balance_history(customer.id)
    return Wallet(holdings(customer), history, wallet_chart(history))


@customer_section("wallet")
def customer_wallet(actor, customer) -> Wallet:
    """The wallet section of a customer page the actor already may see."""
    return wallet(customer)
