"""The deposit accounts a customer holds by the deposits listing: one set of lines read by the
holdings (`customers.holdings.listing_source`), the customer page's wallet and the customer
workbook's deposits sheet.

An account is held while it is not closed: a dormant or blocked account is still the customer's
money at the bank (and still third-party funds).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.customers.holdings import DEPOSIT_LISTING, Holding, listing_source
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition, DepositStatus
from aoapp.products.models import DepositType, Product, ProductKind

KINDS = tuple(kind.value for kind in DepositType)  # giro, tabungan, deposito


@dataclass(frozen=True)
class DepositLine:
    """A customer's deposit account with its position on `as_of` (a listing's date)."""

    customer_id: int
    account_no: str
    product: Product
    deposit_type: str
    currency: str
    balance: Decimal
    average_balance: Decimal | None
    interest_rate: Decimal
    open_date: date
    maturity_date: date | None
    tenor_months: int | None
    aro: bool | None
    status: str
    as_of: date


def _select(customer_ids: list[int]) -> sa.Select:
    return (
        sa.select(DepositAccount, Product, DepositPosition)
        .join(DepositPosition, DepositPosition.account_id == DepositAccount.id)
        .join(Product, Product.id == DepositAccount.product_id)
        .where(
            DepositPosition.customer_id.in_(customer_ids),
            DepositPosition.status != DepositStatus.CLOSED,
        )
    )


def deposit_lines(customer_ids: list[int], on: date | None = None) -> dict[int, list[DepositLine]]:
    """Each customer's open deposit accounts (giro, tabungan, deposito, then by account number):
    now with their latest balances (`on` None), or as the deposits listing dated `on` or last
    before it shows them."""
    stmt = _select(customer_ids)
    if on is None:
        last = (
            sa.select(DepositPosition.account_id, sa.func.max(DepositPosition.as_of).label("day"))
            .where(DepositPosition.customer_id.in_(customer_ids))
            .group_by(DepositPosition.account_id)
            .subquery()
        )
        stmt = stmt.join(
            last,
            sa.and_(
                last.c.account_id == DepositPosition.account_id,
                last.c.day == DepositPosition.as_of,
            ),
        ).where(DepositAccount.status != DepositStatus.CLOSED)
    else:
        stmt = stmt.where(latest.on_listing(DepositPosition.as_of, on))
    lines: dict[int, list[DepositLine]] = {}
    for account, product, position in db.session.execute(stmt):
        lines.setdefault(position.customer_id, []).append(
            DepositLine(
                customer_id=position.customer_id,
                account_no=account.account_no,
                product=product,
                deposit_type=position.deposit_type,
                currency=account.currency,
                balance=position.balance,
                average_balance=position.average_balance,
                interest_rate=account.interest_rate,
                open_date=account.open_date,
                maturity_date=account.maturity_date,
                tenor_months=account.tenor_months,
                aro=account.aro,
                status=position.status,
                as_of=position.as_of,
            )
        )
    for found in lines.values():
        found.sort(key=lambda line: (KINDS.index(line.deposit_type), line.account_no))
    return lines


@listing_source(covers=ProductKind.DEPOSIT)
def deposit_holdings(customer_ids: list[int], on: date | None) -> dict[int, list[Holding]]:
    """The customers' open deposit accounts by the deposits listing, with their balances."""
    return {
        customer_id: [
            Holding(
                line.product,
                DEPOSIT_LISTING,
                line.account_no,
                line.balance,
                line.as_of,
                opened_on=line.open_date,
                detail=line,
                category=line.deposit_type,  # the listing's kind of funds, as funding sums it
            )
            for line in lines
        ]
        for customer_id, lines in deposit_lines(customer_ids, on).items()
    }
