"""Demo deposits: 12 month-end deposits listings (daftar nominatif simpanan) of the planned
deposits (demo/funds.py), imported through the real import path after the loan listings, and the
depositors who hold no loan, entered beforehand with their identity (the import itself only knows
a name and a CIF). Importing the last listing suggests the demo's retention calls, as it would at
a bank (aoapp/followups/retention.py)."""

import csv
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.customers.models import Customer
from aoapp.customers.services import build_customer
from aoapp.demo import data
from aoapp.demo.credit import listing_dates, officer_book
from aoapp.demo.funds import KINDS, RATES, Deposit, Depositor, plan_deposits
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.services import run_import

HEADERS = (
    "no_rekening",
    "cif",
    "nama_nasabah",
    "kode_ao",
    "kode_produk",
    "jenis",
    "saldo",
    "saldo_rata_rata",
    "suku_bunga",
    "tgl_buka",
    "tgl_jatuh_tempo",
    "jangka_waktu",
    "aro",
    "status",
)

STATUS_WORDS = {"active": "aktif", "dormant": "pasif"}


def officer_deposits(username: str, today: date) -> tuple[list[Depositor], list[Deposit]]:
    """The planned depositors and deposit accounts of a demo officer."""
    officer_no = data.OFFICERS[username][0]
    debtors, loans, dates = officer_book(username, today)
    keys = [data.customer_keys(officer_no, n)["cif"] for n in range(1, len(data.CUSTOMERS) + 1)]
    stmt = sa.select(Customer.cif, Customer.since).where(Customer.cif.in_(keys))
    since = {cif: day for cif, day in db.session.execute(stmt)}
    hand = [
        (cif, row[3], since[cif])
        for cif, row in zip(keys, data.CUSTOMERS, strict=True)
        if cif in since
    ]
    return plan_deposits(officer_no, dates, today, debtors, loans, hand)


def enter_depositors(officer: User, officer_no: int, region: str, people: list[Depositor]) -> int:
    """Enter the depositors not yet known (audited, not committed); returns how many."""
    known = set(
        db.session.scalars(sa.select(Customer.cif).where(Customer.cif.in_([p.cif for p in people])))
    )
    created = 0
    for n, person in enumerate(people, start=1):
        if person.cif in known:
            continue
        values = {
            "cif": person.cif,
            "name": person.name,
            "customer_type": "individual",
            "nik": data.nik(region, officer_no, person.birth, person.serial),
            "phone": f"62816{officer_no}{n:07d}",
            "address": f"Jl. Cendana No. {n * 3 + officer_no}",
            "segment": "consumer",
            "since": date(2009 + n, n * 2, 3 + officer_no),
        }
        customer = build_customer(officer, values, officer=officer)
        db.session.flush()
        audit.record(officer, customer, "create", None, audit.snapshot(customer))
        created += 1
    return created


def _money(value: int | None) -> str:
    return "" if value is None else f"{value}.00"


def _rows(deposits: list[Deposit], dates: list[date], t: int, names: dict, code: str):
    for deposit in deposits:
        balance = deposit.balances[t]
        if balance is None:
            continue
        previous = deposit.balances[t - 1] if t else None
        average = (balance + previous) // 2 if previous and deposit.product != "DEPOSITO" else None
        maturity = deposit.maturity(dates[t])
        yield (
            deposit.account_no,
            deposit.cif,
            names[deposit.cif],
            code,
            deposit.product,
            KINDS[deposit.product],
            _money(balance),
            _money(average and round(average, -3)),
            RATES[deposit.product],
            deposit.opened.isoformat(),
            maturity.isoformat() if maturity else "",
            deposit.tenor or "",
            "" if deposit.aro is None else ("Y" if deposit.aro else "N"),
            STATUS_WORDS[deposit.status[t]],
        )


def seed_funds(created: Counter, present: Counter, today: date) -> None:
    """Enter the depositors who hold no loan, then import the listings not yet imported."""
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    books = []
    for username, (officer_no, region) in data.OFFICERS.items():
        officer = db.session.scalar(sa.select(User).where(User.username == username))
        people, deposits = officer_deposits(username, today)
        entered = enter_depositors(officer, officer_no, region, people)
        created["customers"] += entered
        present["customers"] += len(people) - entered
        books.append((officer.officer_code, deposits))
    db.session.commit()
    imported, already = _import_listings(admin, today, books)
    created["deposit listings"] += imported
    present["deposit listings"] += already


def _import_listings(admin: User, today: date, books: list) -> tuple[int, int]:
    """Import the month-end deposits listings not yet imported; (imported, already present)."""
    dates = listing_dates(today)
    done = set(
        db.session.scalars(
            sa.select(PositionImport.as_of).where(
                PositionImport.source == "demo",
                PositionImport.kind == "deposits",
                PositionImport.status == ImportStatus.SUCCEEDED,
                PositionImport.as_of.in_(dates),
            )
        )
    )
    missing = [d for d in dates if d not in done]
    if not missing:
        return 0, len(dates)
    cifs = {d.cif for _code, deposits in books for d in deposits}
    stmt = sa.select(Customer.cif, Customer.name).where(Customer.cif.in_(cifs))
    names = {cif: name for cif, name in db.session.execute(stmt)}
    with tempfile.TemporaryDirectory() as folder:
        for t, as_of in enumerate(dates):
            if as_of in done:
                continue
            path = Path(folder) / f"simpanan_{as_of.isoformat()}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(HEADERS)
                for code, deposits in books:
                    writer.writerows(_rows(deposits, dates, t, names, code))
            outcome = run_import(path, as_of, kind="deposits", user=admin, source="demo")
            if not outcome.ok:
                first = outcome.errors[:3]
                raise RuntimeError(
                    f"demo deposits listing {as_of} was refused: {outcome.record.message} {first}"
                )
    return len(missing), len(dates) - len(missing)
