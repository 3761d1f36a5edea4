"""Per-officer KPIs: the one definition behind the workbook's Officers sheet and the dashboards.

Every KPI is computed for all officers at once, one grouped query per source (positions,
prospects, introductions, follow-ups, promises), whatever the number of officers.

Definitions. P is the period, from its first to its last day in the bank's time zone; A is the
as-of date (the last listing date in P); "the officer" is the account officer of the row.

- debtors: distinct customers with a position booked to the officer on A (within the scope).
- facilities / outstanding: the positions booked to the officer on A, and their outstanding.
- npl_outstanding / npl_ratio: outstanding with effective (debtor) Kol 3–5, and its share of the
  outstanding (credit/figures.py's rule: 4 places, half-up, 0 when nothing is outstanding).
- par30_outstanding / par30_ratio: outstanding with DPD > 30, and its share of the outstanding.
- downgrades: positions on A whose effective Kol is worse than on the facility's previous listing.
- prospects_collected: prospects the officer owns that were collected (created) during P.
- prospects_converted: those of them converted into a customer by the end of P.
- conversion_rate: prospects_converted / prospects_collected; None when none were collected.
- introductions: product introductions the officer made (introduced_on) during P.
- followups_done: follow-ups the officer owns that were done (done_at) during P.
- followups_overdue: follow-ups the officer owns planned for a day before the overdue day
  (default A) and not done by the end of that day: still planned, or done only later. Cancelled and
  missed follow-ups are closed decisions and never count.
- ptp_kept / ptp_broken: promises to pay the officer recorded whose deadline falls in P, kept or
  broken as judged on `judged_on` by the promise rule (followups/promises.py); pending ones
  count in neither.
- ptp_kept_rate: ptp_kept / (ptp_kept + ptp_broken); None when there is neither.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.sql.visitors import replacement_traverse

from aoapp.auth.models import Branch, Role, User
from aoapp.common.dates import bank_today, local_day_bounds
from aoapp.credit.figures import PortfolioScope, ratio
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.reports import kpi_queries as q

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
    """Every KPI of one officer (see the module docstring for the definitions)."""

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


COUNTS = (
    "debtors",
    "facilities",
    "downgrades",
    "prospects_collected",
    "prospects_converted",
    "introductions",
    "followups_done",
    "followups_overdue",
    "ptp_kept",
    "ptp_broken",
)
AMOUNTS = ("outstanding", "npl_outstanding", "par30_outstanding")


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole with 4 places (half-up), None when whole is 0 (nothing to rate)."""
    return ratio(Decimal(part), Decimal(whole)) if whole else None


def with_ratios(row: OfficerKpis) -> OfficerKpis:
    """The row with its ratios computed from its counts and amounts."""
    return replace(
        row,
        npl_ratio=ratio(row.npl_outstanding, row.outstanding),
        par30_ratio=ratio(row.par30_outstanding, row.outstanding),
        conversion_rate=rate(row.prospects_converted, row.prospects_collected),
        ptp_kept_rate=rate(row.ptp_kept, row.ptp_kept + row.ptp_broken),
    )


def kpi_totals(rows: list[OfficerKpis], label: str = "Total") -> OfficerKpis:
    """The sum of the rows' counts and amounts, with ratios computed from those sums."""
    sums = {name: sum(getattr(row, name) for row in rows) for name in COUNTS}
    sums |= {name: sum((getattr(row, name) for row in rows), ZERO) for name in AMOUNTS}
    return with_ratios(OfficerKpis(None, "", label, None, **sums))


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
    are judged on (default: the bank's today); `overdue_on`: the day follow-ups are overdue on
    (default: `as_of`, else `last`).
    """
    ids = [officer.id for officer in officers]
    if not ids:
        return []
    start, end = local_day_bounds(first, last)
    sources = (
        q.portfolio(ids, as_of, sa.true() if condition is None else condition),
        q.prospects(ids, start, end),
        q.introductions(ids, first, last),
        q.followups(ids, start, end, overdue_on or as_of or last),
        q.promises(ids, first, last, judged_on or bank_today()),
    )
    rows = []
    for officer in officers:
        values = {}
        for source in sources:
            values |= source.get(officer.id, {})
        row = OfficerKpis(officer.id, officer.username, officer.name, officer.branch_code, **values)
        rows.append(with_ratios(row))
    return rows
