"""marshmallow building blocks: plain-words messages, Indonesian ids, money, pages."""

from decimal import ROUND_HALF_UP

from marshmallow import Schema, ValidationError, fields, validate

from aoapp.common.identity import InvalidNumber, normalize_nik, normalize_npwp, normalize_phone
from aoapp.common.money import to_money

fields.Field.default_error_messages.update(
    {"required": "This field is required.", "null": "This field is required."}
)


class BaseSchema(Schema):
    """Unknown fields are rejected (marshmallow's RAISE) and output keeps declaration order."""


MAX_ID = 2**31 - 1  # ids are 32-bit integers; a larger one cannot exist
MAX_PAGE = 100_000


class Id(fields.Integer):
    """A record id: a whole number from 1 to 2,147,483,647 (larger ones overflow SQLite)."""

    def __init__(self, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(validate.Range(min=1, max=MAX_ID, error="Not a valid id."))
        super().__init__(validate=validators, **kwargs)


def _at_most(length: int):
    """A length check that leaves None alone (a blank optional text loads as None)."""
    check = validate.Length(max=length, error=f"At most {length} characters.")

    def validator(value):
        if value is not None:
            check(value)

    return validator


class Text(fields.String):
    """A string stripped of surrounding spaces; blank means missing when required."""

    def __init__(self, *, max_length: int | None = None, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        if max_length:
            validators.append(_at_most(max_length))
            kwargs.setdefault("metadata", {})["maxLength"] = max_length
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if "\x00" in text:  # PostgreSQL cannot store NUL in text: refuse it as bad input
            raise ValidationError("Contains a character that is not allowed (NUL).")
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
        kwargs.setdefault("rounding", ROUND_HALF_UP)  # DOMAIN.md: money rounds half-up
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        amount = self._amount(value, attr, data, **kwargs)
        if amount is not None and amount < 0:
            raise ValidationError("Must be zero or more.")
        return amount

    def _amount(self, value, attr, data, **kwargs):
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


class Version(fields.Integer):
    """The record version the client read (optimistic locking); another stored version is a 409."""

    def __init__(self, **kwargs):
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault("validate", validate.Range(min=1, max=2**31 - 1))
        kwargs.setdefault(
            "metadata",
            {"description": "The version you read; a different stored version is a 409."},
        )
        super().__init__(**kwargs)


def choice(enum, **kwargs) -> fields.String:
    """A string field limited to an enumeration's codes, with a plain-words message."""
    codes = [member.value for member in enum]
    return fields.String(
        validate=validate.OneOf(codes, error="Must be one of: " + ", ".join(codes) + "."),
        **kwargs,
    )


class PageArgsSchema(BaseSchema):
    """`page` (from 1) and `per_page` (at most 200) query arguments of API lists."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
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
