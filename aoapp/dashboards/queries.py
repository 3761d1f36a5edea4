"""The few figures the dashboards need that no other module computes: month-end listing dates,
the 12-month trend (one grouped query), the watchlist count, and the live workload counts.

Everything else comes from the one source: credit/figures.py, kpis/officers.py,
reports/portfolio/data.py and targets/achievement.py.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.agenda.team import workload_counts
from aoapp.common.money import to_money
from aoapp.credit import rollup_reads
from aoapp.credit.collectibility import NPL_KOLS
from aoapp.credit.figures import PortfolioScope, as_of_dates, ratio, scope_next_as_of
from aoapp.credit.measures import BY_KEY
from aoapp.credit.models import Position
from aoapp.credit.signals import SignalContext
from aoapp.credit.watchlist import flagged
from aoapp.extensions import db
from aoapp.kpis.queries import PAR_KPI_DAYS

TREND_MONTHS = 12
ZERO = Decimal("0.00")
NPL_KEYS = tuple(f"kol{kol}_total" for kol in NPL_KOLS)
PAR_KEY = f"par{PAR_KPI_DAYS}"


@dataclass(frozen=True)
class TrendPoint:
    """A scope's portfolio on one month-end listing date."""

    as_of: date
    outstanding: Decimal
    npl_outstanding: Decimal
    par30_outstanding: Decimal

    @property
    def npl_ratio(self) -> Decimal:
        """NPL outstanding / outstanding (credit/figures.py's rule)."""
        return ratio(self.npl_outstanding, self.outstanding)

    @property
    def par30_ratio(self) -> Decimal:
        """Outstanding with DPD > 30 / outstanding."""
        return ratio(self.par30_outstanding, self.outstanding)


@dataclass(frozen=True)
class Workload:
    """An officer's follow-up and complaint counts at the end of a day (today on the live
    month)."""

    followups_today: int = 0
    followups_overdue: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0


def month_ends(scope: PortfolioScope) -> list[date]:
    """The scope's month-end listing dates (the last listing date of each month), newest first."""
    found: list[date] = []
    for day in as_of_dates(scope):  # newest first: the first seen of a month is its last
        if not found or (day.year, day.month) != (found[-1].year, found[-1].month):
            found.append(day)
    return found


def trend(scope: PortfolioScope, dates: list[date]) -> list[TrendPoint]:
    """Outstanding, NPL and PAR 30 of the scope on each of `dates`, oldest first (one query:
    on the month-end aggregates when every date has them, else on the positions)."""
    if not dates:
        return []
    keys = ("outstanding", *NPL_KEYS, PAR_KEY)
    rows = rollup_reads.date_rows(scope.condition, dates, keys)
    if rows is None:
        stmt = (
            sa.select(Position.as_of, *(BY_KEY[key].sum() for key in keys))
            .where(scope.condition, Position.as_of.in_(dates))
            .group_by(Position.as_of)
        )
        rows = {row["as_of"]: row for row in db.session.execute(stmt).mappings()}
    points = {
        as_of: TrendPoint(
            as_of,
            _money(row["outstanding"]),
            sum((_money(row[key]) for key in NPL_KEYS), ZERO),
            _money(row[PAR_KEY]),
        )
        for as_of, row in rows.items()
    }
    return [points[day] for day in sorted(points)]


def watchlist_count(scope: PortfolioScope, as_of: date | None, until: date | None = None) -> int:
    """The number of accounts on the watchlist of the scope on `as_of` (one row per account),
    judged as of `until` (a month's judging day; None: as the live watchlist page)."""
    if as_of is None:
        return 0
    ctx = SignalContext(scope, as_of, scope_next_as_of(scope, as_of), until)
    flags = flagged(ctx)
    count = sa.select(sa.func.count(sa.distinct(flags.c.position_id)))
    if db.session.get_bind().dialect.name != "postgresql":
        return db.session.scalar(count) or 0
    # Each signal reads a few hundred index entries (ix_positions_watch); a parallel plan
    # starts workers for each of them, which cost more than the scans (bench_dashboards:
    # 282 → 180 ms at a branch, 2.0 → 1.6 s bank-wide on 2 cores). Serial for this one query.
    # (A failed count aborts the transaction, and the setting with it.)
    db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    found = db.session.scalar(count) or 0
    db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather TO DEFAULT"))
    return found


def workloads(officer_ids: list[int], today: date) -> dict[int, Workload]:
    """Follow-ups planned on `today` and overdue, open and overdue complaints, per officer, at
    the end of `today` (the bank's today, or a past month's last day).

    The team agenda's own counts (two grouped queries), so the dashboards and the agenda agree.
    """
    if not officer_ids:
        return {}
    followups, complaints = workload_counts(officer_ids, today)
    found = {}
    for officer_id in officer_ids:
        overdue, due_today, _upcoming = followups.get(officer_id, (0, 0, 0))
        open_count, late = complaints.get(officer_id, (0, 0))
        found[officer_id] = Workload(due_today, overdue, open_count, late)
    return found


def _money(value) -> Decimal:
    """A SUM from the database (Decimal on PostgreSQL, maybe float on SQLite) as money."""
    return ZERO if value is None else to_money(str(value))
