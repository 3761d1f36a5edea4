"""Reads that may go to a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

The dashboards and report generation compute their figures inside `reading_from_replica()`:
the session's reads then go to the replica engine (Flask-SQLAlchemy's bind `replica`), while
flushes and INSERT/UPDATE/DELETE stay on the primary (`database.RoutingSession`). The block's
read transaction ends with it; what they write (the report's row, the audit) is written after
it, on the primary, in a transaction of the primary alone.

Never a half-seen write: a block opened while the session's transaction has written, or holds
changes not yet flushed, reads on the primary, where those rows are (a replica shows only what
the primary committed). A replica lags behind its primary by what it has not replayed yet:
figures of a closed month are the same on both; the live month may be a few seconds behind.

A replica that does not answer when a block opens is skipped with a warning, and left alone for
RETRY_SECONDS (every block in that time reads on the primary, without waiting on a connect).
Unset, the block does nothing. SQLite has no replicas: the setting is refused there at start.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app

from aoapp.common.read_memo import remembering
from aoapp.common.transaction import end_reads
from aoapp.database import READ_REPLICA, WROTE
from aoapp.extensions import db

log = logging.getLogger(__name__)

BIND = "replica"  # the Flask-SQLAlchemy bind key of the replica engine
RETRY_SECONDS = 30  # after a failed connect, reads stay on the primary this long
CONNECT_TIMEOUT = 3  # seconds, unless the URL says otherwise (connect_timeout=…)
_STATE = "aoapp-replica"


class _Health:
    """When the replica last failed to connect, shared by the threads of one app."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.lock = threading.Lock()


def configure(app: Flask) -> None:
    """Add the replica bind (before `db.init_app`) when DATABASE_REPLICA_URL is set; refuse it
    unless the primary and the replica are both PostgreSQL."""
    url = (app.config.get("DATABASE_REPLICA_URL") or "").strip()
    if not url:
        return
    primary = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    replica = sa.engine.make_url(url)
    if primary.get_backend_name() != "postgresql" or replica.get_backend_name() != "postgresql":
        raise RuntimeError(
            "DATABASE_REPLICA_URL needs PostgreSQL for DATABASE_URL and for the replica "
            f"(a streaming replica of the primary); got {primary.get_backend_name()} and "
            f"{replica.get_backend_name()}. Unset it to read everything from DATABASE_URL."
        )
    options = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "url": url}
    if "connect_timeout" not in replica.query:
        options["connect_args"] = {
            "connect_timeout": CONNECT_TIMEOUT,
            **options.get("connect_args", {}),
        }
    app.config["SQLALCHEMY_BINDS"] = {**(app.config.get("SQLALCHEMY_BINDS") or {}), BIND: options}
    app.extensions[_STATE] = _Health()


def replica_engine() -> sa.Engine | None:
    """The replica's engine, None without DATABASE_REPLICA_URL."""
    return db.engines.get(BIND)


def routed_engine() -> sa.Engine | None:
    """The replica engine the session's reads go to now (inside a block that routes), else None."""
    session = db.session()
    if session.info.get(WROTE):
        return None
    return session.info.get(READ_REPLICA)


def read_engine() -> sa.Engine:
    """The engine for a read on a connection of its own: the replica inside a routing block,
    else the primary."""
    return routed_engine() or db.engine


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Send the session's reads in the block to the replica when there is one, it answers, and
    the session's transaction has nothing of its own the reads could need; the block's listing
    dates are asked once (common/read_memo.py)."""
    with remembering(), _routed():
        yield


@contextmanager
def _routed() -> Iterator[None]:
    session = db.session()
    engine = replica_engine()
    if engine is None or session.info.get(READ_REPLICA) is not None:
        yield  # no replica, or already reading there
        return
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        yield  # its own uncommitted rows are on the primary only
        return
    if not _connected(session, engine):
        yield
        return
    try:
        with reading_on(engine):
            yield
    finally:
        _end_reads(session)


@contextmanager
def reading_on(engine: sa.Engine | None) -> Iterator[None]:
    """Send the session's reads to `engine` (a `routed_engine()` of the thread that started this
    work; None: the primary) for the block."""
    session = db.session()
    before = session.info.get(READ_REPLICA)
    if engine is not None:
        session.info[READ_REPLICA] = engine
    try:
        yield
    finally:
        if before is None:
            session.info.pop(READ_REPLICA, None)
        else:
            session.info[READ_REPLICA] = before


def _end_reads(session) -> None:
    """End the block's read transaction (as `transaction.end_reads` does), so the session's next
    commit concerns the primary alone: a replica gone meanwhile cannot fail a write. ORM objects
    read before are expired and load again when used. A block that wrote keeps its transaction
    for the caller to commit."""
    if not (session.info.get(WROTE) or session.new or session.dirty or session.deleted):
        end_reads()


def _connected(session, engine: sa.Engine) -> bool:
    """Join a replica connection to the session's transaction; False (and a warning) when the
    replica does not answer, then not tried again for RETRY_SECONDS."""
    health: _Health = current_app.extensions[_STATE]
    if time.monotonic() < health.down_until:
        return False
    try:
        session.connection(bind_arguments={"bind": engine})
    except sa.exc.DBAPIError as error:
        with health.lock:
            health.down_until = time.monotonic() + RETRY_SECONDS
        log.warning(
            "replica unreachable, reading from the primary for %s s: %s",
            RETRY_SECONDS,
            str(error.orig or error).strip().splitlines()[0],
        )
        return False
    return True


def replica_answers() -> bool:
    """Whether the replica answers a query now (the health check's line)."""
    try:
        with replica_engine().connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.DBAPIError:
        return False
    return True
