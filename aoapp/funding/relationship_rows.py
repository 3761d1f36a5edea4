"""Relationship rows: each customer's listed holdings on a pair of listings (a loan listing date
and a deposits listing date), one row per customer and booking group, so the relationship
figures (funding/relationship.py) read a scope's rows instead of every holding of its customers
(written by the imports, in their transaction: a pair of a bank's listings costs a few seconds).

A row of `relationship_customers` for (loans_as_of, deposits_as_of, customer, officer, branch)
says whether the group books the customer a facility (`borrower`) or funds (`depositor`) on the
pair, and what the customer holds on the pair bank-wide: its distinct listed product categories
(`products`), whether it has credit and whether it has funds (the same value on each of its rows).
Products recorded by hand (services) stay live: they are few, change any day, and are booked
where their customer is now.

A pair listed in `relationship_pairs` has rows exactly equal to what its listings give now:
- a loan import writes the pair of its date (its loans with the last deposits listing on or
  before it) and of every later listing date that reads it, a deposits import likewise, after
  dropping the pairs on their date;
- positions or deposit positions written through the ORM rewrite every stored pair of their
  dates and the pairs that read them;
- a facility moved to another product, or a product whose category changes (kind, subtype,
  deposit type, code), rewrites its customers' rows on every stored pair.
A pair that is not stored is read live; `rollup_reads.live()` forces live reads.

With its rows, each stored pair has its rollups (`relationship_rollups`): per booking group, the
rows of the customers booked in that group alone, summed, written whenever the rows are.
"""

from collections.abc import Iterable
from datetime import date
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from aoapp.credit.models import Facility, Position
from aoapp.funding import relationship_steps
from aoapp.funding.held import category
from aoapp.funding.models import DepositPosition
from aoapp.funding.relationship_tables import (
    COLUMNS,
    PAIRS,
    ROLLUP_COLUMNS,
    ROLLUPS,
    ROWS,
    figures,
    hold_joined,
    of_pair,
)
from aoapp.funding.scope import held
from aoapp.products.models import Product

__all__ = ["COLUMNS", "PAIRS", "ROLLUP_COLUMNS", "ROLLUPS", "ROWS", "figures"]

CATEGORY_FIELDS = ("kind", "credit_subtype", "deposit_type", "code")


def pair_rows(loans: date, deposits: date, customers: sa.Select | None = None) -> sa.Select:
    """The rows of the pair (of `customers` only, when given), from the positions of `loans`
    with their facilities' products and the deposit positions holding funds on `deposits`; a
    whole pair's in branch, officer and customer order, so that a scope's rows of the pair are
    written together on a few pages (as a month's positions are, imports/partition.py)."""
    dp = DepositPosition
    on_loans, on_deposits = [Position.as_of == loans], [dp.as_of == deposits, held()]
    if customers is not None:
        on_loans.append(Position.customer_id.in_(customers))
        on_deposits.append(dp.customer_id.in_(customers))
    booked = sa.union_all(
        sa.select(
            Position.customer_id,
            Position.officer_id,
            Position.branch_id,
            sa.literal(1).label("borrower"),
            sa.literal(0).label("depositor"),
        ).where(*on_loans),
        sa.select(dp.customer_id, dp.officer_id, dp.branch_id, sa.literal(0), sa.literal(1)).where(
            *on_deposits
        ),
    ).subquery("booked")
    groups = (
        sa.select(
            booked.c.customer_id,
            booked.c.officer_id,
            booked.c.branch_id,
            sa.func.max(booked.c.borrower).label("borrower"),
            sa.func.max(booked.c.depositor).label("depositor"),
        )
        .group_by(booked.c.customer_id, booked.c.officer_id, booked.c.branch_id)
        .subquery("groups")
    )
    listed = sa.union_all(
        sa.select(
            Position.customer_id,
            category().label("category"),
            sa.literal(1).label("credit"),
            sa.literal(0).label("deposit"),
        )
        .join(Facility, Facility.id == Position.facility_id)
        .join(Product, Product.id == Facility.product_id)
        .where(*on_loans),
        sa.select(
            dp.customer_id,
            sa.literal("deposit:") + dp.deposit_type,
            sa.literal(0),
            sa.literal(1),
        ).where(*on_deposits),
    ).subquery("listed")
    stats = (
        sa.select(
            listed.c.customer_id,
            sa.func.count(sa.distinct(listed.c.category)).label("products"),
            sa.func.max(listed.c.credit).label("has_credit"),
            sa.func.max(listed.c.deposit).label("has_deposit"),
        )
        .group_by(listed.c.customer_id)
        .subquery("stats")
    )
    rows = sa.select(
        sa.literal(loans, sa.Date),
        sa.literal(deposits, sa.Date),
        groups.c.customer_id,
        groups.c.officer_id,
        groups.c.branch_id,
        groups.c.borrower,
        groups.c.depositor,
        stats.c.products,
        stats.c.has_credit,
        stats.c.has_deposit,
        sa.func.count().over(partition_by=groups.c.customer_id),
    ).join(stats, stats.c.customer_id == groups.c.customer_id)
    if customers is not None:
        return rows
    return rows.order_by(groups.c.branch_id, groups.c.officer_id, groups.c.customer_id)


