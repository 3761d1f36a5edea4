"""Geometry of the wallet's balance history chart: credit exposure and funding at each month-end,
two lines drawn as inline SVG by the template (no script: it shows on any phone)."""

from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date as babel_date
from flask_babel import gettext as _

from aoapp.common.i18n import format_number, locale_code

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 62, 10, 12, 196  # the plot area; month labels below BOTTOM
STEPS = (1, 2, 2.5, 5)  # a round top of the scale: 1, 2, 2.5 or 5 times a power of ten


@dataclass(frozen=True)
class WalletChart:
    """Where the template draws: grid lines with their labels, month labels, both lines."""

    width: int
    height: int
    left: int
    right: int
    grid: list[tuple[float, str]]  # (y, amount label)
    months: list[tuple[float, str, object]]  # (x, label, WalletMonth)
    credit: list[str]  # polyline segments (a month without a listing breaks the line)
    funding: list[str]
    points: list[tuple[str, float, float, object]]  # (series, x, y, WalletMonth)


def _round_top(value: Decimal) -> Decimal:
    """The smallest round number at or above `value` (1, 2, 2.5 or 5 × 10ⁿ)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in STEPS:
        if Decimal(str(step)) * power >= value:
            return Decimal(str(step)) * power
    return 10 * power


def compact(amount: Decimal) -> str:
    """An amount on the axis in the language's short scale: 760 jt, 1,4 M (id); 760M, 1.4B (en)."""
    scales = ((10**12, _("%(n)sT")), (10**9, _("%(n)sB")), (10**6, _("%(n)sM")))
    for size, text in scales:
        if amount >= size:
            value = amount / size
            places = 1 if value < 10 and value != value.to_integral_value() else 0
            return text % {"n": format_number(value, places)}
    return format_number(amount)


def _segments(points: list[tuple[float, float] | None]) -> list[str]:
    """Polyline point lists, broken where a value is missing."""
    segments, current = [], []
    for point in [*points, None]:
        if point is None:
            if current:
                segments.append(" ".join(f"{x},{y}" for x, y in current))
            current = []
        else:
            current.append(point)
    return segments


def wallet_chart(history: list) -> WalletChart | None:
    """The chart of `history` (WalletMonth, oldest first), or None without any month."""
    if not history:
        return None
    top = _round_top(max(max(m.credit or 0, m.funding or 0) for m in history))
    slot = (WIDTH - LEFT - RIGHT) / len(history)

    def y(value: Decimal) -> float:
        return round(BOTTOM - float(value / top) * (BOTTOM - TOP), 1)

    xs = [round(LEFT + slot * (index + 0.5), 1) for index in range(len(history))]
    series = {
        name: [(x, y(getattr(m, name))) if getattr(m, name) is not None else None for x, m in
               zip(xs, history, strict=True)]
        for name in ("credit", "funding")
    }  # fmt: skip
    return WalletChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        grid=[(y(top * share), compact(top * share)) for share in (Decimal(0), Decimal("0.5"), 1)],
        months=[
            (x, babel_date(m.month_end, "MMM yy", locale=locale_code()), m)
            for x, m in zip(xs, history, strict=True)
        ],
        credit=_segments(series["credit"]),
        funding=_segments(series["funding"]),
        points=[
            (name, point[0], point[1], month)
            for name in ("credit", "funding")
            for point, month in zip(series[name], history, strict=True)
            if point is not None
        ],
    )
