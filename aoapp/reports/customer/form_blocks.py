"""The blocks a print-ready form sheet is made of (the monitoring report's): numbered headings,
labelled values, bordered tables and signature blocks. Pure data: `monitoring_xlsx` renders them.
"""

from dataclasses import dataclass, field

from aoapp.reports.sheets import Column, Fact


@dataclass(frozen=True)
class Section:
    """A numbered heading."""

    title: str


@dataclass(frozen=True)
class Pairs:
    """Labelled values, one per line (label left, value across the rest of the page)."""

    items: list[Fact]


@dataclass(frozen=True)
class Table:
    """A bordered table; `total` is a last row of plain values (no formula); `spans` the
    number of the page's columns each column takes (default one each)."""

    columns: list[Column]
    rows: list[tuple]
    empty: str = ""
    total: tuple | None = None
    spans: tuple[int, ...] = ()


@dataclass(frozen=True)
class Signatures:
    """The two signature blocks side by side (lines of text, the name in brackets), and the
    review under them."""

    made_by: list[str]
    acknowledged_by: list[str]
    review: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MonitoringForm:
    """What the form sheet holds, in order, and its printed header texts."""

    blocks: list
    header: tuple[str, str, str]  # left, centre, right: bank, branch, period
