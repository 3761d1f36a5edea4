"""API shapes of the agenda and the team agenda (codes, not labels; money as strings)."""

from marshmallow import fields

from aoapp.agenda.services import Agenda, AgendaItem, FacilityFacts, PromiseFacts
from aoapp.agenda.team import BrokenPromise, OfficerRow, TeamAgenda
from aoapp.common.collection_window import WindowState
from aoapp.common.schemas import BaseSchema
from aoapp.complaints.models import Complaint
from aoapp.followups.models import FollowUp


class AgendaPartySchema(BaseSchema):
    """Who the item is with."""

    class Meta:
        model = AgendaItem

    type = fields.String(attribute="party_type")
    id = fields.Integer(attribute="party_id")
    name = fields.String(attribute="party_name")
    phone = fields.String(attribute="phone", allow_none=True)


class AgendaFacilitySchema(BaseSchema):
    """The facility and its latest position."""

    class Meta:
        model = FacilityFacts

    id = fields.Integer()
    account_no = fields.String()
    dpd = fields.Integer(allow_none=True)
    kol = fields.Integer(allow_none=True)
    outstanding = fields.Decimal(as_string=True, allow_none=True)
    as_of = fields.Date(allow_none=True)


class AgendaPromiseSchema(BaseSchema):
    """The facility's latest promise to pay, when pending or broken."""

    class Meta:
        model = PromiseFacts

    id = fields.Integer()
    amount = fields.Decimal(as_string=True)
    date = fields.Date(attribute="promised_date")
    deadline = fields.Date()
    state = fields.String()


class AgendaLinksSchema(BaseSchema):
    """One-tap contact links."""

    tel = fields.String()
    whatsapp = fields.String()


class CollectionContactSchema(BaseSchema):
    """Whether collection contact is allowed now, in the customer's local time (POJK 22/2023)."""

    class Meta:
        model = WindowState

    allowed = fields.Boolean(metadata={"description": "Contact about arrears allowed now"})
    by_consent = fields.Boolean(
        metadata={"description": "Allowed only by the hours the customer agreed to"}
    )
    time_zone = fields.String(attribute="zone", metadata={"example": "Asia/Makassar"})
    time_zone_label = fields.String(attribute="zone_label", metadata={"example": "WITA"})
    next_allowed_at = fields.DateTime(
        attribute="next_at",
        allow_none=True,
        metadata={"description": "Next allowed moment, local time with its offset; null if now"},
    )
    reason = fields.String(
        allow_none=True, metadata={"description": "Why not now (Accept-Language)"}
    )


class AgendaItemSchema(BaseSchema):
    """A planned follow-up or an open complaint on the agenda."""

    class Meta:
        model = AgendaItem

    kind = fields.String()
    id = fields.Integer()
    purpose = fields.String()
    channel = fields.String(allow_none=True)
    planned_date = fields.Date(allow_none=True)
    planned_time = fields.Time(allow_none=True)
    due_date = fields.Date(allow_none=True)
    party = fields.Nested(AgendaPartySchema)
    facility = fields.Nested(AgendaFacilitySchema, allow_none=True)
    promise = fields.Nested(AgendaPromiseSchema, allow_none=True)
    suggested = fields.Boolean()
    escalated = fields.Boolean()
    overdue = fields.Boolean()
    priority = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    notes = fields.String()
    links = fields.Nested(AgendaLinksSchema)
    collection_contact = fields.Nested(
        CollectionContactSchema, attribute="collection", allow_none=True
    )


class AgendaSchema(BaseSchema):
    """The caller's agenda: overdue, today and the next 7 days."""

    class Meta:
        model = Agenda

    as_of = fields.Date(attribute="today")
    overdue = fields.List(fields.Nested(AgendaItemSchema))
    today = fields.List(fields.Nested(AgendaItemSchema), attribute="today_items")
    next_7_days = fields.List(fields.Nested(AgendaItemSchema))


class TeamArgsSchema(BaseSchema):
    """Query arguments of the team agenda."""

    branch = fields.Integer(load_default=None, allow_none=True)


class OfficerRowSchema(BaseSchema):
    """One officer's workload."""

    class Meta:
        model = OfficerRow

    officer = fields.Function(
        lambda row: {
            "id": row.officer.id,
            "username": row.officer.username,
            "name": row.officer.display_name,
            "officer_code": row.officer.officer_code,
        }
    )
    overdue = fields.Integer()
    today = fields.Integer()
    next_7_days = fields.Integer()
    open_complaints = fields.Integer()
    overdue_complaints = fields.Integer()


class TeamFollowUpSchema(BaseSchema):
    """An escalated follow-up waiting for the supervisor."""

    class Meta:
        model = FollowUp

    id = fields.Integer()
    owner = fields.Integer(attribute="owner_id")
    customer = fields.Integer(attribute="customer_id", allow_none=True)
    customer_name = fields.Function(lambda f: f.party.name)
    facility = fields.Integer(attribute="facility_id", allow_none=True)
    planned_date = fields.Date()
    suggestion = fields.String(allow_none=True)
    suggested_dpd = fields.Integer(allow_none=True)


class TeamComplaintSchema(BaseSchema):
    """An escalated or overdue complaint."""

    class Meta:
        model = Complaint

    id = fields.Integer()
    officer = fields.Integer(attribute="officer_id")
    customer = fields.Integer(attribute="customer_id")
    customer_name = fields.Function(lambda c: c.customer.name)
    category = fields.String()
    priority = fields.String()
    status = fields.String()
    due_date = fields.Date()
    escalated_at = fields.DateTime(allow_none=True)


class BrokenPromiseSchema(BaseSchema):
    """A facility's latest promise, broken."""

    class Meta:
        model = BrokenPromise

    id = fields.Function(lambda b: b.promise.id)
    facility = fields.Function(lambda b: b.promise.facility_id)
    account_no = fields.Function(lambda b: b.promise.facility.account_no)
    customer = fields.Function(lambda b: b.customer.id)
    customer_name = fields.Function(lambda b: b.customer.name)
    officer = fields.Function(lambda b: b.officer.id if b.officer else None)
    amount = fields.Function(lambda b: str(b.promise.promised_amount))
    date = fields.Function(lambda b: b.promise.promised_date.isoformat())
    deadline = fields.Function(lambda b: b.promise.deadline.isoformat())


class TeamAgendaSchema(BaseSchema):
    """The supervisor's team agenda."""

    class Meta:
        model = TeamAgenda

    as_of = fields.Date(attribute="today")
    branches = fields.Function(lambda a: [b.code for b in a.branches])
    officers = fields.List(fields.Nested(OfficerRowSchema), attribute="rows")
    escalated_followups = fields.List(fields.Nested(TeamFollowUpSchema))
    escalated_complaints = fields.List(fields.Nested(TeamComplaintSchema))
    broken_promises = fields.List(fields.Nested(BrokenPromiseSchema))
    overdue_complaints = fields.List(fields.Nested(TeamComplaintSchema))
