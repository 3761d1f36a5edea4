"""Relationship figures: products per customer (cross-sell), borrowers who also hold funds and
depositors who also borrow, and retention — the one source for the API, the dashboards, the
officer KPIs, the targets and the portfolio workbook.

What is held on a day is funding/holdings.py's. The scope picks the customers: those with a
holding booked in it on the day; what those customers hold is then counted bank-wide (a debtor of
the officer whose tabungan another branch books is a debtor with funds). Hence:

- customers: distinct customers with a holding booked in the scope;
- products per customer: their distinct product categories held (bank-wide), summed, over
  the customers (4 places half-up; None without customers);
- borrowers with funding: of the customers with a facility booked in the scope, the share holding
  a deposit account anywhere in the bank; depositors with credit the other way round;
- retention over a period: of the customers of the scope on its start (the day before it
  begins), the share still holding anything in the bank on its end.

Per officer, "the scope" is what is booked to the officer, so a customer served by two officers is
a customer of both (as the KPIs' debtors are).

Listings whose pair is stored (funding/relationship_rows.py) are read from its rows, one per
customer and booking group (funding/stored_relationship.py), with the services recorded by hand
read live; any other from the holdings.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.common.read_memo import condition_key, remembered
from aoapp.credit.figures import PortfolioScope, ratio, resolve_scope
from aoapp.extensions import db
from aoapp.funding import stored_relationship as stored
from aoapp.funding.held import (
    InScope,
    Listings,
    holdings,
    in_scope,
    listings_on,
    of_customers,
)


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole, 4 places half-up; None when whole is 0."""
    return ratio(Decimal(part), Decimal(whole)) if whole else None


@dataclass(frozen=True)
class Retention:
    """Customers of the scope on `start` and how many still hold anything on the end."""

    start: Listings
    customers_start: int
    customers_retained: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.customers_retained, self.customers_start)

    @property
    def lost(self) -> int:
        return self.customers_start - self.customers_retained


@dataclass(frozen=True)
class RelationshipFigures:
    """Cross-sell of one scope on `listings` (and its retention since `retention.start`)."""

    listings: Listings
    scope: str
    customers: int = 0
    products_held: int = 0
    borrowers: int = 0
    borrowers_with_funding: int = 0
    depositors: int = 0
    depositors_with_credit: int = 0
    retention: Retention | None = field(default=None)

    @property
    def available(self) -> bool:
        """False without a deposits listing (then every figure is empty)."""
        return self.listings.complete

    @property
    def products_per_customer(self) -> Decimal | None:
        return rate(self.products_held, self.customers)

    @property
    def borrowers_with_funding_share(self) -> Decimal | None:
        return rate(self.borrowers_with_funding, self.borrowers)

    @property
    def depositors_with_credit_share(self) -> Decimal | None:
        return rate(self.depositors_with_credit, self.depositors)


def _customers(listings: Listings, where, officers: bool) -> sa.CTE:
    """The scope's customers (per officer when `officers`), and whether the scope books them a
    facility (borrower) or funds (depositor)."""
    if stored.stored(listings):
        booked = stored.booked_rows(listings, where, officers)
        credit, deposit = booked.c.borrower, booked.c.depositor
    else:
        booked = holdings(listings, where)
        credit, deposit = booked.c.credit, booked.c.deposit
    keys = [booked.c.officer_id] if officers else []
    return (
        sa.select(
            *keys,
            booked.c.customer_id,
            sa.func.max(credit).label("borrower"),
            sa.func.max(deposit).label("depositor"),
        )
        .group_by(*keys, booked.c.customer_id)
        .cte("scoped")  # read by several parts of one statement: computed once
    )


def _cross_sell(
    listings: Listings, where, officers: bool, narrow: bool = False, together: tuple = ()
) -> list:
    """[(officer id?, customers, products, borrowers, with funding, depositors, with credit)];
    `narrow`: one officer's scope, whose customers are fewer to read than the rollups' parts;
    `together`: the pairs the caller asks for next in the read block (stored_relationship)."""
    if stored.stored(listings):
        return stored.cross_sell(listings, where, officers, narrow, together)
    scoped = _customers(listings, where, officers)
    everything = holdings(listings, of_customers(sa.select(scoped.c.customer_id)))
    stats = (
        sa.select(
            everything.c.customer_id,
            sa.func.count(sa.distinct(everything.c.category)).label("products"),
            sa.func.max(everything.c.credit).label("has_credit"),
            sa.func.max(everything.c.deposit).label("has_deposit"),
        )
        .group_by(everything.c.customer_id)
        .subquery("stats")
    )

    keys = [scoped.c.officer_id] if officers else []
    stmt = (
        sa.select(
            *keys,
            sa.func.count(),
            sa.func.sum(stats.c.products),
            sa.func.sum(scoped.c.borrower),
            stored.both(scoped.c.borrower, stats.c.has_deposit),
            sa.func.sum(scoped.c.depositor),
            stored.both(scoped.c.depositor, stats.c.has_credit),
        )
        .select_from(scoped)
        .join(stats, stats.c.customer_id == scoped.c.customer_id)
        .group_by(*keys)
    )
    return [tuple(int(v or 0) for v in row) for row in db.session.execute(stmt)]


def _holding_anything(listings: Listings, customers) -> sa.ColumnElement[bool]:
    """`customers` (a column) hold anything on `listings`."""
    if stored.stored(listings):
        return stored.holding_anything(listings, customers)
    still = holdings(listings, of_customers(sa.select(customers)))
    return customers.in_(sa.select(still.c.customer_id))


