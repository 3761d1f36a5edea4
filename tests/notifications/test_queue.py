"""The digest through the job queue (RQ on the local Redis): `send-digest --queue` enqueues one
job per user due, a worker sends them, and enqueuing or running again mails nothing twice."""

import uuid
from datetime import datetime, time

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from rq import Queue, SimpleWorker

from aoapp.extensions import db
from tests.clock import JAKARTA
from tests.support import digest as d
from tests.support.followups import user
from tests.support.queues import REDIS_URL

pytestmark = pytest.mark.today(datetime.combine(d.DAY, time(7, 5), tzinfo=JAKARTA))


@pytest.fixture
def digest_queue(app):
    """A queue of its own on the local Redis (skipped, with the reason, where none runs)."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip(f"no Redis at {REDIS_URL}")
    name = f"test-digests-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=REDIS_URL, NOTIFICATIONS_QUEUE=name)
    queue = Queue(name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)


def test_enqueued_jobs_send_each_digest_once(app, runner, world, smtp_server, digest_queue):
    d.officer_book(world.officer)
    row = user(world.officer)
    row.email = "budi@bank.example"
    db.session.commit()
    enqueued = runner.invoke(args=["notifications", "send-digest", "--queue"])
    assert enqueued.exit_code == 0, enqueued.output
    assert "Enqueued 5 digest job(s)." in enqueued.output  # officers and supervisors
    again = runner.invoke(args=["notifications", "send-digest", "--queue"])
    assert "Enqueued 0 digest job(s)." in again.output  # still waiting: not twice
    assert d.sends() == []  # nothing sent by the enqueuing machine

    SimpleWorker([digest_queue], connection=digest_queue.connection).work(burst=True)
    assert digest_queue.failed_job_registry.count == 0
    assert len(smtp_server.to("budi@bank.example")) == 1
    assert {s.status for s in d.sends()} == {"sent", "in_app", "skipped_empty"}

    # The next cron run finds every digest of the day done: nothing to enqueue.
    assert "Enqueued 0" in runner.invoke(args=["notifications", "send-digest", "--queue"]).output
