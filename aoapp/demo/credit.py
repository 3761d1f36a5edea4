"""Demo credit portfolio: 12 month-end listings of the planned book (demo/book.py), imported
through the real import path, and the debtors they name, entered beforehand with their legal form,
segment and identity (the import itself only knows a name and a CIF)."""

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.customers.models import Customer
from aoapp.customers.services import build_customer
from aoapp.demo import data
from aoapp.demo.book import Debtor, Loan, plan_book
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.services import run_import

MONTHS = 12
HEADERS = (
    "account_no",
    "cif",
    "customer_name",
    "officer_code",
    "product_code",
    "plafond",
    "outstanding",
    "arrears_principal",
    "arrears_interest",
    "dpd",
    "kol",
    "interest_rate",
    "start_date",
    "maturity_date",
    "restructured",
)
STREETS = ("Jl. Kenanga", "Jl. Melati", "Jl. Cempaka", "Jl. Anggrek", "Jl. Flamboyan")


def last_month_end(today: date) -> date:
    """The month end before `today` (the latest listing a bank has closed)."""
    return today.replace(day=1) - timedelta(days=1)


def listing_dates(today: date) -> list[date]:
    """The demo's month-end listing dates, oldest first, the last one before `today`."""
    end = last_month_end(today)
    dates = [end]
    while len(dates) < MONTHS:
        dates.insert(0, dates[0].replace(day=1) - timedelta(days=1))
    return dates


def officer_book(username: str, today: date) -> tuple[list[Debtor], list[Loan], list[date]]:
    """The planned debtors and loans of a demo officer, and the listing dates."""
    officer_no = data.OFFICERS[username][0]
    named = [
        (data.customer_keys(officer_no, number)["cif"], *credit)
        for number, (*_rest, credit) in enumerate(data.CUSTOMERS, start=1)
        if credit is not None
    ]
    dates = listing_dates(today)
    debtors, loans = plan_book(officer_no, dates, named)
    return debtors, loans, dates


def enter_debtors(officer: User, officer_no: int, region: str, debtors: list[Debtor]) -> int:
    """Enter the listing's debtors not yet known (audited, not committed); returns how many."""
    known = set(
        db.session.scalars(
            sa.select(Customer.cif).where(Customer.cif.in_([d.cif for d in debtors]))
        )
    )
    created = 0
    for n, debtor in enumerate(debtors, start=1):
        if debtor.cif in known:
            continue
        company = debtor.customer_type == "company"
        values = {
            "cif": debtor.cif,
            "name": debtor.name,
            "customer_type": debtor.customer_type,
            "nik": None if company else data.nik(region, officer_no, debtor.birth, debtor.serial),
            "npwp": f"02{officer_no}{n:03d}456789000" if company else None,
            "phone": f"62815{officer_no}{n:07d}",
            "address": f"{STREETS[n % len(STREETS)]} No. {n + 2}",
            "segment": debtor.segment,
            "since": date(2012 + n % 11, n % 12 + 1, 5 + officer_no),
        }
        customer = build_customer(officer, values, officer=officer)
        db.session.flush()
        audit.record(officer, customer, "create", None, audit.snapshot(customer))
        created += 1
    return created


def _money(value: int) -> str:
    return f"{value}.00"


def _rows(loans: list[Loan], dates: list[date], t: int, names: dict, code: str):
    for loan in loans:
        if loan.dpd[t] is None:
            continue
        principal, interest = loan.arrears(t, dates)
        yield (
            loan.account_no,
            loan.cif,
            names[loan.cif],
            code,
            loan.product,
            _money(loan.plafond),
            _money(loan.outstanding(t, dates)),
            _money(principal),
            _money(interest),
            loan.dpd[t],
            "",
            f"{loan.rate:.2f}",
            loan.start.isoformat(),
            loan.maturity.isoformat(),
            "Y" if loan.restructured else "N",
        )


def seed_credit(admin: User, today: date) -> tuple[int, int]:
    """Import the month-end listings not yet imported; returns (imported, already present)."""
    dates = listing_dates(today)
    done = set(
        db.session.scalars(
            sa.select(PositionImport.as_of).where(
                PositionImport.source == "demo",
                PositionImport.kind == "loans",
                PositionImport.status == ImportStatus.SUCCEEDED,
                PositionImport.as_of.in_(dates),
            )
        )
    )
    missing = [d for d in dates if d not in done]
    if not missing:
        return 0, len(dates)
    books = []
    for username in data.OFFICERS:
        code = db.session.scalar(sa.select(User.officer_code).where(User.username == username))
        debtors, loans, _dates = officer_book(username, today)
        names = {d.cif: d.name for d in debtors}
        names.update({c.cif: c.name for c in _named(username)})
        books.append((code, loans, names))
    with tempfile.TemporaryDirectory() as folder:
        for t, as_of in enumerate(dates):
            if as_of in done:
                continue
            path = Path(folder) / f"listing_{as_of.isoformat()}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(HEADERS)
                for code, loans, names in books:
                    writer.writerows(_rows(loans, dates, t, names, code))
            outcome = run_import(path, as_of, user=admin, source="demo")
            if not outcome.ok:
                first = outcome.errors[:3]
                raise RuntimeError(
                    f"demo listing {as_of} was refused: {outcome.record.message} {first}"
                )
    return len(missing), len(dates) - len(missing)


def _named(username: str) -> list[Customer]:
    """The officer's hand-entered customers (the listing names them as they were entered)."""
    officer_no = data.OFFICERS[username][0]
    cifs = [data.customer_keys(officer_no, n)["cif"] for n in range(1, len(data.CUSTOMERS) + 1)]
    return list(db.session.scalars(sa.select(Customer).where(Customer.cif.in_(cifs))))
