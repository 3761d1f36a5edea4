"""Capture the SQL of every page and API list of the load mix, time it, and EXPLAIN the heaviest.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_load \\
        .venv/bin/python -m bench.load.explain [--top 3] [--officer ao.0001] [--plans FILE]

Runs each page twice through Flask's test client (logged in as a seeded officer, and as the
supervisor of the officer's branch; API calls with a bearer token) and records each statement
with SQLAlchemy's before/after_cursor_execute events during the second (warm) call. Prints per
page the request time, the number of statements and their time, then
`EXPLAIN (ANALYZE, BUFFERS)` of the `--top` slowest distinct statements with their parameters.
"""

import argparse
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from bench.load import PASSWORD, database_url

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN_NAME = "bench-explain"


@dataclass
class Statement:
    """One executed statement: its SQL, parameters and time."""

    page: str
    sql: str
    params: object
    ms: float


@dataclass
class Recorder:
    """Times every statement on the engine while `page` is set."""

    page: str | None = None
    statements: list[Statement] = field(default_factory=list)

    def before(self, conn, _cursor, sql, params, _context, _many):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(self, conn, _cursor, sql, params, _context, _many):
        started = conn.info["bench_started"].pop()
        if self.page is not None:
            ms = (time.perf_counter() - started) * 1000
            self.statements.append(Statement(self.page, sql, params, ms))


def pages(officer, supervisor, customer_id: int, today) -> list[tuple[str, str, str]]:
    """(label, who, url) of the mix, for the officer and the supervisor."""
    week = f"planned_from={today - timedelta(days=7)}&planned_to={today + timedelta(days=7)}"
    return [
        ("agenda", "officer", "/agenda/"),
        ("dashboard", "officer", "/dashboard/"),
        ("API dashboard", "officer", "/api/v1/dashboard/officer"),
        ("customer page", "officer", f"/customers/{customer_id}"),
        ("portfolio kol=2", "officer", "/portfolio/?kol=2&sort=-outstanding"),
        ("portfolio bucket", "officer", "/portfolio/?bucket=1_30"),
        ("API customers", "officer", "/api/v1/customers?per_page=50&sort=name"),
        ("API facilities", "officer", "/api/v1/facilities?per_page=50&kol=2"),
        ("API follow-ups", "officer", f"/api/v1/followups?per_page=50&status=planned&{week}"),
        ("customers list", "officer", "/customers/"),
        ("follow-ups list", "officer", "/followups/"),
        ("team agenda", "supervisor", "/agenda/team"),
        ("team dashboard", "supervisor", "/dashboard/team"),
        ("API team dashboard", "supervisor", "/api/v1/dashboard/team"),
        ("customer page", "supervisor", f"/customers/{customer_id}"),
        ("portfolio", "supervisor", "/portfolio/"),
        ("portfolio kol=2", "supervisor", "/portfolio/?kol=2"),
        ("customers list", "supervisor", "/customers/"),
        ("follow-ups list", "supervisor", "/followups/"),
        ("API facilities", "supervisor", "/api/v1/facilities?per_page=50&kol=2"),
    ]


def _login(client, username: str, password: str) -> None:
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    if answer.status_code != 302:
        raise SystemExit(f"login of {username} failed ({answer.status_code})")


