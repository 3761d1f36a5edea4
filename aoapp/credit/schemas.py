"""Query arguments and API shapes of the portfolio, facilities and the watchlist."""

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from aoapp.common.schemas import (
    MAX_PAGE,
    BaseSchema,
    Day,
    Id,
    PageArgsSchema,
    search_field,
    sort_field,
)
from aoapp.credit.collectibility import AGING_BUCKETS, KOLS
from aoapp.credit.figures import BucketRow, KolRow, ParRow, PortfolioFigures
from aoapp.credit.models import Facility, Position
from aoapp.credit.portfolio import SORTABLE, FacilityRow, facility_positions
from aoapp.credit.watchlist import SIGNALS, WatchlistEntry, WatchSignal

BUCKET_CODES = [code for code, _label, _low, _high in AGING_BUCKETS]
SORT_KEYS = list(SORTABLE)


class ScopeArgsSchema(BaseSchema):
    """Which portfolio: a listing date (default: the latest), an officer, a branch."""

    as_of = Day(load_default=None, allow_none=True)
    officer = Id(load_default=None, allow_none=True, metadata={"description": "User id"})
    branch = Id(load_default=None, allow_none=True, metadata={"description": "Branch id"})


class FacilityFilterSchema(PageArgsSchema, ScopeArgsSchema):
    """Filters of the portfolio's facility listing, shared by the page, the CSV and the API."""

    kol = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(KOLS, error=_l("Kol is 1 to 5.")),
        metadata={"description": "Effective (debtor) Kol"},
    )
    kol_min = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(KOLS, error=_l("Kol is 1 to 5.")),
        metadata={"description": "Effective (debtor) Kol at least this (3: non-performing)"},
    )
    dpd_min = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=100_000, error=_l("Days past due is 0 or more.")),
        metadata={"description": "At least this many days past due (31: PAR 30)"},
    )
    bucket = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            BUCKET_CODES, error=_l("Must be one of: %(codes)s", codes=", ".join(BUCKET_CODES))
        ),
    )
    product = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    watchlist = fields.Boolean(load_default=False, metadata={"description": "Watchlist only"})
    restructured = fields.Boolean(load_default=None, allow_none=True)
    q = search_field("Part of the account number, CIF or customer name")
    sort = sort_field(SORT_KEYS)