def _retained(start: Listings, end: Listings, where, officers: bool, narrow=False) -> list:
    """[(officer id?, customers on start, of them holding anything on end)]; `narrow`: one
    officer's scope, whose customers are looked up on the end in one statement."""
    if not narrow and stored.stepped(start, end):
        return stored.retained(start, end, where, officers)
    scoped = _customers(start, where, officers)
    kept = _holding_anything(end, scoped.c.customer_id)
    keys = [scoped.c.officer_id] if officers else []
    stmt = (
        sa.select(*keys, sa.func.count(), sa.func.sum(sa.case((kept, 1), else_=0)))
        .select_from(scoped)
        .group_by(*keys)
    )
    return [tuple(int(v or 0) for v in row) for row in db.session.execute(stmt)]


def period_start(first_day: date) -> Listings:
    """What was held when a period began: the listings on or before the day before it."""
    return listings_on(first_day - timedelta(days=1))


def scope_relationship(
    scope: PortfolioScope, listings: Listings, start: Listings | None = None
) -> RelationshipFigures:
    """The relationship figures of a resolved scope on `listings`, with retention since `start`
    when given (None when either end has no deposits listing)."""
    if not listings.complete:
        return RelationshipFigures(listings, scope.label)
    retention = None
    if scope.officer_id is not None:  # one officer's: the officer KPIs' rows (read once)
        mine = scope.officer_id
        selling, keeping = _per_officer([mine], listings, start, scope.condition)
        values = next((row[1:] for row in selling if row[0] == mine), (0,) * 6)
        begun, kept = next((row[1:] for row in keeping if row[0] == mine), (0, 0))
    else:
        complete = start is not None and start.complete
        together = (start,) if complete and stored.stepped(start, listings) else ()
        rows = _cross_sell(listings, in_scope(scope.condition), officers=False, together=together)
        values = rows[0] if rows else (0,) * 6
        if complete:
            begun, kept = _retained(start, listings, in_scope(scope.condition), False)[0]
    if start is not None and start.complete:
        retention = Retention(start, begun, kept)
    return RelationshipFigures(listings, scope.label, *values, retention=retention)


def relationship_summary(
    actor, day: date | None = None, officer_id=None, branch_id=None, since: date | None = None
) -> RelationshipFigures:
    """The relationship figures `actor` asks for on `day` (default: today), with retention from
    `since` (the customers holding anything on that day) when given."""
    scope = resolve_scope(actor, officer_id, branch_id)
    start = listings_on(since) if since is not None else None
    return scope_relationship(scope, listings_on(day or bank_today()), start)


def _officers(ids: list[int], condition) -> InScope:
    """Holdings booked within `condition` to one of the officers `ids`."""
    return InScope(sa.true() if condition is None else condition, tuple(ids))


def officer_relationship(
    ids: list[int], listings: Listings, start: Listings | None = None, condition=None
) -> dict[int, dict]:
    """Each officer's relationship KPIs (kpis/figures.py): customers, products held and, with
    `start`, the customers on `start` and those retained (grouped queries)."""
    if not ids or not listings.complete:
        return {}
    selling, keeping = _per_officer(ids, listings, start, condition)
    found: dict[int, dict] = {}
    for officer, customers, products, *_shares in selling:
        found[officer] = {"relationship_customers": customers, "products_held": products}
    for officer, begun, kept in keeping:
        found.setdefault(officer, {})
        found[officer] |= {"customers_start": begun, "customers_retained": kept}
    return found


def _per_officer(ids: list[int], listings: Listings, start: Listings | None, condition):
    """(cross-sell rows, retention rows) per officer of `ids` within `condition`: asked once per
    read block (common/read_memo.py), as the officer dashboard asks for its KPIs and its scope."""
    where = _officers(ids, condition)
    retained = start is not None and start.complete
    narrow = len(ids) == 1

    def rows():
        stepped = retained and not narrow and stored.stepped(start, listings)
        together = (start,) if stepped else ()  # retention reads the start's services next
        selling = _cross_sell(listings, where, officers=True, narrow=narrow, together=together)
        keeping = _retained(start, listings, where, True, narrow) if retained else []
        return selling, keeping

    scope = None if condition is None else condition_key(condition)
    key = ("relationship per officer", tuple(ids), listings, start if retained else None, scope)
    return remembered(key, rows)


def lost_customers(condition, start: Listings, end: Listings) -> dict[int, list]:
    """The customers of the scope on `start` holding nothing on `end`, with what the scope booked
    them on `start` (rows: source, product, account_no, amount), by customer id."""
    if not (start.complete and end.complete):
        return {}
    if stored.stepped(start, end):
        lost = stored.departed(start, end, in_scope(condition), officers=False).cte("lost")
    else:
        scoped = _customers(start, in_scope(condition), officers=False)
        lost = (
            sa.select(scoped.c.customer_id)
            .where(sa.not_(_holding_anything(end, scoped.c.customer_id)))
            .cte("lost")  # read by each part of the holdings below: computed once
        )
    mine, theirs = in_scope(condition), of_customers(sa.select(lost.c.customer_id))
    then = holdings(start, lambda o, b, c: sa.and_(mine(o, b, c), theirs(o, b, c)), detail=True)
    stmt = sa.select(
        then.c.customer_id, then.c.source, then.c.product, then.c.account_no, then.c.amount
    ).order_by(then.c.customer_id, then.c.source, then.c.product, then.c.account_no)
    found: dict[int, list] = {}
    for customer_id, *held in db.session.execute(stmt):
        found.setdefault(customer_id, []).append(tuple(held))
    return found
