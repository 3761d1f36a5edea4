"""Validation rules and API shapes for customers and the products they hold."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from aoapp.common.dates import bank_today
from aoapp.common.geo import Coordinate
from aoapp.common.plausible import not_in_future
from aoapp.common.schemas import (
    AccountNo,
    BaseSchema,
    Cif,
    Id,
    Money,
    Nik,
    Npwp,
    PageArgsSchema,
    Phone,
    Text,
    Version,
    _at_most,
    choice,
)
from aoapp.customers.holdings import Holding
from aoapp.customers.models import Customer, CustomerType, ProductHolding, Segment


class CustomerInputSchema(BaseSchema):
    """Fields of a customer entered by hand (core banking imports come later)."""

    cif = Cif(required=True, validate=[_at_most(30)])
    name = Text(required=True, max_length=120)
    customer_type = choice(CustomerType, load_default=CustomerType.INDIVIDUAL)
    nik = Nik(allow_none=True, load_default=None)
    npwp = Npwp(allow_none=True, load_default=None)
    phone = Phone(allow_none=True, load_default=None)
    email = fields.Email(allow_none=True, load_default=None)  # message: aoapp.common.schemas
    address = Text(load_default="", max_length=500)
    latitude = Coordinate("latitude", allow_none=True, load_default=None)
    longitude = Coordinate("longitude", allow_none=True, load_default=None)
    segment = choice(Segment, required=True)
    since = fields.Date(load_default=bank_today, validate=not_in_future)
    allow_duplicate_phone = fields.Boolean(load_default=False, load_only=True)


class CustomerPatchSchema(CustomerInputSchema):
    """API change of some fields of a customer (loaded with partial=True)."""

    version = Version()


class CustomerEditSchema(CustomerInputSchema):
    """The edit form: every field, and the version the officer opened."""

    version = Version()


class CustomerFilterSchema(PageArgsSchema):
    """List filters shared by the customers page and the API."""

    segment = choice(Segment, load_default=None, allow_none=True)
    officer = Id(load_default=None, allow_none=True)
    customer_type = choice(CustomerType, load_default=None, allow_none=True)
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    debtor_on = fields.Date(
        load_default=None,
        allow_none=True,
        error_messages={"invalid": _l("Not a valid date (use YYYY-MM-DD).")},
        metadata={
            "description": "Debtors on that listing date: customers with a position dated that "
            "day; with `officer`, positions booked to that officer then (the debtors KPI), "
            "whoever the customer is assigned to now"
        },
    )


class ReassignSchema(BaseSchema):
    """The officer a customer moves to."""

    officer = Id(required=True)


class CollectionConsentSchema(BaseSchema):
    """The hours a customer agreed to collection contact at (`20:00-21:00`); blank withdraws."""

    hours = Text(load_default=None, allow_none=True, max_length=20)


class HoldingInputSchema(BaseSchema):
    """A product the customer already holds at the bank."""

    product = Text(required=True, max_length=20)  # product code
    account_no = AccountNo(allow_none=True, load_default=None, validate=[_at_most(40)])
    opened_on = fields.Date(allow_none=True, load_default=None, validate=not_in_future)


class HoldingSchema(BaseSchema):
    """A held product as the API returns it."""

    class Meta:
        model = ProductHolding

    product = fields.Function(lambda h: h.product.code)
    product_name = fields.Function(lambda h: h.product.name)
    account_no = fields.String(allow_none=True)
    opened_on = fields.Date(allow_none=True)


class CustomerSchema(BaseSchema):
    """A customer as the API returns it."""

    class Meta:
        model = Customer

    id = fields.Integer()
    cif = fields.String()
    name = fields.String()
    customer_type = fields.String()
    nik = fields.String(allow_none=True)
    npwp = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String()
    latitude = fields.Float(allow_none=True, metadata={"description": "The address on the map"})
    longitude = fields.Float(allow_none=True)
    segment = fields.String()
    branch = fields.Function(lambda c: c.branch.code)
    officer = fields.Integer(attribute="officer_id", allow_none=True)
    officer_username = fields.Function(
        lambda c: c.officer.username if c.officer else None, allow_none=True
    )
    since = fields.Date()
    version = fields.Integer()
    holdings = fields.List(
        fields.Nested(HoldingSchema),
        metadata={
            "description": "Products recorded by hand; everything the customer holds, from the "
            "listings too, is /customers/{id}/holdings"
        },
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CustomerFacilitySchema(BaseSchema):
    """A facility of the customer with its latest position (`collectibility`: its own Kol).

    Dumps aoapp.credit.services.FacilityRow; position fields are null before the first import.
    """

    id = fields.Integer(attribute="facility.id")
    account_no = fields.String(attribute="facility.account_no")
    product = fields.String(attribute="facility.product.code")
    currency = fields.String(attribute="facility.currency")
    plafond = fields.Decimal(as_string=True, attribute="facility.plafond")
    status = fields.String(attribute="facility.status")
    restructured = fields.Boolean(attribute="facility.restructured")
    restructured_on = fields.Date(allow_none=True, attribute="facility.restructured_on")
    as_of = fields.Date(allow_none=True, attribute="position.as_of")
    outstanding = fields.Decimal(allow_none=True, as_string=True, attribute="position.outstanding")
    dpd = fields.Integer(allow_none=True, attribute="position.dpd")
    collectibility = fields.Integer(allow_none=True, attribute="position.facility_kol")
    debtor_collectibility = fields.Integer(allow_none=True, attribute="position.debtor_kol")
    kol_rule = fields.String(allow_none=True, attribute="position.kol_rule")

    def get_attribute(self, obj, attr, default):
        """Position fields of a facility without a position are null (not left out)."""
        if attr.startswith("position.") and obj.position is None:
            return None
        return super().get_attribute(obj, attr, default)


class HoldingItemSchema(BaseSchema):
    """One holding (customers.holdings.Holding): where it comes from, what and how much."""

    class Meta:
        model = Holding

    source = fields.String(
        metadata={"description": "loan_listing | deposit_listing | manual (recorded by hand)"}
    )
    category = fields.String(
        metadata={"description": "credit | giro | tabungan | deposito | service"}
    )
    product_code = fields.Function(lambda h: h.product.code)
    product_name = fields.Function(lambda h: h.product.name)
    account_no = fields.String(allow_none=True)
    amount = Money(
        allow_none=True,
        metadata={"description": "Outstanding (credit) or balance (deposit) on `as_of`"},
    )
    as_of = fields.Date(allow_none=True, metadata={"description": "The listing's date"})
    opened_on = fields.Date(allow_none=True)


class HoldingsSchema(BaseSchema):
    """What a customer holds now: the loan listing's, the deposits listing's, then by hand."""

    items = fields.List(fields.Nested(HoldingItemSchema))


class CustomerDetailSchema(CustomerSchema):
    """One customer with its credit: `collectibility` is the debtor Kol on its latest as-of date.

    Dumps a customers.services.CustomerDetail: the credit fields are credit's (customers.hooks).
    """

    collectibility = fields.Integer(allow_none=True)
    facilities = fields.List(fields.Nested(CustomerFacilitySchema))
    held_products = fields.List(
        fields.Nested(HoldingItemSchema),
        metadata={"description": "What the customer holds now (as /customers/{id}/holdings)."},
    )
