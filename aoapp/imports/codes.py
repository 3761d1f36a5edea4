"""A listing's codes (officer, product, branch) resolved to ids in bulk, for any listing kind.

Codes match case-insensitively: the reference tables hold them in capitals. An unknown code is a
row error naming its cell; known codes bring their ids (and whatever else the kind needs) as new
columns of the typed table.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from aoapp.auth.models import Branch, User
from aoapp.extensions import db
from aoapp.imports.rows import RowError
from aoapp.products.models import Product

INT = pa.int64()
TEXT = pa.string()


@dataclass(frozen=True)
class Codes:
    """The known codes of one kind of record, each with its values (`id`, `branch_id`, …)."""

    rows: tuple[dict, ...]
    types: dict[str, pa.DataType]

    @property
    def known(self) -> pa.Array:
        return pa.array([row["code"] for row in self.rows], TEXT)

    def values(self, name: str) -> pa.Array:
        return pa.array([row[name] for row in self.rows], self.types[name])

    def where(self, keep: Callable[[dict], bool]) -> "Codes":
        """The codes whose row passes `keep` (credit products only, …)."""
        return Codes(tuple(row for row in self.rows if keep(row)), self.types)

    def with_value(self, name: str, kind: pa.DataType, value: Callable[[dict], object]) -> "Codes":
        """The same codes with one more value, computed from each row."""
        rows = tuple({**row, name: value(row)} for row in self.rows)
        return Codes(rows, {**self.types, name: kind})

    def __contains__(self, code: str) -> bool:
        return any(row["code"] == code for row in self.rows)


def officers() -> Codes:
    """Officer codes: the user id and the officer's branch."""
    rows = db.session.execute(
        sa.select(User.officer_code.label("code"), User.id, User.branch_id).where(
            User.officer_code.is_not(None)
        )
    )
    return Codes(tuple(dict(r._mapping) for r in rows), {"id": INT, "branch_id": INT})


def products() -> Codes:
    """Product codes: the id, kind, credit subtype and deposit type of each."""
    rows = db.session.execute(
        sa.select(
            Product.code, Product.id, Product.kind, Product.credit_subtype, Product.deposit_type
        )
    )
    types = {"id": INT, "kind": TEXT, "credit_subtype": TEXT, "deposit_type": TEXT}
    return Codes(tuple(dict(r._mapping) for r in rows), types)


def branches() -> Codes:
    """Branch codes: the branch id."""
    rows = db.session.execute(sa.select(Branch.code, Branch.id))
    return Codes(tuple(dict(r._mapping) for r in rows), {"id": INT})


def unknown(
    table: pa.Table, column: str, codes: Codes, message: str | Callable[[str], str]
) -> list[RowError]:
    """Row errors for the filled cells of `column` that are not among `codes` (an empty cell is
    the parser's required-value error, or an optional code left out). `message` may be made
    from the cell's value."""
    cells = table.column(column)
    wanted = pc.and_(
        pc.not_equal(cells, ""), pc.invert(pc.is_in(pc.utf8_upper(cells), codes.known))
    )
    errors = []
    for index in pc.indices_nonzero(wanted).to_pylist():
        value = cells[index].as_py()
        text = message(value) if callable(message) else message
        errors.append(RowError(index + 2, column, value, text))
    return errors


def attach(
    typed: pa.Table, table: pa.Table, column: str, codes: Codes, names: dict[str, str]
) -> pa.Table:
    """`typed` with new columns from the codes of `column` (`names`: new column → code value);
    null where the cell is empty."""
    position = pc.index_in(pc.utf8_upper(table.column(column)), codes.known)
    for name, value in names.items():
        typed = typed.append_column(name, pc.take(codes.values(value), position))
    return typed


def numbered(typed: pa.Table) -> pa.Table:
    """`typed` with each row's number in the file (`row_no`, the header being row 1)."""
    return typed.append_column("row_no", pa.array(range(2, typed.num_rows + 2), INT))
