"""Benchmark the loan-listing import at bank scale: rows/s, peak memory, and a bare COPY to compare.

For each database (PostgreSQL and/or SQLite) and each format (CSV and/or XLSX) it builds a fresh
schema with the migrations, inserts the branches, officers and products the listing names, times a
bare load of the same CSV into an empty unindexed table (PostgreSQL `COPY`; SQLite `executemany`),
then times the real import, `aoapp.imports.services.run_import`, listing by listing.

    .venv/bin/python -m bench.bench_import                       # 1M rows into PostgreSQL
    .venv/bin/python -m bench.bench_import --database sqlite     # into bench/out/bench.db
    .venv/bin/python -m bench.bench_import --rows 100000 --database pg --database sqlite
    .venv/bin/python -m bench.bench_import --format both         # XLSX against CSV

Listings are generated once and cached in bench/out/listings/. The target databases are emptied:
their name must contain "bench". With several runs, each runs in its own process so every peak
memory figure belongs to one import.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.generate_listing import (
    GENERATOR_VERSION,
    PRODUCT_CODES,
    generate_listings,
    read_officers,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_bench"
DEFAULT_SQLITE = "sqlite:///bench/out/bench.db"
DATABASE_ALIASES = {"pg": DEFAULT_PG, "postgresql": DEFAULT_PG, "sqlite": DEFAULT_SQLITE}
FULL_SCALE = 1_000_000
# Targets of issue 3 at 1,000,000 rows.
TARGET_SECONDS = {"postgresql": 45.0, "sqlite": 150.0}
TARGET_COPY_RATIO = 10.0
TARGET_PEAK_MB = 1536.0
TARGET_XLSX_RATIO = 1.5


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_import",
        description="Time the loan-listing import against a bare COPY; print rows/s and peak memory.",
    )
    parser.add_argument("--rows", type=int, default=FULL_SCALE, help="facilities per listing")
    parser.add_argument(
        "--database",
        action="append",
        help=f"SQLAlchemy URL, or pg / sqlite (repeatable; default {DEFAULT_PG})",
    )
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="csv", dest="fmt")
    parser.add_argument("--lang", choices=("en", "id"), default="en")
    parser.add_argument(
        "--months", type=int, default=1, help="month-end listings imported in turn (default 1)"
    )
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--officers", type=int, help="officer codes (default rows/400)")
    parser.add_argument("--branches", type=int, help="branches (default officers/8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT, help="cache and SQLite directory")
    parser.add_argument("--json", type=Path, help="also write the measured figures as JSON")
    parser.add_argument(
        "--no-after-import-hooks",
        action="store_true",
        help="import the listings only: skip the work registered to run after each import",
    )
    parser.add_argument(
        "--reimport",
        action="store_true",
        help="then import the last listing once more (a correction of its date)",
    )
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)  # child run
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Generate (or reuse) the listings, then run every database × format combination."""
    args = _parse_args(argv)
    databases = [_database_url(d) for d in (args.database or [DEFAULT_PG])]
    formats = ["csv", "xlsx"] if args.fmt == "both" else [args.fmt]
    listing_dir = ensure_listings(args, formats)
    runs = [(url, fmt) for url in databases for fmt in formats]
    if len(runs) == 1 or args.single:
        results = [run_one(args, runs[0][0], runs[0][1], listing_dir)]
    else:
        results = [_run_child(args, url, fmt) for url, fmt in runs]
    if not args.single:
        _print_summary(args, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0 if all(r.get("status") == "ok" for r in results) else 1


# --- listings -------------------------------------------------------------------------------


def ensure_listings(args, formats: list[str]) -> Path:
    """The cached listings for these parameters, generated when missing (CSV always, for COPY)."""
    key = f"{args.lang}-{args.rows}r-{args.months}m-{args.end}-seed{args.seed}-v{GENERATOR_VERSION}"
    if args.officers or args.branches:
        key += f"-{args.officers or 0}o{args.branches or 0}b"
    directory = args.out / "listings" / key
    for fmt in sorted({"csv", *formats}):
        marker = directory / f".complete-{fmt}"
        if marker.exists():
            continue
        print(f"generating {args.rows:,} rows × {args.months} month(s) as {fmt} in {directory} …")
        began = time.perf_counter()
        generate_listings(
            directory,
            rows=args.rows,
            months=args.months,
            end=args.end,
            seed=args.seed,
            officers=args.officers,
            branches=args.branches,
            fmt=fmt,
            lang=args.lang,
        )
        seconds = time.perf_counter() - began
        marker.write_text(f"{seconds:.1f}\n")
        print(f"  generated in {seconds:.1f} s")
    return directory


def _listings(directory: Path, fmt: str) -> list[tuple[date, Path]]:
    found = sorted(directory.glob(f"listing_*.{fmt}"))
    return [(date.fromisoformat(p.stem.removeprefix("listing_")), p) for p in found]


# --- databases ------------------------------------------------------------------------------


def _database_url(value: str) -> str:
    """Expand pg/sqlite shortcuts; make relative SQLite paths absolute (Flask-SQLAlchemy would
    otherwise put them under instance/)."""
    url = DATABASE_ALIASES.get(value.lower(), value)
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        if not path.is_absolute():
            path = (Path.cwd() / path).resolve()
        url = parsed.set(database=str(path)).render_as_string(hide_password=False)
    return url


def _check_name(url: str) -> None:
    name = Path(sa.engine.make_url(url).database or "").name
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to empty database {name!r}: the benchmark drops its tables, so its name "
            "must contain 'bench' (e.g. aoapp_bench, bench.db)."
        )


