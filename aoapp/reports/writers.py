"""Render a `sheets.Workbook` to xlsx with XlsxWriter or rustpy-xlsxwriter.

Both writers lay a sheet out the same way: title lines, a blank row, the facts block, the blocks
(small tables under their headings), a blank row, then the table with its header bold and frozen,
an autofilter, fitted and bounded widths, wrapped text, a totals row, and charts below; printing
as `printing.page_setup` says (A4, one page wide, header and footer, titles repeated).

- `XlsxWriterWriter` (XlsxWriter): full control of every cell, totals formulas with cached values.
  Used for the per-customer workbook.
- `RustWriter` (rust_writer.py, rustpy-xlsxwriter): the same layout from one call into Rust, rows from a
  generator in constant memory, ~6x faster than XlsxWriter on large sheets, but one table per
  sheet, facts as text only and charts without axis formats. Its totals carry no cached value.
- `HybridWriter` (package.py): the portfolio workbook (up to 1,000,000 facility rows): its
  streamed sheets by RustWriter, the others (the Summary's stacked tables, charts) by XlsxWriter,
  joined into one file.
"""

from aoapp.reports.cells import (
    CHART_HEIGHT_PX,
    CHART_ROWS,
    CHART_WIDTH_PX,
    as_datetime,
    cell_value,
    column_letter,
    fitted_widths,
    sampled,
    text_lines,
)
from aoapp.reports.printing import (
    FACT_LABEL_WIDTH,
    FACT_VALUE_WIDTH,
    MAX_WIDTH,
    axis_number_format,
    date_axis_format,
    page_setup,
)
from aoapp.reports.rust_writer import RustWriter
from aoapp.reports.sheets import (
    DATE,
    INT,
    MONEY,
    NUMBER,
    RATE,
    RATIO,
    TEXT,
    Block,
    Chart,
    Sheet,
    Workbook,
    resolved,
)

# A4 landscape less the margins of printing.page_setup (points): what one printed page holds.
PRINTABLE_WIDTH_PT, PRINTABLE_HEIGHT_PT = 842 - 72, 595 - 108 - 30
__all__ = ["RustWriter", "XlsxWriterWriter", "cell_value"]


class XlsxWriterWriter:
    """Renders with XlsxWriter, cell by cell."""

    def write(self, workbook: Workbook, target) -> None:
        """Write the workbook to a path or a binary file object."""
        import xlsxwriter

        workbook = workbook.ready()

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
                if sheet.extra.get("render") is not None:  # a form laid out by its own renderer
                    sheet.extra["render"](book, formats, sheet)
                else:
                    _XlsxSheet(book, formats, workbook, resolved(sheet)).write()
        finally:
            book.close()


