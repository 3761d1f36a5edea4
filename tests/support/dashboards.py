"""Builders of the dashboards' hand-computed book, `dashboard_book(world)`, and its figures.

Cast (support/factories.make_world plus one): ao.budi and ao.sari in JKT01, ao.baru (JKT01, no
portfolio), ao.dewi in BDG01. Listings (Kol from the DPD bands and one-obligor, as the import
computes it): 31 Aug, 30 Sep, 31 Oct 2026 (month-ends) and 15 Oct 2026, a mid-month listing of
B3 only (not a month-end: the trend and the migration skip it). The period is October 2026, so
A = 31 Oct, the previous month-end listing 30 Sep. Amounts are in millions of rupiah (M).

    account  officer  customer        31 Aug      30 Sep      15 Oct    31 Oct
    B1       budi     CB1             100 dpd 0   100 dpd 0             100 dpd 0    matures 15 Dec
    B2       budi     CB2             200 dpd 0   200 dpd 10            200 dpd 45
    B3       budi     CB3             300 dpd 0   300 dpd 60  300 dpd 75 300 dpd 95
    B4       budi     CB4              50 dpd 70   50 dpd 100            50 dpd 0
    B5       budi     CB5 (new 8 Oct)                                    80 dpd 0     starts 10 Oct
    B6a      budi     CB6              40 dpd 0    40 dpd 0              40 dpd 0     } one obligor:
    B6b      budi     CB6              60 dpd 0    60 dpd 0              60 dpd 130   } both Kol 4
    B7       budi     CB7              10 dpd 0    10 dpd 0             (repaid)
    S1       sari     CS1             150 dpd 0   150 dpd 0             150 dpd 200
    S2       sari     CS2 (1 Sep)                 450 dpd 0             450 dpd 0    starts 1 Sep
    D1       dewi     CD1             800 dpd 0   800 dpd 0             800 dpd 0
    D2       dewi     CD2             200 dpd 0   200 dpd 0             200 dpd 35

Activities (October unless said), besides the listings:
- prospects collected / converted by 31 Oct: budi 4 / 1 (and one of September converted in
  October, which counts in neither), sari 2 / 2, baru 1 / 0, dewi 0 / 0.
- introductions: budi 2 (3 and 21 Oct; 30 Sep does not count), sari 1, baru 1.
- promises to pay (deadline = promised date + 3 grace days): budi PT1 B4 kept (DPD 0 on 31 Oct),
  PT2 and PT3 on B3 broken (no listing before their deadlines), PT4 on B2 has its deadline on
  1 Nov (not October's); sari PT5 on S1 broken.
- follow-ups done in October: budi 7 (three plus the four promises' calls), sari 2, dewi 1.
  Overdue at the end of 31 Oct: budi 2 (27 Oct still planned; 25 Oct done only on 2 Nov), sari 1.
  The cancelled one (20 Oct) and the one due on 31 Oct itself never are.
- as of 31 Oct (October's dashboards): budi 1 follow-up planned that day, 2 overdue (27 Oct,
  25 Oct); sari 0 and 1 (29 Oct); the complaints were all received after October: none open.
- live, on `today` (the current month's dashboards): budi has 2 follow-ups planned today and 3
  overdue (27 Oct, 31 Oct, today - 3), 2 open complaints of which 1 overdue (a resolved one does
  not count); sari 0 today, 1 overdue (29 Oct), 1 open complaint, overdue (escalated); dewi 1
  open complaint, not overdue.
- targets for October: budi new customers 2, new disbursement 100 M, outstanding growth 50 M,
  maximum NPL ratio 0.4000, follow-ups done 10 (no introductions target); sari new customers 1,
  follow-ups done 4; baru introductions 2; dewi none.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.targets.models import Target
from tests.support.complaints import complaint
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer, make_user
from tests.support.followups import followup, promise
from tests.support.reports_portfolio import at, introduce, make_prospect
from tests.support.snapshots import copied, copy_key

M = 1_000_000
AUG31, SEP30, OCT15, OCT31 = (
    date(2026, 8, 31),
    date(2026, 9, 30),
    date(2026, 10, 15),
    date(2026, 10, 31),
)
PERIOD = "2026-10"
MONTH = date(2026, 10, 1)

# account: (officer attribute, customer key, {listing date: (outstanding in M, dpd)})
FACILITIES = {
    "B1": ("officer", "CB1", {AUG31: (100, 0), SEP30: (100, 0), OCT31: (100, 0)}),
    "B2": ("officer", "CB2", {AUG31: (200, 0), SEP30: (200, 10), OCT31: (200, 45)}),
    "B3": (
        "officer",
        "CB3",
        {AUG31: (300, 0), SEP30: (300, 60), OCT15: (300, 75), OCT31: (300, 95)},
    ),
    "B4": ("officer", "CB4", {AUG31: (50, 70), SEP30: (50, 100), OCT31: (50, 0)}),
    "B5": ("officer", "CB5", {OCT31: (80, 0)}),
    "B6a": ("officer", "CB6", {AUG31: (40, 0), SEP30: (40, 0), OCT31: (40, 0)}),
    "B6b": ("officer", "CB6", {AUG31: (60, 0), SEP30: (60, 0), OCT31: (60, 130)}),
    "B7": ("officer", "CB7", {AUG31: (10, 0), SEP30: (10, 0)}),
    "S1": ("colleague", "CS1", {AUG31: (150, 0), SEP30: (150, 0), OCT31: (150, 200)}),
    "S2": ("colleague", "CS2", {SEP30: (450, 0), OCT31: (450, 0)}),
    "D1": ("remote", "CD1", {AUG31: (800, 0), SEP30: (800, 0), OCT31: (800, 0)}),
    "D2": ("remote", "CD2", {AUG31: (200, 0), SEP30: (200, 0), OCT31: (200, 35)}),
}
CUSTOMER_SINCE = {"CB5": date(2026, 10, 8), "CS2": date(2026, 9, 1)}  # others: 2024
FACILITY_DATES = {  # account: (start, maturity); others start 2 Jan 2023, mature 2 Jan 2028
    "B1": (date(2023, 1, 2), date(2026, 12, 15)),
    "B5": (date(2026, 10, 10), date(2029, 10, 10)),
    "S2": (date(2026, 9, 1), date(2029, 9, 1)),
}

# --- The expected numbers, worked out by hand from the table above ----------------------------


@dataclass(frozen=True)
class Expected:
    """One portfolio's figures on 31 Oct (money in rupiah, ratios with 4 places)."""

    outstanding: int
    debtors: int
    facilities: int
    npl: int
    npl_ratio: str
    par30: int
    par30_ratio: str
    npl_ratio_change: str  # since 30 Sep
    par30_ratio_change: str
    watchlist: int
    kol: dict = field(default_factory=dict)  # Kol: (count, outstanding M, share)


