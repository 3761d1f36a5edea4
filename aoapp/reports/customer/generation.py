"""Generating per-customer reports: choose the customers, skip what is done, write, record.

Customers are processed in batches of BATCH_SIZE: one call of the batched loader (a fixed number
of queries per batch, on the replica when there is one: common/replica.py), then for each
customer the pure builder, the XlsxWriter writer and the atomic write, and the `Report` row
committed on its own (on the primary). A run killed midway leaves complete
files with their rows (at most one file without a row, which the next run simply rewrites);
the next run skips every customer whose recorded file is intact, so it resumes where it stopped.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from aoapp.auth.models import Branch, Role, User
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common.replica import reading_from_replica
from aoapp.customers.models import Customer
from aoapp.errors import LOGGED_ERROR, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.periods import Period
from aoapp.reports import storage
from aoapp.reports.customer import workbook as customer_book
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.models import Report, ReportKind, ReportScope
from aoapp.reports.recording import (  # noqa: F401  (part of this module's public face)
    Failure,
    Summary,
    as_period,
    bank_name,
    intact_reports,
    recorded_reports,
    report_lang,
    require_as_of,
    save_report,
)
from aoapp.reports.writers import XlsxWriterWriter

log = logging.getLogger(__name__)

BATCH_SIZE = 500
UNASSIGNED = "_unassigned"
Progress = Callable[[int, int], None]  # (done, total) after each customer written or failed


def customer_key(customer_id: int) -> str:
    """The scope key of a customer's report."""
    return f"{ReportScope.CUSTOMER}:{customer_id}"


def check_filters(actor, officer_id: int | None, branch_id: int | None) -> None:
    """An officer or branch filter outside the actor's reach is NotFound (as a missing one)."""
    if officer_id is not None:
        officer = (
            get_visible(actor, User, officer_id) if actor else db.session.get(User, officer_id)
        )
        if officer is None or officer.role != Role.OFFICER:
            raise NotFound(_("No such officer."))
    if branch_id is not None:
        branch = db.session.get(Branch, branch_id) if isinstance(branch_id, int) else None
        reachable = actor is None or actor.role == Role.ADMIN
        if actor is not None and actor.role == Role.SUPERVISOR:
            reachable = branch_id in actor.supervised_branch_ids
        elif actor is not None and actor.role == Role.OFFICER:
            reachable = branch_id == actor.branch_id
        if branch is None or not reachable:
            raise NotFound(_("No such branch."))


def select_customer_ids(
    actor, customer_ids=None, officer_id: int | None = None, branch_id: int | None = None
) -> list[int]:
    """Ids of the customers in the actor's scope (all of them for the system), filtered."""
    check_filters(actor, officer_id, branch_id)
    stmt = sa.select(Customer.id).order_by(Customer.id)
    if actor is not None:
        stmt = visible_to(actor, stmt, Customer)
    if officer_id is not None:
        stmt = stmt.where(Customer.officer_id == officer_id)
    if branch_id is not None:
        stmt = stmt.where(Customer.branch_id == branch_id)
    if customer_ids is None:
        return list(db.session.scalars(stmt))
    wanted = sorted(set(customer_ids))
    found = []
    for start in range(0, len(wanted), 5000):  # stay under SQLite's bound-parameter limit
        chunk = wanted[start : start + 5000]
        found.extend(db.session.scalars(stmt.where(Customer.id.in_(chunk))))
    return found


def customer_path(data, period: Period) -> str:
    """`{period}/{branch}/{officer or _unassigned}/{period}_{customer}.xlsx` under EXPORTS_DIR,
    each part a record's id with a slug of its name: `2026-10/1-jkt01/3-ao-budi/2026-10_12-warung-
    budi.xlsx`. Never the CIF: the download keeps it in its name (`listing.download_name`)."""
    officer = data.officer_id
    return storage.relative_path(
        period.code,
        storage.id_part(data.branch_id, data.branch_code),
        storage.id_part(officer, data.officer_username) if officer is not None else UNASSIGNED,
        f"{period.code}_{storage.id_part(data.customer_id, data.name)}.xlsx",
    )


def write_customer_report(data, period: Period, as_of: date, actor, existing) -> int:
    """Build, write and record one customer's workbook in the current language (forced by
    `run_plan`); returns the report id."""
    workbook = customer_book.customer_workbook(data, bank_name())
    stored = storage.write_atomic(
        customer_path(data, period), lambda target: XlsxWriterWriter().write(workbook, target)
    )
    values = {
        "kind": ReportKind.CUSTOMER.value,
        "period": period.code,
        "period_start": period.start,
        "period_end": period.end,
        "as_of": as_of,
        "scope": ReportScope.CUSTOMER.value,
        "scope_key": customer_key(data.customer_id),
        "customer_id": data.customer_id,
        "officer_id": data.officer_id,
        "branch_id": data.branch_id,
    }
    return save_report(values, stored, actor, existing)


@dataclass
class Plan:
    """The customers a run covers and those still to do (not intact on disk, or forced)."""

    period: Period
    as_of: date
    ids: list[int]
    todo: list[int]
    recorded: dict  # {scope_key: (id, path)} of rows already there (to update, not insert)
    lang: str = "en"  # the language the workbooks are written in


