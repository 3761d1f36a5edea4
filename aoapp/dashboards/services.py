"""The officer's and the supervisor's dashboards: what both show, from the one source of figures.

A dashboard is read for a month P (default: the bank's current month) on the listing date A: the
scope's last listing date on or before P's end (a month-end listing: the last of its month).
Portfolio figures are credit/figures.py's on A; their changes are since the previous month-end
listing (credit/figures.previous_month_end, the date the portfolio workbook's Kol migration starts
from). Officer KPIs are kpis/officers.py's, called exactly as the portfolio workbook's Officers
sheet calls them, so the team table equals that sheet for the same period and date. Targets are
targets/achievement.py's, the funding and relationship blocks dashboards/funding.py's, the
satisfaction block surveys/figures.py's (the month's answers). Every
state (promises, the watchlist, follow-ups due and overdue, open and overdue complaints) is judged
as of the month's judging day (kpis/periods.judging_day): its last day for a past month, so the
page for a past month says what its workbook says; the bank's today for the current month.

Each dashboard runs a fixed number of queries, whatever the number of officers or facilities,
on the replica when there is one (common/replica.py: a dashboard only reads).
"""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from aoapp.auth.models import Role, User
from aoapp.common.dates import bank_today
from aoapp.common.replica import reading_from_replica
from aoapp.credit.figures import (
    PortfolioFigures,
    PortfolioScope,
    previous_month_end,
    resolve_scope,
    scope_figures,
)
from aoapp.dashboards import queries
from aoapp.dashboards.funding import FundingView, funding_view
from aoapp.dashboards.migration import MigrationView, migration_between
from aoapp.dashboards.queries import TrendPoint, Workload
from aoapp.errors import InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.officers import OfficerKpis, OfficerRef, kpi_totals, officer_kpis, scope_officers
from aoapp.kpis.periods import MONTH_FORMS, Period, judging_day, parse_month
from aoapp.renewals.figures import RenewalFigures, renewal_figures
from aoapp.reports.portfolio.data import pipeline
from aoapp.surveys.figures import SatisfactionReport, satisfaction_report
from aoapp.targets.achievement import Achievement, officer_achievements, total_achievement

PAR_DAYS = 30
COMMENTS = 5  # the latest survey comments a dashboard shows (the workbook lists them all)


@dataclass(frozen=True)
class PortfolioView:
    """A scope's figures on A, their change since the previous month-end, the watchlist count."""

    figures: PortfolioFigures
    npl_ratio_change: Decimal | None
    par30_ratio_change: Decimal | None
    watchlist: int

    @property
    def par30_outstanding(self) -> Decimal:
        """Outstanding with DPD > 30."""
        return next(row.outstanding for row in self.figures.par if row.days == PAR_DAYS)

    @property
    def par30_ratio(self) -> Decimal:
        """PAR 30 ratio."""
        return self.figures.par_ratio(PAR_DAYS)


@dataclass(frozen=True)
class StatusCount:
    """Prospects in one pipeline status."""

    status: str
    count: int


@dataclass(frozen=True)
class PipelineView:
    """The officer's prospects by status, and the month's collected/converted KPIs."""

    on: date
    statuses: tuple[StatusCount, ...]
    collected: int
    converted: int
    conversion_rate: Decimal | None


@dataclass(frozen=True)
class OfficerDashboard:
    """Everything the officer dashboard shows."""

    officer: OfficerRef
    period: Period
    as_of: date | None
    previous_as_of: date | None
    portfolio: PortfolioView
    kpis: OfficerKpis
    workload: Workload
    pipeline: PipelineView
    targets: Achievement
    trend: list[TrendPoint]
    funding_view: FundingView
    renewals: RenewalFigures  # renewals/figures.py: the opportunities maturing in the month
    satisfaction: SatisfactionReport | None = None  # surveys/figures.py's, for the month

    @property
    def as_of_in_period(self) -> bool:
        """Whether A is a listing of the period itself (else the figures are of an earlier one)."""
        return self.as_of is not None and self.period.start <= self.as_of <= self.period.end


