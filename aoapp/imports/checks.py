"""Cross-row checks listing kinds share besides imports/rows.py's (duplicates, dates in order):
the one identifier rule for CIF and account numbers, one officer per CIF, one value of a closed
list per cell."""

import pyarrow as pa
import pyarrow.compute as pc
from flask_babel import gettext as _

from aoapp.common.identity import (
    SAFE_IDENTIFIER,
    bank_format_message,
    bank_pattern,
    identifier_problem,
)
from aoapp.imports.rows import Collector


def identifier(check: Collector, table: pa.Table, column: str, kind: str) -> None:
    """Every filled cell of the column is a number the bank accepts (common.identity's one rule:
    its pattern, and never a path-like value), checked vectorised; the message of each bad value
    is the rule's own (`identifier_problem`).

    The patterns are matched whole; pyarrow reads them as RE2, and one RE2 cannot read (a Python
    look-around) is checked value by value instead, over the distinct values.
    """
    values = table.column(column)
    filled = pc.not_equal(values, "")  # an empty cell is already a required-value error
    try:
        matched = pc.and_(
            pc.match_substring_regex(values, f"^(?:{bank_pattern(kind)})$"),
            pc.match_substring_regex(values, f"^(?:{SAFE_IDENTIFIER})$"),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        distinct = pc.unique(values)
        good = [v for v in distinct.to_pylist() if v and identifier_problem(kind, v) is None]
        matched = pc.is_in(values, pa.array(good, pa.string()))
    check.flag_each(
        pc.and_(filled, pc.invert(matched)),
        column,
        lambda value: identifier_problem(kind, value) or bank_format_message(kind),
    )


def one_officer_per_cif(check: Collector, table: pa.Table) -> None:
    """A customer (CIF) has one account officer; a file giving two is contradictory."""
    officers = pc.utf8_upper(table.column("officer_code"))  # codes match case-insensitively
    pairs = pa.table({"cif": table.column("cif"), "officer": officers})
    distinct = pairs.group_by(["cif", "officer"]).aggregate([])
    per_cif = distinct.group_by("cif").aggregate([("officer", "count")])
    conflicted = pc.filter(per_cif.column("cif"), pc.greater(per_cif.column("officer_count"), 1))
    if len(conflicted):
        mask = pc.and_(
            pc.is_in(table.column("cif"), conflicted), pc.not_equal(table.column("cif"), "")
        )
        check.flag(
            mask, "officer_code", _("The same CIF has different officer codes in this file.")
        )


def closed_list(cells: pa.Array | pa.ChunkedArray, spellings: dict[str, str]) -> pa.Array:
    """Each cell as the code its spelling means (any case), null when empty or unknown."""
    position = pc.index_in(pc.utf8_lower(cells), pa.array(list(spellings), pa.string()))
    return pc.take(pa.array(list(spellings.values()), pa.string()), position)


def one_of(
    check: Collector, table: pa.Table, column: str, spellings: dict[str, str], message: str
) -> None:
    """Each filled cell of `column` is one of `spellings` (any case); others are flagged."""
    unknown = pc.is_null(closed_list(table.column(column), spellings))
    check.flag(pc.and_(pc.not_equal(table.column(column), ""), unknown), column, message)
