"""Checks of the month-end aggregates (credit/rollups.py) against the positions."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope, scope_figures
from aoapp.credit.models import Position
from aoapp.credit.rollups import ROLLUPS, SHARED, groups, shared
from aoapp.extensions import db


def _number(value):
    """0 and 0.00 alike: a sum of NUMERIC on PostgreSQL, of REAL on SQLite."""
    plain = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return Decimal(str(value)).quantize(Decimal("0.01")) if plain else value


def _rows(stmt) -> list[tuple]:
    found = [tuple(_number(value) for value in row) for row in db.session.execute(stmt)]
    return sorted(found, key=str)


def assert_rollups_are_the_positions(dates: list[date] | None = None) -> None:
    """The stored rollups of `dates` (default: every date with positions) are what the
    positions give now: none stale, none missing."""
    if dates is None:
        dates = list(db.session.scalars(sa.select(Position.as_of).distinct()))
    stored = sa.select(*[c for c in ROLLUPS.c if c.name != "id"]).where(ROLLUPS.c.as_of.in_(dates))
    assert _rows(stored) == _rows(groups(dates))
    stored = sa.select(*[c for c in SHARED.c if c.name != "id"]).where(SHARED.c.as_of.in_(dates))
    assert _rows(stored) == _rows(shared(dates))


def assert_bank_figures_agree(admin, dates: list[date]) -> None:
    """The bank-wide figures of each date read from the rollups equal those from positions."""
    scope = resolve_scope(admin)
    for as_of in dates:
        assert rollup_reads.scope_row(scope.condition, as_of) is not None
        fast = scope_figures(scope, as_of)
        with rollup_reads.live():
            assert fast == scope_figures(scope, as_of), as_of
