"""The relationship figures' reads of a stored pair of listings (funding/relationship_rows.py):
the scope's customers, their cross-sell and whether they still hold anything, from one row per
customer and booking group instead of every holding of the scope's customers. Services recorded
by hand stay live. funding/relationship.py decides which pairs are read here."""

import sqlalchemy as sa

from aoapp.common.ids import among
from aoapp.common.read_memo import condition_key, remembered, remembered_each, remembering_now
from aoapp.credit.figures import whole_bank
from aoapp.credit.rollup_reads import reading_live
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.held import (
    InScope,
    Listings,
    holds_a_service,
    of_customers,
    recorded_services,
)
from aoapp.funding.matched_services import services_matched
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


def cross_sell(
    listings: Listings, where: InScope, officers: bool, narrow: bool = False, together: tuple = ()
) -> list:
    """The cross-sell rows of funding/relationship._cross_sell from a stored pair: the scope's
    rollups, with the few customers they do not hold as counted read customer by customer, and
    the services (live) of the others added up.

    The rollups hold each customer booked in one group as its row says, services left out. A
    customer holding a service booked where its row is (the usual case: its officer now is the
    one the listings booked it to) is counted by the rollups but for its services, which are
    added as a sum per group (`_services_in_scope`). The others (`_irregular`): customers booked
    in several groups, holders whose service is booked in another group than their row (moved
    since the listing) or who have no row (services alone) are counted in full customer by
    customer, and the rows of those among them in one group taken out of the rollups. `where`
    is a scope by officer and branch (`held.in_scope`, one officer's or several): the rollups
    have no customer column. A `narrow` scope (one officer's hundred customers) is read customer
    by customer at once: asking the rollups' parts would cost more than reading its rows.
    `together`: the other stored pairs the caller asks for in the same read block (retention's
    start), whose services are read in the same pass."""
    if narrow:
        return _customer_by_customer(listings, where, officers)
    regular, unmatched, anywhere = _services_in_scope(listings, where, officers, together)
    irregular = _irregular(listings, where, unmatched, anywhere)  # few: read once

    def theirs(officer, branch, customer):
        return sa.and_(where(officer, branch, customer), among(customer, irregular))

    r = ROWS.c
    rolled = _rolled(listings, where, officers, ROLLUP_FIGURES)
    keys = [r.officer_id] if officers else []
    recounted = sa.select(*keys, *figures(r)).where(
        of(listings),
        where(r.officer_id, r.branch_id, r.customer_id),
        r.bookings == 1,
        among(r.customer_id, irregular),
    )
    found: dict[tuple, list[int]] = {}
    parts = [(1, rolled), (-1, recounted)] if irregular else [(1, rolled)]
    for sign, stmt in parts:
        for row in db.session.execute(stmt.group_by(*stmt.selected_columns[: len(keys)])):
            _add(found, row, len(keys), sign)
    for key, services in regular.items():
        _add(found, (*key, 0, services), len(keys), 1)
    for row in _customer_by_customer(listings, theirs, officers) if irregular else []:
        _add(found, row, len(keys), 1)
    return [(*key, *values) for key, values in found.items() if values[0]]


def _rolled(listings: Listings, where: InScope, officers: bool, names) -> sa.Select:
    """The scope's relationship rollups on the pair, the figures `names` summed (per officer
    when `officers`), not yet grouped."""
    u = ROLLUPS.c
    keys = [u.officer_id] if officers else []
    return sa.select(*keys, *(sa.func.sum(u[name]) for name in names)).where(
        u.loans_as_of == listings.loans,
        u.deposits_as_of == listings.deposits,
        where(u.officer_id, u.branch_id, sa.null()),
    )


def _add(found: dict, row, keys: int, sign: int) -> None:
    values = found.setdefault(tuple(row[:keys]), [0] * len(ROLLUP_FIGURES))
    for n, value in enumerate(row[keys:]):
        values[n] += sign * int(value or 0)


def _services_in_scope(
    listings: Listings, where: InScope, officers: bool, together: tuple = ()
) -> tuple[dict, list, list]:
    """The services the scope books (where their customers are now): ({officer id?: services}
    of the customers the rollups count as they are, their only row booked in the same group;
    [the other holders]: no row, several, or their row in another group; [the other holders of
    the whole scope], whichever of its officers books them).

    A scope's officers (`InScope` with officers) take their part of the whole scope's answer,
    read once per read block: a team dashboard asks for the scope and for its officers, on the
    month's pair and on the retention's start, and each read of the scope's services is a pass
    over every service holding of the bank (issue 22). In a read block the pairs `together`
    are matched in the same pass: the scope's service holdings are read once for both."""
    by_officer, unmatched = _services_matched(listings, where, together)
    regular: dict[tuple, int] = {}
    for (officer,), services in by_officer.items():
        if where.keeps_officer(officer):
            group = (officer,) if officers else ()
            regular[group] = regular.get(group, 0) + services
    kept = [customer for customer, officer in unmatched if where.keeps_officer(officer)]
    return regular, kept, [customer for customer, _officer in unmatched]


def _services_matched(listings: Listings, where: InScope, together: tuple = ()) -> tuple:
    """`matched_services.services_matched`'s answer for the pair of `listings` and the whole
    scope of `where`, read once per read block with the pairs `together`."""
    pairs = [listings]
    if remembering_now():  # outside a read block nobody would take the others' answers
        pairs += [p for p in dict.fromkeys(together) if p != listings and stored(p)]
    kind = ("relationship services by booking", condition_key(where.condition))
    found = remembered_each(kind, pairs, lambda missing: services_matched(missing, where.whole))
    return found[listings]


