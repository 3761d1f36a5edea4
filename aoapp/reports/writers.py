"""Render a `sheets.Workbook` to xlsx with XlsxWriter or rustpy-xlsxwriter.

Both writers lay a sheet out the same way: title lines, a blank row, the facts block, a blank row,
then the table with its header bold and frozen, an autofilter, fitted widths, a totals row and
charts to the right; landscape A4, one page wide, title and header repeated on every printed page.

- `XlsxWriterWriter` (XlsxWriter): full control of every cell, totals formulas with cached values.
  Used for the per-customer workbook.
- `RustWriter` (rustpy-xlsxwriter): the same layout from one call into Rust, streaming rows from a
  generator in constant memory, ~6x faster than XlsxWriter on large sheets. Used for the
  portfolio workbook (up to 1,000,000 facility rows). Its totals formulas carry no cached value.
"""

from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from flask_babel import gettext as _

from aoapp.reports.sheets import (
    BOOL,
    DATE,
    INT,
    MONEY,
    RATE,
    RATIO,
    TEXT,
    Sheet,
    Workbook,
    resolved,
)

WIDTH_SAMPLE = 500  # rows looked at to fit column widths (a streamed sheet is not held)
MIN_WIDTH, MAX_WIDTH = 8, 60
CHART_WIDTH_PX, CHART_HEIGHT_PX = 560, 300
A4 = 9


def cell_value(value, kind: str):
    """A Python value as what the cell holds: float for numbers, date, or text."""
    if value is None:
        return None
    if kind in (MONEY, RATIO, RATE):
        return float(value) if isinstance(value, Decimal) else value
    if kind == INT:
        return int(value)
    if kind == BOOL:
        if isinstance(value, str):  # already in words (a query computed it)
            return value
        return _("Yes") if value else _("No")
    if kind == DATE:
        return value
    return str(value)


