"""The relationship figures' reads of a stored pair of listings (funding/relationship_rows.py):
the scope's customers, their cross-sell and whether they still hold anything, from one row per
customer and booking group instead of every holding of the scope's customers. Services recorded
by hand stay live. funding/relationship.py decides which pairs are read here."""

import sqlalchemy as sa

from aoapp.common.read_memo import remembered
from aoapp.credit.rollup_reads import reading_live
from aoapp.extensions import db
from aoapp.funding.held import Listings, of_customers, recorded_services
from aoapp.funding.relationship_tables import (
    DEPARTURES,
    PAIRS,
    ROLLUP_FIGURES,
    ROLLUPS,
    ROWS,
    STEPS,
    figures,
    of_step,
)

# A stored pair's per-customer columns, as `booked_rows` gives them.
LISTED = ("borrower", "depositor", "products", "has_credit", "has_deposit")


def both(a, b) -> sa.ColumnElement:
    """How many rows have both flags (1 and 1)."""
    return sa.func.sum(sa.case((sa.and_(a == 1, b == 1), 1), else_=0))


def stored(listings: Listings) -> bool:
    """The pair of `listings` has relationship rows (funding/relationship_rows.py) to read."""
    if reading_live() or listings.loans is None or listings.deposits is None:
        return False
    pair = PAIRS.c
    stmt = sa.select(pair.loans_as_of).where(
        pair.loans_as_of == listings.loans, pair.deposits_as_of == listings.deposits
    )
    key = ("relationship pair stored", listings.loans, listings.deposits)
    return remembered(key, lambda: db.session.scalar(stmt) is not None)


def of(listings: Listings) -> sa.ColumnElement[bool]:
    return sa.and_(ROWS.c.loans_as_of == listings.loans, ROWS.c.deposits_as_of == listings.deposits)


def booked_rows(listings: Listings, where, officers: bool, services=None) -> sa.Subquery:
    """A stored pair's rows the scope books, and the customers it books only services (their
    listed figures NULL): officer_id?, customer_id, borrower, depositor, products, has_credit,
    has_deposit. `services`: the scope's recorded services when the caller has them."""
    r = ROWS.c
    if services is None:
        services = recorded_services(listings.day, where).subquery("services")
    rows = sa.select(
        *([r.officer_id] if officers else []),
        r.customer_id,
        r.borrower,
        r.depositor,
        r.products,
        r.has_credit,
        r.has_deposit,
    ).where(of(listings), where(r.officer_id, r.branch_id, r.customer_id))
    recorded = sa.select(
        *([services.c.officer_id] if officers else []),
        services.c.customer_id,
        sa.literal(0),
        sa.literal(0),
        sa.null(),
        sa.null(),
        sa.null(),
    )
    return sa.union_all(rows, recorded).subquery("booked")


def cross_sell(listings: Listings, where, officers: bool, narrow: bool = False) -> list:
    """The cross-sell rows of funding/relationship._cross_sell from a stored pair: the scope's
    rollups, with its customers booked in several groups and those holding services (few; the
    services are live) counted customer by customer.

    The rollups hold each customer booked in one group as its row says, services left out. So:
    the rollups of the scope's groups, less the rows of its customers in one group who hold a
    service, plus every customer of the scope who is in several groups or holds a service,
    counted in full (`_customer_by_customer`). `where` is a scope by officer and branch
    (`held.in_scope`, one officer's or several): the rollups have no customer column. A `narrow`
    scope (one officer's hundred customers) is read customer by customer at once: asking the
    rollups' three parts would cost more than reading its rows. So is every scope when more than
    SERVICE_HOLDERS_FOR_ROLLUPS customers hold a service: each of them would be read one by one
    (with 90,000 holders of a bank's 200,000 customers, a branch's figures took 690 ms from the
    rollups and 130 ms from its rows)."""
    if narrow or _many_services(listings):
        return _customer_by_customer(listings, where, officers)
    irregular = _irregular(listings)

    def theirs(officer, branch, customer):
        return sa.and_(where(officer, branch, customer), customer.in_(irregular))

    r, u = ROWS.c, ROLLUPS.c
    keys = [u.officer_id] if officers else []
    rolled = sa.select(*keys, *(sa.func.sum(u[name]) for name in ROLLUP_FIGURES)).where(
        u.loans_as_of == listings.loans,
        u.deposits_as_of == listings.deposits,
        where(u.officer_id, u.branch_id, sa.null()),
    )
    keys = [r.officer_id] if officers else []
    served = sa.select(*keys, *figures(r)).where(
        of(listings),
        where(r.officer_id, r.branch_id, r.customer_id),
        r.bookings == 1,
        r.customer_id.in_(_holding_services(listings)),
    )
    found: dict[tuple, list[int]] = {}
    for sign, stmt in ((1, rolled), (-1, served)):
        for row in db.session.execute(stmt.group_by(*stmt.selected_columns[: len(keys)])):
            _add(found, row, len(keys), sign)
    for row in _customer_by_customer(listings, theirs, officers):
        _add(found, row, len(keys), 1)
    return [(*key, *values) for key, values in found.items() if values[0]]


