"""Listings that make and settle renewal opportunities, imported through the real imports, and
readers of the opportunities they leave."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount
from aoapp.renewals.models import RenewalOpportunity
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.factories import make_product

OCT31, NOV30 = date(2026, 10, 31), date(2026, 11, 30)
TODAY = "2026-12-05"  # both listings are in; the window runs to 2027-03-05
JUTA = Decimal(1_000_000)


def catalogue() -> None:
    """The loan listings' credit products and the deposits listings' deposito and tabungan."""
    L.catalogue()
    make_product("DEP", kind="deposit", subtype=None, name="Deposito")


class Loader:
    """Imports loan and deposits listings as the admin and insists they succeed."""

    def __init__(self, directory, admin):
        self.loans = L.Importer(directory, admin)
        self.deposits = D.Importer(directory, admin)

    def loan_listing(self, rows, as_of):
        outcome = self.loans.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome.record

    def deposit_listing(self, rows, as_of):
        outcome = self.deposits.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome.record


def loan(account, cif, code, matures, juta=500, **values) -> dict:
    """A listing row of a facility maturing on `matures` (plafond `juta` million)."""
    return L.line(
        account,
        cif,
        code,
        maturity_date=matures,
        plafond=juta * JUTA,
        outstanding=juta * JUTA * Decimal("0.4"),
        start_date=values.pop("start_date", date(2025, 11, 20)),
        **values,
    )


def deposito(account, cif, code, matures, aro=False, **values) -> dict:
    return D.line(
        account,
        cif,
        code,
        product_code="DEP",
        maturity_date=matures,
        aro=aro,
        balance=Decimal("300000000"),
        **values,
    )


def first_loans(code: str) -> list[dict]:
    """October: six facilities maturing within 90 days of 5 December, one far off, and a
    working-capital line whose yearly extension falls on 1 February."""
    return [
        loan("L1", "CIF1", code, date(2026, 11, 20)),
        loan("L2", "CIF2", code, date(2027, 1, 15)),
        loan("L5", "CIF5", code, date(2026, 11, 25), product_code="KUR"),
        loan("L5X", "CIF5", code, date(2029, 5, 1), product_code="KPR"),
        loan("L6", "CIF6", code, date(2026, 11, 25), product_code="KUR"),
        loan("L7", "CIF7", code, date(2026, 11, 28)),
        loan("L8", "CIF8", code, date(2028, 6, 30), product_code="KI"),
        loan("L9", "CIF9", code, date(2029, 2, 1), start_date=date(2024, 2, 1)),
    ]


def second_loans(code: str) -> list[dict]:
    """November: L1 replaced by a new facility of the same size (renewed), L2 by a larger one
    (topped up), L5 paid off (its customer keeps a mortgage), L6 paid off (nothing left), L7
    renewed in place (a later maturity)."""
    return [
        loan("L1B", "CIF1", code, date(2027, 11, 20), start_date=date(2026, 11, 20)),
        loan("L2B", "CIF2", code, date(2027, 11, 25), juta=800, start_date=date(2026, 11, 25)),
        loan("L5X", "CIF5", code, date(2029, 5, 1), product_code="KPR"),
        loan("L7", "CIF7", code, date(2027, 11, 28)),
        loan("L8", "CIF8", code, date(2028, 6, 30), product_code="KI"),
        loan("L9", "CIF9", code, date(2029, 2, 1), start_date=date(2024, 2, 1)),
    ]


def opportunities() -> dict[str, RenewalOpportunity]:
    """Every opportunity by its facility's or account's number."""
    db.session.expire_all()
    found = {}
    for o in db.session.scalars(sa.select(RenewalOpportunity).order_by(RenewalOpportunity.id)):
        found[o.account_no] = o
    return found


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(RenewalOpportunity))


def facility_id(account_no: str) -> int:
    return db.session.scalar(sa.select(Facility.id).where(Facility.account_no == account_no))


def account_id(account_no: str) -> int:
    return db.session.scalar(
        sa.select(DepositAccount.id).where(DepositAccount.account_no == account_no)
    )


@pytest.fixture
def loader(tmp_path, world):
    catalogue()
    return Loader(tmp_path, world.admin)


def opportunity(facility: Facility, officer, stage: str = "to_contact") -> RenewalOpportunity:
    """An opportunity of `facility` written directly (a closed one is renewed, confirmed)."""
    closed = stage == "closed"
    created = RenewalOpportunity(
        kind="loan",
        facility_id=facility.id,
        customer_id=facility.customer_id,
        officer_id=officer.id,
        branch_id=officer.branch_id,
        maturity_date=facility.maturity_date,
        plafond=facility.plafond,
        stage=stage,
        outcome="renewed" if closed else None,
        settled_by="officer" if closed else None,
        confirmed=closed,
    )
    db.session.add(created)
    db.session.commit()
    return created
