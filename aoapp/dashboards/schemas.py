"""Query arguments and JSON shapes of the dashboard API (money and ratios as strings)."""

from decimal import Decimal

from flask_babel import force_locale
from marshmallow import ValidationError, fields

from aoapp.common.schemas import BaseSchema, Day, Id
from aoapp.credit.schemas import KolRowSchema
from aoapp.dashboards.migration import MigrationView
from aoapp.dashboards.queries import TrendPoint, Workload
from aoapp.dashboards.services import (
    OfficerDashboard,
    PipelineView,
    PortfolioView,
    StatusCount,
    TeamDashboard,
    TeamRow,
)
from aoapp.errors import InvalidInput
from aoapp.funding.schemas import FundingSummarySchema, RelationshipSummarySchema
from aoapp.kpis.figures import AMOUNT, AVERAGE, COUNT, FIGURES, RATIO
from aoapp.kpis.officers import OfficerRef
from aoapp.kpis.periods import Period, parse_month
from aoapp.renewals.schemas import FiguresSchema
from aoapp.targets.achievement import Achievement, MetricAchievement

MONTH_HELP = (
    "A month: `2026-10`, `10/2026`, `Oktober 2026` or `Oct 2026`; default: the bank's current month"
)
MONEY_PLACES, RATIO_PLACES = Decimal("0.01"), Decimal("0.0001")


def _money(**kwargs):
    return fields.Decimal(as_string=True, places=2, **kwargs)


def _ratio(**kwargs):
    return fields.Decimal(as_string=True, places=4, allow_none=True, **kwargs)


class Month(fields.String):
    """A month as people write it (`2026-10`, `10/2026`, `Oktober 2026`, `Oct 2026`), loaded as
    its kpis/periods.Period (with `as_code`, its code `2026-10`)."""

    def __init__(self, *, as_code: bool = False, **kwargs):
        self.as_code = as_code
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            period = parse_month(text)
        except InvalidInput as error:
            raise ValidationError(error.errors["period"]) from None
        return period.code if self.as_code else period


class OfficerArgsSchema(BaseSchema):
    """Which officer (an officer: only themselves) and which month."""

    period = Month(load_default=None, metadata={"description": MONTH_HELP})
    officer_id = Id(
        load_default=None,
        metadata={"description": "The officer (required for supervisors and admins)"},
    )


class TeamArgsSchema(BaseSchema):
    """Which branch (default: every branch the caller sees), month and migration dates."""

    period = Month(load_default=None, metadata={"description": MONTH_HELP})
    branch_id = Id(load_default=None, metadata={"description": "One branch"})
    migration_from = Day(
        data_key="from",
        load_default=None,
        metadata={"description": "Kol migration from this month-end listing date"},
    )
    migration_to = Day(
        data_key="to",
        load_default=None,
        metadata={"description": "Kol migration to this month-end listing date (default: as_of)"},
    )


class PeriodSchema(BaseSchema):
    """The month shown."""

    class Meta:
        model = Period

    code = fields.String()
    label = fields.String()
    start = fields.Date()
    end = fields.Date()


class OfficerSchema(BaseSchema):
    """The officer whose dashboard it is."""

    class Meta:
        model = OfficerRef

    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    branch_code = fields.String(allow_none=True)


class PortfolioSchema(BaseSchema):
    """The portfolio on `as_of`, changes since the previous month-end listing (null: none)."""

    class Meta:
        model = PortfolioView

    outstanding = _money(attribute="figures.total_outstanding")
    debtors = fields.Integer(attribute="figures.debtor_count")
    facilities = fields.Integer(attribute="figures.facility_count")
    npl_outstanding = _money(attribute="figures.npl_outstanding")
    npl_ratio = _ratio(attribute="figures.npl_ratio")
    npl_ratio_change = _ratio()
    par30_outstanding = _money()
    par30_ratio = _ratio()
    par30_ratio_change = _ratio()
    watchlist = fields.Integer(metadata={"description": "Accounts on the watchlist on as_of"})
    kol_distribution = fields.List(
        fields.Nested(KolRowSchema), attribute="figures.kol_distribution"
    )


