"""HTML pages: the officer dashboard and the supervisor's team dashboard.

The headline figures and tables are rendered here from the same service the JSON API serves
(aoapp/dashboards/services.py), so the page reads without JavaScript. The charts are drawn by
static/dashboards.js from the API's own JSON for the blocks they show, which the page carries in
its `data-charts-json` attribute: one computation per view, not one for the page and another for
the charts' request (the page still names the API's URL, `data-dashboard-api`).
"""

from datetime import date
from decimal import Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import fields, validate

from aoapp.agenda.team import team_branches
from aoapp.auth.models import Role
from aoapp.common.dates import bank_today
from aoapp.common.forms import load_filters
from aoapp.common.i18n import CURRENCY, format_number, locale_code
from aoapp.common.schemas import BaseSchema, Id
from aoapp.common.templating import label
from aoapp.common.views import acting_user
from aoapp.credit.collectibility import KOLS, kol_name, load_bands
from aoapp.customers.services import visible_officers
from aoapp.dashboards import links, services
from aoapp.dashboards.columns import ALL, DEFAULT_GROUP, GROUPS, team_columns
from aoapp.dashboards.schemas import Month, OfficerDashboardSchema, TeamDashboardSchema
from aoapp.errors import InvalidInput
from aoapp.kpis.periods import parse_period
from aoapp.targets.achievement import METRICS
from aoapp.targets.services import month_label

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")

MONTHS_OFFERED = 24  # the month selector's reach back from the current month
CHART_BLOCKS = ("portfolio", "pipeline", "targets", "trend")  # what static/dashboards.js draws
_CHART_SCHEMAS = {
    kind: schema(only=[block for block in CHART_BLOCKS if block in schema._declared_fields])
    for kind, schema in (("officer", OfficerDashboardSchema), ("team", TeamDashboardSchema))
}


def chart_data(kind: str, dashboard) -> dict:
    """The blocks of the dashboard API's answer that the charts draw, exactly as the API
    serialises them (the officers' rows and the migration matrix are tables only)."""
    return _CHART_SCHEMAS[kind].dump(dashboard)


class PageArgsSchema(BaseSchema):
    """The dashboards' query arguments; a bad value is ignored (the default is shown)."""

    period = Month(as_code=True, load_default=None)
    officer = Id(load_default=None)
    branch = Id(load_default=None)
    from_ = fields.Date(load_default=None, data_key="from")
    to = fields.Date(load_default=None)
    cols = fields.String(
        load_default=None, validate=validate.OneOf([key for key, _label in GROUPS] + [ALL])
    )


def _months(chosen, today: date) -> list:
    """The month selector's choices, newest first: the last MONTHS_OFFERED months (and the one
    shown, when it is older)."""
    year, month = today.year, today.month
    months = []
    for _step in range(MONTHS_OFFERED):
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
    """A change of a ratio in percentage points: 0.0123 → 1.23 points (1,23 poin)."""
    return _("%(n)s points", n=format_number(abs(Decimal(str(change))) * 100, 2))


@bp.app_template_filter("month_label")
def month_name(period) -> str:
    """A month (a Period or a date) in the reader's language: October 2026, Oktober 2026."""
    return month_label(getattr(period, "start", period))


def kol_names() -> dict[int, str]:
    """The Kol names in the reader's language (Lancar … Macet, Current … Loss)."""
    bands = load_bands()
    return {kol: kol_name(kol, bands, locale_code()) for kol in KOLS}


def script_texts(kols: dict[int, str], statuses=()) -> dict:
    """Every word and number format the charts script (static/dashboards.js) shows, in the
    reader's language: the page hands them over in its `data-i18n` attribute."""
    locale = locale_code()
    return {
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
        "currency": CURRENCY[locale],
        # Short scale for axis ticks, largest first: jt (juta) and M (miliar) in Indonesian.
        "scale": [
            [10**12, _("%(n)sT")],
            [10**9, _("%(n)sB")],
            [10**6, _("%(n)sM")],
            [10**3, _("%(n)sK")],
        ],
        "outstanding": _("Outstanding"),
        "npl_ratio": _("NPL ratio"),
        "par30": _("PAR 30"),
        "prospects": _("Prospects"),
        "achievement": _("Achievement"),
        "no_target": _("No target"),
        "kol": {
            str(kol): _("Kol %(kol)s · %(name)s", kol=kol, name=name) for kol, name in kols.items()
        },
        "statuses": {code: label(code) for code in statuses},
        "metrics": {metric.key: str(metric.label) for metric in METRICS},
        "sorted_ascending": _("Sorted by %(column)s, ascending."),
        "sorted_descending": _("Sorted by %(column)s, descending."),
        "failed": _("The charts could not be loaded; the tables show the same figures."),
    }


@bp.get("/")
@login_required
def officer():
    """An officer's dashboard for a month (supervisors and admins: `?officer=<id>`)."""
    args = load_filters(PageArgsSchema())
    if current_user.role != Role.OFFICER and args["officer"] is None:
        return redirect(url_for("dashboards.team", period=args["period"]))
    today = bank_today()
    dashboard = services.officer_dashboard(
        acting_user(), args["officer"], args["period"], today=today
    )
    officer_id = dashboard.officer.id
    own = officer_id == current_user.id
    period = dashboard.period
    kols = kol_names()
    statuses = [row.status for row in dashboard.pipeline.statuses]
    return render_template(
        "dashboards/officer.html",
        d=dashboard,
        kol_names=kols,
        texts=script_texts(kols, statuses),
        own=own,
        today=today,
        months=_months(period, today),
        neighbours=_neighbours(period),
        officers=[] if own else visible_officers(acting_user()),
        links=links.portfolio_links(officer_id, None, dashboard.as_of)
        | links.activity_links(officer_id, period, dashboard.as_of)
        | links.live_links(officer_id, own, today),
        targets_url=None if own else links.targets_link(period),
        api_url=_api_url("officer", period=period.code, officer_id=None if own else officer_id),
        charts=chart_data("officer", dashboard),
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
            acting_user(), args["branch"], args["period"], args["from_"], args["to"], today=today
        )
    except InvalidInput as error:  # a migration date that is not one of the scope's month-ends
        migration_error = error.message
        dashboard = services.team_dashboard(
            acting_user(), args["branch"], args["period"], today=today
        )
    period = dashboard.period
    kols = kol_names()
    return render_template(
        "dashboards/team.html",
        d=dashboard,
        kol_names=kols,
        texts=script_texts(kols),
        today=today,
        months=_months(period, today),
        neighbours=_neighbours(period),
        branches=team_branches(acting_user())[0],
        row_links={
            row.officer_id: links.team_row_links(row.officer_id, dashboard)
            for row in dashboard.officers
        },
        total_links=links.team_row_links(None, dashboard),
        columns=team_columns(),  # the figure columns of the team table and their groups
        column_groups=[*GROUPS, (ALL, _("All columns"))],
        cols=args["cols"],
        default_cols=DEFAULT_GROUP,
        migration_error=migration_error,
        charts=chart_data("team", dashboard),
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
