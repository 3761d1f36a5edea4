"""HTML pages: the officer dashboard and the supervisor's team dashboard.

The headline figures and tables are rendered here from the same service the JSON API serves
(aoapp/dashboards/services.py), so the page reads without JavaScript; the charts are drawn by
static/dashboards.js from the API itself (the page names its URL in `data-dashboard-api`).
"""

from datetime import date
from decimal import Decimal

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from marshmallow import fields, validate

from aoapp.agenda.team import team_branches
from aoapp.auth.models import Role
from aoapp.common.dates import bank_today
from aoapp.common.forms import load_filters
from aoapp.common.i18n import format_number
from aoapp.common.schemas import BaseSchema, Id
from aoapp.customers.services import visible_officers
from aoapp.dashboards import links, services
from aoapp.errors import InvalidInput
from aoapp.reports.periods import parse_period

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")

MONTHS_OFFERED = 24  # the month selector's reach back from the current month


class PageArgsSchema(BaseSchema):
    """The dashboards' query arguments; a bad value is ignored (the default is shown)."""

    period = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))
    officer = Id(load_default=None)
    branch = Id(load_default=None)
    from_ = fields.Date(load_default=None, data_key="from")
    to = fields.Date(load_default=None)


def _me():
    return current_user._get_current_object()


def _months(chosen, today: date) -> list:
    """The month selector's choices, newest first: the last MONTHS_OFFERED months (and the one
    shown, when it is older)."""
    year, month = today.year, today.month
    months = []
    for _ in range(MONTHS_OFFERED):
        months.append(parse_period(f"{year:04d}-{month:02d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    if chosen.code not in {m.code for m in months}:
        months.append(chosen)
    return months


def _neighbours(period) -> tuple[str, str]:
    """The codes of the months before and after `period`."""
    before = date(period.start.year, period.start.month, 1).toordinal() - 1
    after = period.end.toordinal() + 1
    return f"{date.fromordinal(before):%Y-%m}", f"{date.fromordinal(after):%Y-%m}"


@bp.app_template_filter("points")
def points(change) -> str:
    """A change of a ratio in percentage points: 0.0123 → 1.23 points."""
    return f"{format_number(abs(Decimal(str(change))) * 100, 2)} points"


@bp.get("/")
@login_required
def officer():
    """An officer's dashboard for a month (supervisors and admins: `?officer=<id>`)."""
    args = load_filters(PageArgsSchema())
    if current_user.role != Role.OFFICER and args["officer"] is None:
        return redirect(url_for("dashboards.team", period=args["period"]))
    today = bank_today()
    dashboard = services.officer_dashboard(_me(), args["officer"], args["period"], today=today)
    officer_id = dashboard.officer.id
    own = officer_id == current_user.id
    period = dashboard.period
    return render_template(
        "dashboards/officer.html",
        d=dashboard,
        own=own,
        today=today,
        months=_months(period, today),
        neighbours=_neighbours(period),
        officers=[] if own else visible_officers(_me()),
        links=links.portfolio_links(officer_id, None, dashboard.as_of)
        | links.activity_links(officer_id, period, dashboard.as_of)
        | links.live_links(officer_id, own, today),
        targets_url=None if own else links.targets_link(period),
        api_url=_api_url("officer", period=period.code, officer_id=None if own else officer_id),
    )


@bp.get("/team")
@login_required
def team():
    """The team dashboard of a supervisor (their branches, or `?branch=<id>`) or an admin (the
    bank, or one branch): one row per officer, trends and the Kol migration matrix."""
    if current_user.role == Role.OFFICER:
        return redirect(url_for("dashboards.officer"))
    args = load_filters(PageArgsSchema())
    today = bank_today()
    migration_error = None
    try:
        dashboard = services.team_dashboard(
            _me(), args["branch"], args["period"], args["from_"], args["to"], today=today
        )
    except InvalidInput as error:  # a migration date that is not one of the scope's month-ends
        migration_error = error.message
        dashboard = services.team_dashboard(_me(), args["branch"], args["period"], today=today)
    period = dashboard.period
    return render_template(
        "dashboards/team.html",
        d=dashboard,
        today=today,
        months=_months(period, today),
        neighbours=_neighbours(period),
        branches=team_branches(_me())[0],
        row_links={
            row.officer_id: links.team_row_links(row.officer_id, dashboard)
            for row in dashboard.officers
        },
        total_links=links.team_row_links(None, dashboard),
        migration_error=migration_error,
        api_url=_api_url(
            "team",
            period=period.code,
            branch_id=dashboard.scope.branch_id,
            **({} if migration_error else {"from": _iso(args["from_"]), "to": _iso(args["to"])}),
        ),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _api_url(kind: str, **args) -> str:
    """The dashboard API's URL for the same figures (what the charts are drawn from)."""
    endpoint = {"officer": "OfficerDashboard", "team": "TeamDashboard"}[kind]
    return url_for(f"dashboard_api.{endpoint}", **{k: v for k, v in args.items() if v is not None})
