"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`; each value can be overridden by env.

Workers are stateless (sessions are signed cookies; nothing is kept in process memory), so any
number of instances can run behind the reverse proxy. On SIGTERM gunicorn stops accepting
connections and gives running requests `graceful_timeout` seconds to finish before it exits.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2))
# 4 threads: a worker runs one thread at a time (the GIL), and with more, a request waking from
# each database answer waits for the others' computing (bench/load/README.md: p95 ~190 ms with
# 4 against 240-320 ms with 8 on the same load).
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))  # listing uploads are large
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# A worker is replaced after this many requests, a guard against a slow leak. The 12-minute soak
# (bench/load/README.md) found the workers' memory flat at ~167 MB over 34,000 requests, while
# every replacement cost a latency bump (a cold worker, and the old one's kept-alive clients
# moved to the other worker), so the guard is far off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = 5000
accesslog = None  # the app writes one JSON line per request itself (aoapp/observability.py)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Tell the app how many workers serve it (aoapp/ratelimits.py refuses per-worker limits)."""
    os.environ["AOAPP_WEB_WORKERS"] = str(server.cfg.workers)


def post_worker_init(worker):
    """Freeze what the worker holds once the app is loaded (gc.freeze): the ~300,000 objects of
    the app, SQLAlchemy and the catalogues are then left out of every garbage collection. A full
    collection scanned them all, ~100 ms with every thread of the worker stopped, about once per
    30 dashboards; the worker's requests allocate as before."""
    gc.collect()
    gc.freeze()
