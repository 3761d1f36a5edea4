"""Validation of a user's own settings (the profile form and `PATCH /api/v1/users/me`)."""

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate

from aoapp.auth.preferences import MAX_EMAIL_LENGTH, clean_email, parse_clock
from aoapp.common.i18n import LOCALES
from aoapp.common.schemas import BaseSchema, Text, _Message
from aoapp.errors import InvalidInput


class EmailAddress(Text):
    """An e-mail address, checked plainly; blank or null clears it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault("metadata", {"description": "e-mail address; null clears it"})
        super().__init__(max_length=MAX_EMAIL_LENGTH, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return clean_email(text)
        except InvalidInput as error:
            raise ValidationError(error.message) from None


class ClockTime(fields.Field):
    """A time of day: `07:00`, `07.00` (as Indonesians write it) or `7.00`; shown `HH:MM`.

    Blank or null: the bank's default time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault(
            "metadata", {"type": "string", "example": "07:00", "description": "HH:MM or HH.MM"}
        )
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(_("Not a valid time (e.g. 07.00 or 07:00)."))
        if not value.strip():
            return None
        try:
            return parse_clock(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class PreferencesSchema(BaseSchema):
    """What a user may change of their own account: where and when the digest goes, and the
    language of pages and e-mails (null: the bank's)."""

    email = EmailAddress()
    digest_time = ClockTime()
    language = fields.String(
        allow_none=True,
        attribute="locale",
        data_key="language",
        validate=validate.OneOf(LOCALES, error=_Message("Must be one of: {choices}.")),
    )
