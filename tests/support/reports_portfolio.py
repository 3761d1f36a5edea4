"""Builders of the October book of the portfolio workbook and KPI tests, and workbook readers.

`october_book()` imports four listings (30 Sep, 15 Oct, 31 Oct, 15 Nov 2026) through the real
listing import, so every Kol comes from the real rules (DPD bands, one obligor), then adds
follow-ups, promises to pay, prospects (with their status history) and introductions whose
KPIs are computed by hand in the docstrings and constants below.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.introductions.models import Introduction
from aoapp.kpis.periods import parse_period
from aoapp.products.models import Product
from aoapp.prospects.models import Prospect, ProspectStatusChange
from aoapp.reports.package import HybridWriter
from tests.support import listings as L
from tests.support.factories import make_user, phone
from tests.support.followups import followup, promise
from tests.support.listings import line
from tests.support.snapshots import copied

SEP30, OCT15, OCT31, NOV15 = (
    date(2026, 9, 30),
    date(2026, 10, 15),
    date(2026, 10, 31),
    date(2026, 11, 15),
)
LISTINGS = (SEP30, OCT15, OCT31, NOV15)
OCTOBER = parse_period("2026-10")
M = 1_000_000

# account: (officer, CIF, customer name, outstanding, {listing: (dpd, arrears)}); a facility
# missing from a listing is not on it (A-F6 was repaid in October, A-F5 started in October).
FACILITIES = {
    "A-F1": ("officer", "CIF-F1", "Warung Satu", 100, {SEP30: 0, OCT15: 20, OCT31: 0, NOV15: 0}),
    "A-F2": (
        "officer",
        "CIF-F2",
        "Toko Dua",
        200,
        {SEP30: 0, OCT15: (10, 1_000_000), OCT31: (15, 500_000), NOV15: 0},
    ),
    "A-F3": (
        "officer",
        "CIF-F3",
        "Bengkel Tiga",
        300,
        {SEP30: (60, 3_000_000), OCT15: (75, 3_500_000), OCT31: (95, 4_000_000), NOV15: 110},
    ),
    "A-F4": ("officer", "CIF-F4", "Kios Empat", 50, {SEP30: 100, OCT15: 0, OCT31: 0, NOV15: 0}),
    "A-F5": ("officer", "CIF-F5", "Laundry Lima", 75, {OCT15: 0, OCT31: 0, NOV15: 0}),
    "A-F6": ("officer", "CIF-F6", "Salon Enam", 10, {SEP30: 0}),
    "A-F7": (
        "officer",
        "CIF-F7",
        "Depot Tujuh",
        80,
        {SEP30: (20, 2_000_000), OCT15: 0, OCT31: 0, NOV15: 0},
    ),
    # One debtor, two facilities: one obligor puts both on the worse Kol.
    "A-F8a": ("officer", "CIF-F8", "CV Delapan", 40, {SEP30: 0, OCT15: 0, OCT31: 0, NOV15: 0}),
    "A-F8b": (
        "officer",
        "CIF-F8",
        "CV Delapan",
        60,
        {SEP30: 0, OCT15: 115, OCT31: 130, NOV15: 145},
    ),
    "S-1": ("colleague", "CIF-S1", "Toko Sari", 500, {SEP30: 0, OCT15: 0, OCT31: 200, NOV15: 210}),
    "D-1": ("remote", "CIF-D1", "Toko Dewi", 1000, {SEP30: 0, OCT15: 0, OCT31: 0, NOV15: 0}),
}

# Kol migration of branch JKT01 from 30 Sep to 31 Oct: (from Kol or None = new, to Kol) ->
# (facilities, outstanding in millions). A-F1 went Kol 2 on 15 Oct and back: it migrates 1 -> 1.
JKT_MIGRATION = {
    (1, 1): (1, 100),  # A-F1
    (1, 2): (1, 200),  # A-F2
    (1, 4): (2, 100),  # A-F8a, A-F8b (one obligor)
    (1, 5): (1, 500),  # S-1
    (2, 1): (1, 80),  # A-F7
    (2, 3): (1, 300),  # A-F3
    (3, 1): (1, 50),  # A-F4
    (None, 1): (1, 75),  # A-F5
}


@dataclass
class Book:
    """What `october_book` built."""

    world: object
    newcomer: object  # an active JKT01 officer without a portfolio
    facilities: dict[str, Facility]
    promises: dict[str, object]


def _dpd_arrears(value) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, 0)


def import_listings(world, tmp_path: Path) -> None:
    """The four listings through the real import (as the admin)."""
    L.catalogue()
    importer = L.Importer(tmp_path, world.admin)
    for day in LISTINGS:
        rows = []
        for account, (who, cif, name, millions, days) in FACILITIES.items():
            if day not in days:
                continue
            dpd, arrears = _dpd_arrears(days[day])
            rows.append(
                line(
                    account,
                    cif,
                    getattr(world, who).officer_code,
                    customer_name=name,
                    outstanding=Decimal(millions * M),
                    dpd=dpd,
                    arrears_principal=Decimal(arrears),
                )
            )
        outcome = importer.csv(rows, day)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
    # The import suggests collection follow-ups; the hand-counted KPIs below use only ours.
    db.session.execute(sa.delete(FollowUp).where(FollowUp.suggestion.is_not(None)))
    db.session.commit()


def at(day: date, hour: int = 3, minute: int = 0) -> datetime:
    """A UTC timestamp (03:00 UTC is 10:00 in Jakarta)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def make_prospect(owner, created: datetime, history: list[tuple[date, str]], **kw) -> Prospect:
    """A prospect collected at `created` whose status changed on the given days."""
    prospect = Prospect(
        owner_id=owner.id,
        name=kw.pop("name", f"Prospect {created:%d%H%M}"),
        phone=phone(),
        source=kw.pop("source", "walk_in"),
        status=history[-1][1],
        created_at=created,
        **kw,
    )
    previous = None
    for day, status in history:
        prospect.history.append(
            ProspectStatusChange(
                from_status=previous, to_status=status, changed_on=day, changed_by_id=owner.id
            )
        )
        previous = status
    db.session.add(prospect)
    db.session.commit()
    return prospect


