"""Benchmark the header search at bank scale: the service and its JSON endpoint, per role.

Target (issue 17, point 7d): p95 ≤ 100 ms on PostgreSQL with 200,000 customers. Against the
bank-scale seed of bench/load, in a database whose name contains "bench" or "load":

    createdb -h 127.0.0.1 -U postgres bench_search
    export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_search
    .venv/bin/flask db upgrade
    .venv/bin/python -m bench.load.seed               # 200,000 customers, 100,000 prospects
    .venv/bin/python -m bench.bench_search            # times; --rounds 5, --explain 3

The queries are drawn from the data (seeded at random, fixed seed): name prefixes typed as one
types them (2–4 letters of a first name, first name + start of the last, a last name alone),
whole CIFs and their first digits, account numbers (loans and savings) and their start, NIKs,
phones written 08…, +62… and 62…, and text that finds nothing. Half are the officer's own
customers, half anyone's (out of an officer's scope: found for the admin, absent for the officer).
Each is timed for an officer (ao.0001), a supervisor (spv.br001) and the admin, through the
service (8 results, the header's list, and 50, the page) and through GET /api/v1/search.
"""

import argparse
import logging
import random
import statistics
import sys
import time
from collections import defaultdict

import sqlalchemy as sa

USERS = ("ao.0001", "spv.br001", "admin")
TARGET_MS = 100.0


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.bench_search")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of every query")
    parser.add_argument("--queries", type=int, default=12, help="queries of each kind")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest")
    parser.add_argument("--database", help="default: DATABASE_URL")
    return parser.parse_args(argv)


def _queries(session, officer_id: int, per_kind: int) -> dict[str, list[str]]:
    """Texts to search, by kind, drawn from the officer's customers and from everyone's."""
    rng = random.Random(17)

    def sample(sql: str) -> list[tuple]:
        mine = session.execute(sa.text(sql + " AND c.officer_id = :o LIMIT 200"), {"o": officer_id})
        anyone = session.execute(sa.text(sql + " AND c.id % 97 = 3 LIMIT 400"))
        rows_mine, rows_any = list(mine), list(anyone)
        half = per_kind // 2
        return rng.sample(rows_mine, min(half, len(rows_mine))) + rng.sample(
            rows_any, min(per_kind - half, len(rows_any))
        )

    people = sample("SELECT c.name, c.cif, c.nik, c.phone FROM customers c WHERE c.nik IS NOT NULL")
    loans = sample(
        "SELECT f.account_no FROM facilities f JOIN customers c ON c.id = f.customer_id WHERE true"
    )
    savings = sample(
        "SELECT h.account_no FROM product_holdings h JOIN customers c ON c.id = h.customer_id "
        "WHERE h.account_no IS NOT NULL"
    )
    words = [name.split() for name, *_ in people]
    return {
        "name: 2-4 letters": [w[0][: rng.randint(2, 4)] for w in words],
        "name: first + last start": [f"{w[0]} {w[-1][:3]}" for w in words],
        "name: last name alone": [w[-1] for w in words],
        "name: whole, other case": [" ".join(w).upper() for w in words],
        "CIF": [cif for _, cif, *_ in people],
        "CIF start (6)": [cif[:6] for _, cif, *_ in people],
        "account (loan)": [a for (a,) in loans],
        "account start (savings, 8)": [a[:8] for (a,) in savings],
        "NIK": [nik for _, _, nik, _ in people],
        "phone 08…": ["0" + phone[2:] for *_, phone in people],
        "phone +62 … (start)": [f"+62 {phone[2:5]} {phone[5:9]}" for *_, phone in people],
        "phone 62…": [phone for *_, phone in people],
        "nothing found": ["qxz", "zzzz wq", "99999999999999", "xq"],
    }


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f}"


