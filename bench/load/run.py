"""Drive the app under gunicorn with wrk: officers' agenda, customer pages, portfolio lists and
API lists, first at an office pace (think time per request), then closed loop.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/aoapp_load \\
        .venv/bin/python -m bench.load.run                      # both runs, 60 s each
    .venv/bin/python -m bench.load.run --duration 15 --runs think --access-log
    .venv/bin/python -m bench.load.run --runs think --repeat 20     # a 20-minute soak
    .venv/bin/python -m bench.load.run --runs closed --instances 2 --rq-workers 2  # scaled out

It logs a sample of seeded officers in (POST /login with the form's CSRF token), creates an API
token for each (the auth service), starts gunicorn (gunicorn.conf.py, production settings, rate
limits off, WARNING logs), runs wrk with bench/load/mix.lua (one officer per connection), prints
throughput, p50/p95/p99 and errors, and writes them to bench/out/load/results-<time>.json.

With `--repeat N` each run is done N times back to back on the same gunicorn (a soak): every
segment prints its own figures, so a drift shows, and the workers' memory (RSS from /proc, sampled
every 5 s) is printed after each segment with the workers gunicorn recycled (`max_requests`).

With `--instances N` it starts N gunicorn instances on consecutive ports behind nginx (`--proxy`,
on by default from two instances), with `--rq-workers N` N RQ workers on the run's own queues
(`--rq-jobs N` gives them N customer reports to make meanwhile): bench/load/cluster.py.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.load import OUT_DIR, PASSWORD, ROOT, database_url
from bench.load.cluster import (
    WorkerMemory,
    drop_queues,
    enqueue_reports,
    instance_binds,
    start_proxy,
    start_rq_workers,
    stop,
)
from bench.load.sessions import access_summary, drop_tokens, login_all, prepare

MIX = Path(__file__).with_name("mix.lua")
TARGET_P95_MS = 150
RUNS = {
    # name: (think time min, max in ms, description)
    "think": (500, 1500, "officers at an office pace (think 0.5-1.5 s before each request)"),
    "closed": (0, 0, "closed loop (no think time): the most the machine serves"),
}


def _log(message: str) -> None:
    print(message, flush=True)


def app_env(url: str, level: str, stamp: str) -> dict:
    """The environment every instance and worker of a run shares (one SECRET_KEY: a session
    cookie from one instance is good on all; the run's own RQ queues and exports folder)."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "AOAPP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": level,
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback; the bank's proxy does TLS
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "REPORTS_QUEUE": f"bench-reports-{stamp}",
        "NOTIFICATIONS_QUEUE": f"bench-notifications-{stamp}",
        "EXPORTS_DIR": str(OUT_DIR / f"exports-{stamp}"),
    }


def start_gunicorn(env: dict, bind: str, workers: int, threads: int, log_path: Path, wsgi: str):
    """Start gunicorn on `bind` with the run's environment; wait for /healthz."""
    env = {
        **env,
        "GUNICORN_BIND": bind,
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    control = log_path.with_name(f"gunicorn-{bind.rpartition(':')[2]}.ctl")
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn, fixed arguments)
        # One control socket per instance (gunicorn's default path is one per user).
        [str(gunicorn), "-c", "gunicorn.conf.py", "--control-socket", str(control), wsgi],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        return process, wait_for(f"http://{bind}", process)
    except SystemExit as error:
        stop([process])
        raise SystemExit(f"gunicorn on {bind}: {error}; see {log_path}") from None


def wait_for(base: str, process, seconds: int = 60) -> str:
    """`base` once its /healthz answers 200 (`process` serves it, or a proxy in front)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{base}: its process exited ({process.returncode})")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return base
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{base} did not answer /healthz within {seconds} s")


def run_wrk(
    base: str, data_path: Path, name: str, connections: int, seconds: int, mix: str = "home"
) -> dict:
    """One wrk run of the mix; the parsed RESULT line plus the settings."""
    think_min, think_max, description = RUNS[name]
    env = {
        **os.environ,
        "AOAPP_MIX": mix,
        "AOAPP_MIX_DATA": str(data_path),
        "AOAPP_THINK_MIN": str(think_min),
        "AOAPP_THINK_MAX": str(think_max),
    }
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(MIX),
        base,
    ]
    _log(f"\n== {name}: {description}; {connections} connections, {seconds} s, mix {mix}")
    _log("   " + " ".join(command))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[len("RESULT ") :])
    result.update(name=name, mix=mix, connections=connections, think_ms=[think_min, think_max])
    return result


def report(result: dict) -> None:
    """Print one run's figures."""
    seconds = result["duration_us"] / 1e6
    lat = {k: v / 1000 for k, v in result["latency_us"].items()}
    errors = result["errors"]
    failures = sum(result["failures"].values())
    socket_errors = sum(errors[k] for k in ("connect", "read", "write", "timeout"))
    _log(
        f"   requests {result['requests']:,} in {seconds:.1f} s = {result['requests'] / seconds:,.1f}/s"
    )
    _log(
        f"   latency ms: p50 {lat['p50']:.1f}  p90 {lat['p90']:.1f}  p95 {lat['p95']:.1f}  "
        f"p99 {lat['p99']:.1f}  max {lat['max']:.1f}  mean {lat['mean']:.1f}"
    )
    _log(
        f"   non-2xx/3xx {errors['status']}, other than 200 {failures}, socket errors "
        f"{socket_errors} (connect {errors['connect']}, read {errors['read']}, "
        f"write {errors['write']}, timeout {errors['timeout']})"
    )
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(result["kinds"].items()))
    _log(f"   by kind: {kinds}")
    if result["failures"]:
        _log(f"   failures: {result['failures']}")
    if result["name"] == "think":
        met = lat["p95"] <= TARGET_P95_MS and not failures and not socket_errors
        _log(f"   target p95 ≤ {TARGET_P95_MS} ms and no errors: {'met' if met else 'MISSED'}")