def write_rollups(conn: sa.Connection, loans: date, deposits: date) -> None:
    """The pair's rollups summed again from its rows of customers booked in one group."""
    r = ROWS.c
    keys = (r.loans_as_of, r.deposits_as_of, r.officer_id, r.branch_id)
    conn.execute(sa.delete(ROLLUPS).where(of_pair(ROLLUPS, loans, deposits)))
    alone = sa.and_(of_pair(ROWS, loans, deposits), r.bookings == 1)
    sums = sa.select(*keys, *figures(r)).where(alone).group_by(*keys)
    conn.execute(sa.insert(ROLLUPS).from_select(ROLLUP_COLUMNS, sums))


def _hold(conn: sa.Connection) -> None:
    """Writers of the stored pairs take turns (`relationship_tables.hold_joined`): a loan and a
    deposits import of one date, each blind to the other's rows, would both miss the date's own
    pair (the second one waits, then sees the first's listing and writes it); and a step between
    the pairs of two dates would be written from rows another writer is rewriting. A bank's
    pairs take seconds."""
    hold_joined(conn)


def _drop_rows(conn: sa.Connection, loans: date, deposits: date) -> None:
    for table in (ROWS, ROLLUPS, PAIRS):
        conn.execute(sa.delete(table).where(of_pair(table, loans, deposits)))


def _drop(conn: sa.Connection, loans: date, deposits: date) -> None:
    """The pair no longer stored: its rows, rollups and steps go."""
    _drop_rows(conn, loans, deposits)
    relationship_steps.rewrite_around(conn, (loans, deposits))


def write_pair(conn: sa.Connection, loans: date, deposits: date) -> None:
    """The pair's rows computed again, and the pair stored, with its rollups and its steps."""
    _hold(conn)
    _drop_rows(conn, loans, deposits)
    conn.execute(sa.insert(PAIRS).values(loans_as_of=loans, deposits_as_of=deposits))
    conn.execute(sa.insert(ROWS).from_select(COLUMNS, pair_rows(loans, deposits)))
    write_rollups(conn, loans, deposits)
    relationship_steps.rewrite_around(conn, (loans, deposits))


def stored_pairs(conn: sa.Connection, loans=(), deposits=()) -> list[tuple[date, date]]:
    """The stored pairs on one of the loan dates `loans` or deposits dates `deposits`."""
    either = sa.or_(
        PAIRS.c.loans_as_of.in_(list(loans)), PAIRS.c.deposits_as_of.in_(list(deposits))
    )
    return [tuple(row) for row in conn.execute(sa.select(PAIRS).where(either))]


def _pairs_on(conn: sa.Connection, loans: set[date], deposits: set[date]) -> set[tuple]:
    """The pairs of the listing dates from the earliest of these dates on that read one of them
    (a back-dated listing is read by the later dates' pairs until the next listing of its kind)."""
    touched = loans | deposits
    if not touched:
        return set()
    first = min(touched)
    days = sa.union(
        sa.select(Position.as_of.label("day")).where(Position.as_of >= first),
        sa.select(DepositPosition.as_of).where(DepositPosition.as_of >= first),
    ).subquery("days")
    dp = DepositPosition
    pairs = (
        sa.select(
            sa.select(sa.func.max(Position.as_of))
            .where(Position.as_of <= days.c.day)
            .scalar_subquery(),
            sa.select(sa.func.max(dp.as_of)).where(dp.as_of <= days.c.day).scalar_subquery(),
        )
        .select_from(days)
        .distinct()
    )
    return {
        (loan, deposit)
        for loan, deposit in conn.execute(pairs)
        if loan is not None and deposit is not None and (loan in loans or deposit in deposits)
    }


