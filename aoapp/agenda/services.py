"""The officer's agenda: planned follow-ups and open complaints, grouped by day and by priority.

An agenda is built with a constant number of queries whatever its size: one for the follow-ups
(with their party and facility), one for the complaints, one for the facilities' latest
positions and one for their promises to pay (the state computed in SQL).
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from aoapp.common.collection_window import WindowState
from aoapp.common.dates import bank_today
from aoapp.complaints.models import OPEN_STATUSES, Complaint, Priority
from aoapp.credit.services import latest_positions
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseState, PromiseToPay, Purpose
from aoapp.followups.promises import state_column

HORIZON_DAYS = 7  # "next 7 days": tomorrow up to today + 7
GROUPS = ("overdue", "today", "next_7_days")
GROUP_TITLES = {"overdue": _l("Overdue"), "today": _l("Today"), "next_7_days": _l("Next 7 days")}
# After collection (by DPD) and complaints, other follow-ups in this order of purpose (retention:
# funds about to leave, a maturing deposito or a large withdrawal).
PURPOSE_ORDER = {
    Purpose.COMPLAINT: 0,
    Purpose.RETENTION: 1,
    Purpose.MONITORING: 2,
    Purpose.DOCUMENT_REQUEST: 3,
    Purpose.PRODUCT_OFFER: 4,
    Purpose.RELATIONSHIP: 5,
}
PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}
# A promise worth showing beside a follow-up: still awaited, or broken (chase it).
SHOWN_PROMISE_STATES = (PromiseState.PENDING, PromiseState.BROKEN)


@dataclass(frozen=True)
class FacilityFacts:
    """A facility as the agenda shows it: account and its latest position."""

    id: int
    account_no: str
    dpd: int | None
    kol: int | None  # effective (debtor) Kol
    outstanding: Decimal | None
    as_of: date | None


@dataclass(frozen=True)
class PromiseFacts:
    """The facility's latest promise to pay, when pending or broken."""

    id: int
    amount: Decimal
    promised_date: date
    deadline: date
    state: str


@dataclass
class AgendaItem:
    """One line of the agenda: a planned follow-up or an open complaint."""

    kind: str  # "follow_up" | "complaint"
    id: int
    group: str
    day: date  # planned date, or the complaint's due date
    time: time | None
    purpose: str  # follow-up purpose; "complaint" for a complaint
    channel: str | None
    party_type: str  # "customer" | "prospect"
    party_id: int
    party_name: str
    phone: str | None
    facility: FacilityFacts | None = None
    promise: PromiseFacts | None = None
    suggested: bool = False
    escalated: bool = False
    notes: str = ""
    # Complaints only.
    priority: str | None = None
    category: str | None = None
    status: str | None = None
    links: dict = field(default_factory=dict)  # tel / whatsapp, added by agenda.messages
    # Collection follow-ups with a customer: whose window (branch time zone, consent) applies,
    # and whether contact is allowed now (set with the links by agenda.messages).
    collection_customer: object = field(default=None, repr=False)
    collection: WindowState | None = None

    @property
    def party(self) -> "AgendaItem":
        """The item itself, read by the API's party schema (type, id, name, phone)."""
        return self

    @property
    def overdue(self) -> bool:
        return self.group == "overdue"

    @property
    def is_complaint(self) -> bool:
        return self.kind == "complaint"

    @property
    def planned_date(self) -> date | None:
        return None if self.is_complaint else self.day

    @property
    def planned_time(self) -> time | None:
        return self.time

    @property
    def due_date(self) -> date | None:
        return self.day if self.is_complaint else None


@dataclass
class Agenda:
    """An officer's agenda on one day, in three groups."""

    today: date
    overdue: list[AgendaItem]
    today_items: list[AgendaItem]
    next_7_days: list[AgendaItem]

    def groups(self) -> list[tuple[str, str, list[AgendaItem]]]:
        """(code, title, items) of each group, in page order."""
        items = (self.overdue, self.today_items, self.next_7_days)
        return [
            (code, GROUP_TITLES[code], group) for code, group in zip(GROUPS, items, strict=True)
        ]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today_items) + len(self.next_7_days)


def group_of(day: date, today: date) -> str | None:
    """Which group a date falls in, or None beyond the horizon."""
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day <= today + timedelta(days=HORIZON_DAYS):
        return "next_7_days"
    return None


def sort_key(item: AgendaItem) -> tuple:
    """Priority within a group: collection (escalated, then highest DPD), complaints, the rest."""
    tie = (item.day, item.time is None, item.time or time.min, item.id)
    if item.kind == "follow_up" and item.purpose == Purpose.COLLECTION:
        dpd = item.facility.dpd if item.facility and item.facility.dpd is not None else -1
        return (0, not item.escalated, -dpd, *tie)
    if item.is_complaint:
        return (1, PRIORITY_ORDER.get(item.priority, 9), 0, *tie)
    return (2, PURPOSE_ORDER.get(item.purpose, 9), 0, *tie)


