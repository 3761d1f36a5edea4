"""marshmallow building blocks: plain-words messages, Indonesian ids, money, pages."""

from marshmallow import Schema, ValidationError, fields, validate

from aoapp.common.identity import InvalidNumber, normalize_nik, normalize_npwp, normalize_phone
from aoapp.common.money import to_money

fields.Field.default_error_messages.update(
    {"required": "This field is required.", "null": "This field is required."}
)


class BaseSchema(Schema):
    """Unknown fields are rejected (marshmallow's RAISE) and output keeps declaration order."""


class Text(fields.String):
    """A string stripped of surrounding spaces; blank means missing when required."""

    def __init__(self, *, max_length: int | None = None, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        if max_length:
            validators.append(
                validate.Length(max=max_length, error=f"At most {max_length} characters.")
            )
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise ValidationError("This field is required.")
        if not text and self.allow_none:
            return None
        return text


class _Normalized(fields.String):
    """A string normalised by a function that raises InvalidNumber."""

    normalizer = staticmethod(lambda value: value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            if self.required:
                raise ValidationError("This field is required.")
            return None
        try:
            return self.normalizer(text)
        except InvalidNumber as error:
            raise ValidationError(str(error)) from error


class Nik(_Normalized):
    """NIK: 16 digits with a plausible province and birth date."""

    normalizer = staticmethod(normalize_nik)


class Npwp(_Normalized):
    """NPWP: 15 or 16 digits, separators allowed on input."""

    normalizer = staticmethod(normalize_npwp)


class Phone(_Normalized):
    """Indonesian phone number, stored as 628…."""

    normalizer = staticmethod(normalize_phone)


class Money(fields.Decimal):
    """Amount in rupiah: non-negative, two decimals, a string in JSON (never a float)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("as_string", True)
        kwargs.setdefault("places", 2)
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(validate.Range(min=0, error="Must be zero or more."))
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float):
            raise ValidationError("Send amounts as strings or integers, not floats.")
        if isinstance(value, str):
            value = value.strip()
            if not value:
                if self.allow_none:
                    return None
                raise ValidationError("This field is required.")
        try:
            return to_money(super()._deserialize(value, attr, data, **kwargs))
        except (ValueError, TypeError) as error:
            raise ValidationError("Not a valid amount.") from error


def choice(enum, **kwargs) -> fields.String:
    """A string field limited to an enumeration's codes, with a plain-words message."""
    codes = [member.value for member in enum]
    return fields.String(
        validate=validate.OneOf(codes, error="Must be one of: " + ", ".join(codes) + "."),
        **kwargs,
    )


class PageArgsSchema(BaseSchema):
    """`page` (from 1) and `per_page` (at most 200) query arguments of API lists."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    sort = fields.String(load_default=None)


def page_schema(item_schema, name: str):
    """The API's list envelope: {items, page, per_page, total, pages}."""
    return type(
        name,
        (BaseSchema,),
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
            "pages": fields.Integer(),
        },
    )
