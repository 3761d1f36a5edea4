"""Customer reports made in the background for the reports page: one RQ job per customer.

A request above the page's inline limit becomes a `ReportBatch` (who asked, the period, the
scope, how many) and jobs on the reports queue (`queue.enqueue_batch`), as `flask reports
generate --queue` does. Each job makes its customer's report (`generate_customer_report_job`)
and then counts itself on the batch in one UPDATE, so the page reads the progress from one
row. A batch is its owner's only: anyone else's answers 404.

Each job also renews the batch's heartbeat as it starts and as it counts itself. An unfinished
batch without one for REPORTS_BATCH_STALE_MINUTES, and with no job waiting for a live worker, has
lost its workers (killed, or Redis emptied): it is closed as stopped when batches are read, the
page says so, and the same reports can be asked for again.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _
from redis.exceptions import RedisError

from aoapp.audit import services as audit
from aoapp.common.dates import utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.errors import InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.reports import queue
from aoapp.reports.customer.generation import Plan, generate_customer_report_job
from aoapp.reports.models import ReportBatch

RECENT = timedelta(days=1)  # finished batches stay on the page this long

_worker_app = None


def _unavailable(limit: int) -> InvalidInput:
    message = _(
        "Background generation is not available just now. Choose one officer (up to %(limit)s "
        "customer reports are made at once) or try again later.",
        limit=limit,
    )
    return InvalidInput(message, {"scope": [message]})


def _same(column, value) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _open_batch(actor, plan: Plan, scope: str, officer_id, branch_id) -> ReportBatch | None:
    """The user's unfinished batch asking for the same reports, if any (not asked twice)."""
    expire_stopped(actor.id)
    stmt = sa.select(ReportBatch).where(
        ReportBatch.user_id == actor.id,
        ReportBatch.period == plan.period.code,
        ReportBatch.scope == scope,
        _same(ReportBatch.officer_id, officer_id),
        _same(ReportBatch.branch_id, branch_id),
        ReportBatch.lang == plan.lang,
        ReportBatch.finished_at.is_(None),
    )
    return db.session.scalars(stmt.order_by(ReportBatch.id.desc())).first()


def queue_batch(
    actor, plan: Plan, scope: str, officer_id, branch_id, force: bool, limit: int
) -> tuple[ReportBatch, bool]:
    """(batch, new): the plan's customer reports as background jobs, recorded and audited.

    The same request while its batch still runs gives that batch back (new is False). A queue
    that cannot be reached refuses the request with a plain message; nothing is recorded."""
    existing = _open_batch(actor, plan, scope, officer_id, branch_id)
    if existing is not None:
        return existing, False
    try:
        queue.redis_connection().ping()
    except RedisError:
        raise _unavailable(limit) from None
    with unit_of_work():
        batch = ReportBatch(
            user_id=actor.id,
            period=plan.period.code,
            scope=scope,
            officer_id=officer_id,
            branch_id=branch_id,
            lang=plan.lang,
            force=force,
            total=len(plan.todo),
        )
        db.session.add(batch)
        audit.record(actor, batch, "create", None, _audited(batch))
    try:  # after the commit: a fast worker finds the batch it counts on
        queue.enqueue_batch(batch.id, plan.period, plan.todo, force, plan.lang)
    except RedisError:
        with unit_of_work():
            db.session.execute(sa.delete(ReportBatch).where(ReportBatch.id == batch.id))
            audit.record(actor, batch, "delete", _audited(batch), None)
        raise _unavailable(limit) from None
    return batch, True


def _audited(batch: ReportBatch) -> dict:
    return {
        "period": batch.period,
        "scope": batch.scope,
        "officer_id": batch.officer_id,
        "branch_id": batch.branch_id,
        "lang": batch.lang,
        "force": batch.force,
        "total": batch.total,
    }


def get_batch(actor, batch_id: int) -> ReportBatch:
    """The user's own batch, or NotFound (another user's too, an admin's included)."""
    expire_stopped(actor.id)
    stmt = sa.select(ReportBatch).where(ReportBatch.id == batch_id, ReportBatch.user_id == actor.id)
    batch = db.session.scalar(stmt.execution_options(populate_existing=True))
    if batch is None:
        raise NotFound()
    return batch


def recent_batches(actor, limit: int = 5) -> list[ReportBatch]:
    """The user's batches still running or finished in the last day, newest first."""
    expire_stopped(actor.id)
    stmt = (
        sa.select(ReportBatch)
        .where(
            ReportBatch.user_id == actor.id,
            sa.or_(ReportBatch.finished_at.is_(None), ReportBatch.finished_at >= utcnow() - RECENT),
        )
        .order_by(ReportBatch.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def count_job(batch_id: int, made: bool) -> None:
    """One job of the batch has run: count it (made or failed) and close the batch after the
    last one, in single UPDATEs (jobs run side by side on several workers)."""
    column = ReportBatch.done if made else ReportBatch.failed
    with unit_of_work():
        db.session.execute(
            sa.update(ReportBatch)
            .where(ReportBatch.id == batch_id)
            .values({column: column + 1, ReportBatch.heartbeat_at: utcnow()})
        )
        db.session.execute(
            sa.update(ReportBatch)
            .where(
                ReportBatch.id == batch_id,
                ReportBatch.finished_at.is_(None),
                ReportBatch.done + ReportBatch.failed >= ReportBatch.total,
            )
            .values(finished_at=utcnow())
        )


def run_batch_job(
    batch_id: int, customer_id: int, period_code: str, force: bool = False, lang: str | None = None
):
    """The job of one customer of a batch (run by `rq worker`): make the report, then count it.

    Runs in the current app context, or makes the app once per process when there is none."""
    if has_app_context():
        return _run(batch_id, customer_id, period_code, force, lang)
    global _worker_app
    if _worker_app is None:
        # The factory imports every feature (this one too): a worker builds its app when it starts.
        from aoapp import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return _run(batch_id, customer_id, period_code, force, lang)


def beat(batch_id: int) -> None:
    """A job of the batch is alive: renew its heartbeat."""
    with unit_of_work():
        db.session.execute(
            sa.update(ReportBatch).where(ReportBatch.id == batch_id).values(heartbeat_at=utcnow())
        )


def expire_stopped(user_id: int) -> int:
    """Close as stopped the user's unfinished batches whose jobs gave no sign of life for
    REPORTS_BATCH_STALE_MINUTES and have none waiting for a live worker; returns how many."""
    since = utcnow() - timedelta(minutes=current_app.config["REPORTS_BATCH_STALE_MINUTES"])
    last_sign = sa.func.coalesce(ReportBatch.heartbeat_at, ReportBatch.created_at)
    stale = sa.and_(
        ReportBatch.user_id == user_id, ReportBatch.finished_at.is_(None), last_sign < since
    )
    ids = set(db.session.scalars(sa.select(ReportBatch.id).where(stale)))
    if not ids:
        return 0
    ids -= queue.waiting_batches(since)
    if not ids:
        return 0
    with unit_of_work():
        closed = db.session.execute(
            sa.update(ReportBatch)
            .where(ReportBatch.id.in_(ids), stale)  # again: a job may have beaten meanwhile
            .values(finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return closed.rowcount


def _run(batch_id, customer_id, period_code, force, lang):
    beat(batch_id)
    try:
        report_id = generate_customer_report_job(customer_id, period_code, force, lang)
    except Exception:  # its own unit of work has rolled back
        count_job(batch_id, made=False)
        raise  # RQ keeps the failed job a week, to read or requeue
    count_job(batch_id, made=True)
    return report_id