def fresh_database(url: str) -> None:
    """An empty database: PostgreSQL created if missing and its schema dropped; SQLite deleted."""
    _check_name(url)
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = sa.create_engine(parsed)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(url: str, out: Path):
    """The application on `url`, with a migrated schema (what `flask db upgrade` does)."""
    import flask_migrate

    from aoapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "EXPORTS_DIR": str(out / "exports")})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def insert_reference_data(branch_of: dict[str, str]) -> dict[str, int]:
    """Branches, officers and credit products the listing names, by direct bulk inserts."""
    from aoapp.auth.models import Branch, User
    from aoapp.demo.data import PRODUCTS
    from aoapp.extensions import db
    from aoapp.products.models import Product

    session = db.session
    codes = sorted(set(branch_of.values()))
    session.execute(sa.insert(Branch), [{"code": c, "name": f"Cabang {c}"} for c in codes])
    branch_ids = dict(session.execute(sa.select(Branch.code, Branch.id)).tuples().all())
    session.execute(
        sa.insert(User),
        [
            {
                "username": code.lower(),
                "full_name": f"Officer {code}",
                "role": "officer",
                "branch_id": branch_ids[branch],
                "officer_code": code,
                "password_hash": "!",  # no password: these users cannot log in
            }
            for code, branch in sorted(branch_of.items())
        ],
    )
    products = [p for p in PRODUCTS if p[0] in PRODUCT_CODES]
    session.execute(
        sa.insert(Product),
        [
            {"code": code, "name": name, "kind": kind, "credit_subtype": sub, "description": text}
            for code, name, kind, sub, text in products
        ],
    )
    session.commit()
    return {"branches": len(codes), "officers": len(branch_of), "products": len(products)}


