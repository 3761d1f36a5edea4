"""Benchmark the portfolio workbook at bank scale against the fastest Python xlsx writer alone.

On PostgreSQL it seeds N facilities (default 1,000,000), each with one position on one as-of
date, and the branches, officers, products, customers, follow-ups, promises and prospects they
need, all with set-based SQL (INSERT … SELECT generate_series). Then, in the same run:

1. the writer alone: rustpy-xlsxwriter writes the Facilities cells (same rows, same 16 columns,
   same formats) from rows already in memory as final cell values;
2. the real thing: `portfolio_workbook(bank scope)` (6 sheets) rendered with `HybridWriter` (the
   streamed sheets by RustWriter, the small ones by XlsxWriter, joined into one file), the
   long tables streamed from server-side cursors, in a child process so its peak memory is its
   own (VmHWM of the child, and `getrusage(RUSAGE_CHILDREN)`); (2b) its Facilities sheet alone,
   the same cells as (1); with `--lazy`, (2c) the workbook without prefetching;
3. for the choice of writer (docs/operations.md): XlsxWriter in constant_memory mode on a 100,000-row slice.

It prints wall and CPU times, the ratio (2)/(1) (target ≤ 2×), the peak memory of (2) (target
≤ 1 GB) and the load average when each run started (other work on the machine slows it).

The database is emptied before seeding and its name must contain "bench". It is created and
migrated by the benchmark; by hand that is:

    createdb -h 127.0.0.1 -U postgres aoapp_bench_portfolio
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_bench_portfolio \\
        .venv/bin/flask db upgrade

    .venv/bin/python -m bench.bench_portfolio_report                 # 1,000,000 facilities
    .venv/bin/python -m bench.bench_portfolio_report --rows 100000   # smaller
    .venv/bin/python -m bench.bench_portfolio_report --reuse --lazy --repeat 2 --json out.json
    # --database URL (or BENCH_DATABASE_URL) picks another database
"""

