"""Month-end aggregates of the funds ("deposit rollups"): per (date, officer, branch) of a deposits
listing, the accounts holding funds, their balances and average balances by kind, and the
depositors, written when deposit positions change, so the funding figures of a scope
(funding/figures.py: DPK by kind, CASA, growth, per officer, the trend) sum a few rows per
officer instead of every account of the scope on every view.

`deposit_rollups` holds one row per (as_of, officer_id, branch_id) group of a date with the
figures of `kind_columns`, the one definition the live figures use too. Distinct depositors do
not add up across groups, so `deposit_rollup_depositors` lists the few depositors booked in more
than one group on a date, as credit/rollups.py does for debtors.

A date's rollups are either absent (readers compute from the positions) or exact: every writer of
deposit positions rewrites the dates it touched, the deposits import in its own transaction
(imports/deposits/loader.py) and any ORM flush of deposit positions through the session hook
below. What moves with the day asked (deposits maturing, run-off) is read from the positions.
"""

from collections.abc import Iterable
from datetime import date
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from aoapp.common import serial
from aoapp.credit.rollups import WAIT_SECONDS, shared, shared_table
from aoapp.database import Money
from aoapp.extensions import db
from aoapp.funding.models import DepositPosition
from aoapp.funding.scope import held
from aoapp.products.models import DepositType

KINDS = tuple(kind.value for kind in DepositType)  # giro, tabungan, deposito
CASA_KINDS = (DepositType.GIRO.value, DepositType.TABUNGAN.value)
GROUP = ("as_of", "officer_id", "branch_id")
FIGURES = (
    "accounts",
    "depositors",
    *(f"{kind}_{part}" for kind in KINDS for part in ("accounts", "balance", "average")),
)


def kind_columns(position=DepositPosition) -> list[sa.Label]:
    """The funding figures of a set of deposit positions, labelled as FIGURES: the accounts,
    the depositors, and per kind the accounts, the balance and the average balance (saldo
    rata-rata; the balance where the listing gave none)."""
    p = position

    def when(kind, value):
        return sa.case((p.deposit_type == kind, value), else_=0)

    columns = [
        sa.func.count(p.id).label("accounts"),
        sa.func.count(sa.distinct(p.customer_id)).label("depositors"),
    ]
    average = sa.func.coalesce(p.average_balance, p.balance)
    for kind in KINDS:
        columns.append(sa.func.sum(when(kind, 1)).label(f"{kind}_accounts"))
        columns.append(sa.func.sum(when(kind, p.balance)).label(f"{kind}_balance"))
        columns.append(sa.func.sum(when(kind, average)).label(f"{kind}_average"))
    return columns


def _figure_column(name: str) -> sa.Column:
    kind = Money if name.endswith(("_balance", "_average")) else sa.Integer()
    return sa.Column(name, kind, nullable=False)


ROLLUPS = sa.Table(
    "deposit_rollups",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    *(_figure_column(name) for name in FIGURES),
    sa.Index("ix_deposit_rollups_as_of_branch", "as_of", "branch_id", "officer_id"),
    sa.Index("ix_deposit_rollups_officer_as_of", "officer_id", "as_of"),
)

SHARED = shared_table("deposit_rollup_depositors")


def groups(dates: list[date]) -> sa.Select:
    """The figures of each (as_of, officer, branch) group of the funds held on `dates`."""
    p = DepositPosition
    keys = [p.as_of, p.officer_id, p.branch_id]
    return sa.select(*keys, *kind_columns()).where(p.as_of.in_(dates), held()).group_by(*keys)


def shared_depositors(dates: list[date]) -> sa.Select:
    """(as_of, customer, officer, branch) of the depositors holding funds in several groups."""
    return shared(dates, DepositPosition, held())


def write(conn: sa.Connection, dates: Iterable[date]) -> None:
    """The rollups of `dates` computed again from their deposit positions (delete, insert)."""
    dates = sorted({day for day in dates if day is not None})
    if not dates:
        return
    # Two writers of a date take turns (else the second's delete misses the first's rows), in
    # date order so that writers of several dates do not deadlock.
    for day in dates:
        serial.hold(conn, f"deposit_rollups:{day.isoformat()}", WAIT_SECONDS)
    conn.execute(sa.delete(SHARED).where(SHARED.c.as_of.in_(dates)))
    conn.execute(sa.delete(ROLLUPS).where(ROLLUPS.c.as_of.in_(dates)))
    conn.execute(sa.insert(ROLLUPS).from_select([*GROUP, *FIGURES], groups(dates)))
    names = ["as_of", "customer_id", "officer_id", "branch_id"]
    conn.execute(sa.insert(SHARED).from_select(names, shared_depositors(dates)))


@sa.event.listens_for(Session, "after_flush")
def _rewrite_touched(session: Session, _context) -> None:
    """Deposit positions written through the ORM: their dates' rollups rewritten in the same
    transaction."""
    dates = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, DepositPosition):
            history = sa.inspect(obj).attrs.as_of.history
            dates.update(chain(history.added, history.unchanged, history.deleted))
    dates.discard(None)
    if dates:
        write(session.connection(), dates)
