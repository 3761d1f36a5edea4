"""Builders of small deposits listings (daftar nominatif simpanan) for the import tests, written as
CSV or XLSX with the loan listings' writers (`tests.support.listings`), and readers of what the
import stored."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.imports.deposits.spec import COLUMNS
from aoapp.imports.services import ImportOutcome
from tests.support import listings as L
from tests.support.factories import make_product

OPENED = date(2023, 3, 1)
MATURES = date(2024, 9, 1)
# code, deposit type (make_product guesses it from the code: DEP… deposito, GIRO… giro)
PRODUCTS = (
    ("TAB", "Tabungan"),
    ("TABBIS", "Tabungan Bisnis"),
    ("GIRO", "Giro"),
    ("DEP", "Deposito"),
)


def catalogue() -> None:
    """The deposit products the listings use, and a credit product (not a deposit)."""
    for code, name in PRODUCTS:
        make_product(code, kind="deposit", subtype=None, name=name)
    make_product("KMK", subtype="working_capital")


def line(account_no: str, cif: str, officer_code: str, **values) -> dict:
    """One row, a tabungan by default (product DEP: a deposito with its maturity and ARO)."""
    row = {
        "account_no": account_no,
        "cif": cif,
        "customer_name": f"Depositor {cif}",
        "officer_code": officer_code,
        "branch_code": None,
        "product_code": "TAB",
        "kind": None,
        "currency": None,
        "balance": Decimal("25000000.00"),
        "average_balance": None,
        "interest_rate": Decimal("1.5"),
        "open_date": OPENED,
        "maturity_date": None,
        "tenor_months": None,
        "aro": None,
        "status": None,
    }
    if values.get("product_code") == "DEP":
        row |= {"maturity_date": MATURES, "tenor_months": 12, "aro": True}
    unknown = set(values) - set(row)
    assert not unknown, f"not deposits listing columns: {unknown}"
    row.update(values)
    return row


class Importer(L.Importer):
    """Writes deposits listings and imports them as kind `deposits`."""

    def csv(self, rows, as_of: date, *, write: dict | None = None, **options) -> ImportOutcome:
        path = L.write_csv(self.path(), rows, columns=COLUMNS, **(write or {}))
        return self.run(path, as_of, kind="deposits", **options)

    def xlsx(self, rows, as_of: date, *, write: dict | None = None, **options) -> ImportOutcome:
        path = L.write_xlsx(self.path(".xlsx"), rows, columns=COLUMNS, **(write or {}))
        return self.run(path, as_of, kind="deposits", **options)


def write_csv(path: Path, rows: list[dict], **options) -> Path:
    """A deposits listing as a CSV file (options as `listings.csv_text`)."""
    return L.write_csv(path, rows, columns=COLUMNS, **options)


def account(account_no: str) -> DepositAccount | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(DepositAccount).where(DepositAccount.account_no == account_no)
    )


def accounts() -> dict[str, tuple]:
    """Each account's (CIF, product, type, status, closed_on, maturity, tenor, ARO, currency)."""
    db.session.expire_all()
    stmt = (
        sa.select(
            DepositAccount.account_no,
            Customer.cif,
            DepositAccount.deposit_type,
            DepositAccount.status,
            DepositAccount.closed_on,
            DepositAccount.maturity_date,
            DepositAccount.tenor_months,
            DepositAccount.aro,
            DepositAccount.currency,
        )
        .join(Customer, Customer.id == DepositAccount.customer_id)
        .order_by(DepositAccount.account_no)
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def positions(as_of: date) -> dict[str, tuple]:
    """(balance, average balance, status, type) of each account on one as-of date."""
    db.session.expire_all()
    stmt = (
        sa.select(
            DepositAccount.account_no,
            DepositPosition.balance,
            DepositPosition.average_balance,
            DepositPosition.status,
            DepositPosition.deposit_type,
        )
        .join(DepositAccount, DepositAccount.id == DepositPosition.account_id)
        .where(DepositPosition.as_of == as_of)
    )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def state() -> dict[str, list[tuple]]:
    """Customers, deposit accounts and positions by their natural keys (no ids, no timestamps)."""
    db.session.expire_all()
    skip = {"id", "account_id", "customer_id", "import_id", "created_at", "updated_at"}
    account_columns = [c for c in DepositAccount.__table__.columns if c.name not in skip]
    position_columns = [c for c in DepositPosition.__table__.columns if c.name not in skip]
    return {
        "customers": L.state()["customers"],
        "accounts": _rows(
            sa.select(Customer.cif, *account_columns)
            .join(Customer, Customer.id == DepositAccount.customer_id)
            .order_by(DepositAccount.account_no)
        ),
        "positions": _rows(
            sa.select(DepositAccount.account_no, *position_columns)
            .join(DepositAccount, DepositAccount.id == DepositPosition.account_id)
            .order_by(DepositAccount.account_no, DepositPosition.as_of)
        ),
    }


def _rows(stmt) -> list[tuple]:
    return [
        tuple(v.normalize() if isinstance(v, Decimal) else v for v in row)
        for row in db.session.execute(stmt)
    ]


COUNTED = ("customers", "deposit_accounts", "deposit_positions", "audit_entries")


def counts() -> dict[str, int]:
    """Row counts of the tables a deposits import changes."""
    db.session.expire_all()
    return {
        table: db.session.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
        for table in COUNTED
    }


def wipe() -> None:
    """Remove what imports wrote (deposit positions and accounts, then the loan side's)."""
    db.session.rollback()
    for table in ("deposit_positions", "deposit_accounts"):
        db.session.execute(sa.text(f"DELETE FROM {table}"))
    db.session.execute(sa.text("DELETE FROM listing_dates WHERE kind = 'deposits'"))
    db.session.commit()
    L.wipe()
