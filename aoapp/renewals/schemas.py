"""Validation rules and API shapes of the renewal pipeline and its figures: money as strings with
2 places, ratios as strings with 4 (0.7500 = 75 %), null where nothing is measured."""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from aoapp.common.dates import month_bounds
from aoapp.common.schemas import BaseSchema, Day, Id, Money, PageArgsSchema, Text, Version, choice
from aoapp.renewals.figures import OfficerRenewals, RenewalFigures
from aoapp.renewals.models import Kind, LostReason, RenewalOpportunity, RenewalOutcome, Stage
from aoapp.renewals.reads import OPEN, WINDOWS

NOTE_MAX = 2000
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class RenewalFilterSchema(PageArgsSchema):
    """Filters of the pipeline (page and API)."""

    officer = Id(load_default=None, allow_none=True, metadata={"description": "User id"})
    customer = Id(load_default=None, allow_none=True)
    stage = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            [OPEN, *(s.value for s in Stage)],
            error=_l("Must be open or one of: %(codes)s.", codes=", ".join(s.value for s in Stage)),
        ),
        metadata={"description": "A stage, or `open` (every stage but closed)"},
    )
    window = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(WINDOWS, error=_l("Use 30, 60 or 90 days.")),
        metadata={"description": "Maturing within 30, 60 or 90 days (matured ones included)"},
    )
    kind = choice(Kind, load_default=None, allow_none=True)
    topup = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "Top-up candidates only: open loans within the DPD/Kol limits"},
    )
    awaiting = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "Outcomes a listing proposed, not yet confirmed"},
    )


class StageSchema(BaseSchema):
    """Move to another open stage (the page's form)."""

    stage = choice(Stage, required=True)
    version = Version()


class OutcomeSchema(BaseSchema):
    """Record, confirm or correct the outcome (the page's form)."""

    outcome = choice(RenewalOutcome, required=True)
    new_plafond = Money(load_default=None, allow_none=True)
    lost_reason = choice(LostReason, load_default=None, allow_none=True)
    lost_note = Text(load_default=None, allow_none=True, max_length=NOTE_MAX)
    outcome_date = Day(load_default=None, allow_none=True)
    version = Version()


class TopupSchema(BaseSchema):
    """A supervisor's exception for a delinquent loan (the page's form)."""

    topup_allowed = fields.Boolean(required=True)
    version = Version()


class RenewalChangeSchema(BaseSchema):
    """One change through the API: a `stage`, an `outcome` (with its fields), or
    `topup_allowed`; `version` is the one you read (another stored version is a 409)."""

    stage = choice(Stage, load_default=None, allow_none=True)
    outcome = choice(RenewalOutcome, load_default=None, allow_none=True)
    new_plafond = Money(
        load_default=None, allow_none=True, metadata={"description": "Topped up: required"}
    )
    lost_reason = choice(LostReason, load_default=None, allow_none=True)
    lost_note = Text(load_default=None, allow_none=True, max_length=NOTE_MAX)
    outcome_date = Day(load_default=None, allow_none=True)
    topup_allowed = fields.Boolean(load_default=None, allow_none=True)
    version = Version()

    @validates_schema
    def _one_change(self, data, **_kwargs):
        given = [k for k in ("stage", "outcome", "topup_allowed") if data.get(k) is not None]
        if len(given) != 1:
            message = _("Send one change: stage, outcome or topup_allowed.")
            raise ValidationError(message, "_schema")


class _Ref(BaseSchema):
    id = fields.Integer()
    account_no = fields.String()


class _Customer(BaseSchema):
    id = fields.Integer()
    cif = fields.String()
    name = fields.String()


class _Officer(BaseSchema):
    id = fields.Integer()
    name = fields.String(attribute="display_name")


class _Product(BaseSchema):
    code = fields.String()
    name = fields.String()


def _fact(name: str, money: bool = False):
    def read(o):
        value = getattr(o.facts, name)
        return f"{value:.2f}" if money and value is not None else value

    kind = "string" if money else "integer"
    return fields.Function(read, allow_none=True, metadata={"type": kind})


