"""Benchmark the deposits listing import beside the loan listing's, in one run: time per row of each.

It builds a fresh schema with the migrations, inserts the branches, officers and the credit and
deposit products the listings name, times a bare COPY of each CSV, then imports, month by month,
the loan listing and then the deposits listing of the same date through the real import
(`aoapp.imports.services.run_import`). The deposits listing's first depositors are the loan
listing's borrowers (shared CIFs), so it also times the customers both listings share.

    .venv/bin/python -m bench.bench_deposits_import                          # 1M + 1M, PostgreSQL
    .venv/bin/python -m bench.bench_deposits_import --rows 200000 --deposits 200000
    .venv/bin/python -m bench.bench_deposits_import --database sqlite --rows 100000 --deposits 100000

Listings are generated once and cached under bench/out/ (the loan listings as bench_import keeps
them). The target database is emptied: its name must contain "bench".
"""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.bench_import import (
    DEFAULT_PG,
    FULL_SCALE,
    OUT,
    _database_url,
    _describe,
    _listings,
    _peak_mb,
    _reset_peak,
    _safe_url,
    bare_load,
    ensure_listings,
    fresh_database,
    insert_reference_data,
    make_app,
)
from bench.generate_deposits import GENERATOR_VERSION, PRODUCTS, generate_deposits
from bench.generate_listing import read_officers


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_deposits_import",
        description="Time the deposits listing import and the loan listing import in one run.",
    )
    parser.add_argument("--rows", type=int, default=FULL_SCALE, help="loan listing rows")
    parser.add_argument("--deposits", type=int, default=FULL_SCALE, help="deposits listing rows")
    parser.add_argument("--database", default=DEFAULT_PG, help="URL, or pg / sqlite")
    parser.add_argument("--lang", choices=("en", "id"), default="en")
    parser.add_argument("--months", type=int, default=1, help="month-end listings of each kind")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT, help="cache and SQLite directory")
    parser.add_argument("--json", type=Path, help="also write the measured figures as JSON")
    args = parser.parse_args(argv)
    args.officers = args.branches = None  # bench_import's listing cache key
    return args


def ensure_deposits(args, loan_dir: Path) -> Path:
    """The cached deposits listings for these parameters (borrowers from the last loan listing)."""
    key = f"{args.lang}-{args.deposits}r-{args.months}m-{args.end}-seed{args.seed}-v{GENERATOR_VERSION}"
    directory = args.out / "deposits" / f"{key}-loans-{loan_dir.name}"
    marker = directory / ".complete-csv"
    if not marker.exists():
        print(
            f"generating {args.deposits:,} deposit rows × {args.months} month(s) in {directory} …"
        )
        began = time.perf_counter()
        generate_deposits(
            directory,
            rows=args.deposits,
            months=args.months,
            end=args.end,
            seed=args.seed,
            loans=_listings(loan_dir, "csv")[-1][1],
            lang=args.lang,
        )
        marker.write_text(f"{time.perf_counter() - began:.1f}\n")
    return directory


def insert_deposit_products() -> int:
    """The deposit products the deposits listing names, with their kind of funds."""
    from aoapp.extensions import db
    from aoapp.products.models import Product

    db.session.execute(
        sa.insert(Product),
        [
            {"code": code, "name": code.title(), "kind": "deposit", "deposit_type": spec[0]}
            for code, spec in PRODUCTS.items()
        ],
    )
    db.session.commit()
    return len(PRODUCTS)


def _deposit_listings(directory: Path) -> list[tuple[date, Path]]:
    found = sorted(directory.glob("deposits_*.csv"))
    return [(date.fromisoformat(p.stem.removeprefix("deposits_")), p) for p in found]


def _import(path: Path, as_of: date, kind: str, table: str) -> dict:
    """One import through the real import, timed, with what it stored."""
    from aoapp.extensions import db
    from aoapp.imports.services import run_import

    db.session.remove()
    exact = _reset_peak()
    began = time.perf_counter()
    outcome = run_import(path, as_of, kind=kind, user=None, source="bench")
    seconds = time.perf_counter() - began
    described = _describe(outcome)
    db.session.remove()
    count = f"SELECT count(*) FROM {table} WHERE as_of = :d"  # noqa: S608
    stored = db.session.scalar(sa.text(count), {"d": as_of})
    loaded = described.get("import_seconds") or seconds
    return {
        "kind": kind,
        "as_of": as_of.isoformat(),
        "seconds": round(seconds, 2),
        "loaded_seconds": loaded,
        "rows": stored,
        "us_per_row": round(loaded * 1e6 / stored, 1) if stored else None,
        "peak_mb": round(_peak_mb(), 0),
        "peak_scope": "this import" if exact else "process",
        **described,
    }


def run(args) -> dict:
    """Fresh schema, reference data, bare loads, then each month's loans and deposits imports."""
    url = _database_url(args.database)
    loan_dir = ensure_listings(args, ["csv"])
    deposit_dir = ensure_deposits(args, loan_dir)
    result = {"url": _safe_url(url), "loan_rows": args.rows, "deposit_rows": args.deposits}
    fresh_database(url)
    app = make_app(url, args.out)
    with app.app_context():
        result["reference"] = insert_reference_data(read_officers(loan_dir / "officers.csv"))
        result["reference"]["deposit_products"] = insert_deposit_products()
        loans, deposits = _listings(loan_dir, "csv"), _deposit_listings(deposit_dir)
        result["bare_load"] = {
            kind: dict(
                zip(("seconds", "rows", "how"), bare_load(url, listings[-1][1]), strict=True)
            )
            for kind, listings in (("loans", loans), ("deposits", deposits))
        }
        result["imports"] = []
        for (as_of, loan_path), (_same, deposit_path) in zip(loans, deposits, strict=True):
            result["imports"].append(_import(loan_path, as_of, "loans", "positions"))
            result["imports"].append(_import(deposit_path, as_of, "deposits", "deposit_positions"))
    result["ok"] = all(i["status"] == "succeeded" for i in result["imports"])
    return result


def _print(result: dict) -> None:
    print(
        f"\n{result['url']}: {result['loan_rows']:,} loan rows, {result['deposit_rows']:,} deposit rows"
    )
    for kind, bare in result["bare_load"].items():
        print(
            f"  bare load {kind:<9} {bare['seconds']:8.2f} s  ({bare['how']}, {bare['rows']:,} rows)"
        )
    for entry in result["imports"]:
        print(
            f"  {entry['kind']:<9} {entry['as_of']}  loaded in {entry['loaded_seconds']:7.2f} s "
            f"({entry['seconds']:.2f} s with the work after it), {entry['rows'] or 0:,} positions, "
            f"{entry['us_per_row']} µs/row, status {entry['status']}, peak {entry['peak_mb']:,.0f} MB"
        )
        if entry["timings"]:
            print("      timings " + ", ".join(f"{k} {v}" for k, v in entry["timings"].items()))
        for line in [entry["message"], *entry["errors"]]:
            if line:
                print(f"      {line}")
    by_kind = {e["kind"]: e for e in result["imports"]}
    if by_kind.get("loans", {}).get("us_per_row") and by_kind.get("deposits", {}).get("us_per_row"):
        ratio = by_kind["deposits"]["us_per_row"] / by_kind["loans"]["us_per_row"]
        verdict = "met" if ratio <= 1.0 else "MISSED"
        print(f"  deposits / loans per row (last month): {ratio:.2f}× (target ≤ 1: {verdict})")


def main(argv=None) -> int:
    """Generate (or reuse) the listings, import them, print the figures."""
    args = _parse_args(argv)
    result = run(args)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