class FollowupCountsSchema(BaseSchema):
    """Follow-ups planned on the day and overdue (planned before it, still planned at its end):
    the day is today for the current month, a past month's last day."""

    class Meta:
        model = Workload

    today = fields.Integer(attribute="followups_today")
    overdue = fields.Integer(attribute="followups_overdue")


class ComplaintCountsSchema(BaseSchema):
    """Complaints open (not resolved or closed) and overdue (open, due before the day) at the end
    of the day: today for the current month, a past month's last day."""

    class Meta:
        model = Workload

    open = fields.Integer(attribute="complaints_open")
    overdue = fields.Integer(attribute="complaints_overdue")


class StatusCountSchema(BaseSchema):
    """Prospects in one status."""

    class Meta:
        model = StatusCount

    status = fields.String()
    count = fields.Integer()


class PipelineSchema(BaseSchema):
    """Prospects by status (on the month's end, or today), the month's conversion."""

    class Meta:
        model = PipelineView

    statuses = fields.List(fields.Nested(StatusCountSchema))
    collected = fields.Integer()
    converted = fields.Integer()
    conversion_rate = _ratio()


def english(text) -> str:
    """A label as the API gives it: in English whatever the Accept-Language (the API answers
    codes; a label is a convenience for reading the JSON, never translated)."""
    with force_locale("en"):
        return str(text)


def metric_value(kind: str, value) -> str | None:
    """A target or actual as a string: a count `5`, money `1234.50`, a ratio `0.0300`."""
    if value is None:
        return None
    if kind == "count":
        return str(int(value))
    places = MONEY_PLACES if kind == "money" else RATIO_PLACES
    return str(Decimal(value).quantize(places))


class MetricSchema(BaseSchema):
    """One target metric: target, actual (null: no target / awaits the month's listing)."""

    class Meta:
        model = MetricAchievement

    key = fields.String()
    label = fields.Function(
        lambda m: english(m.label), metadata={"type": "string", "description": "In English"}
    )
    kind = fields.String(metadata={"description": "count | money | ratio"})
    ceiling = fields.Boolean(metadata={"description": "True: the actual must stay at or below"})
    target = fields.Function(
        lambda m: metric_value(m.kind, m.target), metadata={"type": "string", "nullable": True}
    )
    actual = fields.Function(
        lambda m: metric_value(m.kind, m.actual), metadata={"type": "string", "nullable": True}
    )
    achievement = _ratio()
    met = fields.Boolean(allow_none=True)


class TargetsSchema(BaseSchema):
    """Target achievement of the month; overall = mean of the achievements capped at 1."""

    class Meta:
        model = Achievement

    month = fields.Function(
        lambda a: f"{a.month:%Y-%m}" if a.month else None,
        metadata={"type": "string", "nullable": True},
    )
    overall = _ratio()
    metrics = fields.List(fields.Nested(MetricSchema))


class TrendPointSchema(BaseSchema):
    """The portfolio on one month-end listing date."""

    class Meta:
        model = TrendPoint

    as_of = fields.Date()
    outstanding = _money()
    npl_outstanding = _money()
    npl_ratio = _ratio()
    par30_outstanding = _money()
    par30_ratio = _ratio()


class OfficerDashboardSchema(BaseSchema):
    """The officer dashboard."""

    class Meta:
        model = OfficerDashboard

    officer = fields.Nested(OfficerSchema)
    period = fields.Nested(PeriodSchema)
    as_of = fields.Date(allow_none=True, metadata={"description": "null: no listing yet"})
    as_of_in_period = fields.Boolean()
    previous_as_of = fields.Date(allow_none=True)
    portfolio = fields.Nested(PortfolioSchema)
    followups = fields.Nested(FollowupCountsSchema, attribute="workload", dump_only=True)
    complaints = fields.Nested(ComplaintCountsSchema, attribute="workload", dump_only=True)
    pipeline = fields.Nested(PipelineSchema)
    targets = fields.Nested(TargetsSchema)
    trend = fields.List(fields.Nested(TrendPointSchema))
    funding = fields.Nested(FundingSummarySchema, attribute="funding_view.funding")
    relationship = fields.Nested(RelationshipSummarySchema, attribute="funding_view.relationship")
    renewals = fields.Nested(FiguresSchema)


