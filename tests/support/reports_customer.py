"""Builders of the customer-report tests' story, and readers of the written sheets.

Listings are imported through the real importer (so every position's Kol, debtor Kol, rule and
previous DPD come from the import's rules), then introductions, follow-ups with promises,
complaints, visits, deposit accounts (as the deposits listing leaves them) and a product recorded
by hand are inserted directly.

The story of `build_story(world, tmp_path)` (listings at each month-end from 31 Oct 2025 to
31 Oct 2026, plus 15 Oct 2026):

- "Toko Sejahtera Café Ümit" (CIF 0000123456, ao.budi):
  F1 KMK, plafond 500 M, always current;
  F2 KUR, plafond 100 M, slips in September: DPD 20 (30 Sep), 35 (15 Oct), 50 (31 Oct), its
  arrears 6 M, 6 M, then 4 M (a 2 M payment) — Kol 1 → 2 for the debtor (one-obligor);
  F3 KPR restructured, plafond 300 M, last listed 30 Sep → closed by the 15 Oct listing;
  F4 KI, plafond 200 M, last listed 31 Mar → closed on 30 Apr (before Q3).
- "Warung Lain" (CIF 0000999999, ao.budi): one current KMK facility.
- "Tanpa Kredit" (no facility), created directly.

With the activity: the customer's tabungan (12.5 M on 30 Sep, 15,250,000.50 on 31 Oct) and
deposito (100 M on 31 Oct, not ARO), Tanpa Kredit's giro (5 M on 31 Oct), and the customer's
mobile banking recorded by hand (`deposits`).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility, MonitoringVisit
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import deadline_for
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from tests.support import holdings as holding_helpers
from tests.support import listings as L
from tests.support.factories import make_customer
from tests.support.snapshots import copied

CIF, OTHER_CIF = "0000123456", "0000999999"
NAME = "Toko Sejahtera Café Ümit"
F1, F2, F3, F4, F5 = (f"001000000000{n}" for n in range(1, 6))
M = Decimal(1_000_000)
LISTINGS = [
    date(2025, 10, 31),
    date(2025, 11, 30),
    date(2025, 12, 31),
    date(2026, 1, 31),
    date(2026, 2, 28),
    date(2026, 3, 31),
    date(2026, 4, 30),
    date(2026, 5, 31),
    date(2026, 6, 30),
    date(2026, 7, 31),
    date(2026, 8, 31),
    date(2026, 9, 30),
    date(2026, 10, 15),
    date(2026, 10, 31),
]
# F2's DPD and arrears (principal, interest) by listing date; current before.
F2_ARREARS = {
    date(2026, 9, 30): (20, Decimal("4800000.00"), Decimal("1200000.00")),
    date(2026, 10, 15): (35, Decimal("4800000.00"), Decimal("1200000.00")),
    date(2026, 10, 31): (50, Decimal("3200000.00"), Decimal("800000.00")),
}


def utc(day: date, hour: int = 3) -> datetime:
    """A timestamp on `day` (03:00 UTC = 10:00 in Jakarta)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def listing(day: date, officer_code: str) -> list[dict]:
    """The full listing of `day` (every active facility of the bank)."""
    k = LISTINGS.index(day)
    dpd, principal, interest = F2_ARREARS.get(day, (0, Decimal("0.00"), Decimal("0.00")))
    common = {"officer_code": officer_code, "customer_name": NAME}
    rows = [
        L.line(F1, CIF, **common, product_code="KMK", plafond=500 * M,
               outstanding=400 * M - k * M, interest_rate=Decimal("10.5")),
        L.line(F2, CIF, **common, product_code="KUR", plafond=100 * M,
               outstanding=80 * M - 2 * k * M, interest_rate=Decimal("6"), dpd=dpd,
               arrears_principal=principal, arrears_interest=interest),
    ]  # fmt: skip
    if day <= date(2026, 9, 30):
        rows.append(
            L.line(F3, CIF, **common, product_code="KPR", plafond=300 * M,
                   outstanding=30 * M - k * M, interest_rate=Decimal("8.25"), restructured=True)
        )  # fmt: skip
    if day <= date(2026, 3, 31):
        rows.append(
            L.line(F4, CIF, **common, product_code="KI", plafond=200 * M,
                   outstanding=50 * M - k * M, interest_rate=Decimal("11"))
        )  # fmt: skip
    rows.append(
        L.line(F5, OTHER_CIF, officer_code, customer_name="Warung Lain", product_code="KMK",
               plafond=150 * M, outstanding=100 * M)
    )  # fmt: skip
    return rows


