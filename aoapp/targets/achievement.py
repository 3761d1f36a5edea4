"""Target achievement: an officer's month measured against the targets their supervisor set.

The one definition behind both dashboards and the portfolio workbook's Officers sheet. For a
month P whose figures are read on the listing date A (the last one on or before P's end):

- new_customers: customers whose `since` falls in P and whose officer is the officer.
- new_disbursement: plafond of the facilities started in P that have a position on A booked to
  the officer (within the scope's condition).
- outstanding_growth: the officer's outstanding on A minus what was booked to them on the
  previous month-end listing (the last listing of the month before A's; 0 without one).
- max_npl_ratio: the officer's NPL ratio on A (kpis/officers.py), a ceiling.
- followups_done, introductions: the KPIs of P (kpis/officers.py).
- dpk_growth: the officer's DPK on the month-end deposits listing D minus their DPK on the
  previous month-end deposits listing; casa_ratio, cross_sell_ratio, retention_rate: the KPIs.

The portfolio-based actuals (new disbursement, outstanding growth, NPL ratio) need a listing
inside P, the funding ones D inside P: else they are None ("awaits this month's listing").

Achievement of a metric with a target T and an actual X:
- a ceiling (max NPL ratio): met when X <= T; achievement 1 when met, else T / X;
- otherwise: met when X >= T; achievement X / T when T > 0 (never below 0), and when T <= 0
  (a target of nothing, or a planned run-off) 1 if met else 0.
Achievements have 4 places (half-up). None when there is no target or no actual yet.
Overall: the mean of the metrics' achievements, each capped at 1 (over-achieving one target does
not hide missing another); None when no metric has one.

Totals (a branch): for additive metrics the targets and the actuals of the officers that have a
target for the metric are summed; ratios (NPL, CASA, products per customer, retention) are not
additive: the totals row shows the scope's (the KPIs' totals row) with no target.

Only month periods have achievements: targets are monthly.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from aoapp.common.ids import among
from aoapp.credit import rollup_reads
from aoapp.credit.figures import previous_month_end
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding import figures as funding
from aoapp.kpis.officers import OfficerKpis
from aoapp.kpis.periods import Period
from aoapp.targets.models import Target

PLACES = Decimal("0.0001")
ONE = Decimal("1.0000")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Metric:
    """One target metric: its key (a Target column), label (lazy: shown in the reader's
    language), kind and direction."""

    key: str
    label: str
    kind: str  # count | money | ratio | average (a ratio that is no share: 2.5 per customer)
    ceiling: bool = False
    needs_listing: bool = False  # read from the positions of a listing inside the month
    needs_deposits: bool = False  # read from the deposits listing of the month
    kpi: str | None = None  # a ratio: the KPI (kpis/officers.py) that is its actual; not additive


METRICS = (
    Metric("new_customers", _l("New customers"), "count"),
    Metric("new_disbursement", _l("New disbursement"), "money", needs_listing=True),
    Metric("outstanding_growth", _l("Outstanding growth"), "money", needs_listing=True),
    Metric("max_npl_ratio", _l("Maximum NPL ratio"), "ratio", True, True, kpi="npl_ratio"),
    Metric("followups_done", _l("Follow-ups done"), "count"),
    Metric("introductions", _l("Introductions"), "count"),
    Metric("dpk_growth", _l("DPK growth"), "money", needs_deposits=True),
    Metric("casa_ratio", _l("CASA ratio"), "ratio", needs_deposits=True, kpi="casa_ratio"),
    Metric(
        "cross_sell_ratio",
        _l("Products per customer"),
        "average",
        needs_deposits=True,
        kpi="cross_sell_ratio",
    ),
    Metric(
        "retention_rate", _l("Retention rate"), "ratio", needs_deposits=True, kpi="retention_rate"
    ),
)
METRIC_KEYS = tuple(metric.key for metric in METRICS)


@dataclass(frozen=True)
class MetricAchievement:
    """One metric of one officer (or a totals row): target, actual and how far it got."""

    key: str
    label: str
    kind: str
    ceiling: bool
    target: int | Decimal | None
    actual: int | Decimal | None
    achievement: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class Achievement:
    """Every metric of one officer's month, and the overall achievement."""

    officer_id: int | None  # None: a totals row
    month: date | None  # None: not a month period
    metrics: tuple[MetricAchievement, ...]
    overall: Decimal | None

    def metric(self, key: str) -> MetricAchievement:
        """The metric `key` (one of METRIC_KEYS)."""
        return next(metric for metric in self.metrics if metric.key == key)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def judge(metric: Metric, target, actual) -> tuple[Decimal | None, bool | None]:
    """(achievement, met) of an actual against a target (see the module docstring)."""
    if target is None or actual is None:
        return None, None
    target, actual = Decimal(target), Decimal(actual)
    if metric.ceiling:
        met = actual <= target
        return (ONE if met else _quantize(target / actual)), met
    met = actual >= target
    if target <= 0:
        return (ONE if met else Decimal("0.0000")), met
    return max(_quantize(actual / target), Decimal("0.0000")), met


def overall(metrics) -> Decimal | None:
    """Mean of the metrics' achievements, each capped at 1; None without any."""
    values = [min(m.achievement, ONE) for m in metrics if m.achievement is not None]
    if not values:
        return None
    return _quantize(sum(values, Decimal(0)) / len(values))


def _empty(officer_id: int | None) -> Achievement:
    metrics = tuple(
        MetricAchievement(m.key, m.label, m.kind, m.ceiling, None, None, None, None)
        for m in METRICS
    )
    return Achievement(officer_id, None, metrics, None)


