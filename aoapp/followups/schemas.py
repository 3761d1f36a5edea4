"""Validation rules and API shapes of follow-ups and promises to pay.

The HTML forms and the API load the same schemas; rules that need the stored follow-up or the
date of today (not in the past, the promise window, outcome for the purpose) live in the service.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from aoapp.common.schemas import (
    BaseSchema,
    Day,
    Money,
    PageArgsSchema,
    Text,
    _Message,
    choice,
    sort_field,
)
from aoapp.credit.visits.schemas import LocationInputSchema
from aoapp.followups.models import (
    Channel,
    FollowUp,
    FollowUpStatus,
    Outcome,
    PromiseState,
    PromiseToPay,
    Purpose,
)
from aoapp.followups.promises import state_of

# error_messages stay str (_Message: translated when shown); a lazy string there would reach
# the errors without its list. The _l calls list the messages for extraction.
INTEGER = {"invalid": _Message("Not a valid number.")}
DATE = {"invalid": _Message("Not a valid date (use YYYY-MM-DD).")}
TIME = {"invalid": _Message("Not a valid time (use HH:MM).")}
_l("Not a valid date (use YYYY-MM-DD).")
_l("Not a valid time (use HH:MM).")
SORT_KEYS = ["planned_date", "status", "purpose", "channel", "done_at", "created_at"]
PROMISE_SORT_KEYS = ["promised_date", "promised_on", "promised_amount", "deadline"]


class RequiredDate(fields.Date):
    """A required date; a blank form field says "required", not "not a valid date"."""

    def __init__(self, **kwargs):
        super().__init__(required=True, error_messages=DATE, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip():
            raise ValidationError(_("This field is required."))
        return super()._deserialize(value, attr, data, **kwargs)


def _id(**kwargs) -> fields.Integer:
    """A record id (ids are 32-bit: a larger number cannot exist and would overflow SQLite)."""
    check = validate.Range(min=1, max=2**31 - 1, error=_l("Not a valid id."))
    return fields.Integer(error_messages=INTEGER, validate=check, **kwargs)


def _version() -> fields.Integer:
    return fields.Integer(
        error_messages=INTEGER,
        load_default=None,
        allow_none=True,
        metadata={"description": "The version you read; a different stored version is a 409."},
    )


class PlanSchema(BaseSchema):
    """A new planned follow-up with a `customer` or a `prospect` (ids) of the acting officer."""

    customer = _id(load_default=None, allow_none=True)
    prospect = _id(load_default=None, allow_none=True)
    facility = _id(load_default=None, allow_none=True)
    channel = choice(Channel, required=True)
    purpose = choice(Purpose, required=True)
    planned_date = RequiredDate()
    planned_time = fields.Time(load_default=None, allow_none=True, error_messages=TIME)
    notes = Text(load_default="", max_length=4000)


class FollowUpPatchSchema(BaseSchema):
    """Change the notes, channel or time of a planned follow-up (load with partial=True)."""

    channel = choice(Channel)
    planned_time = fields.Time(allow_none=True, error_messages=TIME)
    notes = Text(max_length=4000)
    version = _version()


class CompleteSchema(LocationInputSchema):
    """The outcome of a contact, an optional promise to pay and an optional next follow-up; a
    visit's outcome, the officer's location (its photos come with the form)."""

    outcome = choice(Outcome, required=True)
    notes = Text(load_default=None, allow_none=True, max_length=4000)
    promised_amount = Money(load_default=None, allow_none=True)
    promised_date = fields.Date(load_default=None, allow_none=True, error_messages=DATE)
    next_channel = choice(Channel, load_default=None, allow_none=True)
    next_date = fields.Date(load_default=None, allow_none=True, error_messages=DATE)
    next_time = fields.Time(load_default=None, allow_none=True, error_messages=TIME)
    next_purpose = choice(Purpose, load_default=None, allow_none=True)
    next_notes = Text(load_default="", allow_none=True, max_length=4000)
    confirm_amount = fields.Boolean(
        load_default=False,
        metadata={
            "description": "True to save a promise above the facility's arrears (never above "
            "its outstanding plus interest arrears); without it such a promise is a 422."
        },
    )
    version = _version()


class RescheduleSchema(BaseSchema):
    """A new date (and time) for a planned follow-up; the reason is required for suggestions."""

    planned_date = RequiredDate()
    planned_time = fields.Time(load_default=None, allow_none=True, error_messages=TIME)
    reason = Text(load_default=None, allow_none=True, max_length=2000)
    version = _version()


class CancelSchema(BaseSchema):
    """Why a planned follow-up will not happen."""

    reason = Text(required=True, max_length=2000)
    version = _version()


class MissedSchema(BaseSchema):
    """Mark a planned follow-up whose day has passed as missed."""

    version = _version()


class FollowUpFilterSchema(PageArgsSchema):
    """Filters of the follow-up list (page and API); every from/to range is inclusive."""

    owner = _id(load_default=None, allow_none=True)
    status = choice(FollowUpStatus, load_default=None, allow_none=True)
    purpose = choice(Purpose, load_default=None, allow_none=True)
    planned_from = Day(load_default=None, allow_none=True, error_messages=DATE)
    planned_to = Day(load_default=None, allow_none=True, error_messages=DATE)
    done_from = Day(
        load_default=None,
        allow_none=True,
        error_messages=DATE,
        metadata={"description": "Done on or after this day (bank's time zone)"},
    )
    done_to = Day(
        load_default=None,
        allow_none=True,
        error_messages=DATE,
        metadata={"description": "Done on or before this day (bank's time zone)"},
    )
    overdue_on = Day(
        load_default=None,
        allow_none=True,
        error_messages=DATE,
        metadata={
            "description": "Overdue at the end of this day: planned for an earlier day and not "
            "done by then (still planned, or done only later), as the officer KPI counts them"
        },
    )
    customer = _id(load_default=None, allow_none=True)
    facility = _id(load_default=None, allow_none=True)
    prospect = _id(load_default=None, allow_none=True)
    suggested = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "true: suggested by the system only; false: planned by hand"},
    )
    sort = sort_field(SORT_KEYS)


class PromiseFilterSchema(PageArgsSchema):
    """Filters of the promises list (page and API)."""

    state = choice(PromiseState, load_default=None, allow_none=True)
    owner = _id(load_default=None, allow_none=True, metadata={"description": "Officer id"})
    customer = _id(load_default=None, allow_none=True)
    facility = _id(load_default=None, allow_none=True)
    promised_from = Day(load_default=None, allow_none=True, error_messages=DATE)
    promised_to = Day(load_default=None, allow_none=True, error_messages=DATE)
    recorded_by = _id(
        load_default=None,
        allow_none=True,
        metadata={"description": "The officer who recorded the promise (as the PTP KPIs count)"},
    )
    deadline_from = Day(load_default=None, allow_none=True, error_messages=DATE)
    deadline_to = Day(load_default=None, allow_none=True, error_messages=DATE)
    sort = sort_field(PROMISE_SORT_KEYS)


class PromiseSchema(BaseSchema):
    """A promise to pay with its state derived from the positions imported since."""

    class Meta:
        model = PromiseToPay

    id = fields.Integer()
    follow_up = fields.Integer(attribute="follow_up_id")
    customer = fields.Integer(attribute="customer_id")
    facility = fields.Integer(attribute="facility_id")
    facility_account_no = fields.Function(lambda p: p.facility.account_no)
    officer = fields.Integer(attribute="officer_id")
    promised_amount = fields.Decimal(as_string=True, places=2)
    promised_date = fields.Date()
    promised_on = fields.Date()
    deadline = fields.Date(metadata={"description": "Last position date that can show it kept"})
    state = fields.Method("get_state", metadata={"description": "pending, kept or broken"})
    created_at = fields.DateTime()

    def get_state(self, promise) -> str:
        """The state computed with the list's query, or derived now for a single promise."""
        return str(getattr(promise, "state", None) or state_of(promise))


