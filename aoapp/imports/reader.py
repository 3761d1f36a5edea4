"""Read a listing (CSV or XLSX) into a table of text cells with its kind's canonical column names.

Every cell stays text (account numbers keep their leading zeros); the strict parser decides what
the text means.
"""

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from aoapp.imports import texts
from aoapp.imports.files import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    Listing,
    ListingRefused,
    canonical,
    check_cells,
    check_headers,
    check_kind,
    unsupported_type,
)
from aoapp.imports.kinds import ListingKind
from aoapp.imports.xlsx import read_xlsx

__all__ = ["Listing", "ListingRefused", "read_listing"]


def read_listing(
    path: str | Path, kind: ListingKind, *, encoding: str | None = None, sheet: str | None = None
) -> Listing:
    """Read a CSV or XLSX listing of `kind`, refusing files that cannot be read as a whole."""
    path = Path(path)
    suffix = path.suffix.lower()
    check_kind(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, kind, encoding)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, kind, sheet)
    raise unsupported_type(suffix)


def _decode(data: bytes, encoding: str | None) -> tuple[bytes, str]:
    """Return UTF-8 bytes; without an explicit encoding, refuse anything that is not UTF-8."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ListingRefused(texts.UNKNOWN_ENCODING, encoding=repr(encoding)) from None
        except UnicodeDecodeError as error:
            raise ListingRefused(
                texts.BAD_ENCODING, encoding=encoding, reason=error.reason, byte=error.start
            ) from None
        return text.encode("utf-8"), encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ListingRefused(texts.NOT_UTF8, byte=f"0x{data[error.start]:02x}", line=line) from None
    return data, "utf-8"


def _read_csv(path: Path, kind: ListingKind, encoding: str | None) -> Listing:
    data, used = _decode(path.read_bytes(), encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    header_line = data.split(b"\n", 1)[0]
    if not header_line.strip():
        raise ListingRefused(texts.NO_HEADER)
    delimiter = ";" if header_line.count(b";") > header_line.count(b",") else ","
    headers = [
        h.strip().strip('"') for h in header_line.decode("utf-8").rstrip("\r").split(delimiter)
    ]
    found, missing, problems = kind.header_map(headers)
    check_headers(missing, problems)
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
        message = str(error).split("\n")[0]
        columns = "Expected" in message and "columns" in message
        raise ListingRefused(texts.CSV_UNREADABLE, error=message, columns=columns) from None
    check_cells(
        {(headers[pos] or f"{pos + 1}"): table.column(f"c{pos}") for pos in range(len(headers))}
    )
    columns = {name: table.column(f"c{pos}").combine_chunks() for name, pos in found.items()}
    written = {name: headers[pos] for name, pos in found.items()}
    return Listing(
        canonical(kind, columns, table.num_rows, written),
        "csv",
        encoding=used,
        delimiter=delimiter,
    )
