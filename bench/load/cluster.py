"""The deployment shape that scales out, on one machine: N gunicorn instances behind nginx, and RQ
workers, as docs/operations.md#scaling-past-one-machine describes.

Every instance gets the same environment (one SECRET_KEY: the session cookie a login got from
one instance is good on every other; one EXPORTS_DIR), its own port (consecutive from the first
bind), and nginx spreads the connections over them (round robin, kept-alive upstream
connections). The RQ workers listen on queues named for this run, so they never take another
run's (or another checkout's) jobs from a shared Redis.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.load import ROOT

NGINX_CONF = """\
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream aoapp {{
{servers}
        keepalive 64;
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://aoapp;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def instance_binds(first: str, count: int) -> list[str]:
    """`count` host:port binds on consecutive ports from `first` (127.0.0.1:8077, :8078, …)."""
    host, _, port = first.rpartition(":")
    return [f"{host}:{int(port) + i}" for i in range(count)]


def start_proxy(listen: str, binds: list[str], out_dir: Path):
    """nginx on `listen` in front of `binds` (its files under `out_dir`); the process."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx not found: apt-get install nginx-light (or run with --no-proxy)")
    prefix = out_dir / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server {bind};" for bind in binds)
    user = "user root;" if os.geteuid() == 0 else ""  # the workers write the temp folders here
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, servers=servers, listen=listen, user=user))
    return subprocess.Popen(  # noqa: S603 (the system's nginx, our own configuration)
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(prefix / "stderr.log").open("w"),
    )


def start_rq_workers(count: int, env: dict, queues: list[str], log_path: Path) -> list:
    """`count` RQ workers (SimpleWorker: the app is built once per worker) on `queues`."""
    rq = Path(sys.executable).with_name("rq")
    log = log_path.open("w")
    command = [str(rq), "worker", *queues, "--url", env["REDIS_URL"]]
    command += ["--worker-class", "rq.worker.SimpleWorker", "--quiet"]
    return [
        subprocess.Popen(  # noqa: S603 (our own venv's rq, fixed arguments)
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        for _ in range(count)
    ]


def stop(processes: list) -> None:
    """SIGTERM to each process we started (gunicorn, rq: a graceful stop), then wait."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def enqueue_reports(env: dict, count: int) -> int:
    """Enqueue `count` customer-report jobs of the latest month (forced) on the run's queue:
    month-end work for the RQ workers while the officers work. How many were enqueued."""
    script = (
        "import sqlalchemy as sa\n"
        "from aoapp import create_app\n"
        "from aoapp.credit.models import Position\n"
        "from aoapp.customers.models import Customer\n"
        "from aoapp.extensions import db\n"
        "from aoapp.kpis.periods import parse_period\n"
        "from aoapp.reports.queue import enqueue_customer_reports\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    day = db.session.scalar(sa.select(sa.func.max(Position.as_of)))\n"
        f"    ids = db.session.scalars(sa.select(Customer.id).order_by(Customer.id).limit({count}))\n"
        "    print(enqueue_customer_reports(parse_period(f'{day:%Y-%m}'), list(ids), True))\n"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter, our own script)
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"enqueuing the report jobs failed:\n{done.stderr}")
    return int(done.stdout.strip().splitlines()[-1])


class WorkerMemory:
    """Samples the resident memory of gunicorn's workers (the master's children) every few
    seconds, from /proc (Linux), while a soak runs."""

    def __init__(self, master_pids: list[int], every: float = 5.0):
        self.master_pids = {str(pid) for pid in master_pids}
        self.every = every
        self.samples: list[tuple[float, dict[int, int]]] = []  # (time, {pid: RSS in kB})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def workers(self) -> dict[int, int]:
        """{worker pid: RSS kB} now."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue  # gone meanwhile
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            zombie = fields.get("State", "").strip().startswith("Z")  # exited, not yet reaped
            if fields.get("PPid", "").strip() in self.master_pids and not zombie:
                found[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
        return found

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), self.workers()))
            self._stop.wait(self.every)

    def start(self) -> "WorkerMemory":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        """Workers seen, the latest sample's total RSS and the largest one worker reached."""
        seen = {pid for _, sample in self.samples for pid in sample}
        latest = self.samples[-1][1] if self.samples else {}
        largest = max((rss for _, sample in self.samples for rss in sample.values()), default=0)
        return {
            "workers_seen": len(seen),
            "rss_mb_now": round(sum(latest.values()) / 1024, 1),
            "rss_mb_per_worker_now": sorted(round(v / 1024, 1) for v in latest.values()),
            "rss_mb_largest_worker": round(largest / 1024, 1),
        }


def drop_queues(env: dict) -> None:
    """Delete the run's queues and their jobs from Redis (nothing of a run outlives it)."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(env["REDIS_URL"])
    for name in (env["REPORTS_QUEUE"], env["NOTIFICATIONS_QUEUE"]):
        Queue(name, connection=connection).delete(delete_jobs=True)