@dataclass(frozen=True)
class TeamRow(OfficerKpis):
    """One officer's KPIs with their live complaints and target achievement (or the totals)."""

    complaints_open: int = 0
    complaints_overdue: int = 0
    achievement: Achievement | None = None

    @property
    def target_achievement(self) -> Decimal | None:
        """The overall achievement of the month's targets."""
        return self.achievement.overall if self.achievement else None


@dataclass(frozen=True)
class TeamDashboard:
    """Everything the supervisor dashboard shows."""

    scope: PortfolioScope
    period: Period
    as_of: date | None
    previous_as_of: date | None
    officers: list[TeamRow]
    totals: TeamRow
    portfolio: PortfolioView
    trend: list[TrendPoint]
    migration: MigrationView
    funding_view: FundingView
    renewals: RenewalFigures  # renewals/figures.py: the opportunities maturing in the month
    satisfaction: SatisfactionReport | None = None  # surveys/figures.py's, for the month

    @property
    def as_of_in_period(self) -> bool:
        """Whether A is a listing of the period itself."""
        return self.as_of is not None and self.period.start <= self.as_of <= self.period.end


def month_period(period: Period | str | None, today: date) -> Period:
    """The month asked for (a code or a Period), default the bank's current month."""
    if period is None:
        period = f"{today:%Y-%m}"
    if isinstance(period, str):
        return parse_month(period)
    if period.kind != "month":
        raise InvalidInput(
            _("Dashboards show one month: use a month such as 2026-10."),
            {"period": [str(MONTH_FORMS)]},
        )
    return period


def _portfolio(
    scope: PortfolioScope, as_of, previous, trend: list[TrendPoint], day: date
) -> PortfolioView:
    """The scope's figures on A; changes against the trend's point on the previous month-end;
    the watchlist judged as of `day`."""
    figures = scope_figures(scope, as_of)
    before = next((p for p in trend if previous is not None and p.as_of == previous), None)
    npl_change = par_change = None
    if before is not None:
        npl_change = figures.npl_ratio - before.npl_ratio
        par_change = figures.par_ratio(PAR_DAYS) - before.par30_ratio
    return PortfolioView(
        figures, npl_change, par_change, queries.watchlist_count(scope, as_of, day)
    )


def _dates(scope: PortfolioScope, period: Period) -> tuple[list[date], date | None, date | None]:
    """(month-end listings newest first, A, the previous month-end listing)."""
    ends = queries.month_ends(scope)
    as_of = next((day for day in ends if day <= period.end), None)
    previous = previous_month_end(as_of) if as_of is not None else None
    return ends, as_of, previous


def _trend(scope: PortfolioScope, ends: list[date], as_of: date | None) -> list[TrendPoint]:
    """The last 12 month-end points up to A, oldest first."""
    if as_of is None:
        return []
    return queries.trend(scope, [day for day in ends if day <= as_of][: queries.TREND_MONTHS])


def _kpis(scope: PortfolioScope, officers: list[OfficerRef], period: Period, as_of, day: date):
    """The officers' KPIs, called exactly as the portfolio workbook's Officers sheet does."""
    return officer_kpis(
        officers, period.start, period.end, as_of, condition=scope.condition, judged_on=day
    )


def _officer_ref(officer: User) -> OfficerRef:
    branch_code = officer.branch.code if officer.branch is not None else None
    return OfficerRef(
        officer.id, officer.username, officer.full_name or officer.username, branch_code
    )