# budi 31 Oct: 830 M, NPL B3 + B6a + B6b = 400 (0.4819), PAR 30 B2 + B3 + B6b = 560 (0.6747);
# 30 Sep: 760 M, NPL B4 50 (0.0658), PAR 30 B3 + B4 = 350 (0.4605).
# Watchlist on 31 Oct (one row per account; no listing after 31 Oct, so judged today):
# DPD rise B2 B3 B6b, downgrade B3 B6a B6b, maturity B1, broken promise B2 (PT4) B3 (PT3),
# no follow-up in 7 days B2 B3 B6b: accounts B1 B2 B3 B6a B6b = 5.
BUDI = Expected(
    830 * M, 6, 7, 400 * M, "0.4819", 560 * M, "0.6747", "0.4161", "0.2142", 5,
    {1: (3, 230, "0.2771"), 2: (1, 200, "0.2410"), 3: (1, 300, "0.3614"),
     4: (2, 100, "0.1205"), 5: (0, 0, "0.0000")},
)  # fmt: skip
# sari 31 Oct: 600 M, S1 Kol 5 (150) is NPL and PAR 30 (0.2500); 30 Sep: 600 M, nothing at risk.
# Watchlist: S1 (DPD rise, downgrade, broken promise PT5, no follow-up) = 1 account.
SARI = Expected(
    600 * M, 2, 2, 150 * M, "0.2500", 150 * M, "0.2500", "0.2500", "0.2500", 1,
    {1: (1, 450, "0.7500"), 2: (0, 0, "0.0000"), 3: (0, 0, "0.0000"),
     4: (0, 0, "0.0000"), 5: (1, 150, "0.2500")},
)  # fmt: skip
# dewi 31 Oct: 1000 M, D2 Kol 2 at 35 dpd: PAR 30 200 (0.2000), no NPL. Watchlist: D2 DPD rise,
# downgrade, no follow-up: 1 account.
DEWI = Expected(
    1000 * M, 2, 2, 0, "0.0000", 200 * M, "0.2000", "0.0000", "0.2000", 1,
    {1: (1, 800, "0.8000"), 2: (1, 200, "0.2000"), 3: (0, 0, "0.0000"),
     4: (0, 0, "0.0000"), 5: (0, 0, "0.0000")},
)  # fmt: skip
# JKT01 31 Oct: 1430 M, NPL 550 (0.3846), PAR 30 710 (0.4965); 30 Sep: 1360 M, NPL 50 (0.0368),
# PAR 30 350 (0.2574).
JKT = Expected(
    1430 * M, 8, 9, 550 * M, "0.3846", 710 * M, "0.4965", "0.3478", "0.2391", 6,
    {1: (4, 680, "0.4755"), 2: (1, 200, "0.1399"), 3: (1, 300, "0.2098"),
     4: (2, 100, "0.0699"), 5: (1, 150, "0.1049")},
)  # fmt: skip
# The bank 31 Oct: 2430 M, NPL 550 (0.2263), PAR 30 910 (0.3745); 30 Sep: 2360 M, NPL 50
# (0.0212), PAR 30 350 (0.1483).
BANK = Expected(
    2430 * M, 10, 11, 550 * M, "0.2263", 910 * M, "0.3745", "0.2051", "0.2262", 7,
    {1: (5, 1480, "0.6091"), 2: (2, 400, "0.1646"), 3: (1, 300, "0.1235"),
     4: (2, 100, "0.0412"), 5: (1, 150, "0.0617")},
)  # fmt: skip