def _other_holders(listings: Listings, where: InScope, together: tuple = ()) -> list[tuple]:
    """[(customer id, officer id now)] of the scope's service holders its rollups do not count
    as matched (`_services_in_scope`'s others, with the officer booking their services now)."""
    unmatched = _services_matched(listings, where, together)[1]
    return [(c, officer) for c, officer in unmatched if where.keeps_officer(officer)]


def _irregular(
    listings: Listings, where: InScope, unmatched: list[int], anywhere: list[int]
) -> list[int]:
    """The customers of the scope the rollups do not hold as counted: those booked in several
    groups on the pair; `unmatched`, those the scope books a service but not in the group of
    their only row (or with no row); and those whose only row the scope books while their
    services are booked elsewhere now (a scope's officers: their part of the whole scope's,
    read once per read block, as `_services_in_scope`)."""
    r = ROWS.c
    shared = sa.select(r.customer_id).where(of(listings), r.bookings > 1).distinct()
    scoped = where.whole(r.officer_id, r.branch_id, r.customer_id)
    if whole_bank(scoped):
        # The whole bank (or officers of it): a holder booked elsewhere than its row is booked
        # in the bank, so it is among the bank's other holders (`anywhere`; `unmatched` when no
        # officers are chosen). Taking all of them for some officers counts a few more customers
        # one by one, which changes no figure, and saves the bank-wide join of the rows to the
        # customers (2 × 300 ms on the admin's dashboard, issue 22).
        return sorted(set(db.session.scalars(shared)) | set(anywhere))
    moved = (
        sa.select(r.customer_id, sa.literal(False).label("in_several"), r.officer_id)
        .join(Customer, Customer.id == r.customer_id)
        .where(
            of(listings),
            scoped,
            r.bookings == 1,
            sa.or_(
                Customer.officer_id.is_distinct_from(r.officer_id),
                Customer.branch_id.is_distinct_from(r.branch_id),
            ),
            holds_a_service(listings.day, r.customer_id),
        )
    )
    several = shared.subquery("several")
    both = sa.union_all(sa.select(several.c.customer_id, sa.true(), sa.null()), moved)
    key = ("relationship moved holders", listings, condition_key(where.condition))
    found = remembered(key, lambda: db.session.execute(both).all())
    # Booked in several groups: irregular in any scope; moved: in its row's officer's.
    kept = {
        customer
        for customer, several_groups, officer in found
        if several_groups or where.keeps_officer(officer)
    }
    return sorted(kept | set(unmatched))


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
            ~holds_a_service(end.day, d.customer_id),
            sa.true() if moved else sa.false(),
        )
        .distinct()
    )


def retained(start: Listings, end: Listings, where: InScope, officers: bool) -> list:
    """The retention rows of funding/relationship._retained from the stored step: the scope's
    customers on the start as its cross-sell counts them, less those who left."""
    begun = customers_on(start, where, officers, together=(end,))
    keys = 1 if officers else 0
    gone = departed(start, end, where, officers).subquery("gone")
    counted = sa.select(*gone.c[:keys], sa.func.count()).select_from(gone)
    counted = counted.group_by(*gone.c[:keys])
    lost = {tuple(row[:keys]): row[keys] for row in db.session.execute(counted)}
    rows = [(*row[:keys], row[keys], row[keys] - lost.get(tuple(row[:keys]), 0)) for row in begun]
    return rows or ([] if officers else [(0, 0)])


def customers_on(listings: Listings, where: InScope, officers: bool, together: tuple = ()):
    """[(officer id?, customers)]: the scope's customers on a stored pair as `cross_sell` counts
    them (each customer once per group that books it a row or, now, a service), without their
    products: retention's start needs no more, and so not the search for the holders booked
    elsewhere than their row, which only moves products between groups.

    Per group: the rollups' customers (those of one row, booked there alone); the customers of
    several rows with one in the group; and the other service holders booked there now that
    have no row there (with no group, the whole scope: no row in it)."""
    r = ROWS.c
    rolled = _rolled(listings, where, officers, ["customers"])
    found: dict[tuple, int] = {}
    for row in db.session.execute(rolled.group_by(*rolled.selected_columns[:-1])):
        found[tuple(row[:-1])] = int(row[-1] or 0)
    holders = _other_holders(listings, where, together)
    several = r.bookings > 1
    if holders:
        several = sa.or_(several, among(r.customer_id, sorted({c for c, _o in holders})))
    rows = sa.select(r.customer_id, r.officer_id, r.bookings).where(
        of(listings), where(r.officer_id, r.branch_id, r.customer_id), several
    )
    groups: dict[tuple, set] = {}
    booked: dict[int, set] = {}
    for customer, officer, bookings in db.session.execute(rows):
        group = (officer,) if officers else ()
        booked.setdefault(customer, set()).add(group)
        if bookings > 1:
            groups.setdefault(group, set()).add(customer)
    for customer, officer in holders:
        group = (officer,) if officers else ()
        if group not in booked.get(customer, ()):
            groups.setdefault(group, set()).add(customer)
    for group, customers in groups.items():
        found[group] = found.get(group, 0) + len(customers)
    return [(*group, count) for group, count in found.items() if count]
