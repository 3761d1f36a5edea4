"""Finding and handing out reports: the scoped list, one download, a streamed ZIP; all audited.

Only rows are listed, and a row exists only for a complete file, so a half-written workbook
never shows. A report outside the user's scope answers 404 like a missing one.
"""

from dataclasses import dataclass
from zipfile import ZIP_STORED

import sqlalchemy as sa
import zipstream
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.audit import services as audit
from aoapp.audit.models import AuditEntry
from aoapp.auth.models import Branch, Role
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common import latest
from aoapp.common.dates import utcnow
from aoapp.common.pagination import Page, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.customers.hooks import customer_section as on_customer_page
from aoapp.customers.models import Customer
from aoapp.errors import InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.periods import Period, parse_period
from aoapp.reports import storage
from aoapp.reports.customer.workbook import download_filename
from aoapp.reports.models import Report, ReportKind
from aoapp.reports.reviews import NOTE_MAX, attach_reviews, can_review

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ZIP_FILES = 20_000
SORTABLE = {
    "period": Report.period_end,
    "generated_at": Report.generated_at,
    "as_of": Report.as_of,
    "size": Report.size,
}


def filtered_query(actor, filters: dict, eager: bool = True) -> sa.Select:
    """Scoped, filtered, sorted select of reports (page, API and ZIP)."""
    stmt = visible_to(actor, sa.select(Report), Report)
    if eager:  # what a list shows; a ZIP of 20,000 files needs only paths
        stmt = stmt.options(
            joinedload(Report.customer),
            joinedload(Report.officer),
            joinedload(Report.branch),
            joinedload(Report.generated_by),
        )
    if filters.get("period"):
        stmt = stmt.where(Report.period == filters["period"])
    for key, column in (
        ("kind", Report.kind),
        ("scope", Report.scope),
        ("branch_id", Report.branch_id),
        ("officer_id", Report.officer_id),
        ("customer_id", Report.customer_id),
    ):
        if filters.get(key) is not None:
            stmt = stmt.where(column == filters[key])
    text = (filters.get("q") or "").strip().lower()
    if text:
        matching = sa.select(Customer.id).where(
            sa.or_(
                sa.func.lower(Customer.name).contains(text, autoescape=True),
                sa.func.lower(Customer.cif).contains(text, autoescape=True),
            )
        )
        stmt = stmt.where(Report.customer_id.in_(matching))
    sort = filters.get("sort") or "-period"
    column = SORTABLE.get(sort.lstrip("-"), Report.period_end)
    descending = sort.startswith("-") or sort.lstrip("-") not in SORTABLE
    # Within the sort key: portfolios first, then by path (branch, officer, CIF).
    return stmt.order_by(
        column.desc() if descending else column.asc(),
        Report.kind.desc(),
        Report.path,
        Report.id,
    )


def list_reports(actor, filters: dict, per_page: int) -> Page:
    """One page of the reports the user may see, each with its latest review."""
    page = paginate(filtered_query(actor, filters), filters.get("page", 1), per_page)
    attach_reviews(page.items)
    return page


def get_report(actor, report_id) -> Report:
    """A report the user may see, or NotFound."""
    return get_visible(actor, Report, report_id)


def period_choices(actor) -> list[Period]:
    """Periods that have reports the user may see, newest first (the period filter)."""
    stmt = visible_to(
        actor,
        sa.select(Report.period, sa.func.max(Report.period_end).label("end"))
        .group_by(Report.period)
        .order_by(sa.desc("end"))
        .limit(48),
        Report,
    )
    return [parse_period(code) for code, _end in db.session.execute(stmt)]


def branch_choices(actor) -> list[Branch]:
    """Branches the user may filter by: all for an admin, the supervised ones, none for officers."""
    if actor.role == Role.ADMIN:
        return list(db.session.scalars(sa.select(Branch).order_by(Branch.code)))
    if actor.role == Role.SUPERVISOR:
        return sorted(actor.supervised, key=lambda branch: branch.code)
    return []


def listing_months(limit: int = 12) -> list[Period]:
    """Months that have a loan listing, newest first (from the listing dates: common/latest)."""
    found = latest.listed(latest.LOANS).month_ends()[:limit]
    return [parse_period(f"{day:%Y-%m}") for day in found]


@dataclass
class CustomerReports:
    """The Reports section of the customer page."""

    items: list
    periods: list[Period]
    reviewer: bool = False  # the user may review the customer's reports (a form per report)
    note_max: int = NOTE_MAX


