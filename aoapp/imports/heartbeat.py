"""A running import's sign of life, and the imports that lost theirs.

While an import works, a thread of its process renews the record's `heartbeat_at` (and the time
of its staged upload, so the sweep keeps the file). A record still running with no heartbeat for
IMPORT_STALE_MINUTES lost its process (killed, out of memory, machine restarted): it is recorded
as failed when imports are read or swept. Its load was one transaction, so it changed nothing.

Marking a record never lets two loads of one as-of date run together: that is the lock of
`services._one_import_per_date`, held by the load's own transaction, which a live load keeps.
On SQLite a load holds the database's write lock, so neither its heartbeat nor the marking can
be written meanwhile; the marking waits for the next reading.
"""

import logging
import os
import threading
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from aoapp.common.dates import utcnow
from aoapp.common.system_text import params_of
from aoapp.common.transaction import unit_of_work
from aoapp.extensions import db
from aoapp.imports import texts
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.uploads import upload_dir

log = logging.getLogger(__name__)
BEATS_PER_PERIOD = 5  # heartbeats within IMPORT_STALE_MINUTES: a few may be missed
MAX_BEAT_SECONDS = 60.0


def stale_minutes() -> int:
    """Minutes without a heartbeat after which a running import is taken as stopped."""
    return current_app.config["IMPORT_STALE_MINUTES"]


def beat_seconds() -> float:
    """Seconds between two heartbeats."""
    return max(1.0, min(MAX_BEAT_SECONDS, stale_minutes() * 60 / BEATS_PER_PERIOD))


@contextmanager
def beating(record_id: int, path: Path | None = None):
    """Renew the record's heartbeat (and `path`'s time when it is a staged upload) while the
    block runs."""
    staged = path if path is not None and _is_staged(path) else None
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat_until,
        args=(db.engine, record_id, staged, stop, beat_seconds()),
        name=f"import-{record_id}-heartbeat",
        daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _is_staged(path: Path) -> bool:
    return Path(path).resolve().parent == upload_dir().resolve()


def _beat_until(engine, record_id, path, stop: threading.Event, seconds: float) -> None:
    while not stop.wait(seconds):
        beat(engine, record_id, path)


def beat(engine: sa.Engine, record_id: int, path: Path | None = None) -> None:
    """One heartbeat: the staged file's time, then the record's (never fails the import)."""
    if path is not None:
        with suppress(OSError):  # gone: the import is ending
            os.utime(path)
    try:
        with engine.begin() as connection:
            connection.execute(_renewal(record_id))
    except sa.exc.DBAPIError as error:  # SQLite while the load holds its lock: the next one
        log.debug("heartbeat of import %s not written: %s", record_id, error)


def _renewal(record_id: int) -> sa.Update:
    table = PositionImport.__table__
    return (
        sa.update(table)
        .where(table.c.id == record_id, table.c.status == ImportStatus.RUNNING)
        .values(heartbeat_at=utcnow())
    )


def expire_stopped() -> int:
    """Record as failed the running imports without a heartbeat for IMPORT_STALE_MINUTES;
    returns how many (0 when the database is busy with a load: they wait for the next time)."""
    minutes = stale_minutes()
    last_sign = sa.func.coalesce(PositionImport.heartbeat_at, PositionImport.started_at)
    stale = sa.and_(
        PositionImport.status == ImportStatus.RUNNING,
        last_sign < utcnow() - timedelta(minutes=minutes),
    )
    if db.session.scalar(sa.select(PositionImport.id).where(stale).limit(1)) is None:
        return 0  # the usual case, and no write (none waits on a load's lock)
    failed = (
        sa.update(PositionImport)
        .where(stale)  # again: one that has just finished keeps its outcome
        .values(
            status=ImportStatus.FAILED,
            stage="interrupted",
            finished_at=utcnow(),
            message=None,
            message_code=texts.STOPPED,
            message_params=params_of(minutes=minutes),
        )
        .execution_options(synchronize_session=False)
    )
    try:
        with unit_of_work():
            count = db.session.execute(failed).rowcount
    except sa.exc.OperationalError:  # SQLite: a load holds the lock (and so is alive, maybe)
        log.info("stopped imports not marked yet: the database is busy")
        return 0
    return count