def bare_load(url: str, csv_path: Path) -> tuple[float, int, str]:
    """Load the CSV into an empty unindexed text table: seconds, rows, and how."""
    from aoapp.extensions import db

    with csv_path.open("rb") as handle:
        header = handle.readline().decode("utf-8-sig")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = len(next(csv.reader([header], delimiter=delimiter)))
    ddl = ", ".join(f"c{i} text" for i in range(columns))
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS bench_bare_load"))
        connection.execute(sa.text(f"CREATE TABLE bench_bare_load ({ddl})"))
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        began = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            how = "COPY FROM STDIN"
            statement = f"COPY bench_bare_load FROM STDIN (FORMAT csv, HEADER true, DELIMITER '{delimiter}')"
            with cursor.copy(statement) as copy, csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            how = "executemany"
            marks = ", ".join("?" * columns)
            with csv_path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle, delimiter=delimiter)
                next(reader)
                cursor.executemany(f"INSERT INTO bench_bare_load VALUES ({marks})", reader)  # noqa: S608
        raw.commit()
        seconds = time.perf_counter() - began
        cursor.execute("SELECT count(*) FROM bench_bare_load")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_bare_load")
        raw.commit()
    finally:
        raw.close()
    return seconds, rows, how


# --- memory ---------------------------------------------------------------------------------


def _reset_peak() -> bool:
    """Reset this process's peak resident set (Linux); False when not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float:
    """Peak resident set since the last reset (VmHWM), else since the process started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _maxrss_mb(resource.RUSAGE_SELF)


