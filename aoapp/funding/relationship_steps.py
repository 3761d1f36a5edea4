"""The steps between stored pairs of listings (funding/relationship_rows.py): for two stored pairs
in a row, the customers on the first with no row on the second, written with the pairs' rows.
Retention over a period whose two ends are such pairs, and its lost customers, read them
(funding/stored_relationship.py) instead of looking up every customer of the scope on the end.

Whenever a pair is written or dropped, the steps into and out of it are computed again: a pair
stored between two others (a back-dated listing) replaces the step across it with two.
"""

from datetime import date

import sqlalchemy as sa

from aoapp.funding.relationship_tables import DEPARTURES, PAIRS, ROWS, STEPS, of_pair, of_step

Pair = tuple[date, date]


def _neighbour(conn: sa.Connection, pair: Pair, before: bool) -> Pair | None:
    """The stored pair just before (or after) `pair`: pairs follow their listing dates, both
    later on a later day, so they sort by (loans, deposits)."""
    key = sa.tuple_(PAIRS.c.loans_as_of, PAIRS.c.deposits_as_of)
    here = sa.tuple_(sa.literal(pair[0], sa.Date), sa.literal(pair[1], sa.Date))
    order = (PAIRS.c.loans_as_of, PAIRS.c.deposits_as_of)
    stmt = sa.select(*order).where(key < here if before else key > here)
    stmt = stmt.order_by(*(c.desc() for c in order) if before else order).limit(1)
    found = conn.execute(stmt).first()
    return tuple(found) if found else None


def _forget(conn: sa.Connection, condition) -> None:
    for table in (DEPARTURES, STEPS):
        conn.execute(sa.delete(table).where(condition(table)))


def _write(conn: sa.Connection, start: Pair, end: Pair) -> None:
    """The step from `start` to `end`: the rows on `start` of the customers with none on `end`."""
    conn.execute(
        sa.insert(STEPS).values(
            loans_as_of=start[0],
            deposits_as_of=start[1],
            to_loans_as_of=end[0],
            to_deposits_as_of=end[1],
        )
    )
    r, later = ROWS.c, ROWS.alias("later")
    still = sa.exists().where(of_pair(later, *end), later.c.customer_id == r.customer_id)
    gone = sa.select(
        sa.literal(start[0], sa.Date),
        sa.literal(start[1], sa.Date),
        sa.literal(end[0], sa.Date),
        sa.literal(end[1], sa.Date),
        r.customer_id,
        r.officer_id,
        r.branch_id,
    ).where(of_pair(ROWS, *start), ~still)
    columns = [c.name for c in DEPARTURES.c if c.name != "id"]
    conn.execute(sa.insert(DEPARTURES).from_select(columns, gone))


def rewrite_around(conn: sa.Connection, pair: Pair) -> None:
    """After `pair` was written or dropped: the steps into and out of it (or, dropped, the step
    across it) computed again from the stored rows."""
    before, after = _neighbour(conn, pair, True), _neighbour(conn, pair, False)

    def touching(table):
        into = sa.and_(table.c.to_loans_as_of == pair[0], table.c.to_deposits_as_of == pair[1])
        return sa.or_(of_pair(table, *pair), into)

    _forget(conn, touching)
    if before is not None and after is not None:  # the step across `pair`, if any
        _forget(conn, lambda table: of_step(table, before, after))
    stored = conn.execute(sa.select(PAIRS.c.loans_as_of).where(of_pair(PAIRS, *pair))).first()
    if stored is None:
        if before is not None and after is not None:
            _write(conn, before, after)
        return
    if before is not None:
        _write(conn, before, pair)
    if after is not None:
        _write(conn, pair, after)
