"""What moves funds: deposits maturing soon and run-off, each one set-based definition shared by
its counts (funding/figures.py) and its list (the workbook's Funding sheet, the dashboards).

- Maturing: accounts holding funds on the deposits listing `as_of` whose maturity, as that
  listing gave it (a later roll-over does not move it), falls from `start` to `start` + N days,
  both included; no maturity on the listing, nothing maturing (the position alone is read, not
  its account: a branch's maturing figures read its positions of the date, not every account).
  Listed non-ARO first (they leave unless the officer acts), then by maturity.
- Run-off: accounts holding funds on the previous month-end listing, booked in the scope then,
  that on `as_of` are closed or missing (their whole balance ran off) or hold less than
  (1 − share) of that balance (the drop ran off); `share` is the bank's setting
  (FUNDING_RUNOFF_SHARE).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common.money import to_money
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition, DepositStatus
from aoapp.funding.scope import deposit_scope
from aoapp.products.models import Product

ZERO = Decimal("0.00")
DEFAULT_RUNOFF_SHARE = Decimal("0.5")


def runoff_share() -> Decimal:
    """The bank's setting: a balance down by more than this share month on month is run-off."""
    return Decimal(str(current_app.config.get("FUNDING_RUNOFF_SHARE", DEFAULT_RUNOFF_SHARE)))


def money(value) -> Decimal:
    """A SUM from the database (Decimal on PostgreSQL, maybe float on SQLite) as money."""
    return ZERO if value is None else to_money(str(value))


@dataclass(frozen=True)
class Maturing:
    """Deposits maturing within `days`: all of them, and those without automatic roll-over."""

    days: int
    count: int = 0
    amount: Decimal = ZERO
    non_aro_count: int = 0
    non_aro_amount: Decimal = ZERO


@dataclass(frozen=True)
class RunOff:
    """Funds that left since the previous month-end listing (`previous`; None: nothing to
    compare with)."""

    share: Decimal
    previous: date | None = None
    closed_count: int = 0
    closed_amount: Decimal = ZERO
    dropped_count: int = 0
    dropped_amount: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.closed_amount + self.dropped_amount


def _maturity():
    return DepositPosition.maturity_date


def _non_aro():
    return sa.func.coalesce(DepositPosition.aro, False) == sa.false()


def _maturing_where(condition, as_of: date, start: date, days: int) -> sa.Select:
    return (
        sa.select()
        .select_from(DepositPosition)
        .where(
            deposit_scope(condition, DepositPosition),
            DepositPosition.as_of == as_of,
            DepositPosition.status != DepositStatus.CLOSED.value,
            _maturity().between(start, start + timedelta(days=days)),
        )
    )


def maturing_windows(condition, as_of, start, windows) -> tuple[Maturing, ...]:
    """Counts and amounts maturing within each of `windows` days of `start` (one query)."""
    if as_of is None or start is None:
        return tuple(Maturing(days) for days in windows)
    columns = []
    for days in windows:
        within = _maturity() <= start + timedelta(days=days)
        lonely = sa.and_(within, _non_aro())
        for name, when in (("all", within), ("non_aro", lonely)):
            columns.append(sa.func.sum(sa.case((when, 1), else_=0)).label(f"{name}{days}"))
            columns.append(
                sa.func.sum(sa.case((when, DepositPosition.balance), else_=0)).label(
                    f"{name}{days}_amount"
                )
            )
    stmt = _maturing_where(condition, as_of, start, max(windows)).add_columns(*columns)
    row = db.session.execute(stmt).mappings().one()
    return tuple(
        Maturing(
            days,
            int(row[f"all{days}"] or 0),
            money(row[f"all{days}_amount"]),
            int(row[f"non_aro{days}"] or 0),
            money(row[f"non_aro{days}_amount"]),
        )
        for days in windows
    )


@dataclass(frozen=True)
class DepositRow:
    """One account of a funding list (maturing or run-off), with its customer and officer."""

    account_no: str
    cif: str
    customer: str
    customer_id: int
    product: str
    deposit_type: str
    officer_name: str | None
    officer_code: str | None
    balance: Decimal  # on as_of (maturing); before (run-off)
    maturity_date: date | None = None
    aro: bool | None = None
    balance_now: Decimal | None = None  # run-off: on as_of (0 when closed or missing)
    closed: bool = False  # run-off: closed or missing on as_of