def introduce(officer, day: date, prospect=None, customer_id=None) -> Introduction:
    """A product introduction made by `officer` on `day`."""
    product = db.session.scalar(sa.select(Product).where(Product.code == "KMK"))
    row = Introduction(
        prospect_id=prospect.id if prospect else None,
        customer_id=customer_id,
        product_id=product.id,
        officer_id=officer.id,
        introduced_on=day,
        place="branch",
        outcome="interested",
    )
    db.session.add(row)
    db.session.commit()
    return row


def add_promises(facilities, budi) -> dict:
    """Promises to pay (each on a done collection follow-up at 00:00 UTC of the day made).

    P1 A-F3 made 1 Oct, by 10 Oct (deadline 13 Oct): broken (no listing in between).
    P4 A-F7 made 2 Oct, by 12 Oct (deadline 15 Oct): kept (DPD 0 on 15 Oct).
    P3 A-F2 made 16 Oct, by 30 Oct (deadline 2 Nov), Rp 500.000: kept (arrears 1.0 → 0.5 M).
    P2 A-F3 made 20 Oct, by 28 Oct (deadline 31 Oct), Rp 1.000.000: pending on 31 Oct (the
    deadline is that day), broken after it (arrears rose).
    P5 A-F8b made 10 Nov, by 20 Nov (deadline 23 Nov): not in October's picture.
    """
    made = {}
    for key, account, on, by, amount in (
        ("P1", "A-F3", date(2026, 10, 1), date(2026, 10, 10), "1000000"),
        ("P4", "A-F7", date(2026, 10, 2), date(2026, 10, 12), "1000000"),
        ("P3", "A-F2", date(2026, 10, 16), date(2026, 10, 30), "500000"),
        ("P2", "A-F3", date(2026, 10, 20), date(2026, 10, 28), "1000000"),
        ("P5", "A-F8b", date(2026, 11, 10), date(2026, 11, 20), "2000000"),
    ):
        row = followup(budi, facility=facilities[account], planned_date=on)
        made[key] = promise(row, amount, promised_on=on, promised_date=by)
    return made


