"""The digest through the job queue (RQ on REDIS_URL): one job per user due, run by
`rq worker notifications --url $REDIS_URL` with the app's environment.

`flask notifications send-digest --queue` enqueues the jobs of the users whose digest time has
come; each job is `send_digest_job`, which sends that user's digest unless a run has (or had)
it, so a job run twice, or enqueued by two cron runs, mails once (aoapp/notifications/sending.py).
"""

from datetime import date

from flask import current_app, has_app_context
from rq import Queue
from rq.job import Job

from aoapp.auth.models import User
from aoapp.common.dates import utcnow
from aoapp.extensions import db
from aoapp.notifications.sending import SKIPPED, due_users, send_digest
from aoapp.reports.queue import redis_connection  # the one Redis of REDIS_URL

JOB = "aoapp.notifications.jobs.send_digest_job"
JOB_TIMEOUT = 300  # seconds for one user's digest: building it and one SMTP conversation
FAILURE_TTL = 7 * 24 * 3600
PENDING = {"queued", "started", "deferred", "scheduled"}

_job_app = None


def digest_queue() -> Queue:
    """The queue digest jobs go to (NOTIFICATIONS_QUEUE, default `notifications`)."""
    return Queue(current_app.config["NOTIFICATIONS_QUEUE"], connection=redis_connection())


def job_id(user_id: int, day: date) -> str:
    """One id per user and day: enqueuing again while one waits adds nothing."""
    return f"digest-{day.isoformat()}-user-{user_id}"


def enqueue_due_digests(day: date, now=None) -> int:
    """Enqueue a job for each user whose digest of `day` is due; how many were enqueued."""
    users = due_users(day, now or utcnow())
    queue = digest_queue()
    ids = [job_id(user.id, day) for user in users]
    waiting = {
        job.id
        for job in Job.fetch_many(ids, connection=queue.connection)
        if job is not None and job.get_status() in PENDING
    }
    jobs = [
        Queue.prepare_data(
            JOB,
            args=(user.id, day.isoformat()),
            job_id=job_id(user.id, day),
            timeout=JOB_TIMEOUT,
            failure_ttl=FAILURE_TTL,
            description=f"daily digest {day} of {user.username}",
        )
        for user in users
        if job_id(user.id, day) not in waiting
    ]
    return len(queue.enqueue_many(jobs)) if jobs else 0


def send_digest_job(user_id: int, day: str) -> str:
    """One user's digest of `day` (ISO) as a queue job: its outcome (SendStatus or not_ours).

    Runs in the current app context, or makes the app once per worker process."""
    if has_app_context():
        return _job(user_id, date.fromisoformat(day))
    global _job_app
    if _job_app is None:
        from aoapp import create_app  # the factory imports every feature, this one too

        _job_app = create_app()
    with _job_app.app_context():
        return _job(user_id, date.fromisoformat(day))


def _job(user_id: int, day: date) -> str:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return SKIPPED
    return str(send_digest(user, day))
