"""Worker processes end with their parent: by the kernel's signal on Linux, by a watch elsewhere,
and at once when the parent was gone before they asked."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[2] / "aoapp" / "common" / "processes.py"
# The child loads the module alone (not the aoapp package, which builds the app: seconds).
LOAD = (
    "import importlib.util, sys, time\n"
    f"spec = importlib.util.spec_from_file_location('processes', {str(MODULE)!r})\n"
    "processes = importlib.util.module_from_spec(spec); spec.loader.exec_module(processes)\n"
)
WORKER = LOAD + (
    "if sys.argv[2] == 'watch': processes._kernel_signal = lambda: False\n"
    "processes.WATCH_SECONDS = 0.05\n"
    "processes.die_with_parent(int(sys.argv[1]))\n"
    "print('ready', flush=True)\n"
    "time.sleep(30)\n"
)
PARENT = (
    "import subprocess, sys, os, time\n"
    "worker = subprocess.Popen([sys.executable, '-c', sys.argv[1], str(os.getpid()), sys.argv[2]],"
    " stdout=subprocess.PIPE, text=True)\n"
    "assert worker.stdout.readline() == 'ready\\n'\n"
    "print(worker.pid, flush=True)\n"
    "time.sleep(30)\n"
)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")
@pytest.mark.parametrize("how", ["kernel", "watch"])
def test_a_worker_ends_when_its_parent_is_killed(how):
    parent = subprocess.Popen(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", PARENT, WORKER, how], stdout=subprocess.PIPE, text=True
    )
    worker = int(parent.stdout.readline())
    assert _running(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 3
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _running(worker)


def test_a_worker_whose_parent_is_already_gone_ends_at_once():
    code = LOAD + "processes.die_with_parent(-1)\nprint('still here')\n"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=10
    )
    assert (done.returncode, done.stdout) == (1, "")
