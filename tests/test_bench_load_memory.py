"""bench/load's soak sampler reads the workers' memory from /proc: the children of a master."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.load.cluster import WorkerMemory

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc")

# A stand-in for gunicorn's master: two workers holding 30 MB each; it prints their pids.
MASTER = """
import subprocess, sys, time
worker = "x = bytearray(30 << 20); x[::4096] = b'1' * len(x[::4096]); import time; time.sleep(60)"
workers = [subprocess.Popen([sys.executable, "-c", worker]) for _ in range(2)]
print(" ".join(str(w.pid) for w in workers), flush=True)
time.sleep(60)
"""


def wait_for(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_children_of_the_master_and_their_memory():
    command = [sys.executable, "-c", MASTER]
    master = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    workers = [int(pid) for pid in master.stdout.readline().split()]
    try:
        memory = WorkerMemory([master.pid], every=0.05)
        wait_for(lambda: min(memory.workers().values(), default=0) > 30 * 1024)
        assert set(memory.workers()) == set(workers)  # kB above: each holds its 30 MB
        memory.start()
        time.sleep(0.2)
        os.kill(workers[0], signal.SIGKILL)
        wait_for(lambda: len(memory.samples[-1][1]) == 1)  # a zombie is not a worker
        memory.stop()
        summary = memory.summary()
        assert summary["workers_seen"] == 2
        assert summary["rss_mb_largest_worker"] >= 30
    finally:
        master.kill()
        master.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
