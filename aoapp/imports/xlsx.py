"""Read the first (or a named) sheet of an XLSX listing as text cells, as a person sees them.

Column-wise first: fastexcel reads the sheet once, straight into Arrow, each column typed from all
its cells, and typed columns become text with Arrow compute (`_typed_text`), exactly as
`_cell_text` shows a cell. A sheet with cells that cannot be rendered so (a column mixing types,
a text such as "NA" among numbers, times of day, dates before 1900) is read row by row through
python-calamine instead (`_read_xlsx_rows`), in chunks, so the text is the same either way.
"""

import re
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
    import fastexcel

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
        workbook = fastexcel.read_excel(str(path))
    except Exception as error:  # fastexcel raises its own error types for broken files
        raise unreadable(error, path) from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ListingRefused(texts.NO_SHEET, sheet=repr(sheet), sheets=", ".join(names))
    sheet_name = sheet or names[0]
    grid = _sheet_text(workbook, sheet_name)
    if grid is None:  # cells fastexcel cannot render exactly as _cell_text does: read by row
        return _read_xlsx_rows(path, kind, sheet_name)
    headers, cells = grid
    found, missing, problems = kind.header_map(headers)
    check_headers(missing, problems)
    count = _rows_before_blank_tail(cells)
    columns = {name: cells[pos].slice(0, count) for name, pos in found.items()}
    check_cells({headers[found[name]]: array for name, array in columns.items()})
    written = {name: headers[pos] for name, pos in found.items()}
    return Listing(canonical(kind, columns, count, written), "xlsx", sheet=sheet_name)


def unreadable(error: Exception, path: Path) -> ListingRefused:
    """The refusal of a workbook a reader failed on: the reader's first line of reason, without
    the server's path of the file (readers name it; an upload's is internal)."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return ListingRefused(texts.XLSX_UNREADABLE, error=reason.replace(str(path), path.name))


def _sheet_text(workbook, sheet_name: str) -> tuple[list[str], list[pa.Array]] | None:
    """The header texts and the data columns as text, or None when only _read_xlsx_rows can tell.

    The sheet is read once, straight into Arrow, each column typed from all its cells; typed
    columns become text with Arrow compute. A column mixing types (or holding #DIV/0!, or a text
    such as "NA" among numbers, which fastexcel reads as a null) fails that strict typing.
    """
    from fastexcel import FastExcelError

    options = {
        "header_row": 0,
        "skip_rows": 0,  # the header is the first row, even a blank one
        "schema_sample_rows": None,
        "dtype_coercion": "strict",
    }
    try:
        batch, errors = workbook.load_sheet(sheet_name, **options).to_arrow_with_errors()
    except FastExcelError:
        return None
    if errors is not None and not all(_ERROR_CELL.search(e.detail) for e in errors.errors):
        return None  # a cell its column's type could not hold; error cells (#N/A) read as ""
    if batch.num_columns == 0:
        raise ListingRefused(texts.EMPTY_SHEET, sheet=repr(sheet_name))
    cells = [_typed_text(column) for column in batch.columns]
    if any(column is None for column in cells):
        return None
    names = batch.schema.names  # the header cells; empty ones named __UNNAMED__<n>
    if _renamed(names):  # fastexcel renames a repeated header; header_map must see it repeated
        head = workbook.load_sheet(
            sheet_name, header_row=None, skip_rows=0, n_rows=1, dtypes="string", eager=True
        )
        names = [column[0].as_py() or "" for column in head.columns]
    return [name.strip() for name in names], cells


_ERROR_CELL = re.compile(r"but got 'Error\(\w+\)'$")


def _renamed(names: list[str]) -> bool:
    """Whether a column name may be fastexcel's "<name>_<n>" for a header seen before it."""
    for position, name in enumerate(names):
        stem, _sep, number = name.rpartition("_")
        if number.isdigit() and stem in names[:position]:
            return True
    return False


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def _text(column: pa.Array) -> pa.Array:
    """A text (or all-empty) column as Arrow strings, empty cells as ""."""
    return pc.fill_null(column.cast(pa.string()), "")


