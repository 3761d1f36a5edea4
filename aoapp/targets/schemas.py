"""Validation of monthly targets: the API's values, the grid's cells (percent, Indonesian amounts).

A metric left empty (None) has no target that month. Counts and the new disbursement are zero or
more; the outstanding and DPK growth may be negative (a portfolio allowed to run off: met when it
shrank by no more than that, targets/achievement.py); the maximum NPL ratio, the CASA ratio and the
retention rate are fractions from 0 to 1 in the API (0.0300 = 3 %) and percents in the grid; the
products per customer a number from 0 to 100 (2.5).
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from aoapp.common.i18n import locale_code
from aoapp.common.money import AmountError, parse_amount, to_money
from aoapp.common.schemas import BaseSchema, Id, PageArgsSchema
from aoapp.errors import InvalidInput
from aoapp.kpis.periods import MONTH_FORMS
from aoapp.kpis.periods import parse_month as read_period_month
from aoapp.targets.models import Target

MAX_COUNT = 100_000
MAX_AMOUNT = Decimal("1000000000000000")  # Rp 1 quadrillion: far above any officer's month
MAX_AVERAGE = 100  # products per customer: far above any bank's catalogue
RATIO_PLACES = Decimal("0.0001")
_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500.000 or 1.500.000,50
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500,000 or 1,500,000.50
_COMMA_DECIMAL = re.compile(r"^\d+,\d+$")  # 3,5
NOT_A_NUMBER = _l("Not a number.")  # lazy: str() it when raised (marshmallow wants a str)


def parse_month(text) -> date:
    """The first day of a month as people write it (`2026-10`, `10/2026`, `Oktober 2026`: the
    one reader, kpis/periods); anything else raises ValueError."""
    try:
        return read_period_month(str(text or "")).start
    except InvalidInput:
        raise ValueError(f"not a month: {text!r}") from None


class Month(fields.String):
    """A calendar month as people write it, loaded as its first day, dumped as `YYYY-MM`.

    No `pattern` in the document: `Desember 2026` is a month too (the path's month is strict).
    """

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_month(value)
        except ValueError:
            raise ValidationError(str(MONTH_FORMS)) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:%Y-%m}"


def _typed_text(value, grouped: bool) -> str:
    """A number as people type it, in plain form: `Rp 1.500.000` → `1500000`, `3,5 %` → `3.5`.

    `grouped`: dots (or commas) may group thousands, as in amounts; else a comma is a decimal
    comma and a dot a decimal point (a percent: `0.045` is not forty-five).
    """
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if text[:2].lower() == "rp":
        text = text[2:]
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    text = text.rstrip("%")
    if grouped and _ID_GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif grouped and _EN_GROUPED.match(text):
        text = text.replace(",", "")
    elif _COMMA_DECIMAL.match(text):
        text = text.replace(",", ".")
    return sign + text


def _decimal(value, typed: bool = False, grouped: bool = False) -> Decimal:
    """A Decimal from a JSON number or string (`typed`: as people type it in the grid);
    floats and junk are refused in plain words."""
    if isinstance(value, bool | float):
        raise ValidationError(_("Send numbers as strings or integers, not floats."))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = _typed_text(value, grouped) if typed else str(value).strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(str(NOT_A_NUMBER)) from None
    if not number.is_finite():
        raise ValidationError(str(NOT_A_NUMBER))
    return number


class _Blankable(fields.Field):
    """A number field where blank text means "no target" (None); `typed`: read as people type
    numbers in the grid (Indonesian grouping, decimal comma, Rp and % signs)."""

    def __init__(self, *, typed: bool = False, **kwargs):
        self.typed = typed
        super().__init__(**kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)


class Count(_Blankable, fields.Integer):
    """A whole number from 0 (a count of customers, follow-ups or introductions)."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = _decimal(value, self.typed, grouped=True)
        if number != number.to_integral_value():
            raise ValidationError(_("Must be a whole number."))
        if number < 0:
            raise ValidationError(_("Must be zero or more."))
        if number > MAX_COUNT:
            raise ValidationError(_("Must be at most %(n)s.", n=f"{MAX_COUNT:,}".replace(",", ".")))
        return int(number)

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Amount(_Blankable, fields.Decimal):
    """Rupiah, rounded to the sen; zero or more unless `signed`. Strings in JSON."""

    def __init__(self, *, signed: bool = False, **kwargs):
        self.signed = signed
        super().__init__(places=2, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if self.typed and isinstance(value, str):  # a grid cell: as people type amounts
            try:
                amount = parse_amount(value, locale_code())
            except AmountError as error:
                raise ValidationError(str(error)) from None
        else:
            try:
                amount = to_money(_decimal(value))
            except ValueError:
                raise ValidationError(_("Too large.")) from None
        if amount < 0 and not self.signed:
            raise ValidationError(_("Must be zero or more."))
        if abs(amount) >= MAX_AMOUNT:
            raise ValidationError(_("Too large."))
        return amount

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{to_money(value):f}"


class Ratio(_Blankable, fields.Decimal):
    """A share from 0 to 1 with 4 places (0.0300 = 3 %); `percent` reads it as 0–100 instead."""

    def __init__(self, *, percent: bool = False, **kwargs):
        self.percent = percent
        super().__init__(places=4, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = _decimal(value, self.typed)
        top = 100 if self.percent else 1
        if number < 0:
            raise ValidationError(_("Must be zero or more."))
        if number > top:
            raise ValidationError(
                _("Must be at most 100 %.") if self.percent else _("Must be at most 1.")
            )
        if self.percent:
            number = number / 100
        return number.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).quantize(RATIO_PLACES):f}"


class Average(_Blankable, fields.Decimal):
    """A number from 0 to MAX_AVERAGE with 4 places that is no share (2.5 products per customer)."""

    def __init__(self, **kwargs):
        super().__init__(places=4, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = _decimal(value, self.typed)
        if number < 0:
            raise ValidationError(_("Must be zero or more."))
        if number > MAX_AVERAGE:
            raise ValidationError(_("Must be at most %(n)s.", n=MAX_AVERAGE))
        return number.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).quantize(RATIO_PLACES):f}"


