"""Builders of the agenda's rows: follow-ups, complaints, promises and debtors at a given DPD."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from aoapp.common.dates import bank_today
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.followups.models import PromiseToPay
from aoapp.followups.promises import deadline_for
from tests.support import credit_visits
from tests.support.factories import make_customer
from tests.support.followups import followup

_seq = itertools.count(1)
LISTING = date(2026, 10, 31)


def days(n: int, today: date | None = None) -> date:
    """`today` (default: the bank's today) plus `n` days."""
    return (today or bank_today()) + timedelta(days=n)


def debtor(officer, dpd: int | None = None, as_of: date = LISTING, **kw) -> Facility:
    """A facility of a new customer of `officer`, with a position at `dpd` when given."""
    customer = make_customer(officer, **kw)
    facility = credit_visits.facility(customer)
    if dpd is not None:
        credit_visits.position(facility, as_of, dpd)
    return facility


def complaint(customer, **kw) -> Complaint:
    """An open complaint handled by the customer's officer, due in 10 days."""
    values = {
        "customer_id": customer.id,
        "officer_id": customer.officer_id,
        "branch_id": customer.branch_id,
        "channel": "call",
        "category": "billing",
        "priority": "normal",
        "description": f"Complaint {next(_seq)}",
        "received_at": datetime.now(UTC) - timedelta(days=3),
        "due_date": days(10),
        "status": "open",
    }
    values.update(kw)
    row = Complaint(**values)
    db.session.add(row)
    db.session.commit()
    return row


def promise(
    facility, owner, promised_on: date, promised_date: date, amount="1000000"
) -> PromiseToPay:
    """A promise recorded on a done collection follow-up of the facility."""
    done = followup(
        owner,
        facility=facility,
        status="done",
        outcome="promised_to_pay",
        planned_date=promised_on,
        done_at=datetime.combine(promised_on, datetime.min.time(), UTC),
    )
    row = PromiseToPay(
        follow_up_id=done.id,
        facility_id=facility.id,
        customer_id=facility.customer_id,
        officer_id=owner.id,
        promised_amount=Decimal(amount),
        promised_date=promised_date,
        promised_on=promised_on,
        deadline=deadline_for(promised_date),
    )
    db.session.add(row)
    db.session.commit()
    return row


def position(facility, as_of: date, dpd: int, arrears: str) -> None:
    """A position of the facility with these arrears (principal only)."""
    row = credit_visits.position(facility, as_of, dpd)
    row.arrears_principal, row.arrears_interest = Decimal(arrears), Decimal("0.00")
    db.session.commit()
