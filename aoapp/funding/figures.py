"""Funding figures (DPK): the one source of third-party funds by kind, the CASA ratio, growth,
the deposits maturing soon and the run-off, for an officer, a branch or the bank.

Pages, the API, the dashboards, the officer KPIs, the targets and the portfolio workbook all call
these functions, so their numbers agree. Each figure is one aggregate query over the deposit
positions of a date (set-based, whatever the number of accounts).

- Scope: credit/figures.resolve_scope's (the same arguments, the same reach); its condition,
  written on the loan positions' booking columns, is applied to the deposit positions' own
  (funding/scope.py). Funds count where the deposits listing booked them on that date, so a closed
  month's figures do not change when a customer is later reassigned.
- Dates: the figures asked for a day are those of the last deposits listing on or before it
  (`deposits_as_of`, bank-wide: a listing covers the bank); a month's are its month-end listing's.
  Growth compares with the last listing of the previous calendar month and with the last listing
  of the previous year's December (the year's opening balance).
- An account holds funds on a date when it has a position there whose status is not closed
  (dormant and blocked funds are still the bank's). CASA = giro + tabungan.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.common.dates import bank_today
from aoapp.common.ids import among
from aoapp.credit import rollup_reads
from aoapp.credit.figures import PortfolioScope, ratio, resolve_scope
from aoapp.extensions import db
from aoapp.funding import movements
from aoapp.funding import rollups as stored
from aoapp.funding.models import DepositPosition
from aoapp.funding.rollups import CASA_KINDS, FIGURES, KINDS, kind_columns
from aoapp.funding.scope import deposit_scope, held
from aoapp.products.models import DepositType

__all__ = ["CASA_KINDS", "KINDS"]
MATURING_DAYS = (7, 30)
ZERO = Decimal("0.00")


def deposits_as_of(day: date | None = None) -> date | None:
    """The last deposits listing date on or before `day` (any date: the newest), bank-wide."""
    return latest.newest(latest.DEPOSITS, day)


def _last_listing_between(first: date, last: date) -> date | None:
    return latest.last_between(latest.DEPOSITS, first, last)


def previous_month_end(as_of: date) -> date | None:
    """The last deposits listing in the calendar month before as_of's month."""
    last = as_of.replace(day=1) - timedelta(days=1)
    return _last_listing_between(last.replace(day=1), last)


def year_opening(as_of: date) -> date | None:
    """The last deposits listing of the previous year's December (the year's opening)."""
    return _last_listing_between(date(as_of.year - 1, 12, 1), date(as_of.year - 1, 12, 31))


@dataclass(frozen=True)
class KindRow:
    """The funds of one kind (giro, tabungan or deposito) on the as-of date."""

    kind: str
    accounts: int
    balance: Decimal
    average_balance: Decimal
    share: Decimal  # of DPK


