"""`RustWriter`: the sheet layout of writers.py from one call into rustpy-xlsxwriter, rows streamed
from generators in constant memory (~6x faster than XlsxWriter on large sheets). It writes one
table per sheet, facts as text only, charts without axis formats, totals without cached values:
the portfolio workbook uses it for its streamed sheets only (package.HybridWriter)."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import repeat

from flask_babel import gettext as _

from aoapp.reports.cells import (
    CHART_HEIGHT_PX,
    CHART_ROWS,
    CHART_WIDTH_PX,
    fitted_widths,
    sampled,
    text_lines,
)
from aoapp.reports.printing import FACT_LABEL_WIDTH, FACT_VALUE_WIDTH, page_setup
from aoapp.reports.sheets import (
    BOOL,
    INT,
    MONEY,
    NUMBER,
    RATE,
    RATIO,
    TEXT,
    Sheet,
    Workbook,
    resolved,
)


class RustWriter:
    """Renders with rustpy-xlsxwriter: one call, rows streamed from generators."""

    OPTIONS = (
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
        "row_heights",
    )

    @staticmethod
    def header_row(sheet: Sheet) -> int:
        """The row of the sheet's table header: after the title, a blank row and the facts."""
        row = len(sheet.title)
        if sheet.facts:
            row += 1 + len(sheet.facts)
        return row + 1

    def write(self, workbook: Workbook, target) -> None:
        """Write the workbook to a path or a binary file object."""
        import rustpy_xlsxwriter as rx

        workbook = workbook.ready()
        entries, options = self.entries(workbook, workbook.sheets)
        with paused_gc():
            rx.write_worksheets(entries, target, **options)

    def entries(self, workbook: Workbook, sheets) -> tuple[list, dict]:
        """The (name, records) entries and the options of `write_worksheets` for `sheets`."""
        import rustpy_xlsxwriter as rx

        options: dict[str, dict] = {key: {} for key in self.OPTIONS}
        formats = {
            kind: rx.Format().set_num_format(fmt).set_align("top")
            for kind, fmt in workbook.number_formats.items()
        }
        formats[TEXT] = rx.Format().set_text_wrap().set_align("top")
        styles = {
            "bold": rx.Format().set_bold(),
            "title": rx.Format().set_bold().set_font_size(14).set_text_wrap().set_align("top"),
            "subtitle": rx.Format().set_font_color("#444444").set_text_wrap().set_align("top"),
            "header": rx.Format()
            .set_bold()
            .set_border_bottom("thin")
            .set_background_color("#DDEBF7")
            .set_text_wrap()
            .set_align("top"),
        }
        entries = []
        for sheet in sheets:
            sheet = resolved(sheet)
            records = self._records(workbook, sheet, options, formats, styles)
            entries.append((sheet.name, records))
        return entries, {k: v for k, v in options.items() if v}

    def _records(self, workbook: Workbook, sheet: Sheet, options, formats, styles):
        if sheet.blocks:
            raise ValueError(f"{sheet.name}: RustWriter writes one table per sheet, no blocks")
        if any(fact.kind != TEXT for fact in sheet.facts):
            # rustpy-xlsxwriter writes merged cells as text only: numbers belong in the table.
            raise ValueError(f"{sheet.name}: RustWriter writes facts as text only")
        columns = list(sheet.columns)
        ncols = max(len(columns), 4)
        sample, rows = sampled(sheet.rows)
        widths = fitted_widths(sheet, sample)
        printed = sum(widths) if columns else FACT_LABEL_WIDTH + FACT_VALUE_WIDTH
        merges, heights = [], {}
        row = 0
        for index, line in enumerate(sheet.title):
            style = styles["title"] if index == 0 else styles["subtitle"]
            merges.append((row, 0, row, ncols - 1, line, style))
            heights[row] = (20 if index == 0 else 15) * text_lines(line, printed)
            row += 1
        if sheet.facts:
            row += 1
            for fact in sheet.facts:
                merges.append((row, 0, row, 1, fact.label, styles["bold"]))
                merges.append((row, 2, row, ncols - 1, str(fact.value or ""), formats[TEXT]))
                heights[row] = 15 * text_lines(str(fact.value or ""), printed - 20)
                row += 1
        header_row = self.header_row(sheet)
        name = sheet.name
        options["merge_ranges"][name] = merges
        options["row_heights"][name] = heights
        options["header_row"][name] = header_row
        options["header_format"][name] = styles["header"]
        options["freeze_panes"][name] = {"row": header_row + 1, "col": 0}
        options["page_setup"][name] = page_setup(workbook, header_row)
        if not columns:  # a facts-only sheet: rustpy-xlsxwriter sizes no column without data
            return []
        options["autofilter"][name] = bool(sample)  # no filter over a header alone
        options["column_formats"][name] = {
            c.header: formats[c.kind] for c in columns if c.kind in formats
        }
        if sheet.totals:
            options["totals_row"][name] = {
                sheet.columns[sheet.column_index(k)].header: "sum" for k in sheet.totals
            }
            options["totals_label"][name] = sheet.totals_label
            options["totals_format"][name] = styles["bold"]
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
        options["column_widths"][name] = widths
        headers = [c.header for c in columns]
        if not sample:
            message = sheet.empty_message or ""
            return [dict(zip(headers, [message] + [None] * (len(headers) - 1), strict=True))]
        if sheet.extra.get("cells_typed"):
            # The query already returns each cell as the writer wants it (floats, words): each
            # row becomes its dict without a line of Python run per row.
            return map(dict, map(zip, repeat(headers), rows))
        return _records(rows, columns)


_paused = 0
_pause_lock = threading.Lock()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector off while a streamed workbook is written.

    A million rows allocate millions of tuples and dicts, none in a cycle; each 700 of them
    start a collection that walks the batches queued by the prefetching threads (about a tenth
    of the 1M-row workbook's CPU). Nested and concurrent writes share one pause; the collector
    runs again when the last one ends, and the garbage of other threads meanwhile waits
    for it.
    """
    global _paused
    with _pause_lock:
        ours = _paused > 0 or gc.isenabled()  # not when someone else turned it off
        if ours:
            _paused += 1
            gc.disable()
    try:
        yield
    finally:
        if ours:
            with _pause_lock:
                _paused -= 1
                if _paused == 0:
                    gc.enable()


def _records(rows, columns):
    """The rows as the dicts rustpy-xlsxwriter reads: `cell_value` per cell, without a call
    per cell (a million rows of mostly text, dates and ints go through `dict(zip())`)."""
    headers = [c.header for c in columns]
    numbers = [
        (i, c.header) for i, c in enumerate(columns) if c.kind in (MONEY, RATIO, RATE, NUMBER)
    ]
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


def _chart_anchor(sheet: Sheet, header_row: int, number: int) -> dict:
    """Where chart `number` goes: below a table held in memory (within the printed width), else
    right of the (streamed) table, whose length is not known yet."""
    if isinstance(sheet.rows, list | tuple):
        below = header_row + len(sheet.rows) + (3 if sheet.totals else 2)
        return {"row": below + number * CHART_ROWS, "col": 0}
    return {"row": header_row + number * CHART_ROWS, "col": len(sheet.columns) + 1}
