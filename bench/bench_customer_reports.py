"""Benchmark the per-customer analytic workbook: batched queries, building + writing, end to end.

Target (issue 5): ≥ 25 workbooks/s on one process for a typical customer (3 facilities, 12
month-end positions each, ~20 interactions, 1–2 monitoring visits), database queries included.

Against an empty, migrated database named in DATABASE_URL (its name must contain "bench"):

    createdb -h 127.0.0.1 -U postgres aoapp_bench_reports
    export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_bench_reports
    .venv/bin/flask db upgrade
    .venv/bin/python -m bench.bench_customer_reports                 # seeds 2,000 customers, times
    .venv/bin/python -m bench.bench_customer_reports --no-seed       # times again, same data
    .venv/bin/python -m bench.bench_customer_reports --customers 10000 --reset

Seeding is set-based (multi-row INSERTs through SQLAlchemy Core `executemany`, explicit ids),
never ORM objects one by one; `--reset` empties the tables first. It then times, for the period
2026-10 (as of 31 Oct 2026) in batches of `--batch` (500) customers:

1. queries only: `load_customer_reports` per batch (and the statements each batch runs);
2. build + write only: `customer_workbook` + `XlsxWriterWriter` to files in a temporary directory;
3. end to end: load a batch, then build and write its workbooks, in one process.

The seeded database is the benchmark's own: do not point it at real data.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

AS_OF = date(2026, 10, 31)
PERIOD = "2026-10"
TARGET_PER_SECOND = 25.0
OFFICERS_PER_BRANCH = 8
CUSTOMERS_PER_OFFICER = 250
JUTA = 1_000_000
PRODUCTS = (
    ("KMK", "Kredit Modal Kerja", "credit", "working_capital"),
    ("KUR", "Kredit Usaha Rakyat", "credit", "kur"),
    ("KPR", "Kredit Pemilikan Rumah", "credit", "mortgage"),
    ("TAB", "Tabungan", "deposit", None),
)
SEEDED = (
    "listing_dates", "monitoring_visits", "complaints", "promises_to_pay", "follow_ups",
    "introductions",
    "product_holdings", "positions", "facilities", "customers", "products", "users", "branches",
)  # fmt: skip


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.bench_customer_reports")
    parser.add_argument("--customers", type=int, default=2000, help="customers to seed")
    parser.add_argument("--batch", type=int, default=500, help="customers per query batch")
    parser.add_argument("--reset", action="store_true", help="empty the seeded tables first")
    parser.add_argument("--no-seed", action="store_true", help="time the data already there")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated data")
    return parser.parse_args(argv)


def _month_ends(last: date, count: int) -> list[date]:
    days, year, month = [], last.year, last.month
    for _ in range(count):
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        days.append(first_next - timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(days))


def _insert(table: sa.Table, rows: list[dict], chunk: int = 10_000) -> None:
    from aoapp.extensions import db

    for start in range(0, len(rows), chunk):
        db.session.execute(table.insert(), rows[start : start + chunk])


def _reference(customers: int) -> tuple[list[int], dict[int, int], dict[str, int]]:
    """Branches, officers (no password) and products; returns officer ids, their branches, products."""
    from aoapp.extensions import db

    meta = db.metadata.tables
    now = datetime.now(UTC)
    officers = max(1, -(-customers // CUSTOMERS_PER_OFFICER))
    branches = max(1, -(-officers // OFFICERS_PER_BRANCH))
    _insert(meta["branches"], [
        {"id": b + 1, "code": f"BR{b + 1:03d}", "name": f"Branch {b + 1}", "created_at": now}
        for b in range(branches)
    ])  # fmt: skip
    branch_of = {o + 1: o % branches + 1 for o in range(officers)}
    _insert(meta["users"], [
        {"id": o, "username": f"ao{o:04d}", "full_name": f"Officer {o}", "role": "officer",
         "branch_id": b, "officer_code": f"AO{o:04d}", "password_hash": "!", "active": True,
         "failed_login_count": 0, "created_at": now}
        for o, b in branch_of.items()
    ])  # fmt: skip
    _insert(meta["products"], [
        {"id": i + 1, "code": c, "name": n, "kind": k, "credit_subtype": s, "active": True,
         "deposit_type": "tabungan" if k == "deposit" else None, "description": "",
         "created_at": now}
        for i, (c, n, k, s) in enumerate(PRODUCTS)
    ])  # fmt: skip
    return list(branch_of), branch_of, {code: i + 1 for i, (code, *_r) in enumerate(PRODUCTS)}


def _dpd_story(rng: random.Random, months: int) -> list[int]:
    """A facility's DPD on each month-end: mostly current, some slipping, a few chronic."""
    roll = rng.random()
    if roll < 0.85:
        return [0] * months
    if roll < 0.95:
        start = rng.randrange(months)
        return [0 if m < start else 30 * (m - start) + rng.randint(1, 29) for m in range(months)]
    return [120 + 30 * m for m in range(months)]


