"""What the portfolio workbook shows, gathered in a fixed number of queries.

Figures come from `credit/figures.scope_figures` (the one source of NPL, LaR, PAR and aging),
officer KPIs from `kpis/officers.py`, target achievement from `targets/achievement.py`, the
Funding sheet's from reports/portfolio/funding.py (the funding feature's figures); this
module adds the Kol migration matrix and the prospect pipeline, and hands over the long tables
(reports/portfolio/rows.py) as lazy generators.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.auth.models import User
from aoapp.common.background import started
from aoapp.credit.figures import (
    PortfolioFigures,
    PortfolioScope,
    previous_month_end,
    scope_figures,
)
from aoapp.credit.migration import KolMigration, kol_migration
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.kpis import officers as kpis
from aoapp.kpis.officers import OfficerKpis
from aoapp.kpis.periods import Period, judging_day
from aoapp.prospects.models import Prospect, ProspectSource, ProspectStatus, ProspectStatusChange
from aoapp.reports.portfolio import rows as portfolio_rows
from aoapp.reports.portfolio.funding import FundingData, load_funding
from aoapp.reports.portfolio.renewals import RenewalsData, load_renewals
from aoapp.reports.portfolio.satisfaction import load_satisfaction
from aoapp.reports.revisions import Revision, officer_revisions
from aoapp.surveys.figures import SatisfactionReport
from aoapp.targets import achievement
from aoapp.targets.achievement import Achievement

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Pipeline:
    """Prospects by status (on `on`, from their status history) and source."""

    on: date
    counts: dict[tuple[str, str], int]
    statuses: tuple[str, ...] = tuple(s.value for s in ProspectStatus)
    sources: tuple[str, ...] = tuple(s.value for s in ProspectSource)

    def count(self, status: str, source: str | None = None) -> int:
        """Prospects with `status` (from `source`, or any source)."""
        if source is not None:
            return self.counts.get((status, source), 0)
        return sum(self.counts.get((status, s), 0) for s in self.sources)


@dataclass(frozen=True)
class PortfolioSummary:
    """The figures of the workbook's small sheets (Summary, Officers, Funding, Pipeline)."""

    figures: PortfolioFigures
    migration: KolMigration
    officers: list[OfficerKpis]
    officer_totals: OfficerKpis  # the sums of the officers' rows (kpis/officers.kpi_totals)
    achievements: dict[int, Achievement]  # target achievement by officer id (months only)
    total_achievement: Achievement
    pipeline: Pipeline
    revisions: list[Revision] = field(default_factory=list)  # corrections, newest first
    officer_codes: dict[int, str] = field(default_factory=dict)  # AO code by officer id
    funding: FundingData = field(default_factory=FundingData)  # the Funding sheet's
    satisfaction: SatisfactionReport | None = None  # the Satisfaction sheet's (always loaded)
    renewals: RenewalsData | None = None  # the Renewals sheet's


SUMMARY_FIELDS = frozenset(PortfolioSummary.__dataclass_fields__)


@dataclass
class PortfolioData:
    """Everything the portfolio workbook shows; the long tables are lazy, streamed iterables.

    The small sheets' figures (`PortfolioSummary`, read as attributes of this object: `data.
    figures`, `data.officers`, …) may still be computing in the background: the first read
    waits for them. The writer reads them after the long tables, so the two overlap.
    """

    scope: PortfolioScope
    period: Period
    as_of: date
    previous: date | None  # the previous month-end listing (Kol migration from it)
    judged_on: date  # the period's judging day: every state is as of it (kpis/periods.py)
    facilities: Iterator[tuple]
    watchlist: Iterator[tuple]
    delinquent: Iterator[tuple]
    summary_of: Callable[[], PortfolioSummary]

    def __getattr__(self, name: str):
        if name in SUMMARY_FIELDS:
            return getattr(self.summary_of(), name)
        raise AttributeError(name)

    def close(self) -> None:
        """Stop the long tables' queries (when the workbook is not written to the end)."""
        for rows in (self.facilities, self.watchlist, self.delinquent):
            rows.close()


