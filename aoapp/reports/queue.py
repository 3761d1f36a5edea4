"""Report batches across machines: one RQ job per customer on Redis, run by `rq worker`.

`flask reports generate --queue` enqueues; any number of machines run
`rq worker reports --url $REDIS_URL --worker-class rq.worker.SimpleWorker` with the app's
environment (DATABASE_URL, EXPORTS_DIR on shared storage). Each job is
`customer.generation.generate_customer_report_job`, which skips a report already generated
(unless forced), so a job run twice, or a batch enqueued twice, writes each file once.
"""

import re
from datetime import datetime

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.job import Job, JobStatus

from aoapp.kpis.periods import Period

JOB = "aoapp.reports.customer.generation.generate_customer_report_job"
BATCH_JOB = "aoapp.reports.batches.run_batch_job"  # a job of the reports page's batch
JOB_TIMEOUT = 600  # seconds for one customer's workbook; a stuck job is failed, not eternal
FAILURE_TTL = 7 * 24 * 3600  # failed jobs stay a week for `rq info` / requeue
PENDING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
BATCH_JOB_ID = re.compile(r"^report-batch-(\d+)-customer-\d+$")


def redis_connection() -> Redis:
    """The Redis server of REDIS_URL."""
    return Redis.from_url(current_app.config["REDIS_URL"])


def report_queue(connection: Redis | None = None) -> Queue:
    """The queue report jobs go to (REPORTS_QUEUE, default `reports`)."""
    return Queue(current_app.config["REPORTS_QUEUE"], connection=connection or redis_connection())


def job_id(period: Period, customer_id: int) -> str:
    """One id per customer and period: enqueuing the same batch again replaces, not duplicates."""
    return f"report-{period.code}-customer-{customer_id}"


def _waiting(queue: Queue, ids: list[str]) -> set[str]:
    """The job ids among `ids` that are already queued or running (not to be enqueued again)."""
    jobs = Job.fetch_many(ids, connection=queue.connection)
    return {job.id for job in jobs if job is not None and job.get_status() in PENDING}


def enqueue_customer_reports(
    period: Period, customer_ids, force: bool = False, lang: str | None = None
) -> int:
    """Enqueue one job per customer (in pipelined chunks); returns how many were enqueued.

    Each job carries the language of its workbook (`lang`; None: the bank's, when it runs).

    A customer whose job is still waiting or running is not enqueued a second time.
    """
    queue = report_queue()
    count = 0
    ids = list(customer_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        waiting = _waiting(queue, [job_id(period, customer_id) for customer_id in chunk])
        chunk = [c for c in chunk if job_id(period, c) not in waiting]
        if not chunk:
            continue
        jobs = [
            Queue.prepare_data(
                JOB,
                args=(customer_id, period.code, force, lang),
                job_id=job_id(period, customer_id),
                timeout=JOB_TIMEOUT,
                failure_ttl=FAILURE_TTL,
                description=f"customer report {period.code} #{customer_id}",
            )
            for customer_id in chunk
        ]
        count += len(queue.enqueue_many(jobs))
    return count


def enqueue_batch(
    batch_id: int, period: Period, customer_ids, force: bool, lang: str | None
) -> int:
    """Enqueue the jobs of a batch of the reports page (`batches.run_batch_job`): one per
    customer, each counting itself on the batch; returns how many were enqueued."""
    queue = report_queue()
    ids = list(customer_ids)
    count = 0
    for start in range(0, len(ids), 1000):
        jobs = [
            Queue.prepare_data(
                BATCH_JOB,
                args=(batch_id, customer_id, period.code, force, lang),
                job_id=batch_job_id(batch_id, customer_id),
                timeout=JOB_TIMEOUT,
                failure_ttl=FAILURE_TTL,
                description=f"customer report {period.code} #{customer_id} (batch {batch_id})",
            )
            for customer_id in ids[start : start + 1000]
        ]
        count += len(queue.enqueue_many(jobs))
    return count


def batch_job_id(batch_id: int, customer_id: int) -> str:
    """The id of a batch's job for one customer."""
    return f"report-batch-{batch_id}-customer-{customer_id}"


def waiting_batches(since: datetime) -> set[int]:
    """The batches with jobs still queued for a worker alive since `since` (one that renewed its
    heartbeat since): they wait their turn. None when no worker is alive or Redis is away."""
    try:
        queue = report_queue()
        workers = Worker.all(queue=queue)
        if not any(w.last_heartbeat and w.last_heartbeat >= since for w in workers):
            return set()
        matches = (BATCH_JOB_ID.match(job_id) for job_id in queue.get_job_ids())
    except RedisError:
        return set()
    return {int(match.group(1)) for match in matches if match}
