"""Builders of a hand-counted October 2026 for target achievement (ao.budi and ao.sari of JKT01).

Listings: 30 Sep 2026 (the previous month-end) and 31 Oct 2026 (the as-of date A of October).
Amounts in millions of rupiah (M).

ao.budi
- customers since 1 Oct and 31 Oct (in October: 2); since 30 Sep and 1 Nov (not in October);
  plus two old customers holding old facilities.
- facilities on 31 Oct booked to ao.budi: F1 old 380 (400 on 30 Sep), F2 started 5 Oct plafond
  200 (outstanding 200), F3 started 31 Oct plafond 100 (100), F4 started 30 Sep plafond 150
  (140; 150 on 30 Sep), F7 old 80 with DPD 100 = Kol 3 (100 and DPD 0 on 30 Sep).
  F5 started 10 Oct, plafond 300, is a customer of ao.budi's but booked to ao.sari on 31 Oct.
  F6 started 20 Oct, plafond 50, has no position on 31 Oct (its first listing comes later).
  → new disbursement 200 + 100 = 300; outstanding 380 + 200 + 100 + 140 + 80 = 900, on 30 Sep
  400 + 150 + 100 = 650 → growth 250; NPL 80 / 900 = 0.0889.
- follow-ups done (Jakarta days): 30 Sep 17:30 UTC = 1 Oct 00:30 WIB, 15 Oct, 31 Oct 16:59 UTC =
  23:59 WIB → 3; 30 Sep 16:59 UTC (30 Sep WIB) and 31 Oct 17:00 UTC (1 Nov WIB) are not
  October's; one still planned.
- introductions on 1 Oct and 31 Oct → 2 (30 Sep and 1 Nov are not October's).

ao.sari
- one customer since 15 Oct (no credit) → 1; an old customer with F8: 500 on 30 Sep, 450 on 31 Oct.
- F5 (300) booked to her on 31 Oct → disbursement 300; outstanding 750, on 30 Sep 500 → growth
  250; NPL 0. One follow-up done on 10 Oct; no introductions.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.kpis.officers import OfficerRef, officer_kpis
from aoapp.kpis.periods import parse_period
from tests.support.credit import credit_product, make_facility, post_listing
from tests.support.factories import make_customer, make_prospect
from tests.support.followups import followup
from tests.support.snapshots import copied, copy_key

SEP30, OCT31 = date(2026, 9, 30), date(2026, 10, 31)
OCTOBER = parse_period("2026-10")
NOVEMBER = parse_period("2026-11")
M = 1_000_000


def millions(n) -> Decimal:
    return Decimal(n * M).quantize(Decimal("0.01"))


@dataclass
class October:
    """What `october()` built."""

    budi: object
    sari: object
    remote: object
    facilities: dict


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _customers(world) -> dict:
    budi, sari = world.officer, world.colleague
    return {
        "oct1": make_customer(budi, since=date(2026, 10, 1)),
        "oct31": make_customer(budi, since=date(2026, 10, 31)),
        "sep30": make_customer(budi, since=date(2026, 9, 30)),
        "nov1": make_customer(budi, since=date(2026, 11, 1)),
        "old": make_customer(budi, since=date(2020, 5, 4)),
        "old_npl": make_customer(budi, since=date(2021, 2, 3)),
        "sari_new": make_customer(sari, since=date(2026, 10, 15)),
        "sari_old": make_customer(sari, since=date(2019, 7, 8)),
    }


def _facilities(c: dict) -> dict:
    def fac(customer, start, plafond):
        return make_facility(customer, start=start, plafond=millions(plafond))

    return {
        "F1": fac(c["old"], date(2023, 1, 2), 500),
        "F2": fac(c["oct1"], date(2026, 10, 5), 200),
        "F3": fac(c["oct31"], date(2026, 10, 31), 100),
        "F4": fac(c["sep30"], date(2026, 9, 30), 150),
        "F5": fac(c["old"], date(2026, 10, 10), 300),
        "F6": fac(c["nov1"], date(2026, 10, 20), 50),
        "F7": fac(c["old_npl"], date(2022, 6, 1), 100),
        "F8": fac(c["sari_old"], date(2024, 3, 1), 600),
    }


def _activity(world, c: dict) -> None:
    budi, sari = world.officer, world.colleague
    done = {"status": "done", "outcome": "reached"}
    for when in (
        utc(SEP30, 17, 30),
        utc(date(2026, 10, 15), 3),
        utc(OCT31, 16, 59),
        utc(SEP30, 16, 59),
        utc(OCT31, 17, 0),
    ):
        followup(budi, customer=c["old"], planned_date=when.date(), done_at=when, **done)
    followup(budi, customer=c["old"], planned_date=date(2026, 10, 20))  # still planned
    day = date(2026, 10, 10)
    followup(sari, customer=c["sari_old"], planned_date=day, done_at=utc(day, 4), **done)
    product = credit_product("KMK")
    prospect = make_prospect(budi)
    for day in (date(2026, 10, 1), OCT31, SEP30, date(2026, 11, 1)):
        db.session.add(
            Introduction(
                prospect_id=prospect.id,
                product_id=product.id,
                officer_id=budi.id,
                introduced_on=day,
                place="branch",
                outcome="interested",
            )
        )
    db.session.commit()


_OCTOBERS: dict = {}


def october(world) -> October:
    """The whole fixture (see the module docstring), built on its first use (per worker, day,
    database, world and rows already there), then its rows copied in
    (tests/support/snapshots.py): eleven listings written once, not for each test."""
    officers = (world.officer, world.colleague, world.remote)

    def restore(ids: dict) -> October:
        return October(*officers, {key: db.session.get(Facility, id_) for key, id_ in ids.items()})

    return copied(
        _OCTOBERS,
        copy_key(tuple(officer.id for officer in officers)),
        lambda: _october(world),
        lambda built: {key: facility.id for key, facility in built.facilities.items()},
        restore,
    )


def _october(world) -> October:
    c = _customers(world)
    f = _facilities(c)
    post_listing(SEP30, [(f["F1"], 0, millions(400))])
    post_listing(SEP30, [(f["F4"], 0, millions(150))])
    post_listing(SEP30, [(f["F7"], 0, millions(100))])
    post_listing(SEP30, [(f["F8"], 0, millions(500))])
    post_listing(OCT31, [(f["F1"], 0, millions(380))])
    post_listing(OCT31, [(f["F2"], 0, millions(200))])
    post_listing(OCT31, [(f["F3"], 0, millions(100))])
    post_listing(OCT31, [(f["F4"], 0, millions(140))])
    post_listing(OCT31, [(f["F7"], 100, millions(80))])
    post_listing(OCT31, [(f["F8"], 0, millions(450))])
    post_listing(OCT31, [(f["F5"], 0, millions(300))], officer=world.colleague)
    _activity(world, c)
    return October(world.officer, world.colleague, world.remote, f)


def refs(*officers) -> list[OfficerRef]:
    return [OfficerRef(o.id, o.username, o.username, "JKT01") for o in officers]


def kpi_rows(period, as_of, *officers):
    """kpis/officers.py rows of the officers for the period, read on `as_of`."""
    return officer_kpis(refs(*officers), period.start, period.end, as_of)