def _details(stmt: sa.Select, account, customer_id, officer_id) -> sa.Select:
    return (
        stmt.join(Customer, Customer.id == customer_id)
        .join(Product, Product.id == account.product_id)
        .outerjoin(User, User.id == officer_id)
        .add_columns(
            account.account_no,
            Customer.cif,
            Customer.name,
            Customer.id,
            Product.code,
            sa.func.nullif(User.full_name, ""),
            User.officer_code,
        )
    )


def maturing_rows(condition, as_of, start, days: int, limit: int | None = None) -> list:
    """The accounts maturing within `days` of `start`: non-ARO first, then by maturity date and
    the largest balance."""
    if as_of is None or start is None:
        return []
    stmt = _maturing_where(condition, as_of, start, days).add_columns(
        DepositPosition.deposit_type,
        DepositPosition.balance,
        _maturity(),
        DepositPosition.aro,
    )
    stmt = stmt.join(DepositAccount, DepositAccount.id == DepositPosition.account_id)
    stmt = _details(stmt, DepositAccount, DepositPosition.customer_id, DepositPosition.officer_id)
    stmt = stmt.order_by(
        sa.case((_non_aro(), 0), else_=1),
        _maturity(),
        DepositPosition.balance.desc(),
        DepositAccount.account_no,
    ).limit(limit)
    return [
        DepositRow(no, cif, name, cid, product, kind, officer, code, money(balance), due, aro)
        for kind, balance, due, aro, no, cif, name, cid, product, officer, code in db.session.execute(
            stmt
        )
    ]


def runoff_base(condition, previous: date, as_of: date, share: Decimal):
    """(select, before, now, gone): the run-off accounts' positions before and now."""
    before, now = aliased(DepositPosition), aliased(DepositPosition)
    keep = sa.literal(Decimal(1) - share, sa.Numeric(7, 4))
    gone = sa.or_(now.id.is_(None), now.status == DepositStatus.CLOSED.value)
    stmt = (
        sa.select()
        .select_from(before)
        .outerjoin(now, sa.and_(now.account_id == before.account_id, now.as_of == as_of))
        .where(
            deposit_scope(condition, before),
            before.as_of == previous,
            before.status != DepositStatus.CLOSED.value,
            sa.or_(gone, now.balance < before.balance * keep),
        )
    )
    return stmt, before, now, gone


def runoff_sums(before, now, gone) -> list[sa.ColumnElement]:
    """The run-off's figures of `runoff_base`'s accounts, in RunOff's order: the accounts
    closed (or gone from the listing) and their balance before, the accounts down by more than
    the share and what they lost."""
    lost = before.balance - sa.func.coalesce(now.balance, 0)
    return [
        sa.func.sum(sa.case((gone, 1), else_=0)),
        sa.func.sum(sa.case((gone, before.balance), else_=0)),
        sa.func.sum(sa.case((gone, 0), else_=1)),
        sa.func.sum(sa.case((gone, 0), else_=lost)),
    ]


def summed_runoff(share: Decimal, previous: date, row) -> RunOff:
    """A RunOff from the four sums of `runoff_sums` (None: no account)."""
    return RunOff(share, previous, int(row[0] or 0), money(row[1]), int(row[2] or 0), money(row[3]))


def runoff(condition, previous: date | None, as_of: date | None, share: Decimal) -> RunOff:
    """The run-off between the previous month-end listing and `as_of`, from the positions (one
    query; funding/figures.py reads it from the deposit rollups where they hold it)."""
    if previous is None or as_of is None:
        return RunOff(share)
    stmt, before, now, gone = runoff_base(condition, previous, as_of, share)
    row = db.session.execute(stmt.add_columns(*runoff_sums(before, now, gone))).one()
    return summed_runoff(share, previous, row)


def runoff_rows(condition, previous, as_of, share: Decimal, limit: int | None = None) -> list:
    """The run-off accounts, the largest loss first."""
    if previous is None or as_of is None:
        return []
    stmt, before, now, gone = runoff_base(condition, previous, as_of, share)
    account = aliased(DepositAccount)
    now_balance = sa.case((gone, 0), else_=now.balance)
    stmt = stmt.join(account, account.id == before.account_id).add_columns(
        before.deposit_type, before.balance, now_balance, gone
    )
    stmt = _details(stmt, account, before.customer_id, before.officer_id)
    stmt = stmt.order_by((before.balance - now_balance).desc(), account.account_no).limit(limit)
    rows = []
    for kind, was, is_now, closed, no, cif, name, cid, product, officer, code in db.session.execute(
        stmt
    ):
        rows.append(
            DepositRow(
                no,
                cif,
                name,
                cid,
                product,
                kind,
                officer,
                code,
                money(was),
                balance_now=money(is_now),
                closed=bool(closed),
            )
        )
    return rows
