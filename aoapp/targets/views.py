"""The targets page: a supervisor's bulk editor of their branch's officers' monthly targets, with
the achievement so far; officers see their own targets, read-only."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from aoapp.common.views import REFUSALS, acting_user
from aoapp.kpis.periods import MONTH_FORMS
from aoapp.targets import services
from aoapp.targets.achievement import METRICS
from aoapp.targets.forms import HEADERS, CopyForm, TargetGridForm
from aoapp.targets.progress import month_progress
from aoapp.targets.schemas import METRIC_FIELDS, parse_month

bp = Blueprint("targets", __name__, url_prefix="/targets")


def _month_arg() -> tuple:
    """The month asked for (default: the bank's current month) and a problem, if any."""
    text = request.args.get("month", "").strip()
    if not text:
        return services.current_month(), None
    try:
        return parse_month(text), None
    except ValueError:
        problem = _("'%(text)s' is not a month: showing this one.", text=text)
        problem = f"{problem} {MONTH_FORMS}"
        return services.current_month(), problem


def _branch_arg() -> int | None:
    text = request.args.get("branch", "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else -1  # -1: no such branch → 404


def _context() -> dict:
    """Month, branch and officers of the page, within the user's scope."""
    me = acting_user()
    month, problem = _month_arg()
    if me.is_officer:
        return {"month": month, "problem": problem, "branch": None, "officers": [me]}
    branch = services.get_branch(me, _branch_arg())
    return {
        "month": month,
        "problem": problem,
        "branch": branch,
        "officers": services.branch_officers(branch.id),
    }


def _page_url(ctx: dict, month=None, endpoint: str = "targets.index") -> str:
    args = {"month": f"{month or ctx['month']:%Y-%m}"}
    if ctx["branch"] is not None:
        args["branch"] = ctx["branch"].id
    return url_for(endpoint, **args)


def _render(ctx: dict, form, status: int = 200, message: str | None = None, targets=None):
    me, month = acting_user(), ctx["month"]
    officers = {officer.id: officer for officer in ctx["officers"]}
    if targets is None:
        targets = services.targets_of(list(officers), month)
    return (
        render_template(
            "targets/index.html",
            form=form,
            copy_form=CopyForm(),
            officers=officers,
            targets=targets,
            month=month,
            month_label=services.month_label(month),
            branch=ctx["branch"],
            branches=services.managed_branches(me),
            problem=ctx["problem"],
            message=message,
            can_edit=not me.is_officer and services.is_editable(month),
            progress=month_progress(me, ctx["officers"], month, ctx["branch"]),
            metrics=METRIC_FIELDS,
            headers=HEADERS,
            kinds={metric.key: metric.kind for metric in METRICS},
            previous_url=_page_url(ctx, services.add_months(month, -1)),
            next_url=_page_url(ctx, services.add_months(month, 1)),
            this_url=_page_url(ctx),
            copy_url=_page_url(ctx, endpoint="targets.copy"),
            current_url=_page_url(ctx, services.current_month()),
        ),
        status,
    )


@bp.get("/")
@login_required
def index():
    """The month's targets of a branch's officers (supervisor, admin) or of oneself (officer)."""
    ctx = _context()
    ids = [officer.id for officer in ctx["officers"]]
    targets = services.targets_of(ids, ctx["month"])
    return _render(ctx, TargetGridForm.for_officers(ctx["officers"], targets), targets=targets)


@bp.post("/")
@login_required
def save():
    """Save the whole grid in one transaction; nothing is saved while any cell is wrong."""
    services.require_manager(acting_user())
    ctx = _context()
    form = TargetGridForm()  # CSRF is checked app-wide before the view runs
    ids = form.posted_officer_ids()
    known = {officer.id for officer in ctx["officers"]}
    if None in ids or len(set(ids)) != len(ids) or not set(ids) <= known:
        message = _("The list of officers changed while you were editing. Reload the page.")
        return _render(ctx, form, 409, message)
    rows = form.load()
    if rows is None:
        return _render(ctx, form, 422, _("Nothing was saved: correct the marked cells."))
    try:
        result = services.save_grid(acting_user(), ctx["branch"], ctx["month"], rows)
    except REFUSALS as error:
        return _render(ctx, form, error.status_code, error.message)
    if result.changed:
        flash(
            _(
                "Targets of %(month)s saved: %(created)s set, %(updated)s changed, "
                "%(deleted)s cleared.",
                month=services.month_label(ctx["month"]),
                created=result.created,
                updated=result.updated,
                deleted=result.deleted,
            ),
            "success",
        )
    else:
        flash(_("Nothing changed."), "info")
    return redirect(_page_url(ctx))


@bp.post("/copy")
@login_required
def copy():
    """Copy last month's targets to the officers without targets this month (never overwrites)."""
    services.require_manager(acting_user())
    ctx = _context()
    previous = services.month_label(services.add_months(ctx["month"], -1))
    try:
        copied = services.copy_last_month(acting_user(), ctx["branch"], ctx["month"])
    except REFUSALS as error:
        flash(error.message, "danger")
        return redirect(_page_url(ctx))
    if copied:
        flash(
            ngettext(
                "Copied the %(month)s targets of %(num)d officer.",
                "Copied the %(month)s targets of %(num)d officers.",
                copied,
                month=previous,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Nothing copied: no officer without targets this month had targets in %(month)s.",
                month=previous,
            ),
            "info",
        )
    return redirect(_page_url(ctx))
