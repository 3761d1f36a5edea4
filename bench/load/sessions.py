"""The load run's clients: seeded officers with an API token and a logged-in session each, and
the per-page summary of the app's JSON access log."""

import http.cookiejar
import json
import re
import statistics
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN_NAME = "bench-load"


def prepare(url: str, count: int, supervisors: int = 0) -> tuple[list[dict], object]:
    """`count` officers spread over the bank, each with its customer ids and a fresh API token
    (created by the auth service; the previous run's bench tokens are deleted), then
    `supervisors` branch supervisors spread likewise (role "supervisor", no customers), and the
    bank's today."""
    from aoapp import create_app
    from aoapp.auth.models import ApiToken, Role, User
    from aoapp.auth.tokens import create_token
    from aoapp.common.dates import bank_today
    from aoapp.customers.models import Customer
    from aoapp.extensions import db

    def sample(role, wanted: int) -> list:
        users = db.session.scalars(
            sa.select(User).where(User.role == role, User.active).order_by(User.id)
        ).all()
        return users[:: max(1, len(users) // wanted)][:wanted] if wanted else []

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(sa.delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
        db.session.commit()
        chosen = [(user, "officer") for user in sample(Role.OFFICER, count)]
        if not chosen:
            raise SystemExit("No officers: seed the database first (python -m bench.load.seed).")
        chosen += [(user, "supervisor") for user in sample(Role.SUPERVISOR, supervisors)]
        clients = []
        for user, role in chosen:
            customers = db.session.scalars(
                sa.select(Customer.id).where(Customer.officer_id == user.id).order_by(Customer.id)
            ).all()
            _record, plain = create_token(user, TOKEN_NAME)
            clients.append(
                {
                    "id": user.id,
                    "username": user.username,
                    "role": role,
                    "customers": customers,
                    "token": plain,
                }
            )
        return clients, bank_today()


def drop_tokens(url: str) -> None:
    """Delete the run's API tokens (their plain values sit in bench/out/load/mix_data.lua)."""
    from aoapp import create_app
    from aoapp.auth.models import ApiToken
    from aoapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(sa.delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
        db.session.commit()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, username: str, password: str, home: str = "/agenda/") -> str:
    """Log in as a browser does (GET the form, POST it with its CSRF token); the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/login") as page:
        token = CSRF_RE.search(page.read().decode()).group(1)
    form = {"username": username, "password": password, "csrf_token": token}
    try:
        opener.open(base + "/login", urllib.parse.urlencode(form).encode())
        raise SystemExit(f"login of {username} did not redirect: wrong password?")
    except urllib.error.HTTPError as answer:
        if answer.code != 302 or "/login" in answer.headers.get("Location", ""):
            raise SystemExit(f"login of {username} refused ({answer.code})") from None
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = urllib.request.Request(base + home, headers={"Cookie": cookie})  # noqa: S310
    try:
        with opener.open(check) as page:
            assert page.status == 200
    except urllib.error.HTTPError as answer:
        raise SystemExit(f"{username}'s session does not open {home} ({answer.code})") from None
    return cookie


def login_all(base: str, officers: list[dict], password: str) -> None:
    """Add the `cookie` of a logged-in session to each officer (and supervisor)."""
    for officer in officers:
        home = "/agenda/team" if officer.get("role") == "supervisor" else "/agenda/"
        officer["cookie"] = login(base, officer["username"], password, home)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def access_summary(log_path: Path) -> None:
    """Requests, p50/p95/p99 and total of the app's own `duration_ms`, by endpoint."""
    durations: dict[str, list[float]] = defaultdict(list)
    for line in log_path.read_text().splitlines():
        if '"event": "request"' not in line:
            continue
        entry = json.loads(line)
        if entry.get("duration_ms") is not None:
            durations[entry.get("endpoint") or entry["path"]].append(entry["duration_ms"])
    if not durations:
        print("no access log lines (run with --access-log)")
        return
    print("\nserver time by endpoint (app's duration_ms, all runs):")
    print(f"  {'endpoint':<32}{'requests':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}{'share':>7}")
    grand = sum(sum(v) for v in durations.values())
    for endpoint, values in sorted(durations.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"  {endpoint:<32}{len(values):>9,}{statistics.median(values):>8.1f}"
            f"{_percentile(values, 95):>8.1f}{_percentile(values, 99):>8.1f}"
            f"{statistics.fmean(values):>8.1f}{100 * sum(values) / grand:>6.0f}%"
        )
