"""Seed an empty, migrated PostgreSQL database at bank scale, set-based (INSERT … SELECT).

    createdb -h 127.0.0.1 -U postgres aoapp_load
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_load .venv/bin/flask db upgrade
    DATABASE_URL=… .venv/bin/python -m bench.load.seed                # full scale
    DATABASE_URL=… .venv/bin/python -m bench.load.seed --scale 0.05   # dry run

Full scale: 40 branches, 2,000 officers (+ a supervisor per branch, an admin), 200,000 customers,
500,000 facilities with 12 month-end positions each (Kol from `collectibility_bands`, facility
Kol, restructure hold, one-obligor debtor Kol, previous DPD/Kol), follow-ups, promises to pay,
complaints and 100,000 prospects. Everything runs in one transaction with the indexes and
foreign keys of the loaded tables dropped and rebuilt from their own definitions, then VACUUM
ANALYZE. The SQL lives in seed_sql.py (reference data and helpers), seed_credit.py
(customers, facilities, positions) and seed_work.py (prospects, follow-ups, complaints).
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

import aoapp.models  # noqa: F401  (every table on the metadata, as the app has them)
from aoapp.credit import rollups
from aoapp.funding import relationship_rows
from aoapp.funding import rollups as deposit_rollups
from aoapp.imports.partition import month_bounds, partition_name
from bench.generate_listing import PRODUCTS, as_of_dates
from bench.load import (
    PASSWORD,
    connect,
    database_name,
    database_url,
    seed_credit,
    seed_funds,
    seed_work,
)
from bench.load import seed_sql as q

FULL = {"branches": 40, "officers": 2000, "customers": 200_000, "facilities": 500_000}
FULL_PROSPECTS = 100_000
MONTHS = 12
# Tables whose indexes are dropped during the load and rebuilt after it.
DEFERRED = (
    "customers",
    "facilities",
    "positions",
    "deposit_accounts",
    "deposit_positions",
    "prospects",
    "prospect_status_changes",
)
PARTITIONED = ("positions", "deposit_positions")  # by month of as_of on PostgreSQL
SUBTYPES = {
    "KUR": "kur",
    "MULTIGUNA": "personal",
    "KKB": "vehicle",
    "KPR": "mortgage",
    "KMK": "working_capital",
    "KI": "investment",
}


def _log(message: str) -> None:
    print(message, flush=True)


class Seeder:
    """Runs the seed's steps on one connection, timing each."""

    def __init__(self, conn, params: dict):
        self.conn = conn
        self.params = params
        self.began = time.perf_counter()

    def step(self, label: str, sql: str, params: dict | None = None) -> int:
        """Execute one statement; print its row count and time."""
        started = time.perf_counter()
        cursor = self.conn.execute(sql, params if params is not None else self.params)
        rows = cursor.rowcount
        spent = time.perf_counter() - started
        total = time.perf_counter() - self.began
        shown = f"{rows:>10,}" if rows and rows > 0 else " " * 10
        _log(f"  {label:<44}{shown} rows {spent:7.1f} s   (total {total:6.1f} s)")
        return rows

    def batch(self, label: str, statements: list[tuple[str, str]]) -> None:
        """Run DDL statements (no parameters) as one timed step; name the slowest."""
        started, slowest = time.perf_counter(), (0.0, "")
        for name, statement in statements:
            began = time.perf_counter()
            self.conn.execute(statement)
            slowest = max(slowest, (time.perf_counter() - began, name))
        spent = time.perf_counter() - started
        total = time.perf_counter() - self.began
        _log(f"  {label:<54} {spent:7.1f} s   (total {total:6.1f} s)")
        if slowest[1]:
            _log(f"    slowest: {slowest[1]} {slowest[0]:.1f} s")

    def scalar(self, sql: str, params: dict | None = None):
        return self.conn.execute(sql, params or {}).fetchone()[0]


