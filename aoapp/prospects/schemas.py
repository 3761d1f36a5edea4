"""Validation rules for prospects, used by both the web forms and the API."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from aoapp.common.plausible import not_in_future, within_horizon
from aoapp.common.schemas import (
    BaseSchema,
    Cif,
    Day,
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
    search_field,
    sort_field,
)
from aoapp.customers.models import CustomerType, Segment
from aoapp.prospects.models import (
    LostReason,
    Prospect,
    ProspectSource,
    ProspectStatus,
    ProspectStatusChange,
)

FOLLOW_UP_DUE = ["overdue", "today", "this_week"]
SORT_KEYS = [
    "name",
    "status",
    "source",
    "next_follow_up_date",
    "estimated_credit_need",
    "created_at",
]


class ProspectInputSchema(BaseSchema):
    """Fields an officer enters when collecting or editing a prospect."""

    name = Text(required=True, max_length=120)
    phone = Phone(required=True)
    email = fields.Email(allow_none=True, load_default=None)  # message: aoapp.common.schemas
    nik = Nik(allow_none=True, load_default=None)
    address = Text(load_default="", max_length=500)
    area = Text(load_default="", max_length=120)
    business_type = Text(load_default="", max_length=120)
    estimated_credit_need = Money(allow_none=True, load_default=None)
    product_interest = Text(allow_none=True, load_default=None, max_length=20)  # product code
    source = choice(ProspectSource, required=True)
    referrer_customer = Id(allow_none=True, load_default=None)  # customer id
    referrer_name = Text(allow_none=True, load_default=None, max_length=120)
    campaign_id = Id(
        allow_none=True,
        load_default=None,
        metadata={"description": "A campaign that runs in the owner's branch."},
    )
    next_follow_up_date = fields.Date(
        allow_none=True,
        load_default=None,
        validate=within_horizon,
        metadata={
            "description": "The next contact, today or later: plans a follow-up (a call about "
            "products) on that day, moves the earliest planned one there, or cancels it when null."
        },
    )
    notes = Text(load_default="", max_length=4000)
    allow_duplicate_phone = fields.Boolean(load_default=False, load_only=True)


class ProspectEditSchema(ProspectInputSchema):
    """The edit form: every field, and the version the officer opened."""

    version = Version()


class ProspectUpdateSchema(ProspectInputSchema):
    """Edit: every field optional, plus a status change (with a reason when closing)."""

    status = choice(ProspectStatus)
    version = Version()
    lost_reason = choice(LostReason, allow_none=True)
    lost_note = Text(allow_none=True, max_length=2000)


class StatusChangeSchema(BaseSchema):
    """Move a prospect along the pipeline; rejected/lost need a reason."""

    status = choice(ProspectStatus, required=True)
    lost_reason = choice(LostReason, allow_none=True, load_default=None)
    lost_note = Text(allow_none=True, load_default=None, max_length=2000)

    @validates_schema
    def reason_when_closing(self, data, **kwargs):
        """Rejected or lost prospects must say why."""
        if data.get("status") in {ProspectStatus.REJECTED, ProspectStatus.LOST} and not data.get(
            "lost_reason"
        ):
            raise ValidationError(
                _("A reason is required when a prospect is rejected or lost."), "lost_reason"
            )


class ConvertSchema(BaseSchema):
    """Data the core banking system gives a new customer: the CIF number and classification."""

    cif = Cif(required=True, validate=[_at_most(30)])
    customer_type = choice(CustomerType, load_default=CustomerType.INDIVIDUAL)
    segment = choice(Segment, required=True)
    npwp = Npwp(allow_none=True, load_default=None)
    since = fields.Date(allow_none=True, load_default=None, validate=not_in_future)


class ProspectFilterSchema(PageArgsSchema):
    """List filters shared by the page and the API."""

    status = choice(ProspectStatus, load_default=None, allow_none=True)
    source = choice(ProspectSource, load_default=None, allow_none=True)
    owner = Id(load_default=None, allow_none=True)
    campaign = Id(load_default=None, allow_none=True, metadata={"description": "Campaign id."})
    created_from = Day(
        load_default=None,
        allow_none=True,
        metadata={"description": "Collected on or after this day (bank time zone)."},
    )
    created_to = Day(
        load_default=None,
        allow_none=True,
        metadata={"description": "Collected on or before this day (bank time zone)."},
    )
    follow_up = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            FOLLOW_UP_DUE, error=_l("Must be one of: overdue, today, this_week.")
        ),
    )
    q = search_field("Words of the name, or digits of the phone in any form.")
    sort = sort_field(SORT_KEYS)


class StatusChangeOutSchema(BaseSchema):
    """One entry of a prospect's pipeline history."""

    class Meta:
        model = ProspectStatusChange

    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    changed_on = fields.Date()
    changed_at = fields.DateTime()
    changed_by = fields.Function(lambda c: c.changed_by.username)


class ProspectSummarySchema(BaseSchema):
    """A prospect as API lists return it (without its history)."""

    class Meta:
        model = Prospect

    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    nik = fields.String(allow_none=True)
    address = fields.String()
    area = fields.String()
    business_type = fields.String()
    estimated_credit_need = fields.Decimal(allow_none=True, as_string=True, places=2)
    product_interest = fields.Function(
        lambda p: p.product_interest.code if p.product_interest else None
    )
    source = fields.String()
    referrer_customer = fields.Integer(allow_none=True, attribute="referrer_customer_id")
    referrer_name = fields.String(allow_none=True)
    campaign_id = fields.Integer(allow_none=True)
    campaign_name = fields.Function(lambda p: p.campaign.name if p.campaign else None)
    owner = fields.Integer(attribute="owner_id")
    owner_username = fields.Function(lambda p: p.owner.username)
    branch = fields.Function(lambda p: p.owner.branch.code if p.owner.branch else None)
    status = fields.String()
    lost_reason = fields.String(allow_none=True)
    lost_note = fields.String(allow_none=True)
    next_follow_up_date = fields.Date(
        allow_none=True,
        metadata={"description": "Day of the earliest planned follow-up (read from follow-ups)."},
    )
    version = fields.Integer()
    notes = fields.String()
    customer = fields.Integer(allow_none=True, attribute="customer_id")
    converted_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProspectSchema(ProspectSummarySchema):
    """One prospect as the API returns it, with its pipeline history."""

    history = fields.List(fields.Nested(StatusChangeOutSchema))