@dataclass
class Story:
    """The customers and facilities of the story, by name."""

    customer: Customer
    other: Customer
    bare: Customer
    facilities: dict[str, Facility]


def import_listings(world, tmp_path, days=LISTINGS) -> None:
    """Import the story's listings in date order through the real importer."""
    L.catalogue()
    importer = L.Importer(tmp_path, world.admin)
    for day in days:
        outcome = importer.csv(listing(day, world.officer.officer_code), day)
        assert outcome.ok, outcome


def product(code: str) -> Product:
    return db.session.scalar(sa.select(Product).where(Product.code == code))


def introduce(customer, officer, day: date, code: str, outcome: str, **kw) -> Introduction:
    row = Introduction(
        customer_id=customer.id,
        product_id=product(code).id,
        officer_id=officer.id,
        introduced_on=day,
        place=kw.pop("place", "client_office"),
        outcome=outcome,
        explanation=kw.pop("explanation", f"Presented {code}"),
        **kw,
    )
    db.session.add(row)
    db.session.commit()
    return row


def follow_up(customer, officer, day: date, status: str, facility=None, **kw) -> FollowUp:
    values = {
        "customer_id": customer.id,
        "facility_id": facility.id if facility else None,
        "owner_id": officer.id,
        "created_by_id": officer.id,
        "channel": "call",
        "purpose": "collection" if facility else "relationship",
        "planned_date": day,
        "status": status,
        "done_at": utc(day) if status == "done" else None,
        # Settled on its day (a cancelled or missed follow-up is not changed again).
        "updated_at": utc(day) if status != "planned" else utc(day) - timedelta(days=7),
        "created_at": utc(day) - timedelta(days=7),
    }
    values.update(kw)
    row = FollowUp(**values)
    db.session.add(row)
    db.session.commit()
    return row


def promise(customer, officer, facility, made: date, amount, due: date, **kw) -> PromiseToPay:
    """A promise made on a done collection follow-up of `made`."""
    row = follow_up(customer, officer, made, "done", facility, outcome="promised_to_pay", **kw)
    made_promise = PromiseToPay(
        follow_up_id=row.id,
        facility_id=facility.id,
        customer_id=customer.id,
        officer_id=officer.id,
        promised_amount=Decimal(str(amount)),
        promised_date=due,
        promised_on=made,
        deadline=deadline_for(due),
    )
    db.session.add(made_promise)
    db.session.commit()
    return made_promise


def complaint(customer, received: datetime, status: str = "open", **kw) -> Complaint:
    values = {
        "channel": "branch",
        "category": "billing",
        "priority": "normal",
        "description": "Charged twice",
        "due_date": received.date(),
        "status": status,
    }
    if status in ("resolved", "closed"):
        values["resolution"] = "Refunded"
        values["resolved_at"] = kw.pop("resolved_at")
    values.update(kw)
    row = Complaint(
        customer_id=customer.id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        received_at=received,
        **values,
    )
    db.session.add(row)
    db.session.commit()
    return row


def visit(customer, officer, day: date, rating: str, facility=None, **kw) -> MonitoringVisit:
    values = {
        "business_condition": "Shop open, stock thin",
        "collateral_condition": "Good",
        "collateral_value": Decimal("750000000.00"),
        "findings": "Sales down",
        "recommendations": "Visit again next month",
        "next_visit_date": None,
    }
    values.update(kw)
    row = MonitoringVisit(
        customer_id=customer.id,
        facility_id=facility.id if facility else None,
        officer_id=officer.id,
        visit_date=day,
        risk_rating=rating,
        **values,
    )
    db.session.add(row)
    db.session.commit()
    return row