def _credit(n: int, rng, officer: int, branch: int, products, month_ends, bands, out) -> list[int]:
    """Customer n's 3 facilities and their 12 month-end positions (Kol as the import computes)."""
    from aoapp.credit.collectibility import kol_from_dpd

    facility_ids, stories = [], []
    for k, code in enumerate(("KMK", "KUR", "KPR")):
        fid = 3 * n + k + 1
        plafond = Decimal(rng.randint(10, 2000) * JUTA)
        facility_ids.append(fid)
        stories.append((fid, plafond, _dpd_story(rng, len(month_ends))))
        out["facilities"].append({
            "id": fid, "account_no": f"{fid:013d}", "customer_id": n + 1,
            "product_id": products[code], "currency": "IDR", "plafond": plafond,
            "interest_rate": Decimal(rng.randint(600, 1400)) / 100, "tenor_months": 60,
            "start_date": date(2023, 1 + k, 15), "maturity_date": date(2030, 1 + k, 15),
            "purpose": "", "collateral_description": "", "restructured": False,
            "status": "active",
        })  # fmt: skip
    for m, as_of in enumerate(month_ends):
        own = {fid: kol_from_dpd(story[m], bands) for fid, _p, story in stories}
        debtor = max(own.values())
        for fid, plafond, story in stories:
            dpd = story[m]
            arrears = Decimal(dpd * 50_000)
            out["positions"].append({
                "facility_id": fid, "as_of": as_of, "customer_id": n + 1, "officer_id": officer,
                "branch_id": branch, "outstanding": (plafond * (100 - m) / 120).quantize(Decimal("0.01")),
                "arrears_principal": arrears, "arrears_interest": Decimal(0), "dpd": dpd,
                "file_kol": None, "dpd_kol": own[fid], "facility_kol": own[fid],
                "debtor_kol": debtor, "kol_rule": "dpd" if own[fid] == debtor else "one_obligor",
                "prev_dpd": story[m - 1] if m else None,
                "prev_kol": max(kol_from_dpd(s[m - 1], bands) for _f, _p, s in stories) if m else None,
            })  # fmt: skip
    return facility_ids


