"""The team dashboard's Kol migration matrix between two month-end listings of the scope.

The matrix itself is credit/migration.kol_migration (the portfolio workbook's), so the
dashboard and the workbook agree; this module picks and checks the two dates.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from aoapp.credit.collectibility import KOLS
from aoapp.credit.figures import PortfolioScope, previous_month_end
from aoapp.credit.migration import NEW, KolMigration, MigrationCell, kol_migration
from aoapp.errors import InvalidInput


@dataclass(frozen=True)
class MigrationView:
    """Kol on `from_date` → on `to_date` of the scope's facilities on `to_date`.

    `dates` are the scope's month-end listing dates (newest first), the choices for both ends.
    """

    from_date: date | None
    to_date: date | None
    dates: list[date]
    matrix: KolMigration | None

    from_kols = (*KOLS, NEW)
    to_kols = KOLS

    def _cell(self, from_kol, to_kol) -> MigrationCell:
        return MigrationCell() if self.matrix is None else self.matrix.cell(from_kol, to_kol)

    @property
    def cells(self) -> list[dict]:
        """Every (from, to) pair, zeros included, row by row."""
        return [
            {"from_kol": f, "to_kol": t, **_values(self._cell(f, t))}
            for f in self.from_kols
            for t in self.to_kols
        ]

    @property
    def row_totals(self) -> list[dict]:
        """Facilities that came from each Kol (or were new), whatever their Kol now."""
        return [
            {"from_kol": f, **_values(self._sum([(f, t) for t in self.to_kols]))}
            for f in self.from_kols
        ]

    @property
    def column_totals(self) -> list[dict]:
        """Facilities in each Kol on `to_date`, wherever they came from."""
        return [
            {"to_kol": t, **_values(self._sum([(f, t) for f in self.from_kols]))}
            for t in self.to_kols
        ]

    @property
    def total(self) -> dict:
        """Every facility of the scope on `to_date`."""
        return _values(self._sum([(f, t) for f in self.from_kols for t in self.to_kols]))

    def _sum(self, pairs) -> MigrationCell:
        cells = [self._cell(f, t) for f, t in pairs]
        zero = Decimal("0.00")
        return MigrationCell(sum(c.count for c in cells), sum((c.outstanding for c in cells), zero))


def _values(cell: MigrationCell) -> dict:
    return {"count": cell.count, "outstanding": cell.outstanding}


def _refuse(name: str, message: str):
    raise InvalidInput(message, {name: [message]})


def migration_between(
    scope: PortfolioScope,
    ends: list[date],
    as_of: date | None,
    previous: date | None,
    from_date: date | None = None,
    to_date: date | None = None,
) -> MigrationView:
    """The migration between two of the scope's month-end listing dates `ends` (one query).

    Default: to = A, from = the month-end listing before `to` (the workbook's choice); a date
    that is not a month-end listing of the scope, or a `from` not before `to`, is InvalidInput.
    """
    for name, day in (("from", from_date), ("to", to_date)):
        if day is not None and day not in ends:
            _refuse(
                name,
                _(
                    "%(day)s is not a month-end listing date of this portfolio.",
                    day=day.isoformat(),
                ),
            )
    if to_date is None:
        to_date = as_of
    elif from_date is None:
        previous = previous_month_end(to_date)
    if from_date is None:
        from_date = previous
    if to_date is None:
        return MigrationView(None, None, ends, None)
    if from_date is not None and from_date >= to_date:
        _refuse("from", _("The first date must be before the second."))
    return MigrationView(from_date, to_date, ends, kol_migration(scope, from_date, to_date))