def _typed_text(column: pa.Array) -> pa.Array | None:
    """A typed column as _cell_text renders each cell, or None where it cannot be done exactly."""
    kind = column.type
    if _is_text(kind):
        return _text(column)
    if pa.types.is_boolean(kind):
        return pc.fill_null(pc.if_else(column, "Y", "N"), "")
    if pa.types.is_integer(kind):
        return _text(column)
    if pa.types.is_floating(kind):
        return _float_text(column)
    if pa.types.is_timestamp(kind):
        return _datetime_text(column)
    return None  # dates from ISO cells and durations: rare, read by row


def _float_text(column: pa.Array) -> pa.Array | None:
    """Floats as _cell_text shows them: whole numbers without ".0", others as repr gives."""
    if pc.any(pc.or_(pc.is_nan(column), pc.is_inf(column))).as_py():
        return None  # a text cell such as "NaN" read as a number
    whole = pc.equal(pc.floor(column), column)
    in_int64 = pc.less(pc.abs(column), 2.0**63)
    as_int = pc.cast(pc.if_else(pc.and_(whole, in_int64), column, 0.0), pa.int64())
    # Arrow writes the same shortest round-trip digits as repr; only its notation differs, for
    # tiny values and exponents, and whole numbers past int64 need Python's exact int().
    text = pc.if_else(whole, as_int.cast(pa.string()), column.cast(pa.string()))
    odd = pc.fill_null(
        pc.if_else(
            whole,
            pc.invert(in_int64),
            pc.or_(pc.match_substring(text, "e"), pc.less(pc.abs(column), 1e-4)),
        ),
        False,
    )
    if pc.any(odd).as_py():
        values = pc.filter(column, odd).to_pylist()
        text = pc.replace_with_mask(text, odd, pa.array([_cell_text(v) for v in values]))
    return pc.fill_null(text, "")


def _datetime_text(column: pa.Array) -> pa.Array | None:
    """Date cells as ISO dates, or isoformat() where the time is not midnight."""
    column = column.cast(pa.timestamp("ms"))
    first = pa.scalar(datetime(1900, 1, 1), pa.timestamp("ms"))
    if pc.any(pc.less(column, first)).as_py():
        return None  # times of day and serials before 1900 read as times by the row reader
    day = pc.cast(column, pa.date32())
    midnight = pc.equal(pc.cast(day, pa.timestamp("ms")), column)
    stamp = pc.strftime(column, "%Y-%m-%dT%H:%M:%S")  # seconds carry ".mmm"
    stamp = pc.if_else(
        pc.ends_with(stamp, ".000"),
        pc.utf8_slice_codeunits(stamp, 0, -4),
        pc.binary_join_element_wise(stamp, "000", ""),
    )
    return pc.fill_null(pc.if_else(midnight, day.cast(pa.string()), stamp), "")


def _rows_before_blank_tail(cells: list[pa.Array]) -> int:
    """The number of data rows once trailing blank rows (Excel leaves them behind) are dropped."""
    count = len(cells[0]) if cells else 0
    while count and all(column[count - 1].as_py().strip() == "" for column in cells):
        count -= 1
    return count


def _read_xlsx_rows(path: Path, kind: ListingKind, sheet_name: str) -> Listing:
    """Read a sheet by row through python-calamine: for typed cells fastexcel cannot render."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for broken files
        raise unreadable(error, path) from None
    try:
        return _sheet_rows(workbook, kind, sheet_name)
    except CalamineError as error:  # a part that is not well-formed XML, met while reading
        raise unreadable(error, path) from None


def _sheet_rows(workbook, kind: ListingKind, sheet_name: str) -> Listing:
    """The named sheet of an open calamine workbook as a listing, chunk by chunk."""
    rows = workbook.get_sheet_by_name(sheet_name).iter_rows()
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


XLSX_CHUNK = 50_000


def _flush_chunk(
    rows: list[list], found: dict[str, int], chunks: dict[str, list], headers: list[str], done: int
) -> int:
    """Append one chunk of sheet rows to the per-column Arrow arrays (`done` rows before it)."""
    if not rows:
        return 0
    arrays = {
        name: pa.array(
            [_cell_text(row[pos]) if pos < len(row) else "" for row in rows], pa.string()
        )
        for name, pos in found.items()
    }
    check_cells({headers[found[name]]: array for name, array in arrays.items()}, done + 2)
    for name, array in arrays.items():
        chunks[name].append(array)
    return len(rows)
