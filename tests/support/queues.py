"""The report queue on the local Redis for tests (skipped, with the reason, where none runs)."""

import os
import uuid

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from rq import Queue

# A Redis database per xdist worker: job ids are keys of the database, not of the queue.
_WORKER_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _WORKER_INDEX % 8}")


@pytest.fixture
def redis_queue(app):
    """A queue of its own on the local Redis (skipped, with the reason, where none runs)."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip(f"no Redis at {REDIS_URL}")
    name = f"test-reports-{uuid.uuid4().hex[:8]}"
    saved = app.config["REDIS_URL"], app.config["REPORTS_QUEUE"]
    app.config["REDIS_URL"], app.config["REPORTS_QUEUE"] = REDIS_URL, name
    queue = Queue(name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)
    app.config["REDIS_URL"], app.config["REPORTS_QUEUE"] = saved
