"""HTML pages: generating reports (first), the reports list (filters, downloads, ZIP,
regenerate), the progress of a background batch, and the customer page's on-demand download."""

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from wtforms import SelectChoice

from aoapp.common.forms import apply_domain_error, choices, load_filters, load_form
from aoapp.common.i18n import format_number, locale_code
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import REFUSALS, acting_user
from aoapp.customers.services import get_customer, visible_officers
from aoapp.errors import DomainError, Forbidden, InvalidInput, NotFound
from aoapp.kpis.periods import period_name
from aoapp.reports import batches, reviews, services
from aoapp.reports.forms import GenerateForm, ReviewForm
from aoapp.reports.listing import listing_months
from aoapp.reports.models import ReportKind
from aoapp.reports.periods import picker_options
from aoapp.reports.schemas import (
    GenerateFormSchema,
    PeriodField,
    ReportFilterSchema,
    ReviewRequestSchema,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")

FILTER_KEYS = ("period", "kind", "scope", "branch_id", "officer_id", "customer_id", "q", "sort")


def _generate_form(form: GenerateForm | None = None) -> GenerateForm | None:
    """The Generate form with the choices of the user's role and the period picker's options."""
    me = acting_user()
    if not services.can_generate(me):
        return None
    form = form or GenerateForm()
    form.scope.choices = [
        SelectChoice(value, text, optgroup=str(group) if group else None)
        for group, options in services.scope_choices(me)
        for value, text in options
    ]
    picker = picker_options()
    form.month.choices = choices((o.code, o.name) for o in picker.months)
    form.quarter.choices = choices((o.code, o.name) for o in picker.quarters)
    if not form.lang.data or form.lang.data == "None":
        form.lang.data = locale_code()  # the user's language
    if form.month.data is None:
        form.month.data = picker.month
    if form.quarter.data is None:
        form.quarter.data = picker.quarter
    return form


def _render_index(form: GenerateForm | None = None, status: int = 200):
    me = acting_user()
    filters = load_filters(ReportFilterSchema())
    page = services.list_reports(me, filters, HTML_PER_PAGE)
    zip_args = {k: filters[k] for k in FILTER_KEYS if filters.get(k) not in (None, "")}
    zip_args.pop("sort", None)
    page_html = render_template(
        "reports/index.html",
        page=page,
        filters=filters,
        periods=services.period_choices(me),
        branches=services.branch_choices(me),
        officers=[] if me.is_officer else visible_officers(me),
        kinds=[k.value for k in ReportKind],
        zip_all_url=url_for("reports.zip_all", **zip_args) if filters.get("period") else None,
        form=_generate_form(form),
        batches=[_batch_status(b) for b in batches.recent_batches(me)],
        max_zip=services.MAX_ZIP_FILES,
        inline_limit=services.inline_limit(),
        period_name=period_name,
        can_review=lambda report: reviews.can_review(me, report),
        review_max=reviews.NOTE_MAX,
    )
    return page_html, status


@bp.get("/")
@login_required
def index():
    """Generate reports (first), then the reports the user may see, filtered by period, branch,
    officer, kind and customer."""
    return _render_index()


@bp.post("/generate")
@login_required
def generate():
    """Generate reports from the form: inline when small, otherwise a background batch."""
    me = acting_user()
    if not services.can_generate(me):
        raise Forbidden(_("You may not generate reports."))
    form = _generate_form(GenerateForm())
    data = load_form(GenerateFormSchema(scopes=services.scope_values(me)), form)
    if data is None:
        return _render_index(form, 422)
    try:
        done = services.generate_from_form(me, data)
    except (InvalidInput, NotFound) as error:
        apply_domain_error(form, error)
        return _render_index(form, error.status_code if error.status_code != 404 else 422)
    flash(done.message, "success")
    if done.batch is not None:
        return redirect(url_for("reports.index", _anchor=f"batch-{done.batch.id}"))
    return redirect(url_for("reports.index", period=data["period"].code))


def _batch_status(batch) -> dict:
    """A batch's progress as the page and its status endpoint show it, with the links to its
    reports once it is finished."""
    args = {"period": batch.period, "kind": "customer"}
    args.update(
        {k: v for k, v in (("officer_id", batch.officer_id), ("branch_id", batch.branch_id)) if v}
    )
    links = []
    if batch.finished and batch.done:
        links = [
            {"label": _("Open the reports"), "url": url_for("reports.index", **args)},
            {"label": _("Download all (ZIP)"), "url": url_for("reports.zip_all", **args)},
        ]
    return {
        "id": batch.id,
        "period": batch.period,
        "period_name": period_name(batch.period),
        "total": batch.total,
        "done": batch.done,
        "failed": batch.failed,
        "percent": batch.percent,
        "finished": batch.finished,
        "stopped": batch.stopped,
        "text": _batch_text(batch),
        "status_url": url_for("reports.batch_status", batch_id=batch.id),
        "page_url": url_for("reports.batch_page", batch_id=batch.id),
        "links": links,
    }


def _batch_text(batch) -> str:
    numbers = {
        "done": format_number(batch.done),
        "total": format_number(batch.total),
        "failed": format_number(batch.failed),
    }
    if not batch.finished:
        return _("%(done)s of %(total)s reports made…", **numbers)
    if batch.stopped:
        return _(
            "Stopped: the worker stopped responding after %(done)s of %(total)s reports were "
            "made. Generate them again to make the rest.",
            **numbers,
        )
    if batch.failed:
        return _("Finished: %(done)s of %(total)s reports made, %(failed)s failed.", **numbers)
    return _("Finished: %(done)s of %(total)s reports made.", **numbers)


@bp.get("/batches/<id:batch_id>/status")
@login_required
def batch_status(batch_id: int):
    """The progress of the user's own background batch, as JSON (the page polls it)."""
    return _batch_status(batches.get_batch(acting_user(), batch_id))


@bp.get("/batches/<id:batch_id>")
@login_required
def batch_page(batch_id: int):
    """The progress of the user's own background batch, as a page that refreshes itself until
    the batch is finished (the page without JavaScript)."""
    status = _batch_status(batches.get_batch(acting_user(), batch_id))
    return render_template("reports/batch.html", batch=status)


def _send(report):
    path = services.download(acting_user(), report)
    return send_file(
        path,
        mimetype=services.XLSX_MIMETYPE,
        as_attachment=True,
        download_name=services.download_name(report),
        max_age=0,
    )


@bp.get("/<id:report_id>/download")
@login_required
def download(report_id: int):
    """One report's workbook (audited)."""
    return _send(services.get_report(acting_user(), report_id))


@bp.post("/<id:report_id>/regenerate")
@login_required
def regenerate(report_id: int):
    """Generate the report again from the current data."""
    report = services.get_report(acting_user(), report_id)
    try:
        report = services.regenerate(acting_user(), report)
    except InvalidInput as error:
        flash(error.message, "danger")
    else:
        flash(_("%(file)s regenerated.", file=report.filename), "success")
    return redirect(url_for("reports.index", period=report.period))


@bp.post("/<id:report_id>/review")
@login_required
def review(report_id: int):
    """Mark a customer's report as reviewed, with a note (a supervisor of the customer's branch
    or an admin); back to the list or the customer page, or the form again with its errors."""
    me = acting_user()
    report = services.get_report(me, report_id)
    form = ReviewForm()
    data = load_form(ReviewRequestSchema(), form)
    status = 422
    if data is not None:
        try:
            reviews.review_report(me, report.id, data["note"])
        except REFUSALS as error:
            apply_domain_error(form, error)
            status = error.status_code
        else:
            flash(_("%(file)s marked as reviewed.", file=report.filename), "success")
            if form.back.data == "customer" and report.customer_id:
                return redirect(
                    url_for("customers.detail", customer_id=report.customer_id, _anchor="reports")
                )
            return redirect(
                url_for("reports.index", period=report.period, _anchor=f"report-{report.id}")
            )
    page = render_template(
        "reports/review.html", report=report, form=form, latest=reviews.review_of(report)
    )
    return page, status


def _zip_response(reports, filters: dict | None):
    services.audit_zip(acting_user(), reports)
    entries = [(r.path, r.size) for r in reports]
    name = services.zip_name(filters, reports)
    return Response(
        services.zip_stream(entries),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _refused(error: DomainError, filters: dict):
    flash(error.message, "warning")
    args = {k: filters[k] for k in FILTER_KEYS if filters.get(k) not in (None, "")}
    return redirect(url_for("reports.index", **args))


@bp.get("/zip")
@login_required
def zip_all():
    """Every report matching the filters (a period is required) as one streamed ZIP."""
    filters = load_filters(ReportFilterSchema())
    try:
        reports = services.zip_reports(acting_user(), filters=filters)
    except (InvalidInput, NotFound) as error:
        return _refused(error, filters)
    return _zip_response(reports, filters)


@bp.post("/zip")
@login_required
def zip_selected():
    """The ticked reports as one streamed ZIP."""
    ids = []
    for value in request.form.getlist("ids"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    try:
        reports = services.zip_reports(acting_user(), ids=ids)
    except (InvalidInput, NotFound) as error:
        return _refused(error, {})
    return _zip_response(reports, None)


@bp.get("/customers/<id:customer_id>/download")
@login_required
def customer_download(customer_id: int):
    """The customer's report of ?period= (default: the latest listing month), made on demand."""
    customer = get_customer(acting_user(), customer_id)
    text = request.args.get("period", "").strip()
    if not text:
        months = listing_months(1)
        text = months[0].code if months else ""
    try:
        period = PeriodField().deserialize(text) if text else None
        problem = None if period else _("Choose a period such as 2026-10.")
    except ValidationError as error:
        period, problem = None, " ".join(map(str, error.messages))
    if period is None:
        flash(problem, "warning")
        return redirect(url_for("customers.detail", customer_id=customer.id, _anchor="reports"))
    try:
        report = services.ensure_customer_report(acting_user(), customer.id, period)
    except InvalidInput as error:
        flash(error.message, "warning")
        return redirect(url_for("customers.detail", customer_id=customer.id, _anchor="reports"))
    return _send(report)