# Trend points (as_of, outstanding M, NPL ratio, PAR 30 ratio), oldest first; 15 Oct is skipped.
BUDI_TREND = [
    (AUG31, 760, "0.0000", "0.0658"),
    (SEP30, 760, "0.0658", "0.4605"),
    (OCT31, 830, "0.4819", "0.6747"),
]
JKT_TREND = [
    (AUG31, 910, "0.0000", "0.0549"),
    (SEP30, 1360, "0.0368", "0.2574"),
    (OCT31, 1430, "0.3846", "0.4965"),
]

# Kol migration of JKT01, (from Kol or None = new, to Kol): (facilities, outstanding M).
MIGRATION_SEP_OCT = {
    (1, 1): (2, 550),  # B1, S2
    (1, 4): (2, 100),  # B6a, B6b (one obligor)
    (1, 5): (1, 150),  # S1
    (2, 2): (1, 200),  # B2
    (2, 3): (1, 300),  # B3
    (3, 1): (1, 50),  # B4
    (None, 1): (1, 80),  # B5, new in October
}
MIGRATION_AUG_OCT = {
    (1, 1): (1, 100),  # B1
    (1, 2): (1, 200),  # B2
    (1, 3): (1, 300),  # B3
    (1, 4): (2, 100),  # B6a, B6b
    (1, 5): (1, 150),  # S1
    (2, 1): (1, 50),  # B4
    (None, 1): (2, 530),  # B5, S2 (no position on 31 Aug)
}

