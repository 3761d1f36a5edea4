"""Deposit accounts and month-end balances written directly (as a deposits listing would leave
them), and the retention follow-ups the system suggested about them."""

import itertools
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.products.models import Product
from tests.support.factories import make_customer, make_product

_numbers = itertools.count(1)


def product(deposit_type: str) -> Product:
    """The catalogue's deposit product of this type (made on first use)."""
    code = {"tabungan": "TAB", "giro": "GIRO", "deposito": "DEP"}[deposit_type]
    found = db.session.scalar(sa.select(Product).where(Product.code == code))
    return found or make_product(code, kind="deposit", subtype=None, deposit_type=deposit_type)


def account(officer, deposit_type: str = "tabungan", customer=None, **values) -> DepositAccount:
    """A deposit account of `customer` (else a new customer of `officer`); a deposito by default
    matures on 2026-11-10 without ARO."""
    customer = customer or make_customer(officer)
    row = {
        "account_no": f"77{next(_numbers):08d}",
        "customer_id": customer.id,
        "product_id": product(deposit_type).id,
        "officer_id": officer.id,
        "branch_id": officer.branch_id,
        "deposit_type": deposit_type,
        "open_date": date(2025, 11, 10),
        "interest_rate": Decimal("4.25" if deposit_type == "deposito" else "1.00"),
    }
    if deposit_type == "deposito":
        row |= {"maturity_date": date(2026, 11, 10), "tenor_months": 12, "aro": False}
    row |= values
    created = DepositAccount(**row)
    db.session.add(created)
    db.session.commit()
    return created


def balance(deposit: DepositAccount, as_of: date, amount: str, status: str = "active") -> None:
    """The account's position on a listing date."""
    db.session.add(
        DepositPosition(
            account_id=deposit.id,
            as_of=as_of,
            customer_id=deposit.customer_id,
            officer_id=deposit.officer_id,
            branch_id=deposit.branch_id,
            deposit_type=deposit.deposit_type,
            balance=Decimal(amount),
            status=status,
        )
    )
    db.session.commit()


def close(deposit: DepositAccount, on: date) -> None:
    """Closed on `on` (a full listing left it out: no position that day)."""
    deposit = db.session.merge(deposit)
    deposit.status, deposit.closed_on = "closed", on
    db.session.commit()


def suggested(**where) -> list[FollowUp]:
    """The suggested retention follow-ups, by id."""
    db.session.expire_all()
    stmt = sa.select(FollowUp).where(FollowUp.purpose == "retention").order_by(FollowUp.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(FollowUp, key) == value)
    return list(db.session.scalars(stmt))