@on_customer_page("reports")
def customer_section(actor, customer: Customer, limit: int = 12) -> CustomerReports:
    """The customer's reports the user may see (each with its latest review), the periods a
    report can be asked for, and whether the user may review them."""
    stmt = visible_to(
        actor,
        sa.select(Report)
        .where(Report.kind == ReportKind.CUSTOMER.value, Report.customer_id == customer.id)
        .order_by(Report.period_end.desc(), Report.id.desc())
        .limit(limit),
        Report,
    )
    items = attach_reviews(db.session.scalars(stmt))
    reviewer = any(can_review(actor, r) for r in items[:1])
    return CustomerReports(items, listing_months(), reviewer)


def _download_entry(report: Report) -> dict:
    return {"path": report.path, "size": report.size, "sha256": report.sha256}


def download_name(report: Report) -> str:
    """The name a report is saved as: a customer's by the period, its CIF and name, made safe
    (`2026-10_0001234567_warung-budi.xlsx`); a portfolio's by its file's name."""
    customer = report.customer if report.kind == ReportKind.CUSTOMER else None
    if customer is None:
        return report.filename
    return download_filename(report.period, customer.cif, customer.name)


def download(actor, report: Report) -> str:
    """Audit the download of one report and return its file's absolute path."""
    if not storage.is_intact(report.path, report.size):
        raise NotFound(
            _("The file of this report is missing from the exports folder; regenerate it.")
        )
    with unit_of_work():
        audit.record(actor, report, "download", None, _download_entry(report))
    return str(storage.absolute(report.path))


def zip_reports(actor, ids: list[int] | None = None, filters: dict | None = None) -> list[Report]:
    """The reports a ZIP holds: the selected ids or everything matching the filters, in scope."""
    if ids is not None:
        ids = [i for i in ids if isinstance(i, int) and 0 < i <= 2**31 - 1][: MAX_ZIP_FILES + 1]
        if not ids:
            raise InvalidInput(_("Select at least one report."), {"ids": [_("Select reports.")]})
        stmt = visible_to(actor, sa.select(Report).where(Report.id.in_(ids)), Report)
        stmt = stmt.order_by(Report.path)
    else:
        if not (filters or {}).get("period"):
            raise InvalidInput(
                _("Choose a period before downloading all its reports."),
                {"period": [_("Choose a period.")]},
            )
        stmt = filtered_query(actor, filters, eager=False)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    if count > MAX_ZIP_FILES:
        raise InvalidInput(
            _(
                "%(count)s reports match: one ZIP holds at most %(max)s. "
                "Narrow the selection to a branch or an officer.",
                count=f"{count:,}",
                max=f"{MAX_ZIP_FILES:,}",
            )
        )
    reports = list(db.session.scalars(stmt).unique())
    if not reports:
        raise NotFound(_("No reports match the selection."))
    return reports


def audit_zip(actor, reports: list[Report]) -> None:
    """One download entry per report in the ZIP (each report's history shows it), one commit."""
    now = utcnow()
    with unit_of_work():
        db.session.execute(
            sa.insert(AuditEntry),
            [
                {
                    "at": now,
                    "actor_id": actor.id,
                    "entity_type": "report",
                    "entity_id": report.id,
                    "action": "download",
                    "before": None,
                    "after": {**_download_entry(report), "zip_of": len(reports)},
                }
                for report in reports
            ],
        )


def zip_stream(entries: list[tuple[str, int]]) -> zipstream.ZipStream:
    """A ZIP of the files (relative path, size) read from disk while it is sent, never in memory.

    Workbooks are already compressed, so they are stored as they are. A file missing on disk
    is left out and named in MISSING.txt.
    """
    stream = zipstream.ZipStream(compress_type=ZIP_STORED)
    missing = []
    for path, size in entries:
        if storage.is_intact(path, size):
            stream.add_path(str(storage.absolute(path)), path)
        else:
            missing.append(path)
    if missing:
        note = "These reports were missing from the exports folder; regenerate them:\n"
        stream.add(note + "\n".join(missing) + "\n", "MISSING.txt")
    return stream


def zip_name(filters: dict | None, reports: list[Report]) -> str:
    """`reports-2026-10.zip`, `reports-2026-10-JKT01.zip`, or `reports-selection-12.zip`."""
    if filters and filters.get("period"):
        parts = ["reports", filters["period"]]
        if filters.get("branch_id") is not None and reports and reports[0].branch:
            parts.append(reports[0].branch.code)
        return storage.safe_part("-".join(parts)) + ".zip"
    return f"reports-selection-{len(reports)}.zip"
