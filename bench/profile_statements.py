"""Where a dashboard's time goes: every SQL statement of one service call timed, grouped by its
text and ranked, beside the call's whole time (the rest is Python).

Against the bank-scale seed of bench/load (a database whose name contains "bench" or "load"):

    .venv/bin/python -m bench.profile_statements --user spv.br001 [--rounds 5] [--top 15]
    .venv/bin/python -m bench.profile_statements --user admin --explain 1
    .venv/bin/python -m bench.profile_statements --officer ao.br001.01

`--user` times the team dashboard of that supervisor or admin, `--officer` the officer dashboard
of that officer; the month is the newest rollups' (or `--month`). The call is warmed once, then
timed `--rounds` times; a statement's time is its median over the rounds. `--explain N` prints
the plan (EXPLAIN ANALYZE, BUFFERS) of the N-th ranked statement of the last round, `--match TEXT`
that of the first ranked statement whose SQL holds TEXT. `--python N` profiles one more call with
cProfile and prints its N costliest functions, by their own time and with what they call: the
Python the SQL's time leaves (waiting on the database shows as the driver's `execute`).
"""

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import time
from collections import defaultdict

import sqlalchemy as sa


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.profile_statements")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help="a supervisor's or admin's username: the team dashboard")
    who.add_argument("--officer", help="an officer's username: the officer dashboard")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--month", help="the dashboard's month (default: the latest listing's)")
    parser.add_argument("--explain", type=int, help="EXPLAIN ANALYZE the N-th ranked statement")
    parser.add_argument("--match", help="EXPLAIN ANALYZE the first ranked statement holding this")
    parser.add_argument("--python", type=int, help="cProfile one more call: its N costliest")
    parser.add_argument("--database", help="default: DATABASE_URL")
    return parser.parse_args(argv)


class Statements:
    """Times every statement run on `engine` while `recording` is set, by statement text."""

    def __init__(self, engine):
        self.recording = False
        self.rounds: list[dict[str, list[float]]] = []
        self.last: dict[str, tuple] = {}
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, statement, parameters, _context, _many):
        conn.info.setdefault("started", []).append(time.perf_counter())

    def _after(self, conn, _cursor, statement, parameters, _context, _many):
        ms = (time.perf_counter() - conn.info["started"].pop()) * 1000
        if self.recording:
            self.rounds[-1].setdefault(statement, []).append(ms)
            self.last[statement] = parameters

    def round(self) -> None:
        self.rounds.append({})


def main(argv=None) -> int:
    args = _parse_args(argv)
    from aoapp.auth.models import User
    from aoapp.credit.rollups import ROLLUPS
    from aoapp.dashboards.services import officer_dashboard, team_dashboard
    from aoapp.extensions import db
    from bench.load import bench_app

    app = bench_app(args.database)
    with app.app_context(), app.test_request_context():
        latest = db.session.scalar(sa.select(sa.func.max(ROLLUPS.c.as_of)))
        month = args.month or f"{latest:%Y-%m}"
        username = args.user or args.officer
        actor = db.session.scalar(sa.select(User).where(User.username == username))
        if actor is None:
            raise SystemExit(f"no user {username}")
        if args.user:
            call = lambda: team_dashboard(actor, period_code=month, today=latest)  # noqa: E731
        else:
            call = lambda: officer_dashboard(actor, period_code=month, today=latest)  # noqa: E731
        statements = Statements(db.engine)
        call()
        db.session.rollback()
        gc.collect()  # as a gunicorn worker does (gunicorn.conf.post_worker_init): the app's
        gc.freeze()  # objects out of the collector, whose full passes would land in a round
        totals = []
        for _ in range(args.rounds):
            statements.round()
            statements.recording = True
            started = time.perf_counter()
            call()
            totals.append((time.perf_counter() - started) * 1000)
            statements.recording = False
            db.session.rollback()
        per_text = defaultdict(list)
        for one in statements.rounds:
            for text, times in one.items():
                per_text[text].append((sum(times), len(times)))
        ranked = sorted(
            (
                (statistics.median(t for t, _ in runs), runs[0][1], text)
                for text, runs in per_text.items()
            ),
            reverse=True,
        )
        sql = sum(ms for ms, _, _ in ranked)
        count = sum(n for _, n, _ in ranked)
        whole = statistics.median(totals)
        print(f"{username}, month {month}: call median {whole:.1f} ms over {args.rounds} rounds")
        print(f"  SQL {sql:.1f} ms in {count} statements, the rest {whole - sql:.1f} ms\n")
        for rank, (ms, n, text) in enumerate(ranked[: args.top], 1):
            flat = " ".join(text.split())
            print(f"{rank:3}. {ms:8.1f} ms  ×{n:<3} {flat[:150]}")
        if args.match:
            args.explain = next(i for i, (_, _, t) in enumerate(ranked, 1) if args.match in t)
        if args.explain:
            text = ranked[args.explain - 1][2]
            print(f"\nEXPLAIN ANALYZE of statement {args.explain}:\n{text}\n")
            with db.engine.connect() as conn:
                raw = conn.connection.driver_connection
                with raw.cursor() as cursor:
                    cursor.execute(
                        "EXPLAIN (ANALYZE, BUFFERS) " + text, statements.last[text] or None
                    )
                    for (line,) in cursor.fetchall():
                        print(line)
        if args.python:
            _python(call, args.python)
            db.session.rollback()
    return 0


def _python(call, top: int) -> None:
    """One call under cProfile: its `top` functions by own time, then by time with callees."""
    profile = cProfile.Profile()
    profile.runcall(call)
    for order in ("tottime", "cumulative"):
        print(f"\ncProfile of one call, by {order}:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats(order).print_stats(top)


if __name__ == "__main__":
    sys.exit(main())
