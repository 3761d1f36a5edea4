"""Read the first (or a named) sheet of an XLSX listing as text cells, as a person sees them.

The sheet is streamed row by row (python-calamine-plus decodes each row straight from the
compressed file) and its cells become Arrow text in chunks, so memory stays flat whatever the
sheet's size: a reader that first holds the whole sheet (calamine's range, fastexcel) peaked at
1.6 GB for a million rows of inline strings (issue 22). Each cell reads as `_cell_text` shows it;
a cell showing one of Excel's errors (#N/A, #DIV/0!…), computed or typed, reads as empty.
"""

import zipfile
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from aoapp.imports import texts
from aoapp.imports.files import (
    MAX_XLSX_COMPRESSION_RATIO,
    RATIO_GRACE,
    Listing,
    ListingRefused,
    bomb_message,
    canonical,
    check_cells,
    check_headers,
    setting,
)
from aoapp.imports.kinds import ListingKind
from aoapp.imports.markup import check_xlsx_markup

# What Excel shows in a cell whose formula failed (the streaming reader gives the text).
EXCEL_ERRORS = pa.array(
    [
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    ]
)
XLSX_CHUNK = 50_000


def _cell_text(value) -> str:
    """An XLSX cell as the text a person sees: integers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, kind: ListingKind, sheet: str | None) -> Listing:
    from python_calamine_plus import CalamineWorkbook

    # Uploads were measured whole (check_xlsx_archive); any file still has its declared sizes
    # checked, so a zip bomb never reaches the parser.
    ratio = setting("MAX_XLSX_COMPRESSION_RATIO", MAX_XLSX_COMPRESSION_RATIO)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise unreadable(error, path) from None
    if any(i.file_size > RATIO_GRACE and i.file_size > ratio * i.compress_size for i in members):
        raise bomb_message(ratio)
    check_xlsx_markup(path)  # no DTD, no entities: before any XML parser sees the file
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if sheet is not None and sheet not in names:
            raise ListingRefused(texts.NO_SHEET, sheet=repr(sheet), sheets=", ".join(names))
        sheet_name = sheet or names[0]
        return _sheet_rows(workbook, kind, sheet_name)
    except ListingRefused:
        raise
    except Exception as error:  # the reader's own error types: a broken part, met while reading
        raise unreadable(error, path) from None


def unreadable(error: Exception, path: Path) -> ListingRefused:
    """The refusal of a workbook a reader failed on: the reader's first line of reason, without
    the server's path of the file (readers name it; an upload's is internal)."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return ListingRefused(texts.XLSX_UNREADABLE, error=reason.replace(str(path), path.name))


def _sheet_rows(workbook, kind: ListingKind, sheet_name: str) -> Listing:
    """The named sheet of an open workbook as a listing, streamed chunk by chunk."""
    rows = iter(workbook.stream_sheet_by_name(sheet_name))
    first = next(rows, None)
    if first is None:
        raise ListingRefused(texts.EMPTY_SHEET, sheet=repr(sheet_name))
    headers = [_cell_text(h).strip() for h in first]
    found, missing, problems = kind.header_map(headers)
    check_headers(missing, problems)
    # Cells become Arrow text in chunks, so a million-row sheet never lives as Python objects.
    chunks: dict[str, list[pa.Array]] = {name: [] for name in found}
    pending: list[list] = []
    count = 0
    for row in rows:
        pending.append(row)
        if len(pending) >= XLSX_CHUNK:
            count += _flush_chunk(pending, found, chunks, headers, count)
            pending = []
    # Trailing blank rows Excel leaves behind are not data.
    while pending and all(_cell_text(v).strip() == "" for v in pending[-1]):
        pending.pop()
    count += _flush_chunk(pending, found, chunks, headers, count)
    columns = {
        name: pa.concat_arrays(parts) if parts else pa.array([], pa.string())
        for name, parts in chunks.items()
    }
    written = {name: headers[pos] for name, pos in found.items()}
    return Listing(canonical(kind, columns, count, written), "xlsx", sheet=sheet_name)


def _flush_chunk(
    rows: list[list], found: dict[str, int], chunks: dict[str, list], headers: list[str], done: int
) -> int:
    """Append one chunk of sheet rows to the per-column Arrow arrays (`done` rows before it)."""
    if not rows:
        return 0
    arrays = {
        name: _without_errors(
            pa.array([_cell_text(row[pos]) if pos < len(row) else "" for row in rows], pa.string())
        )
        for name, pos in found.items()
    }
    check_cells({headers[found[name]]: array for name, array in arrays.items()}, done + 2)
    for name, array in arrays.items():
        chunks[name].append(array)
    return len(rows)


def _without_errors(column: pa.Array) -> pa.Array:
    """Cells showing an Excel error read as empty."""
    errors = pc.is_in(column, value_set=EXCEL_ERRORS)
    return pc.if_else(errors, "", column) if pc.any(errors).as_py() else column
