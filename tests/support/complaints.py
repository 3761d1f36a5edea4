"""Builders of complaints: rows inserted directly (the rules are tested through the services)."""

from datetime import UTC, date, datetime, timedelta

from aoapp.auth.models import User
from aoapp.complaints.models import Complaint
from aoapp.customers.models import Customer
from aoapp.extensions import db


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def complaint(customer: Customer, **kw) -> Complaint:
    """A complaint of `customer`, handled by its officer; open and due in two weeks by default."""
    received = kw.pop("received_at", datetime.now(UTC) - timedelta(hours=1))
    values = {
        "channel": "branch",
        "category": "billing",
        "priority": "normal",
        "description": "Charged twice for the March instalment",
        "received_at": received,
        "due_date": date.today() + timedelta(days=14),
        "status": "open",
    }
    values.update(kw)
    row = Complaint(
        customer_id=customer.id,
        officer_id=values.pop("officer_id", customer.officer_id),
        branch_id=customer.branch_id,
        **values,
    )
    db.session.add(row)
    db.session.commit()
    return row