class RenewalSchema(BaseSchema):
    """One renewal opportunity: a `facility` (loans) or an `account` (deposits)."""

    class Meta:
        model = RenewalOpportunity

    id = fields.Integer()
    kind = fields.String(metadata={"description": "loan | deposit"})
    basis = fields.String(metadata={"description": "maturity | anniversary (yearly extension)"})
    facility = fields.Nested(_Ref, allow_none=True)
    account = fields.Nested(_Ref, attribute="deposit_account", allow_none=True)
    customer = fields.Nested(_Customer)
    officer = fields.Nested(_Officer)
    product = fields.Nested(_Product)
    maturity_date = fields.Date()
    days_left = fields.Integer()
    window = fields.Integer(allow_none=True, metadata={"description": "30, 60, 90; null beyond"})
    stage = fields.String()
    outcome = fields.String(allow_none=True)
    proposed_outcome = fields.String(allow_none=True)
    settled_by = fields.String(allow_none=True, metadata={"description": "listing | officer"})
    confirmed = fields.Boolean()
    outcome_date = fields.Date(allow_none=True)
    plafond = Money(allow_none=True)
    new_plafond = Money(allow_none=True)
    topup_amount = Money(allow_none=True)
    lost_reason = fields.String(allow_none=True)
    lost_note = fields.String()
    topup_allowed = fields.Boolean()
    outstanding = fields.Function(
        lambda o: (
            f"{o.facts.amount:.2f}" if o.kind == Kind.LOAN and o.facts.amount is not None else None
        ),
        allow_none=True,
        metadata={"type": "string"},
    )
    balance = fields.Function(
        lambda o: (
            f"{o.facts.amount:.2f}"
            if o.kind == Kind.DEPOSIT and o.facts.amount is not None
            else None
        ),
        allow_none=True,
        metadata={"type": "string"},
    )
    dpd = _fact("dpd")
    kol = _fact("kol")
    as_of = fields.Function(  # the listing's date, ISO like every date (not the JSON default)
        lambda o: o.facts.as_of and o.facts.as_of.isoformat(),
        allow_none=True,
        metadata={"type": "string", "format": "date"},
    )
    version = fields.Integer()


def _month(value: str) -> tuple[date, date]:
    match = MONTH.match(value or "")
    if not match:
        raise ValidationError(_("Use a month such as 2026-10."))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2999:
        raise ValidationError(_("Use a month such as 2026-10."))
    return month_bounds(date(year, month, 1))


class MonthField(fields.String):
    """A month, `YYYY-MM`, loaded as its (first, last) day."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _month(super()._deserialize(value, attr, data, **kwargs))


class FiguresArgsSchema(BaseSchema):
    """Which figures: a month (default: the bank's current one), an officer, a branch."""

    month = MonthField(load_default=None, allow_none=True, metadata={"example": "2026-10"})
    officer = Id(load_default=None, allow_none=True, metadata={"description": "User id"})
    branch = Id(load_default=None, allow_none=True, metadata={"description": "Branch id"})


def _ratio(**kwargs):
    return fields.Decimal(as_string=True, places=4, allow_none=True, **kwargs)


class ReasonSchema(BaseSchema):
    reason = fields.String(metadata={"description": "A lost reason code, or not_recorded"})
    count = fields.Integer()


class FiguresSchema(BaseSchema):
    """Renewal figures of one month (renewals/figures.py)."""

    class Meta:
        model = RenewalFigures

    month = fields.String()
    loans_due = fields.Integer()
    loans_open = fields.Integer()
    settled = fields.Integer()
    renewed = fields.Integer()
    topped_up = fields.Integer()
    paid_off_retained = fields.Integer()
    paid_off_lost = fields.Integer()
    renewal_rate = _ratio(metadata={"description": "(renewed + topped up) / settled"})
    topup_amount = Money()
    lost_customers = fields.Integer()
    awaiting = fields.Integer(metadata={"description": "Settled by a listing, not confirmed"})
    deposits_due = fields.Integer()
    deposits_open = fields.Integer()
    rolled_over = fields.Integer()
    withdrawn = fields.Integer()
    rollover_rate = _ratio()
    lost_reasons = fields.Function(
        lambda f: [{"reason": code, "count": n} for code, n in f.reason_rows],
        metadata={"type": "array"},
    )


class OfficerFiguresSchema(BaseSchema):
    """One officer's figures."""

    class Meta:
        model = OfficerRenewals

    officer_id = fields.Integer()
    name = fields.String()
    officer_code = fields.String(allow_none=True)
    branch_code = fields.String(allow_none=True)
    figures = fields.Nested(FiguresSchema)


class FiguresReportSchema(BaseSchema):
    """A scope's figures and each officer's."""

    scope = fields.String()
    total = fields.Nested(FiguresSchema)
    officers = fields.List(fields.Nested(OfficerFiguresSchema))