class _XlsxSheet:
    """One sheet laid out top to bottom: title, facts, blocks, the table, charts."""

    def __init__(self, book, formats, workbook: Workbook, sheet: Sheet):
        self.book, self.formats, self.workbook, self.sheet = book, formats, workbook, sheet
        self.ws = book.add_worksheet(sheet.name)
        self.charts: list[tuple[Chart, int, int, list]] = []  # chart, header, last, columns
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}  # rows given a height (points)
        self.repeated = len(sheet.title)  # rows printed on top of every page

    def write(self) -> None:
        """Write the sheet and its print setup."""
        sheet, ws = self.sheet, self.ws
        row = len(sheet.title)
        if sheet.facts:
            row = self._facts(row + 1)
        for block in sheet.blocks:
            row = self._block(block, row + 1)
        header_row = row + 1 if sheet.columns or not sheet.blocks else row
        last_row = self._table(header_row) if sheet.columns else header_row
        for col, width in enumerate(self.widths):
            ws.set_column(col, col, width)
        self._title(self._printed_width())
        repeat = header_row if sheet.columns else max(len(sheet.title) - 1, 0)
        self.repeated = repeat + 1
        self._charts(last_row + 3)
        setup = page_setup(self.workbook, sheet.extra.get("print_titles", repeat))
        ws.set_landscape()
        ws.set_paper(setup["paper_size"])
        ws.fit_to_pages(*setup["fit_to_pages"])
        ws.repeat_rows(*setup["repeat_rows"])
        ws.set_header(setup["header"])
        ws.set_footer(setup["footer"])
        ws.set_margins(**setup["margins"])

    def _widen(self, widths: list[float]) -> None:
        for col, width in enumerate(widths):
            if col < len(self.widths):
                self.widths[col] = max(self.widths[col], width)
            else:
                self.widths.append(width)

    def _printed_width(self) -> float:
        return sum(self.widths) or FACT_LABEL_WIDTH + FACT_VALUE_WIDTH

    def _title(self, width: float) -> None:
        """Title lines across the printed width, wrapped (a merged cell never grows by itself)."""
        last_col = max(len(self.widths) - 1, 1)
        for index, line in enumerate(self.sheet.title):
            fmt = self.formats.title if index == 0 else self.formats.subtitle
            self.ws.merge_range(index, 0, index, last_col, line, fmt)
            lines = text_lines(line, width * (0.8 if index == 0 else 1.0))
            self._height(index, (20 if index == 0 else 15) * lines)

    def _facts(self, row: int) -> int:
        facts = self.sheet.facts
        label_width = min(max(len(f.label) for f in facts) + 2, FACT_LABEL_WIDTH)
        value_width = FACT_VALUE_WIDTH
        if not self.sheet.columns and not self.sheet.blocks:
            self._widen([label_width, value_width])
        else:
            self._widen([label_width])
            value_width = MAX_WIDTH
        for fact in facts:
            self.ws.write_string(row, 0, fact.label, self.formats.fact_label)
            self._cell(row, 1, fact.value, fact.kind, wrap=True)
            lines = max(
                text_lines(fact.label, label_width),
                text_lines(fact.value, value_width) if fact.kind == TEXT else 1,
            )
            if lines > 1:
                self._height(row, 15 * lines)
            row += 1
        return row

    def _height(self, row: int, points: float) -> None:
        self.ws.set_row(row, points)
        self.heights[row] = points

    def _block(self, block: Block, row: int) -> int:
        """A heading, an optional note, the header and the rows; returns the next free row."""
        ws, formats = self.ws, self.formats
        ws.write_string(row, 0, block.heading, formats.heading)
        row += 1
        if block.note:
            ws.write_string(row, 0, block.note, formats.italic)
            row += 1
        header_row = row
        for col, column in enumerate(block.columns):
            ws.write_string(row, col, column.header, formats.header)
        for values in block.rows:
            row += 1
            for col, column in enumerate(block.columns):
                self._cell(row, col, values[col], column.kind)
        self._widen(fitted_widths(block, list(block.rows)))
        if block.chart is not None and block.rows:
            self.charts.append((block.chart, header_row, row, block.columns))
        return row + 1

    def _table(self, header_row: int) -> int:
        sheet, ws, formats = self.sheet, self.ws, self.formats
        sample, rows = sampled(sheet.rows)
        self._widen(fitted_widths(sheet, sample))
        for col, column in enumerate(sheet.columns):
            ws.write_string(header_row, col, column.header, formats.header)
        last_row = header_row
        sums = {key: 0 for key in sheet.totals}
        positions = {key: sheet.column_index(key) for key in sheet.totals}
        for values in rows:
            last_row += 1
            for col, column in enumerate(sheet.columns):
                self._cell(last_row, col, values[col], column.kind)
            for key, col in positions.items():
                sums[key] += values[col] or 0
        if last_row == header_row and sheet.empty_message:
            ws.write_string(header_row + 1, 0, sheet.empty_message, formats.italic)
        ws.freeze_panes(header_row + 1, 0)
        if last_row > header_row:  # a filter over a header alone is no table
            ws.autofilter(header_row, 0, last_row, len(sheet.columns) - 1)
            self.charts += [(c, header_row, last_row, sheet.columns) for c in sheet.charts]
        if sheet.totals and last_row > header_row:
            total_row = last_row + 1
            ws.write_string(total_row, 0, sheet.totals_label, formats.bold)
            for key, col in positions.items():
                kind = sheet.columns[col].kind
                letter = column_letter(col)
                formula = f"=SUM({letter}{header_row + 2}:{letter}{last_row + 1})"
                ws.write_formula(
                    total_row, col, formula, formats.total(kind), cell_value(sums[key], kind)
                )
            last_row = total_row
        return last_row

    def _cell(self, row: int, col: int, value, kind: str, wrap: bool = False) -> None:
        ws, formats = self.ws, self.formats
        value = cell_value(value, kind)
        if value is None:
            ws.write_blank(row, col, None, formats.kind(kind))
        elif kind == DATE:
            ws.write_datetime(row, col, as_datetime(value), formats.kind(DATE, wrap))
        elif kind in (MONEY, RATIO, RATE, NUMBER, INT):
            ws.write_number(row, col, value, formats.kind(kind, wrap))
        else:
            ws.write_string(row, col, value, formats.kind(TEXT, wrap))

    def _chart_rows(self, first: int) -> list[int]:
        """The row of each chart, one under another from `first`, with a page break before a
        chart that would straddle two printed pages (estimated from the widths and heights)."""
        scale = min(1.0, PRINTABLE_WIDTH_PT / max(sum(w * 7 + 5 for w in self.widths) * 0.75, 1))
        page = PRINTABLE_HEIGHT_PT / scale - 15 * (self.repeated + 1)
        used = sum(self.heights.get(r, 15) for r in range(first)) % page
        rows, breaks, row = [], [], first
        for _chart in self.charts:
            if used + CHART_HEIGHT_PX * 0.75 > page:
                breaks.append(row)
                used = 0
            rows.append(row)
            row += CHART_ROWS
            used += CHART_ROWS * 15
        if breaks:
            self.ws.set_h_pagebreaks(breaks)
        return rows

    def _charts(self, row: int) -> None:
        """The charts one under another below everything else, within the printed width."""
        lang, name = self.workbook.lang, self.sheet.name
        rows = self._chart_rows(row)
        for (spec, header_row, last_row, columns), row in zip(self.charts, rows, strict=True):
            chart = self.book.add_chart({"type": spec.type})
            keys = [c.key for c in columns]
            cat = keys.index(spec.categories)
            for key in spec.series:
                col = keys.index(key)
                series = {
                    "name": [name, header_row, col],
                    "categories": [name, header_row + 1, cat, last_row, cat],
                    "values": [name, header_row + 1, col, last_row, col],
                }
                if spec.type == "line":
                    series["marker"] = {"type": "circle", "size": 4}
                chart.add_series(series)
            chart.set_title({"name": spec.title, "name_font": {"size": 12}})
            if spec.type != "pie":
                chart.set_y_axis(_value_axis(spec, lang))
                if spec.date_axis:
                    chart.set_x_axis(
                        {
                            "date_axis": True,
                            "num_format": date_axis_format(lang),
                            "major_unit": 1,
                            "major_unit_type": "months",
                            "base_unit": "months",
                        }
                    )
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX})
            self.ws.insert_chart(row, 0, chart)


