"""Reports API: list (scoped, filtered, paginated), generate one report, read, download.

Scoped like the pages: a report, customer, officer or branch outside the caller's reach answers
404. A supervisor of the customer's branch (or an admin) reviews a customer's report of a period;
each report carries its period's latest review. Generating a report already made returns it with 200 (201 when it was made now) unless
`force`. Downloads are audited.
"""

from flask import send_file
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.i18n import default_locale
from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.reports import reviews, services
from aoapp.reports.models import ReportKind
from aoapp.reports.schemas import (
    ReportFilterSchema,
    ReportRequestSchema,
    ReportSchema,
    ReviewRequestSchema,
    ReviewSchema,
)

reports_blp = Blueprint(
    "reports_api", __name__, url_prefix="/reports", description="Excel analytic reports"
)

ReportPageSchema = page_schema(ReportSchema, "ReportPage")


@reports_blp.route("")
class Reports(MethodView):
    """Generated reports the caller may see."""

    decorators = [login_required]

    @reports_blp.arguments(ReportFilterSchema, location="query", unknown=RAISE)
    @reports_blp.response(200, ReportPageSchema)
    def get(self, filters):
        """List reports, newest period first (portfolios first, then by branch, officer, CIF).

        Filters: period, kind, scope, branch_id, officer_id, customer_id, q (CIF or name);
        sort `period`, `generated_at`, `as_of`, `size` (`-` for descending); page, per_page.
        """
        return services.list_reports(acting_user(), filters, filters["per_page"])

    @reports_blp.arguments(ReportRequestSchema)
    @reports_blp.response(201, ReportSchema)
    @reports_blp.alt_response(200, schema=ReportSchema, description="Already generated")
    @reports_blp.alt_response(403, response="FORBIDDEN")
    @reports_blp.alt_response(404, response="NOT_FOUND")
    def post(self, data):
        """Generate one report: a customer's, or the portfolio of an officer, a branch or the
        bank (admins; neither officer nor branch given). A period without imported positions
        answers 422. The workbook is in `lang` (`id` or `en`; default the bank's language,
        whatever Accept-Language says: only error messages follow it)."""
        me = acting_user()
        lang, bank = data["lang"], default_locale()
        if data["kind"] == ReportKind.CUSTOMER:
            report, generated = services.customer_report(
                me, data["customer_id"], data["period"], data["force"], lang, bank
            )
        else:
            scope = (
                "officer"
                if data["officer_id"] is not None
                else "branch"
                if data["branch_id"] is not None
                else "bank"
            )
            report, generated = services.portfolio_report(
                me,
                data["period"],
                scope,
                data["officer_id"],
                data["branch_id"],
                data["force"],
                lang,
                bank,
            )
        return report, 201 if generated else 200


@reports_blp.route("/<id:report_id>")
class ReportResource(MethodView):
    """One report."""

    decorators = [login_required]

    @reports_blp.response(200, ReportSchema)
    @reports_blp.alt_response(404, response="NOT_FOUND")
    def get(self, report_id):
        """Read a report's record (what it covers, its file, who generated it when)."""
        return services.get_report(acting_user(), report_id)


@reports_blp.route("/<id:report_id>/download")
class ReportDownload(MethodView):
    """The report's workbook."""

    decorators = [login_required]

    @reports_blp.response(200, content_type=services.XLSX_MIMETYPE, description="The workbook")
    @reports_blp.alt_response(404, response="NOT_FOUND")
    def get(self, report_id):
        """Download the report's .xlsx file (audited)."""
        report = services.get_report(acting_user(), report_id)
        path = services.download(acting_user(), report)
        return send_file(
            path,
            mimetype=services.XLSX_MIMETYPE,
            as_attachment=True,
            download_name=services.download_name(report),
            max_age=0,
        )


@reports_blp.route("/<id:report_id>/review")
class ReportReviewResource(MethodView):
    """The review of a customer's report of a period."""

    decorators = [login_required]

    @reports_blp.arguments(ReviewRequestSchema, required=False)
    @reports_blp.response(201, ReviewSchema)
    @reports_blp.alt_response(403, response="FORBIDDEN")
    @reports_blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, report_id):
        """Mark the customer's report of its period as reviewed, with a note (a supervisor of
        the customer's branch or an admin; officers 403; audited). The next generation of the
        workbook names it on the monitoring report."""
        return reviews.review_report(acting_user(), report_id, data["note"])