def write_data(path: Path, officers: list[dict], today) -> None:
    """The Lua table mix.lua reads: one entry per user (officers, then any supervisors, whom
    mix.lua spreads over the connections), and the agenda's date window."""
    lines = ["return {"]
    lines.append(f'  week_ago = "{today - timedelta(days=7)}",')
    lines.append(f'  week_ahead = "{today + timedelta(days=7)}",')
    lines.append("  officers = {")
    for o in officers:
        ids = ", ".join(str(c) for c in o["customers"])
        lines.append(
            f'    {{cookie = "{o["cookie"]}", token = "{o["token"]}", role = "{o["role"]}",'
            f" customers = {{{ids}}}}},"
        )
    lines += ["  },", "}"]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)  # live session cookies and tokens until the run ends


def main(argv=None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.load.run", description=__doc__)
    parser.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL)")
    parser.add_argument("--runs", default="think,closed", help="think, closed or both")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--officers", type=int, help="officers logged in (default: connections)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--bind", default="127.0.0.1:8077", help="the (first) instance's")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances")
    parser.add_argument(
        "--proxy",
        action=argparse.BooleanOptionalAction,
        help="nginx in front of the instances (default: with two or more)",
    )
    parser.add_argument("--proxy-bind", default="127.0.0.1:8070", help="nginx's address")
    parser.add_argument("--rq-workers", type=int, default=0, help="RQ workers on the run's queues")
    parser.add_argument(
        "--rq-jobs", type=int, default=0, help="customer reports enqueued for them at the start"
    )
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--wsgi", default="wsgi:app", help="gunicorn app (to try a patched app)")
    parser.add_argument(
        "--mix",
        choices=("home", "issue", "full"),
        default="home",
        help="home: with the dashboards (the officer's home page); issue: issue 7's pages only; "
        "full: home plus search, renewals, funding, and one client in ten a supervisor (team "
        "dashboard, team agenda)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="do each run N times back to back (a soak)"
    )
    parser.add_argument(
        "--access-log", action="store_true", help="log every request (INFO) and sum up by page"
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    unknown = set(runs) - set(RUNS)
    if unknown:
        parser.error(f"unknown runs: {', '.join(sorted(unknown))}")
    url = database_url(args.database)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")

    clients = args.officers or args.connections
    supervisors = clients // 10 if args.mix == "full" else 0
    officers, today = prepare(url, clients - supervisors, supervisors)
    _log(f"{len(officers)} users sampled ({supervisors} supervisors), an API token each")
    log_path = OUT_DIR / f"gunicorn-{stamp}.log"
    level = "INFO" if args.access_log else "WARNING"
    env = app_env(url, level, stamp)
    binds = instance_binds(args.bind, args.instances)
    proxy = args.proxy if args.proxy is not None else args.instances > 1
    started = []  # every process of the run, stopped at its end
    results = []
    try:
        for index, bind in enumerate(binds):
            instance_log = log_path if index == 0 else log_path.with_suffix(f".{index}.log")
            started.append(
                start_gunicorn(env, bind, args.workers, args.threads, instance_log, args.wsgi)[0]
            )
        masters = [process.pid for process in started]
        base = f"http://{binds[0]}"
        if proxy:
            started.append(start_proxy(args.proxy_bind, binds, OUT_DIR / f"run-{stamp}"))
            base = wait_for(f"http://{args.proxy_bind}", started[-1])
        queues = [env["REPORTS_QUEUE"], env["NOTIFICATIONS_QUEUE"]]
        started += start_rq_workers(args.rq_workers, env, queues, OUT_DIR / f"rq-{stamp}.log")
        if args.rq_jobs:
            _log(f"{enqueue_reports(env, args.rq_jobs)} customer reports enqueued for the workers")
        _log(
            f"{args.instances} gunicorn instance(s) of {args.workers} workers × {args.threads} "
            f"threads ({', '.join(binds)}){' behind nginx' if proxy else ''}, "
            f"{args.rq_workers} RQ worker(s); wrk on {base}; logging in"
        )
        login_all(base, officers, args.password)
        data_path = OUT_DIR / "mix_data.lua"
        write_data(data_path, officers, today)
        memory = WorkerMemory(masters).start()
        for name in runs:
            for segment in range(1, args.repeat + 1):
                if args.repeat > 1:
                    _log(f"\n-- segment {segment} of {args.repeat}")
                results.append(
                    run_wrk(base, data_path, name, args.connections, args.duration, args.mix)
                )
                results[-1].update(
                    segment=segment,
                    workers=memory.summary(),
                    instances=args.instances,
                    proxy=proxy,
                    rq_workers=args.rq_workers,
                    rq_jobs=args.rq_jobs,
                )
                report(results[-1])
                workers = results[-1]["workers"]
                _log(
                    f"   workers: RSS {workers['rss_mb_now']} MB now "
                    f"({', '.join(str(v) for v in workers['rss_mb_per_worker_now'])}), "
                    f"largest {workers['rss_mb_largest_worker']} MB; "
                    f"{workers['workers_seen']} worker processes so far"
                )
        memory.stop()
    finally:
        stop(started)
        drop_tokens(url)
        if args.rq_workers or args.rq_jobs:
            drop_queues(env)
    out = OUT_DIR / f"results-{stamp}.json"
    out.write_text(json.dumps({"database": url.rsplit("/", 1)[-1], "runs": results}, indent=2))
    _log(f"\nresults: {out}\ngunicorn log: {log_path}")
    if args.access_log:
        access_summary(log_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
