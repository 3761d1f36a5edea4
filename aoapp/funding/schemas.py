"""Query arguments and API shapes of the funding and relationship figures: money as strings with
2 places, ratios as strings with 4 (a fraction: 0.6500 = 65 %), null where nothing is measured."""

from marshmallow import fields

from aoapp.common.schemas import BaseSchema
from aoapp.credit.schemas import ScopeArgsSchema


def _money(**kwargs):
    return fields.Decimal(as_string=True, places=2, **kwargs)


def _ratio(**kwargs):
    return fields.Decimal(as_string=True, places=4, allow_none=True, **kwargs)


def _window(days: int, what: str):
    """A figure of the deposits maturing within `days`: a count, or an amount as a string."""
    if what.endswith("count"):
        return fields.Function(
            lambda f: getattr(f.maturing_within(days), what), metadata={"type": "integer"}
        )
    return fields.Function(
        lambda f: f"{getattr(f.maturing_within(days), what):.2f}", metadata={"type": "string"}
    )


class RelationshipArgsSchema(ScopeArgsSchema):
    """Which customers: the scope on a day (default: today) and, for retention, a start day."""

    from_ = fields.Date(
        data_key="from",
        load_default=None,
        allow_none=True,
        metadata={"description": "Retention: the customers holding anything on this day"},
    )


class KindSchema(BaseSchema):
    """The funds of one kind on the as-of date."""

    kind = fields.String(metadata={"description": "giro | tabungan | deposito"})
    accounts = fields.Integer()
    balance = _money()
    average_balance = _money()
    share = _ratio(metadata={"description": "Of DPK"})


class RunOffSchema(BaseSchema):
    """Funds that left since the previous month-end listing."""

    share = _ratio(metadata={"description": "A balance down by more than this share is run-off"})
    previous = fields.Date(allow_none=True)
    closed_count = fields.Integer()
    closed_amount = _money()
    dropped_count = fields.Integer()
    dropped_amount = _money()
    amount = _money()


class FundingSummarySchema(BaseSchema):
    """Third-party funds (DPK) of a scope on the last deposits listing on or before `as_of`."""

    as_of = fields.Date(allow_none=True, metadata={"description": "null: no deposits listing yet"})
    scope = fields.String()
    officer = fields.Integer(attribute="officer_id", allow_none=True)
    branch = fields.Integer(attribute="branch_id", allow_none=True)
    dpk_total = _money()
    giro = _money()
    tabungan = _money()
    deposito = _money()
    casa = _money(metadata={"description": "giro + tabungan"})
    casa_ratio = _ratio(metadata={"description": "(giro + tabungan) / DPK; null without funds"})
    account_count = fields.Integer()
    depositors = fields.Integer()
    average_balance = _money(metadata={"description": "The month's average balances, summed"})
    kinds = fields.List(fields.Nested(KindSchema))
    previous_as_of = fields.Date(allow_none=True)
    growth_month = _money(allow_none=True)
    growth_month_ratio = _ratio()
    year_start_as_of = fields.Date(allow_none=True)
    growth_year = _money(allow_none=True)
    growth_year_ratio = _ratio()
    maturing_from = fields.Date(allow_none=True)
    maturing_7d = _window(7, "count")
    maturing_7d_amount = _window(7, "amount")
    maturing_7d_non_aro = _window(7, "non_aro_count")
    maturing_30d = _window(30, "count")
    maturing_30d_amount = _window(30, "amount")
    maturing_30d_non_aro = _window(30, "non_aro_count")
    runoff = fields.Nested(RunOffSchema)


class RelationshipSummarySchema(BaseSchema):
    """Cross-sell and retention of a scope's customers (null: not measurable)."""

    as_of = fields.Date(attribute="listings.day")
    loans_as_of = fields.Date(attribute="listings.loans", allow_none=True)
    deposits_as_of = fields.Date(
        attribute="listings.deposits",
        allow_none=True,
        metadata={"description": "null: no deposits listing yet, so no figures"},
    )
    scope = fields.String()
    customers = fields.Integer()
    products_held = fields.Integer()
    products_per_customer = _ratio(metadata={"description": "Product categories per customer"})
    borrowers = fields.Integer()
    borrowers_with_funding = fields.Integer()
    borrowers_with_funding_share = _ratio()
    depositors = fields.Integer()
    depositors_with_credit = fields.Integer()
    depositors_with_credit_share = _ratio()
    from_ = fields.Function(
        lambda r: r.retention.start.day.isoformat() if r.retention else None,
        data_key="from",
        metadata={"type": "string", "format": "date", "nullable": True},
    )
    retention_rate = fields.Function(
        lambda r: _four(r.retention.rate) if r.retention else None,
        metadata={"type": "string", "nullable": True},
    )
    customers_start = fields.Function(
        lambda r: r.retention.customers_start if r.retention else None,
        metadata={"type": "integer", "nullable": True},
    )
    customers_retained = fields.Function(
        lambda r: r.retention.customers_retained if r.retention else None,
        metadata={"type": "integer", "nullable": True},
    )


def _four(value) -> str | None:
    return None if value is None else f"{value:.4f}"