# Officer KPIs of October (username: values).
KPIS = {
    "ao.budi": {
        "debtors": 6, "facilities": 7, "downgrades": 3, "prospects_collected": 4,
        "prospects_converted": 1, "conversion_rate": "0.2500", "introductions": 2,
        "followups_done": 7, "followups_overdue": 2, "ptp_kept": 1, "ptp_broken": 2,
        "ptp_kept_rate": "0.3333", "complaints_open": 0, "complaints_overdue": 0,
    },
    "ao.sari": {
        "debtors": 2, "facilities": 2, "downgrades": 1, "prospects_collected": 2,
        "prospects_converted": 2, "conversion_rate": "1.0000", "introductions": 1,
        "followups_done": 2, "followups_overdue": 1, "ptp_kept": 0, "ptp_broken": 1,
        "ptp_kept_rate": "0.0000", "complaints_open": 0, "complaints_overdue": 0,
    },
    "ao.baru": {
        "debtors": 0, "facilities": 0, "downgrades": 0, "prospects_collected": 1,
        "prospects_converted": 0, "conversion_rate": "0.0000", "introductions": 1,
        "followups_done": 0, "followups_overdue": 0, "ptp_kept": 0, "ptp_broken": 0,
        "ptp_kept_rate": None, "complaints_open": 0, "complaints_overdue": 0,
    },
    "ao.dewi": {
        "debtors": 2, "facilities": 2, "downgrades": 1, "prospects_collected": 0,
        "prospects_converted": 0, "conversion_rate": None, "introductions": 0,
        "followups_done": 1, "followups_overdue": 0, "ptp_kept": 0, "ptp_broken": 0,
        "ptp_kept_rate": None, "complaints_open": 0, "complaints_overdue": 0,
    },
}  # fmt: skip
# Prospects of ao.budi by status on 31 Oct (status history): PB1 and the September one won, PB2
# contacted, PB3 interested, PB4 new; PB5 was collected in November (not there yet).
BUDI_PIPELINE = {
    "new": 1, "contacted": 1, "interested": 1, "applied": 0, "won": 2, "rejected": 0, "lost": 0,
}  # fmt: skip
# Counts at the end of 31 Oct (October's dashboards: complaints were all received later).
OCTOBER_WORKLOAD = {
    "ao.budi": {"today": 1, "overdue": 2, "open": 0, "late": 0},
    "ao.sari": {"today": 0, "overdue": 1, "open": 0, "late": 0},
    "ao.baru": {"today": 0, "overdue": 0, "open": 0, "late": 0},
    "ao.dewi": {"today": 0, "overdue": 0, "open": 0, "late": 0},
}
# Live counts on `today` (the current month's dashboards).
LIVE = {
    "ao.budi": {"today": 2, "overdue": 3, "open": 2, "late": 1},
    "ao.sari": {"today": 0, "overdue": 1, "open": 1, "late": 1},
    "ao.baru": {"today": 0, "overdue": 0, "open": 0, "late": 0},
    "ao.dewi": {"today": 0, "overdue": 0, "open": 1, "late": 0},
}
# Target achievement in October: (target, actual, achievement, met) per metric; None = no target.
# budi: 1 new customer (CB5) of 2; 80 M disbursed (B5's plafond) of 100 M; growth 830 - 760 =
# 70 M of 50 M (1.4000, capped at 1 in the overall); NPL 0.4819 above the 0.4000 ceiling
# (0.4000 / 0.4819 = 0.8300); 7 follow-ups of 10. Overall (0.5 + 0.8 + 1 + 0.83 + 0.7) / 5.
TARGETS = {
    "ao.budi": {
        "new_customers": ("2", "1", "0.5000", False),
        "new_disbursement": ("100000000.00", "80000000.00", "0.8000", False),
        "outstanding_growth": ("50000000.00", "70000000.00", "1.4000", True),
        "max_npl_ratio": ("0.4000", "0.4819", "0.8300", False),
        "followups_done": ("10", "7", "0.7000", False),
        "introductions": None,
    },
}
OVERALL = {"ao.budi": "0.7660", "ao.sari": "0.2500", "ao.baru": "0.5000", "ao.dewi": None}


