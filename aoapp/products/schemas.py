"""Validation rules and API shapes for the product catalogue."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from aoapp.common.schemas import BaseSchema, PageArgsSchema, Text, choice
from aoapp.products.models import CreditSubtype, DepositType, Product, ProductKind

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
    deposit_type = choice(
        DepositType,
        allow_none=True,
        load_default=None,
        metadata={"description": "Deposit products only: giro | tabungan | deposito"},
    )
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

    class Meta:
        model = Product

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    credit_subtype = fields.String(allow_none=True)
    deposit_type = fields.String(
        allow_none=True, metadata={"description": "giro | tabungan | deposito"}
    )
    active = fields.Boolean()
    description = fields.String()
    created_at = fields.DateTime()
