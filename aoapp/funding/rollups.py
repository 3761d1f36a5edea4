"""Month-end aggregates of the funds ("deposit rollups"): per (date, officer, branch) of a deposits
listing, the accounts holding funds, their balances and average balances by kind, and the
depositors, written when deposit positions change, so the funding figures of a scope
(funding/figures.py: DPK by kind, CASA, growth, per officer, the trend) sum a few rows per
officer instead of every account of the scope on every view.

`deposit_rollups` holds one row per (as_of, officer_id, branch_id) group of a date with the
figures of `kind_columns`, the one definition the live figures use too. Distinct depositors do
not add up across groups, so `deposit_rollup_depositors` lists the few depositors booked in more
than one group on a date, as credit/rollups.py does for debtors.

`deposit_runoff` holds the run-off (funding/movements.py) of each listing date since the previous
month-end listing, per (officer_id, branch_id) booking the accounts on that previous listing, at
the bank's FUNDING_RUNOFF_SHARE when written; `deposit_runoff_steps` says for each date which
previous listing and which share it was computed with, so that a reader at another share (or
after a listing in between) reads the positions instead.

A date's rollups are either absent (readers compute from the positions) or exact: every writer of
deposit positions rewrites the dates it touched, the deposits import in its own transaction
(imports/deposits/loader.py) and any ORM flush of deposit positions through the session hook
below; and, for the run-off, the listings of the month after each touched date, whose previous
listing it may be. What moves with the day asked (deposits maturing) is read from the positions.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from aoapp.common import latest, serial
from aoapp.common.read_memo import remembered
from aoapp.credit.rollup_reads import reading_live
from aoapp.credit.rollups import WAIT_SECONDS, shared, shared_table
from aoapp.database import Money
from aoapp.extensions import db
from aoapp.funding import movements
from aoapp.funding.models import DepositPosition
from aoapp.funding.relationship_tables import hold_joined
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

RUNOFF = sa.Table(
    "deposit_runoff",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    # movements.runoff_sums, in its order
    sa.Column("closed", sa.Integer, nullable=False),
    sa.Column("closed_balance", Money, nullable=False),
    sa.Column("dropped", sa.Integer, nullable=False),
    sa.Column("dropped_loss", Money, nullable=False),
    sa.Index("ix_deposit_runoff_as_of_branch", "as_of", "branch_id", "officer_id"),
)

RUNOFF_STEPS = sa.Table(
    "deposit_runoff_steps",
    db.metadata,
    sa.Column("as_of", sa.Date, primary_key=True),
    sa.Column("previous_as_of", sa.Date, nullable=False),
    sa.Column("share", sa.Numeric(7, 4), nullable=False),
)


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
    # The run-off of the listings of the month after a touched date compares with it; their
    # writers take turns with the other figures joining two listings, before reading which
    # listings there are (a deposits import of the month after, not yet committed, then
    # computes its run-off after this one's commit, from the listing written here).
    hold_joined(conn)
    stepped = sorted(set(dates).union(*(_month_after(conn, day) for day in dates)))
    # Two writers of a date take turns (else the second's delete misses the first's rows), in
    # date order so that writers of several dates do not deadlock.
    for day in stepped:
        serial.hold(conn, f"deposit_rollups:{day.isoformat()}", WAIT_SECONDS)
    conn.execute(sa.delete(SHARED).where(SHARED.c.as_of.in_(dates)))
    conn.execute(sa.delete(ROLLUPS).where(ROLLUPS.c.as_of.in_(dates)))
    conn.execute(sa.insert(ROLLUPS).from_select([*GROUP, *FIGURES], groups(dates)))
    latest.record(conn, latest.DEPOSITS, dates)
    names = ["as_of", "customer_id", "officer_id", "branch_id"]
    conn.execute(sa.insert(SHARED).from_select(names, shared_depositors(dates)))
    _write_runoff(conn, stepped)


def _listing_between(conn: sa.Connection, first: date, last: date, newest: bool) -> date | None:
    """The newest (or oldest) deposits listing date from `first` to `last` (an index lookup)."""
    edge = sa.func.max if newest else sa.func.min
    as_of = DepositPosition.as_of
    return conn.scalar(sa.select(edge(as_of)).where(as_of.between(first, last)))


def _month_after(conn: sa.Connection, day: date) -> list[date]:
    """The deposits listing dates in the calendar month after `day`'s."""
    first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    found = []
    while (listing := _listing_between(conn, first, last, newest=False)) is not None:
        found.append(listing)
        first = listing + timedelta(days=1)
    return found


def _write_runoff(conn: sa.Connection, dates: list[date]) -> None:
    """The run-off of each of `dates` since its previous month-end listing, per booking group
    on that listing, at the bank's share now (none for a date without funds or without a
    previous listing)."""
    conn.execute(sa.delete(RUNOFF).where(RUNOFF.c.as_of.in_(dates)))
    conn.execute(sa.delete(RUNOFF_STEPS).where(RUNOFF_STEPS.c.as_of.in_(dates)))
    share = movements.runoff_share()
    for day in dates:
        last = day.replace(day=1) - timedelta(days=1)
        previous = _listing_between(conn, last.replace(day=1), last, newest=True)
        if previous is None or _listing_between(conn, day, day, newest=True) is None:
            continue
        stmt, before, now, gone = movements.runoff_base(sa.true(), previous, day, share)
        keys = [before.officer_id, before.branch_id]
        grouped = stmt.add_columns(
            sa.literal(day, sa.Date), *keys, *movements.runoff_sums(before, now, gone)
        ).group_by(*keys)
        names = ["as_of", "officer_id", "branch_id", "closed", "closed_balance", "dropped"]
        conn.execute(sa.insert(RUNOFF).from_select([*names, "dropped_loss"], grouped))
        conn.execute(
            sa.insert(RUNOFF_STEPS).values(as_of=day, previous_as_of=previous, share=share)
        )


def runoff_step(as_of: date) -> tuple[date, Decimal] | None:
    """(the previous listing, the share) the run-off of `as_of` was stored with; None when it
    is not stored (or within rollup_reads.live())."""
    if reading_live():
        return None
    s = RUNOFF_STEPS.c
    stmt = sa.select(s.previous_as_of, s.share).where(s.as_of == as_of)
    found = remembered(("deposit runoff step", as_of), lambda: db.session.execute(stmt).first())
    return None if found is None else (found[0], found[1])


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
