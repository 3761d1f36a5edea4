"""Builders of what customers hold, inserted directly (fast): deposit accounts with their month-end
positions as the deposits listing would leave them, and hand records of products."""

import itertools
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.products.models import Product
from tests.support.factories import make_product

_seq = itertools.count(1)
NAMES = {
    "TAB": "Tabungan",
    "DEP": "Deposito",
    "GIRO": "Giro",
    "MBANKING": "Mobile Banking",
    "ATM": "Kartu ATM",
}
SERVICES = ("MBANKING", "ATM")


def product(code: str, kind: str = "deposit") -> Product:
    """The product with this code, created on first use (TAB tabungan, DEP deposito, GIRO giro,
    MBANKING and ATM services)."""
    found = db.session.scalar(sa.select(Product).where(Product.code == code))
    if found is not None:
        return found
    kind = "service" if code in SERVICES else kind
    return make_product(code, kind=kind, subtype=None, name=NAMES.get(code, f"Product {code}"))


def make_deposit(
    customer, code: str = "TAB", balances: dict | None = None, account_no: str | None = None, **kw
) -> DepositAccount:
    """A deposit account of `customer` with a position per {as_of: balance} (status `active`
    unless given; a deposito matures a year after opening, ARO by default)."""
    item = product(code)
    deposito = item.deposit_type == "deposito"
    status = kw.pop("status", "active")
    account = DepositAccount(
        account_no=account_no or f"DPK{next(_seq):08d}",
        customer_id=customer.id,
        product_id=item.id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        deposit_type=item.deposit_type,
        open_date=kw.pop("open_date", date(2023, 3, 1)),
        maturity_date=kw.pop("maturity_date", date(2027, 3, 1) if deposito else None),
        tenor_months=kw.pop("tenor_months", 12 if deposito else None),
        interest_rate=kw.pop("interest_rate", Decimal("4.2500") if deposito else Decimal("1.0")),
        aro=kw.pop("aro", True if deposito else None),
        status=status,
        closed_on=kw.pop("closed_on", None),
        **kw,
    )
    db.session.add(account)
    db.session.flush()
    for as_of, balance in (balances or {}).items():
        post_deposit(account, as_of, balance, commit=False)
    db.session.commit()
    return account


def post_deposit(
    account, as_of: date, balance, status: str | None = None, average=None, commit: bool = True
) -> None:
    """The account's position on `as_of` (the listing's copies of its customer and type)."""
    db.session.add(
        DepositPosition(
            account_id=account.id,
            as_of=as_of,
            customer_id=account.customer_id,
            officer_id=account.officer_id,
            branch_id=account.branch_id,
            deposit_type=account.deposit_type,
            balance=Decimal(str(balance)),
            average_balance=None if average is None else Decimal(str(average)),
            status=status or account.status,
        )
    )
    if commit:
        db.session.commit()


def booked_position(
    account, as_of: date, booker, balance, status: str = "active", average=None
) -> DepositPosition:
    """The account's position on `as_of` booked to `booker` (an officer, or None), not added."""
    return DepositPosition(
        account_id=account.id,
        as_of=as_of,
        customer_id=account.customer_id,
        officer_id=booker.id if booker else None,
        branch_id=booker.branch_id if booker else None,
        deposit_type=account.deposit_type,
        balance=Decimal(str(balance)),
        average_balance=average,
        status=status,
    )


def record(customer, code: str, **values) -> ProductHolding:
    """A product recorded by hand for `customer` (inserted directly, as older data was)."""
    holding = ProductHolding(customer_id=customer.id, product_id=product(code).id, **values)
    db.session.add(holding)
    db.session.commit()
    return holding
