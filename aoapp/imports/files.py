"""What every listing file must pass before its cells are read: its kind by content, the size of a
workbook once unpacked, the length of a cell, the headers; and the table of text cells a reader
returns (`Listing`), whatever the file's format and the listing's kind."""

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from flask import current_app, has_app_context

from aoapp.common.system_text import params_of, render, said
from aoapp.imports import texts
from aoapp.imports.kinds import ListingKind

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

# Defaults of the settings of the same name (config.py): the longest cell a listing may hold, and
# how large an uploaded workbook may be once unpacked, in all and relative to its packed size.
IMPORTS_MAX_CELL_CHARS = 1_000
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 100
RATIO_GRACE = 1024 * 1024  # small parts (styles, themes) may compress as well as they like

# What a file that is not a listing usually begins with, for a plain refusal (imports/texts.py
# says it in words).
OLD_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x7fELF", "elf"),
    (OLD_OFFICE, "office"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
)


class ListingRefused(Exception):
    """The file as a whole cannot be read (format, encoding, headers); nothing was changed.

    It keeps the refusal as a system text (imports/texts.py): its code and parameters, said in
    the current language by `str()`.
    """

    def __init__(self, code: str, **params):
        self.code, self.params = code, params_of(**params)
        super().__init__(code)

    def __str__(self) -> str:
        return render(self.code, self.params)


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

    def format_note(self) -> dict:
        """The note naming how the file was read ("Format: csv, delimiter ';', encoding utf-8."),
        as a system text (`system_text.said`)."""
        return said(
            texts.FORMAT,
            format=self.file_format,
            delimiter=self.delimiter,
            encoding=self.encoding,
            sheet=self.sheet,
        )


def unsupported_type(suffix: str) -> "ListingRefused":
    """The refusal of a file that is neither .csv nor .xlsx."""
    return ListingRefused(texts.UNSUPPORTED, suffix=suffix or None)


def setting(name: str, default: int) -> int:
    value = current_app.config.get(name) if has_app_context() else None
    return default if value is None else int(value)


def _looks_like(head: bytes) -> str | None:
    """What kind of non-listing file starts with `head`, if a known one."""
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return "exe"
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def check_kind(path: Path) -> None:
    """Refuse a file whose content is plainly not what its suffix says (a PDF named .csv)."""
    suffix = path.suffix.lower()
    with path.open("rb") as file:
        head = file.read(512)
    kind = _looks_like(head)
    if suffix in CSV_SUFFIXES and kind:
        raise ListingRefused(texts.NOT_CSV, kind=kind, workbook=head.startswith(b"PK"))
    if suffix in XLSX_SUFFIXES and not head.startswith(b"PK\x03\x04"):
        raise ListingRefused(texts.NOT_XLSX, kind=kind, old_office=head.startswith(OLD_OFFICE))


