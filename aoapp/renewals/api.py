"""Renewals API: the pipeline (scoped, filtered, sorted by maturity), one opportunity, its changes
(a stage, an outcome, a supervisor's top-up exception) and the month's figures — the same as the
dashboards and the portfolio workbook's Renewals sheet."""

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.dates import bank_today, month_bounds
from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.renewals import services
from aoapp.renewals.figures import figures_report
from aoapp.renewals.schemas import (
    FiguresArgsSchema,
    FiguresReportSchema,
    RenewalChangeSchema,
    RenewalFilterSchema,
    RenewalSchema,
)

renewals_blp = Blueprint(
    "renewals_api", __name__, url_prefix="/renewals", description="Renewal opportunities"
)
RenewalPageSchema = page_schema(RenewalSchema, "RenewalPage")


@renewals_blp.route("")
class Renewals(MethodView):
    """Renewal opportunities of the customers the caller may see."""

    decorators = [login_required]

    @renewals_blp.arguments(RenewalFilterSchema, location="query", unknown=RAISE)
    @renewals_blp.response(200, RenewalPageSchema)
    def get(self, filters):
        """List opportunities by maturity date.

        Filters: `officer` (user id), `stage` (a stage or `open`), `window` (30, 60, 90: maturing
        within that many days, matured ones included), `kind` (loan, deposit), `topup` (open loans
        within the DPD/Kol limits, or allowed by a supervisor), `awaiting` (outcomes a listing
        proposed, not yet confirmed). Loans carry a `facility`, deposits an `account`.
        """
        return services.list_opportunities(acting_user(), filters, filters["per_page"])


@renewals_blp.route("/<id:renewal_id>")
class RenewalResource(MethodView):
    """One renewal opportunity."""

    decorators = [login_required]

    @renewals_blp.response(200, RenewalSchema)
    def get(self, renewal_id):
        """Read an opportunity with the latest listing's facts (outstanding or balance, DPD)."""
        return services.get_opportunity(acting_user(), renewal_id)

    @renewals_blp.arguments(RenewalChangeSchema, required=False)  # {} is refused: one change
    @renewals_blp.response(200, RenewalSchema)
    def patch(self, data, renewal_id):
        """Move the `stage` (to_contact, in_discussion, proposed), or record the `outcome`
        (renewed, topped_up with `new_plafond`, paid_off_retained, paid_off_lost with
        `lost_reason`; deposits rolled_over, withdrawn), which also confirms or corrects an
        outcome a listing proposed; or (the branch supervisor) `topup_allowed`.

        The customer's officer or the branch supervisor; a confirmed outcome is final (409), as
        is a stale `version`.
        """
        actor = acting_user()
        opportunity = services.get_opportunity(actor, renewal_id)
        services.change(actor, opportunity, data)
        return services.get_opportunity(actor, renewal_id)


@renewals_blp.route("/figures")
class RenewalFiguresResource(MethodView):
    """The month's renewal figures of a scope, and each officer's."""

    decorators = [login_required]

    @renewals_blp.arguments(FiguresArgsSchema, location="query", unknown=RAISE)
    @renewals_blp.response(200, FiguresReportSchema)
    @renewals_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Opportunities maturing in `month` (YYYY-MM, default: this month) and their outcomes:
        renewal rate = (renewed + topped up) / settled loans, top-up amount, lost customers and
        their reasons; an officer their own, a supervisor their branches, an admin the bank."""
        start, end = args["month"] or month_bounds(bank_today())
        return figures_report(acting_user(), start, end, args["officer"], args["branch"])