# Above this many customers holding a service (bank-wide, on the day), the rollups are not read:
# their services are counted customer by customer, and so many cost more than the scope's rows.
SERVICE_HOLDERS_FOR_ROLLUPS = 1000


def _many_services(listings: Listings) -> bool:
    """More than SERVICE_HOLDERS_FOR_ROLLUPS holdings of services on the day (counted no further;
    asked once per read block)."""
    held = _holding_services(listings).limit(SERVICE_HOLDERS_FOR_ROLLUPS + 1).subquery("some")
    stmt = sa.select(sa.func.count()).select_from(held)
    key = ("many service holders", listings.day, SERVICE_HOLDERS_FOR_ROLLUPS)
    return remembered(key, lambda: db.session.scalar(stmt) > SERVICE_HOLDERS_FOR_ROLLUPS)


def _add(found: dict, row, keys: int, sign: int) -> None:
    values = found.setdefault(tuple(row[:keys]), [0] * len(ROLLUP_FIGURES))
    for n, value in enumerate(row[keys:]):
        values[n] += sign * int(value or 0)


def _holding_services(listings: Listings) -> sa.Select:
    """The customers holding a service at the end of the pair's day, wherever booked."""
    services = recorded_services(listings.day, lambda _o, _b, _c: sa.true()).subquery("held")
    return sa.select(services.c.customer_id)


def _irregular(listings: Listings) -> sa.Select:
    """The customers the rollups do not hold as they count: those booked in several groups on
    the pair, and those holding a service."""
    shared = sa.select(ROWS.c.customer_id).where(of(listings), ROWS.c.bookings > 1)
    return sa.union(shared, _holding_services(listings))


def _customer_by_customer(listings: Listings, where, officers: bool) -> list:
    """The cross-sell rows of the scope's customers `where` keeps, each customer's rows read:
    the scope's rows carry each customer's listed figures; only its services (live) and the
    customers it books nothing but services are looked up."""
    # The services the scope books, read once for the three parts that need them.
    booked_services = recorded_services(listings.day, where).cte("booked_services")
    booked = booked_rows(listings, where, officers, booked_services)
    keys = [booked.c.officer_id] if officers else []
    scoped = (
        sa.select(
            *keys,
            booked.c.customer_id,
            *(sa.func.max(booked.c[name]).label(name) for name in LISTED),
        )
        .group_by(*keys, booked.c.customer_id)
        .cte("scoped")
    )
    r = ROWS.c
    # The customers the scope books services: those among them it books nothing listed have
    # their listed figures on rows elsewhere (few; not a scan of the scope's customers).
    unlisted = sa.select(booked_services.c.customer_id)
    elsewhere = (
        sa.select(r.customer_id, *(sa.func.max(r[name]).label(name) for name in LISTED[2:]))
        .where(of(listings), r.customer_id.in_(unlisted))
        .group_by(r.customer_id)
        .subquery("elsewhere")
    )
    # The scope's customers' services wherever booked: those booked in the scope, and those of
    # its listed customers booked elsewhere. Two index-driven reads whatever the scope's size
    # (a scope's CTE has no statistics: restricting to it drove 200,000 lookups bank-wide).
    listed = sa.select(r.customer_id).where(
        of(listings), where(r.officer_id, r.branch_id, r.customer_id)
    )
    everywhere = sa.union_all(
        sa.select(booked_services),
        recorded_services(listings.day, of_customers(listed)),
    ).subquery("all")
    services = (
        sa.select(
            everywhere.c.customer_id,
            sa.func.count(sa.distinct(everywhere.c.category)).label("count"),
        )
        .group_by(everywhere.c.customer_id)
        .subquery("recorded")
    )

    def listed(name):
        return sa.func.coalesce(scoped.c[name], elsewhere.c[name], 0)

    keys = [scoped.c.officer_id] if officers else []
    stmt = (
        sa.select(
            *keys,
            sa.func.count(),
            sa.func.sum(listed("products") + sa.func.coalesce(services.c.count, 0)),
            sa.func.sum(scoped.c.borrower),
            both(scoped.c.borrower, listed("has_deposit")),
            sa.func.sum(scoped.c.depositor),
            both(scoped.c.depositor, listed("has_credit")),
        )
        .select_from(scoped)
        .outerjoin(elsewhere, elsewhere.c.customer_id == scoped.c.customer_id)
        .outerjoin(services, services.c.customer_id == scoped.c.customer_id)
        .group_by(*keys)
    )
    return [tuple(int(v or 0) for v in row) for row in db.session.execute(stmt)]


