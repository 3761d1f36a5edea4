"""Validation of the admin forms and list filters (the services check the domain rules)."""

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates_schema

from aoapp.auth.models import Role
from aoapp.auth.schemas import EmailAddress
from aoapp.common.schemas import MAX_PAGE, BaseSchema, Id, Text, choice

ACTIVE_FILTERS = ["active", "inactive"]


class UserCreateSchema(BaseSchema):
    """A new user as the admin enters it."""

    username = Text(required=True, max_length=64)
    full_name = Text(load_default="", max_length=120)
    role = choice(Role, required=True)
    branch = Text(allow_none=True, load_default=None, max_length=20)
    officer_code = Text(allow_none=True, load_default=None, max_length=20)
    supervises = fields.List(fields.String(), load_default=list)
    email = EmailAddress(load_default=None)
    password = fields.String(required=True)


class UserUpdateSchema(BaseSchema):
    """What an admin may change on an existing user."""

    full_name = Text(load_default="", max_length=120)
    email = EmailAddress()  # left out: unchanged
    supervises = fields.List(fields.String(), load_default=list)


class PasswordResetSchema(BaseSchema):
    """A new password, typed twice."""

    password = fields.String(required=True)
    confirm = fields.String(load_default="")

    @validates_schema
    def same_twice(self, data, **kwargs):
        """The two entries must match."""
        if data.get("password") != data.get("confirm"):
            raise ValidationError(_("The two passwords differ."), "confirm")


class BranchSchema(BaseSchema):
    """A new branch."""

    code = Text(required=True, max_length=20)
    name = Text(required=True, max_length=120)
    timezone = Text(allow_none=True, load_default=None, max_length=64)


class UserFilterSchema(BaseSchema):
    """Filters of the users list."""

    role = choice(Role, load_default=None, allow_none=True)
    branch = Id(load_default=None, allow_none=True)
    status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(ACTIVE_FILTERS)
    )
    q = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