@reading_from_replica()
def officer_dashboard(
    actor, officer_id: int | None = None, period_code: Period | str | None = None, today=None
) -> OfficerDashboard:
    """One officer's dashboard for a month; an officer sees only their own (another id is
    NotFound), a supervisor or admin names an officer they may see."""
    today = today or bank_today()
    period = month_period(period_code, today)
    if actor.role == Role.OFFICER and officer_id is None:
        officer_id = actor.id
    if officer_id is None:
        message = _("Choose an officer.")
        raise InvalidInput(message, {"officer_id": [message]})
    scope = resolve_scope(actor, officer_id)
    officer = db.session.get(User, officer_id)
    ref = _officer_ref(officer)
    day = judging_day(period, today)
    ends, as_of, previous = _dates(scope, period)
    trend = _trend(scope, ends, as_of)
    kpis = _kpis(scope, [ref], period, as_of, day)[0]
    achievement = officer_achievements([kpis], period, as_of, scope.condition)[officer.id]
    prospects = pipeline([officer.id], min(period.end, today))
    return OfficerDashboard(
        officer=ref,
        period=period,
        as_of=as_of,
        previous_as_of=previous,
        portfolio=_portfolio(scope, as_of, previous, trend, day),
        kpis=kpis,
        workload=queries.workloads([officer.id], day)[officer.id],
        pipeline=PipelineView(
            prospects.on,
            tuple(StatusCount(s, prospects.count(s)) for s in prospects.statuses),
            kpis.prospects_collected,
            kpis.prospects_converted,
            kpis.conversion_rate,
        ),
        targets=achievement,
        trend=trend,
        funding_view=funding_view(scope, period, as_of, day),
        satisfaction=satisfaction_report(scope, period.start, period.end, comment_limit=COMMENTS),
        renewals=renewal_figures(scope.condition, period.start, period.end),
    )


KPI_FIELDS = tuple(f.name for f in fields(OfficerKpis))  # read once: 2,000 rows bank-wide


def _team_row(kpis: OfficerKpis, workload: Workload, achievement: Achievement) -> TeamRow:
    values = {name: getattr(kpis, name) for name in KPI_FIELDS}
    return TeamRow(
        **values,
        complaints_open=workload.complaints_open,
        complaints_overdue=workload.complaints_overdue,
        achievement=achievement,
    )


@reading_from_replica()
def team_dashboard(
    actor,
    branch_id: int | None = None,
    period_code: Period | str | None = None,
    migration_from: date | None = None,
    migration_to: date | None = None,
    today=None,
) -> TeamDashboard:
    """A supervisor's (their branches, or one) or an admin's (the bank, or one branch) team
    dashboard; officers have none (NotFound), nor has anyone a branch outside their reach."""
    if actor.role == Role.OFFICER:
        raise NotFound()
    today = today or bank_today()
    period = month_period(period_code, today)
    scope = resolve_scope(actor, None, branch_id)
    day = judging_day(period, today)
    ends, as_of, previous = _dates(scope, period)
    migration = migration_between(scope, ends, as_of, previous, migration_from, migration_to)
    trend = _trend(scope, ends, as_of)
    kpis = _kpis(scope, scope_officers(scope, as_of), period, as_of, day)
    achievements = officer_achievements(kpis, period, as_of, scope.condition)
    loads = queries.workloads([row.officer_id for row in kpis], day)
    rows = [_team_row(r, loads[r.officer_id], achievements[r.officer_id]) for r in kpis]
    totals = kpi_totals(kpis)
    total_load = Workload(
        complaints_open=sum(row.complaints_open for row in rows),
        complaints_overdue=sum(row.complaints_overdue for row in rows),
    )
    return TeamDashboard(
        scope=scope,
        period=period,
        as_of=as_of,
        previous_as_of=previous,
        officers=rows,
        totals=_team_row(
            totals, total_load, total_achievement(list(achievements.values()), totals)
        ),
        portfolio=_portfolio(scope, as_of, previous, trend, day),
        trend=trend,
        migration=migration,
        funding_view=funding_view(scope, period, as_of, day),
        satisfaction=satisfaction_report(scope, period.start, period.end, comment_limit=COMMENTS),
        renewals=renewal_figures(scope.condition, period.start, period.end),
    )