@dataclass
class Book:
    """What `dashboard_book` built."""

    world: object
    newcomer: object  # ao.baru: JKT01, no portfolio
    today: date
    facilities: dict = field(default_factory=dict)
    customers: dict = field(default_factory=dict)


def _portfolio(world) -> tuple[dict, dict]:
    """Customers, facilities and the four listings."""
    customers, facilities = {}, {}
    for account, (who, key, _days) in FACILITIES.items():
        if key not in customers:
            since = CUSTOMER_SINCE.get(key, date(2024, 1, 15))
            customers[key] = make_customer(getattr(world, who), name=f"Debtor {key}", since=since)
        start, maturity = FACILITY_DATES.get(account, (date(2023, 1, 2), date(2028, 1, 2)))
        facilities[account] = make_facility(
            customers[key], account, start=start, maturity=maturity, plafond=Decimal(80 * M)
        )
    for day in (AUG31, SEP30, OCT15, OCT31):
        entries = [
            (facilities[account], days[day][1], days[day][0] * M)
            for account, (_who, _key, days) in FACILITIES.items()
            if day in days
        ]
        post_listing(day, entries)
    return customers, facilities


def _prospects(budi, sari, baru) -> None:
    d = date
    won_oct20 = [(d(2026, 10, 2), "new"), (d(2026, 10, 20), "won")]
    make_prospect(budi, at(d(2026, 10, 2)), won_oct20, converted_at=at(d(2026, 10, 20)))
    make_prospect(
        budi, at(d(2026, 10, 5)), [(d(2026, 10, 5), "new"), (d(2026, 10, 9), "contacted")]
    )
    make_prospect(
        budi, at(d(2026, 10, 12)), [(d(2026, 10, 12), "new"), (d(2026, 10, 15), "interested")]
    )
    make_prospect(budi, at(d(2026, 10, 30)), [(d(2026, 10, 30), "new")], source="event")
    september = [(d(2026, 9, 20), "new"), (d(2026, 10, 3), "won")]
    make_prospect(budi, at(d(2026, 9, 20)), september, converted_at=at(d(2026, 10, 3)))
    make_prospect(budi, at(d(2026, 11, 2)), [(d(2026, 11, 2), "new")])  # PB5, November's
    for collected, won in ((d(2026, 10, 6), d(2026, 10, 10)), (d(2026, 10, 7), d(2026, 10, 25))):
        make_prospect(sari, at(collected), [(collected, "new"), (won, "won")], converted_at=at(won))
    first = make_prospect(baru, at(d(2026, 10, 8)), [(d(2026, 10, 8), "new")])
    introduce(budi, d(2026, 10, 3), prospect=first)
    introduce(budi, d(2026, 10, 21), prospect=first)
    introduce(budi, d(2026, 9, 30), prospect=first)
    introduce(sari, d(2026, 10, 15), prospect=first)
    introduce(baru, d(2026, 10, 9), prospect=first)