@dataclass(frozen=True)
class FundingFigures:
    """Every funding figure of one scope on one deposits listing date (None: no listing)."""

    as_of: date | None
    scope: str
    officer_id: int | None
    branch_id: int | None
    kinds: tuple[KindRow, ...]
    account_count: int
    depositors: int
    average_balance: Decimal  # the month's average balances (saldo rata-rata), summed
    previous_as_of: date | None
    previous_total: Decimal | None
    year_start_as_of: date | None
    year_start_total: Decimal | None
    maturing_from: date | None
    maturing: tuple[movements.Maturing, ...]  # one per MATURING_DAYS window
    runoff: movements.RunOff

    def kind(self, kind: str) -> KindRow:
        """The row of one kind."""
        return next(row for row in self.kinds if row.kind == kind)

    @property
    def dpk_total(self) -> Decimal:
        return sum((row.balance for row in self.kinds), ZERO)

    @property
    def giro(self) -> Decimal:
        return self.kind(DepositType.GIRO).balance

    @property
    def tabungan(self) -> Decimal:
        return self.kind(DepositType.TABUNGAN).balance

    @property
    def deposito(self) -> Decimal:
        return self.kind(DepositType.DEPOSITO).balance

    @property
    def casa(self) -> Decimal:
        """Giro + tabungan."""
        return self.giro + self.tabungan

    @property
    def casa_ratio(self) -> Decimal | None:
        """(giro + tabungan) / DPK, 4 places half-up; None without funds."""
        return ratio(self.casa, self.dpk_total) if self.dpk_total else None

    @property
    def growth_month(self) -> Decimal | None:
        """DPK now minus DPK on the previous month-end listing (None without one)."""
        return None if self.previous_total is None else self.dpk_total - self.previous_total

    @property
    def growth_month_ratio(self) -> Decimal | None:
        """The month's growth / the previous month-end's DPK (None when that was 0 or absent)."""
        return ratio(self.growth_month, self.previous_total) if self.previous_total else None

    @property
    def growth_year(self) -> Decimal | None:
        """DPK now minus DPK at the year's opening (None without a December listing)."""
        return None if self.year_start_total is None else self.dpk_total - self.year_start_total

    @property
    def growth_year_ratio(self) -> Decimal | None:
        """The year's growth / the opening DPK (None when that was 0 or absent)."""
        return ratio(self.growth_year, self.year_start_total) if self.year_start_total else None

    def maturing_within(self, days: int) -> movements.Maturing:
        """The deposits maturing within `days` (7 or 30) of `maturing_from`."""
        return next(window for window in self.maturing if window.days == days)


def _stored(condition, dates: list[date]):
    """(the scope's condition on the deposit rollups, on their shared depositors), or None when
    the figures are read from the positions (a date without rollups, `rollup_reads.live()`)."""
    return rollup_reads.translated(condition, dates, stored.ROLLUPS, stored.SHARED)


def _kinds_row(condition, as_of: date) -> dict:
    """The figures of funding/rollups.FIGURES of the scope on `as_of` (one query)."""
    on = _stored(condition, [as_of])
    if on is None:
        stmt = sa.select(*kind_columns()).where(
            deposit_scope(condition), held(), DepositPosition.as_of == as_of
        )
        return db.session.execute(stmt).mappings().one()
    on_rollups, on_shared = on
    r = stored.ROLLUPS.c
    twice = rollup_reads.counted_twice(on_shared, as_of, shared=stored.SHARED)
    twice = sa.select(sa.func.coalesce(twice.c.extra, 0)).scalar_subquery()
    stmt = sa.select(
        (sa.func.sum(r.depositors) - twice).label("depositors"),
        *(sa.func.sum(r[name]).label(name) for name in FIGURES if name != "depositors"),
    ).where(r.as_of == as_of, on_rollups)
    return db.session.execute(stmt).mappings().one()


def _runoff(condition, previous: date | None, as_of: date | None, share: Decimal):
    """The scope's run-off from `previous` to `as_of` (funding/movements.runoff): summed from
    the deposit rollups' run-off groups when they hold that step at that share, else from the
    positions."""
    stored_step = None if previous is None or as_of is None else stored.runoff_step(as_of)
    on = None
    if stored_step == (previous, share):
        on = rollup_reads.on_table(condition, stored.RUNOFF)
    if on is None:
        return movements.runoff(condition, previous, as_of, share)
    r = stored.RUNOFF.c
    columns = (r.closed, r.closed_balance, r.dropped, r.dropped_loss)
    stmt = sa.select(*(sa.func.sum(column) for column in columns)).where(r.as_of == as_of, on)
    return movements.summed_runoff(share, previous, db.session.execute(stmt).one())


def _summed(columns, kinds) -> sa.ColumnElement:
    """The balances of `kinds` added up, one column per kind of a rollup row."""
    return sum((columns[f"{kind}_balance"] for kind in kinds[1:]), columns[f"{kinds[0]}_balance"])


