"""Per-officer KPIs: the one definition behind the workbook's Officers sheet and the dashboards.

Every KPI is computed for all officers at once, one grouped query per source (positions,
prospects, introductions, follow-ups, promises), whatever the number of officers.

Definitions: kpis/figures.py, one per figure (the same list gives the labels, the kinds and the
totals). P is the period, from its first to its last day in the bank's time zone; A is the as-of
date (the last listing date in P); "the officer" is the account officer of the row. What the
definitions leave to the code:

- the portfolio figures (debtors … par30_outstanding, downgrades) are of the positions on A
  within the scope (`condition`); the Kol is the effective (debtor) one;
- ratios follow credit/figures.py's rule (4 places, half-up) through figures.RatioOfSums;
- followups_overdue: planned before the overdue day (`overdue_on`, default A, else the last day
  of P) and not done by the end of that day;
- ptp_kept / ptp_broken: promises made by `judged_on` (default P's judging day: its last day,
  or today while P runs — kpis/periods.judging_day), judged as of that day by the promise rule
  (followups/promises.py);
- the funding and relationship figures (dpk … retention_rate) are read on the last deposits
  listing on or before P's last day with the loan listing A (funding/figures.py,
  funding/relationship.py), retention since the day before P began; none without a deposits
  listing (and then no query beyond finding that out).
"""

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.sql.visitors import replacement_traverse

from aoapp.auth.models import Branch, Role, User
from aoapp.common.dates import local_day_bounds
from aoapp.credit import rollup_reads
from aoapp.credit.figures import PortfolioScope, ratio
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.funding.figures import deposits_as_of, officer_funding
from aoapp.funding.held import Listings
from aoapp.funding.relationship import officer_relationship, period_start
from aoapp.kpis import queries as q
from aoapp.kpis.figures import AMOUNT, COUNT, FIGURES, SUM, RatioOfSums
from aoapp.kpis.periods import Period, judging_day

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OfficerRef:
    """An account officer as a report names them."""

    id: int
    username: str
    name: str
    branch_code: str | None


@dataclass(frozen=True)
class OfficerKpis:
    """Every KPI of one officer: identity, then one field per figures.FIGURES entry, in its order
    and of its kind (tests/reports/test_figures.py holds them together)."""

    officer_id: int | None  # None: a totals row
    username: str
    name: str
    branch_code: str | None
    debtors: int = 0
    facilities: int = 0
    outstanding: Decimal = ZERO
    npl_outstanding: Decimal = ZERO
    npl_ratio: Decimal = Decimal("0.0000")
    par30_outstanding: Decimal = ZERO
    par30_ratio: Decimal = Decimal("0.0000")
    downgrades: int = 0
    prospects_collected: int = 0
    prospects_converted: int = 0
    conversion_rate: Decimal | None = None
    introductions: int = 0
    followups_done: int = 0
    followups_overdue: int = 0
    ptp_kept: int = 0
    ptp_broken: int = 0
    ptp_kept_rate: Decimal | None = None
    dpk: Decimal = ZERO
    casa: Decimal = ZERO
    casa_ratio: Decimal | None = None
    relationship_customers: int = 0
    products_held: int = 0
    cross_sell_ratio: Decimal | None = None
    customers_start: int = 0
    customers_retained: int = 0
    retention_rate: Decimal | None = None


COUNTS = tuple(f.key for f in FIGURES if f.kind == COUNT)
AMOUNTS = tuple(f.key for f in FIGURES if f.kind == AMOUNT)
RATIOS = tuple(f for f in FIGURES if isinstance(f.total, RatioOfSums))


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole with 4 places (half-up), None when whole is 0 (nothing to rate)."""
    return ratio(Decimal(part), Decimal(whole)) if whole else None


def ratio_of(spec: RatioOfSums, figures: Mapping) -> Decimal | None:
    """The ratio `spec` of a row's own figures (figures.RatioOfSums), by key."""
    whole = sum(figures[key] for key in spec.denominator)
    if not whole:
        return spec.empty
    return ratio(Decimal(figures[spec.numerator]), Decimal(whole))


_DEFAULTS = {f.name: f.default for f in fields(OfficerKpis) if f.default is not MISSING}


