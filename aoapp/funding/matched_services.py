"""The services' match of stored pairs of listings, kept in each process and brought up to date
from the journal of customers whose services or booking changed (issue 22).

A stored pair's rollups count each customer booked in one group as its row says, services left
out (funding/stored_relationship.py). The match says, for each service holding of a scope, whether
its customer's only row on the pair is booked where the customer is now (the rollups count it: a
service more for that row's officer) or not (the customer is counted one by one). Read whole, the
match is a pass over every service holding of the scope and its customers against the pair's
rows: 400 ms bank-wide on each admin's dashboard, 40 ms for a branch.

On PostgreSQL the answer is kept per scope and pairs, with the snapshot it is true at (at least):
what it holds per customer, and the sums the pages read. Each later read asks the journal
(`relationship_changes`, written by triggers: migration 0043) which customers changed since that
snapshot — one index range — and reads the match again for those customers only. A pair
rewritten (a listing imported again: its `relationship_pairs` row is new), another set of service
products or an answer older than MAX_AGE_SECONDS is read whole again. The snapshots make it exact
under concurrent writers: a change committed after the snapshot is seen by the next read, one
in progress when it was taken included. Not kept: SQLite (no journal), a session that has written
(its own changes are not in the journal's past yet).
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from aoapp.common.dates import local_day_bounds, utcnow
from aoapp.common.ids import among
from aoapp.common.read_memo import condition_key, session_changed
from aoapp.common.transaction import unit_of_work
from aoapp.extensions import db
from aoapp.funding.held import Listings, service_holdings, service_products
from aoapp.funding.relationship_tables import CHANGES, PAIRS, ROWS, of_pair

# What a process keeps, in customers' rows (~340 bytes each, measured): at bank scale the bank's
# 91,000 service holders and its 40 branches' ~2,300 each, about 60 MB.
MAX_ROWS = 250_000
MAX_AGE_SECONDS = 3600  # then read whole again: the sweep deletes journal rows after a day
RECOUNT_OVER = 5000  # more changed customers than this: the match is read whole again

# Per customer: (customer id, officer id now, then for each pair: matched, own row's officer id,
# services held by the pair's day), as `_read` gives it.
Match = tuple


@dataclass
class _Kept:
    """A scope's match on its pairs: each customer's row, and the sums made of them."""

    snapshot: str  # pg_snapshot as text: every change committed after it is still to be read
    made: float  # time.monotonic() when read whole
    pairs: int
    customers: dict[int, Match] = field(default_factory=dict)
    regular: list[dict[tuple, int]] = field(default_factory=list)
    unmatched: list[dict[tuple, None]] = field(default_factory=list)

    def __post_init__(self):
        self.regular = [{} for _ in range(self.pairs)]
        self.unmatched = [{} for _ in range(self.pairs)]

    def add(self, rows) -> None:
        """Count `rows` (customers not counted yet)."""
        self._count(rows, 1)
        for row in rows:
            self.customers[row[0]] = row

    def remove(self, customer_ids) -> None:
        """Take the rows of `customer_ids` (those counted) out of the sums."""
        rows = [row for c in customer_ids if (row := self.customers.pop(c, None)) is not None]
        self._count(rows, -1)

    def _count(self, rows, sign: int) -> None:
        for n in range(self.pairs):
            sums, holders = self.regular[n], self.unmatched[n]
            at = 2 + 3 * n
            for row in rows:
                services = row[at + 2]
                if not services:  # none held yet by the pair's day
                    continue
                if row[at]:
                    own = (row[at + 1],)
                    left = (sums.get(own, 0) if sign > 0 else sums[own]) + sign * services
                    if left:
                        sums[own] = left
                    else:
                        del sums[own]
                elif sign > 0:  # a customer's unmatched services: the customer once
                    holders[(row[0], row[1])] = None
                else:
                    del holders[(row[0], row[1])]

    def answer(self) -> list[tuple[dict, list]]:
        return [
            (dict(self.regular[n]), sorted(self.unmatched[n], key=_holder_order))
            for n in range(self.pairs)
        ]


def _holder_order(holder: tuple) -> tuple:
    customer, officer = holder
    return customer, officer is None, officer or 0


_KEPT: "OrderedDict[tuple, _Kept]" = OrderedDict()
_LOCK = threading.Lock()


def forget() -> None:
    """Drop every kept match (the tests empty the tables behind the journal's back)."""
    with _LOCK:
        _KEPT.clear()


def services_matched(pairs: list[Listings], where) -> dict:
    """{pair: ({(officer id,): services} of the holders matched to their only row, by that row's
    officer; [(customer id, officer id now)] of the other holders)} for the scope `where` (a
    whole scope: `InScope` without officers)."""
    if not _keeping():
        return read_whole(pairs, where)
    key = (
        str(db.session.get_bind().url),  # the database read (a replica keeps its own)
        tuple(pairs),
        _pair_versions(pairs),
        tuple(service_products()),
        _scope_key(where),
    )
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
    if kept is None or time.monotonic() - kept.made > MAX_AGE_SECONDS:
        return _answers(pairs, _keep(key, pairs, where))
    snapshot, changed = _changes_since(kept.snapshot)
    if len(changed) > RECOUNT_OVER:
        return _answers(pairs, _keep(key, pairs, where))
    found = _read(pairs, where, changed) if changed else []
    with _LOCK:
        kept.remove(changed)
        kept.add(found)
        kept.snapshot = snapshot  # rows read after it: as new as it, or newer
        return _answers(pairs, kept.answer())


def read_whole(pairs: list[Listings], where) -> dict:
    """`services_matched`'s answer read whole, nothing kept or taken from what is."""
    return _answers(pairs, _fold(pairs, _read(pairs, where)).answer())


def _answers(pairs: list[Listings], answers: list) -> dict:
    return dict(zip(pairs, answers, strict=True))


def _keeping() -> bool:
    return db.session.get_bind().dialect.name == "postgresql" and not session_changed()


def _scope_key(where) -> tuple:
    return condition_key(where.condition), where.officers


def _pair_versions(pairs: list[Listings]) -> tuple:
    """Each pair's `relationship_pairs` row version (xmin): a pair written again is another."""
    p = PAIRS.c
    stmt = sa.select(p.loans_as_of, p.deposits_as_of, sa.literal_column("xmin::text")).where(
        sa.tuple_(p.loans_as_of, p.deposits_as_of).in_([(x.loans, x.deposits) for x in pairs])
    )
    return tuple(sorted(tuple(row) for row in db.session.execute(stmt)))


def _snapshot() -> str:
    return db.session.scalar(sa.select(sa.literal_column("pg_current_snapshot()::text")))


CHANGED_SINCE = sa.text(
    "SELECT pg_current_snapshot()::text, ARRAY(SELECT DISTINCT customer_id"
    " FROM relationship_changes WHERE xid >= :oldest"
    " AND NOT pg_visible_in_snapshot(xid::text::xid8, CAST(:since AS pg_snapshot)))"
)


def _changes_since(snapshot: str) -> tuple[str, list[int]]:
    """(the snapshot now, the customers of the journal changed after `snapshot`): rows written
    by transactions `snapshot` does not see, read from the index from its oldest (the
    transactions before it have ended: it sees every row they wrote)."""
    oldest = int(snapshot.split(":", 1)[0])
    now, customers = db.session.execute(CHANGED_SINCE, {"oldest": oldest, "since": snapshot}).one()
    return now, sorted(customers or ())


def _keep(key: tuple, pairs: list[Listings], where) -> list:
    """The match read whole, kept under `key` with a snapshot taken before it."""
    snapshot = _snapshot()
    kept = _fold(pairs, _read(pairs, where), snapshot)
    with _LOCK:
        _KEPT[key] = kept
        _KEPT.move_to_end(key)
        rows = sum(len(k.customers) for k in _KEPT.values())
        while rows > MAX_ROWS and len(_KEPT) > 1:
            rows -= len(_KEPT.popitem(last=False)[1].customers)
        return kept.answer()


def _fold(pairs: list[Listings], rows, snapshot: str = "") -> _Kept:
    kept = _Kept(snapshot, time.monotonic(), len(pairs))
    kept.add(rows)
    return kept


def _read(pairs: list[Listings], where, customers: list[int] | None = None) -> list:
    """The scope's service holders (`customers` only, when given) matched to each pair's rows,
    one row per customer: customer id, officer id now, then for each pair whether the
    customer's only row on it is booked where the customer is now, that row's officer id and
    the services held by the pair's day.

    Each service holding is one service of its customer's count: a customer holds a product
    once (`customer_product`) and a service's category is its product's code (`held.category`),
    so the holdings are counted as they are, not per category."""
    held = service_holdings(max(p.day for p in pairs), where)
    if customers is not None:
        held = held.where(among(held.selected_columns.customer_id, customers))
    h = held.subquery("holdings")
    booked = (h.c.customer_id, h.c.officer_id, h.c.branch_id)
    by_day = [
        sa.func.count()
        .filter(h.c.created_at < local_day_bounds(p.day, p.day)[1])
        .label(f"services_{n}")
        for n, p in enumerate(pairs)
    ]
    holders = sa.select(*booked, *by_day).group_by(*booked).subquery("holders")
    columns, stmt = [holders.c.customer_id, holders.c.officer_id], holders
    for n, listings in enumerate(pairs):
        row = ROWS.alias(f"own_{n}")
        stmt = stmt.outerjoin(row, _own_row(listings, row, holders))
        columns += [
            row.c.customer_id.is_not(None).label(f"matched_{n}"),
            row.c.officer_id.label(f"own_officer_{n}"),
            holders.c[f"services_{n}"],
        ]
    return db.session.execute(sa.select(*columns).select_from(stmt)).all()


def _own_row(listings: Listings, row, holders) -> sa.ColumnElement[bool]:
    """The customer's only row on the pair is in the group its services are booked to."""
    return sa.and_(
        of_pair(row, listings.loans, listings.deposits),
        row.c.customer_id == holders.c.customer_id,
        row.c.bookings == 1,
        row.c.officer_id.is_not_distinct_from(holders.c.officer_id),
        row.c.branch_id.is_not_distinct_from(holders.c.branch_id),
    )


def prune(older_than_hours: int = 24) -> int:
    """Delete the journal's rows older than `older_than_hours` (`flask imports sweep`), in a unit
    of work of its own: a kept match older than MAX_AGE_SECONDS is read whole, so none needs
    them. A journal row is never updated: the delete waits for no writer."""
    if db.session.get_bind().dialect.name != "postgresql":
        return 0  # nothing writes the journal there
    older = utcnow() - timedelta(hours=older_than_hours)
    with unit_of_work():
        return db.session.execute(sa.delete(CHANGES).where(CHANGES.c.changed_at < older)).rowcount