def _product_rows() -> list[tuple]:
    """The generator's credit products as rows of the seed_products table: terms, tenors of two
    years or more (every facility spans the 12 listings) and the draw's cut points."""
    weights = [(p[1], p[2]) for p in PRODUCTS]
    total_i, total_c = (sum(w[i] for w in weights) for i in (0, 1))
    rows, cum_i, cum_c = [], 0.0, 0.0
    for n, product in enumerate(PRODUCTS, start=1):
        code, wi, wc, low, high, unit, rate_low, rate_high, tenors, revolving, digit = product
        long_tenors = [t for t in tenors if t >= 24] or [24]
        lo, co_lo = cum_i, cum_c
        cum_i, cum_c = cum_i + wi / total_i, cum_c + wc / total_c
        hi, co_hi = (1.0, 1.0) if n == len(PRODUCTS) else (cum_i, cum_c)
        subtype = SUBTYPES[code]
        rows.append(
            (n, code, subtype, low, high, unit, rate_low, rate_high, long_tenors, revolving, digit)
            + (lo, hi, co_lo, co_hi if wc else co_lo)
        )
    return rows


def _sizes(scale: float, prospects: int | None) -> dict:
    sizes = {name: max(1, round(value * scale)) for name, value in FULL.items()}
    sizes["branches"] = max(1, min(sizes["branches"], sizes["officers"]))
    sizes["customers"] = max(sizes["customers"], sizes["officers"])
    sizes["facilities"] = max(sizes["facilities"], sizes["customers"])
    sizes["prospects"] = prospects if prospects is not None else round(FULL_PROSPECTS * scale)
    return sizes


def _params(sizes: dict, today: date, password_hash: str, grace: int) -> dict:
    end = date(today.year, today.month, 1) - timedelta(days=1)  # the last month end
    dates = as_of_dates(end, MONTHS)
    return {
        **sizes,
        "today": today,
        "end": end,
        "first": dates[0],
        "dates": dates,
        "days": [(d - dates[0]).days for d in dates],
        "end_key": end.isoformat(),
        "now": datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        "pw": password_hash,
        "grace": grace,
        "seed": 0.42,
    }


def _app_settings(url: str, password: str) -> tuple[str, int, date]:
    """The app's own password hash of `password` (hashed once), PTP grace days and bank today."""
    from aoapp import create_app
    from aoapp.common.dates import bank_today
    from aoapp.followups.promises import grace_days

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        method = app.config["PASSWORD_HASH_METHOD"]
        return generate_password_hash(password, method=method), grace_days(), bank_today()


def _check_target(seeder: Seeder, url: str, reset: bool) -> None:
    if not seeder.scalar("SELECT to_regclass('public.alembic_version') IS NOT NULL"):
        raise SystemExit("The database is not migrated: run `flask db upgrade` first.")
    used = seeder.scalar("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM customers)")
    if not used:
        return
    name = database_name(url)
    if not reset:
        raise SystemExit(f"Database {name!r} is not empty; pass --reset to empty it first.")
    if "load" not in name and "bench" not in name:
        raise SystemExit(f"Refusing to empty {name!r}: its name must contain 'load' or 'bench'.")
    seeder.step("empty every table (--reset)", q.truncate_all(seeder.conn), {})


def seed(url: str, scale: float, prospects: int | None, password: str, reset: bool) -> None:
    """Seed the database at `url`."""
    password_hash, grace, today = _app_settings(url, password)
    params = _params(_sizes(scale, prospects), today, password_hash, grace)
    _log(
        f"Seeding {database_name(url)}: {params['branches']:,} branches, "
        f"{params['officers']:,} officers, {params['customers']:,} customers, "
        f"{params['facilities']:,} facilities × {MONTHS} listings "
        f"({params['first']} … {params['end']}), {params['prospects']:,} prospects; "
        f"today {today}"
    )
    with connect(url) as conn:
        seeder = Seeder(conn, params)
        _check_target(seeder, url, reset)
        for setting in q.SESSION_SETTINGS:
            conn.execute(setting)
        foreign_keys = q.drop_foreign_keys(conn)
        deferred = q.drop_indexes(conn, DEFERRED)
        _log(f"  dropped {len(foreign_keys)} foreign keys, {len(deferred)} indexes and keys")
        conn.execute(q.SEED_PRODUCTS_TABLE)
        conn.cursor().executemany(q.SEED_PRODUCT_ROW, _product_rows())
        conn.execute("SELECT setseed(%(seed)s)", params)
        for label, sql in q.REFERENCE_STEPS:
            seeder.step(label, sql)
        seeder.batch("month partitions of (deposit) positions", _month_partitions(params["dates"]))
        for label, sql in seed_credit.STEPS + seed_funds.STEPS + seed_work.PROSPECT_STEPS:
            seeder.step(label, sql)
        seeder.batch(f"rebuild {len(deferred)} indexes and keys", deferred)
        for label, sql in seed_work.WORK_STEPS:
            seeder.step(label, sql)
        seeder.batch(f"re-add and check {len(foreign_keys)} foreign keys", foreign_keys)
        seeder.step("reset id sequences", q.reset_sequences(conn), {})
        started = time.perf_counter()
        conn.commit()
        _log(f"  commit {time.perf_counter() - started:.1f} s")
    _write_rollups(url, params["dates"])
    _write_relationship_pairs(url, params["dates"])
    with connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        _log(f"  VACUUM (ANALYZE) {time.perf_counter() - started:.1f} s")
    _renewals(url, today)
    with connect(url, autocommit=True) as conn:
        _summary(conn, time.perf_counter() - seeder.began)


