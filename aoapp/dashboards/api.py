"""Dashboard API: the data behind the officer's and the supervisor's dashboards and their charts.

`GET /api/v1/dashboard/officer?period=YYYY-MM&officer_id=N` and
`GET /api/v1/dashboard/team?period=YYYY-MM&branch_id=N&from=YYYY-MM-DD&to=YYYY-MM-DD`, in the
shape of the issue-6 brief (aoapp/dashboards/schemas.py). Additions to that shape, nothing
removed or renamed: trend points also carry `npl_outstanding` and `par30_outstanding`, the
portfolio block `par30_outstanding`, the migration block `column_totals` ([{to_kol, count,
outstanding}]) and `total` ({count, outstanding}); migration `cells` list every (from, to) pair,
zeros included, row by row (from Kol 1–5 then new = null, to Kol 1–5); both dashboards `funding`
and `relationship`, the shapes of `/api/v1/funding/summary` and `/api/v1/relationship/summary` for
the month (its month-end deposits listing, retention over the month). Targets: `target` and
`actual` are strings by kind (count "5", money "1234.50", ratio "0.0300"), null when no target is
set / the month's listing is not in yet; `month` is "YYYY-MM".

Money is a string with 2 places, ratios strings with 4 (null where there is nothing to rate),
dates ISO. The API answers codes (`key`, `status`, `kol`); the few `label`/`name` fields are
English whatever the Accept-Language (the pages show their words in the reader's language, and
the charts take theirs from the page); only error messages follow Accept-Language. An officer sees only their own dashboard (another officer's id: 404) and has no team
dashboard (404); a supervisor the officers and branches they supervise, an admin any, both naming
the officer (`officer_id` missing: 422). A period that is not a month, or a migration date that
is not a month-end listing of the scope (or `from` not before `to`), answers 422.
"""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.dashboards import services
from aoapp.dashboards.schemas import (
    OfficerArgsSchema,
    OfficerDashboardSchema,
    TeamArgsSchema,
    TeamDashboardSchema,
)

dashboard_blp = Blueprint(
    "dashboard_api", __name__, url_prefix="/dashboard", description="Dashboards"
)


@dashboard_blp.route("/officer")
class OfficerDashboard(MethodView):
    """One officer's dashboard."""

    decorators = [login_required]

    @dashboard_blp.arguments(OfficerArgsSchema, location="query", unknown=RAISE)
    @dashboard_blp.response(200, OfficerDashboardSchema)
    @dashboard_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Portfolio on the month's as-of date, live follow-ups and complaints, pipeline,
        targets and the 12-month trend."""
        return services.officer_dashboard(current_user, args["officer_id"], args["period"])


@dashboard_blp.route("/team")
class TeamDashboard(MethodView):
    """A supervisor's or admin's team dashboard."""

    decorators = [login_required]

    @dashboard_blp.arguments(TeamArgsSchema, location="query", unknown=RAISE)
    @dashboard_blp.response(200, TeamDashboardSchema)
    @dashboard_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """One row per officer (the portfolio workbook's Officers sheet, with live complaints
        and target achievement), totals, the scope's portfolio, trend and Kol migration."""
        return services.team_dashboard(
            current_user,
            args["branch_id"],
            args["period"],
            args["migration_from"],
            args["migration_to"],
        )
