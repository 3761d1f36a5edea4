"""Builders of small hand-written CSV listings and upload fields for the import page and API."""

import io
from pathlib import Path

import sqlalchemy as sa

from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from tests.support.factories import make_product

AS_OF = "2024-06-30"
HEADER = (
    "account_no,cif,customer_name,officer_code,product_code,plafond,outstanding,"
    "arrears_principal,arrears_interest,dpd,kol,interest_rate,start_date,maturity_date"
)


def credit_products() -> None:
    """The credit products the listings use."""
    make_product("KMK", subtype="working_capital")
    make_product("KUR", subtype="kur")


def good_rows(officer, colleague) -> list[str]:
    """Three facilities of two debtors (one of them slipping), plain numbers, ISO dates."""
    a, b = officer.officer_code, colleague.officer_code
    return [
        f"0012001,CIF001,Warung Bébé,{a},KMK,500000000.00,400000000.00,0.00,0.00,0,,11.5,"
        "2024-01-15,2029-01-15",
        f"0012002,CIF001,Warung Bébé,{a},KUR,50000000.00,45000000.00,1500000.00,250000.00,45,,6,"
        "2023-07-01,2026-07-01",
        f"0012003,CIF002,Toko Sari,{b},KMK,200000000.00,150000000.00,0.00,0.00,0,1,12.25,"
        "2022-03-10,2027-03-10",
    ]


def bad_rows(officer) -> list[str]:
    """Four row errors on three rows: negative amount, DPD not a number, Kol 7, 30 February."""
    a = officer.officer_code
    return [
        f"0013001,CIF101,Debtor A,{a},KMK,500000000.00,-5.00,0.00,0.00,0,,11.5,"
        "2024-01-15,2029-01-15",
        f"0013002,CIF102,Debtor B,{a},KMK,500000000.00,100.00,0.00,0.00,abc,,11.5,"
        "2024-01-15,2029-01-15",
        f"0013003,CIF103,Debtor C,{a},KMK,500000000.00,100.00,0.00,0.00,0,7,11.5,"
        "2024-02-30,2029-01-15",
    ]


def csv_bytes(rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def write_listing(tmp_path: Path, rows: list[str], name: str = "listing.csv", **kw) -> Path:
    """A CSV listing in the test's temporary folder."""
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kw))
    return path


def upload_field(path: Path, name: str | None = None) -> tuple:
    """A multipart file field of the test client."""
    return (io.BytesIO(path.read_bytes()), name or path.name)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def credit_counts() -> dict:
    """How many customers, facilities and positions the database holds."""
    return {
        "customers": count(Customer),
        "facilities": count(Facility),
        "positions": count(Position),
    }


def only_import() -> PositionImport:
    db.session.expire_all()
    return db.session.scalars(sa.select(PositionImport)).one()
