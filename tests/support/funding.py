"""Builders of deposit accounts and positions (as the deposits listing stores them), and the hand
book of the funding and relationship tests: every figure of it computed by hand below.

Listings: 31 Dec 2025 (the year's opening), 30 Sep, 31 Oct and 30 Nov 2026 (a later listing that
must not change October). Amounts in millions of rupiah (M).

ao.budi (JKT01) on 31 Oct:
  C1 Warung Satu   KMK F1 · tabungan T1 100 · giro G1 50          3 categories
  C2 Toko Dua      KUR F2 · tabungan T2 70 (booked to ao.dewi)     2
  C3 Depot Tiga    deposito D3 300 (non-ARO, due 5 Nov); T3 closed 1
  C4 Kios Empat    tabungan T4 50 (200 on 30 Sep) · MBANK recorded 2
  C5 Salon Lima    KMK F5 on 30 Sep only (repaid in October): lost, last called 10 Oct
  → customers 4, products 8 (2.0000); borrowers C1 C2, both with funds (1.0000);
    depositors C1 C3 C4, one with credit (0.3333); DPK 500: giro 50, tabungan 150, deposito 300,
    CASA 0.4000; 30 Sep DPK 670 (T1 80, G1 50, D3 300, T3 40, T4 200): growth −170 (−0.2537);
    31 Dec 2025: T1 60, growth 440 (7.3333); maturing from 31 Oct: D3 (7 and 30 days);
    run-off: T3 closed (40), T4 down 150 (more than half); retention 4 of 5 (0.8000).
ao.sari (JKT01): C6 Toko Enam  KMK F6 · deposito D6 1000 (ARO, due 20 Nov; rolled to 2027 by the
  November listing). ao.dewi (BDG01): C7 Toko Tujuh  KMK F7 · tabungan T7 500 · giro G7 30; T2.
JKT01: customers 5, products 10 (2.0000), DPK 1500, CASA 200/1500 = 0.1333.
Bank: customers 6, products 13 (2.1667), DPK 2100, CASA 800/2100 = 0.3810.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.products.models import Product
from tests.support.credit import credit_product, post_listing
from tests.support.factories import _seq, make_product, nik, phone
from tests.support.snapshots import copied, copy_key

DEC31, SEP30, OCT31, NOV30 = (
    date(2025, 12, 31),
    date(2026, 9, 30),
    date(2026, 10, 31),
    date(2026, 11, 30),
)
M = Decimal(1_000_000)


def deposit_product(code: str) -> Product:
    """The deposit (or service) product with this code (GIRO…, DEP…, else tabungan; MBANK is a
    service), created on first use."""
    product = db.session.scalar(sa.select(Product).where(Product.code == code))
    if product is not None:
        return product
    if code == "MBANK":
        return make_product(code, kind="service", subtype=None, name="Mobile banking")
    return make_product(code, kind="deposit", subtype=None)


def deposit(customer, account_no: str, code: str = "TAB", **values) -> DepositAccount:
    """A deposit account of `customer` (booked to its officer unless `officer` is given),
    flushed (committed by the next `post_deposits`)."""
    officer = values.pop("officer", None)
    product = deposit_product(code)
    account = DepositAccount(
        account_no=account_no,
        customer_id=customer.id,
        product_id=product.id,
        officer_id=officer.id if officer else customer.officer_id,
        branch_id=officer.branch_id if officer else customer.branch_id,
        deposit_type=product.deposit_type,
        open_date=values.pop("open_date", date(2024, 1, 2)),
        interest_rate=Decimal("1.5"),
        **values,
    )
    db.session.add(account)
    db.session.flush()
    return account


def post_deposits(as_of: date, entries) -> None:
    """Positions of one deposits listing: (account, balance in M[, status[, maturity, aro]])."""
    for entry in entries:
        account, millions, *rest = entry
        status = rest[0] if rest else "active"
        maturity, aro = (
            (rest[1], rest[2]) if len(rest) > 1 else (account.maturity_date, account.aro)
        )
        db.session.add(
            DepositPosition(
                account_id=account.id,
                as_of=as_of,
                customer_id=account.customer_id,
                officer_id=account.officer_id,
                branch_id=account.branch_id,
                deposit_type=account.deposit_type,
                balance=Decimal(str(millions)) * M,
                average_balance=None,
                status=status,
                maturity_date=maturity,
                aro=aro,
            )
        )
    db.session.commit()


@dataclass
class Book:
    """What `hand_book` built: customers and accounts by their names above."""

    customers: dict
    accounts: dict
    facilities: dict


def customers(entries) -> dict:
    """Customers (key, officer, name) added in one commit."""
    found = {}
    for key, officer, name in entries:
        n = next(_seq)
        found[key] = Customer(
            cif=f"CIF-{key}-{n}",
            name=name,
            customer_type="individual",
            nik=nik(n + 70000),
            phone=phone(n + 70000),
            segment="micro",
            since=date(2024, 1, 15),
            officer_id=officer.id,
            branch_id=officer.branch_id,
        )
    db.session.add_all(found.values())
    db.session.commit()
    return found


def facilities(entries) -> dict:
    """Active facilities (account, customer, product code) added in one commit."""
    products = {code: credit_product(code).id for _a, _c, code in entries}
    found = {
        account: Facility(
            account_no=account,
            customer_id=customer.id,
            product_id=products[code],
            plafond=Decimal("500000000.00"),
            interest_rate=Decimal("11.5000"),
            tenor_months=60,
            start_date=date(2023, 1, 2),
            maturity_date=date(2028, 1, 2),
        )
        for account, customer, code in entries
    }
    db.session.add_all(found.values())
    db.session.commit()
    return found


_BOOKS: dict = {}


def hand_book(world, november: bool = True) -> Book:
    """The hand book of the module docstring (with the November listing unless told not).

    Built on its first use (per worker, day, database, world and rows already there), then its
    rows copied in (tests/support/snapshots.py): five listings written once, not for each test.
    """
    officers = tuple(u.id for u in (world.officer, world.colleague, world.remote))
    return copied(
        _BOOKS, copy_key(november, officers), lambda: _hand_book(world, november), _ids, _book_of
    )


def _ids(book: Book) -> tuple[dict, dict, dict]:
    parts = (book.customers, book.accounts, book.facilities)
    return tuple({key: row.id for key, row in rows.items()} for rows in parts)


def _book_of(ids: tuple[dict, dict, dict]) -> Book:
    return Book(
        *(
            {key: db.session.get(model, id_) for key, id_ in part.items()}
            for model, part in zip((Customer, DepositAccount, Facility), ids, strict=True)
        )
    )


def _hand_book(world, november: bool) -> Book:
    officer, sari, dewi = world.officer, world.colleague, world.remote
    c = customers(
        [
            ("C1", officer, "Warung Satu"),
            ("C2", officer, "Toko Dua"),
            ("C3", officer, "Depot Tiga"),
            ("C4", officer, "Kios Empat"),
            ("C5", officer, "Salon Lima"),
            ("C6", sari, "Toko Enam"),
            ("C7", dewi, "Toko Tujuh"),
        ]
    )
    f = facilities(
        [
            ("F1", c["C1"], "KMK"),
            ("F2", c["C2"], "KUR"),
            ("F5", c["C5"], "KMK"),
            ("F6", c["C6"], "KMK"),
            ("F7", c["C7"], "KMK"),
        ]
    )
    for day in (SEP30, OCT31, NOV30) if november else (SEP30, OCT31):
        keys = ("F1", "F2", "F6", "F7") + (("F5",) if day == SEP30 else ())
        post_listing(day, [(f[key], 0, 100_000_000) for key in keys])
    a = {
        "T1": deposit(c["C1"], "T1"),
        "G1": deposit(c["C1"], "G1", "GIRO"),
        "T2": deposit(c["C2"], "T2", officer=dewi),
        "D3": deposit(c["C3"], "D3", "DEP", maturity_date=date(2026, 11, 5), aro=False),
        "T3": deposit(c["C3"], "T3"),
        "T4": deposit(c["C4"], "T4"),
        "D6": deposit(c["C6"], "D6", "DEP", maturity_date=date(2026, 11, 20), aro=True),
        "T7": deposit(c["C7"], "T7"),
        "G7": deposit(c["C7"], "G7", "GIRO"),
    }
    post_deposits(DEC31, [(a["T1"], 60)])
    post_deposits(
        SEP30,
        [(a["T1"], 80), (a["G1"], 50), (a["D3"], 300), (a["T3"], 40), (a["T4"], 200)]
        + [(a["D6"], 1000), (a["T7"], 450), (a["G7"], 30), (a["T2"], 70)],
    )
    post_deposits(
        OCT31,
        [(a["T1"], 100), (a["G1"], 50), (a["D3"], 300), (a["T3"], 0, "closed"), (a["T4"], 50)]
        + [(a["D6"], 1000), (a["T7"], 500), (a["G7"], 30), (a["T2"], 70)],
    )
    recorded = ProductHolding(
        customer_id=c["C4"].id,
        product_id=deposit_product("MBANK").id,
        created_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    db.session.add(recorded)
    called = FollowUp(
        customer_id=c["C5"].id,
        owner_id=officer.id,
        channel="call",
        purpose="relationship",
        planned_date=date(2026, 10, 10),
        status="done",
        done_at=datetime(2026, 10, 10, 3, 0, tzinfo=UTC),
    )
    db.session.add(called)
    db.session.commit()
    if november:
        _november(a)
    return Book(c, a, f)


def _november(a: dict) -> None:
    """The November listing: D3 paid out, D6 rolled over (its account's maturity moves), C1's
    tabungan doubled: none of it may change October."""
    a["D6"].maturity_date = date(2027, 11, 20)
    db.session.commit()
    post_deposits(
        NOV30,
        [(a["T1"], 200), (a["G1"], 50), (a["D3"], 0, "closed"), (a["T4"], 50)]
        + [(a["D6"], 1010, "active", date(2027, 11, 20), True), (a["T7"], 500), (a["G7"], 30)]
        + [(a["T2"], 70)],
    )