def activity(story: Story, officer) -> None:
    """The customer's introductions, follow-ups, promises, complaints, visits and holdings."""
    c, f = story.customer, story.facilities
    introduce(c, officer, date(2026, 9, 10), "KI", "applied")
    introduce(c, officer, date(2026, 10, 5), "TAB", "interested", explanation="=1+1 savings")
    introduce(c, officer, date(2026, 10, 12), "KPR", "not_interested", place="phone")
    # Promise 1: 2 M by 29 Oct, kept by the 31 Oct listing (arrears 6 M → 4 M).
    promise(c, officer, f[F2], date(2026, 10, 3), 2 * M, date(2026, 10, 29))
    # Promise 2: 3 M by 30 Oct, broken (only 2 M paid by its deadline).
    promise(c, officer, f[F2], date(2026, 10, 10), 3 * M, date(2026, 10, 30), channel="visit")
    # Due in Q3 and broken: no listing between 2 Sep and its deadline (11 Sep).
    promise(c, officer, f[F2], date(2026, 9, 2), M, date(2026, 9, 8))
    follow_up(c, officer, date(2026, 10, 20), "missed", channel="whatsapp")
    follow_up(c, officer, date(2026, 10, 25), "planned")
    follow_up(c, officer, date(2026, 10, 26), "cancelled", channel="meeting", reason="Closed")
    follow_up(
        c, officer, date(2026, 10, 28), "done", channel="visit", purpose="monitoring",
        outcome="reached", notes='=HYPERLINK("http://x.test","click")',
    )  # fmt: skip
    follow_up(c, officer, date(2026, 11, 2), "planned")  # after October
    complaint(c, utc(date(2026, 8, 1)), "resolved", resolved_at=utc(date(2026, 8, 5)))
    complaint(c, utc(date(2026, 9, 20)), "open", description="Statement missing")
    complaint(
        c, utc(date(2026, 10, 2)), "resolved", resolved_at=utc(date(2026, 10, 9)),
        description="@SUM(A1) fee", category="service",
    )  # fmt: skip
    complaint(c, utc(date(2026, 10, 8)), "in_progress", description="+62 called at night")
    # Received 23:30 in Jakarta on 31 Oct, i.e. 16:30 UTC: an October complaint.
    complaint(c, datetime(2026, 10, 31, 16, 30, tzinfo=UTC), "open", description="Late one")
    visit(c, officer, date(2026, 8, 15), "adequate", f[F1])
    visit(
        c, officer, date(2026, 10, 12), "weak", f[F2], findings="-5% sales since September",
        next_visit_date=date(2026, 11, 12), met_with="Bapak Darsono (pemilik)",
    )  # fmt: skip
    deposits(story)


# The customer's deposit accounts in the deposits listing (balances by month-end).
TAB_NO, DEP_NO, GIRO_NO = "0020000000001", "0030000000001", "0040000000001"
SEP30, OCT31 = date(2026, 9, 30), date(2026, 10, 31)


def deposits(story: Story) -> None:
    """A tabungan (30 Sep and 31 Oct) and a deposito opened in October for the customer, a giro
    for the customer without credit, and mobile banking recorded by hand (no listing covers it)."""
    tab = holding_helpers.make_deposit(
        story.customer, "TAB", {SEP30: "12500000"}, account_no=TAB_NO, open_date=date(2019, 5, 2)
    )
    holding_helpers.post_deposit(tab, OCT31, "15250000.50", average="14000000")
    holding_helpers.make_deposit(
        story.customer, "DEP", {OCT31: 100 * M}, account_no=DEP_NO, open_date=date(2026, 10, 1),
        maturity_date=date(2027, 10, 1), aro=False,
    )  # fmt: skip
    holding_helpers.make_deposit(story.bare, "GIRO", {OCT31: 5 * M}, account_no=GIRO_NO)
    holding_helpers.record(story.customer, "MBANKING", opened_on=date(2024, 1, 5))


_STORIES: dict = {}


def build_story(world, tmp_path, *, with_activity: bool = True) -> Story:
    """The story: built on its first use (per worker, day and world), then its rows copied in
    (tests/support/snapshots.py) — a dozen listing imports run once, not for every test."""
    key = (
        with_activity,
        bank_today(),
        str(db.engine.url),
        tuple(u.id for u in (world.officer, world.supervisor, world.admin, world.remote)),
    )

    def ids(story: Story) -> tuple:
        customers = (story.customer.id, story.other.id, story.bare.id)
        return customers, {n: f.id for n, f in story.facilities.items()}

    def build() -> Story:  # loaded again, as a copy is (the build's objects were committed)
        built = _build_story(world, tmp_path, with_activity)
        return _story_of(*ids(built))

    return copied(_STORIES, key, build, ids, lambda kept: _story_of(*kept))


def _story_of(ids: tuple[int, int, int], facilities: dict[str, int]) -> Story:
    customer, other, bare = (db.session.get(Customer, id_) for id_ in ids)
    return Story(
        customer, other, bare, {n: db.session.get(Facility, id_) for n, id_ in facilities.items()}
    )


