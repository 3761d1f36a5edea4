"""Validation rules and API shapes of handovers: officers and customers are given by their ids
(user ids and customer ids, as everywhere in the API)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from aoapp.common.schemas import BaseSchema, Id, PageArgsSchema, Text, choice
from aoapp.handovers.decisions import Decision
from aoapp.handovers.models import Handover, HandoverCustomer

NOTE_MAX = 2000
MAX_CUSTOMERS = 20_000


def change_file_url(handover_id: int) -> str:
    """The API's URL of a handover's change file."""
    return url_for("handovers_api.HandoverChangeFile", handover_id=handover_id)


class HandoverInputSchema(BaseSchema):
    """A handover: from one officer to another, all their customers or those listed."""

    from_officer = Id(
        required=True, metadata={"description": "User id of the officer handing over"}
    )
    to_officer = Id(required=True, metadata={"description": "User id of the officer taking over"})
    customers = fields.List(
        Id(),
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_CUSTOMERS),
        metadata={"description": "Customer ids; left out (or null): all the officer's customers"},
    )
    note = Text(load_default="", max_length=NOTE_MAX, metadata={"description": "Why"})


class HandoverFormSchema(HandoverInputSchema):
    """The page's form: `scope` says all customers or the ones ticked."""

    scope = fields.String(
        load_default="all",
        validate=validate.OneOf(["all", "selected"], error=_l("Choose all or some customers.")),
    )

    @validates_schema(skip_on_field_errors=False)
    def _ticked(self, data: dict, **_kwargs) -> None:
        if data.get("scope") == "selected" and not data.get("customers"):
            raise ValidationError({"customers": [_("Tick at least one customer.")]})

    @post_load
    def _scope(self, data: dict, **_kwargs) -> dict:
        if data.pop("scope") == "all":
            data["customers"] = None
        else:
            data["customers"] = data.get("customers") or []
        return data


class HandoverCreatedSchema(BaseSchema):
    """What a handover did: its id, how many customers moved, the change file's URL."""

    id = fields.Integer()
    moved = fields.Integer()
    change_file = fields.String(metadata={"description": "URL of the CSV for core banking"})


class HandoverCustomerSchema(BaseSchema):
    """One customer moved, and core banking's status of its officer code."""

    class Meta:
        model = HandoverCustomer

    customer = fields.Integer(attribute="customer_id")
    cif = fields.String(attribute="customer.cif")
    name = fields.String(attribute="customer.name")
    old_officer = fields.Integer(attribute="old_officer_id")
    new_officer = fields.Integer(attribute="new_officer_id")
    core_status = fields.String(
        metadata={"description": "pending, confirmed, conflict, reverted or superseded"}
    )
    listing_officer = fields.Integer(attribute="listing_officer_id", allow_none=True)
    status_import = fields.Integer(attribute="status_import_id", allow_none=True)


class HandoverSchema(BaseSchema):
    """A handover: who, from whom, to whom, when, why, what moved."""

    class Meta:
        model = Handover

    id = fields.Integer()
    from_officer = fields.Integer(attribute="from_officer_id")
    to_officer = fields.Integer(attribute="to_officer_id")
    by = fields.Integer(attribute="by_id")
    at = fields.DateTime()
    handed_on = fields.Date()
    note = fields.String()
    customer_count = fields.Integer()
    followup_count = fields.Integer()
    complaint_count = fields.Integer()
    plan_count = fields.Integer()
    renewal_count = fields.Integer()
    account_count = fields.Integer()
    change_file = fields.Method("_change_file", metadata={"description": "URL of the CSV"})

    def _change_file(self, handover) -> str:
        return change_file_url(handover.id)


class HandoverDetailSchema(HandoverSchema):
    """A handover with its customers."""

    customers = fields.List(fields.Nested(HandoverCustomerSchema), attribute="rows")


class HandoverListArgsSchema(PageArgsSchema):
    """The page of the list."""


class DecisionSchema(BaseSchema):
    """The admin's decision on customers a listing contradicts (all in conflict, or those ticked)."""

    decision = choice(Decision, required=True)
    customers = fields.List(Id(), load_default=None, allow_none=True)
    import_id = Id(load_default=None, allow_none=True)
