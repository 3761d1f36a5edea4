"""The reports service's public face: generation, listing, downloads; and the web's Generate.

The work lives in `customer/generation.py`, `portfolio/generation.py`, `listing.py`
(scoped list, downloads, ZIP) and `storage.py` (files); pages, API and CLI import from here.

The web generates inline only what fits in a request: one portfolio workbook, or customer
reports up to REPORTS_WEB_INLINE_LIMIT (default 200, ~10 s). A larger set is refused with the
command to run instead (`flask reports generate`, scheduled monthly; or `--queue` for RQ).
"""

from flask import current_app
from flask_babel import gettext as _

from aoapp.auth.models import Role
from aoapp.errors import Forbidden, InvalidInput
from aoapp.kpis.periods import period_text
from aoapp.reports.customer.generation import (  # noqa: F401
    Summary,
    customer_report,
    ensure_customer_report,
    generate_customer_report_job,
    generate_customer_reports,
    plan_customer_reports,
    run_plan,
)
from aoapp.reports.listing import (  # noqa: F401
    MAX_ZIP_FILES,
    XLSX_MIMETYPE,
    audit_zip,
    branch_choices,
    customer_section,
    download,
    filtered_query,
    get_report,
    list_reports,
    period_choices,
    zip_name,
    zip_reports,
    zip_stream,
)
from aoapp.reports.models import Report, ReportKind, ReportScope
from aoapp.reports.portfolio.generation import (  # noqa: F401
    generate_portfolio_report,
    generate_portfolio_reports,
    portfolio_report,
)

DEFAULT_INLINE_LIMIT = 200


def inline_limit() -> int:
    """How many customer reports a web request may generate (REPORTS_WEB_INLINE_LIMIT)."""
    return int(current_app.config.get("REPORTS_WEB_INLINE_LIMIT", DEFAULT_INLINE_LIMIT))


def can_generate(actor) -> bool:
    """Supervisors and admins use the Generate form (officers get reports on demand)."""
    return actor.role in (Role.SUPERVISOR, Role.ADMIN)


def _portfolio_scope(actor, officer_id, branch_id) -> tuple[str, int | None, int | None]:
    if officer_id is not None:
        return ReportScope.OFFICER.value, officer_id, None
    if branch_id is not None:
        return ReportScope.BRANCH.value, None, branch_id
    if actor.role == Role.ADMIN:
        return ReportScope.BANK.value, None, None
    supervised = actor.supervised_branch_ids
    if len(supervised) == 1:
        return ReportScope.BRANCH.value, None, supervised[0]
    raise InvalidInput(_("Choose a branch or an officer."), {"branch_id": [_("Choose a branch.")]})


def generate_from_form(actor, data: dict) -> str:
    """Run the Generate form's request inline when it is small enough; returns what was done.

    The workbooks are in the form's language (`lang`, default the user's): reports already made
    in another language are made again in it."""
    if not can_generate(actor):
        raise Forbidden(_("Supervisors and admins generate reports here."))
    period, force = data["period"], data.get("force", False)
    officer_id, branch_id = data.get("officer_id"), data.get("branch_id")
    lang = data.get("lang")
    if data["kind"] == ReportKind.PORTFOLIO:
        scope, officer_id, branch_id = _portfolio_scope(actor, officer_id, branch_id)
        report, generated = portfolio_report(
            actor, period, scope, officer_id, branch_id, force, lang
        )
        if generated:
            return _("Portfolio report %(file)s generated.", file=report.filename)
        return _(
            "Portfolio report %(file)s already generated (tick Regenerate to redo it).",
            file=report.filename,
        )
    plan = plan_customer_reports(actor, period, None, officer_id, branch_id, force, lang)
    if len(plan.todo) > inline_limit():
        raise InvalidInput(
            _(
                "%(todo)s customer reports are to be generated: more than the %(limit)s this "
                "page makes at once. Choose one officer, or run on the server: flask reports "
                "generate --period %(period)s --kind customer (the monthly schedule does this; "
                "see the README).",
                todo=f"{len(plan.todo):,}",
                limit=f"{inline_limit():,}",
                period=period.code,
            )
        )
    summary = run_plan(actor, plan)
    text = _(
        "Customer reports for %(period)s: %(generated)s generated, %(skipped)s already there, "
        "%(failed)s failed.",
        period=period_text(period),
        generated=summary.generated,
        skipped=summary.skipped,
        failed=len(summary.failed),
    )
    if summary.failed:
        text += " " + "; ".join(f"{f.key}: {f.reason}" for f in summary.failed[:5])
    return text


def regenerate(actor, report: Report) -> Report:
    """Generate a report again from today's data (same kind, period, scope and language)."""
    lang = report.lang
    if report.kind == ReportKind.CUSTOMER:
        return customer_report(actor, report.customer_id, report.period, True, lang)[0]
    scope = report.scope
    officer_id = report.officer_id if scope == ReportScope.OFFICER else None
    branch_id = report.branch_id if scope == ReportScope.BRANCH else None
    return portfolio_report(
        actor, report.period, scope, officer_id, branch_id, force=True, lang=lang
    )[0]
