"""Checks of the month-end aggregates (credit/rollups.py) against the positions."""

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope, scope_figures
from aoapp.credit.models import Position
from aoapp.credit.rollups import ROLLUPS, SHARED, groups, shared
from aoapp.extensions import db
from aoapp.funding import relationship_rows
from aoapp.funding import relationship_tables as tables
from aoapp.funding import rollups as deposit_rollups
from aoapp.funding.held import listings_on
from aoapp.funding.models import DepositPosition
from aoapp.funding.movements import runoff_share
from tests.support.factories import make_branch, make_user


def _number(value):
    """0 and 0.00 alike: a sum of NUMERIC on PostgreSQL, of REAL on SQLite."""
    plain = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return Decimal(str(value)).quantize(Decimal("0.01")) if plain else value


def _rows(stmt) -> list[tuple]:
    found = [tuple(_number(value) for value in row) for row in db.session.execute(stmt)]
    return sorted(found, key=str)


def assert_rollups_are_the_positions(dates: list[date] | None = None) -> None:
    """The stored rollups of `dates` (default: every date with positions) are what the
    positions give now, none stale, none missing; and so are the relationship pairs."""
    if dates is None:
        dates = list(db.session.scalars(sa.select(Position.as_of).distinct()))
    stored = sa.select(*[c for c in ROLLUPS.c if c.name != "id"]).where(ROLLUPS.c.as_of.in_(dates))
    assert _rows(stored) == _rows(groups(dates))
    stored = sa.select(*[c for c in SHARED.c if c.name != "id"]).where(SHARED.c.as_of.in_(dates))
    assert _rows(stored) == _rows(shared(dates))
    assert_pairs_are_the_listings()


def assert_pairs_are_the_listings() -> None:
    """The pair of every listing date with both listings is stored, and no other; every stored
    pair's relationship rows are what its listings give now, its rollups what its rows sum to,
    and between each two pairs in a row the step holds the rows of the customers who left."""
    assert_deposit_rollups_are_the_positions()
    days = sa.union(sa.select(Position.as_of), sa.select(DepositPosition.as_of))
    listed = [listings_on(day) for day in db.session.scalars(days)]
    wanted = {(listings.loans, listings.deposits) for listings in listed}
    stored = {tuple(row) for row in db.session.execute(sa.select(relationship_rows.PAIRS))}
    assert stored == {pair for pair in wanted if None not in pair}
    rows = relationship_rows.ROWS
    for pair in stored:
        kept = sa.select(*[rows.c[name] for name in relationship_rows.COLUMNS]).where(
            tables.of_pair(rows, *pair)
        )
        assert _rows(kept) == _rows(relationship_rows.pair_rows(*pair)), pair
        _assert_rollups_are_the_rows(pair)
    in_a_row = list(zip(sorted(stored), sorted(stored)[1:], strict=False))
    steps = db.session.execute(sa.select(tables.STEPS)).tuples()
    assert sorted((s[:2], s[2:]) for s in steps) == in_a_row
    for start, end in in_a_row:
        departed = sa.select(rows.c.customer_id, rows.c.officer_id, rows.c.branch_id)
        stayed = set(
            db.session.scalars(sa.select(rows.c.customer_id).where(tables.of_pair(rows, *end)))
        )
        left = [
            r for r in _rows(departed.where(tables.of_pair(rows, *start))) if r[0] not in stayed
        ]
        d = tables.DEPARTURES.c
        stored_left = sa.select(d.customer_id, d.officer_id, d.branch_id)
        assert _rows(stored_left.where(tables.of_step(tables.DEPARTURES, start, end))) == left


def assert_deposit_rollups_are_the_positions() -> None:
    """The deposit rollups of every date (funding/rollups.py) are the deposit positions holding
    funds summed here in Python, per (date, officer, branch); the shared depositors those held
    in more than one group on a date."""
    p = DepositPosition
    held = db.session.execute(
        sa.select(
            p.as_of,
            p.officer_id,
            p.branch_id,
            p.customer_id,
            p.deposit_type,
            p.balance,
            p.average_balance,
        ).where(p.status != "closed")
    ).all()
    groups: dict = {}
    booked: dict = {}
    for as_of, officer, branch, customer, kind, balance, average in held:
        group = groups.setdefault(
            (as_of, officer, branch),
            {"customers": set()} | dict.fromkeys(deposit_rollups.FIGURES, 0),
        )
        group["accounts"] += 1
        group["customers"].add(customer)
        group[f"{kind}_accounts"] += 1
        group[f"{kind}_balance"] += balance
        group[f"{kind}_average"] += balance if average is None else average
        booked.setdefault((as_of, customer), set()).add((officer, branch))
    expected = []
    for key, group in groups.items():
        group["depositors"] = len(group["customers"])
        figures = (group[name] for name in deposit_rollups.FIGURES)
        expected.append(tuple(_number(v) for v in (*key, *figures)))
    r = deposit_rollups.ROLLUPS.c
    stored = sa.select(*(r[name] for name in (*deposit_rollups.GROUP, *deposit_rollups.FIGURES)))
    assert _rows(stored) == sorted(expected, key=str)
    shared = [
        (as_of, customer, officer, branch)
        for (as_of, customer), groups_of in booked.items()
        if len(groups_of) > 1
        for officer, branch in groups_of
    ]
    d = deposit_rollups.SHARED.c
    stored = sa.select(d.as_of, d.customer_id, d.officer_id, d.branch_id)
    assert _rows(stored) == sorted(shared, key=str)
    _assert_runoff_is_the_positions()