def _cast(app, officer_name: str | None):
    """The officer (given, or the one with the median agenda), the branch supervisor and a
    customer of the officer with the most facilities."""
    from aoapp.auth.models import User
    from aoapp.credit.models import Facility
    from aoapp.customers.models import Customer
    from aoapp.extensions import db
    from aoapp.followups.models import FollowUp

    with app.app_context():
        if officer_name:
            officer = db.session.scalar(sa.select(User).where(User.username == officer_name))
        else:
            counts = (
                sa.select(FollowUp.owner_id, sa.func.count().label("n"))
                .where(FollowUp.status == "planned")
                .group_by(FollowUp.owner_id)
                .order_by(sa.text("n"))
            )
            rows = db.session.execute(counts).all()
            officer = db.session.get(User, rows[len(rows) // 2][0])
        supervisor = db.session.scalar(
            sa.select(User)
            .where(User.role == "supervisor", User.supervised.any(id=officer.branch_id))
            .limit(1)
        )
        customer = db.session.execute(
            sa.select(Facility.customer_id, sa.func.count())
            .join(Customer, Customer.id == Facility.customer_id)
            .where(Customer.officer_id == officer.id)
            .group_by(Facility.customer_id)
            .order_by(sa.func.count().desc(), Facility.customer_id)
            .limit(1)
        ).first()[0]
        return officer.username, supervisor.username, customer


def _token(app, username: str) -> str:
    from aoapp.auth.models import ApiToken, User
    from aoapp.auth.tokens import create_token
    from aoapp.extensions import db

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.execute(
            sa.delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == TOKEN_NAME)
        )
        return create_token(user, TOKEN_NAME)[1]


def _drop_tokens(app) -> None:
    from aoapp.auth.models import ApiToken
    from aoapp.extensions import db

    with app.app_context():
        db.session.execute(sa.delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
        db.session.commit()


def capture(
    app, officer: str, supervisor: str, customer_id: int, password: str, detail: int = 0
) -> Recorder:
    """Run every page twice; record the statements of the second run."""
    from aoapp.common.dates import bank_today
    from aoapp.extensions import db

    recorder = Recorder()
    clients = {"officer": app.test_client(), "supervisor": app.test_client()}
    tokens = {"officer": _token(app, officer), "supervisor": _token(app, supervisor)}
    _login(clients["officer"], officer, password)
    _login(clients["supervisor"], supervisor, password)
    with app.app_context():
        today = bank_today()
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", recorder.before)
    sa.event.listen(engine, "after_cursor_execute", recorder.after)
    print(f"{'page':<20}{'as':<12}{'status':>6}{'request ms':>12}{'statements':>11}{'SQL ms':>9}")
    try:
        for label, who, url in pages(officer, supervisor, customer_id, today):
            headers = {"Authorization": f"Bearer {tokens[who]}"} if "/api/" in url else {}
            clients[who].get(url, headers=headers)  # warm: caches, token last_used_at
            recorder.page = f"{label} ({who})"
            before = len(recorder.statements)
            started = time.perf_counter()
            answer = clients[who].get(url, headers=headers)
            spent = (time.perf_counter() - started) * 1000
            recorder.page = None
            mine = recorder.statements[before:]
            sql_ms = sum(s.ms for s in mine)
            print(
                f"{label:<20}{who:<12}{answer.status_code:>6}{spent:>12.1f}{len(mine):>11}"
                f"{sql_ms:>9.1f}"
            )
            for statement in sorted(mine, key=lambda s: -s.ms)[:detail]:
                print(f"    {statement.ms:7.1f} ms  {' '.join(statement.sql.split())[:150]}")
    finally:
        sa.event.remove(engine, "before_cursor_execute", recorder.before)
        sa.event.remove(engine, "after_cursor_execute", recorder.after)
    return recorder


def heaviest(recorder: Recorder, top: int) -> list[Statement]:
    """The `top` slowest distinct statements (by SQL text)."""
    slowest: dict[str, Statement] = {}
    for statement in recorder.statements:
        known = slowest.get(statement.sql)
        if known is None or statement.ms > known.ms:
            slowest[statement.sql] = statement
    return sorted(slowest.values(), key=lambda s: -s.ms)[:top]


def explain(app, statements: list[Statement], out) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) each statement with its own parameters."""
    from aoapp.extensions import db

    with app.app_context():
        for n, statement in enumerate(statements, start=1):
            plan = db.session.connection().exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params
            )
            print(f"\n### {n}. {statement.page}: {statement.ms:.1f} ms", file=out)
            print(f"\n```sql\n{statement.sql}\n```\nparameters: {statement.params}\n", file=out)
            print("```\n" + "\n".join(row[0] for row in plan) + "\n```", file=out)
            db.session.rollback()


def main(argv=None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.load.explain", description=__doc__)
    parser.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL)")
    parser.add_argument("--officer", help="username of the officer (default: median agenda)")
    parser.add_argument("--top", type=int, default=3, help="statements to EXPLAIN")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--plans", help="also write the plans to this file (Markdown)")
    parser.add_argument("--detail", type=int, default=0, help="slowest statements per page")
    args = parser.parse_args(argv)

    from aoapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.database)})
    logging.getLogger("aoapp").setLevel("WARNING")  # no access log lines between the rows
    officer, supervisor, customer_id = _cast(app, args.officer)
    print(f"officer {officer}, supervisor {supervisor}, customer {customer_id}\n")
    recorder = capture(app, officer, supervisor, customer_id, args.password, args.detail)
    statements = heaviest(recorder, args.top)
    explain(app, statements, sys.stdout)
    if args.plans:
        with open(args.plans, "w") as out:
            explain(app, statements, out)
    _drop_tokens(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
