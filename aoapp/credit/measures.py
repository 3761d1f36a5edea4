"""The additive portfolio measures, each defined once as a SQL value per position.

A measure is a SUM over positions of a per-position value (1 or the outstanding when a condition
holds). `credit/figures.py` sums them over a scope's positions on a date (the live figures);
`credit/rollups.py` sums them per (date, officer, branch) into `portfolio_rollups`, whose columns
are these keys, so a figure read from the month-end aggregates is the same SUM split in groups.
NPL, Loan at Risk and the ratios are derived from these sums (credit/figures.py), the Kol
migration since the previous listing from its cells (credit/migration.kol_migration); the
number of distinct debtors is not additive and has its own rule (credit/rollups.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa

from aoapp.credit.collectibility import AGING_BUCKETS, KOLS, PAR_DAYS
from aoapp.credit.models import Facility, Position

COUNT = "count"
MONEY = "money"


@dataclass(frozen=True)
class Measure:
    """One additive figure: a rollup column and the per-position value its SUM adds up.

    `facility_flag`: the value reads the facility's current restructured flag, so it changes on
    past dates when an import flips the flag (credit/rollups.restructured_changed).
    """

    key: str
    kind: str
    value: Callable[[], sa.ColumnElement]
    facility_flag: bool = False

    def sum(self) -> sa.Label:
        """SUM of the value over the selected positions, labelled with the key: one expression
        per measure, built once. A SQL expression is immutable, so every statement can share it,
        and building the ~100 of a rollup anew cost ~14 ms of Python per statement."""
        return _summed(self)


@cache
def _summed(measure: Measure) -> sa.Label:
    return sa.func.sum(measure.value()).label(measure.key)


def _count_if(condition: Callable[[], sa.ColumnElement[bool]]) -> Callable[[], sa.ColumnElement]:
    return lambda: sa.case((condition(), 1), else_=0)


def _total_if(condition: Callable[[], sa.ColumnElement[bool]]) -> Callable[[], sa.ColumnElement]:
    return lambda: sa.case((condition(), Position.outstanding), else_=0)


def restructured() -> sa.ColumnElement[bool]:
    """The position's facility is restructured: a semi-join on the partial index of the few
    restructured facilities, cheaper than joining every facility of the scope."""
    return Position.facility_id.in_(sa.select(Facility.id).where(Facility.restructured))


def downgraded() -> sa.ColumnElement[bool]:
    """The effective Kol got worse since the previous listing."""
    return sa.and_(Position.prev_kol.is_not(None), Position.debtor_kol > Position.prev_kol)


def upgraded() -> sa.ColumnElement[bool]:
    """The effective Kol got better since the previous listing."""
    return sa.and_(Position.prev_kol.is_not(None), Position.debtor_kol < Position.prev_kol)


def _kol_is(kol: int) -> Callable[[], sa.ColumnElement[bool]]:
    return lambda: Position.debtor_kol == kol


def migration_key(before: int | None, kol: int) -> str:
    """The measure key of the Kol migration cell `before` → `kol` (None: new since the previous
    listing): `from2_to3`, `new_to1`."""
    return f"{'new' if before is None else f'from{before}'}_to{kol}"


def _moved(before: int | None, kol: int) -> Callable[[], sa.ColumnElement[bool]]:
    """Kol `before` on the previous listing (None: not on it) and `kol` now."""
    if before is None:
        return lambda: sa.and_(Position.prev_kol.is_(None), Position.debtor_kol == kol)
    return lambda: sa.and_(Position.prev_kol == before, Position.debtor_kol == kol)


def _dpd_above(days: int) -> Callable[[], sa.ColumnElement[bool]]:
    return lambda: Position.dpd > days


def _aged(low: int, high: int | None) -> Callable[[], sa.ColumnElement[bool]]:
    if high is None:
        return lambda: Position.dpd >= low
    return lambda: Position.dpd.between(low, high)


def _measures() -> tuple[Measure, ...]:
    found = [
        Measure("facilities", COUNT, lambda: sa.literal(1)),
        Measure("outstanding", MONEY, lambda: Position.outstanding),
        Measure(
            "restructured_kol1",
            MONEY,
            _total_if(lambda: sa.and_(Position.debtor_kol == 1, restructured())),
            facility_flag=True,
        ),
        Measure("downgrades", COUNT, _count_if(downgraded)),
        Measure("upgrades", COUNT, _count_if(upgraded)),
    ]
    for kol in KOLS:
        found.append(Measure(f"kol{kol}_count", COUNT, _count_if(_kol_is(kol))))
        found.append(Measure(f"kol{kol}_total", MONEY, _total_if(_kol_is(kol))))
    for before in (*KOLS, None):
        for kol in KOLS:
            moved = _moved(before, kol)
            found.append(Measure(f"{migration_key(before, kol)}_count", COUNT, _count_if(moved)))
            found.append(Measure(f"{migration_key(before, kol)}_total", MONEY, _total_if(moved)))
    for days in PAR_DAYS:
        found.append(Measure(f"par{days}", MONEY, _total_if(_dpd_above(days))))
    for code, _label, low, high in AGING_BUCKETS:
        found.append(Measure(f"aging_{code}_count", COUNT, _count_if(_aged(low, high))))
        found.append(Measure(f"aging_{code}_total", MONEY, _total_if(_aged(low, high))))
    return tuple(found)


MEASURES = _measures()
BY_KEY = {measure.key: measure for measure in MEASURES}
# What a portfolio's figures read (credit/figures.scope_figures): every measure but the Kol
# migration's 60 cells, which only the migration matrix reads (credit/migration.py).
FIGURE_KEYS = tuple(m.key for m in MEASURES if not m.key.startswith(("from", "new_to")))


def debtors() -> sa.Label:
    """The distinct debtors (customers) of the selected positions."""
    return sa.func.count(sa.distinct(Position.customer_id)).label("debtors")


def aggregates(keys: tuple[str, ...] | None = None) -> list[sa.Label]:
    """Every measure (of `keys`) and the debtors in one pass over the selected positions."""
    return list(_aggregates(keys))


@cache
def _aggregates(keys: tuple[str, ...] | None) -> tuple[sa.Label, ...]:
    chosen = MEASURES if keys is None else [BY_KEY[key] for key in keys]
    return (debtors(), *(measure.sum() for measure in chosen))