def _month_partitions(dates: list[date]) -> list[tuple[str, str]]:
    """One partition of `positions` and of `deposit_positions` per listing month, as the
    imports leave them (migrations 0029 and 0042, imports/partition.py): the seeded rows go to
    them, not to the default ones."""
    statements = []
    for parent in PARTITIONED:
        for day in sorted(set(dates)):
            start, end = month_bounds(day)
            name = partition_name(parent, day)
            statements.append(
                (
                    name,
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent}"
                    f" FOR VALUES FROM ('{start}') TO ('{end}')",
                )
            )
    return statements


def _renewals(url: str, today: date) -> None:
    """The renewal pipeline of the seeded listings, made by the app itself (`flask renewals
    refresh`): loans and depositos maturing in the window, each owned by its officer."""
    from aoapp import create_app
    from aoapp.renewals.pipeline import refresh

    started = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        counts = refresh(today=today)
    _log(f"  renewal opportunities {counts} {time.perf_counter() - started:.1f} s")


def _write_rollups(url: str, dates: list[date]) -> None:
    """The month-end aggregates of every seeded date (positions and deposit positions), by the
    imports' own writers (in the app's context: the run-off reads its share from the config)."""
    from aoapp import create_app

    started = time.perf_counter()
    engine = sa.create_engine(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), engine.begin() as conn:
        rollups.write(conn, dates)
        deposit_rollups.write(conn, dates)
    engine.dispose()
    _log(
        f"  rollups (loans and deposits) of {len(dates)} dates {time.perf_counter() - started:.1f} s"
    )


def _write_relationship_pairs(url: str, dates: list[date]) -> None:
    """The relationship rows of every seeded pair of listings, by the imports' own writer
    (funding/relationship_rows.py): as after importing each month's two listings."""
    started = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        relationship_rows.refresh(conn, loans=dates, deposits=dates)
    engine.dispose()
    _log(f"  relationship pairs of {len(dates)} dates {time.perf_counter() - started:.1f} s")


def _summary(conn, seconds: float) -> None:
    """Counts per table and the DPD / Kol distribution of the latest listing."""
    _log(f"Seeded in {seconds:.0f} s:")
    for table in q.COUNTED:
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        _log(f"  {table:<24}{count:>12,}")
    _log("Latest listing: share of facilities by DPD band and by debtor Kol")
    for label, share in conn.execute(q.DISTRIBUTION).fetchall():
        _log(f"  {label:<24}{share:>11.2f}%")


def main(argv=None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.load.seed", description=__doc__)
    parser.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL)")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = bank scale; 0.05 = dry run")
    parser.add_argument("--prospects", type=int, help="prospects (default 100,000 × scale)")
    parser.add_argument("--password", default=PASSWORD, help="every seeded user's password")
    parser.add_argument("--reset", action="store_true", help="empty a seeded database first")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 5:
        parser.error("--scale must be in (0, 5]")
    seed(database_url(args.database), args.scale, args.prospects, args.password, args.reset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