def _activity(n: int, rng, officer: int, branch: int, facility_ids, products, out) -> None:
    """~20 interactions in October (3 introductions, 14 follow-ups with 2 promises, 3
    complaints), 1–2 monitoring visits and a savings account."""
    cid, ids = n + 1, out["ids"]
    for k in range(3):
        out["introductions"].append({
            "customer_id": cid, "product_id": products[("TAB", "KUR", "KPR")[k]],
            "officer_id": officer, "introduced_on": date(2026, 10, 3 + 7 * k), "place": "branch",
            "explanation": "Presented the product", "understood": True,
            "outcome": ("interested", "needs_time", "not_interested")[k],
        })  # fmt: skip
    for k in range(14):
        day = date(2026, 10, 1 + 2 * k)
        status = ("done", "done", "done", "missed", "planned", "cancelled")[k % 6]
        ids["follow_ups"] += 1
        out["follow_ups"].append({
            "id": ids["follow_ups"], "customer_id": cid, "facility_id": facility_ids[k % 3],
            "owner_id": officer, "created_by_id": officer, "channel": "call",
            "purpose": "collection", "planned_date": day, "status": status,
            "done_at": datetime(day.year, day.month, day.day, 3, tzinfo=UTC) if status == "done" else None,
            "outcome": ("promised_to_pay" if k < 2 else "reached") if status == "done" else None,
            "notes": "Spoke with the owner", "escalated": False, "version": 1,
        })  # fmt: skip
        if k < 2:
            out["promises_to_pay"].append({
                "follow_up_id": ids["follow_ups"], "facility_id": facility_ids[k % 3],
                "customer_id": cid, "officer_id": officer, "promised_amount": Decimal(JUTA),
                "promised_date": day + timedelta(days=10), "promised_on": day,
                "deadline": day + timedelta(days=13),
            })  # fmt: skip
    for k in range(3):
        received = datetime(2026, 10, 5 + 8 * k, 3, tzinfo=UTC)
        resolved = received + timedelta(days=3) if k == 0 else None
        out["complaints"].append({
            "customer_id": cid, "officer_id": officer, "branch_id": branch, "channel": "branch",
            "category": "billing", "priority": "normal", "description": "Charged twice",
            "received_at": received, "due_date": received.date() + timedelta(days=14),
            "status": "resolved" if resolved else "open", "resolved_at": resolved,
            "resolution": "Refunded" if resolved else None, "version": 1,
        })  # fmt: skip
    for day in (date(2026, 10, 12), date(2026, 8, 14))[: rng.randint(1, 2)]:
        out["monitoring_visits"].append({
            "customer_id": cid, "facility_id": facility_ids[0], "officer_id": officer,
            "visit_date": day, "business_condition": "Open", "collateral_condition": "Good",
            "collateral_value": Decimal(500 * JUTA), "findings": "Sales steady",
            "risk_rating": rng.choice(("strong", "adequate", "weak")),
            "recommendations": "Keep monitoring", "next_visit_date": None,
        })  # fmt: skip
    out["product_holdings"].append({"customer_id": cid, "product_id": products["TAB"]})


def seed(customers: int, seed_value: int) -> list[int]:
    """Insert `customers` typical customers with their credit and activity; returns their ids."""
    from aoapp.common import latest
    from aoapp.credit.collectibility import load_bands
    from aoapp.extensions import db

    rng = random.Random(seed_value)
    meta = db.metadata.tables
    officers, branch_of, products = _reference(customers)
    bands, month_ends = load_bands(), _month_ends(AS_OF, 12)
    out: dict = defaultdict(list)
    out["ids"] = {"follow_ups": 0}
    now = datetime.now(UTC)
    for n in range(customers):
        officer = officers[n % len(officers)]
        branch = branch_of[officer]
        out["customers"].append({
            "id": n + 1, "cif": f"{n + 1:010d}", "name": f"Debitur Nomor {n + 1}",
            "customer_type": "individual", "segment": "micro", "branch_id": branch,
            "officer_id": officer, "since": date(2022, 1, 1), "address": "",
        })  # fmt: skip
        facility_ids = _credit(n, rng, officer, branch, products, month_ends, bands, out)
        _activity(n, rng, officer, branch, facility_ids, products, out)
    for table in SEEDED[::-1]:
        rows = out.get(table)
        if rows:
            for row in rows:
                row.setdefault("created_at", now)
                if "updated_at" in meta[table].c:
                    row.setdefault("updated_at", now)
            _insert(meta[table], rows)
    # The app asks which listings there are of listing_dates (common/latest.py), which the
    # import's rollups step keeps; this seed writes the positions itself.
    latest.record(db.session.connection(), latest.LOANS, month_ends)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Ids were given explicitly: move each sequence past them (table names are constants).
        for table in ("branches", "users", "products", "customers", "facilities", "follow_ups"):
            statement = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
            db.session.execute(sa.text(statement))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    return [row["id"] for row in out["customers"]]


def reset() -> None:
    """Empty the tables the benchmark seeds (the database's name must contain 'bench')."""
    from aoapp.extensions import db

    name = Path(db.engine.url.database or "").name
    if "bench" not in name:
        raise SystemExit(f"Refusing to empty {name!r}: the database's name must contain 'bench'.")
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(SEEDED)} RESTART IDENTITY CASCADE"))
    else:
        for table in SEEDED:
            db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608
    db.session.commit()


