"""Row errors and how a listing's checks gather them, column by column and vectorised: one
error a cell, and a cell holding a control character refused before anything else looks at it."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from flask_babel import gettext as _

# Control characters have no place in a listing's cells, and PostgreSQL text refuses NUL outright:
# a cell holding one is a row error on its own (tab, line feed and carriage return may stay: a
# wrapped line in a workbook cell). RE2 and Python read the class alike.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL = re.compile(CONTROL)
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))


@dataclass
class RowError:
    """One problem in one cell (row numbers count the header as row 1).

    `column` is the canonical name while the listing is checked (the kind's order sorts by it);
    `as_written` renames it to the header as the file has it before the errors are shown.
    """

    row: int
    column: str
    value: str
    message: str


class Collector:
    """Gathers row errors column by column, vectorised."""

    def __init__(self, table: pa.Table):
        self.table = table
        self.errors: list[RowError] = []
        self.bad = pa.array([False] * table.num_rows)
        self.spoilt: dict[str, pa.Array] = {}  # cells with control characters, per column

    def _unspoilt(self, mask, column: str):
        """The mask without the column's cells already refused for a control character (one
        error is enough: the other checks would only repeat it in other words)."""
        mask = pc.fill_null(mask, True)
        spoilt = self.spoilt.get(column)
        return mask if spoilt is None else pc.and_(mask, pc.invert(spoilt))

    def flag_controls(self, column: str, values: pa.Array) -> None:
        """Flag the column's cells holding a control character, each shown with it escaped."""
        if not _holds_control(values):
            return
        spoilt = pc.match_substring_regex(values, CONTROL)
        indices = pc.indices_nonzero(spoilt).to_pylist()
        if not indices:
            return
        for index, value in zip(indices, pc.take(values, indices).to_pylist(), strict=True):
            found = _CONTROL.search(value)[0]
            message = _(
                "The cell holds a control character (%(char)s), which a listing may not "
                "contain: remove it.",
                char=f"U+{ord(found):04X}",
            )
            shown = _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", value)
            self.errors.append(RowError(index + 2, column, shown, message))
        self.spoilt[column] = spoilt
        self.bad = pc.or_(self.bad, spoilt)

    def flag(self, mask, column: str, message: str) -> None:
        mask = self._unspoilt(mask, column)
        indices = pc.indices_nonzero(mask).to_pylist()
        if not indices:
            return
        values = pc.take(self.table.column(column), pa.array(indices)).to_pylist()
        self.errors.extend(
            RowError(i + 2, column, v, message) for i, v in zip(indices, values, strict=True)
        )
        self.bad = pc.or_(self.bad, mask)

    def flag_each(self, mask, column: str, describe: Callable[[str], str]) -> None:
        """Flag the rows of `mask` with a message made from each bad value (bad rows only)."""
        mask = self._unspoilt(mask, column)
        indices = pc.indices_nonzero(mask).to_pylist()
        if not indices:
            return
        values = pc.take(self.table.column(column), pa.array(indices)).to_pylist()
        messages: dict[str, str] = {}
        for i, v in zip(indices, values, strict=True):
            if v not in messages:
                messages[v] = describe(v)
            self.errors.append(RowError(i + 2, column, v, messages[v]))
        self.bad = pc.or_(self.bad, mask)


def _holds_control(values: pa.Array) -> bool:
    """Whether any byte of the column's text is a control character: one pass of `translate`
    over its data buffer, ten times faster than a regular expression over its cells (a cell
    outside a sliced column's range only sends the check on to the cell-by-cell one)."""
    data = values.buffers()[2] if values.type == pa.string() else None
    if data is None:
        return values.type != pa.string()  # another layout: let the cells tell
    return bool(data.to_pybytes().translate(None, _NOT_CONTROL))


def flag_duplicates(check: Collector, table: pa.Table, column: str, message: str) -> None:
    """Flag every row whose (non-empty) value in `column` appears more than once in the file."""
    values = table.column(column).combine_chunks()
    counts = pc.value_counts(values)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(repeated):
        mask = pc.and_(pc.is_in(values, repeated), pc.not_equal(values, ""))
        check.flag(mask, column, message)


def flag_before(check: Collector, typed: dict, first: str, then: str, message: str) -> None:
    """Flag rows whose date in `then` falls before their date in `first`."""
    check.flag(pc.fill_null(pc.less(typed[then], typed[first]), False), then, message)