def _rss_mb() -> float:
    """Resident set now (Linux), 0 when unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _maxrss_mb(who) -> float:
    value = resource.getrusage(who).ru_maxrss
    return value / 1024 / 1024 if sys.platform == "darwin" else value / 1024


# --- runs -----------------------------------------------------------------------------------


def run_one(args, url: str, fmt: str, listing_dir: Path) -> dict:
    """Fresh schema, reference data, bare load, then every listing through the real import."""
    from aoapp.extensions import db

    backend = sa.engine.make_url(url).get_backend_name()
    result = {"database": backend, "url": _safe_url(url), "format": fmt, "rows": args.rows}
    result["status"] = "ok"
    began = time.perf_counter()
    fresh_database(url)
    app = make_app(url, args.out)
    result["schema_seconds"] = round(time.perf_counter() - began, 2)
    with app.app_context():
        began = time.perf_counter()
        result["reference"] = insert_reference_data(read_officers(listing_dir / "officers.csv"))
        result["reference_seconds"] = round(time.perf_counter() - began, 2)

        csv_listings = _listings(listing_dir, "csv")
        seconds, rows, how = bare_load(url, csv_listings[-1][1])
        result["bare_load"] = {"how": how, "seconds": round(seconds, 2), "rows": rows}

        try:
            from aoapp.imports.services import run_import
        except ImportError as error:
            result["status"] = f"importer not available ({error})"
            result["imports"] = []
            _finish(result)
            return result

        hook_seconds = time_after_import_hooks("loans", skip=args.no_after_import_hooks)
        imports = result["imports"] = []
        listings = _listings(listing_dir, fmt)
        for number, (as_of, path) in enumerate(listings + listings[-1:] * args.reimport):
            hook_seconds.clear()
            db.session.remove()
            before = _rss_mb()
            exact = _reset_peak()
            began = time.perf_counter()
            outcome = run_import(path, as_of, user=None, source="bench")
            seconds = time.perf_counter() - began
            described = _describe(outcome)
            db.session.remove()
            stored = db.session.scalar(
                sa.text("SELECT count(*) FROM positions WHERE as_of = :d"), {"d": as_of}
            )
            entry = {
                "as_of": as_of.isoformat(),
                "file": str(path),
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "seconds": round(seconds, 2),
                "positions": stored,
                "peak_mb": round(_peak_mb(), 0),
                "peak_scope": "this import" if exact else "process",
                "rss_before_mb": round(before, 0),
                **described,
                "hook_seconds": dict(hook_seconds),
                "again": number >= len(listings),
            }
            imports.append(entry)
            expected = _count_rows(listing_dir / f"listing_{as_of.isoformat()}.csv")
            entry["listing_rows"] = expected
            if described["status"] not in ("succeeded", ""):
                result["status"] = f"{as_of}: import {described['status']}: {described['message']}"
            elif stored != expected:
                result["status"] = (
                    f"{as_of}: {stored or 0:,} positions stored for {expected:,} rows"
                )
    _finish(result)
    return result


def time_after_import_hooks(kind: str, skip: bool = False) -> dict[str, float]:
    """Re-register the hooks run after each import of `kind` so each one's seconds land in the
    returned dict (by hook key), or, with `skip`, so that none of them does any work."""
    from aoapp.imports.kinds import after_import, after_import_hooks

    seconds: dict[str, float] = {}

    def timed(hook):
        def run(record):
            if skip:
                return None
            began = time.perf_counter()
            try:
                return hook.run(record)
            finally:
                seconds[hook.key] = round(time.perf_counter() - began, 2)

        return run

    for hook in after_import_hooks(kind):
        after_import(kind, hook.key, hook.failed)(timed(hook))
    return seconds


def _count_rows(csv_path: Path) -> int:
    """Data rows of a generated CSV listing (no line breaks inside its cells)."""
    with csv_path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


def _finish(result: dict) -> None:
    result["peak_rss_mb"] = round(_maxrss_mb(resource.RUSAGE_SELF), 0)
    result["peak_rss_children_mb"] = round(_maxrss_mb(resource.RUSAGE_CHILDREN), 0)


def _describe(outcome) -> dict:
    """What run_import returned (an outcome with its PositionImport record), as plain data."""
    record = getattr(outcome, "record", outcome)
    summary = dict(getattr(record, "summary", None) or {})
    errors = getattr(outcome, "errors", None) or []
    return {
        "status": str(getattr(record, "status", "")),
        "message": getattr(record, "message", None),
        "errors": [f"row {e.row} {e.column} {e.value!r}: {e.message}" for e in errors[:5]],
        "error_count": len(errors),
        "timings": summary.pop("timings", None),
        # Reading to the commit of the loaded listing (status succeeded); the suggested
        # follow-ups are written after it, in a transaction of their own.
        "import_seconds": summary.get("seconds"),
        "counts": {k: v for k, v in summary.items() if k not in ("notes", "seconds")},
    }


def _safe_url(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _run_child(args, url: str, fmt: str) -> dict:
    """One database × format in a fresh process, so its memory and app are its own."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "bench.bench_import", "--single", "--json", str(report)]
        command += ["--rows", str(args.rows), "--database", url, "--format", fmt]
        command += ["--lang", args.lang, "--months", str(args.months), "--end", str(args.end)]
        command += ["--seed", str(args.seed), "--out", str(args.out)]
        if args.no_after_import_hooks:
            command.append("--no-after-import-hooks")
        if args.reimport:
            command.append("--reimport")
        if args.officers:
            command += ["--officers", str(args.officers)]
        if args.branches:
            command += ["--branches", str(args.branches)]
        print(f"\n=== {_safe_url(url)} · {fmt} ===", flush=True)
        completed = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), check=False)  # noqa: S603
        if report.exists():
            return json.loads(report.read_text())[0]
    return {"database": url, "format": fmt, "status": f"run failed ({completed.returncode})"}


# --- report ---------------------------------------------------------------------------------