def plan_customer_reports(
    actor,
    period,
    customer_ids=None,
    officer_id=None,
    branch_id=None,
    force=False,
    lang=None,
    default_lang=None,
) -> Plan:
    """Which customers' reports of the period a run must write (refuses a period without data).

    Workbooks are written in `lang`, default the current language. Asked for a language, a
    report recorded in another one is to do; without, a report there is kept whatever its language.
    """
    period = as_period(period)
    with reading_from_replica():  # what the figures are read from; the reports' rows: below
        as_of = require_as_of(period)
        ids = select_customer_ids(actor, customer_ids, officer_id, branch_id)
    keys = [customer_key(cid) for cid in ids] if customer_ids is not None else None
    kind = ReportKind.CUSTOMER.value
    done = {} if force else intact_reports(kind, period, keys, lang)
    todo = [cid for cid in ids if customer_key(cid) not in done]
    recorded = recorded_reports(kind, period, keys)
    return Plan(period, as_of, ids, todo, recorded, report_lang(lang, default_lang))


def generate_customer_reports(
    actor,
    period: Period | str,
    customer_ids=None,
    officer_id: int | None = None,
    branch_id: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    lang: str | None = None,
    default_lang: str | None = None,
) -> Summary:
    """Generate the period's reports of the customers in scope; done ones are skipped unless force.

    `actor` None is the system (CLI, scheduler, job queue): every customer. A storage failure
    (disk full) stops the run with a ReportStorageError; a customer whose workbook cannot be
    built is counted as failed with its reason and the run goes on. Workbooks are in `lang`
    (`id` or `en`; else `default_lang`, else the current language: the user's on a page, else
    the bank's); asked for a language, a report there in another one is made again.
    """
    started = time.perf_counter()
    plan = plan_customer_reports(
        actor, period, customer_ids, officer_id, branch_id, force, lang, default_lang
    )
    summary = run_plan(actor, plan, progress, batch_size)
    summary.seconds = time.perf_counter() - started
    return summary


def run_plan(actor, plan: Plan, progress: Progress | None = None, batch_size=BATCH_SIZE):
    """Write the planned customers' reports in the plan's language, batch by batch; returns the
    summary."""
    with force_locale(plan.lang):
        return _run_plan(actor, plan, progress, batch_size)


def _run_plan(actor, plan: Plan, progress: Progress | None, batch_size: int):
    started = time.perf_counter()
    period, as_of, todo = plan.period, plan.as_of, plan.todo
    summary = Summary(ReportKind.CUSTOMER.value, period, as_of, selected=len(plan.ids))
    summary.skipped = len(plan.ids) - len(todo)
    if progress:
        progress(0, len(todo))
    count = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        with reading_from_replica():  # the figures; the rows are written on the primary
            loaded = load_customer_reports(batch, period, as_of)
        for customer_id in batch:
            data = loaded.get(customer_id)
            try:
                if data is None:
                    raise LookupError("the customer no longer exists")
                existing = plan.recorded.get(customer_key(customer_id))
                report_id = write_customer_report(data, period, as_of, actor, existing)
            except storage.ReportStorageError:
                raise
            except Exception:  # one bad customer must not stop a bank's month
                db.session.rollback()
                log.exception("customer report %s for %s failed", customer_id, period.code)
                cif = getattr(data, "cif", None) or str(customer_id)
                summary.failed.append(Failure(cif, _(LOGGED_ERROR)))
            else:
                summary.generated += 1
                summary.report_ids.append(report_id)
            count += 1
            if progress:
                progress(count, len(todo))
    summary.seconds = time.perf_counter() - started
    return summary


def customer_report(
    actor,
    customer_id,
    period: Period | str,
    force: bool = False,
    lang: str | None = None,
    default_lang: str | None = None,
):
    """(report, generated) for one customer the actor may see: made when missing or forced.

    Without `lang`, a report already there is kept in whatever language it was written in (on
    demand, in the current language when missing)."""
    customer = get_visible(actor, Customer, customer_id)
    period = as_period(period)
    summary = generate_customer_reports(
        actor,
        period,
        customer_ids=[customer.id],
        force=force,
        lang=lang,
        default_lang=default_lang,
    )
    if summary.failed:
        raise InvalidInput(
            _(
                "The report of %(customer)s for %(period)s could not be generated: %(reason)s",
                customer=customer.name,
                period=period.local_label,
                reason=summary.failed[0].reason,
            )
        )
    report = db.session.scalar(
        sa.select(Report).where(
            Report.kind == ReportKind.CUSTOMER.value,
            Report.period == period.code,
            Report.scope_key == customer_key(customer.id),
        )
    )
    return report, bool(summary.generated)


def ensure_customer_report(actor, customer_id, period: Period | str) -> Report:
    """The customer's report of the period, generated on demand when missing."""
    return customer_report(actor, customer_id, period)[0]


_job_app = None


def generate_customer_report_job(
    customer_id: int, period_code: str, force: bool = False, lang: str | None = None
):
    """One customer's report as a standalone job (a queue worker), in `lang` (default the
    bank's): returns the report id.

    Runs in the current app context, or makes the app once per process when there is none.
    """
    from flask import has_app_context

    if has_app_context():
        return _job(customer_id, period_code, force, lang)
    global _job_app
    if _job_app is None:
        # The factory imports every feature (this one too): a worker builds its app when it starts.
        from aoapp import create_app

        _job_app = create_app()
    with _job_app.app_context():
        return _job(customer_id, period_code, force, lang)


def _job(customer_id: int, period_code: str, force: bool, lang: str | None = None):
    summary = generate_customer_reports(
        None, period_code, customer_ids=[customer_id], force=force, lang=lang
    )
    if summary.failed:
        raise RuntimeError(f"customer {customer_id}: {summary.failed[0].reason}")
    if not summary.selected:
        raise LookupError(f"customer {customer_id} does not exist")
    key = customer_key(customer_id)
    found = intact_reports(ReportKind.CUSTOMER.value, as_period(period_code), [key]).get(key)
    return found[0] if found else None
