"""Builders of facilities and of position listings, each Kol as the import's rules give it."""

import itertools
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.credit.collectibility import effective_kol, facility_kol, kol_from_dpd, load_bands
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.products.models import Product
from tests.support.factories import make_customer, make_product
from tests.support.snapshots import copied, copy_key

_seq = itertools.count(1)
AS_OF = date(2024, 6, 30)
EARLIER = date(2024, 5, 31)
SUBTYPES = {
    "KMK": "working_capital",
    "KI": "investment",
    "KUR": "kur",
    "KPR": "mortgage",
    "KKB": "vehicle",
    "MULTIGUNA": "personal",
}


def credit_product(code: str = "KMK") -> Product:
    """The credit product with this code, created on first use."""
    product = db.session.scalar(sa.select(Product).where(Product.code == code))
    return product or make_product(code, subtype=SUBTYPES.get(code, "working_capital"))


def make_facility(
    customer: Customer,
    account_no: str | None = None,
    product: str = "KMK",
    start: date = date(2023, 1, 2),
    maturity: date = date(2028, 1, 2),
    restructured: bool = False,
    **kw,
) -> Facility:
    """A facility of `customer` (active, IDR)."""
    facility = Facility(
        account_no=account_no or f"ACC{next(_seq):08d}",
        customer_id=customer.id,
        product_id=credit_product(product).id,
        plafond=kw.pop("plafond", Decimal("500000000.00")),
        interest_rate=kw.pop("interest_rate", Decimal("11.5000")),
        tenor_months=kw.pop("tenor_months", 60),
        start_date=start,
        maturity_date=maturity,
        restructured=restructured,
        restructured_on=kw.pop("restructured_on", date(2024, 1, 15) if restructured else None),
        **kw,
    )
    db.session.add(facility)
    db.session.commit()
    return facility


