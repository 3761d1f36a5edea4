"""Credit monitoring API: facilities with their positions, portfolio figures, the watchlist.

Everything is read-only and scoped like the pages: an officer their own portfolio, a supervisor
the branches they supervise, an admin the bank. An officer or branch outside that scope, and a
facility outside it, answer 404. Unknown query arguments answer 422.
"""

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.credit import portfolio
from aoapp.credit.figures import portfolio_figures
from aoapp.credit.schemas import (
    FacilityDetailSchema,
    FacilityFilterSchema,
    FacilityRowSchema,
    PortfolioFiguresSchema,
    ScopeArgsSchema,
    WatchlistArgsSchema,
    WatchlistEntrySchema,
)
from aoapp.credit.watchlist import watchlist

facilities_blp = Blueprint(
    "facilities_api", __name__, url_prefix="/facilities", description="Credit facilities"
)
portfolio_blp = Blueprint(
    "portfolio_api", __name__, url_prefix="/portfolio", description="Portfolio figures"
)
watchlist_blp = Blueprint(
    "watchlist_api", __name__, url_prefix="/watchlist", description="Early-warning watchlist"
)

FacilityPageSchema = page_schema(FacilityRowSchema, "FacilityPage")
WatchlistPageSchema = page_schema(WatchlistEntrySchema, "WatchlistPage")


@facilities_blp.route("")
class Facilities(MethodView):
    """The facilities of a portfolio on a listing date."""

    decorators = [login_required]

    @facilities_blp.arguments(FacilityFilterSchema, location="query", unknown=RAISE)
    @facilities_blp.response(200, FacilityPageSchema)
    @facilities_blp.alt_response(404, response="NOT_FOUND")
    def get(self, filters):
        """List facilities with their position on `as_of` (default: the latest listing).

        Filters: officer, branch, kol (effective), kol_min, dpd_min, bucket, product, watchlist,
        restructured, q; sort; page, per_page.
        """
        return portfolio.list_facilities(acting_user(), filters, filters["per_page"])


@facilities_blp.route("/<id:facility_id>")
class FacilityResource(MethodView):
    """One facility."""

    decorators = [login_required]

    @facilities_blp.response(200, FacilityDetailSchema)
    @facilities_blp.alt_response(404, response="NOT_FOUND")
    def get(self, facility_id):
        """Read a facility with every position, newest first."""
        return portfolio.get_facility(acting_user(), facility_id)


@portfolio_blp.route("/summary")
class PortfolioSummary(MethodView):
    """Portfolio figures."""

    decorators = [login_required]

    @portfolio_blp.arguments(ScopeArgsSchema, location="query", unknown=RAISE)
    @portfolio_blp.response(200, PortfolioFiguresSchema)
    @portfolio_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Total outstanding, counts, Kol distribution, NPL, LaR, PAR 30/60/90 and aging.

        The same figures as the portfolio page. Money is a string; ratios are strings with
        4 decimals (0.0325 = 3.25 %).
        """
        return portfolio_figures(acting_user(), args["as_of"], args["officer"], args["branch"])


@watchlist_blp.route("")
class Watchlist(MethodView):
    """Accounts with early-warning signals."""

    decorators = [login_required]

    @watchlist_blp.arguments(WatchlistArgsSchema, location="query", unknown=RAISE)
    @watchlist_blp.response(200, WatchlistPageSchema)
    @watchlist_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """The accounts with signals on `as_of` (default: the latest listing), with reasons.

        One entry per account (a facility's position) with all its signals in `signals`
        (signal, label, reason, date), sorted by severity — the effective (debtor) Kol, 5 first
        — then by exposure (outstanding), largest first. `signal` filters the accounts carrying
        that signal; their other signals are listed too. Until this version the list had one
        entry per signal, newest first; `signal`, `reason` and `date` remain: the first signal,
        every reason in one text, the newest signal's date.
        """
        return watchlist(
            acting_user(),
            args["as_of"],
            args["officer"],
            args["branch"],
            signals=[args["signal"]] if args["signal"] else None,
            page=args["page"],
            per_page=args["per_page"],
        )
