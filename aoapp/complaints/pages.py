"""What the complaint pages show beyond the record: its timeline, the customer page's section."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.complaints.models import Complaint
from aoapp.complaints.services import can_receive, filtered_query
from aoapp.customers.hooks import customer_section as on_customer_page
from aoapp.customers.models import Customer
from aoapp.extensions import db


@dataclass
class Step:
    """One step of a complaint's timeline, from the record's own fields."""

    kind: str
    at: datetime
    by: object | None = None
    text: str | None = None


def timeline(complaint: Complaint) -> list[Step]:
    """Received, escalated (reason), handed back (note), resolved (resolution), closed; by time.

    Only the latest escalation and hand-back are on the record; the audit history keeps all.
    """
    steps = [Step("received", complaint.received_at, complaint.created_by)]
    if complaint.escalated_at:
        steps.append(
            Step(
                "escalated",
                complaint.escalated_at,
                complaint.escalated_by,
                complaint.escalation_reason,
            )
        )
    if complaint.handed_back_at:
        steps.append(Step("handed_back", complaint.handed_back_at, None, complaint.supervisor_note))
    if complaint.resolved_at:
        steps.append(
            Step("resolved", complaint.resolved_at, complaint.resolved_by, complaint.resolution)
        )
    if complaint.closed_at:
        steps.append(Step("closed", complaint.closed_at))
    return sorted(steps, key=lambda step: step.at)


@dataclass
class CustomerComplaints:
    """The complaints section of the customer page."""

    items: list
    total: int
    can_record: bool
    today: date


@on_customer_page("complaints")
def customer_section(actor, customer: Customer, limit: int = 20) -> CustomerComplaints:
    """The customer's complaints (still handled first, by due date) for the customer page."""
    stmt = filtered_query(actor, {"customer": customer.id})
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = list(db.session.scalars(stmt.limit(limit)).unique())
    return CustomerComplaints(items, total or 0, can_receive(actor, customer), bank_today())
