"""gunicorn.conf.py: each worker, once the app is loaded, freezes the objects it holds out of
Python's garbage collections (a full collection scanned the app's ~300,000 objects)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_holds_once_the_app_is_loaded():
    settings = runpy.run_path(str(CONF))
    assert gc.get_freeze_count() == 0
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 1000  # the test process's modules, like a worker's app
    finally:
        gc.unfreeze()