def _batches(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _statements():
    """A list that grows by one per SQL statement, and the listener that grows it."""
    seen = []
    return seen, lambda *_args: seen.append(1)


def time_queries(ids, period, as_of, size) -> tuple[float, list[int]]:
    """Seconds to load every batch, and the statements each batch ran."""
    from aoapp.extensions import db
    from aoapp.reports.customer.data import load_customer_reports

    counts, started = [], time.perf_counter()
    for batch in _batches(ids, size):
        seen, listener = _statements()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        load_customer_reports(batch, period, as_of)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
        db.session.remove()
    return time.perf_counter() - started, counts


def time_writing(reports, directory: Path, bank: str) -> float:
    """Seconds to build and write every workbook."""
    from aoapp.reports.customer.workbook import customer_filename, customer_workbook
    from aoapp.reports.writers import XlsxWriterWriter

    writer, started = XlsxWriterWriter(), time.perf_counter()
    for data in reports:
        writer.write(customer_workbook(data, bank), directory / customer_filename(data))
    return time.perf_counter() - started


def time_end_to_end(ids, period, as_of, size, directory: Path, bank: str) -> float:
    """Seconds to load, build and write every workbook, batch by batch."""
    from aoapp.extensions import db
    from aoapp.reports.customer.data import load_customer_reports

    started = time.perf_counter()
    for batch in _batches(ids, size):
        reports = load_customer_reports(batch, period, as_of)
        time_writing(reports.values(), directory, bank)
        db.session.remove()
    return time.perf_counter() - started


def main(argv=None) -> int:
    args = _parse_args(argv)
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        raise SystemExit("Set DATABASE_URL to an empty, migrated database (see the docstring).")
    from aoapp import create_app
    from aoapp.customers.models import Customer
    from aoapp.extensions import db
    from aoapp.kpis.periods import parse_period, period_as_of
    from aoapp.reports.customer.data import load_customer_reports

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        print(
            f"Customer workbook benchmark on {db.engine.url.render_as_string()} ({db.engine.dialect.name})"
        )
        if args.reset:
            reset()
        if not args.no_seed:
            if db.session.scalar(sa.select(sa.func.count()).select_from(Customer)):
                raise SystemExit("The database already holds customers: use --no-seed or --reset.")
            started = time.perf_counter()
            seed(args.customers, args.seed)
            print(f"seeded {args.customers:,} customers in {time.perf_counter() - started:.1f} s")
        ids = list(db.session.scalars(sa.select(Customer.id).order_by(Customer.id)))
        period = parse_period(PERIOD)
        as_of = period_as_of(period)
        bank = app.config["BANK_NAME"]
        n = len(ids)
        sample = load_customer_reports(ids[:1], period, as_of)[ids[0]]
        print(
            f"{n:,} customers, period {period.code} as of {as_of}; a typical one: "
            f"{len(sample.facilities)} facilities, {len(sample.history)} months, "
            f"{len(sample.interactions)} interactions, {len(sample.visits)} visit(s) in the period"
        )
        query_seconds, counts = time_queries(ids, period, as_of, args.batch)
        print(f"1. queries only:     {query_seconds:7.2f} s  {n / query_seconds:8.1f} customers/s  "
              f"({len(counts)} batches of ≤ {args.batch}, statements per batch: {sorted(set(counts))})")  # fmt: skip
        reports = list(load_customer_reports(ids, period, as_of).values())
        with tempfile.TemporaryDirectory() as tmp:
            write_seconds = time_writing(reports, Path(tmp), bank)
            size = sum(f.stat().st_size for f in Path(tmp).iterdir()) / n
        print(f"2. build + write:    {write_seconds:7.2f} s  {n / write_seconds:8.1f} workbooks/s  "
              f"(XlsxWriter, {size / 1024:.1f} KB each)")  # fmt: skip
        db.session.remove()
        with tempfile.TemporaryDirectory() as tmp:
            total = time_end_to_end(ids, period, as_of, args.batch, Path(tmp), bank)
        rate = n / total
        verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
        print(f"3. end to end:       {total:7.2f} s  {rate:8.1f} workbooks/s  "
              f"(target ≥ {TARGET_PER_SECOND:.0f}/s: {verdict})")  # fmt: skip
        print(f"   100,000 customers at this rate: {100_000 / rate / 60:.1f} min on one process")
        return 0 if rate >= TARGET_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