class PromiseDetailSchema(PromiseSchema):
    """One promise, with the date of the position that shows it kept."""

    kept_on = fields.Date(allow_none=True, metadata={"description": "As-of date of that position"})


class FollowUpSchema(BaseSchema):
    """A follow-up as the API returns it (codes, not labels)."""

    class Meta:
        model = FollowUp

    id = fields.Integer()
    customer = fields.Integer(allow_none=True, attribute="customer_id")
    customer_name = fields.Function(lambda f: f.customer.name if f.customer else None)
    prospect = fields.Integer(allow_none=True, attribute="prospect_id")
    prospect_name = fields.Function(lambda f: f.prospect.name if f.prospect else None)
    facility = fields.Integer(allow_none=True, attribute="facility_id")
    facility_account_no = fields.Function(lambda f: f.facility.account_no if f.facility else None)
    deposit_account = fields.Integer(
        attribute="deposit_account_id",
        allow_none=True,
        metadata={"description": "The deposit account a retention follow-up is about"},
    )
    deposit_account_no = fields.Function(
        lambda f: f.deposit_account.account_no if f.deposit_account_id else None
    )
    owner = fields.Integer(attribute="owner_id")
    channel = fields.String()
    purpose = fields.String()
    planned_date = fields.Date()
    planned_time = fields.Time(allow_none=True)
    status = fields.String()
    done_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    notes = fields.String(
        attribute="shown_notes",
        metadata={"description": "The system's note (in the request's language), then the notes"},
    )
    reason = fields.String(allow_none=True, attribute="shown_reason")
    suggestion = fields.String(
        allow_none=True, metadata={"description": "The rule that suggested it, if any"}
    )
    suggested_dpd = fields.Integer(allow_none=True)
    escalated = fields.Boolean()
    previous = fields.Integer(allow_none=True, attribute="previous_id")
    promise = fields.Nested(PromiseSchema, allow_none=True)
    latitude = fields.Float(allow_none=True, metadata={"description": "A visit's, when logged"})
    longitude = fields.Float(allow_none=True)
    accuracy = fields.Float(allow_none=True, metadata={"description": "Metres"})
    located_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
