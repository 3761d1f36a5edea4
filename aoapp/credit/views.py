"""HTML pages of credit monitoring: the portfolio (figures and facilities), its CSV, the watchlist."""

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_login import login_required

from aoapp.common.forms import load_filters
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import acting_user
from aoapp.credit import portfolio as service
from aoapp.credit.collectibility import AGING_BUCKETS, KOLS, load_bands
from aoapp.credit.figures import as_of_dates, latest_as_of, resolve_scope
from aoapp.credit.schemas import FacilityFilterSchema, WatchlistArgsSchema
from aoapp.credit.watchlist import SEVERITY, SIGNALS, scope_watchlist

bp = Blueprint("credit", __name__, url_prefix="/portfolio")


@bp.get("/")
@login_required
def portfolio():
    """The portfolio on a listing date: figures and the filtered, sorted facility table."""
    filters = load_filters(FacilityFilterSchema())
    view = service.portfolio(acting_user(), filters, HTML_PER_PAGE)
    export_args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return render_template(
        "credit/portfolio.html",
        view=view,
        figures=view.figures,
        page=view.page,
        filters=filters,
        choices=service.filter_choices(acting_user()),
        kols=KOLS,
        bands={band.kol: band for band in load_bands()},
        buckets=AGING_BUCKETS,
        export_url=url_for("credit.export_csv", **export_args),
    )


@bp.get("/export.csv")
@login_required
def export_csv():
    """Every facility of the filtered listing (not only one page), as CSV for Excel."""
    filters = load_filters(FacilityFilterSchema())
    as_of, rows = service.export_facilities(acting_user(), filters)
    filename = f"portfolio-{as_of:%Y%m%d}.csv" if as_of else "portfolio.csv"
    return Response(
        stream_with_context(service.facilities_csv(rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/watchlist", endpoint="watchlist")
@login_required
def watchlist_page():
    """The accounts of the portfolio with early-warning signals on a listing date, one row per
    account with all its reasons, by severity then exposure."""
    args = load_filters(WatchlistArgsSchema())
    scope = resolve_scope(acting_user(), args["officer"], args["branch"])
    as_of = args["as_of"] or latest_as_of(scope)
    page = scope_watchlist(
        scope,
        as_of,
        signals=[args["signal"]] if args["signal"] else None,
        page=args["page"],
        per_page=HTML_PER_PAGE,
    )
    return render_template(
        "credit/watchlist.html",
        page=page,
        args=args,
        scope=scope,
        as_of=as_of,
        dates=as_of_dates(scope),
        signals=SIGNALS,
        severity=SEVERITY,
        choices=service.filter_choices(acting_user()),
    )