def _followups(world, facilities, customers, today: date) -> None:
    budi, sari, dewi = world.officer, world.colleague, world.remote
    d = date
    for key, account, made, by in (
        ("PT1", "B4", d(2026, 10, 20), d(2026, 10, 28)),
        ("PT2", "B3", d(2026, 10, 1), d(2026, 10, 10)),
        ("PT3", "B3", d(2026, 10, 16), d(2026, 10, 25)),
        ("PT4", "B2", d(2026, 10, 5), d(2026, 10, 29)),
        ("PT5", "S1", d(2026, 10, 10), d(2026, 10, 20)),
    ):
        owner = sari if key == "PT5" else budi
        row = followup(owner, facility=facilities[account], planned_date=made)
        promise(row, "1000000", promised_on=made, promised_date=by)
    done = {"status": "done", "outcome": "reached"}
    cb1, cs1, cd1 = customers["CB1"], customers["CS1"], customers["CD1"]
    for day in (d(2026, 10, 5), d(2026, 10, 12), d(2026, 10, 28)):
        followup(budi, customer=cb1, planned_date=day, done_at=at(day), **done)
    followup(budi, customer=cb1, planned_date=d(2026, 10, 27))  # overdue on 31 Oct and today
    followup(budi, customer=cb1, planned_date=d(2026, 10, 25), done_at=at(d(2026, 11, 2)), **done)
    followup(
        budi,
        customer=cb1,
        planned_date=d(2026, 10, 20),
        status="cancelled",
        reason="x",
        updated_at=at(d(2026, 10, 19)),  # cancelled the day before
    )
    followup(budi, customer=cb1, planned_date=OCT31)  # due on A: overdue only live
    followup(budi, customer=cb1, planned_date=today)
    followup(budi, customer=cb1, planned_date=today, channel="visit")
    followup(budi, customer=cb1, planned_date=today - timedelta(days=3))
    followup(budi, customer=cb1, planned_date=today + timedelta(days=2))  # upcoming: neither
    followup(sari, customer=cs1, planned_date=d(2026, 10, 14), done_at=at(d(2026, 10, 14)), **done)
    followup(sari, customer=cs1, planned_date=d(2026, 10, 29))
    followup(dewi, customer=cd1, planned_date=d(2026, 10, 3), done_at=at(d(2026, 10, 3)), **done)


def _complaints(customers, today: date) -> None:
    complaint(customers["CB1"], due_date=today + timedelta(days=5))
    complaint(customers["CB2"], status="in_progress", due_date=today - timedelta(days=2))
    complaint(customers["CB3"], status="resolved", due_date=today - timedelta(days=10))
    complaint(customers["CS1"], status="escalated", due_date=today - timedelta(days=1))
    complaint(customers["CD1"], due_date=today + timedelta(days=3))


def _targets(world, baru) -> None:
    rows = [
        Target(
            officer_id=world.officer.id,
            month=MONTH,
            new_customers=2,
            new_disbursement=Decimal(100 * M),
            outstanding_growth=Decimal(50 * M),
            max_npl_ratio=Decimal("0.4000"),
            followups_done=10,
        ),
        Target(officer_id=world.colleague.id, month=MONTH, new_customers=1, followups_done=4),
        Target(officer_id=baru.id, month=MONTH, introductions=2),
    ]
    db.session.add_all(rows)
    db.session.commit()


_BOOKS: dict = {}


def dashboard_book(world, today: date | None = None) -> Book:
    """The whole fixture; live follow-ups and complaints are placed around `today` (default:
    the bank's today, which must be after October 2026). Built on its first use (per worker,
    day, database, world and rows already there), then its rows copied in
    (tests/support/snapshots.py): four listings and their rollups written once, not for each of
    the hundred tests that read it."""
    today = today or bank_today()
    assert today > date(2026, 11, 3), "the live items must fall after the fixture's months"
    key = copy_key(
        today, tuple(u.id for u in (world.officer, world.colleague, world.remote, world.supervisor))
    )

    def ids(book: Book) -> tuple:
        facilities = {name: f.id for name, f in book.facilities.items()}
        return book.newcomer.id, facilities, {k: c.id for k, c in book.customers.items()}

    def restore(kept: tuple) -> Book:
        newcomer, facilities, customers = kept
        return Book(
            world,
            db.session.get(User, newcomer),
            today,
            {name: db.session.get(Facility, id_) for name, id_ in facilities.items()},
            {key: db.session.get(Customer, id_) for key, id_ in customers.items()},
        )

    return copied(_BOOKS, key, lambda: _dashboard_book(world, today), ids, restore)


def _dashboard_book(world, today: date) -> Book:
    baru = make_user("ao.baru", "officer", "JKT01")
    customers, facilities = _portfolio(world)
    _prospects(world.officer, world.colleague, baru)
    _followups(world, facilities, customers, today)
    _complaints(customers, today)
    _targets(world, baru)
    return Book(world, baru, today, facilities, customers)
