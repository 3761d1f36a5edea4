"""Validation rules and API shapes for the product catalogue and introductions."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from aoapp.common.dates import bank_today
from aoapp.common.schemas import BaseSchema, Id, PageArgsSchema, Text, choice
from aoapp.products.models import (
    CreditSubtype,
    IntroductionOutcome,
    IntroductionPlace,
    ProductKind,
)

PRODUCT_CODE = validate.Regexp(
    r"^[A-Za-z][A-Za-z0-9_-]*$",
    error=_l("Use letters, digits, - or _, starting with a letter (e.g. KUR-MIKRO)."),
)


class ProductInputSchema(BaseSchema):
    """A product of the catalogue as the admin enters it."""

    code = Text(required=True, max_length=20, validate=[PRODUCT_CODE])
    name = Text(required=True, max_length=120)
    kind = choice(ProductKind, required=True)
    credit_subtype = choice(CreditSubtype, allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)
    description = Text(load_default="", max_length=2000)


class ProductPatchSchema(ProductInputSchema):
    """API change of some fields of a product (loaded with partial=True)."""


class ProductFilterSchema(PageArgsSchema):
    """Catalogue filters; inactive products are listed for admins only."""

    kind = choice(ProductKind, load_default=None, allow_none=True)
    include_inactive = fields.Boolean(load_default=False)
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class ProductSchema(BaseSchema):
    """A product as the API returns it."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    credit_subtype = fields.String()
    active = fields.Boolean()
    description = fields.String()
    created_at = fields.DateTime()


class IntroductionUpdateSchema(BaseSchema):
    """What was presented, where, and how the client responded (the subject never changes).

    The API loads it with partial=True for PATCH; the HTML form submits every field.
    """

    product = Text(required=True, max_length=20)  # product code
    introduced_on = fields.Date(load_default=bank_today)
    place = choice(IntroductionPlace, required=True)
    explanation = Text(load_default="", max_length=4000)
    understood = fields.Boolean(load_default=False)
    outcome = choice(IntroductionOutcome, required=True)
    follow_up_date = fields.Date(allow_none=True, load_default=None)
    campaign_id = Id(
        allow_none=True,
        load_default=None,
        metadata={"description": "A campaign that runs in the branch of the subject's officer."},
    )


class IntroductionInputSchema(IntroductionUpdateSchema):
    """A new introduction, to exactly one prospect or one customer (by id)."""

    prospect = Id(allow_none=True, load_default=None)
    customer = Id(allow_none=True, load_default=None)


class IntroductionFilterSchema(PageArgsSchema):
    """Filters of the introductions list."""

    prospect = Id(load_default=None, allow_none=True)
    customer = Id(load_default=None, allow_none=True)
    outcome = choice(IntroductionOutcome, load_default=None, allow_none=True)
    product = fields.String(load_default=None, allow_none=True)  # product code
    officer = Id(load_default=None, allow_none=True)
    campaign = Id(load_default=None, allow_none=True)
    date_from = fields.Date(
        data_key="from",
        load_default=None,
        allow_none=True,
        metadata={"description": "Introduced on or after this day."},
    )
    date_to = fields.Date(
        data_key="to",
        load_default=None,
        allow_none=True,
        metadata={"description": "Introduced on or before this day."},
    )


class IntroductionSchema(BaseSchema):
    """An introduction as the API returns it."""

    id = fields.Integer()
    prospect = fields.Integer(attribute="prospect_id")
    customer = fields.Integer(attribute="customer_id")
    product = fields.Function(lambda i: i.product.code)
    product_name = fields.Function(lambda i: i.product.name)
    officer = fields.Integer(attribute="officer_id")
    introduced_on = fields.Date()
    place = fields.String()
    explanation = fields.String()
    understood = fields.Boolean()
    outcome = fields.String()
    follow_up_date = fields.Date()
    campaign_id = fields.Integer()
    campaign_name = fields.Function(lambda i: i.campaign.name if i.campaign else None)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