def add_followups(facilities, budi) -> None:
    """Follow-ups besides the promises' (all owned by ao.budi).

    Done in October (Jakarta days): P1, P4, P3, P2's follow-ups, `early` (30 Sep 17:30 UTC =
    1 Oct 00:30 WIB) and `done_31` (31 Oct 03:00 UTC) = 6; `late` (31 Oct 17:30 UTC = 1 Nov
    00:30 WIB) is November's. Overdue at the end of 31 Oct: the planned 28 Oct visit (A-F3) and
    the 30 Oct call done only on 2 Nov = 2 (a planned 31 Oct call is not overdue yet; the
    one cancelled on 24 Oct never is). All were recorded by 30 Sep.
    """
    f2, f3, f8a, f8b = (facilities[k] for k in ("A-F2", "A-F3", "A-F8a", "A-F8b"))
    done = {"status": "done", "outcome": "reached"}
    followup(
        budi, created_at=at(SEP30), facility=f2, planned_date=date(2026, 11, 3)
    )  # A-F2's next: 3 Nov call
    followup(
        budi,
        created_at=at(SEP30),
        customer=f2.customer,
        planned_date=date(2026, 11, 10),
        channel="visit",
    )
    followup(
        budi, created_at=at(SEP30), facility=f3, planned_date=date(2026, 10, 28), channel="visit"
    )  # overdue
    followup(
        budi,
        created_at=at(SEP30),
        facility=f3,
        planned_date=date(2026, 10, 25),
        status="cancelled",
        reason="x",
        updated_at=at(date(2026, 10, 24)),
    )
    followup(
        budi, created_at=at(SEP30), facility=f8a, planned_date=date(2026, 11, 5)
    )  # about the other facility
    followup(
        budi,
        created_at=at(SEP30),
        customer=f8b.customer,
        planned_date=date(2026, 11, 8),
        channel="whatsapp",
        purpose="relationship",
    )
    f7 = facilities["A-F7"]
    followup(
        budi,
        created_at=at(SEP30),
        facility=f7,
        planned_date=date(2026, 9, 30),
        done_at=at(SEP30, 17, 30),
        **done,
    )
    followup(
        budi,
        created_at=at(SEP30),
        facility=f7,
        planned_date=date(2026, 10, 29),
        done_at=at(OCT31),
        **done,
    )
    followup(
        budi,
        created_at=at(SEP30),
        facility=f7,
        planned_date=date(2026, 10, 31),
        done_at=at(OCT31, 17, 30),
        **done,
    )
    followup(
        budi, facility=f7, planned_date=date(2026, 10, 30), done_at=at(date(2026, 11, 2)), **done
    )
    followup(
        budi, created_at=at(SEP30), facility=f7, planned_date=date(2026, 10, 31)
    )  # due on the day: not overdue


def add_prospects(budi, sari, newcomer) -> None:
    """ao.budi collects 4 prospects in October (Jakarta days) and converts 1 of them by its end.

    PR1 5 Oct, won 20 Oct (converted); PR2 10 Oct, converted 31 Oct 18:00 UTC = 1 Nov WIB (not by
    the end); PR3 12 Oct contacted; PR4 31 Oct 13:00 UTC = 20:00 WIB. Not collected in October:
    PR5 31 Oct 17:30 UTC = 1 Nov WIB, PR6 28 Sep (won 5 Oct). The newcomer collects one.
    Introductions by ao.budi: 1 Oct and 31 Oct count, 30 Sep and 1 Nov do not; ao.sari: 15 Oct.
    """
    won = [(date(2026, 10, 20), "won")]
    pr1 = make_prospect(
        budi,
        at(date(2026, 10, 5)),
        [(date(2026, 10, 5), "new"), *won],
        converted_at=at(date(2026, 10, 20)),
        source="referral",
    )
    make_prospect(
        budi,
        at(date(2026, 10, 10)),
        [(date(2026, 10, 10), "new"), (date(2026, 11, 1), "won")],
        converted_at=at(OCT31, 18),
        source="flyer",
    )
    make_prospect(
        budi,
        at(date(2026, 10, 12)),
        [(date(2026, 10, 12), "new"), (date(2026, 10, 14), "contacted")],
        source="flyer",
    )
    make_prospect(budi, at(OCT31, 13), [(OCT31, "new")], source="event")
    make_prospect(budi, at(OCT31, 17, 30), [(date(2026, 11, 1), "new")], source="event")
    make_prospect(
        budi,
        at(date(2026, 9, 28)),
        [(date(2026, 9, 28), "new"), (date(2026, 10, 5), "won")],
        converted_at=at(date(2026, 10, 5)),
        source="referral",
    )
    make_prospect(newcomer, at(date(2026, 10, 7)), [(date(2026, 10, 7), "new")], source="walk_in")
    introduce(budi, date(2026, 10, 1), prospect=pr1)
    introduce(budi, OCT31, customer_id=db.session.scalar(sa.select(Facility.customer_id).limit(1)))
    introduce(budi, SEP30, prospect=pr1)
    introduce(budi, date(2026, 11, 1), prospect=pr1)
    introduce(sari, date(2026, 10, 15), prospect=pr1)


