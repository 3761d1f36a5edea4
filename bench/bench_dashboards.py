"""Benchmark the team dashboards at bank scale, read from the month-end aggregates (rollups and
the relationship rows of funding/relationship_rows.py) and computed live from the positions, in
the same run.

Goals (issue 22): a supervisor's team dashboard for one branch (50 officers) ≤ 100 ms server
time, an admin's bank-wide one (2,000 officers) ≤ 300 ms. Against the bank-scale seed of
bench/load, in a database whose name contains "bench" or "load" (bench/README.md):

    export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/wa_bench_load
    .venv/bin/flask db upgrade && .venv/bin/python -m bench.load.seed --reset
    .venv/bin/python -m bench.bench_dashboards [--rounds 7] [--month 2026-11]

Each dashboard is the service call (dashboards/services.team_dashboard), warmed once, then timed
`--rounds` times each way, alternating; it prints the median and the best, the median of the
parts that read the aggregates (scope figures, trend, officer KPIs) on their own, and of the live
watchlist count with and without its partial index. Both ways must give the same dashboard: the
script compares them and fails if they differ.
"""

import argparse
import statistics
import sys
import time
from contextlib import nullcontext

import sqlalchemy as sa

CASES = (("branch (spv.br001, 50 officers)", "spv.br001"), ("bank-wide (admin)", "admin"))


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.bench_dashboards")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls of each way")
    parser.add_argument("--month", help="the dashboard's month (default: the latest listing's)")
    parser.add_argument("--database", help="default: DATABASE_URL")
    return parser.parse_args(argv)


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def _comparable(board) -> tuple:
    """What the two ways must agree on: the figures, the trend, every officer row and the
    funding and relationship blocks."""
    return (
        board.portfolio,
        tuple(board.trend),
        tuple(board.officers),
        board.totals,
        board.funding_view,
    )


def _parts(board, rounds: int) -> None:
    """What reads the aggregates, on its own, each way: the scope's figures, the 12-month trend,
    the officers' portfolio KPIs, and the relationship figures (the stored pairs of
    funding/relationship_rows.py)."""
    from aoapp.credit import rollup_reads
    from aoapp.credit.figures import scope_figures
    from aoapp.dashboards.queries import trend
    from aoapp.funding.held import listings_on
    from aoapp.funding.relationship import (
        lost_customers,
        officer_relationship,
        period_start,
        scope_relationship,
    )
    from aoapp.kpis.queries import portfolio

    scope, as_of = board.scope, board.as_of
    dates = [point.as_of for point in board.trend]
    ids = [row.officer_id for row in board.officers]
    end, start = listings_on(board.period.end), period_start(board.period.start)
    parts = {
        "scope figures": lambda: scope_figures(scope, as_of),
        "trend (12 dates)": lambda: trend(scope, dates),
        "officer portfolio KPIs": lambda: portfolio(ids, as_of, scope.condition),
        "relationship, scope": lambda: scope_relationship(scope, end, start),
        "relationship, officers": lambda: officer_relationship(ids, end, start, scope.condition),
        "lost customers": lambda: lost_customers(scope.condition, start, end),
    }
    for label, call in parts.items():
        ways = {}
        for way in ("rollups", "live"):
            with rollup_reads.live() if way == "live" else nullcontext():
                call()
                ways[way] = statistics.median(_timed(call)[0] for _ in range(rounds))
        print(f"  {label:24} stored {ways['rollups']:8.1f} ms   live {ways['live']:8.1f} ms")


def _watchlist(scope, as_of, day, rounds: int) -> None:
    """The live watchlist count with the partial index ix_positions_watch, and without it (the
    index dropped inside a transaction that is rolled back)."""
    from aoapp.dashboards.queries import watchlist_count
    from aoapp.extensions import db

    def timed() -> list[float]:
        watchlist_count(scope, as_of, day)  # warm
        return [_timed(lambda: watchlist_count(scope, as_of, day))[0] for _ in range(rounds)]

    with_index = timed()
    db.session.execute(sa.text("DROP INDEX ix_positions_watch"))
    without = timed()
    db.session.rollback()
    for label, ms in (("with ix_positions_watch", with_index), ("without it", without)):
        print(f"  watchlist count {label:24} median {statistics.median(ms):7.1f} ms")


def main(argv=None) -> int:
    args = _parse_args(argv)
    from aoapp.auth.models import User
    from aoapp.credit import rollup_reads
    from aoapp.credit.rollups import ROLLUPS
    from aoapp.dashboards.services import team_dashboard
    from aoapp.extensions import db
    from bench.load import bench_app

    app = bench_app(args.database)
    failed = False
    with app.app_context(), app.test_request_context():
        latest = db.session.scalar(sa.select(sa.func.max(ROLLUPS.c.as_of)))
        if latest is None:
            raise SystemExit("no rollups: migrate (0034 fills them) or seed first")
        month = args.month or f"{latest:%Y-%m}"
        print(f"month {month}, rollups up to {latest}, {args.rounds} rounds each, warm")
        for label, username in CASES:
            actor = db.session.scalar(sa.select(User).where(User.username == username))

            def call(actor=actor):
                return team_dashboard(actor, period_code=month, today=latest)

            def live_call(call=call):
                with rollup_reads.live():
                    return call()

            _ms, fast = _timed(call)  # warm both ways, and compare them
            _ms, slow = _timed(live_call)
            same = _comparable(fast) == _comparable(slow)
            failed |= not same
            times = {"rollups": [], "live": []}
            for _ in range(args.rounds):
                times["rollups"].append(_timed(call)[0])
                times["live"].append(_timed(live_call)[0])
                db.session.rollback()
            medians = {way: statistics.median(ms) for way, ms in times.items()}
            print(f"\n{label}: {len(fast.officers)} officers, same figures both ways: {same}")
            for way, ms in times.items():
                print(f"  {way:8} median {medians[way]:8.1f} ms   best {min(ms):8.1f} ms")
            print(f"  live / rollups: {medians['live'] / medians['rollups']:.1f}×")
            _parts(fast, args.rounds)
            _watchlist(fast.scope, fast.as_of, latest, args.rounds)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
