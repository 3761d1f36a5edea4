"""Builders of facilities, positions with an explicit Kol and monitoring visits (plain inserts)."""

import itertools
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.credit.collectibility import kol_from_dpd, load_bands
from aoapp.credit.models import Facility, MonitoringVisit, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.products.models import Product
from tests.support.factories import make_product

_seq = itertools.count(1)


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def product(code: str = "KMK") -> Product:
    """The credit product with this code, created on first use."""
    found = db.session.scalar(sa.select(Product).where(Product.code == code))
    return found or make_product(code, subtype="working_capital")


def facility(customer: Customer, code: str = "KMK", **kw) -> Facility:
    """An active IDR facility of `customer`."""
    values = {
        "account_no": f"V{next(_seq):09d}",
        "plafond": Decimal("250000000.00"),
        "interest_rate": Decimal("10.5000"),
        "tenor_months": 36,
        "start_date": date(2023, 3, 1),
        "maturity_date": date(2026, 3, 1),
    }
    values.update(kw)
    if values.get("restructured") and "restructured_on" not in kw:
        values["restructured_on"] = date(2024, 6, 3)
    row = Facility(customer_id=customer.id, product_id=product(code).id, **values)
    db.session.add(row)
    db.session.commit()
    return row


def position(
    fac: Facility,
    as_of: date,
    dpd: int = 0,
    *,
    facility_kol: int | None = None,
    debtor_kol: int | None = None,
    kol_rule: str | None = None,
    file_kol: int | None = None,
    outstanding: str = "100000000.00",
) -> Position:
    """A position; the facility Kol defaults to the worse of the DPD and file Kol."""
    dpd_kol = kol_from_dpd(dpd, load_bands())
    own = facility_kol or max(dpd_kol, file_kol or 1)
    if kol_rule is None:
        kol_rule = "restructure_hold" if own > max(dpd_kol, file_kol or 1) else "dpd"
        if own == (file_kol or 0) and file_kol > dpd_kol:
            kol_rule = "file"
    customer = db.session.get(Customer, fac.customer_id)
    row = Position(
        facility_id=fac.id,
        as_of=as_of,
        customer_id=customer.id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        outstanding=Decimal(outstanding),
        arrears_principal=Decimal("1500000.00") if dpd else Decimal("0.00"),
        arrears_interest=Decimal("250000.00") if dpd else Decimal("0.00"),
        dpd=dpd,
        file_kol=file_kol,
        dpd_kol=dpd_kol,
        facility_kol=own,
        debtor_kol=debtor_kol or own,
        kol_rule=kol_rule,
    )
    db.session.add(row)
    db.session.commit()
    return row


def one_obligor(customer: Customer, as_of: date) -> None:
    """Set every position of the debtor on `as_of` to the worst facility Kol, as the import does."""
    rows = list(
        db.session.scalars(
            sa.select(Position).where(Position.customer_id == customer.id, Position.as_of == as_of)
        )
    )
    worst = max(p.facility_kol for p in rows)
    for row in rows:
        row.debtor_kol = worst
        if worst > row.facility_kol:
            row.kol_rule = "one_obligor"
    db.session.commit()


def visit(customer: Customer, officer: User, **kw) -> MonitoringVisit:
    """A visit inserted directly (the rules are tested through the services)."""
    values = {"visit_date": date(2025, 1, 10), "risk_rating": "adequate", "findings": "Shop busy"}
    values.update(kw)
    row = MonitoringVisit(customer_id=customer.id, officer_id=officer.id, **values)
    db.session.add(row)
    db.session.commit()
    return row
