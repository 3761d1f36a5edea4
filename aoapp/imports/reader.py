"""Read a loan listing (CSV or XLSX) into a table of text cells with canonical column names.

Every cell stays text (account numbers keep their leading zeros); the strict parser decides what
the text means.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from aoapp.imports.columns import header_map

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class ListingRefused(Exception):
    """The file as a whole cannot be read (format, encoding, headers); nothing was changed."""


@dataclass
class Listing:
    """The listing's cells as text, with what was learnt while reading it."""

    table: pa.Table  # canonical column names, all string, no nulls
    file_format: str  # csv | xlsx
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def read_listing(
    path: str | Path, *, encoding: str | None = None, sheet: str | None = None
) -> Listing:
    """Read a CSV or XLSX listing, refusing files that cannot be read as a whole."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, encoding)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, sheet)
    raise ListingRefused(
        f"Unsupported file type {suffix or '(none)'}: send a .csv or .xlsx listing."
    )


def _decode(data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """Return UTF-8 bytes; without an explicit encoding, refuse anything that is not UTF-8."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ListingRefused(f"Unknown encoding {encoding!r}.") from None
        except UnicodeDecodeError as error:
            raise ListingRefused(
                f"The file is not valid {encoding}: {error.reason} at byte {error.start}."
            ) from None
        return text.encode("utf-8"), encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ListingRefused(
            f"The file is not UTF-8 (byte 0x{data[error.start]:02x} on line {line}). Export it as "
            "UTF-8, or name its encoding (e.g. --encoding cp1252 for Windows-1252)."
        ) from None
    return data, "utf-8"


def _read_csv(path: Path, encoding: str | None) -> Listing:
    data, used = _decode(path.read_bytes(), encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    header_line = data.split(b"\n", 1)[0]
    if not header_line.strip():
        raise ListingRefused("The file is empty or has no header row.")
    delimiter = ";" if header_line.count(b";") > header_line.count(b",") else ","
    headers = [
        h.strip().strip('"') for h in header_line.decode("utf-8").rstrip("\r").split(delimiter)
    ]
    found, missing, problems = header_map(headers)
    _check_headers(missing, problems)
    names = [f"c{i}" for i in range(len(headers))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        raise ListingRefused(f"The CSV file cannot be read: {_arrow_message(error)}") from None
    columns = {name: table.column(f"c{pos}").combine_chunks() for name, pos in found.items()}
    return Listing(_canonical(columns, table.num_rows), "csv", encoding=used, delimiter=delimiter)


def _arrow_message(error: Exception) -> str:
    message = str(error)
    if "Expected" in message and "columns" in message:
        return "a row has a different number of columns than the header. " + message.split("\n")[0]
    return message.split("\n")[0]


def _check_headers(missing: list[str], problems: list[str]) -> None:
    if missing or problems:
        parts = problems[:]
        if missing:
            parts.insert(0, "Missing required columns: " + ", ".join(missing) + ".")
        raise ListingRefused(" ".join(parts))


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


def _read_xlsx(path: Path, sheet: str | None) -> Listing:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for broken files
        raise ListingRefused(f"The XLSX file cannot be read: {error}") from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise ListingRefused(f"No sheet {sheet!r}; the workbook has: {', '.join(names)}.")
    sheet_name = sheet or names[0]
    rows = workbook.get_sheet_by_name(sheet_name).iter_rows()
    first = next(rows, None)
    if first is None:
        raise ListingRefused(f"Sheet {sheet_name!r} is empty.")
    headers = [_cell_text(h).strip() for h in first]
    found, missing, problems = header_map(headers)
    _check_headers(missing, problems)
    # Cells become Arrow text in chunks, so a million-row sheet never lives as Python objects.
    chunks: dict[str, list[pa.Array]] = {name: [] for name in found}
    pending: list[list] = []
    count = blank_tail = 0
    for row in rows:
        pending.append(row)
        if len(pending) >= XLSX_CHUNK:
            count += _flush_chunk(pending, found, chunks)
            pending = []
    # Trailing blank rows Excel leaves behind are not data.
    while pending and all(_cell_text(v).strip() == "" for v in pending[-1]):
        pending.pop()
        blank_tail += 1
    count += _flush_chunk(pending, found, chunks)
    columns = {
        name: pa.concat_arrays(parts) if parts else pa.array([], pa.string())
        for name, parts in chunks.items()
    }
    return Listing(_canonical(columns, count), "xlsx", sheet=sheet_name)


XLSX_CHUNK = 50_000


def _flush_chunk(rows: list[list], found: dict[str, int], chunks: dict[str, list]) -> int:
    """Append one chunk of sheet rows to the per-column Arrow arrays."""
    if not rows:
        return 0
    for name, pos in found.items():
        chunks[name].append(
            pa.array([_cell_text(row[pos]) if pos < len(row) else "" for row in rows], pa.string())
        )
    return len(rows)


def _canonical(columns: dict[str, pa.Array], rows: int) -> pa.Table:
    """A table with every canonical column present (optional ones empty when absent), trimmed."""
    import pyarrow.compute as pc

    from aoapp.imports.columns import COLUMNS

    arrays = {}
    for column in COLUMNS:
        if column.name in columns:
            arrays[column.name] = pc.utf8_trim_whitespace(columns[column.name])
        else:
            arrays[column.name] = pa.array([""] * rows, type=pa.string())
    table = pa.table(arrays)
    present = [c.name for c in COLUMNS if c.name in columns]
    return table.replace_schema_metadata({"present": ",".join(present)})
