"""The texts an import writes on its record (aoapp.common.system_text): why it was refused or
failed, and the notes on how the file was read, kept as codes with parameters and written in the
reader's language when shown (the record is read later, by other admins, in other languages)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.common.i18n import format_number
from aoapp.common.system_text import register, register_composed

# What a file that is not a listing looks like, by the code a refusal keeps.
LOOKS_LIKE = {
    "pdf": _l("a PDF document"),
    "png": _l("a PNG image"),
    "jpeg": _l("a JPEG image"),
    "gif": _l("a GIF image"),
    "elf": _l("a program"),
    "office": _l("an old Excel 97-2003 (.xls) or other Office file"),
    "zip": _l("a ZIP archive or an Excel workbook"),
    "gzip": _l("a gzip archive"),
    "rar": _l("a RAR archive"),
    "7z": _l("a 7-Zip archive"),
    "exe": _l("a Windows program (.exe)"),
}
DECIMAL_LABELS = {"dot": _l("plain (1234567.89)"), "comma": _l("Indonesian (1.234.567,89)")}
DATE_LABELS = {"iso": _l("ISO (2026-10-31)"), "dmy": _l("dd/mm/yyyy (31/10/2026)")}


def looks_like(code: str | None) -> str:
    """What a file looks like, in words."""
    return str(LOOKS_LIKE.get(code or "", code or ""))


# --- The record's message --------------------------------------------------------------------

INTERRUPTED = register(
    "imports.interrupted",
    _l("The import was interrupted (its process stopped) and changed nothing."),
)
STOPPED = register(
    "imports.stopped",
    _l(
        "The import stopped: its process gave no sign of life for %(minutes)s minutes (it was "
        "stopped or its machine restarted). It changed nothing; import the file again."
    ),
    minutes="number",
)
FAILED = register("imports.failed", _l("The import failed and changed nothing: %(error)s"))
UNEXPECTED = register(
    "imports.unexpected",
    _l(
        "The import failed on an unexpected error and changed nothing. Its details are in the "
        "server log (import %(id)s): import the file again, or ask the administrator."
    ),
)
ROWS_REJECTED = register(
    "imports.rows_rejected",
    _l("%(errors)s error(s) on %(rows)s row(s): nothing was imported."),
    errors="number",
    rows="number",
)
NO_ROWS = register("imports.no_rows", _l("The listing has no rows."))
BUSY = register(
    "imports.busy",
    _l(
        "Another import for %(as_of)s was still running after %(minutes)s minutes, so this one "
        "changed nothing. Import the file again when the other has finished."
    ),
    as_of="date",
    minutes="number",
)


# --- Refusals of the file as a whole -------------------------------------------------------------


def _unsupported(suffix: str | None = None) -> str:
    return _(
        "Unsupported file type %(suffix)s: send a .csv or .xlsx listing.",
        suffix=suffix or _("(none)"),
    )


def _not_csv(kind: str | None = None, workbook: bool = False) -> str:
    message = _(
        "The file is not a CSV listing: it looks like %(kind)s. Send the listing as .csv or .xlsx.",
        kind=looks_like(kind),
    )
    return message + " " + _("If it is a workbook, name it .xlsx.") if workbook else message


def _not_xlsx(kind: str | None = None, old_office: bool = False) -> str:
    if kind:
        message = _("The XLSX file cannot be read: it looks like %(kind)s.", kind=looks_like(kind))
    else:
        message = _("The XLSX file cannot be read: it is not an Excel .xlsx workbook.")
    return message + " " + _("Open it in Excel and save it as .xlsx.") if old_office else message


def _headers(missing: list | None = None, duplicates: list | None = None) -> str:
    parts = [
        _(
            "Column %(name)s appears twice (as %(first)s and %(second)s).",
            name=name,
            first=repr(first),
            second=repr(second),
        )
        for name, first, second in duplicates or []
    ]
    if missing:
        parts.insert(0, _("Missing required columns: %(columns)s.", columns=", ".join(missing)))
    return " ".join(parts)


def _long_cell(row: int, column: str, length: int, limit: int) -> str:
    return _(
        "Row %(row)s, column %(column)s: the cell holds %(length)s characters; a cell may hold at "
        "most %(limit)s. Check how the listing was exported (a missing closing quote makes one "
        "cell swallow the rest of the file).",
        row=row,
        column=column,
        length=format_number(length),
        limit=format_number(limit),
    )


def _csv_unreadable(error: str, columns: bool = False) -> str:
    if columns:
        error = _("a row has a different number of columns than the header.") + " " + error
    return _("The CSV file cannot be read: %(error)s", error=error)


UNSUPPORTED = register_composed("imports.unsupported_type", _unsupported)
NOT_CSV = register_composed("imports.not_csv", _not_csv)
NOT_XLSX = register_composed("imports.not_xlsx", _not_xlsx)
HEADERS = register_composed("imports.headers", _headers)
LONG_CELL = register_composed("imports.long_cell", _long_cell)
CSV_UNREADABLE = register_composed("imports.csv_unreadable", _csv_unreadable)
XLSX_UNREADABLE = register("imports.xlsx_unreadable", _l("The XLSX file cannot be read: %(error)s"))
TOO_MANY_PARTS = register(
    "imports.too_many_parts", _l("The workbook is refused: it holds too many parts.")
)
TOO_LARGE = register(
    "imports.too_large",
    _l(
        "The workbook is too large once unpacked: at most %(size)s MB of sheet data is "
        "accepted. Split the listing, or send it as CSV."
    ),
)
BOMB = register(
    "imports.bomb",
    _l(
        "The workbook is refused: one of its parts unpacks to more than %(ratio)s times its "
        "packed size, which real listings never do (a damaged or malicious file)."
    ),
)
PASSWORD = register(
    "imports.password", _l("The workbook is password-protected: save it without a password.")
)
XML_DECLARATIONS = register(
    "imports.xml_declarations",
    _l(
        "The file is not a valid spreadsheet: it declares a document type or entities (a DTD), "
        "which Excel workbooks never do. Open it in Excel and save it again as .xlsx, or send "
        "the listing as CSV."
    ),
)
DAMAGED = register("imports.damaged", _l("The XLSX file cannot be read: it is damaged."))
COMPRESSION = register(
    "imports.compression", _l("The XLSX file cannot be read: it uses an unusual compression.")
)
UNKNOWN_ENCODING = register("imports.unknown_encoding", _l("Unknown encoding %(encoding)s."))
BAD_ENCODING = register(
    "imports.bad_encoding", _l("The file is not valid %(encoding)s: %(reason)s at byte %(byte)s.")
)
NOT_UTF8 = register(
    "imports.not_utf8",
    _l(
        "The file is not UTF-8 (byte %(byte)s on line %(line)s). Export it as UTF-8, or "
        "name its encoding (e.g. --encoding cp1252 for Windows-1252)."
    ),
)
NO_HEADER = register("imports.no_header", _l("The file is empty or has no header row."))
NO_SHEET = register("imports.no_sheet", _l("No sheet %(sheet)s; the workbook has: %(sheets)s."))
EMPTY_SHEET = register("imports.empty_sheet", _l("Sheet %(sheet)s is empty."))
DECIMAL_UNKNOWN = register(
    "imports.decimal_unknown",
    _l(
        "The numbers could be plain or Indonesian (e.g. 1.234): name the convention with "
        "--decimal=dot (1234567.89) or --decimal=comma (1.234.567,89)."
    ),
)


# --- Notes on how the file was read ------------------------------------------------------------


def _format(
    format: str, delimiter: str | None = None, encoding: str | None = None, sheet=None
) -> str:
    parts = [_("Format: %(format)s", format=format)]
    if delimiter:
        parts.append(_("delimiter '%(delimiter)s'", delimiter=delimiter))
    if encoding:
        parts.append(_("encoding %(encoding)s", encoding=encoding))
    if sheet:
        parts.append(_("sheet %(sheet)s", sheet=repr(sheet)))
    return ", ".join(parts) + "."


def _numbers(convention: str, detected: bool = False) -> str:
    shown = DECIMAL_LABELS.get(convention, convention)
    if detected:
        return _("Numbers: %(convention)s (detected).", convention=shown)
    return _("Numbers: %(convention)s.", convention=shown)


def _dates(convention: str, detected: bool = False) -> str:
    shown = DATE_LABELS.get(convention, convention)
    if detected:
        return _("Dates: %(convention)s (detected).", convention=shown)
    return _("Dates: %(convention)s.", convention=shown)


FORMAT = register_composed("imports.format", _format)
NUMBERS = register_composed("imports.numbers", _numbers)
DATES = register_composed("imports.dates", _dates)
