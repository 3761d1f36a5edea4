"""The monitoring report's form rendered with XlsxWriter: A4 portrait, one page wide, wrapped
text in bounded columns, row heights fitted to the wrapped text (Excel does not fit merged
cells), bordered tables, the signature blocks at the end, header and footer with the bank,
branch, period and `Page x of y`.

`XlsxWriterWriter` calls `write_form(book, formats, sheet)` for a sheet whose `extra["render"]`
names it; `monitoring_print_setup` is this sheet's own page setup until the writers share one.
"""

from aoapp.reports.customer.form_blocks import Pairs, Section, Signatures, Table
from aoapp.reports.printing import page_footer
from aoapp.reports.sheets import DATE, INT, MONEY, TEXT

A4 = 9
COLUMNS = 7
WIDTHS = (15, 17, 14, 16, 14, 16, 13)  # ≈ 105 characters: one A4 portrait page wide
LINE_HEIGHT = 15  # points per line of 11-point text
HEADER_TEXT_MAX = 60  # characters of one header section (Excel allows 255 for all three)


def write_form(book, formats, sheet) -> None:
    """Lay the sheet's `MonitoringForm` out on a new worksheet."""
    form = sheet.extra["form"]
    ws = book.add_worksheet(sheet.name)
    styles = _Styles(book, formats)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    row = 0  # the next free row
    for index, line in enumerate(sheet.title):
        _merged(ws, row, 0, COLUMNS - 1, line, styles.title if index == 0 else styles.subtitle)
        row += 1
    for block in form.blocks:
        if isinstance(block, Section):
            _merged(ws, row + 1, 0, COLUMNS - 1, block.title, styles.section)  # after a blank
            row += 2
        elif isinstance(block, Pairs):
            row = _pairs(ws, styles, row, block)
        elif isinstance(block, Table):
            row = _table(ws, styles, row, block)
        elif isinstance(block, Signatures):
            row = _signatures(ws, styles, row, block)
    monitoring_print_setup(ws, form.header, row - 1)


def monitoring_print_setup(ws, header: tuple[str, str, str], last_row: int):
    """A4 portrait (a form, unlike the landscape tables), one page wide and as many tall as
    needed, gridlines hidden, margins for a binder; header bank · branch · period, footer as
    every sheet's (reports/printing.py)."""
    ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.4, top=0.8, bottom=0.7)
    ws.hide_gridlines(2)
    ws.print_area(0, 0, last_row, COLUMNS - 1)
    left, centre, right = (_header_text(text) for text in header)
    ws.set_header(f"&L{left}&C{centre}&R{right}")
    ws.repeat_rows(0, 1)  # the form's title on every page
    ws.set_footer(page_footer())  # the sheet's name and `Page x of y`, as every sheet


def _header_text(text: str) -> str:
    """A header or footer section: `&` doubled (Excel reads `&` as a code), length bounded."""
    return text[:HEADER_TEXT_MAX].replace("&", "&&")