def _assert_runoff_is_the_positions() -> None:
    """The stored run-off of every listing date (funding/rollups.py) is, summed here in Python
    per booking group on the previous month-end listing, the accounts holding funds then that
    are closed or gone now, or down by more than the bank's share; and each date's step names
    that previous listing and the share."""
    p = DepositPosition
    listed: dict = {}
    for account, as_of, officer, branch, balance, status in db.session.execute(
        sa.select(p.account_id, p.as_of, p.officer_id, p.branch_id, p.balance, p.status)
    ):
        listed.setdefault(as_of, {})[account] = (officer, branch, balance, status)
    share = runoff_share()
    dates = sorted(listed)
    expected, steps = [], []
    for day in dates:
        last = day.replace(day=1) - timedelta(days=1)
        earlier = [other for other in dates if last.replace(day=1) <= other <= last]
        if not earlier:
            continue
        steps.append((day, earlier[-1], share))
        groups: dict = {}
        for account, (officer, branch, balance, status) in listed[earlier[-1]].items():
            now = listed[day].get(account)
            gone = now is None or now[3] == "closed"
            if status == "closed" or not (gone or now[2] < balance * (1 - share)):
                continue
            group = groups.setdefault((officer, branch), [0, 0, 0, 0])
            group[0 if gone else 2] += 1
            group[1 if gone else 3] += balance if gone else balance - now[2]
        expected += [tuple(_number(v) for v in (day, *key, *sums)) for key, sums in groups.items()]
    r = deposit_rollups.RUNOFF.c
    stored = sa.select(
        r.as_of, r.officer_id, r.branch_id, r.closed, r.closed_balance, r.dropped, r.dropped_loss
    )
    assert _rows(stored) == sorted(expected, key=str)
    assert _rows(sa.select(deposit_rollups.RUNOFF_STEPS)) == sorted(
        [tuple(_number(v) for v in step) for step in steps], key=str
    )


def _assert_rollups_are_the_rows(pair) -> None:
    """The pair's rollups: per booking group, its customers booked nowhere else, summed."""
    u = tables.ROLLUPS.c
    stored_rows = [
        row
        for row in db.session.execute(
            sa.select(relationship_rows.ROWS).where(tables.of_pair(relationship_rows.ROWS, *pair))
        ).mappings()
    ]
    per_customer: dict = {}
    for row in stored_rows:
        per_customer.setdefault(row["customer_id"], []).append(row)
    sums: dict = {}
    for customer_rows in per_customer.values():
        if len(customer_rows) > 1:
            continue
        row = customer_rows[0]
        total = sums.setdefault((row["officer_id"], row["branch_id"]), [0] * 6)
        values = (
            1,
            row["products"],
            row["borrower"],
            row["borrower"] * row["has_deposit"],
            row["depositor"],
            row["depositor"] * row["has_credit"],
        )
        for n, value in enumerate(values):
            total[n] += value
    expected = sorted(
        (tuple(_number(v) for v in (*key, *values)) for key, values in sums.items()), key=str
    )
    stored = sa.select(u.officer_id, u.branch_id, *(u[name] for name in tables.ROLLUP_FIGURES))
    assert _rows(stored.where(tables.of_pair(tables.ROLLUPS, *pair))) == expected, pair
    assert all(row["bookings"] == len(per_customer[row["customer_id"]]) for row in stored_rows), (
        pair
    )


def assert_bank_figures_agree(admin, dates: list[date]) -> None:
    """The bank-wide figures of each date read from the rollups equal those from positions."""
    scope = resolve_scope(admin)
    for as_of in dates:
        assert rollup_reads.scope_row(scope.condition, as_of) is not None
        fast = scope_figures(scope, as_of)
        with rollup_reads.live():
            assert fast == scope_figures(scope, as_of), as_of


def officers_and_scopes(world) -> tuple[list, dict]:
    """Four officers over three branches, and the scopes a property test compares: the bank, a
    branch, a branch of one officer, an officer, a supervisor of two branches."""
    sby = make_branch("SBY01", "Surabaya")
    third = make_user("ao.eko", "officer", "SBY01")
    two = make_user("spv.two", "supervisor", "JKT01")
    two.supervised.append(world.bdg)
    db.session.commit()
    officers = [world.officer, world.colleague, world.remote, third]
    scopes = {
        "bank-wide": resolve_scope(world.admin),
        "branch": resolve_scope(world.admin, branch_id=world.jkt.id),
        "other branch": resolve_scope(world.admin, branch_id=sby.id),
        "officer": resolve_scope(world.officer),
        "two branches": resolve_scope(two),
    }
    return officers, scopes


def stored_and_live(call):
    """(call() reading the stored aggregates, call() computed live from the positions)."""
    with rollup_reads.live():
        live = call()
    return call(), live


def wipe(*tables: sa.Table) -> None:
    """Every row of `tables` deleted, in this order (a property test's example undone), and the
    listing dates of the positions among them (common/latest.py: kept by the writers)."""
    for table in tables:
        db.session.execute(sa.delete(table))
    kinds = [latest.KIND_OF_TABLE[t.name] for t in tables if t.name in latest.KIND_OF_TABLE]
    if kinds:
        db.session.execute(
            sa.delete(latest.LISTING_DATES).where(latest.LISTING_DATES.c.kind.in_(kinds))
        )
    db.session.flush()
