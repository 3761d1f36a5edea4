"""`flask reports generate|list`: the monthly batch of Excel reports, resumable and parallel.

`generate` writes the period's customer reports, then the portfolio reports (per officer, per
branch, and the bank's when nothing is filtered). Reports already on disk are skipped unless
`--force`, so a rerun after a crash or a kill resumes where it stopped. `--jobs N` hands chunks
of customers to N worker processes (spawned, each with its own app and database connection),
which end with the command however it ends (`common.processes.die_with_parent`).
Exit status: 0 when everything was generated or skipped, 1 when some failed, 2 on bad options.
"""

import math
import multiprocessing
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from aoapp.auth.models import Branch, Role, User
from aoapp.common.dates import bank_today
from aoapp.common.i18n import LOCALES, default_locale
from aoapp.common.processes import die_with_parent
from aoapp.customers.models import Customer
from aoapp.errors import DomainError
from aoapp.extensions import db
from aoapp.kpis.periods import last_complete_month, parse_period, period_name
from aoapp.reports import storage
from aoapp.reports.customer.generation import (
    Summary,
    generate_customer_reports,
    plan_customer_reports,
    run_plan,
)
from aoapp.reports.models import Report
from aoapp.reports.portfolio.generation import generate_portfolio_reports
from aoapp.reports.queue import enqueue_customer_reports
from aoapp.reports.recording import require_as_of

reports_cli = AppGroup("reports", help="Excel analytic reports: generate and list.")
SHOWN_FAILURES = 20
LAST_MONTH = "last-month"
PERIOD_HELP = (
    "A month (2026-10, 10/2026, 'Oktober 2026', 'Oct 2026'), a quarter (2026Q3, 'Q3 2026', "
    "'Kuartal III 2026', 'Triwulan 3 2026'), a range (2026-10-01..2026-10-15, "
    "'01/10/2026 - 15/10/2026', '1-15 Oktober 2026'), or last-month (the bank's last full month)."
)


class _Bar:
    """A click progress bar opened on the first progress call (when the total is known)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return  # nothing to do: no bar
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _period(text: str):
    if text.strip().lower() == LAST_MONTH:  # what a monthly schedule asks for
        return last_complete_month(bank_today())
    try:
        return parse_period(text)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="--period") from None


def _lookup(model, column, value, option: str):
    if value is None:
        return None
    found = db.session.scalar(sa.select(model).where(column == value))
    if found is None or (model is User and found.role != Role.OFFICER):
        raise click.BadParameter(
            _("no %(what)s %(value)s", what=option.strip("-"), value=repr(value)), param_hint=option
        )
    return found


def _customer_ids(cifs: tuple[str, ...]) -> list[int] | None:
    if not cifs:
        return None
    found = dict(
        db.session.execute(sa.select(Customer.cif, Customer.id).where(Customer.cif.in_(cifs))).all()
    )
    missing = [cif for cif in cifs if cif not in found]
    if missing:
        raise click.BadParameter(
            _("no customer with CIF %(cifs)s", cifs=", ".join(missing)), param_hint="--customer"
        )
    return list(found.values())


def _worker_config() -> dict:
    """The parent's settings that can travel to a spawned worker (its database, EXPORTS_DIR…)."""
    config = {}
    for key, value in current_app.config.items():
        if key.isupper():
            try:
                pickle.dumps(value)
            except (pickle.PicklingError, TypeError, AttributeError):
                continue  # not picklable (a function, a connection): the worker's own default
            config[key] = value
    return config


_worker_app = None


def _init_worker(config: dict, parent_pid: int) -> None:
    """Each worker process ends with the command (even one killed with `kill -9`), builds its own
    app and stays in its app context."""
    global _worker_app
    die_with_parent(parent_pid)
    # The factory imports every feature (this one too): a worker builds its app when it starts.
    from aoapp import create_app

    _worker_app = create_app(config)
    _worker_app.app_context().push()


def _run_chunk(
    customer_ids: list[int], period_code: str, force: bool, lang: str | None = None
) -> Summary:
    """A worker's share: the reports of these customers (skipping done ones unless force)."""
    try:
        return generate_customer_reports(
            None, period_code, customer_ids=customer_ids, force=force, lang=lang
        )
    finally:
        db.session.remove()


def _parallel(plan, jobs: int, force: bool, bar: _Bar, lang: str | None = None) -> Summary:
    """Split the customers to do into chunks for `jobs` spawned processes; progress per chunk."""
    summary = Summary("customer", plan.period, plan.as_of, selected=len(plan.ids))
    summary.skipped = len(plan.ids) - len(plan.todo)
    size = max(20, min(500, math.ceil(len(plan.todo) / (jobs * 8))))
    chunks = [plan.todo[i : i + size] for i in range(0, len(plan.todo), size)]
    config = _worker_config()
    db.session.remove()  # hold no connection or lock while the workers write
    bar(0, len(plan.todo))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(config, os.getpid())
    ) as pool:
        futures = {
            pool.submit(_run_chunk, chunk, plan.period.code, force, lang): chunk for chunk in chunks
        }
        try:
            for future in as_completed(futures):
                part = future.result()
                summary.generated += part.generated
                summary.skipped += part.skipped
                summary.failed.extend(part.failed)
                summary.report_ids.extend(part.report_ids)
                bar(bar.done + len(futures[future]), len(plan.todo))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return summary


