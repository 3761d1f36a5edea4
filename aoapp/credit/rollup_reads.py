"""The one switch between the month-end aggregates and the positions: figures of a date that has
rollups (credit/rollups.py) are read from them, any other date from its positions.

Callers pass the scope's condition on Position (credit/figures.resolve_scope's, or any other);
it is rewritten onto the rollup tables' booking columns. A condition that reads another column
of positions (or anything else) cannot be answered from the aggregates: the caller reads live.
The sums are the same SUMs of credit/measures.py, taken per group first, so the figures equal
the live ones; `live()` forces the positions (tests compare both, bench/ times both).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.sql.visitors import replacement_traverse

from aoapp.common.ids import among
from aoapp.common.read_memo import remembered_each
from aoapp.credit.measures import MEASURES
from aoapp.credit.models import Position
from aoapp.credit.rollups import ROLLUPS, SHARED
from aoapp.extensions import db

_LIVE: ContextVar[bool] = ContextVar("rollups_live", default=False)


@contextmanager
def live() -> Iterator[None]:
    """Within the block, every figure is computed from positions."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def reading_live() -> bool:
    """True within `live()`: every aggregate, and what is written with them, is ignored."""
    return _LIVE.get()


def on_table(condition, table: sa.Table) -> sa.ColumnElement[bool] | None:
    """The condition on Position's officer_id/branch_id written on `table`'s; None when it reads
    another column of positions or any other table."""
    unknown = []

    def replace(element):
        if isinstance(element, sa.Column) and element.table is not None:
            if element.table is Position.__table__ and element.name in ("officer_id", "branch_id"):
                return table.c[element.name]
            unknown.append(element)
        return None

    translated = replacement_traverse(condition, {}, replace)
    return None if unknown else translated


def dates_with_rollups(dates: list[date], table: sa.Table = ROLLUPS) -> set[date]:
    """Which of `dates` have rollups in `table` (none while `live()` holds)."""
    if _LIVE.get() or not dates:
        return set()

    def present(days: list[date]) -> dict[date, bool]:
        # One index lookup per date (a DISTINCT over the dates' rows read a trend's 24,000).
        probes = [
            sa.select(sa.literal(day, sa.Date)).where(sa.exists().where(table.c.as_of == day))
            for day in days
        ]
        stmt = probes[0] if len(probes) == 1 else sa.union_all(*probes)
        found = set(db.session.scalars(stmt))
        return {day: day in found for day in days}

    answers = remembered_each(("dates_with_rollups", table.name), sorted(set(dates)), present)
    return {day for day, yes in answers.items() if yes}


def translated(condition, dates: list[date], rollups: sa.Table = ROLLUPS, shared=SHARED):
    """(condition on `rollups`, condition on `shared`), or None when the aggregates cannot
    answer: a date without rollups, or a condition on other columns."""
    if not dates_with_rollups(dates, rollups) >= set(dates):
        return None
    on_rollups, on_shared = on_table(condition, rollups), on_table(condition, shared)
    if on_rollups is None or on_shared is None:
        return None
    return on_rollups, on_shared


@cache
def _sums(keys: tuple[str, ...] | None = None) -> tuple[sa.Label, ...]:
    """The SUM of each measure (of `keys`), built once: ~150 labelled functions cost a dashboard
    milliseconds to build on every read, and a built expression can be reused by any statement."""
    return tuple(
        sa.func.sum(ROLLUPS.c[m.key]).label(m.key)
        for m in MEASURES
        if keys is None or m.key in keys
    )


def counted_twice(on_shared, as_of: date, *by, shared: sa.Table = SHARED) -> sa.Subquery:
    """Per `by` (e.g. the officer): the customers listed in `shared` (booked in several groups)
    counted more than once by its groups."""
    per_debtor = (
        sa.select(*by, shared.c.customer_id, (sa.func.count() - 1).label("extra"))
        .where(shared.c.as_of == as_of, on_shared)
        .group_by(*by, shared.c.customer_id)
        .subquery("per_debtor")
    )
    keys = [per_debtor.c[column.name] for column in by]
    return (
        sa.select(*keys, sa.func.sum(per_debtor.c.extra).label("extra"))
        .group_by(*keys)
        .subquery("extra")
    )


def scope_row(condition, as_of: date, keys: tuple[str, ...] | None = None) -> dict | None:
    """Every measure (of `keys`) and the debtors of the scope on `as_of`, or None (read live)."""
    on = translated(condition, [as_of])
    if on is None:
        return None
    on_rollups, on_shared = on
    shared = sa.select(
        sa.func.coalesce(counted_twice(on_shared, as_of).c.extra, 0)
    ).scalar_subquery()
    stmt = sa.select(
        (sa.func.sum(ROLLUPS.c.debtors) - shared).label("debtors"), *_sums(keys)
    ).where(ROLLUPS.c.as_of == as_of, on_rollups)
    return dict(db.session.execute(stmt).mappings().one())


def officer_rows(
    ids: list[int], as_of: date, condition, keys: tuple[str, ...] | None = None
) -> dict[int, dict] | None:
    """Every measure (of `keys`) and the debtors per officer of `ids` in the scope on `as_of`,
    or None."""
    on = translated(condition, [as_of])
    if on is None:
        return None
    on_rollups, on_shared = on
    shared = counted_twice(
        sa.and_(on_shared, among(SHARED.c.officer_id, ids)), as_of, SHARED.c.officer_id
    )
    groups = (
        sa.select(
            ROLLUPS.c.officer_id,
            sa.func.sum(ROLLUPS.c.debtors).label("debtors"),
            *_sums(keys),
        )
        .where(ROLLUPS.c.as_of == as_of, on_rollups, among(ROLLUPS.c.officer_id, ids))
        .group_by(ROLLUPS.c.officer_id)
        .subquery("groups")
    )
    columns = [groups.c[m.key] for m in MEASURES if keys is None or m.key in keys]
    stmt = sa.select(
        groups.c.officer_id,
        (groups.c.debtors - sa.func.coalesce(shared.c.extra, 0)).label("debtors"),
        *columns,
    ).outerjoin(shared, shared.c.officer_id == groups.c.officer_id)
    return {row["officer_id"]: dict(row) for row in db.session.execute(stmt).mappings()}


def date_rows(condition, dates: list[date], keys: tuple[str, ...]) -> dict[date, dict] | None:
    """The measures `keys` of the scope on each of `dates`, or None (some date has none)."""
    on = translated(condition, dates)
    if on is None:
        return None
    stmt = (
        sa.select(ROLLUPS.c.as_of, *_sums(keys))
        .where(ROLLUPS.c.as_of.in_(dates), on[0])
        .group_by(ROLLUPS.c.as_of)
    )
    return {row["as_of"]: dict(row) for row in db.session.execute(stmt).mappings()}


def booked_officers(condition, as_of: date) -> sa.Select | None:
    """A select of the officers with positions in the scope on `as_of`, or None."""
    on = translated(condition, [as_of])
    if on is None:
        return None
    return sa.select(ROLLUPS.c.officer_id).where(ROLLUPS.c.as_of == as_of, on[0])