def holding_anything(listings: Listings, customers) -> sa.ColumnElement[bool]:
    """`customers` (a column) hold anything on the stored pair of `listings`: EXISTS, one index
    lookup per customer (an IN would hash the whole pair for a branch)."""
    listed = sa.exists().where(of(listings), ROWS.c.customer_id == customers)
    recorded = recorded_services(listings.day, lambda _o, _b, c: c == customers)
    return sa.or_(listed, recorded.exists())


def stepped(start: Listings, end: Listings) -> bool:
    """Retention from `start` to `end` reads the stored step between their pairs
    (funding/relationship_steps.py): both pairs stored, the same or one right after the other,
    and the start not after the end (a service held on the start is then held on the end)."""
    if start.day > end.day or not (stored(start) and stored(end)):
        return False
    if _pair(start) == _pair(end):
        return True
    stmt = sa.select(STEPS.c.loans_as_of).where(of_step(STEPS, _pair(start), _pair(end)))
    key = ("relationship step stored", _pair(start), _pair(end))
    return remembered(key, lambda: db.session.scalar(stmt) is not None)


def _pair(listings: Listings) -> tuple:
    return (listings.loans, listings.deposits)


def departed(start: Listings, end: Listings, where, officers: bool) -> sa.Select:
    """The scope's customers on `start` holding nothing on `end` (officer id?, customer id), from
    the stored step: the customers listed in the scope on the start pair with no row on the end
    pair and no service on the end's day. (A customer of the scope by a service alone still
    holds it on the end.)"""
    d = DEPARTURES.c
    keys = [d.officer_id] if officers else []
    moved = _pair(start) != _pair(end)  # on one pair, nobody left
    return (
        sa.select(*keys, d.customer_id)
        .where(
            of_step(DEPARTURES, _pair(start), _pair(end)),
            where(d.officer_id, d.branch_id, d.customer_id),
            d.customer_id.not_in(_holding_services(end)),
            sa.true() if moved else sa.false(),
        )
        .distinct()
    )


def retained(start: Listings, end: Listings, where, officers: bool) -> list:
    """The retention rows of funding/relationship._retained from the stored step: the scope's
    customers on the start as its cross-sell counts them, less those who left."""
    begun = cross_sell(start, where, officers)
    keys = 1 if officers else 0
    gone = departed(start, end, where, officers).subquery("gone")
    counted = sa.select(*gone.c[:keys], sa.func.count()).select_from(gone)
    counted = counted.group_by(*gone.c[:keys])
    lost = {tuple(row[:keys]): row[keys] for row in db.session.execute(counted)}
    rows = [(*row[:keys], row[keys], row[keys] - lost.get(tuple(row[:keys]), 0)) for row in begun]
    return rows or ([] if officers else [(0, 0)])
