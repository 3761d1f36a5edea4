"""Strict, vectorised parsing of a listing's text cells: one number and one date convention per
file (given or detected), every bad value a row error, never a guess.

The same for every listing kind: each column is read by its cell kind (`columns.CELL_KINDS`);
the kind's own cross-row checks run last, on the typed columns.
"""

import calendar
from dataclasses import dataclass, field, replace
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

from aoapp.imports.conventions import (
    DATE_LABELS,
    DECIMAL_LABELS,
    convention_notes,
    detect_date_format,
    detect_decimal,
)
from aoapp.imports.files import written_headers
from aoapp.imports.kinds import ListingKind
from aoapp.imports.rows import (  # noqa: F401  (also imported from here)
    Collector,
    RowError,
    flag_before,
    flag_duplicates,
)

MONEY = {
    "dot": r"^\d+(\.\d{1,2})?$",
    "comma": r"^(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$",
}
RATE = {
    "dot": r"^\d{1,3}(\.\d{1,4})?$",
    "comma": r"^\d{1,3}(,\d{1,4})?$",
}
DATES = {
    "iso": (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
    "dmy": (r"^\d{1,2}/\d{1,2}/\d{4}$", "%d/%m/%Y"),
}
FLAG_TRUE = ["y", "ya", "yes", "1", "true", "t"]
FLAG_FALSE = ["n", "tidak", "no", "0", "false", "f", ""]
MAX_DPD = 99_999
MAX_MONTHS = 999
MAX_WHOLE_DIGITS = 16  # NUMERIC(18, 2)


@dataclass
class Parsed:
    """The validated listing as typed columns, or the errors that stop it."""

    table: pa.Table | None
    errors: list[RowError]
    decimal: str
    date_format: str
    decimal_detected: bool
    date_detected: bool
    notes: list[str] = field(default_factory=list)


def as_written(errors: list[RowError], table: pa.Table) -> list[RowError]:
    """The errors with each column named as the file's header has it (`tgl_jatuh_tempo`)."""
    headers = written_headers(table)
    return [replace(e, column=headers.get(e.column) or e.column) for e in errors]


def parse_listing(
    table: pa.Table, kind: ListingKind, decimal: str | None = None, date_format: str | None = None
) -> Parsed:
    """Validate every cell and return typed columns (numbers as exact decimal text, dates, ints)."""
    decimal_detected, date_detected = decimal is None, date_format is None
    decimal = decimal or detect_decimal(table, kind)
    date_format = date_format or detect_date_format(table, kind)
    check = Collector(table)
    out: dict[str, pa.Array] = {}
    present = set((table.schema.metadata or {}).get(b"present", b"").decode().split(","))

    for column in kind.columns:
        col = table.column(column.name).combine_chunks()
        check.flag_controls(column.name, col)
        empty = pc.equal(col, "")
        if column.required:
            check.flag(empty, column.name, _("A value is required."))
        filled = pc.invert(empty)
        if column.kind == "text":
            limit = column.max_length
            if limit:
                too_long = pc.greater(pc.utf8_length(col), limit)
                check.flag(
                    too_long,
                    column.name,
                    _("Too long: at most %(limit)s characters.", limit=limit),
                )
            out[column.name] = col
        elif column.kind in ("money", "rate"):
            out[column.name] = _number(check, column.name, col, filled, decimal, column.kind)
        elif column.kind in ("days", "months"):
            out[column.name] = _whole(check, column.name, col, filled, column.kind)
        elif column.kind == "kol":
            bad = pc.and_(filled, pc.invert(pc.match_substring_regex(col, r"^[1-5]$")))
            check.flag(bad, column.name, _("Collectibility must be 1 to 5."))
            ok = pc.match_substring_regex(col, r"^[1-5]$")
            out[column.name] = pc.if_else(ok, pc.cast(pc.if_else(ok, col, "1"), pa.int8()), None)
        elif column.kind == "date":
            out[column.name] = _date(check, column.name, col, filled, date_format)
        elif column.kind == "flag":
            lowered = pc.utf8_lower(col)
            known = pc.or_(
                pc.is_in(lowered, pa.array(FLAG_TRUE)), pc.is_in(lowered, pa.array(FLAG_FALSE))
            )
            check.flag(pc.invert(known), column.name, _("Use Y or N."))
            flag = pc.is_in(lowered, pa.array(FLAG_TRUE))
            out[column.name] = flag if column.name in present else pa.nulls(len(col), pa.bool_())

    kind.check(check, table, out)
    notes = convention_notes(decimal, date_format, decimal_detected, date_detected)
    check.errors.sort(key=kind.error_order)
    typed = None if check.errors else pa.table(out)
    return Parsed(typed, check.errors, decimal, date_format, decimal_detected, date_detected, notes)


def check_listing(
    table: pa.Table, kind: ListingKind, decimal: str | None = None, date_format: str | None = None
) -> tuple[Parsed, pa.Table | None, list[RowError]]:
    """Every cell parsed and every code resolved, as the import and its preview do it.

    Returns the parsed listing, the table to load (None on any error) and every row error, in
    file order (row, then the kind's column order), columns named as the file's headers.
    """
    parsed = parse_listing(table, kind, decimal, date_format)
    # Unknown codes are reported together with the cell errors: the user gets every error.
    typed, unknown = kind.resolve(table, parsed.table)
    flagged = {(e.row, e.column) for e in parsed.errors}  # one error a cell
    unknown = [e for e in unknown if (e.row, e.column) not in flagged]
    errors = sorted(parsed.errors + unknown, key=kind.error_order)
    return parsed, typed, as_written(errors, table)


def _number(check, name, col, filled, decimal, kind):
    pattern = (MONEY if kind == "money" else RATE)[decimal]
    negative = pc.and_(filled, pc.starts_with(col, "-"))
    check.flag(
        negative,
        name,
        _("Amounts cannot be negative.") if kind == "money" else _("The rate cannot be negative."),
    )
    ok = pc.match_substring_regex(col, pattern)
    example = "1234567.89" if decimal == "dot" else "1.234.567,89"
    if kind == "rate":
        example = "11.5" if decimal == "dot" else "11,5"
    check.flag(
        pc.and_(pc.and_(filled, pc.invert(negative)), pc.invert(ok)),
        name,
        _(
            "Not a number in this file's convention (%(convention)s), e.g. %(example)s.",
            convention=DECIMAL_LABELS[decimal],
            example=example,
        ),
    )
    text = col
    if decimal == "comma":
        text = pc.replace_substring(pc.replace_substring(col, ".", ""), ",", ".")
    normalized = pc.if_else(ok, text, None)
    if kind == "money":
        too_large = pc.and_(
            ok, pc.invert(pc.match_substring_regex(text, rf"^0*\d{{1,{MAX_WHOLE_DIGITS}}}(\.|$)"))
        )
        check.flag(
            too_large,
            name,
            _(
                "The amount is too large: at most %(digits)s digits before the decimals.",
                digits=MAX_WHOLE_DIGITS,
            ),
        )
        normalized = pc.if_else(too_large, None, normalized)
    if kind == "rate":
        over = pc.fill_null(
            pc.greater(pc.cast(pc.if_else(ok, text, "0"), pa.float64()), 100), False
        )
        check.flag(pc.and_(ok, over), name, _("The interest rate must be between 0 and 100 % p.a."))
    return normalized  # exact decimal text: the database parses it, never a float


def _whole(check, name, col, filled, kind):
    """Days past due (0–99999) or a tenor in months (0–999): whole, never negative."""
    if kind == "days":
        negative, bad = _("DPD cannot be negative."), _("Not a whole number of days (0–%(max)s).")
    else:
        negative = _("A number of months cannot be negative.")
        bad = _("Not a whole number of months (0–%(max)s).")
    most = MAX_DPD if kind == "days" else MAX_MONTHS
    digits = len(str(most))
    check.flag(pc.and_(filled, pc.match_substring_regex(col, r"^-\d+$")), name, negative)
    shaped = pc.match_substring_regex(col, rf"^-?\d{{1,{digits}}}$")
    check.flag(pc.and_(filled, pc.invert(shaped)), name, bad % {"max": most})
    ok = pc.and_(filled, pc.match_substring_regex(col, rf"^\d{{1,{digits}}}$"))
    return pc.if_else(ok, pc.cast(pc.if_else(ok, col, "0"), pa.int32()), None)


def _date(check, name, col, filled, date_format):
    pattern, fmt = DATES[date_format]
    shaped = pc.match_substring_regex(col, pattern)
    parsed = pc.strptime(pc.if_else(shaped, col, None), format=fmt, unit="s", error_is_null=True)
    # strptime rolls 30 February over into March: the day and month must read back unchanged.
    parts = pc.split_pattern(
        pc.if_else(shaped, col, "0-0-0" if date_format == "iso" else "0/0/0"),
        "-" if date_format == "iso" else "/",
    )
    day_at, month_at = (2, 1) if date_format == "iso" else (0, 1)
    day = pc.cast(pc.list_element(parts, day_at), pa.int64())
    month = pc.cast(pc.list_element(parts, month_at), pa.int64())
    same = pc.and_(pc.equal(pc.day(parsed), day), pc.equal(pc.month(parsed), month))
    same = pc.and_(same, pc.greater_equal(pc.year(parsed), 1))  # year 0000 does not exist
    parsed = pc.if_else(pc.fill_null(same, False), parsed, None)
    bad = pc.and_(filled, pc.is_null(parsed))
    check.flag(
        pc.and_(bad, pc.invert(shaped)),
        name,
        _("Not a date in this file's format, %(format)s.", format=DATE_LABELS[date_format]),
    )
    # In the format but no such day (31/11/2027): say what is wrong with it.
    check.flag_each(pc.and_(bad, shaped), name, lambda text: not_a_day(text, date_format))
    return pc.cast(parsed, pa.date32())


def not_a_day(text: str, date_format: str) -> str:
    """Why `text`, a date in the file's format, is no day: "November 2027 has 30 days"."""
    if date_format == "iso":
        year, month, day = (int(part) for part in text.split("-"))
    else:
        day, month, year = (int(part) for part in text.split("/"))
    if year < 1:
        return _("%(value)s is not a day: there is no year 0.", value=text)
    if not 1 <= month <= 12:
        return _("%(value)s is not a day: there is no month %(month)s.", value=text, month=month)
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        return _("%(value)s is not a day: there is no day 0.", value=text)
    month_name = format_date(date(year, month, 1), "MMMM y", locale=get_locale() or "en")
    return _(
        "%(value)s is not a day: %(month)s has %(days)s days.",
        value=text,
        month=month_name,
        days=days,
    )