def _optional(field_class, **kwargs):
    return field_class(allow_none=True, load_default=None, **kwargs)


class TargetValuesSchema(BaseSchema):
    """One officer's targets for a month, as the API sends them; empty = no target."""

    new_customers = _optional(
        Count, metadata={"description": "Customers whose `since` is in the month."}
    )
    new_disbursement = _optional(
        Amount, metadata={"description": "Plafond of facilities started in the month (Rp)."}
    )
    outstanding_growth = _optional(
        Amount,
        signed=True,
        metadata={"description": "Outstanding growth over the month (Rp); negative: a run-off."},
    )
    max_npl_ratio = _optional(
        Ratio, metadata={"description": "Highest NPL ratio allowed, 0 to 1 (0.0300 = 3 %)."}
    )
    followups_done = _optional(Count)
    introductions = _optional(Count)
    dpk_growth = _optional(
        Amount,
        signed=True,
        metadata={"description": "Growth of third-party funds (DPK) over the month (Rp)."},
    )
    casa_ratio = _optional(
        Ratio, metadata={"description": "Lowest CASA ratio, 0 to 1 (0.6000 = 60 %)."}
    )
    cross_sell_ratio = _optional(
        Average, metadata={"description": "Lowest products per customer (2.5000)."}
    )
    retention_rate = _optional(
        Ratio, metadata={"description": "Lowest share of customers kept, 0 to 1."}
    )


class TargetCellsSchema(TargetValuesSchema):
    """One row of the bulk editor: numbers as people type them (1.500.000, 3,5), the NPL
    ceiling, the CASA ratio and the retention rate as percents (3 = 3 %)."""

    new_customers = _optional(Count, typed=True)
    new_disbursement = _optional(Amount, typed=True)
    outstanding_growth = _optional(Amount, typed=True, signed=True)
    max_npl_ratio = _optional(Ratio, typed=True, percent=True)
    followups_done = _optional(Count, typed=True)
    introductions = _optional(Count, typed=True)
    dpk_growth = _optional(Amount, typed=True, signed=True)
    casa_ratio = _optional(Ratio, typed=True, percent=True)
    cross_sell_ratio = _optional(Average, typed=True)
    retention_rate = _optional(Ratio, typed=True, percent=True)


METRIC_FIELDS = tuple(TargetValuesSchema().fields)


class TargetFilterSchema(PageArgsSchema):
    """Filters of the targets list (API)."""

    month = Month(load_default=None, allow_none=True)
    branch_id = Id(load_default=None, allow_none=True)
    officer_id = Id(load_default=None, allow_none=True)


class TargetSchema(BaseSchema):
    """One officer's targets for one month, as the API returns them."""

    class Meta:
        model = Target

    id = fields.Integer()
    officer_id = fields.Integer()
    officer_username = fields.Function(lambda t: t.officer.username)
    officer_name = fields.Function(lambda t: t.officer.display_name)
    branch_code = fields.Function(lambda t: t.officer.branch.code if t.officer.branch else None)
    month = Month(metadata={"example": "2026-10"})
    new_customers = Count(allow_none=True)
    new_disbursement = Amount(allow_none=True)
    outstanding_growth = Amount(allow_none=True)
    max_npl_ratio = Ratio(allow_none=True)
    followups_done = Count(allow_none=True)
    introductions = Count(allow_none=True)
    dpk_growth = Amount(allow_none=True)
    casa_ratio = Ratio(allow_none=True)
    cross_sell_ratio = Average(allow_none=True)
    retention_rate = Ratio(allow_none=True)
    set_by = fields.Function(lambda t: t.set_by.username if t.set_by else None, allow_none=True)
    updated_at = fields.DateTime()