def _money(value) -> Decimal:
    return ZERO if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _new_customers(ids: list[int], period: Period) -> dict[int, int]:
    stmt = (
        sa.select(Customer.officer_id, sa.func.count())
        .where(among(Customer.officer_id, ids), Customer.since.between(period.start, period.end))
        .group_by(Customer.officer_id)
    )
    return {officer: int(n) for officer, n in db.session.execute(stmt)}


def _new_disbursement(ids: list[int], period: Period, as_of: date, condition) -> dict:
    stmt = (
        sa.select(Position.officer_id, sa.func.sum(Facility.plafond))
        .join(Facility, Facility.id == Position.facility_id)
        .where(
            condition,
            Position.as_of == as_of,
            among(Position.officer_id, ids),
            Facility.start_date.between(period.start, period.end),
        )
        .group_by(Position.officer_id)
    )
    return {officer: _money(total) for officer, total in db.session.execute(stmt)}


def _outstanding_on(ids: list[int], on: date | None, condition) -> dict[int, Decimal]:
    if on is None:
        return {}
    rows = rollup_reads.officer_rows(ids, on, condition, ("outstanding",))
    if rows is not None:  # the month-end aggregates of the date
        return {officer: _money(row["outstanding"]) for officer, row in rows.items()}
    stmt = (
        sa.select(Position.officer_id, sa.func.sum(Position.outstanding))
        .where(condition, Position.as_of == on, among(Position.officer_id, ids))
        .group_by(Position.officer_id)
    )
    return {officer: _money(total) for officer, total in db.session.execute(stmt)}


def _funds(ids: list[int], period: Period, condition) -> tuple[bool, dict]:
    """(whether the month's deposits listing is in, DPK per officer on the previous one)."""
    deposits = funding.deposits_as_of(period.end)
    if not ids or deposits is None or deposits < period.start:
        return False, {}
    return True, funding.officer_funding(ids, funding.previous_month_end(deposits), condition)


def _targets(ids: list[int], month: date) -> dict[int, Target]:
    stmt = sa.select(Target).where(among(Target.officer_id, ids), Target.month == month)
    return {target.officer_id: target for target in db.session.scalars(stmt)}


def officer_achievements(
    kpi_rows: list[OfficerKpis],
    period: Period,
    as_of: date | None,
    condition: sa.ColumnElement[bool] | None = None,
) -> dict[int, Achievement]:
    """Each officer's achievement of their targets for `period`, keyed by officer id.

    `kpi_rows` are kpis/officers.officer_kpis rows of the same period and as-of date; `condition`
    the scope's condition on positions. Not a month period: every metric empty.
    """
    rows = [row for row in kpi_rows if row.officer_id is not None]
    if period.kind != "month":
        return {row.officer_id: _empty(row.officer_id) for row in rows}
    ids = [row.officer_id for row in rows]
    condition = sa.true() if condition is None else condition
    targets = _targets(ids, period.start) if ids else {}
    listed = as_of is not None and period.start <= as_of <= period.end
    customers = _new_customers(ids, period) if ids else {}
    disbursed, before = {}, {}
    if listed and ids:
        disbursed = _new_disbursement(ids, period, as_of, condition)
        before = _outstanding_on(ids, previous_month_end(as_of), condition)
    funds, funds_before = _funds(ids, period, condition)
    found = {}
    for row in rows:
        actuals = {
            "new_customers": customers.get(row.officer_id, 0),
            "new_disbursement": disbursed.get(row.officer_id, ZERO) if listed else None,
            "outstanding_growth": (
                row.outstanding - before.get(row.officer_id, ZERO) if listed else None
            ),
            "followups_done": row.followups_done,
            "introductions": row.introductions,
            "dpk_growth": (
                row.dpk - funds_before.get(row.officer_id, {}).get("dpk", ZERO) if funds else None
            ),
        }
        for metric in METRICS:
            if metric.kpi is not None:
                measured = funds if metric.needs_deposits else listed
                actuals[metric.key] = getattr(row, metric.kpi) if measured else None
        target = targets.get(row.officer_id)
        metrics = []
        for metric in METRICS:
            goal = getattr(target, metric.key) if target is not None else None
            achieved, met = judge(metric, goal, actuals[metric.key])
            metrics.append(
                MetricAchievement(
                    metric.key,
                    metric.label,
                    metric.kind,
                    metric.ceiling,
                    goal,
                    actuals[metric.key],
                    achieved,
                    met,
                )
            )
        found[row.officer_id] = Achievement(
            row.officer_id, period.start, tuple(metrics), overall(metrics)
        )
    return found


def total_achievement(achievements: list[Achievement], totals: OfficerKpis) -> Achievement:
    """The totals row: additive metrics summed over the officers with a target for them."""
    month = next((a.month for a in achievements if a.month is not None), None)
    if month is None:
        return _empty(None)
    metrics = []
    for index, metric in enumerate(METRICS):  # every achievement holds them in this order
        rows = [a.metrics[index] for a in achievements]
        if metric.kpi is not None:  # a ratio: the scope's, no team target
            measured = any(r.actual is not None for r in rows)
            actual = getattr(totals, metric.kpi) if measured else None
            metrics.append(
                MetricAchievement(
                    metric.key, metric.label, metric.kind, metric.ceiling, None, actual, None, None
                )
            )
            continue
        with_target = [r for r in rows if r.target is not None]
        target = sum((r.target for r in with_target), 0) if with_target else None
        actuals = [r.actual for r in with_target]
        actual = None if not with_target or None in actuals else sum(actuals, 0)
        achieved, met = judge(metric, target, actual)
        metrics.append(
            MetricAchievement(
                metric.key, metric.label, metric.kind, False, target, actual, achieved, met
            )
        )
    return Achievement(None, month, tuple(metrics), overall(metrics))