def _print_summary(args, results: list[dict]) -> None:
    print(f"\nListing import benchmark: {args.rows:,} rows per listing, {args.months} listing(s)")
    for r in results:
        print(f"\n{r.get('url', r['database'])} · {r['format']} · {r['status']}")
        if "schema_seconds" not in r:
            continue
        ref = r["reference"]
        print(f"  schema (migrations)      {r['schema_seconds']:8.2f} s")
        print(
            f"  reference data           {r['reference_seconds']:8.2f} s   "
            f"{ref['branches']} branches, {ref['officers']} officers, {ref['products']} products"
        )
        bare = r["bare_load"]
        print(
            f"  bare load                {bare['seconds']:8.2f} s   "
            f"{_rate(bare['rows'], bare['seconds'])} rows/s  "
            f"({bare['how']} of the CSV into an empty unindexed table)"
        )
        for entry in r["imports"]:
            ratio = entry["seconds"] / bare["seconds"] if bare["seconds"] else 0
            print(
                f"  {'again ' if entry.get('again') else 'import'} {entry['as_of']}"
                f"        {entry['seconds']:8.2f} s   "
                f"{_rate(entry['positions'] or 0, entry['seconds'])} rows/s  "
                f"{ratio:5.1f}× bare load"
            )
            print(
                f"      {entry['file_mb']} MB, {entry['positions'] or 0:,} positions stored, "
                f"status {entry['status']}; peak {entry['peak_mb']:,.0f} MB "
                f"({entry['peak_scope']}; {entry['rss_before_mb']:,.0f} MB before)"
            )
            if entry["counts"]:
                print("      counts  " + _counts(entry["counts"]))
            if entry["timings"]:
                print("      timings " + _timings(entry["timings"]))
            if entry.get("import_seconds") is not None:
                loaded = entry["import_seconds"]
                hooks = ", ".join(f"{k} {v:.2f} s" for k, v in entry["hook_seconds"].items())
                print(
                    f"      listing loaded (status succeeded) in {loaded:.2f} s; the work after "
                    f"it {entry['seconds'] - loaded:.2f} s ({hooks or 'skipped'})"
                )
            for line in [entry["message"], *entry["errors"]]:
                if line:
                    print(f"      {line}")
        print(
            f"  peak RSS                 self {r['peak_rss_mb']:,.0f} MB, "
            f"children {r['peak_rss_children_mb']:,.0f} MB"
        )
        _print_targets(args, r)
    _print_xlsx_ratio(results)
    children = _maxrss_mb(resource.RUSAGE_CHILDREN)
    if children:
        print(f"\npeak RSS of the runs (largest child): {children:,.0f} MB")


def _print_targets(args, r: dict) -> None:
    if not r["imports"]:
        return
    first = r["imports"][0]
    checks = []
    if r["database"] == "postgresql" and r["bare_load"]["seconds"]:
        ratio = (first.get("import_seconds") or first["seconds"]) / r["bare_load"]["seconds"]
        checks.append(f"≤ {TARGET_COPY_RATIO:g}× COPY: {_verdict(ratio <= TARGET_COPY_RATIO)}")
    if args.rows == FULL_SCALE:
        limit = TARGET_SECONDS.get(r["database"])
        if limit:
            loaded = first.get("import_seconds") or first["seconds"]
            checks.append(f"loaded ≤ {limit:g} s: {_verdict(loaded <= limit)}")
        checks.append(f"peak ≤ 1.5 GB: {_verdict(r['peak_rss_mb'] <= TARGET_PEAK_MB)}")
    if checks:
        print("  targets                  " + "; ".join(checks))


def _print_xlsx_ratio(results: list[dict]) -> None:
    by_key = {(r["url"], r["format"]): r for r in results if r.get("imports")}
    for (url, fmt), r in by_key.items():
        twin = by_key.get((url, "csv"))
        if fmt != "xlsx" or twin is None:
            continue
        ratio = r["imports"][0]["seconds"] / twin["imports"][0]["seconds"]
        print(
            f"\nXLSX / CSV on {url}: {ratio:.2f}× "
            f"(target ≤ {TARGET_XLSX_RATIO:g}×: {_verdict(ratio <= TARGET_XLSX_RATIO)})"
        )


def _counts(counts: dict) -> str:
    """The importer's counts; a distribution {kol: {count, outstanding}} as counts only."""
    parts = []
    for name, value in counts.items():
        if isinstance(value, dict):
            value = " ".join(
                f"{k}:{v.get('count', v) if isinstance(v, dict) else v}" for k, v in value.items()
            )
            value = f"[{value}]"
        parts.append(f"{name} {value}")
    return ", ".join(parts)


def _timings(timings) -> str:
    if isinstance(timings, dict):
        return ", ".join(f"{k} {v}" for k, v in timings.items())
    return str(timings)


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>10,.0f}" if seconds else "         -"


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