def kpi_fields() -> dict:
    """One field per officer KPI of kpis/figures.py, in its order: counts as integers, amounts
    and ratios as strings (2 and 4 places; a ratio may be null: nothing to rate)."""
    kinds = {COUNT: fields.Integer, AMOUNT: _money, RATIO: _ratio, AVERAGE: _ratio}
    return {figure.key: kinds[figure.kind]() for figure in FIGURES}


# One officer's row: who, every KPI (generated from the registry), complaints (as of the month's
# judging day) and the
# month's overall target achievement. Built with type() to keep the fields in this order.
TeamRowSchema = type(
    "TeamRowSchema",
    (BaseSchema,),
    {
        "__doc__": "One officer's row of the team table (officer_id null: the totals row).",
        "__module__": __name__,
        "__qualname__": "TeamRowSchema",
        "Meta": type("Meta", (), {"model": TeamRow}),
        "officer_id": fields.Integer(allow_none=True),
        "username": fields.String(),
        "name": fields.String(),
        "branch_code": fields.String(allow_none=True),
        **kpi_fields(),
        "complaints_open": fields.Integer(),
        "complaints_overdue": fields.Integer(),
        "target_achievement": _ratio(),
    },
)


class ScopeSchema(BaseSchema):
    """Whose team: a label and the one branch asked for (null: every branch in reach)."""

    label = fields.String()
    branch_id = fields.Integer(allow_none=True)


class MigrationCellSchema(BaseSchema):
    """Facilities from one Kol (null: new) to another, and their outstanding now."""

    from_kol = fields.Integer(allow_none=True)
    to_kol = fields.Integer()
    count = fields.Integer()
    outstanding = _money()


class MigrationRowTotalSchema(BaseSchema):
    """Facilities from one Kol (null: new)."""

    from_kol = fields.Integer(allow_none=True)
    count = fields.Integer()
    outstanding = _money()


class MigrationColumnTotalSchema(BaseSchema):
    """Facilities in one Kol on the later date."""

    to_kol = fields.Integer()
    count = fields.Integer()
    outstanding = _money()


class MigrationTotalSchema(BaseSchema):
    """Every facility of the scope on the later date."""

    count = fields.Integer()
    outstanding = _money()


class MigrationSchema(BaseSchema):
    """Kol migration between two month-end listing dates (`dates`: the choices, newest first)."""

    class Meta:
        model = MigrationView

    from_ = fields.Date(data_key="from", attribute="from_date", allow_none=True)
    to = fields.Date(attribute="to_date", allow_none=True)
    dates = fields.List(fields.Date())
    from_kols = fields.List(fields.Integer(allow_none=True))
    to_kols = fields.List(fields.Integer())
    cells = fields.List(fields.Nested(MigrationCellSchema))
    row_totals = fields.List(fields.Nested(MigrationRowTotalSchema))
    column_totals = fields.List(fields.Nested(MigrationColumnTotalSchema))
    total = fields.Nested(MigrationTotalSchema)


class TeamDashboardSchema(BaseSchema):
    """The supervisor dashboard."""

    class Meta:
        model = TeamDashboard

    scope = fields.Nested(ScopeSchema)
    period = fields.Nested(PeriodSchema)
    as_of = fields.Date(allow_none=True)
    as_of_in_period = fields.Boolean()
    previous_as_of = fields.Date(allow_none=True)
    officers = fields.List(fields.Nested(TeamRowSchema))
    totals = fields.Nested(TeamRowSchema)
    portfolio = fields.Nested(PortfolioSchema)
    trend = fields.List(fields.Nested(TrendPointSchema))
    migration = fields.Nested(MigrationSchema)
    funding = fields.Nested(FundingSummarySchema, attribute="funding_view.funding")
    relationship = fields.Nested(RelationshipSummarySchema, attribute="funding_view.relationship")
    renewals = fields.Nested(FiguresSchema)