def _previous(facility_id: int, as_of: date) -> Position | None:
    stmt = (
        sa.select(Position)
        .where(Position.facility_id == facility_id, Position.as_of < as_of)
        .order_by(Position.as_of.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def post_listing(as_of: date, entries, officer=None, *, arrears=None) -> dict[int, Position]:
    """Positions for one listing date, Kol computed as the import does.

    `entries`: (facility, dpd, outstanding) or (facility, dpd, outstanding, file_kol). Give every
    facility of a debtor in one call (one-obligor is computed over the call). `officer`
    overrides the officer/branch the listing books the positions to (default: the customer's).
    `arrears`: {facility id: (principal, interest)} in arrears (default: none).
    """
    arrears = arrears or {}
    bands = load_bands()
    rows = []
    for entry in entries:
        facility, dpd, outstanding, file_kol = (*entry, None)[:4]
        customer = db.session.get(Customer, facility.customer_id)
        prev = _previous(facility.id, as_of)
        held = prev.facility_kol if prev is not None and facility.restructured else None
        own, rule = facility_kol(dpd, file_kol, facility.restructured, held, bands)
        rows.append((facility, customer, dpd, Decimal(str(outstanding)), file_kol, own, rule, prev))
    worst: dict[int, int] = defaultdict(int)
    for facility, _c, _d, _o, _f, own, _r, _p in rows:
        worst[facility.customer_id] = max(worst[facility.customer_id], own)
    positions = {}
    for facility, customer, dpd, outstanding, file_kol, own, rule, prev in rows:
        debtor = worst[facility.customer_id]
        _kol, kol_rule = effective_kol(own, rule, debtor)
        position = Position(
            facility_id=facility.id,
            as_of=as_of,
            customer_id=customer.id,
            officer_id=officer.id if officer else customer.officer_id,
            branch_id=officer.branch_id if officer else customer.branch_id,
            outstanding=outstanding,
            arrears_principal=Decimal(str(arrears.get(facility.id, (0, 0))[0])),
            arrears_interest=Decimal(str(arrears.get(facility.id, (0, 0))[1])),
            dpd=dpd,
            file_kol=file_kol,
            dpd_kol=kol_from_dpd(dpd, bands),
            facility_kol=own,
            debtor_kol=debtor,
            kol_rule=str(kol_rule),
            prev_dpd=prev.dpd if prev else None,
            prev_kol=prev.debtor_kol if prev else None,
        )
        db.session.add(position)
        positions[facility.id] = position
    db.session.commit()
    return positions


def hand_portfolio(officer):
    """14 facilities of 5 debtors at every DPD boundary; amounts in rupiah.

    A: 0 dpd (100,000,000.50) + 91 dpd (50,000,000)  -> one-obligor: both Kol 3 (NPL)
    B: 0 dpd restructured (200,000,000)                -> Kol 1 restructured (LaR)
    C: 1, 30, 31, 60, 61, 90 dpd (10/20/30/40/60/70 M)  -> all Kol 2
    D: 120, 121, 180, 181 dpd (80/90/25/15 M)           -> one-obligor: all Kol 5
    E: 0 dpd (299,999,999.50)                           -> Kol 1
    Total 1,090,000,000.00.
    """
    a, b, c, d, e = (make_customer(officer, name=n) for n in "ABCDE")
    f = make_facility
    entries = [
        (f(a), 0, "100000000.50"),
        (f(a), 91, "50000000"),
        (f(b, restructured=True), 0, "200000000"),
        (f(c), 1, "10000000"),
        (f(c), 30, "20000000"),
        (f(c), 31, "30000000"),
        (f(c), 60, "40000000"),
        (f(c), 61, "60000000"),
        (f(c), 90, "70000000"),
        (f(d), 120, "80000000"),
        (f(d), 121, "90000000"),
        (f(d), 180, "25000000"),
        (f(d), 181, "15000000"),
        (f(e), 0, "299999999.50"),
    ]
    return post_listing(AS_OF, entries)


_BOOKS: dict = {}


def make_book(world) -> dict[str, Facility]:
    """Facilities of ao.budi (A1–A3), ao.sari (S1) and ao.dewi (D1) on two listing dates.

    A1: 0 -> 40 dpd (Kol 1 -> 2); A2 restructured: 10 -> 0 dpd, held at Kol 2;
    A3: 100 -> 0 dpd (Kol 3 -> 1), matures in 20 days.

    Built on its first use (per worker, day, database, world and rows already there), then its
    rows copied in (tests/support/snapshots.py): four listings written once, not for each of
    the hundreds of tests that start from it.
    """
    return copied(
        _BOOKS,
        copy_key(tuple(u.id for u in (world.officer, world.colleague, world.remote))),
        lambda: _make_book(world),
        lambda book: {name: f.id for name, f in book.items()},
        lambda ids: {name: db.session.get(Facility, id_) for name, id_ in ids.items()},
    )


def _make_book(world) -> dict[str, Facility]:
    budi = make_customer(world.officer, name="Warung Budi", cif="CIF-B1")
    other = make_customer(world.officer, name="Toko Lain", cif="CIF-B2")
    third = make_customer(world.officer, name="Warung Tiga", cif="CIF-B3")
    sari = make_customer(world.colleague, name="Toko Sari", cif="CIF-S1")
    dewi = make_customer(world.remote, name="Toko Dewi", cif="CIF-D1")
    f = {
        "A1": make_facility(budi, "A1", "KMK"),
        "A2": make_facility(third, "A2", "KUR", restructured=True),
        "A3": make_facility(other, "A3", "KPR", maturity=AS_OF + timedelta(days=20)),
        "S1": make_facility(sari, "S1"),
        "D1": make_facility(dewi, "D1"),
    }
    post_listing(EARLIER, [(f["A1"], 0, 500), (f["A2"], 10, 300), (f["A3"], 100, 200)])
    post_listing(EARLIER, [(f["S1"], 0, 1000), (f["D1"], 0, 2000)])
    post_listing(AS_OF, [(f["A1"], 40, 400), (f["A2"], 0, 300), (f["A3"], 0, 150)])
    post_listing(AS_OF, [(f["S1"], 0, 900), (f["D1"], 181, 1800)])
    return f