def planned_followups(
    owner_id: int, until: date | None = None, since: date | None = None
) -> list[FollowUp]:
    """The owner's planned follow-ups (from `since`, up to `until`), party and facility loaded."""
    stmt = (
        sa.select(FollowUp)
        .options(
            joinedload(FollowUp.customer).joinedload(Customer.branch),
            joinedload(FollowUp.prospect),
            joinedload(FollowUp.facility),
        )
        .where(
            FollowUp.owner_id == owner_id,
            FollowUp.status == FollowUpStatus.PLANNED,
        )
    )
    if until is not None:
        stmt = stmt.where(FollowUp.planned_date <= until)
    if since is not None:
        stmt = stmt.where(FollowUp.planned_date >= since)
    return list(db.session.scalars(stmt.order_by(FollowUp.planned_date, FollowUp.id)))


def open_complaints(officer_id: int, until: date) -> list[Complaint]:
    """Open complaints the officer handles, due up to `until`, customer and facility loaded."""
    stmt = (
        sa.select(Complaint)
        .options(joinedload(Complaint.customer), joinedload(Complaint.facility))
        .where(
            Complaint.officer_id == officer_id,
            Complaint.status.in_([s.value for s in OPEN_STATUSES]),
            Complaint.due_date <= until,
        )
    )
    return list(db.session.scalars(stmt.order_by(Complaint.due_date, Complaint.id)))


def shown_promises(facility_ids, today: date) -> dict[int, PromiseFacts]:
    """The latest promise of each facility, by facility id, when it is pending or broken."""
    if not facility_ids:
        return {}
    state = state_column(today).label("state")
    stmt = (
        sa.select(PromiseToPay, state)
        .where(PromiseToPay.facility_id.in_(sorted(facility_ids)))
        .order_by(PromiseToPay.facility_id, PromiseToPay.promised_on.desc(), PromiseToPay.id.desc())
    )
    result: dict[int, PromiseFacts] = {}
    seen = set()
    for promise, promise_state in db.session.execute(stmt):
        if promise.facility_id in seen:
            continue
        seen.add(promise.facility_id)
        if promise_state in SHOWN_PROMISE_STATES:
            result[promise.facility_id] = PromiseFacts(
                promise.id,
                promise.promised_amount,
                promise.promised_date,
                promise.deadline,
                promise_state,
            )
    return result


def facility_facts(facilities) -> dict[int, FacilityFacts]:
    """Account number and latest position of each facility (one query), by facility id."""
    by_id = {f.id: f for f in facilities if f is not None}
    positions = latest_positions(sorted(by_id))
    facts = {}
    for facility_id, facility in by_id.items():
        position = positions.get(facility_id)
        facts[facility_id] = FacilityFacts(
            facility_id,
            facility.account_no,
            position.dpd if position else None,
            position.debtor_kol if position else None,
            position.outstanding if position else None,
            position.as_of if position else None,
        )
    return facts


def _followup_item(followup: FollowUp, group: str, facts, promises) -> AgendaItem:
    party = followup.customer or followup.prospect
    return AgendaItem(
        kind="follow_up",
        id=followup.id,
        group=group,
        day=followup.planned_date,
        time=followup.planned_time,
        purpose=followup.purpose,
        channel=followup.channel,
        party_type="customer" if followup.customer_id else "prospect",
        party_id=party.id,
        party_name=party.name,
        phone=party.phone,
        facility=facts.get(followup.facility_id),
        promise=promises.get(followup.facility_id),
        suggested=followup.suggestion is not None,
        escalated=bool(followup.escalated),
        notes=followup.shown_notes,
        collection_customer=(followup.customer if followup.purpose == Purpose.COLLECTION else None),
    )


def _complaint_item(complaint: Complaint, group: str, facts) -> AgendaItem:
    return AgendaItem(
        kind="complaint",
        id=complaint.id,
        group=group,
        day=complaint.due_date,
        time=None,
        purpose=Purpose.COMPLAINT.value,
        channel=complaint.channel,
        party_type="customer",
        party_id=complaint.customer_id,
        party_name=complaint.customer.name,
        phone=complaint.customer.phone,
        facility=facts.get(complaint.facility_id),
        escalated=complaint.status == "escalated",
        notes=complaint.description,
        priority=complaint.priority,
        category=complaint.category,
        status=complaint.status,
    )


def agenda_for(officer, today: date | None = None) -> Agenda:
    """The officer's agenda: overdue, today and the next 7 days, each sorted by priority."""
    today = today or bank_today()
    until = today + timedelta(days=HORIZON_DAYS)
    followups = planned_followups(officer.id, until)
    complaints = open_complaints(officer.id, until)
    facilities = [f.facility for f in followups] + [c.facility for c in complaints]
    facts = facility_facts(facilities)
    collection = {f.facility_id for f in followups if f.facility_id is not None}
    promises = shown_promises(collection, today)
    items = [_followup_item(f, group_of(f.planned_date, today), facts, promises) for f in followups]
    items += [_complaint_item(c, group_of(c.due_date, today), facts) for c in complaints]
    grouped = {code: [] for code in GROUPS}
    for item in items:
        grouped[item.group].append(item)
    for group in grouped.values():
        group.sort(key=sort_key)
    return Agenda(today, grouped["overdue"], grouped["today"], grouped["next_7_days"])