def _echo_summary(summary: Summary) -> None:
    click.echo(summary.line())
    for failure in summary.failed[:SHOWN_FAILURES]:
        click.echo(
            "  " + _("failed %(key)s: %(reason)s", key=failure.key, reason=failure.reason),
            err=True,
        )
    if len(summary.failed) > SHOWN_FAILURES:
        more = len(summary.failed) - SHOWN_FAILURES
        click.echo("  " + _("… and %(num)s more failures.", num=more), err=True)


@reports_cli.command("generate")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--branch", "branch_code", help="Only this branch (code), e.g. JKT01.")
@click.option("--officer", "username", help="Only this officer (username).")
@click.option("--customer", "cifs", multiple=True, help="Only this customer (CIF); repeatable.")
@click.option("--kind", type=click.Choice(["customer", "portfolio"]), help="Default: both.")
@click.option("--force", is_flag=True, help="Regenerate reports that already exist.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for customer reports.",
)
@click.option(
    "--queue", "use_queue", is_flag=True, help="Enqueue customer reports on RQ (REDIS_URL) instead."
)
@click.option(
    "--lang",
    type=click.Choice(LOCALES),
    help="Language of the workbooks: id or en. Default: the bank's (DEFAULT_LOCALE); reports "
    "already made in another language are then kept, while --lang remakes them.",
)
def generate(period, branch_code, username, cifs, kind, force, jobs, use_queue, lang) -> None:
    """Generate the period's customer and portfolio reports (done ones are skipped)."""
    with force_locale(lang or default_locale()):
        _generate(period, branch_code, username, cifs, kind, force, jobs, use_queue, lang)


def _generate(period, branch_code, username, cifs, kind, force, jobs, use_queue, lang) -> None:
    period = _period(period)
    branch = _lookup(Branch, Branch.code, branch_code, "--branch")
    officer = _lookup(User, User.username, username, "--officer")
    customer_ids = _customer_ids(cifs)
    if cifs and kind == "portfolio":
        raise click.BadParameter(_("--customer makes customer reports only"), param_hint="--kind")
    kinds = [kind] if kind else ["customer"] if cifs else ["customer", "portfolio"]
    branch_id, officer_id = getattr(branch, "id", None), getattr(officer, "id", None)
    removed = storage.clean_orphans()
    if removed:
        click.echo(
            _("Removed %(num)s temporary file(s) left by an interrupted run.", num=removed),
            err=True,
        )
    failed = 0
    try:
        require_as_of(period)
        if "customer" in kinds:
            plan = plan_customer_reports(
                None, period, customer_ids, officer_id, branch_id, force, lang
            )
            if use_queue:
                count = enqueue_customer_reports(plan.period, plan.todo, force, lang)
                click.echo(
                    _(
                        "Enqueued %(num)s customer report job(s) for %(period)s "
                        "(%(done)s already generated).",
                        num=count,
                        period=period_name(period),
                        done=len(plan.ids) - len(plan.todo),
                    )
                )
            else:
                summary = _customers(plan, jobs, force, lang)
                _echo_summary(summary)
                failed += len(summary.failed)
        if "portfolio" in kinds:
            bar = _Bar(_("Portfolio reports"))
            try:
                summary = generate_portfolio_reports(
                    period, officer_id, branch_id, force, bar, lang
                )
            finally:
                bar.close()
            _echo_summary(summary)
            failed += len(summary.failed)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    if failed:
        click.get_current_context().exit(1)


def _customers(plan, jobs: int, force: bool, lang: str | None = None) -> Summary:
    started = time.perf_counter()
    bar = _Bar(_("Customer reports"))
    try:
        if jobs > 1 and len(plan.todo) > 40:
            try:
                summary = _parallel(plan, jobs, force, bar, lang)
            except BrokenProcessPool:
                raise click.ClickException(
                    _(
                        "A worker process died (out of memory, or killed). The reports written so "
                        "far are kept: run the same command again to resume."
                    )
                ) from None
        else:
            summary = run_plan(None, plan, bar)
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - started
    return summary


@reports_cli.command("list")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--kind", type=click.Choice(["customer", "portfolio"]))
@click.option("--limit", type=click.IntRange(0, None), default=50, show_default=True)
def list_reports(period, kind, limit) -> None:
    """The period's generated reports: path, size and when, with a count per kind."""
    period = _period(period)
    stmt = sa.select(Report).where(Report.period == period.code)
    if kind:
        stmt = stmt.where(Report.kind == kind)
    counts = db.session.execute(
        sa.select(Report.kind, sa.func.count(), sa.func.coalesce(sa.func.sum(Report.size), 0))
        .where(Report.period == period.code, *([Report.kind == kind] if kind else []))
        .group_by(Report.kind)
    ).all()
    for report in db.session.scalars(stmt.order_by(Report.path).limit(limit)):
        click.echo(f"{report.path}\t{report.size}\t{report.generated_at:%Y-%m-%d %H:%M}")
    for report_kind, count, size in counts:
        click.echo(
            _(
                "%(kind)s: %(num)s report(s), %(size)s MB",
                kind=report_kind,
                num=count,
                size=f"{size / 1_048_576:.1f}",
            ),
            err=True,
        )
    if not counts:
        click.echo(_("No reports for %(period)s.", period=period_name(period)), err=True)


def register(app: Flask) -> None:
    """Add the reports commands to the app's CLI."""
    app.cli.add_command(reports_cli)