def refresh(conn: sa.Connection, loans: Iterable[date] = (), deposits: Iterable[date] = ()) -> None:
    """After positions of the loan dates `loans` or deposit positions of `deposits` changed:
    every stored pair on those dates, and the pair of every listing date that reads them,
    written again."""
    _hold(conn)
    loans, deposits = set(loans), set(deposits)
    _drop_unread(conn)
    pairs = set(stored_pairs(conn, loans, deposits)) | _pairs_on(conn, loans, deposits)
    for pair in sorted(pairs):
        write_pair(conn, *pair)


def after_import(conn: sa.Connection, loans: date | None = None, deposits: date | None = None):
    """A listing imported for its date: the pairs on that date dropped (their listing changed),
    then the pair of every listing date that reads it written."""
    _hold(conn)
    on_loans, on_deposits = {loans} - {None}, {deposits} - {None}
    _drop_unread(conn)
    for pair in stored_pairs(conn, on_loans, on_deposits):
        _drop(conn, *pair)
    for pair in sorted(_pairs_on(conn, on_loans, on_deposits)):
        write_pair(conn, *pair)


def _drop_unread(conn: sa.Connection) -> None:
    """The stored pairs no listing date reads any more, dropped: a pair is read by the later of
    its two dates unless a listing of either kind came in between. A month's loan listing
    imported before its deposits listing stores the pair of its date with the month before's
    deposits; once the deposits are in, no day reads it, and the steps go round it."""
    p = PAIRS.c
    last = sa.case((p.loans_as_of >= p.deposits_as_of, p.loans_as_of), else_=p.deposits_as_of)
    dp = DepositPosition

    def between(column, since):
        return sa.exists().where(column > since, column <= last)

    unread = sa.select(p.loans_as_of, p.deposits_as_of).where(
        sa.or_(between(Position.as_of, p.loans_as_of), between(dp.as_of, p.deposits_as_of))
    )
    for pair in conn.execute(unread).all():
        _drop(conn, *pair)


def rewrite_customers(conn: sa.Connection, customers: sa.Select) -> None:
    """The rows of `customers` on every stored pair, computed again. Each pair's own row is
    written too: a pair's rows changed make it another version (funding/matched_services.py
    keeps what it reads of a pair by that version)."""
    _hold(conn)
    for pair in conn.execute(sa.select(PAIRS).order_by(*PAIRS.c)).all():
        p = PAIRS.c
        conn.execute(
            sa.update(PAIRS).where(of_pair(PAIRS, *pair)).values(loans_as_of=p.loans_as_of)
        )
        conn.execute(sa.delete(ROWS).where(of_pair(ROWS, *pair), ROWS.c.customer_id.in_(customers)))
        conn.execute(sa.insert(ROWS).from_select(COLUMNS, pair_rows(*pair, customers)))
        write_rollups(conn, *pair)
        # Their steps stay: which customers are on a pair follows the positions, not the products.


def _changed(obj, fields) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _dates(obj) -> list[date]:
    history = sa.inspect(obj).attrs.as_of.history
    return [day for day in chain(history.added, history.unchanged, history.deleted) if day]


@sa.event.listens_for(Session, "after_flush")
def _rewrite_touched(session: Session, _context) -> None:
    """Positions, deposit positions, facilities' products and products' categories written
    through the ORM: the stored pairs they change written again in the same transaction."""
    loans, deposits, moved, recategorised = set(), set(), set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Position):
            loans.update(_dates(obj))
        elif isinstance(obj, DepositPosition):
            deposits.update(_dates(obj))
        elif obj in session.new:
            continue
        elif isinstance(obj, Facility) and _changed(obj, ("product_id",)):
            moved.add(obj.id)
        elif isinstance(obj, Product) and _changed(obj, CATEGORY_FIELDS):
            recategorised.add(obj.id)
    if not (loans or deposits or moved or recategorised):
        return
    conn = session.connection()
    if loans or deposits:
        refresh(conn, loans, deposits)
    if moved:
        rewrite_customers(
            conn, sa.select(Position.customer_id).where(Position.facility_id.in_(sorted(moved)))
        )
    if recategorised:
        facilities = sa.select(Facility.id).where(Facility.product_id.in_(sorted(recategorised)))
        rewrite_customers(
            conn, sa.select(Position.customer_id).where(Position.facility_id.in_(facilities))
        )
