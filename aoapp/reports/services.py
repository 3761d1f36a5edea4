"""The reports service's public face: generation, listing, downloads; and the web's Generate.

The work lives in `customer/generation.py`, `portfolio/generation.py`, `listing.py`
(scoped list, downloads, ZIP) and `storage.py` (files); pages, API and CLI import from here.

The web generates inline only what fits in a request: one portfolio workbook, or customer
reports up to REPORTS_WEB_INLINE_LIMIT (default 200, ~10 s). A larger set becomes a background
batch on the job queue (`batches.py`, as `flask reports generate --queue`), whose progress the
page shows.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from aoapp.auth.models import Role
from aoapp.common.i18n import format_number
from aoapp.customers.services import visible_officers
from aoapp.errors import Forbidden
from aoapp.kpis.periods import period_name
from aoapp.reports.batches import queue_batch
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
    download_name,
    filtered_query,
    get_report,
    list_reports,
    period_choices,
    zip_name,
    zip_reports,
    zip_stream,
)
from aoapp.reports.models import Report, ReportBatch, ReportKind, ReportScope
from aoapp.reports.portfolio.generation import (  # noqa: F401
    generate_portfolio_report,
    generate_portfolio_reports,
    portfolio_report,
)
from aoapp.reports.schemas import scope_value

DEFAULT_INLINE_LIMIT = 200


def inline_limit() -> int:
    """How many customer reports a web request may generate (REPORTS_WEB_INLINE_LIMIT)."""
    return int(current_app.config.get("REPORTS_WEB_INLINE_LIMIT", DEFAULT_INLINE_LIMIT))


def can_generate(actor) -> bool:
    """Officers (their own portfolio), supervisors and admins use the Generate form."""
    return actor.role in (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)


def scope_choices(actor) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """What the Generate form's scope select offers the user's role, in groups of
    (group label or None, [(value, label)]): an officer their own portfolio; a supervisor an
    officer of their branches or a branch; an admin the bank, any branch, any officer."""
    if actor.role == Role.OFFICER:
        return [(None, [(scope_value(ReportScope.OFFICER, actor.id), _("My portfolio"))])]
    groups = []
    if actor.role == Role.ADMIN:
        groups.append((_("Bank"), [(scope_value(ReportScope.BANK), _("The whole bank"))]))
    branches = [
        (scope_value(ReportScope.BRANCH, b.id), f"{b.code} · {b.name}")
        for b in branch_choices(actor)
    ]
    officers = [
        (scope_value(ReportScope.OFFICER, o.id), o.display_name) for o in visible_officers(actor)
    ]
    groups += [(_("Branch"), branches), (_("Officer"), officers)]
    return [(label, options) for label, options in groups if options]


def scope_values(actor) -> set[str]:
    """Every scope value the user may choose (what GenerateFormSchema accepts)."""
    return {value for _label, options in scope_choices(actor) for value, _text in options}


@dataclass
class Generated:
    """What the Generate form did: a message, and the background batch when it was queued."""

    message: str
    batch: ReportBatch | None = None


def generate_from_form(actor, data: dict) -> Generated:
    """Run the Generate form's request (checked by GenerateFormSchema for the user's role):
    inline when small enough, otherwise as a background batch whose progress the page shows.

    The workbooks are in the form's language (`lang`, default the user's): reports already made
    in another language are made again in it."""
    if not can_generate(actor):
        raise Forbidden(_("You may not generate reports."))
    period, force, lang = data["period"], data.get("force", False), data.get("lang")
    scope, officer_id, branch_id = data["scope"], data.get("officer_id"), data.get("branch_id")
    if data["kind"] == ReportKind.PORTFOLIO:
        report, generated = portfolio_report(
            actor, period, scope, officer_id, branch_id, force, lang
        )
        if generated:
            return Generated(_("Portfolio report %(file)s generated.", file=report.filename))
        return Generated(
            _(
                "Portfolio report %(file)s already generated (tick Regenerate to redo it).",
                file=report.filename,
            )
        )
    plan = plan_customer_reports(actor, period, None, officer_id, branch_id, force, lang)
    if len(plan.todo) > inline_limit():
        batch, new = queue_batch(actor, plan, scope, officer_id, branch_id, force, inline_limit())
        text = (
            _(
                "%(num)s customer reports of %(period)s are being made in the background; "
                "their progress shows below.",
                num=format_number(batch.total),
                period=period_name(period),
            )
            if new
            else _(
                "These reports are already being made in the background; their progress "
                "shows below."
            )
        )
        return Generated(text, batch)
    summary = run_plan(actor, plan)
    text = _(
        "Customer reports for %(period)s: %(generated)s generated, %(skipped)s already there, "
        "%(failed)s failed.",
        period=period_name(period),
        generated=summary.generated,
        skipped=summary.skipped,
        failed=len(summary.failed),
    )
    if summary.failed:
        text += " " + "; ".join(f"{f.key}: {f.reason}" for f in summary.failed[:5])
    return Generated(text)


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
