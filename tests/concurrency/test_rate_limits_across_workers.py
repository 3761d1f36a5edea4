"""Rate limits hold for the whole deployment: gunicorn with two workers counts on one Redis,
and refuses in production to count in each worker's memory."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from aoapp.ratelimits import _answers
from tests.conftest import CSRF_RE

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(app, port: int, **values) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)
    env.update(values)
    return env


def _status(url: str, method: str = "GET", headers: dict | None = None) -> int:
    request = urllib.request.Request(url, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _login(base: str) -> int:
    """A wrong password posted with the login form's CSRF token, in a session of its own."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(f"{base}/login", timeout=10) as page:
        token = CSRF_RE.search(page.read().decode()).group(1)
    form = {"username": "nobody", "password": "wrong-password", "csrf_token": token}
    try:
        with opener.open(f"{base}/login", urlencode(form).encode(), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_serving(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            if _status(f"{base}/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail("gunicorn did not start serving")


def _at_once(count: int, call, *args) -> list[int]:
    """`count` calls at once, on as many connections: both workers answer some."""
    with ThreadPoolExecutor(8) as pool:
        return [future.result() for future in [pool.submit(call, *args) for _ in range(count)]]


@pytest.mark.skipif(not _answers(REDIS), reason=f"no Redis answers at {REDIS}")
def test_two_workers_share_the_limits_on_redis(app):
    port = _free_port()
    env = _environment(
        app,
        port,
        REDIS_URL=REDIS,
        RATELIMIT_KEY_PREFIX=f"aoapp-test-{uuid.uuid4().hex}",  # counts of this test only
        LOGIN_RATE_LIMIT="6 per hour",  # hour windows: a run never straddles one
        API_AUTH_FAILURE_LIMIT="8 per hour",
    )
    server = subprocess.Popen(  # noqa: S603 (fixed command, no shell)
        GUNICORN, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, server)
        logins = _at_once(20, _login, base)
        bad_token = {"Authorization": "Bearer aoapp_not-a-real-token"}
        # One after the other: a 401 is counted once answered (deduct_when), so calls at once
        # could all pass the check before any is counted.
        api = [_status(f"{base}/api/v1/users/me", "GET", bad_token) for _ in range(24)]
    finally:
        server.terminate()
        server.wait(20)
    assert logins.count(401) == 6 and logins.count(429) == 14, logins
    assert api.count(401) == 8 and api.count(429) == 16, api


def test_production_refuses_per_worker_counts_and_says_why(app):
    port = _free_port()
    env = _environment(
        app,
        port,
        AOAPP_ENV="production",
        SECRET_KEY="k" * 40,
        REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0",  # nothing answers there
    )
    server = subprocess.run(  # noqa: S603 (fixed command, no shell)
        GUNICORN, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert server.returncode != 0
    assert "memory:// count per worker: with 2 workers" in server.stderr