import argparse
import itertools
import json
import operator
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.bench_import import _check_name, _maxrss_mb, _peak_mb, fresh_database, make_app
from bench.generate_listing import FIRST_NAMES, LAST_NAMES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_bench_portfolio"
AS_OF = date(2026, 10, 31)
FULL_SCALE = 1_000_000
SLICE = 100_000
TARGET_RATIO = 2.0
TARGET_PEAK_MB = 1024.0


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_portfolio_report",
        description="Time the portfolio workbook against rustpy-xlsxwriter alone; print peak memory.",
    )
    parser.add_argument(
        "--rows", type=int, default=FULL_SCALE, help="facilities (one position each)"
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--reuse", action="store_true", help="keep the database if already seeded")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; best kept")
    parser.add_argument(
        "--lazy", action="store_true", help="also time the workbook without prefetching"
    )
    parser.add_argument(
        "--child", choices=("workbook", "lazy", "facilities"), help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


# --- seeding ----------------------------------------------------------------------------------


def _sql_array(values) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def seed(rows: int) -> dict:
    """Branches, officers, products, customers, facilities, positions, follow-ups, promises and
    prospects for `rows` facilities, by set-based SQL."""
    from aoapp.credit.collectibility import dpd_kol_sql, load_bands
    from aoapp.extensions import db
    from bench.bench_import import insert_reference_data

    officers = max(1, rows // 400)
    branches = max(1, officers // 8)
    customers = max(1, round(rows / 1.6))
    branch_of = {f"AO{i:05d}": f"BR{i % branches + 1:03d}" for i in range(1, officers + 1)}
    timings: dict[str, float] = {}
    began = time.perf_counter()
    insert_reference_data(branch_of)
    run = db.session.execute
    params = {"n": rows, "c": customers, "k": officers, "as_of": AS_OF}
    run(
        sa.text(
            "CREATE TEMP TABLE bench_officers AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, branch_id FROM users WHERE role = 'officer'"
        )
    )
    run(
        sa.text(
            "CREATE TEMP TABLE bench_products AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM products"
        )
    )
    firsts, lasts = _sql_array(FIRST_NAMES), _sql_array(LAST_NAMES)
    timings["reference"] = round(time.perf_counter() - began, 1)

    def step(name: str, statement: str) -> None:
        start = time.perf_counter()
        run(sa.text(statement), params)
        db.session.commit()
        timings[name] = round(time.perf_counter() - start, 1)
        print(f"  seeded {name} in {timings[name]} s", flush=True)

    step(
        "customers",
        f"""
        INSERT INTO customers (cif, name, customer_type, phone, address, segment, branch_id,
                               officer_id, since, created_at, updated_at, version)
        SELECT lpad(g::text, 10, '0'),
               CASE WHEN g % 12 = 0 THEN 'CV ' ELSE '' END
                 || ({firsts})[1 + g % {len(FIRST_NAMES)}] || ' '
                 || ({lasts})[1 + (g / {len(FIRST_NAMES)}) % {len(LAST_NAMES)}],
               CASE WHEN g % 12 = 0 THEN 'company' ELSE 'individual' END,
               '62812' || lpad(g::text, 8, '0'), '',
               (ARRAY['micro', 'small', 'medium', 'consumer'])[1 + g % 4],
               o.branch_id, o.id, DATE '2015-01-01' + (g % 3000), now(), now(), 1
        FROM generate_series(1, :c) AS g JOIN bench_officers o ON o.n = g % :k
        """,  # noqa: S608
    )
    first_customer = run(sa.text("SELECT min(id) FROM customers")).scalar_one()
    params["c0"] = first_customer
    step(
        "facilities",
        """
        INSERT INTO facilities (account_no, customer_id, product_id, currency, plafond,
                                interest_rate, tenor_months, start_date, maturity_date, purpose,
                                collateral_description, restructured, restructured_on, status,
                                created_at, updated_at)
        SELECT lpad((f * 7)::text, 13, '0'), :c0 + ((f - 1)::bigint * :c / :n), p.id, 'IDR',
               (10 + (f::bigint * 7919) % 4990) * 1000000.00, 6 + (f % 800) / 100.0, 12 * (1 + f % 5),
               CAST(:as_of AS date) - 30 - f % 1500, CAST(:as_of AS date) + 30 + f % 3000,
               '', '', f % 50 = 0, CASE WHEN f % 50 = 0 THEN DATE '2025-06-30' END, 'active',
               now(), now()
        FROM generate_series(1, :n) AS f JOIN bench_products p ON p.n = f % 6
        """,
    )
    kol = dpd_kol_sql("s.dpd", load_bands())
    # About 87 % current, the rest spread over every DPD band, as in the listing generator.
    step(
        "positions",
        f"""
        INSERT INTO positions (facility_id, as_of, customer_id, officer_id, branch_id, outstanding,
                               arrears_principal, arrears_interest, dpd, dpd_kol, facility_kol,
                               debtor_kol, kol_rule)
        SELECT id, :as_of, customer_id, officer_id, branch_id, outstanding, arrears, arrears / 4,
               dpd, kol, kol, max(kol) OVER w,
               CASE WHEN max(kol) OVER w > kol THEN 'one_obligor' ELSE 'dpd' END
        FROM (
            SELECT s.*, {kol} AS kol FROM (
                SELECT f.id, f.customer_id, c.officer_id, c.branch_id,
                       round(f.plafond * (30 + f.id % 70) / 100, 2) AS outstanding,
                       CASE WHEN h.h < 870 THEN 0 WHEN h.h < 920 THEN 1 + h.h % 30
                            WHEN h.h < 960 THEN 31 + (h.h * 7) % 60
                            WHEN h.h < 980 THEN 91 + (h.h * 13) % 90
                            ELSE 181 + (h.h * 17) % 540 END AS dpd,
                       CASE WHEN h.h < 870 THEN 0 ELSE round(f.plafond / 40, 2) END AS arrears
                FROM facilities f
                JOIN customers c ON c.id = f.customer_id
                CROSS JOIN LATERAL (SELECT (f.id * 2654435761) % 1000 AS h) h
            ) s
        ) k
        WINDOW w AS (PARTITION BY customer_id)
        """,  # noqa: S608
    )
    # The app asks which listings there are of listing_dates (common/latest.py), which the
    # import's rollups step keeps; this seed writes the positions itself.
    step("listing date", "INSERT INTO listing_dates (kind, as_of) VALUES ('loans', :as_of)")
    step(
        "follow-ups",
        """
        INSERT INTO follow_ups (customer_id, facility_id, owner_id, channel, purpose, planned_date,
                                status, done_at, outcome, notes, escalated, version, created_at,
                                updated_at, created_by_id)
        SELECT customer_id, facility_id, officer_id, 'call', 'collection',
               CAST(:as_of AS date) + (facility_id % 10) - 3,
               'planned', NULL, NULL, '', false, 1, now(), now(), officer_id
        FROM positions WHERE as_of = :as_of AND dpd > 0 AND facility_id % 2 = 0
        UNION ALL
        SELECT customer_id, facility_id, officer_id, 'visit', 'collection',
               CAST(:as_of AS date) - 10, 'done', CAST(:as_of AS date) - 10 + time '03:00',
               'promised_to_pay', '', false, 1, now(), now(), officer_id
        FROM positions WHERE as_of = :as_of AND dpd > 0 AND facility_id % 5 = 0
        """,
    )
    step(
        "promises",
        """
        INSERT INTO promises_to_pay (follow_up_id, facility_id, customer_id, officer_id,
                                     promised_amount, promised_date, promised_on, deadline,
                                     created_at)
        SELECT id, facility_id, customer_id, owner_id, 1500000.00, planned_date + 7, planned_date,
               planned_date + 10, now()
        FROM follow_ups WHERE status = 'done'
        """,
    )
    step(
        "prospects",
        f"""
        INSERT INTO prospects (name, phone, address, area, business_type, source, owner_id,
                               status, converted_at, notes, created_at, updated_at, version)
        SELECT ({firsts})[1 + g % {len(FIRST_NAMES)}] || ' ' || ({lasts})[1 + g % {len(LAST_NAMES)}],
               '62813' || lpad(g::text, 8, '0'), '', '', '',
               (ARRAY['flyer', 'social_media', 'referral', 'walk_in', 'event',
                      'existing_customer', 'other'])[1 + g % 7],
               o.id,
               (ARRAY['new', 'contacted', 'interested', 'applied', 'won', 'rejected', 'lost',
                      'new', 'contacted', 'won'])[1 + (g / 7) % 10],
               CASE WHEN (g / 7) % 10 IN (4, 9) THEN CAST(:as_of AS timestamp) - interval '5 days' END,
               '', CAST(:as_of AS timestamp) - (g % 90) * interval '1 day', now(), 1
        FROM generate_series(1, :k * 40) AS g JOIN bench_officers o ON o.n = g % :k
        """,  # noqa: S608
    )
    step(
        "prospect history",
        """
        INSERT INTO prospect_status_changes (prospect_id, from_status, to_status, changed_on,
                                             changed_at, changed_by_id)
        SELECT id, NULL, status, CAST(created_at AS date), created_at, owner_id FROM prospects
        """,
    )
    step(
        "introductions",
        """
        INSERT INTO introductions (prospect_id, product_id, officer_id, introduced_on, place,
                                   explanation, understood, outcome, created_at, updated_at)
        SELECT p.id, (SELECT min(id) FROM products), p.owner_id, CAST(p.created_at AS date) + 1,
               'branch', '', true, 'interested', now(), now()
        FROM prospects p WHERE p.id % 4 = 0
        """,
    )
    start = time.perf_counter()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    timings["analyze"] = round(time.perf_counter() - start, 1)
    timings["total"] = round(time.perf_counter() - began, 1)
    counts = {"officers": officers, "branches": branches, "customers": customers}
    return {"counts": counts, "seconds": timings}


def seeded_rows() -> int:
    """Positions already on the benchmark's as-of date (0 when the schema is missing)."""
    from aoapp.extensions import db

    try:
        return db.session.scalar(
            sa.text("SELECT count(*) FROM positions WHERE as_of = :d"), {"d": AS_OF}
        )
    except sa.exc.ProgrammingError:
        db.session.rollback()
        return 0


# --- measurements -------------------------------------------------------------------------------


def facilities_sheet(scope, as_of, prefetch: bool = False):
    """The Facilities sheet spec the workbook writes (columns, formats, the streaming rows)."""
    from aoapp.reports.portfolio.rows import facility_rows
    from aoapp.reports.portfolio.workbook import facilities_sheet as sheet

    return sheet(["Facilities"], facility_rows(scope, as_of, prefetch))


def writer_alone(path: Path, scope, limit: int | None = None) -> tuple[float, float, int]:
    """(1) rustpy-xlsxwriter writing the Facilities cells from final values already in memory."""
    import rustpy_xlsxwriter as rx

    from aoapp.reports.sheets import NUMBER_FORMATS
    from aoapp.reports.writers import cell_value

    sheet = facilities_sheet(scope, AS_OF)
    headers = [str(c.header) for c in sheet.columns]  # labels are lazy strings
    kinds = [c.kind for c in sheet.columns]
    records = []
    for values in sheet.rows:
        records.append(
            {h: cell_value(v, k) for h, v, k in zip(headers, values, kinds, strict=True)}
        )
        if limit and len(records) >= limit:
            break
    formats = {k: rx.Format().set_num_format(f) for k, f in NUMBER_FORMATS.items()}
    column_formats = {str(c.header): formats[c.kind] for c in sheet.columns if c.kind in formats}
    cpu, began = _cpu_seconds(), time.perf_counter()
    rx.write_worksheet(
        records,
        str(path),
        sheet_name="Facilities",
        header_row=1,
        freeze_row=2,
        column_formats=column_formats,
        header_format=rx.Format().set_bold(),
        autofilter=True,
    )
    return time.perf_counter() - began, _cpu_seconds() - cpu, len(records)


def workbook_cells_alone(path: Path, scope) -> tuple[float, float, int]:
    """(1w) rustpy-xlsxwriter writing every sheet of the workbook, its final cell values already
    in memory: the same cells as (2), so (2)/(1w) is the overhead of our queries and building."""
    import rustpy_xlsxwriter as rx

    from aoapp.kpis.periods import parse_period
    from aoapp.reports.portfolio.data import load_portfolio
    from aoapp.reports.portfolio.workbook import build_portfolio_workbook
    from aoapp.reports.sheets import NUMBER_FORMATS
    from aoapp.reports.writers import cell_value

    data = load_portfolio(scope, parse_period(AS_OF.strftime("%Y-%m")), AS_OF, prefetch=False)
    workbook = build_portfolio_workbook(data, "Bank Bench").ready()
    formats = {k: rx.Format().set_num_format(f) for k, f in NUMBER_FORMATS.items()}
    entries, column_formats, count = [], {}, 0
    for sheet in workbook.sheets:
        headers = [str(c.header) for c in sheet.columns]  # labels are lazy strings
        kinds = [c.kind for c in sheet.columns]
        records = [
            {h: cell_value(v, k) for h, v, k in zip(headers, values, kinds, strict=True)}
            for values in sheet.rows
        ]
        count += len(records)
        entries.append((sheet.name, records))
        column_formats[sheet.name] = {
            str(c.header): formats[c.kind] for c in sheet.columns if c.kind in formats
        }
    data.close()
    cpu, began = _cpu_seconds(), time.perf_counter()
    rx.write_worksheets(
        entries,
        str(path),
        header_row={name: 1 for name, _ in entries},
        freeze_panes={"general": {"row": 2, "col": 0}},
        column_formats=column_formats,
        autofilter={"general": True},
    )
    return time.perf_counter() - began, _cpu_seconds() - cpu, count


def xlsxwriter_slice(path: Path, scope, rows: int) -> tuple[float, int]:
    """(3) XlsxWriter constant_memory writing the first `rows` Facilities rows from memory."""
    import xlsxwriter

    from aoapp.reports.cells import as_datetime as _as_datetime
    from aoapp.reports.cells import cell_value
    from aoapp.reports.sheets import DATE, INT, MONEY, NUMBER_FORMATS, RATE, RATIO

    sheet = facilities_sheet(scope, AS_OF)
    kinds = [c.kind for c in sheet.columns]
    records = []
    for values in sheet.rows:
        records.append([cell_value(v, k) for v, k in zip(values, kinds, strict=True)])
        if len(records) >= rows:
            break
    began = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet("Facilities")
    formats = {k: book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
    bold = book.add_format({"bold": True})
    for col, column in enumerate(sheet.columns):
        ws.write_string(1, col, str(column.header), bold)
    for number, values in enumerate(records, start=2):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            if value is None:
                continue
            if kind == DATE:
                ws.write_datetime(number, col, _as_datetime(value), formats[DATE])
            elif kind in (MONEY, RATIO, RATE, INT):
                ws.write_number(number, col, value, formats[kind])
            else:
                ws.write_string(number, col, value)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, len(records) + 1, len(kinds) - 1)
    book.close()
    return time.perf_counter() - began, len(records)


def _cpu_seconds() -> float:
    """CPU time (user + system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _counted(rows, counters: dict, name: str):
    """`rows`, counted by counters[name] (an `itertools.count`: `next()` of it after the write is
    the number of rows pulled) as the writer pulls them. C iterators only: a generator here
    would add a Python frame per row to the figure being measured."""
    counter = counters[name] = itertools.count()
    return map(operator.itemgetter(0), zip(rows, counter, strict=False))


def child_run(args) -> dict:
    """(2) In this (child) process: the bank-scope workbook with HybridWriter (or its Facilities
    sheet alone with RustWriter), streamed from the database, timed."""
    from aoapp.extensions import db
    from aoapp.kpis.periods import parse_period
    from aoapp.reports.package import HybridWriter
    from aoapp.reports.portfolio.data import load_portfolio
    from aoapp.reports.portfolio.workbook import build_portfolio_workbook
    from aoapp.reports.rust_writer import RustWriter
    from aoapp.reports.sheets import Sheet, Workbook

    app = _app(args.database)
    path = args.out / f"portfolio_bench_{args.child}.xlsx"
    counts: dict[str, int] = {}
    with app.app_context():
        scope = _bank_scope()
        period = parse_period(AS_OF.strftime("%Y-%m"))
        cpu, began = _cpu_seconds(), time.perf_counter()
        if args.child == "facilities":
            workbook = Workbook([facilities_sheet(scope, AS_OF, prefetch=True)])
        else:
            data = load_portfolio(scope, period, AS_OF, prefetch=args.child == "workbook")
            workbook = build_portfolio_workbook(data, "Bank Bench")
        built = time.perf_counter() - began
        counters: dict[str, itertools.count] = {}
        for sheet in workbook.sheets:
            if isinstance(sheet, Sheet) and not isinstance(sheet.rows, list | tuple):
                sheet.rows = _counted(sheet.rows, counters, sheet.key)
        writer = RustWriter() if args.child == "facilities" else HybridWriter()
        writer.write(workbook, str(path))
        seconds = time.perf_counter() - began
        cpu = _cpu_seconds() - cpu
        counts.update({key: next(counter) for key, counter in counters.items()})
        for sheet in workbook.ready().sheets:  # held in memory (built once): XlsxWriter wrote it
            if isinstance(sheet.rows, list | tuple):
                counts[sheet.key] = len(sheet.rows) + sum(len(b.rows) for b in sheet.blocks)
        db.session.remove()
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "build_seconds": round(built, 2),
        "peak_mb": round(_peak_mb(), 0),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "rows": counts,
    }


def _bank_scope():
    from aoapp.credit.figures import PortfolioScope

    return PortfolioScope(condition=sa.true(), label="Bank-wide")


def _app(url: str):
    from aoapp import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "EXPORTS_DIR": str(OUT / "exports")})


def _run_child(args, what: str) -> tuple[dict, float]:
    command = [sys.executable, "-m", "bench.bench_portfolio_report", "--child", what]
    command += ["--database", args.database, "--out", str(args.out), "--rows", str(args.rows)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit("the workbook run failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result, _maxrss_mb(resource.RUSAGE_CHILDREN)


def main(argv=None) -> int:
    """Seed (unless reused), then measure the writer alone, the workbook, and XlsxWriter."""
    args = _parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(child_run(args)))
        return 0
    _check_name(args.database)
    results: dict = {"rows": args.rows, "database": sa.engine.make_url(args.database).database}
    app = _app(args.database)
    with app.app_context():
        reuse = args.reuse and seeded_rows() == args.rows
    if not reuse:
        print(f"seeding {args.rows:,} facilities into {results['database']} …", flush=True)
        fresh_database(args.database)
        app = make_app(args.database, args.out)
        with app.app_context():
            results["seed"] = seed(args.rows)
        print(f"  seeded in {results['seed']['seconds']['total']} s", flush=True)

    children = [
        ("workbook", "(2) portfolio_workbook + HybridWriter, bank scope, streamed"),
        ("facilities", "(2b) its Facilities sheet alone, streamed"),
    ]
    if args.lazy:
        children.append(("lazy", "(2c) the workbook without prefetching"))
    for what, label in children:
        print(f"{label} (child process) …", flush=True)
        runs = []
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            result, children_peak = _run_child(args, what)
            runs.append({**result, "load_before": round(load, 1)})
        best = min(runs, key=lambda r: r["seconds"])
        best["peak_rusage_children_mb"] = round(children_peak, 0)
        best["all_seconds"] = [r["seconds"] for r in runs]
        results[what] = best

    with app.app_context():
        scope = _bank_scope()
        print("(1) rustpy-xlsxwriter alone, rows in memory …", flush=True)
        runs = []
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            runs.append((*writer_alone(args.out / "facilities_writer_alone.xlsx", scope), load))
        seconds, cpu, count, load = min(runs)
        results["writer_alone"] = {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "rows": count,
            "load_before": round(load, 1),
            "all_seconds": [round(r[0], 2) for r in runs],
        }
        print("(1w) rustpy-xlsxwriter alone, every sheet's cells in memory …", flush=True)
        runs = []
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            runs.append(
                (*workbook_cells_alone(args.out / "workbook_writer_alone.xlsx", scope), load)
            )
        seconds, cpu, count, load = min(runs)
        results["workbook_writer_alone"] = {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "rows": count,
            "load_before": round(load, 1),
            "all_seconds": [round(r[0], 2) for r in runs],
        }
        print(f"(3) XlsxWriter constant_memory, {SLICE:,}-row slice …", flush=True)
        rows = min(SLICE, args.rows)
        slice_seconds, slice_rows = xlsxwriter_slice(
            args.out / "facilities_xlsxwriter.xlsx", scope, rows
        )
        rust_slice, _cpu, _n = writer_alone(args.out / "facilities_rust_slice.xlsx", scope, rows)
        results["xlsxwriter_slice"] = {
            "seconds": round(slice_seconds, 2),
            "rows": slice_rows,
            "rust_seconds": round(rust_slice, 2),
        }
    _print(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


def _print(results: dict) -> None:
    alone, book, fac = results["writer_alone"], results["workbook"], results["facilities"]
    ratio = book["seconds"] / max(alone["seconds"], 1e-9)
    peak = book["peak_mb"]
    print()
    print(
        f"facilities: {results['rows']:,} (one position each), database {results['database']}, "
        f"{os.cpu_count()} CPUs (load average when each run started is shown: other work on the "
        "machine slows every figure)"
    )
    if "seed" in results:
        seed = results["seed"]
        print(f"seeding (set-based SQL): {seed['seconds']['total']} s  {seed}")
    print(
        f"(1) rustpy-xlsxwriter alone, rows in memory: {alone['seconds']:.1f} s "
        f"({alone['rows'] / alone['seconds']:,.0f} rows/s, CPU {alone['cpu_seconds']:.1f} s, "
        f"load {alone['load_before']}, runs {alone['all_seconds']})"
    )
    print(
        f"(2) portfolio_workbook + HybridWriter ({len(book['rows'])} sheets, streamed): "
        f"{book['seconds']:.1f} s "
        f"(CPU {book['cpu_seconds']:.1f} s, writing began after {book['build_seconds']:.1f} s, "
        f"load {book['load_before']}, runs {book['all_seconds']}), file {book['file_mb']} MB"
    )
    print(f"    rows written: {book['rows']}")
    print(
        f"    ratio (2)/(1): {ratio:.2f}×  (target ≤ {TARGET_RATIO:.0f}×: "
        f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})"
    )
    print(
        f"    peak memory of (2): VmHWM {peak:.0f} MB, getrusage(children) "
        f"{book['peak_rusage_children_mb']:.0f} MB  (target ≤ {TARGET_PEAK_MB:.0f} MB: "
        f"{'met' if peak <= TARGET_PEAK_MB else 'MISSED'})"
    )
    whole = results["workbook_writer_alone"]
    fair = book["seconds"] / max(whole["seconds"], 1e-9)
    print(
        f"(1w) rustpy-xlsxwriter alone writing all the workbook's cells ({whole['rows']:,} rows, "
        f"in memory): {whole['seconds']:.1f} s (CPU {whole['cpu_seconds']:.1f} s, load "
        f"{whole['load_before']}, runs {whole['all_seconds']}) -> (2)/(1w) = {fair:.2f}×  "
        f"(target ≤ {TARGET_RATIO:.0f}×: {'met' if fair <= TARGET_RATIO else 'MISSED'})"
    )
    middle = statistics.median(book["all_seconds"]) / statistics.median(whole["all_seconds"])
    print(
        f"    medians of {len(book['all_seconds'])} runs: (2) "
        f"{statistics.median(book['all_seconds']):.1f} s, (1w) "
        f"{statistics.median(whole['all_seconds']):.1f} s -> {middle:.2f}×"
    )
    same = fac["seconds"] / max(alone["seconds"], 1e-9)
    print(
        f"(2b) the Facilities sheet alone, streamed from the database (the same cells as (1)): "
        f"{fac['seconds']:.1f} s (CPU {fac['cpu_seconds']:.1f} s, load {fac['load_before']}, "
        f"runs {fac['all_seconds']}), {same:.2f}× (1), peak {fac['peak_mb']:.0f} MB"
    )
    if "lazy" in results:
        lazy = results["lazy"]
        print(
            f"(2c) the workbook without prefetching (each long query when its sheet is reached): "
            f"{lazy['seconds']:.1f} s (CPU {lazy['cpu_seconds']:.1f} s, load {lazy['load_before']}"
            f", runs {lazy['all_seconds']}), {lazy['seconds'] / max(alone['seconds'], 1e-9):.2f}× (1)"
        )
    xs = results["xlsxwriter_slice"]
    print(
        f"(3) {xs['rows']:,}-row slice: XlsxWriter constant_memory {xs['seconds']:.1f} s "
        f"({xs['rows'] / xs['seconds']:,.0f} rows/s), rustpy-xlsxwriter {xs['rust_seconds']:.1f} s "
        f"({xs['seconds'] / max(xs['rust_seconds'], 1e-9):.1f}× faster)"
    )


if __name__ == "__main__":
    sys.exit(main())