def _login(client, user) -> None:
    """A session cookie for `user`, as after logging in (the page's own script reads the API)."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}.{user.session_epoch}"
        session["_fresh"] = True


def main(argv=None) -> int:
    args = _parse_args(argv)
    from aoapp import create_app
    from aoapp.auth.models import User
    from aoapp.extensions import db
    from aoapp.search.services import DROPDOWN_LIMIT, PAGE_LIMIT, search
    from bench.load import database_name, database_url

    url = database_url(args.database)
    name = database_name(url)
    if "bench" not in name and "load" not in name:
        raise SystemExit(
            f"Refusing {name!r}: the benchmark's database name contains 'bench' or 'load'."
        )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost"})
    logging.getLogger("aoapp.access").setLevel(logging.WARNING)  # one line per request otherwise
    with app.app_context():
        counts = db.session.execute(
            sa.text("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM prospects)")
        ).one()
        if not counts[0]:
            raise SystemExit("No customers: seed first (python -m bench.load.seed).")
        users = {
            u.username: u
            for u in db.session.scalars(sa.select(User).where(User.username.in_(USERS)))
        }
        queries = _queries(db.session, users["ao.0001"].id, args.queries)
        print(
            f"Search benchmark on {name}: {counts[0]:,} customers, {counts[1]:,} prospects; "
            f"{sum(map(len, queries.values()))} queries × {args.rounds} rounds per user and limit"
        )
        timings: dict[tuple, list[float]] = defaultdict(list)
        by_query: list[tuple[float, str, str, int]] = []
        for username in USERS:
            user = users[username]
            for kind, texts in queries.items():
                for text in texts:
                    for limit in (DROPDOWN_LIMIT, PAGE_LIMIT):
                        search(user, text, limit=limit)  # warm: plans, caches
                        for _ in range(args.rounds):
                            started = time.perf_counter()
                            search(user, text, limit=limit)
                            spent = (time.perf_counter() - started) * 1000
                            timings[(username, limit, kind)].append(spent)
                            timings[(username, limit, "all")].append(spent)
                            by_query.append((spent, username, text, limit))
                        db.session.rollback()
        print("\nService, ms (search(user, text, limit)):")
        for username in USERS:
            for limit in (DROPDOWN_LIMIT, PAGE_LIMIT):
                print(
                    f"  {username:<10} limit {limit:>2}  {_percentiles(timings[(username, limit, 'all')])}"
                )
        print("\nBy kind of query (all users, limit 8), ms:")
        for kind in queries:
            samples = [s for u in USERS for s in timings[(u, DROPDOWN_LIMIT, kind)]]
            print(f"  {kind:<28} {_percentiles(samples)}")
        http = _time_http(app, users, queries, args.rounds)
        if args.explain:
            _explain(app, users, sorted(by_query, reverse=True)[: args.explain])
        overall = sorted(s for key, samples in timings.items() if key[2] == "all" for s in samples)
        p95 = overall[round(0.95 * (len(overall) - 1))]
        print(
            f"\nService p95 over everything: {p95:.1f} ms; HTTP p95: {http:.1f} ms (target ≤ {TARGET_MS:.0f} ms)"
        )
    return 0 if p95 <= TARGET_MS else 1


def _time_http(app, users, queries, rounds) -> float:
    """GET /api/v1/search as the header's script sends it, through the whole Flask stack."""
    print("\nGET /api/v1/search?q=…&limit=8 (session cookie, X-Requested-With), ms:")
    everything = []
    headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
    for username in USERS:
        client = app.test_client()
        _login(client, users[username])
        samples = []
        for texts in queries.values():
            for text in texts:
                client.get("/api/v1/search", query_string={"q": text}, headers=headers)
                for _ in range(rounds):
                    started = time.perf_counter()
                    response = client.get(
                        "/api/v1/search", query_string={"q": text}, headers=headers
                    )
                    samples.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.status_code
        print(f"  {username:<10}           {_percentiles(samples)}")
        everything += samples
    everything.sort()
    return everything[round(0.95 * (len(everything) - 1))]


def _explain(app, users, slowest) -> None:
    """EXPLAIN ANALYZE every statement of the slowest searches."""
    from aoapp.extensions import db
    from aoapp.search.services import search

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    for spent, username, text, limit in slowest:
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", record)
        search(users[username], text, limit=limit)
        sa.event.remove(db.engine, "before_cursor_execute", record)
        print(
            f"\n--- {username} {text!r} limit {limit}: {spent:.1f} ms, {len(statements)} statements"
        )
        with db.engine.connect() as connection:
            for statement, parameters in statements:
                plan = connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                )
                lines = [row[0] for row in plan]
                print("  " + " ".join(statement.split())[:160])
                print("    " + next((ln for ln in lines if ln.startswith("Execution Time")), ""))


if __name__ == "__main__":
    sys.exit(main())
