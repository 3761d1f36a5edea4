"""marshmallow building blocks: plain-words messages, Indonesian ids, money, pages."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, SchemaOpts, ValidationError, fields, pre_load, validate

from aoapp.common.i18n import locale_code
from aoapp.common.identity import (
    InvalidNumber,
    normalize_account,
    normalize_cif,
    normalize_nik,
    normalize_npwp,
    normalize_phone,
)
from aoapp.common.money import AmountError, parse_amount, to_money
from aoapp.common.routing import MAX_ID  # one bound for ids: URLs and fields
from aoapp.common.schema_messages import Message as _Message


class RecordOpts(SchemaOpts):
    """`Meta.model`: what a response schema dumps (a model, or a row class whose attributes are
    annotated), so tests/fuzz/test_contract.py can hold every field that may read None to
    `allow_none=True`, and the OpenAPI document says `nullable`."""

    def __init__(self, meta, **kwargs):
        super().__init__(meta, **kwargs)
        self.model = getattr(meta, "model", None)


# A machine client that sends what a person typed (the offline queue sends the officer's form)
# says so with this header: amounts are then read as people write them (`Rp 2,5 jt`).
TYPED_HEADER = "X-Typed-Input"
TYPED_HEADER_DOC = {
    "in": "header",
    "name": TYPED_HEADER,
    "required": False,
    "schema": {"type": "string", "enum": ["true"]},
    "description": "true: amounts are as a person typed them in the user's language "
    "(`Rp 2.500.000`, `2,5 jt`), not plain decimal strings.",
}


class BaseSchema(Schema):
    """Unknown fields are rejected (marshmallow's RAISE) and output keeps declaration order."""

    OPTIONS_CLASS = RecordOpts
    error_messages = {
        "unknown": _Message("Unknown field."),
        "type": _Message("Invalid input type."),
    }

    @pre_load
    def _as_typed(self, data, **_kwargs):
        """Mark the text of people's fields Typed when the request says X-Typed-Input: true."""
        if not (has_request_context() and request.headers.get(TYPED_HEADER) == "true"):
            return data
        if not isinstance(data, dict):
            return data
        typed = {
            field.data_key or name
            for name, field in self.load_fields.items()
            if getattr(field, "reads_typed", False)
        }
        return {
            key: Typed(value) if key in typed and isinstance(value, str) else value
            for key, value in data.items()
        }


MAX_PAGE = 100_000


class Id(fields.Integer):
    """A record id: a whole number from 1 to 2,147,483,647 (larger ones overflow SQLite)."""

    def __init__(self, **kwargs):
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(validate.Range(min=1, max=MAX_ID, error=_Message("Not a valid id.")))
        super().__init__(validate=validators, **kwargs)


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)  # the years of common.routing's months


class Day(fields.Date):
    """A day a list may be filtered by, from 1900 to 2999: further off is a mistyped year, and the
    calendar's ends (0001-01-01, 9999-12-31) overflow the day arithmetic and time zones behind
    the filters."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_("Use a date from 1900 to 2999."))
        return day


def _at_most(length: int):
    """A length check that leaves None alone (a blank optional text loads as None)."""
    check = validate.Length(max=length, error=_Message("At most {max} characters."))

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
            raise ValidationError(_("Contains a character that is not allowed (NUL)."))
        if not text and self.required:
            raise ValidationError(_("This field is required."))
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
                raise ValidationError(_("This field is required."))
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


class Cif(_Normalized):
    """A CIF number in the bank's format (CIF_PATTERN), leading zeros kept."""

    normalizer = staticmethod(normalize_cif)


class AccountNo(_Normalized):
    """An account (rekening) number in the bank's format (ACCOUNT_PATTERN), leading zeros kept."""

    normalizer = staticmethod(normalize_account)


MONEY_LIMIT = Decimal(10) ** 16  # the money columns hold NUMERIC(18, 2)


class Typed(str):
    """Text a person typed into a form (common.forms.raw_form_data marks it): fields that read
    people's conventions (`reads_typed`) read it in the reader's language; the API's plain
    strings are read strictly."""


class Money(fields.Decimal):
    """Amount in rupiah: non-negative, two decimals, a string in JSON (never a float).

    From a form it is read as people type it (`75.000.000`, `Rp 75 jt`: common.money.parse_amount).
    """

    reads_typed = True

    def __init__(self, **kwargs):
        kwargs.setdefault("as_string", True)
        kwargs.setdefault("places", 2)
        kwargs.setdefault("rounding", ROUND_HALF_UP)  # DOMAIN.md: money rounds half-up
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        amount = self._amount(value, attr, data, **kwargs)
        if amount is not None and amount < 0:
            raise ValidationError(_("Must be zero or more."))
        if amount is not None and amount >= MONEY_LIMIT:
            raise ValidationError(_("Too large."))
        return amount

    def _amount(self, value, attr, data, **kwargs):
        if isinstance(value, float):
            raise ValidationError(_("Send amounts as strings or integers, not floats."))
        typed = isinstance(value, Typed)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                if self.allow_none:
                    return None
                raise ValidationError(_("This field is required."))
        if typed:
            try:
                return parse_amount(value, locale_code())
            except AmountError as error:
                raise ValidationError(str(error)) from None
        try:
            return to_money(super()._deserialize(value, attr, data, **kwargs))
        except (ValueError, TypeError) as error:
            raise ValidationError(_("Not a valid amount.")) from error


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
        validate=validate.OneOf(codes, error=_Message("Must be one of: {choices}.")),
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


def sort_field(keys: list[str]) -> fields.String:
    """A list's `sort` argument limited to whitelisted keys, `-key` for descending."""
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            keys + [f"-{key}" for key in keys],
            error=_l("Sort by one of: %(keys)s (prefix - for descending).", keys=", ".join(keys)),
        ),
    )


def search_field(description: str) -> fields.String:
    """A list's `q` argument: up to 100 characters of free text."""
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": description},
    )
