"""What the writers share: a cell's value as the file holds it, column widths fitted to a sample
of rows (bounded, so a long text wraps instead of widening the page), and the size of charts."""

from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from flask_babel import gettext as _

from aoapp.reports.printing import MAX_WIDTH, MIN_WIDTH
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, NUMBER, RATE, RATIO, Block, Sheet

WIDTH_SAMPLE = 500  # rows looked at to fit column widths (a streamed sheet is not held)
CHART_WIDTH_PX, CHART_HEIGHT_PX = 640, 320
CHART_ROWS = 18  # rows a chart takes, with a gap


def cell_value(value, kind: str):
    """A Python value as what the cell holds: float for numbers, date, or text."""
    if value is None:
        return None
    if kind in (MONEY, RATIO, RATE, NUMBER):
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
    if kind in (RATIO, RATE, NUMBER):
        return 9
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(sheet: Sheet | Block, sample: list[tuple]) -> list[float]:
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


def sampled(rows) -> tuple[list[tuple], object]:
    """The first WIDTH_SAMPLE rows, and an iterator over all rows (the sample included)."""
    iterator = iter(rows)
    sample = list(islice(iterator, WIDTH_SAMPLE))
    return sample, chain(sample, iterator)


def text_lines(value, width: float) -> int:
    """How many lines `value` takes wrapped in a column `width` characters wide (an estimate:
    proportional letters are narrower than the `0` a width counts)."""
    if not isinstance(value, str) or width <= 0:
        return 1
    per_line = max(width * 1.1, 1)
    return sum(max(1, -(-len(part) // int(per_line))) for part in value.splitlines() or [""])


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def as_datetime(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value