class _Styles:
    """The form's formats, made once per sheet from the workbook's number formats."""

    def __init__(self, book, formats):
        self.title, self.subtitle = formats.title, formats.subtitle
        self.section = book.add_format({"bold": True, "font_size": 12, "bottom": 2})
        self.label = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        self.value = book.add_format({"valign": "top", "text_wrap": True, "num_format": "@"})
        self.header = book.add_format(
            {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
        )
        self.plain = book.add_format({"text_wrap": True, "valign": "top"})
        self.bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.italic = formats.italic
        number = formats.number_formats
        self.pair_date = book.add_format(
            {"valign": "top", "align": "left", "num_format": number[DATE]}
        )
        self.cells = {
            kind: book.add_format(
                {
                    "border": 1,
                    "valign": "top",
                    "text_wrap": True,
                    "num_format": number.get(kind, "@"),
                }
            )
            for kind in (TEXT, INT, MONEY, DATE)
        }
        self.totals = {
            kind: book.add_format(
                {"border": 1, "bold": True, "valign": "top", "num_format": number.get(kind, "@")}
            )
            for kind in (TEXT, INT, MONEY, DATE)
        }


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a cell `width` characters wide."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(-(-len(part) // per_line), 1) for part in str(text).split("\n"))


def _fit(ws, row: int, texts_and_widths) -> None:
    """Set the row's height to its tallest wrapped text."""
    lines = max((_lines(t, w) for t, w in texts_and_widths if t), default=1)
    ws.set_row(row, LINE_HEIGHT * max(lines, 1))


def _merged(ws, row: int, first: int, last: int, text: str, style) -> None:
    if first == last:
        ws.write_string(row, first, text, style)
    else:
        ws.merge_range(row, first, row, last, text, style)


def _pairs(ws, styles, row: int, block: Pairs) -> int:
    label_width, value_width = sum(WIDTHS[:2]), sum(WIDTHS[2:])
    for fact in block.items:
        text = _text(fact.value, fact.kind)
        _merged(ws, row, 0, 1, fact.label, styles.label)
        if fact.kind == DATE and fact.value is not None:
            ws.merge_range(row, 2, row, COLUMNS - 1, "", styles.value)
            ws.write_datetime(row, 2, _as_datetime(fact.value), styles.pair_date)
        else:
            _merged(ws, row, 2, COLUMNS - 1, text, styles.value)
        _fit(ws, row, [(fact.label, label_width), (text, value_width)])
        row += 1
    return row


def _table(ws, styles, row: int, block: Table) -> int:
    places = _places(block)
    for (first, last), column in zip(places, block.columns, strict=True):
        _merged(ws, row, first, last, column.header, styles.header)
    _fit(ws, row, [(c.header, _width(p)) for p, c in zip(places, block.columns, strict=True)])
    row += 1
    if not block.rows:
        _merged(ws, row, 0, COLUMNS - 1, block.empty, styles.italic)
        return row + 1
    for values in [*block.rows, *([block.total] if block.total else [])]:
        total = values is block.total
        cells = list(zip(places, block.columns, values, strict=True))
        for (first, last), column, value in cells:
            style = (styles.totals if total else styles.cells).get(column.kind, styles.cells[TEXT])
            if last > first:
                ws.merge_range(row, first, row, last, "", style)
            _cell(ws, row, first, value, column.kind, style)
        _fit(ws, row, [(_text(v, c.kind), _width(p)) for p, c, v in cells])
        row += 1
    return row


def _places(block: Table) -> list[tuple[int, int]]:
    """(first, last) page column of each table column, by its span."""
    places, first = [], 0
    for span in block.spans or (1,) * len(block.columns):
        places.append((first, first + span - 1))
        first += span
    return places


def _width(place: tuple[int, int]) -> float:
    return sum(WIDTHS[place[0] : place[1] + 1])


def _signatures(ws, styles, row: int, block: Signatures) -> int:
    row += 1
    for left, right in zip(block.made_by, block.acknowledged_by, strict=True):
        style = styles.bold if left.endswith(",") else styles.plain
        _merged(ws, row, 0, 2, left, style)
        _merged(ws, row, 4, COLUMNS - 1, right, style)
        row += 1
    row += 1
    for line in block.review:
        _merged(ws, row, 0, COLUMNS - 1, line, styles.plain)
        _fit(ws, row, [(line, sum(WIDTHS))])
        row += 1
    return row


def _cell(ws, row: int, col: int, value, kind: str, style) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, style)
    elif kind == DATE:
        ws.write_datetime(row, col, _as_datetime(value), style)
    elif kind in (MONEY, INT):
        ws.write_number(row, col, float(value) if kind == MONEY else int(value), style)
    else:
        ws.write_string(row, col, str(value), style)


def _text(value, kind: str) -> str:
    """A value's width in text (dates and numbers fit one line)."""
    if value is None or kind in (DATE, INT, MONEY):
        return ""
    return str(value)


def _as_datetime(value):
    from datetime import datetime

    return datetime(value.year, value.month, value.day)