def _display_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind == DATE:
        return 12
    if kind in (MONEY, INT):
        return len(f"{float(value):,.2f}") + 4
    if kind in (RATIO, RATE):
        return 9
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(sheet: Sheet, sample: list[tuple]) -> list[float]:
    """Column widths fitted to the header and a sample of the rows (capped to stay printable)."""
    widths = []
    for index, column in enumerate(sheet.columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        longest = max(
            [len(column.header)] + [_display_width(row[index], column.kind) for row in sample]
        )
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _sampled(rows) -> tuple[list[tuple], object]:
    """The first WIDTH_SAMPLE rows, and an iterator over all rows (the sample included)."""
    iterator = iter(rows)
    sample = list(islice(iterator, WIDTH_SAMPLE))
    return sample, chain(sample, iterator)


class XlsxWriterWriter:
    """Renders with XlsxWriter, cell by cell."""

    def write(self, workbook: Workbook, target) -> None:
        """Write the workbook to a path or a binary file object."""
        import xlsxwriter

        book = xlsxwriter.Workbook(
            target,
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,
            },
        )
        book.set_properties({"title": workbook.title, "author": workbook.author})
        formats = _XlsxFormats(book, workbook.number_formats)
        try:
            for sheet in workbook.sheets:
                self._sheet(book, formats, resolved(sheet))
        finally:
            book.close()

    def _sheet(self, book, formats, sheet: Sheet) -> None:
        if sheet.extra.get("render") is not None:  # a form laid out by its own renderer
            sheet.extra["render"](book, formats, sheet)
            return
        ws = book.add_worksheet(sheet.name)
        ncols = max(len(sheet.columns), 2)
        row = 0
        for index, line in enumerate(sheet.title):
            ws.write_string(row, 0, line, formats.title if index == 0 else formats.subtitle)
            row += 1
        if sheet.facts:
            row += 1
            for fact in sheet.facts:
                ws.write_string(row, 0, fact.label, formats.bold)
                self._cell(ws, formats, row, 1, fact.value, fact.kind)
                row += 1
        label_width = max((len(fact.label) for fact in sheet.facts), default=0)
        row += 1
        header_row = row
        sample, rows = _sampled(sheet.rows)
        widths = fitted_widths(sheet, sample)
        if sheet.columns:
            for col, column in enumerate(sheet.columns):
                ws.write_string(header_row, col, column.header, formats.header)
        last_row = header_row
        sums = {key: 0 for key in sheet.totals}
        positions = {key: sheet.column_index(key) for key in sheet.totals}
        for values in rows:
            last_row += 1
            for col, column in enumerate(sheet.columns):
                self._cell(ws, formats, last_row, col, values[col], column.kind)
            for key, col in positions.items():
                sums[key] += values[col] or 0
        if last_row == header_row and sheet.empty_message:
            ws.write_string(header_row + 1, 0, sheet.empty_message, formats.italic)
        if sheet.columns:
            ws.freeze_panes(header_row + 1, 0)
            ws.autofilter(header_row, 0, max(last_row, header_row), len(sheet.columns) - 1)
        if sheet.totals and last_row > header_row:
            total_row = last_row + 1
            ws.write_string(total_row, 0, sheet.totals_label, formats.bold)
            for key, col in positions.items():
                kind = sheet.columns[col].kind
                letter = _column_letter(col)
                formula = f"=SUM({letter}{header_row + 2}:{letter}{last_row + 1})"
                ws.write_formula(
                    total_row, col, formula, formats.total(kind), cell_value(sums[key], kind)
                )
        for col, width in enumerate(widths):
            if col == 0:
                width = max(width, min(label_width + 2, MAX_WIDTH))
            ws.set_column(col, col, width)
        if not sheet.columns and sheet.facts:
            ws.set_column(0, 0, min(label_width + 2, MAX_WIDTH))
            ws.set_column(1, 1, MAX_WIDTH)
        self._charts(book, ws, sheet, header_row, last_row, ncols)
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, header_row if sheet.columns else max(len(sheet.title) - 1, 0))
        ws.set_footer(_footer())

    def _cell(self, ws, formats, row: int, col: int, value, kind: str) -> None:
        value = cell_value(value, kind)
        if value is None:
            ws.write_blank(row, col, None, formats.kind(kind))
        elif kind == DATE:
            ws.write_datetime(row, col, _as_datetime(value), formats.kind(DATE))
        elif kind in (MONEY, RATIO, RATE, INT):
            ws.write_number(row, col, value, formats.kind(kind))
        else:
            ws.write_string(row, col, value, formats.kind(TEXT))

    def _charts(self, book, ws, sheet: Sheet, header_row: int, last_row: int, ncols: int):
        if last_row == header_row:
            return
        anchor_col = len(sheet.columns) + 1
        for number, spec in enumerate(sheet.charts):
            chart = book.add_chart({"type": spec.type})
            cat = sheet.column_index(spec.categories)
            for key in spec.series:
                col = sheet.column_index(key)
                series = {
                    "name": [sheet.name, header_row, col],
                    "categories": [sheet.name, header_row + 1, cat, last_row, cat],
                    "values": [sheet.name, header_row + 1, col, last_row, col],
                }
                if spec.type == "line":
                    series["marker"] = {"type": "circle", "size": 4}
                chart.add_series(series)
            chart.set_title({"name": spec.title})
            if spec.y_title and spec.type != "pie":
                chart.set_y_axis({"name": spec.y_title})
            chart.set_size({"width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX})
            ws.insert_chart(header_row + number * 16, anchor_col, chart)


class _XlsxFormats:
    """The few XlsxWriter formats a report uses, created once per workbook."""

    def __init__(self, book, number_formats: dict[str, str]):
        self.number_formats = number_formats
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"font_color": "#444444"})
        self.bold = book.add_format({"bold": True})
        self.italic = book.add_format({"italic": True, "font_color": "#666666"})
        self.header = book.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
        )
        self._kinds = {
            kind: book.add_format({"num_format": number_formats[kind]}) for kind in number_formats
        }
        self._kinds[TEXT] = book.add_format({"num_format": "@"})
        self._totals = {
            kind: book.add_format({"bold": True, "top": 1, "num_format": number_formats[kind]})
            for kind in number_formats
        }

    def kind(self, kind: str):
        return self._kinds.get(kind, self._kinds[TEXT])

    def total(self, kind: str):
        return self._totals.get(kind, self.bold)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _as_datetime(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


class RustWriter:
    """Renders with rustpy-xlsxwriter: one call, rows streamed from generators."""

    def write(self, workbook: Workbook, target) -> None:
        """Write the workbook to a path or a binary file object."""
        import rustpy_xlsxwriter as rx

        options: dict[str, dict] = {
            key: {}
            for key in (
                "header_row",
                "merge_ranges",
                "column_formats",
                "column_widths",
                "autofilter",
                "freeze_panes",
                "page_setup",
                "totals_row",
                "totals_label",
                "totals_format",
                "charts",
                "header_format",
            )
        }
        entries = []
        formats = {
            kind: rx.Format().set_num_format(fmt) for kind, fmt in workbook.number_formats.items()
        }
        bold = rx.Format().set_bold()
        header = rx.Format().set_bold().set_border_bottom("thin").set_background_color("#DDEBF7")
        for sheet in workbook.sheets:
            sheet = resolved(sheet)
            entries.append((sheet.name, self._records(sheet, options, formats, bold, header)))
        rx.write_worksheets(entries, target, **{k: v for k, v in options.items() if v})

    def _records(self, sheet: Sheet, options, formats, bold, header):
        columns = list(sheet.columns)
        ncols = max(len(columns), 4)
        merges = []
        row = 0
        for index, line in enumerate(sheet.title):
            merges.append((row, 0, row, ncols - 1, line, bold if index == 0 else None))
            row += 1
        if any(fact.kind != TEXT for fact in sheet.facts):
            # rustpy-xlsxwriter writes merged cells as text only: numbers belong in the table.
            raise ValueError(f"{sheet.name}: RustWriter writes facts as text only")
        if sheet.facts:
            row += 1
            for fact in sheet.facts:
                merges.append((row, 0, row, 1, fact.label, bold))
                merges.append((row, 2, row, ncols - 1, str(fact.value or ""), None))
                row += 1
        header_row = row + 1
        name = sheet.name
        options["merge_ranges"][name] = [m if m[5] is not None else m[:5] for m in merges]
        options["header_row"][name] = header_row
        options["header_format"][name] = header
        options["freeze_panes"][name] = {"row": header_row + 1, "col": 0}
        options["autofilter"][name] = True
        options["page_setup"][name] = {
            "landscape": True,
            "paper_size": A4,
            "repeat_rows": (0, header_row),
            "fit_to_pages": (1, 0),
            "footer": _footer(),
        }
        if not columns:  # a facts-only sheet: rustpy-xlsxwriter sizes no column without data
            return []
        options["column_formats"][name] = {
            c.header: formats[c.kind] for c in columns if c.kind in formats
        }
        if sheet.totals:
            options["totals_row"][name] = {
                sheet.columns[sheet.column_index(k)].header: "sum" for k in sheet.totals
            }
            options["totals_label"][name] = sheet.totals_label
            options["totals_format"][name] = bold
        if sheet.charts:
            options["charts"][name] = [
                {
                    "type": chart.type,
                    "title": chart.title,
                    "categories": sheet.columns[sheet.column_index(chart.categories)].header,
                    "series": [sheet.columns[sheet.column_index(k)].header for k in chart.series],
                    **_chart_anchor(sheet, header_row, number),
                    "width": CHART_WIDTH_PX,
                    "height": CHART_HEIGHT_PX,
                }
                for number, chart in enumerate(sheet.charts)
            ]
        sample, rows = _sampled(sheet.rows)
        options["column_widths"][name] = fitted_widths(sheet, sample)
        headers = [c.header for c in columns]
        if not sample:
            message = sheet.empty_message or ""
            return [dict(zip(headers, [message] + [None] * (len(headers) - 1), strict=True))]
        if sheet.extra.get("cells_typed"):
            # The query already returns each cell as the writer wants it (floats, words).
            return (dict(zip(headers, values, strict=True)) for values in rows)
        return _records(rows, columns)


def _records(rows, columns):
    """The rows as the dicts rustpy-xlsxwriter reads: `cell_value` per cell, without a call
    per cell (a million rows of mostly text, dates and ints go through `dict(zip())`)."""
    headers = [c.header for c in columns]
    numbers = [(i, c.header) for i, c in enumerate(columns) if c.kind in (MONEY, RATIO, RATE)]
    ints = [(i, c.header) for i, c in enumerate(columns) if c.kind == INT]
    bools = [(i, c.header) for i, c in enumerate(columns) if c.kind == BOOL]
    yes, no = _("Yes"), _("No")
    texts = [(i, c.header) for i, c in enumerate(columns) if c.kind == TEXT]
    for values in rows:
        record = dict(zip(headers, values, strict=True))
        for i, header in numbers:
            value = values[i]
            if value is not None and type(value) is not float:
                record[header] = float(value)
        for i, header in ints:
            value = values[i]
            if value is not None and type(value) is not int:
                record[header] = int(value)
        for i, header in bools:
            value = values[i]
            if value is not None:
                record[header] = yes if value else no
        for i, header in texts:
            value = values[i]
            if value is not None and type(value) is not str:
                record[header] = str(value)
        yield record


def _footer() -> str:
    """The printed page footer: the sheet's name left, `Page 1 of 3` right (Excel codes)."""
    return "&L&A&R" + _("Page &P of &N")


def _chart_anchor(sheet: Sheet, header_row: int, number: int) -> dict:
    """Where chart `number` goes: right of the table, or side by side under a short wide table
    (`sheet.extra["charts_below"]`, its rows a list) so it is seen without scrolling sideways."""
    if sheet.extra.get("charts_below") and isinstance(sheet.rows, list | tuple):
        return {"row": header_row + len(sheet.rows) + 3, "col": number * 9}
    return {"row": header_row + number * 16, "col": len(sheet.columns) + 1}
