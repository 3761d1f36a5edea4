"""A listing's conventions: one number and one date convention per file, detected from the whole
file or named by the user, and their names in words (never the codes a record stores)."""

import pyarrow as pa
import pyarrow.compute as pc
from flask_babel import gettext as _

from aoapp.common.system_text import said
from aoapp.imports import texts
from aoapp.imports.files import ListingRefused
from aoapp.imports.kinds import ListingKind
from aoapp.imports.texts import DATE_LABELS, DECIMAL_LABELS


class ConventionUnknown(ListingRefused):
    """The file's number or date convention cannot be told apart; the user must name it."""


def _count(mask) -> int:
    return pc.sum(pc.cast(mask, pa.int64())).as_py() or 0


def detect_decimal(table: pa.Table, kind: ListingKind) -> str:
    """Tell plain from Indonesian numbers from the whole file; refuse when nothing tells them apart."""
    comma = dot = ambiguous = 0
    for name in kind.number_columns:
        col = table.column(name)
        comma += _count(pc.match_substring(col, ",")) + _count(
            pc.match_substring_regex(col, r"\.\d{3}\.")
        )
        dot += _count(pc.match_substring_regex(col, r"^\d+\.(\d{1,2}|\d{4,})$"))
        ambiguous += _count(pc.match_substring_regex(col, r"^\d{1,3}\.\d{3}$"))
    if comma or dot:
        return "comma" if comma >= dot else "dot"
    if ambiguous:
        raise ConventionUnknown(texts.DECIMAL_UNKNOWN)
    return "dot"  # only whole numbers without separators: both conventions read them alike


def convention_notes(
    decimal: str, date_format: str, decimal_detected: bool, date_detected: bool
) -> list[dict]:
    """The notes naming the file's number and date conventions (system texts: `said`)."""
    return [
        said(texts.NUMBERS, convention=decimal, detected=decimal_detected),
        said(texts.DATES, convention=date_format, detected=date_detected),
    ]


def convention_lines(
    decimal: str | None, date_format: str | None, encoding: str | None
) -> list[str]:
    """A record's conventions in words, in the current language (never the codes it stores)."""
    lines = []
    if decimal in DECIMAL_LABELS:
        lines.append(_("Numbers: %(convention)s.", convention=DECIMAL_LABELS[decimal]))
    if date_format in DATE_LABELS:
        lines.append(_("Dates: %(convention)s.", convention=DATE_LABELS[date_format]))
    if encoding:
        lines.append(_("Encoding: %(encoding)s.", encoding=encoding))
    return lines


def detect_date_format(table: pa.Table, kind: ListingKind) -> str:
    """Tell ISO dates from dd/mm/yyyy by what most date cells look like."""
    iso = dmy = 0
    for name in kind.date_columns:
        col = table.column(name)
        iso += _count(pc.match_substring_regex(col, r"^\d{4}-"))
        dmy += _count(pc.match_substring(col, "/"))
    return "dmy" if dmy > iso else "iso"
