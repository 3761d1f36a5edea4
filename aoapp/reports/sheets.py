"""The small interface between report builders and xlsx writers.

A builder describes a workbook as `Sheet`s (title lines, a block of facts, small tables stacked
under their own headings, one long table, charts below); a writer in `aoapp/reports/writers.py`
renders it and `aoapp/reports/printing.py` sets how every sheet prints. Builders never call a writer library, so the
writer can be swapped (the tests render the customer workbook with both).

Cell kinds decide the Excel type and number format: money and numbers are numeric cells, dates
are Excel dates, ratios are percentages; text is always written as a string, never as a formula,
so user text beginning with `=`, `+`, `-` or `@` cannot inject a formula.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

# Kinds of cell
TEXT = "text"
INT = "int"
MONEY = "money"  # Decimal → numeric cell, IDR format
RATIO = "ratio"  # Decimal fraction 0.1234 → 12.34 %
RATE = "rate"  # interest rate in percent points (10.5) → 10.50 (shown with a % suffix)
NUMBER = "number"  # a Decimal that is no share or amount (2.5 products per customer) → 2.50
DATE = "date"
BOOL = "bool"  # written as Yes / No text

KINDS = (TEXT, INT, MONEY, RATIO, RATE, NUMBER, DATE, BOOL)

# Number formats per language of the workbook. The format code fixes the currency and the date
# pattern; `[$-421]` (Indonesian) makes month names Indonesian (`Okt`, `Des`) in Excel and
# LibreOffice whatever the reader's system, and LibreOffice also shows Indonesian separators.
ID = "[$-421]"
FORMATS = {
    "id": {
        MONEY: ID + '"Rp" #,##0.00',
        RATIO: "0.00%",
        RATE: '0.00"%"',
        NUMBER: "#,##0.00",
        DATE: ID + "dd mmm yyyy",
        INT: "#,##0",
    },
    "en": {
        MONEY: '"IDR" #,##0.00',
        RATIO: "0.00%",
        RATE: '0.00"%"',
        NUMBER: "#,##0.00",
        DATE: "mmm d, yyyy",
        INT: "#,##0",
    },
}
NUMBER_FORMATS = FORMATS["en"]  # the English workbook's (the tests' language)


def number_formats(lang: str) -> dict[str, str]:
    """The number formats of a workbook in `lang` (`id` or `en`)."""
    return FORMATS.get(lang, FORMATS["en"])


@dataclass(frozen=True)
class Column:
    """One table column: a stable key, its header and the kind of its cells."""

    key: str
    header: str
    kind: str = TEXT
    width: float | None = None  # None: fitted to the header and (sampled) values


@dataclass(frozen=True)
class Fact:
    """One labelled value in a sheet's facts block (a key/value list above the table)."""

    label: str
    value: object
    kind: str = TEXT


@dataclass(frozen=True)
class Chart:
    """A native Excel chart over table columns: `categories` labels, `series` value columns."""

    type: str  # line | column | bar | pie
    title: str
    categories: str
    series: Sequence[str]
    y_title: str | None = None
    y_kind: str = INT  # MONEY: the value axis in Rp with jt/M (id) or M/B (en) units
    date_axis: bool = False  # categories are dates: a date axis in the language's format


@dataclass(frozen=True)
class Block:
    """A small table under its own heading, stacked with others above the sheet's main table
    (a Summary of several tables): no filter, no frozen header; its chart (if any) below."""

    heading: str
    columns: Sequence[Column]
    rows: Sequence[tuple]
    note: str = ""
    chart: Chart | None = None


@dataclass
class Sheet:
    """A worksheet: title lines, then facts, then blocks, then one table (header bold and
    frozen, filtered), charts below.

    `key` is the sheet's stable name for code and tests (English); `name` is what the reader sees
    (in the workbook's language, at most 31 characters).

    `rows` may be any iterable of tuples in column order (a generator streams from a database
    cursor). `totals` names the columns summed in a totals row of `=SUM()` formulas whose cached
    values the writer computes from the rows it wrote.
    """

    name: str
    title: Sequence[str]
    columns: Sequence[Column] = ()
    rows: Iterable[tuple] = ()
    facts: Sequence[Fact] = ()
    totals: Sequence[str] = ()
    totals_label: str = "Total"
    charts: Sequence[Chart] = ()
    empty_message: str = ""  # written in place of the table when it has no rows
    extra: dict = field(default_factory=dict)
    blocks: Sequence[Block] = ()
    key: str = ""

    def __post_init__(self):
        self.key = self.key or str(self.name)

    def column_index(self, key: str) -> int:
        """Position of the column `key` in the table."""
        return next(i for i, column in enumerate(self.columns) if column.key == key)


@dataclass
class Later:
    """A sheet built when the writer comes to it, once: its figures may still be computing while
    the streamed sheets are written (reports/portfolio/data.py)."""

    key: str
    build: Callable[[], Sheet]
    built: Sheet | None = None

    def sheet(self) -> Sheet:
        """The sheet, built on the first call."""
        if self.built is None:
            self.built = self.build()
        return self.built


@dataclass
class Workbook:
    """The sheets of one workbook, in order, and its document properties."""

    sheets: list[Sheet | Later]
    title: str = ""
    author: str = "aoapp"
    lang: str = "en"  # the language of its text and number formats
    # The printed page header: bank (left), branch or scope (centre), period (right).
    header: tuple[str, str, str] = ("", "", "")

    @property
    def number_formats(self) -> dict[str, str]:
        """The number formats of the workbook's language."""
        return number_formats(self.lang)

    def ready(self) -> "Workbook":
        """The workbook with every `Later` sheet built (what the writers write)."""
        if not any(isinstance(sheet, Later) for sheet in self.sheets):
            return self
        sheets = [sheet.sheet() if isinstance(sheet, Later) else sheet for sheet in self.sheets]
        return replace(self, sheets=sheets)


def resolved(sheet: Sheet) -> Sheet:
    """The sheet with its lazily translated texts (headers, labels, titles) made plain strings,
    in the current language: writers key cells by header and need `str`."""
    from dataclasses import replace

    return replace(
        sheet,
        name=str(sheet.name),
        title=[str(line) for line in sheet.title],
        columns=[replace(c, header=str(c.header)) for c in sheet.columns],
        facts=[replace(f, label=str(f.label)) for f in sheet.facts],
        totals_label=str(sheet.totals_label),
        charts=[_chart(c) for c in sheet.charts],
        empty_message=str(sheet.empty_message),
        blocks=[
            replace(
                b,
                heading=str(b.heading),
                note=str(b.note),
                columns=[replace(c, header=str(c.header)) for c in b.columns],
                chart=_chart(b.chart) if b.chart else None,
            )
            for b in sheet.blocks
        ],
    )


def _chart(chart: Chart) -> Chart:
    from dataclasses import replace

    y_title = None if chart.y_title is None else str(chart.y_title)
    return replace(chart, title=str(chart.title), y_title=y_title)
