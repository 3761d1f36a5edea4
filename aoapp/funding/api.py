"""Funding and relationship figures API: the same figures as the dashboards and the portfolio
workbook, scoped as `/api/v1/portfolio/summary` (the same arguments, the same reach: an officer
their own, a supervisor their branches, an admin the bank; an officer or branch out of reach is
404). Read-only; unknown arguments answer 422.
"""

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.views import acting_user
from aoapp.credit.schemas import ScopeArgsSchema
from aoapp.funding.figures import funding_summary
from aoapp.funding.relationship import relationship_summary
from aoapp.funding.schemas import (
    FundingSummarySchema,
    RelationshipArgsSchema,
    RelationshipSummarySchema,
)

funding_blp = Blueprint(
    "funding_api", __name__, url_prefix="/funding", description="Funding (DPK) figures"
)
relationship_blp = Blueprint(
    "relationship_api",
    __name__,
    url_prefix="/relationship",
    description="Cross-sell and retention figures",
)


@funding_blp.route("/summary")
class FundingSummary(MethodView):
    """Third-party funds (DPK) of a portfolio."""

    decorators = [login_required]

    @funding_blp.arguments(ScopeArgsSchema, location="query", unknown=RAISE)
    @funding_blp.response(200, FundingSummarySchema)
    @funding_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """DPK by kind, CASA ratio, growth, deposits maturing and run-off.

        Figures of the last deposits listing on or before `as_of` (default: the newest); the
        deposits maturing within 7 and 30 days are counted from `as_of` (default: today). Money
        is a string; ratios are strings with 4 decimals (0.6500 = 65 %), null without funds.
        """
        return funding_summary(acting_user(), args["as_of"], args["officer"], args["branch"])


@relationship_blp.route("/summary")
class RelationshipSummary(MethodView):
    """Products per customer, funding of borrowers, credit of depositors, retention."""

    decorators = [login_required]

    @relationship_blp.arguments(RelationshipArgsSchema, location="query", unknown=RAISE)
    @relationship_blp.response(200, RelationshipSummarySchema)
    @relationship_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Cross-sell of the scope's customers on `as_of` (default: today), from the last loan
        and deposits listings on or before it; with `from`, the retention since that day.

        Null figures: nothing to measure (no deposits listing on or before the day, or no
        customers).
        """
        return relationship_summary(
            acting_user(), args["as_of"], args["officer"], args["branch"], args["from_"]
        )