def dpk_and_casa(condition, dates: list[date], officer_ids=None) -> dict:
    """{date: (DPK, CASA)} of the scope on each of `dates` with funds held; with `officer_ids`,
    {(date, officer): (DPK, CASA)} of each of those officers (one grouped query)."""
    dates = sorted({day for day in dates if day is not None})
    if not dates:
        return {}
    on = _stored(condition, dates)
    if on is None:
        p = DepositPosition
        casa = sa.case((p.deposit_type.in_(CASA_KINDS), p.balance), else_=0)
        keys, columns = [p.as_of, p.officer_id], [sa.func.sum(p.balance), sa.func.sum(casa)]
        where = [deposit_scope(condition), held(), p.as_of.in_(dates)]
    else:
        r = stored.ROLLUPS.c
        keys = [r.as_of, r.officer_id]
        columns = [sa.func.sum(_summed(r, KINDS)), sa.func.sum(_summed(r, CASA_KINDS))]
        where = [on[0], r.as_of.in_(dates)]
    if officer_ids is None:
        keys = keys[:1]
    else:
        where.append(among(keys[1], officer_ids))
    stmt = sa.select(*keys, *columns).where(*where).group_by(*keys)
    return {
        (row[0] if officer_ids is None else (row[0], row[1])): (
            movements.money(row[-2]),
            movements.money(row[-1]),
        )
        for row in db.session.execute(stmt)
    }


def _totals_on(condition, dates: list[date]) -> dict[date, Decimal]:
    """DPK of the scope on each of `dates` (one grouped query)."""
    dates = [day for day in dates if day is not None]
    found = dpk_and_casa(condition, dates)
    return {day: found.get(day, (ZERO, ZERO))[0] for day in dates}


def scope_funding(
    scope: PortfolioScope,
    as_of: date | None,
    maturing_from: date | None = None,
    share: Decimal | None = None,
) -> FundingFigures:
    """The funding figures of a resolved scope on the deposits listing `as_of` (None: empty);
    deposits maturing are counted from `maturing_from` (default: `as_of`)."""
    row = None if as_of is None else _kinds_row(scope.condition, as_of)
    get = (lambda key: row[key]) if row is not None else (lambda key: None)
    balances = {kind: movements.money(get(f"{kind}_balance")) for kind in KINDS}
    total = sum(balances.values(), ZERO)
    kinds = tuple(
        KindRow(
            kind,
            int(get(f"{kind}_accounts") or 0),
            balances[kind],
            movements.money(get(f"{kind}_average")),
            ratio(balances[kind], total),
        )
        for kind in KINDS
    )
    previous = year_start = None
    if as_of is not None:
        previous, year_start = previous_month_end(as_of), year_opening(as_of)
    totals = _totals_on(scope.condition, [previous, year_start])
    start = maturing_from or as_of
    share = movements.runoff_share() if share is None else share
    return FundingFigures(
        as_of=as_of,
        scope=scope.label,
        officer_id=scope.officer_id,
        branch_id=scope.branch_id,
        kinds=kinds,
        account_count=int(get("accounts") or 0),
        depositors=int(get("depositors") or 0),
        average_balance=sum((row.average_balance for row in kinds), ZERO),
        previous_as_of=previous,
        previous_total=totals.get(previous),
        year_start_as_of=year_start,
        year_start_total=totals.get(year_start),
        maturing_from=start if as_of is not None else None,
        maturing=movements.maturing_windows(scope.condition, as_of, start, MATURING_DAYS),
        runoff=_runoff(scope.condition, previous, as_of, share),
    )


def funding_summary(actor, day: date | None = None, officer_id=None, branch_id=None):
    """The funding figures `actor` asks for, on the last deposits listing on or before `day`
    (default: the newest); deposits maturing are counted from `day` (default: `today`)."""
    scope = resolve_scope(actor, officer_id, branch_id)
    return scope_funding(scope, deposits_as_of(day), day or bank_today())


def officer_funding(ids: list[int], as_of: date | None, condition=None) -> dict[int, dict]:
    """DPK and CASA booked to each officer on the deposits listing `as_of` (one grouped query)."""
    if as_of is None or not ids:
        return {}
    scope = sa.true() if condition is None else condition
    return {
        officer: {"dpk": dpk, "casa": casa}
        for (_day, officer), (dpk, casa) in dpk_and_casa(scope, [as_of], ids).items()
    }