def check_xlsx_archive(
    path: str | Path, max_bytes: int | None = None, max_ratio: int | None = None
) -> None:
    """Refuse a workbook that would unpack to more than `max_bytes` in all, or whose parts
    unpack more than `max_ratio` times their packed size (a zip bomb), before anything opens it.

    The parts are inflated as a stream and counted, not kept, so the sizes the archive declares
    are checked against what it really holds; a bomb stops within its first megabytes.
    Limits: MAX_XLSX_UNCOMPRESSED_BYTES and MAX_XLSX_COMPRESSION_RATIO.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = setting("MAX_XLSX_UNCOMPRESSED_BYTES", MAX_XLSX_UNCOMPRESSED_BYTES)
    if max_ratio is None:
        max_ratio = setting("MAX_XLSX_COMPRESSION_RATIO", MAX_XLSX_COMPRESSION_RATIO)
    too_large = ListingRefused(texts.TOO_LARGE, size=max_bytes // (1024 * 1024))
    bomb = bomb_message(max_ratio)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ListingRefused(texts.XLSX_UNREADABLE, error=str(error)) from None
    if len(members) > 10_000:
        raise ListingRefused(texts.TOO_MANY_PARTS)
    for info in members:
        if info.file_size > RATIO_GRACE and info.file_size > max_ratio * info.compress_size:
            raise bomb
    if sum(info.file_size for info in members) > max_bytes:
        raise too_large
    total = 0
    with path.open("rb") as raw:
        for info in members:
            total += _inflated_size(raw, info, max_bytes - total, max_ratio, too_large, bomb)


def bomb_message(ratio: int) -> "ListingRefused":
    """The refusal of a workbook part that unpacks to more than `ratio` times its size."""
    return ListingRefused(texts.BOMB, ratio=ratio)


def _inflated_size(raw, info: zipfile.ZipInfo, budget: int, ratio: int, large, bomb):
    """The real unpacked size of one part, counted chunk by chunk within `budget`."""
    if info.flag_bits & 0x1:
        raise ListingRefused(texts.PASSWORD)
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise ListingRefused(texts.DAMAGED)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(name_length + extra_length, io.SEEK_CUR)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size > budget:
            raise large
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ListingRefused(texts.COMPRESSION)
    inflater = zlib.decompressobj(-15)
    left, packed, size = info.compress_size, 0, 0
    while left > 0 and not inflater.eof:
        chunk = raw.read(min(left, 64 * 1024))
        if not chunk:
            break
        left -= len(chunk)
        packed += len(chunk)
        data = chunk
        while data and not inflater.eof:
            try:
                size += len(inflater.decompress(data, 1024 * 1024))
            except zlib.error:
                raise ListingRefused(texts.DAMAGED) from None
            if size > budget:
                raise large
            if size > RATIO_GRACE and size > ratio * packed:
                raise bomb
            data = inflater.unconsumed_tail
    return size


def check_cells(columns: dict[str, pa.Array], first_row: int = 2) -> None:
    """Refuse a listing with an absurdly long cell (a whole file in one quoted field), naming
    its row (the header is row 1) and column; limit IMPORTS_MAX_CELL_CHARS."""
    limit = setting("IMPORTS_MAX_CELL_CHARS", IMPORTS_MAX_CELL_CHARS)
    worst = None
    for order, (name, column) in enumerate(columns.items()):
        lengths = pc.utf8_length(column)
        over = pc.indices_nonzero(pc.fill_null(pc.greater(lengths, limit), False))
        if len(over):
            index = over[0].as_py()
            found = (index, order, name, lengths[index].as_py())
            worst = min(worst, found) if worst else found
    if worst:
        index, _order, name, length = worst
        raise ListingRefused(
            texts.LONG_CELL, row=first_row + index, column=name, length=length, limit=limit
        )


def check_headers(missing: list[str], duplicates: list[list[str]]) -> None:
    """Refuse missing required columns and columns that appear twice ([name, first, second])."""
    if missing or duplicates:
        raise ListingRefused(texts.HEADERS, missing=list(missing), duplicates=list(duplicates))


def canonical(
    kind: ListingKind,
    columns: dict[str, pa.Array],
    rows: int,
    headers: dict[str, str] | None = None,
) -> pa.Table:
    """A table with every column of `kind` present (optional ones empty when absent), trimmed.

    Its schema metadata names the columns the file has ("present") and, for each, its header as
    written ("headers": {canonical: header}), for messages that name columns as the user does.
    """
    arrays = {}
    for column in kind.columns:
        if column.name in columns:
            arrays[column.name] = pc.utf8_trim_whitespace(columns[column.name])
        else:
            arrays[column.name] = pa.array([""] * rows, type=pa.string())
    table = pa.table(arrays)
    present = [c.name for c in kind.columns if c.name in columns]
    written = {name: header_text(text) for name, text in (headers or {}).items() if name in columns}
    return table.replace_schema_metadata(
        {"present": ",".join(present), "headers": json.dumps(written, ensure_ascii=False)}
    )


def header_text(header: str | None) -> str:
    """A header as the user wrote it, without surrounding spaces or a byte-order mark."""
    return (header or "").strip().lstrip("\ufeff").strip()


def written_headers(table: pa.Table) -> dict[str, str]:
    """{canonical name: the file's header} of a table made by `canonical` (empty otherwise)."""
    raw = (table.schema.metadata or {}).get(b"headers")
    return json.loads(raw.decode("utf-8")) if raw else {}