class WatchlistArgsSchema(ScopeArgsSchema):
    """Watchlist arguments: the portfolio, optionally one signal, and the page."""

    signal = fields.String(
        load_default=None,
        allow_none=True,
        # SIGNALS itself, and a lazy message: the signals of the features above credit join it
        # after this module is imported (credit.signals.watch_signal).
        validate=validate.OneOf(
            SIGNALS,
            error=LazyString(lambda: _("Must be one of: %(codes)s", codes=", ".join(SIGNALS))),
        ),
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def _money(**kwargs):
    return fields.Decimal(as_string=True, places=2, **kwargs)


def _ratio(**kwargs):
    return fields.Decimal(as_string=True, places=4, **kwargs)


class PositionSchema(BaseSchema):
    """A facility's position on one listing date."""

    class Meta:
        model = Position

    as_of = fields.Date()
    outstanding = _money()
    arrears_principal = _money()
    arrears_interest = _money()
    dpd = fields.Integer()
    file_kol = fields.Integer(allow_none=True)
    dpd_kol = fields.Integer()
    facility_kol = fields.Integer()
    debtor_kol = fields.Integer()
    kol_rule = fields.String()
    prev_dpd = fields.Integer(allow_none=True)
    prev_kol = fields.Integer(allow_none=True)
    officer = fields.Integer(attribute="officer_id", allow_none=True)
    branch = fields.Integer(attribute="branch_id", allow_none=True)


class FacilitySchema(BaseSchema):
    """A facility's terms."""

    class Meta:
        model = Facility

    id = fields.Integer()
    account_no = fields.String()
    customer = fields.Integer(attribute="customer_id")
    product = fields.Function(lambda f: f.product.code)
    currency = fields.String()
    plafond = _money()
    interest_rate = fields.Decimal(as_string=True, places=4)
    tenor_months = fields.Integer(allow_none=True)
    start_date = fields.Date()
    maturity_date = fields.Date()
    purpose = fields.String()
    collateral_description = fields.String()
    collateral_value = _money(allow_none=True)
    restructured = fields.Boolean()
    restructured_on = fields.Date(allow_none=True)
    status = fields.String()
    closed_on = fields.Date(allow_none=True)


class FacilityDetailSchema(FacilitySchema):
    """A facility with its customer and every position, newest first."""

    customer_cif = fields.Function(lambda f: f.customer.cif)
    customer_name = fields.Function(lambda f: f.customer.name)
    positions = fields.Method("dump_positions")

    def dump_positions(self, facility):
        """Every position of the facility, newest first."""
        return PositionSchema(many=True).dump(facility_positions(facility))


class FacilityRowSchema(BaseSchema):
    """One row of the facility listing: the facility and its position on the date."""

    class Meta:
        model = FacilityRow

    id = fields.Integer(attribute="facility.id")
    account_no = fields.String(attribute="facility.account_no")
    customer = fields.Integer(attribute="customer.id")
    cif = fields.String(attribute="customer.cif")
    customer_name = fields.String(attribute="customer.name")
    product = fields.String(attribute="product.code")
    officer = fields.Function(lambda r: r.officer.id if r.officer else None, allow_none=True)
    officer_username = fields.Function(
        lambda r: r.officer.username if r.officer else None, allow_none=True
    )
    as_of = fields.Date(attribute="position.as_of")
    outstanding = _money(attribute="position.outstanding")
    dpd = fields.Integer(attribute="position.dpd")
    facility_kol = fields.Integer(attribute="position.facility_kol")
    debtor_kol = fields.Integer(attribute="position.debtor_kol")
    kol_rule = fields.String(attribute="position.kol_rule")
    bucket = fields.String()
    prev_dpd = fields.Integer(attribute="position.prev_dpd", allow_none=True)
    prev_kol = fields.Integer(attribute="position.prev_kol", allow_none=True)
    dpd_change = fields.Integer(allow_none=True)
    kol_change = fields.Integer(allow_none=True)
    restructured = fields.Boolean(attribute="facility.restructured")
    maturity_date = fields.Date(attribute="facility.maturity_date")


class KolRowSchema(BaseSchema):
    """Outstanding and count of one effective Kol."""

    class Meta:
        model = KolRow

    kol = fields.Integer()
    name = fields.String()
    count = fields.Integer()
    outstanding = _money()
    share = _ratio()


class BucketRowSchema(BaseSchema):
    """Outstanding and count of one aging bucket."""

    class Meta:
        model = BucketRow

    bucket = fields.String(attribute="code")
    label = fields.String()
    count = fields.Integer()
    outstanding = _money()
    share = _ratio()


class ParRowSchema(BaseSchema):
    """Portfolio at risk over `days` days past due."""

    class Meta:
        model = ParRow

    days = fields.Integer()
    outstanding = _money()
    ratio = _ratio()


class PortfolioFiguresSchema(BaseSchema):
    """The portfolio figures: money as strings, ratios as strings with 4 decimals."""

    class Meta:
        model = PortfolioFigures

    as_of = fields.Date(allow_none=True, metadata={"description": "None: no listing yet"})
    scope = fields.String()
    officer = fields.Integer(attribute="officer_id", allow_none=True)
    branch = fields.Integer(attribute="branch_id", allow_none=True)
    total_outstanding = _money()
    facility_count = fields.Integer()
    debtor_count = fields.Integer()
    kol_distribution = fields.List(fields.Nested(KolRowSchema))
    npl_outstanding = _money()
    npl_ratio = _ratio()
    lar_outstanding = _money()
    lar_ratio = _ratio()
    par = fields.List(fields.Nested(ParRowSchema))
    aging = fields.List(fields.Nested(BucketRowSchema))


class WatchSignalSchema(BaseSchema):
    """One early-warning signal of an account, with its reason."""

    class Meta:
        model = WatchSignal

    signal = fields.String()
    label = fields.String()
    reason = fields.String()
    date = fields.Date()


class WatchlistEntrySchema(BaseSchema):
    """One account on the watchlist with all its signals (in their registered order).

    `signal`, `reason` and `date` are kept from the one-entry-per-signal shape: the account's
    first signal, all its reasons in one text, the newest signal's date.
    """

    class Meta:
        model = WatchlistEntry

    facility = fields.Integer(attribute="facility.id")
    account_no = fields.String(attribute="facility.account_no")
    customer = fields.Integer(attribute="customer.id")
    customer_name = fields.String(attribute="customer.name")
    officer = fields.Function(lambda r: r.officer.id if r.officer else None, allow_none=True)
    officer_username = fields.Function(
        lambda r: r.officer.username if r.officer else None, allow_none=True
    )
    as_of = fields.Date(attribute="position.as_of")
    dpd = fields.Integer(attribute="position.dpd")
    debtor_kol = fields.Integer(attribute="position.debtor_kol")
    outstanding = _money(attribute="position.outstanding")
    severity = fields.Integer(
        metadata={"description": "The effective (debtor) Kol: 5 is the most severe"}
    )
    signals = fields.List(fields.Nested(WatchSignalSchema))
    signal = fields.String(metadata={"description": "The first of `signals`"})
    reason = fields.String(metadata={"description": "Every reason of `signals`, in one text"})
    date = fields.Date(metadata={"description": "The newest signal's date"})
