"""The Kol migration matrix of a scope between two listings: the portfolio workbook's and the
team dashboard's (one definition)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.common import latest
from aoapp.common.money import to_money
from aoapp.credit import rollup_reads
from aoapp.credit.collectibility import KOLS
from aoapp.credit.figures import PortfolioScope
from aoapp.credit.measures import BY_KEY, migration_key
from aoapp.credit.models import Position
from aoapp.extensions import db

NEW = None  # the "from" of a facility without a position on the earlier date
CELLS = [(before, kol) for before in (*KOLS, NEW) for kol in KOLS]
PARTS = ("count", "total")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MigrationCell:
    """Facilities that moved from one Kol to another, and their outstanding on the later date."""

    count: int = 0
    outstanding: Decimal = ZERO


@dataclass(frozen=True)
class KolMigration:
    """Effective (debtor) Kol on `previous` → on `as_of` of the facilities in scope on `as_of`.

    `from_kols` are Kol 1–5 then NEW (None: no position on `previous`, or no `previous` at all).
    """

    previous: date | None
    as_of: date
    cells: dict[tuple[int | None, int], MigrationCell] = field(default_factory=dict)
    from_kols: tuple = (*KOLS, NEW)
    to_kols: tuple = KOLS

    def cell(self, from_kol: int | None, to_kol: int) -> MigrationCell:
        """The facilities from `from_kol` (None: new) to `to_kol`."""
        return self.cells.get((from_kol, to_kol), MigrationCell())

    def row_total(self, from_kol: int | None) -> MigrationCell:
        """Every facility that came from `from_kol`, whatever its Kol now."""
        cells = [self.cell(from_kol, to_kol) for to_kol in self.to_kols]
        return MigrationCell(sum(c.count for c in cells), sum((c.outstanding for c in cells), ZERO))


def _since_previous_listing(scope: PortfolioScope, as_of: date) -> dict:
    """The migration cells of the scope on `as_of` since the listing before it: each position's
    own previous Kol (prev_kol, the listing's comparison), from the month-end aggregates when the
    date has them."""
    keys = [f"{migration_key(before, kol)}_{part}" for before, kol in CELLS for part in PARTS]
    rows = rollup_reads.date_rows(scope.condition, [as_of], tuple(keys))
    if rows is None:
        stmt = sa.select(*(BY_KEY[key].sum() for key in keys)).where(
            scope.condition, Position.as_of == as_of
        )
        row = db.session.execute(stmt).mappings().one()
    else:
        row = rows.get(as_of, {})
    cells = {}
    for before, kol in CELLS:
        count = int(row.get(f"{migration_key(before, kol)}_count") or 0)
        if count:
            total = row.get(f"{migration_key(before, kol)}_total") or 0
            cells[(before, kol)] = MigrationCell(count, to_money(str(total)))
    return cells


def kol_migration(scope: PortfolioScope, previous: date | None, as_of: date) -> KolMigration:
    """Kol migration of the scope's facilities on `as_of` since `previous` (one grouped query).

    The earlier Kol is the facility's position on `previous` wherever it was booked then, so a
    facility moved between officers still shows where it came from. Since the listing just
    before `as_of` (the usual month), that is each position's own previous Kol, which the
    month-end aggregates sum; since an earlier one, the two dates' positions are joined.
    """
    if previous is not None and previous == latest.newest(latest.LOANS, as_of - timedelta(days=1)):
        return KolMigration(previous, as_of, _since_previous_listing(scope, as_of))
    return KolMigration(previous, as_of, joined_cells(scope, previous, as_of))


def joined_cells(scope: PortfolioScope, previous: date | None, as_of: date) -> dict:
    """The migration cells from the positions on `previous` joined to those on `as_of` (any
    earlier listing; for the one just before, the same as each position's previous Kol)."""
    if previous is None:
        earlier = sa.literal(None, sa.Integer)
        stmt = sa.select(earlier.label("from_kol"), Position.debtor_kol, Position.outstanding)
    else:
        before = aliased(Position)
        stmt = sa.select(
            before.debtor_kol.label("from_kol"), Position.debtor_kol, Position.outstanding
        ).outerjoin(
            before, sa.and_(before.facility_id == Position.facility_id, before.as_of == previous)
        )
    moves = stmt.where(scope.condition, Position.as_of == as_of).subquery("moves")
    grouped = sa.select(
        moves.c.from_kol,
        moves.c.debtor_kol,
        sa.func.count(),
        sa.func.sum(moves.c.outstanding),
    ).group_by(moves.c.from_kol, moves.c.debtor_kol)
    return {
        (from_kol, to_kol): MigrationCell(int(n), to_money(str(total or 0)))
        for from_kol, to_kol, n, total in db.session.execute(grouped)
    }
