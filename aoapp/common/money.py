"""Money: Decimal rounded half-up to the sen, displayed with Indonesian grouping."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


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