def kpis_row(
    officer_id: int | None, username: str, name: str, branch_code: str | None, values: dict
) -> OfficerKpis:
    """An officer's row (or the totals) of `values`, the figures left out at their defaults,
    with its ratios computed from its counts and amounts. Built once: a bank-wide dashboard
    makes 2,000 rows, and building each again to set its ratios (`dataclasses.replace`) cost as
    much as building it."""
    figures = _DEFAULTS | values
    for figure in RATIOS:
        figures[figure.key] = ratio_of(figure.total, figures)
    return OfficerKpis(officer_id, username, name, branch_code, **figures)


def kpi_totals(rows: list[OfficerKpis], label: str = "Total") -> OfficerKpis:
    """The totals row: the figures totalled by SUM summed over the rows, the ratios computed
    from those sums (figures.FIGURES' `total`)."""
    sums = {
        figure.key: sum(
            (getattr(row, figure.key) for row in rows), ZERO if figure.kind == AMOUNT else 0
        )
        for figure in FIGURES
        if figure.total == SUM
    }
    return kpis_row(None, "", label, None, sums)


def _home_condition(scope: PortfolioScope) -> sa.ColumnElement[bool] | None:
    """The scope's condition on positions, applied to officers' homes (own id, own branch).

    None when the condition reads any other position column (then only booked officers count).
    """
    swap = {"officer_id": User.__table__.c.id, "branch_id": User.__table__.c.branch_id}
    unknown = []

    def replace_column(element):
        if getattr(element, "table", None) is Position.__table__:
            if element.name not in swap:
                unknown.append(element.name)
            return swap.get(element.name)
        return None

    condition = replacement_traverse(scope.condition, {}, replace_column)
    return None if unknown else condition


def scope_officers(scope: PortfolioScope, as_of: date | None) -> list[OfficerRef]:
    """The officers of a scope: active officers whose home (id, branch) fits it, and every
    officer with positions booked in it on `as_of`; ordered by branch and name."""
    conditions = []
    home = _home_condition(scope)
    if home is not None:
        conditions.append(sa.and_(User.active, home))
    if as_of is not None:
        booked = rollup_reads.booked_officers(scope.condition, as_of)
        if booked is None:
            booked = sa.select(Position.officer_id).where(scope.condition, Position.as_of == as_of)
        conditions.append(User.id.in_(booked))
    if not conditions:
        return []
    stmt = (
        sa.select(User.id, User.username, User.full_name, Branch.code)
        .outerjoin(Branch, Branch.id == User.branch_id)
        .where(User.role == Role.OFFICER, sa.or_(*conditions))
        .order_by(Branch.code, User.full_name, User.username)
    )
    return [
        OfficerRef(id_, username, full_name or username, code)
        for id_, username, full_name, code in db.session.execute(stmt)
    ]


def officer_kpis(
    officers: list[OfficerRef],
    first: date,
    last: date,
    as_of: date | None,
    *,
    condition: sa.ColumnElement[bool] | None = None,
    judged_on: date | None = None,
    overdue_on: date | None = None,
) -> list[OfficerKpis]:
    """The KPIs of `officers` for the days `first`–`last` (P) and the listing date `as_of` (A).

    `condition`: a scope's condition on positions (default: none); `judged_on`: the day promises
    are judged on (default: the period's judging day); `overdue_on`: the day follow-ups are overdue on
    (default: `as_of`, else `last`).
    """
    ids = [officer.id for officer in officers]
    if not ids:
        return []
    start, end = local_day_bounds(first, last)
    sources = (
        q.portfolio(ids, as_of, sa.true() if condition is None else condition),
        *_funding(ids, first, last, as_of, condition),
        q.prospects(ids, start, end),
        q.introductions(ids, first, last),
        q.followups(ids, start, end, overdue_on or as_of or last),
        q.promises(ids, first, last, judged_on or judging_day(Period("", "custom", first, last))),
    )
    rows = []
    for officer in officers:
        values = {}
        for source in sources:
            values |= source.get(officer.id, {})
        rows.append(
            kpis_row(officer.id, officer.username, officer.name, officer.branch_code, values)
        )
    return rows


def _funding(ids: list[int], first: date, last: date, as_of: date | None, condition) -> tuple:
    """The officers' funding and relationship KPIs of P (empty without a deposits listing)."""
    deposits = deposits_as_of(last)
    if deposits is None:
        return ()
    listings = Listings(last, as_of, deposits)
    return (
        officer_funding(ids, deposits, condition),
        officer_relationship(ids, listings, period_start(first), condition),
    )
