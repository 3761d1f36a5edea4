"""Worker processes that end with their parent: killed with `kill -9`, a parent cannot stop its
workers itself, and they would go on writing for a run that no one waits for."""

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5


def die_with_parent(parent_pid: int) -> None:
    """End this process when `parent_pid` (the process that started it) ends.

    Linux: the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG). Elsewhere a
    thread looks at the parent twice a second. Either way, a parent already gone before this
    call (then this process was adopted, and its parent id changed) ends it at once.
    """
    if not _kernel_signal():
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:
        os._exit(1)


def _kernel_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
