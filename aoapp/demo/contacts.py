"""Demo follow-ups with the hand-entered customers and prospects, and complaints in every status.

Dates are relative to today, so the agenda has something overdue, something today and something
in the coming days whenever the demo is loaded. Natural keys never contain a date.
"""

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import current_app

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.common.workdays import add_working_days
from aoapp.complaints.models import Complaint
from aoapp.customers.models import Customer
from aoapp.demo import data
from aoapp.demo.collection import local_time
from aoapp.extensions import db
from aoapp.followups.models import FollowUpStatus
from aoapp.prospects.models import Prospect

# (party: "c" customer / "p" prospect, number), purpose, channel, days from today, time,
# outcome (None: still planned), notes.
CONTACTS = [
    (("c", 1), "relationship", "whatsapp", -60, None, "reached", "Greetings for Lebaran; asked about the new shop front."),
    (("c", 2), "product_offer", "visit", -40, (10, 0), "interested", "Offered mobile banking for the shop's payments; wants a demo."),
    (("c", 5), "monitoring", "visit", -25, (9, 30), "reached", "Factory runs two shifts; collateral in good order."),
    (("c", 3), "document_request", "email", -15, None, "not_reached", "Asked for the 2025 financial statements; no answer yet."),
    (("c", 3), "document_request", "whatsapp", -2, None, None, "Chase the 2025 financial statements for the annual review."),
    (("c", 2), "product_offer", "meeting", 0, (10, 0), None, "Mobile banking demo at the shop."),
    (("c", 6), "relationship", "call", 1, (14, 0), None, "Welcome call: savings account opened last month."),
    (("c", 1), "complaint", "call", 1, None, None, "Call back about the admin fee charged twice."),
    (("c", 5), "monitoring", "visit", 3, (9, 0), None, "Quarterly monitoring visit: stock and collateral."),
    (("c", 4), "relationship", "call", 5, None, None, "Mortgage anniversary call; ask about plans for a car."),
    (("p", 4), "relationship", "call", -9, None, "reached", "Introduced the bank; she caters for two offices."),
    (("p", 6), "product_offer", "whatsapp", -5, None, "interested", "Sent the KUR brochure; interested, needs time."),
    (("p", 1), "relationship", "call", 0, (11, 0), None, "First call after the walk-in visit."),
    (("p", 5), "product_offer", "visit", -1, (15, 0), None, "Present the investment loan at the shop."),
    (("p", 3), "product_offer", "whatsapp", 2, None, None, "Send the working capital loan simulation."),
    (("p", 7), "document_request", "whatsapp", 4, None, None, "Collect the business licence (NIB) for the application."),
]  # fmt: skip

# customer number, category, channel, priority, received days ago, status, description, text
# (the escalation reason or the resolution).
COMPLAINTS = [
    (1, "billing", "branch", "normal", 3, "open", "Charged the savings admin fee twice this month.", None),
    (2, "interest_rate", "call", "high", 25, "in_progress", "Says the working capital rate rose without notice.", None),
    (3, "collection_conduct", "whatsapp", "urgent", 8, "escalated", "A collector phoned the business partner about the arrears.", "Conduct of a third-party collector: needs the supervisor."),
    (4, "service", "email", "low", 30, "resolved", "Waited 90 minutes at the branch for a mortgage statement.", "Statement sent by email; apologised and explained the queue tickets."),
    (5, "data", "letter", "normal", 60, "closed", "The company address on the statement is outdated.", "Address corrected in the core system; new statement sent."),
]  # fmt: skip


def _customer(officer_no: int, number: int) -> Customer | None:
    cif = data.customer_keys(officer_no, number)["cif"]
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def _prospect(officer: User, officer_no: int, number: int) -> Prospect | None:
    phone = data.prospect_phone(officer_no, number)
    stmt = sa.select(Prospect).where(Prospect.owner_id == officer.id, Prospect.phone == phone)
    return db.session.scalar(stmt)


def seed_contacts(rec, officer: User, officer_no: int, today: date) -> None:
    """Relationship, offer, monitoring and document follow-ups, done and planned."""
    for (kind, number), purpose, channel, offset, at, outcome, notes in CONTACTS:
        if kind == "c":
            party = _customer(officer_no, number)
            key = {"customer_id": party.id if party else None}
        else:
            party = _prospect(officer, officer_no, number)
            key = {"prospect_id": party.id if party else None}
        if party is None:
            continue
        day = today + timedelta(days=offset)
        values = {**key, "purpose": purpose, "channel": channel, "planned_date": day}
        values.update(notes=notes, planned_time=time(*at) if at else None)
        if outcome is not None:
            values.update(
                status=FollowUpStatus.DONE,
                outcome=outcome,
                done_at=local_time(day, *(at or (10, 0))),
            )
        rec.followup(officer, values)


def _complaint_values(officer: User, customer: Customer, row, today: date) -> dict:
    _n, category, channel, priority, ago, status, description, text = row
    received_day = today - timedelta(days=ago)
    received_at = local_time(received_day, 9, 15)
    due = add_working_days(received_day, current_app.config["COMPLAINT_DUE_WORKING_DAYS"])
    values = {
        "customer_id": customer.id,
        "officer_id": customer.officer_id or officer.id,
        "branch_id": customer.branch_id,
        "channel": channel,
        "category": category,
        "priority": priority,
        "description": description,
        "received_at": received_at,
        "due_date": due,
        "status": status,
        "created_by_id": officer.id,
        "created_at": received_at,
    }
    if status == "escalated":
        values.update(
            escalated_at=local_time(today - timedelta(days=2), 14),
            escalated_by_id=officer.id,
            escalation_reason=text,
        )
    if status in ("resolved", "closed"):
        values.update(
            resolution=text,
            resolved_at=local_time(received_day + timedelta(days=4), 16),
            resolved_by_id=officer.id,
        )
    if status == "closed":
        values["closed_at"] = local_time(received_day + timedelta(days=9), 11)
    return values


def seed_complaints(rec, officer: User, officer_no: int, today: date) -> None:
    """One complaint in each status; the in-progress one is past its due date."""
    for row in COMPLAINTS:
        customer = _customer(officer_no, row[0])
        if customer is None:
            continue
        exists = db.session.scalar(
            sa.select(Complaint.id).where(
                Complaint.customer_id == customer.id,
                Complaint.category == row[1],
                Complaint.description == row[6],
            )
        )
        if exists:
            rec.present["complaints"] += 1
            continue
        complaint = Complaint(**_complaint_values(officer, customer, row, today))
        db.session.add(complaint)
        audit.record(officer, complaint, "create", None, audit.snapshot(complaint))
        rec.created["complaints"] += 1
