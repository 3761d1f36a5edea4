"""Validation rules and API shapes of complaints and of their handling steps."""

from datetime import UTC

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from aoapp.common.dates import bank_today, bank_zone
from aoapp.common.schemas import BaseSchema, Id, PageArgsSchema, Text, choice
from aoapp.complaints.models import Category, Complaint, ComplaintStatus, Priority, ReceivedChannel
from aoapp.complaints.services import ACTIVE, DESCRIPTION_MAX, is_overdue

INTEGER = {"invalid": _l("Not a valid number.")}
TEXT_MAX = 4000


class BankDateTime(fields.DateTime):
    """An ISO date and time, loaded as UTC; without an offset it is the bank's local time."""

    default_error_messages = {"invalid": _l("Not a valid date and time (YYYY-MM-DDTHH:MM).")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip():
            if self.allow_none:
                return None
            raise ValidationError(_("This field is required."))
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=bank_zone())
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise self.make_error("invalid") from None


class ComplaintFormSchema(BaseSchema):
    """A new complaint as the form sends it (the customer comes from the page's URL)."""

    facility = Id(allow_none=True, load_default=None, error_messages=INTEGER)
    channel = choice(ReceivedChannel, required=True)
    category = choice(Category, required=True)
    priority = choice(Priority, load_default=Priority.NORMAL.value)
    description = Text(required=True, max_length=DESCRIPTION_MAX)
    received_at = BankDateTime(allow_none=True, load_default=None)
    due_date = fields.Date(allow_none=True, load_default=None)


class ComplaintInputSchema(ComplaintFormSchema):
    """A new complaint through the API, about one customer (by id) in the caller's scope.

    `received_at` defaults to now; without an offset it is read in the bank's time zone.
    `due_date` defaults to 10 working days after the day received; it may be earlier, not later.
    """

    customer = Id(required=True, error_messages=INTEGER)


class ComplaintFilterSchema(PageArgsSchema):
    """Filters of the complaints list (page and API)."""

    status = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            [ACTIVE, *(s.value for s in ComplaintStatus)],
            error=_l(
                "Must be active or one of: %(codes)s.",
                codes=", ".join(s.value for s in ComplaintStatus),
            ),
        ),
    )
    category = choice(Category, load_default=None, allow_none=True)
    priority = choice(Priority, load_default=None, allow_none=True)
    officer = Id(load_default=None, allow_none=True)
    customer = Id(load_default=None, allow_none=True)
    facility = Id(load_default=None, allow_none=True)
    overdue = fields.Boolean(load_default=None, allow_none=True)


class VersionSchema(BaseSchema):
    """The version the client last saw; when given and stale, the change is refused (409)."""

    version = fields.Integer(load_default=None, allow_none=True, error_messages=INTEGER)


class EscalateSchema(VersionSchema):
    """Why the officer escalates the complaint to the supervisor."""

    reason = Text(required=True, max_length=TEXT_MAX)


class ResolveSchema(VersionSchema):
    """How the complaint was resolved."""

    resolution = Text(required=True, max_length=TEXT_MAX)


class HandBackSchema(VersionSchema):
    """The supervisor's note to the officer when handing a complaint back."""

    note = Text(required=True, max_length=TEXT_MAX)


def _user_id(attribute: str) -> fields.Integer:
    return fields.Integer(attribute=attribute, allow_none=True)


class ComplaintSchema(BaseSchema):
    """A complaint as the API returns it (codes, not labels; timestamps in UTC)."""

    class Meta:
        model = Complaint

    id = fields.Integer()
    customer = fields.Integer(attribute="customer_id")
    customer_name = fields.Function(lambda c: c.customer.name)
    facility = fields.Integer(attribute="facility_id", allow_none=True)
    facility_account_no = fields.Function(
        lambda c: c.facility.account_no if c.facility else None, allow_none=True
    )
    officer = fields.Integer(attribute="officer_id")
    branch = fields.Integer(attribute="branch_id")
    channel = fields.String()
    category = fields.String()
    priority = fields.String()
    description = fields.String()
    received_at = fields.DateTime()
    due_date = fields.Date()
    status = fields.String()
    overdue = fields.Function(
        lambda c: is_overdue(c, bank_today()),
        metadata={"type": "boolean", "description": "Still handled after its due date"},
    )
    escalated_at = fields.DateTime(allow_none=True)
    escalated_by = _user_id("escalated_by_id")
    escalation_reason = fields.String(allow_none=True)
    handed_back_at = fields.DateTime(allow_none=True)
    supervisor_note = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by = _user_id("resolved_by_id")
    closed_at = fields.DateTime(allow_none=True)
    created_by = _user_id("created_by_id")
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
