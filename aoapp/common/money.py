"""Money: Decimal rounded half-up to the sen, displayed with Indonesian grouping, and read back
the way people type it in forms (`parse_amount`)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

CENT = Decimal("0.01")
MAX_WHOLE_DIGITS = 24  # far above any amount (NUMERIC(18, 2) columns), below Decimal's precision


def to_money(value) -> Decimal:
    """Convert to a Decimal rounded half-up to 2 places; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    if amount.adjusted() > MAX_WHOLE_DIGITS:  # quantize would overflow the decimal context
        raise ValueError(f"too large an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_idr(value, with_cents: bool = False) -> str:
    """Display an amount as `Rp 1.234.567` (Indonesian grouping, comma decimals)."""
    if value is None:
        return ""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if with_cents:
        whole, cents = f"{amount:,.2f}".split(".")
        return f"{sign}Rp {whole.replace(',', '.')},{cents}"
    rounded = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{sign}Rp {rounded:,.0f}".replace(",", ".")


# -- amounts as people type them ---------------------------------------------------------------
# DOMAIN.md, input conventions: a form accepts an amount the way the bank displays it, in the
# reader's language (id: 75.000.000,50 · en: 75,000,000.50), with or without "Rp"/"IDR" and
# spaces, and with the words people use for large sums (75 jt, 1,5 M). The API states one
# convention (plain decimal strings) and does not come here.

_CURRENCY = re.compile(r"^(rp\.?|idr)", re.IGNORECASE)
_ID_NUMBER = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")  # 1.500.000,50 · 1500000,5
_EN_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")  # 1,500,000.50 · 1500000.5
# Words for large sums, by language: "M" is miliar in Indonesian but million in English, so it is
# only read in Indonesian; the Indonesian words are read in both (they are what officers say).
_SCALES = {
    "rb": 10**3,
    "ribu": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}
_EN_SCALES = {
    **{k: v for k, v in _SCALES.items() if k not in ("m", "t")},
    "k": 10**3,
    "mn": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "billion": 10**9,
}
_SCALED = re.compile(r"^(?P<number>[\d.,]+)(?P<scale>[a-z]+)\.?$", re.IGNORECASE)


class AmountError(ValueError):
    """Text that is not an amount, or one that could be read two ways; the message says why in
    the reader's language and shows the accepted forms."""


def _read(number: str, pattern: re.Pattern, group: str, point: str) -> Decimal | None:
    match = pattern.match(number)
    if not match:
        return None
    return Decimal(number.replace(group, "").replace(point, "."))


def _decimals(number: str, point: str) -> int:
    return len(number.rsplit(point, 1)[1]) if point in number else 0


def parse_amount(text, locale: str = "id") -> Decimal:
    """An amount typed in a form, read in `locale`'s convention, rounded to the sen.

    `75.000.000`, `Rp 75.000.000`, `Rp75.000.000,50`, `75000000`, `75 jt`, `1,5 M` (id);
    `75,000,000`, `IDR 75,000,000.50`, `75 jt` (en). A number written in the other language's
    grouping is read when it cannot mean anything else (`75,000,000` in id); one that could mean
    two amounts (`1,500` in id: 1,5 or 1.500) is refused (AmountError). A leading minus is kept.
    """
    raw = "" if text is None else str(text)
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw)
    sign = 1
    if compact.startswith("-"):
        sign, compact = -1, compact[1:]
    compact = _CURRENCY.sub("", compact)
    if compact.startswith("-") and sign == 1:
        sign, compact = -1, compact[1:]
    scale = 1
    scaled = _SCALED.match(compact)
    if scaled:
        scales = _SCALES if locale == "id" else _EN_SCALES
        word = scaled["scale"].lower()
        if word not in scales:
            raise AmountError(_not_an_amount(raw, locale))
        scale, compact = scales[word], scaled["number"]
    point = "," if locale == "id" else "."
    own = (_ID_NUMBER, ".", ",") if locale == "id" else (_EN_NUMBER, ",", ".")
    other = (_EN_NUMBER, ",", ".") if locale == "id" else (_ID_NUMBER, ".", ",")
    mine, theirs = _read(compact, *own), _read(compact, *other)
    if mine is None and theirs is None:
        raise AmountError(_not_an_amount(raw, locale))
    # 1,500 (id) or 1.500 (en): three digits after the only separator read as decimals in the
    # reader's language and as thousands in the other one.
    two_ways = mine is not None and theirs is not None and mine != theirs
    if two_ways and scale == 1 and _decimals(compact, point) == 3:
        raise AmountError(_ambiguous(raw, mine, theirs, locale))
    amount = (mine if mine is not None else theirs) * scale
    if amount.adjusted() > MAX_WHOLE_DIGITS:
        raise AmountError(_not_an_amount(raw, locale))
    if amount != amount.quantize(CENT):
        raise AmountError(_too_precise(raw, locale))
    return to_money(sign * amount)


def _not_an_amount(text: str, locale: str) -> str:
    currency = "Rp" if locale == "id" else "IDR"
    whole, with_sen = format_typed(75_000_000, locale), format_typed(Decimal("75000000.50"), locale)
    return _(
        "%(text)s is not an amount. Write it like %(a)s, %(b)s, %(c)s or %(d)s.",
        text=repr(text.strip()),
        a=whole,
        b=f"{currency} {whole}",
        c=with_sen,
        d="75 jt",
    )


def _ambiguous(text: str, mine: Decimal, theirs: Decimal, locale: str) -> str:
    return _(
        "%(text)s can be read two ways, %(one)s or %(other)s: write %(other)s for thousands, or "
        "%(one)s with two decimals.",
        text=repr(text.strip()),
        one=format_typed(mine, locale, sen=True),
        other=format_typed(theirs, locale),
    )


def _too_precise(text: str, locale: str) -> str:
    return _(
        "%(text)s has more decimals than the sen: at most two, e.g. %(example)s.",
        text=repr(text.strip()),
        example=format_typed(Decimal("1500000.50"), locale),
    )


def format_typed(value, locale: str = "id", sen: bool = False) -> str:
    """An amount the way a form shows it for editing: grouped, no currency, sen only when any
    (`75.000.000` · `75.000.000,50` in id; `75,000,000.50` in en). parse_amount reads it back."""
    if value is None:
        return ""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = amount == amount.to_integral_value() and not sen
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if locale == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return sign + text