def _build_story(world, tmp_path, with_activity: bool) -> Story:
    """Import the listings, then record the customer's activity (see the module docstring)."""
    import_listings(world, tmp_path)
    customer = L.customer(CIF)
    story = Story(
        customer=customer,
        other=L.customer(OTHER_CIF),
        bare=make_customer(world.officer, name="Tanpa Kredit", cif="0000555555"),
        facilities={n: L.facility(n) for n in (F1, F2, F3, F4, F5)},
    )
    if with_activity:
        activity(story, world.officer)
    return story


def crowd(world, tmp_path, count: int) -> list[int]:
    """`count` customers with 3 facilities each (two listings) and one of every activity."""
    L.catalogue()
    code = world.officer.officer_code
    importer = L.Importer(tmp_path, world.admin)
    for day in (date(2026, 9, 30), date(2026, 10, 31)):
        rows = [
            L.line(f"9{n:05d}{k}", f"C{n:05d}", code, customer_name=f"Crowd {n}",
                   product_code=("KMK", "KUR", "KPR")[k], dpd=(n % 3) * 10 * (k == 1),
                   arrears_principal=Decimal(100 * (n % 3)) if k == 1 else Decimal(0))
            for n in range(count)
            for k in range(3)
        ]  # fmt: skip
        assert importer.csv(rows, day).ok
    customers = db.session.scalars(
        sa.select(Customer).where(Customer.cif.like("C%")).order_by(Customer.cif)
    ).all()
    for n, customer in enumerate(customers):
        facility = db.session.scalar(sa.select(Facility).where(Facility.account_no == f"9{n:05d}1"))
        introduce(customer, world.officer, date(2026, 10, 5), "KMK", "interested")
        promise(customer, world.officer, facility, date(2026, 10, 3), M, date(2026, 10, 29))
        follow_up(customer, world.officer, date(2026, 10, 20), "planned")
        complaint(customer, utc(date(2026, 10, 8)))
        visit(customer, world.officer, date(2026, 10, 12), "weak", facility)
        db.session.add(ProductHolding(customer_id=customer.id, product_id=product("TAB").id))
    db.session.commit()
    return [c.id for c in customers]


# -- reading workbooks back --------------------------------------------------------------------
def header_row(ws, first_header: str) -> int:
    """The (1-based) row of the table header whose first cell is `first_header`."""
    return next(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == first_header)


def table(ws, first_header: str) -> tuple[list[str], list[dict]]:
    """The table's headers and its rows as {header: cell} (the totals row left out)."""
    top = header_row(ws, first_header)
    headers = []
    for cell in ws[top]:
        if cell.value is None:
            break
        headers.append(cell.value)
    rows = []
    for number in range(top + 1, ws.max_row + 1):
        cells = [ws.cell(number, col + 1) for col in range(len(headers))]
        if cells[0].value in (None, "Total") or all(c.value is None for c in cells[1:]):
            break
        rows.append(dict(zip(headers, cells, strict=True)))
    return headers, rows


def facts(ws, value_column: int = 2) -> dict:
    """The facts block of a sheet: {label: value cell} (RustWriter merges them into column C)."""
    return {
        ws.cell(n, 1).value: ws.cell(n, value_column)
        for n in range(3, ws.max_row + 1)
        if ws.cell(n, 1).value and ws.cell(n, 1).font.b
    }


def money(value) -> Decimal:
    """A money cell's number (or an API string) as a Decimal, for exact comparison."""
    return Decimal(str(value))


def report_data(**values):
    """A CustomerReportData built in memory (no database), for the pure builder's tests."""
    from aoapp.kpis.periods import parse_period
    from aoapp.reports.customer.data import CustomerReportData

    defaults = {
        "customer_id": 1, "cif": "0000000001", "name": "Ibu Ani", "customer_type": "individual",
        "segment": "micro", "since": date(2020, 1, 1), "branch_id": 1, "branch_code": "JKT01",
        "branch_name": "Jakarta", "officer_id": None, "officer_username": None, "officer_code": None,
        "officer_name": None, "period": parse_period("2026-10"), "as_of": date(2026, 10, 31),
        "judged_on": date(2026, 11, 24),
        "kol_names": {1: "Current", 2: "Special mention", 3: "Substandard", 4: "Doubtful",
                      5: "Loss"},
    }  # fmt: skip
    return CustomerReportData(**{**defaults, **values})