_BOOKS: dict = {}


def october_book(world, tmp_path: Path) -> Book:
    """The whole fixture: listings, follow-ups, promises, prospects, introductions — built on
    its first use (per worker, day, database and world), then its rows copied in
    (tests/support/snapshots.py): four listing imports run once, not for every test."""
    key = (
        bank_today(),
        str(db.engine.url),
        tuple(u.id for u in (world.officer, world.colleague, world.supervisor, world.admin)),
    )

    def ids(book: Book) -> tuple:
        facilities = {name: f.id for name, f in book.facilities.items()}
        return book.newcomer.id, facilities, {n: (type(p), p.id) for n, p in book.promises.items()}

    def restore(kept: tuple) -> Book:
        newcomer, facilities, promises = kept
        return Book(
            world,
            db.session.get(User, newcomer),
            {name: db.session.get(Facility, id_) for name, id_ in facilities.items()},
            {name: db.session.get(kind, id_) for name, (kind, id_) in promises.items()},
        )

    return copied(_BOOKS, key, lambda: _october_book(world, tmp_path), ids, restore)


def _october_book(world, tmp_path: Path) -> Book:
    import_listings(world, tmp_path)
    facilities = {f.account_no: f for f in db.session.scalars(sa.select(Facility)).all()}
    newcomer = make_user("ao.baru", "officer", "JKT01")
    retired = make_user("ao.pensiun", "officer", "JKT01")
    retired.active = False
    db.session.commit()
    promises = add_promises(facilities, world.officer)
    add_followups(facilities, world.officer)
    add_prospects(world.officer, world.colleague, newcomer)
    return Book(world, newcomer, facilities, promises)


# --- reading workbooks ------------------------------------------------------------------------


def write(workbook, path: Path) -> Path:
    """Render with the portfolio's writer (HybridWriter)."""
    HybridWriter().write(workbook, str(path))
    return path


def open_both(path: Path):
    """The workbook read twice: formulas, and cached values."""
    return load_workbook(path), load_workbook(path, data_only=True)


def header_row(ws, first_header: str) -> int:
    """The 1-based row holding the table header (its first cell is `first_header`)."""
    for row in range(1, 200):
        if ws.cell(row, 1).value == first_header:
            return row
    raise AssertionError(f"{ws.title}: no header {first_header!r}")


def table(ws, first_header: str) -> tuple[list[str], list[tuple]]:
    """(headers, data rows) of a sheet's table; stops at the totals row or a blank row."""
    top = header_row(ws, first_header)
    headers = []
    for cell in ws[top]:
        if cell.value is None:
            break
        headers.append(cell.value)
    rows = []
    for values in ws.iter_rows(min_row=top + 1, max_col=len(headers), values_only=True):
        if values[0] == "Total" or all(v is None for v in values):
            break
        rows.append(values)
    return headers, rows


def records(ws, first_header: str) -> list[dict]:
    """The table's rows as dicts keyed by header."""
    headers, rows = table(ws, first_header)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def column(ws, first_header: str, header: str) -> list:
    """The cells of one column of the table (openpyxl cells, for formats and types)."""
    top = header_row(ws, first_header)
    headers = [c.value for c in ws[top]]
    index = headers.index(header) + 1
    _headers, rows = table(ws, first_header)
    return [ws.cell(top + 1 + n, index) for n in range(len(rows))]


def block(ws, heading: str) -> list[dict]:
    """The rows of the small table under `heading` (a Summary block), its Total row included,
    as dicts keyed by header (values)."""
    top = header_row(ws, heading) + 1
    headers = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for values in ws.iter_rows(min_row=top + 1, max_col=len(headers), values_only=True):
        if all(v is None for v in values):
            break
        rows.append(dict(zip(headers, values, strict=True)))
    return rows


def block_cells(ws, heading: str, header: str) -> list:
    """The cells of one column of the block under `heading` (openpyxl cells, for formats)."""
    top = header_row(ws, heading) + 1
    index = [c.value for c in ws[top]].index(header) + 1
    return [ws.cell(top + 1 + n, index) for n in range(len(block(ws, heading)))]