def pipeline(officer_ids: list[int], on: date) -> Pipeline:
    """Prospects the officers own, by their status on `on` (status history) and source.

    A prospect counts once it has a status by `on` (it was collected by then).
    """
    if not officer_ids:
        return Pipeline(on, {})
    change = ProspectStatusChange
    status_then = (
        sa.select(change.to_status)
        .where(change.prospect_id == Prospect.id, change.changed_on <= on)
        .order_by(change.changed_on.desc(), change.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    statuses = (
        sa.select(status_then.label("status"), Prospect.source.label("source"))
        .where(Prospect.owner_id.in_(officer_ids))
        .subquery("statuses")
    )
    stmt = (
        sa.select(statuses.c.status, statuses.c.source, sa.func.count())
        .where(statuses.c.status.is_not(None))
        .group_by(statuses.c.status, statuses.c.source)
    )
    return Pipeline(
        on, {(status, source): int(n) for status, source, n in db.session.execute(stmt)}
    )


def load_portfolio(
    scope: PortfolioScope, period: Period, as_of: date | None, *, prefetch: bool = True
) -> PortfolioData:
    """The data of one portfolio workbook; a period without positions is InvalidInput.

    With `prefetch`, the three long tables' queries start now on their own connections
    (reports/portfolio/prefetch.py) and the small sheets' figures are gathered in the background
    (common/background.py), all while the writer streams the long tables; without, each long
    table runs when the writer reaches its sheet, and the figures are gathered now.
    """
    if as_of is None:
        raise InvalidInput(
            _(
                "There are no positions in %(period)s: import its listing first.",
                period=period.local_label,
            ),
            {"period": [_("No positions in this period.")]},
        )
    judged_on = judging_day(period)
    previous = previous_month_end(as_of)
    # The long queries first, so that they run while the figures are computed.
    facilities = portfolio_rows.facility_rows(scope, as_of, prefetch)
    watchlist = portfolio_rows.watchlist_rows(scope, as_of, judged_on, prefetch)
    delinquent = portfolio_rows.delinquent_rows(scope, as_of, judged_on, prefetch)

    def summary() -> PortfolioSummary:
        return load_summary(scope, period, as_of, previous, judged_on)

    return PortfolioData(
        scope=scope,
        period=period,
        as_of=as_of,
        previous=previous,
        judged_on=judged_on,
        facilities=facilities,
        watchlist=watchlist,
        delinquent=delinquent,
        summary_of=started(summary, "report-summary") if prefetch else _now(summary()),
    )


def _now(value: PortfolioSummary) -> Callable[[], PortfolioSummary]:
    return lambda: value


def load_summary(
    scope: PortfolioScope, period: Period, as_of: date, previous: date | None, judged_on: date
) -> PortfolioSummary:
    """The figures of the small sheets, in a fixed number of queries."""
    officers = kpis.scope_officers(scope, as_of)
    officer_ids = [officer.id for officer in officers]
    rows = kpis.officer_kpis(
        officers, period.start, period.end, as_of, condition=scope.condition, judged_on=judged_on
    )
    totals = kpis.kpi_totals(rows)
    achievements = achievement.officer_achievements(rows, period, as_of, condition=scope.condition)
    return PortfolioSummary(
        figures=scope_figures(scope, as_of),
        migration=kol_migration(scope, previous, as_of),
        officers=rows,
        officer_totals=totals,
        achievements=achievements,
        total_achievement=achievement.total_achievement(list(achievements.values()), totals),
        pipeline=pipeline(officer_ids, period.end),
        revisions=officer_revisions(officer_ids, period),
        officer_codes=officer_codes(officer_ids),
        funding=load_funding(scope, period, as_of, judged_on),
        satisfaction=load_satisfaction(scope, period),
        renewals=load_renewals(scope, period),
    )


def officer_codes(ids: list[int]) -> dict[int, str]:
    """The AO code of each officer (reports name officers by name and code, never by login)."""
    if not ids:
        return {}
    stmt = sa.select(User.id, User.officer_code).where(User.id.in_(ids))
    return {id_: code for id_, code in db.session.execute(stmt) if code}
