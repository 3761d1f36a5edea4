"""Bank-scale load benchmark: seed a PostgreSQL database, drive the app under gunicorn with wrk,
and explain the heaviest queries. See bench/load/README.md."""

import os
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "bench" / "out" / "load"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_load"
# Every seeded user logs in with this password (override with --password / BENCH_PASSWORD).
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-1")


def database_url(given: str | None = None) -> str:
    """The SQLAlchemy URL of the load database: the argument, DATABASE_URL, or the default."""
    url = (given or os.environ.get("DATABASE_URL") or DEFAULT_URL).strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    if not url.startswith("postgresql"):
        raise SystemExit(f"bench/load needs PostgreSQL, not {url.split(':', 1)[0]}")
    return url


def connect(url: str, **kwargs) -> psycopg.Connection:
    """A plain psycopg connection to the SQLAlchemy URL `url`."""
    libpq = sa.engine.make_url(url).set(drivername="postgresql")
    return psycopg.connect(libpq.render_as_string(hide_password=False), **kwargs)


def database_name(url: str) -> str:
    """The database part of a URL."""
    return sa.engine.make_url(url).database or ""


def bench_app(given: str | None = None):
    """The app (SERVER_NAME localhost) on the load database, refused unless its name says it is
    a benchmark's ("bench" or "load"): the benchmarks that call the app's services use it."""
    from aoapp import create_app

    url = database_url(given)
    if not any(word in database_name(url) for word in ("bench", "load")):
        raise SystemExit("use a database whose name contains 'bench' or 'load'")
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost"})