def _value_axis(spec: Chart, lang: str) -> dict:
    axis: dict = {"major_gridlines": {"visible": True}}
    if spec.y_title:
        axis["name"] = spec.y_title
    number_format = axis_number_format(spec.y_kind, lang)
    if number_format:
        axis["num_format"] = number_format
    return axis


class _XlsxFormats:
    """The few XlsxWriter formats a report uses, created once per workbook."""

    def __init__(self, book, number_formats: dict[str, str]):
        self.number_formats = number_formats
        self.title = book.add_format(
            {"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}
        )
        self.subtitle = book.add_format(
            {"font_color": "#444444", "text_wrap": True, "valign": "top"}
        )
        self.bold = book.add_format({"bold": True})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.fact_label = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.italic = book.add_format({"italic": True, "font_color": "#666666"})
        self.header = book.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
        )
        self._kinds = {
            kind: book.add_format({"num_format": number_formats[kind]}) for kind in number_formats
        }
        self._kinds[TEXT] = book.add_format({"num_format": "@", "valign": "top"})
        self._wrapped = {
            kind: book.add_format(
                {
                    "num_format": number_formats.get(kind, "@"),
                    "text_wrap": True,
                    "valign": "top",
                    "align": "left",  # a fact's value reads next to its label
                }
            )
            for kind in (*number_formats, TEXT)
        }
        self._totals = {
            kind: book.add_format({"bold": True, "top": 1, "num_format": number_formats[kind]})
            for kind in number_formats
        }

    def kind(self, kind: str, wrap: bool = False):
        if wrap or kind == TEXT:
            return self._wrapped.get(kind, self._wrapped[TEXT])
        return self._kinds.get(kind, self._kinds[TEXT])

    def total(self, kind: str):
        return self._totals.get(kind, self.bold)
