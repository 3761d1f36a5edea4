"""Validation rules and API shapes of monitoring visits and of the Kol upgrade form."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from aoapp.common.dates import bank_today
from aoapp.common.schemas import BaseSchema, Id, Money, PageArgsSchema, Text, _Message, choice
from aoapp.credit.models import MET_WITH_MAX, MonitoringVisit, RiskRating

# error_messages stay str (_Message: translated when shown); a lazy string there would
# reach the errors without its list.
INTEGER = {"invalid": _Message("Not a valid number.")}


class VisitUpdateSchema(BaseSchema):
    """What the officer saw and concluded (the customer never changes).

    The API loads it with partial=True for PATCH; the HTML form submits every field. Dates are
    checked against each other by the service (a PATCH may send only one of them).
    """

    facility = Id(allow_none=True, load_default=None, error_messages=INTEGER)
    visit_date = fields.Date(load_default=bank_today)
    met_with = Text(load_default="", max_length=MET_WITH_MAX)
    business_condition = Text(load_default="", max_length=4000)
    collateral_condition = Text(load_default="", max_length=4000)
    collateral_value = Money(allow_none=True, load_default=None)
    findings = Text(load_default="", max_length=4000)
    risk_rating = choice(RiskRating, required=True)
    recommendations = Text(load_default="", max_length=4000)
    next_visit_date = fields.Date(allow_none=True, load_default=None)


class VisitInputSchema(VisitUpdateSchema):
    """A new visit, to one customer (by id) of the acting officer."""

    customer = Id(required=True, error_messages=INTEGER)


class VisitFilterSchema(PageArgsSchema):
    """Filters of the visits list (page and API)."""

    customer = Id(load_default=None, allow_none=True)
    facility = Id(load_default=None, allow_none=True)
    rating = choice(RiskRating, load_default=None, allow_none=True)


class VisitSchema(BaseSchema):
    """A monitoring visit as the API returns it."""

    class Meta:
        model = MonitoringVisit

    id = fields.Integer()
    customer = fields.Integer(attribute="customer_id")
    customer_name = fields.Function(lambda v: v.customer.name)
    facility = fields.Integer(attribute="facility_id", allow_none=True)
    facility_account_no = fields.Function(
        lambda v: v.facility.account_no if v.facility else None, allow_none=True
    )
    officer = fields.Integer(attribute="officer_id")
    visit_date = fields.Date()
    met_with = fields.String()
    business_condition = fields.String()
    collateral_condition = fields.String()
    collateral_value = fields.Decimal(as_string=True, allow_none=True)
    findings = fields.String()
    risk_rating = fields.String()
    recommendations = fields.String()
    next_visit_date = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class UpgradeSchema(BaseSchema):
    """A supervisor's upgrade of a restructured facility's Kol."""

    to_kol = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=5, error=_l("Choose a Kol from 1 to 5.")),
        error_messages={"invalid": _Message("Choose a Kol from 1 to 5.")},
    )
    justification = Text(required=True, max_length=2000)
