"""Builders of follow-ups, promises, complaints and positions with arrears (plain inserts)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import deadline_for
from tests.support import credit_visits
from tests.support.factories import make_customer


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def today() -> date:
    return bank_today()


def days(n: int) -> date:
    """Today plus `n` days (negative: in the past)."""
    return bank_today() + timedelta(days=n)


def debtor(officer, **kw) -> tuple[Customer, Facility]:
    """A customer of `officer` with one facility."""
    customer = make_customer(officer, **kw)
    return customer, credit_visits.facility(customer)


def followup(owner, *, customer=None, prospect=None, facility=None, **kw) -> FollowUp:
    """A follow-up inserted directly: planned for today, a call, collection if about a facility."""
    if facility is not None and customer is None:
        customer = db.session.get(Customer, facility.customer_id)
    values = {
        "customer_id": customer.id if customer else None,
        "prospect_id": prospect.id if prospect else None,
        "facility_id": facility.id if facility else None,
        "owner_id": owner.id,
        "created_by_id": owner.id,
        "channel": "call",
        "purpose": "collection" if facility else "relationship",
        "planned_date": bank_today(),
        "status": "planned",
    }
    values.update(kw)
    row = FollowUp(**values)
    db.session.add(row)
    db.session.commit()
    return row


def promise(row: FollowUp, amount="1000000", promised_on=None, promised_date=None) -> PromiseToPay:
    """A promise recorded on a (done) follow-up about a facility."""
    promised_on = promised_on or row.planned_date
    promised_date = promised_date or promised_on + timedelta(days=7)
    row.status, row.outcome = "done", "promised_to_pay"
    row.done_at = datetime.combine(promised_on, datetime.min.time(), UTC)
    made = PromiseToPay(
        follow_up_id=row.id,
        facility_id=row.facility_id,
        customer_id=row.customer_id,
        officer_id=row.owner_id,
        promised_amount=Decimal(str(amount)),
        promised_date=promised_date,
        promised_on=promised_on,
        deadline=deadline_for(promised_date),
    )
    db.session.add(made)
    db.session.commit()
    return made


def position(facility: Facility, as_of: date, arrears, dpd: int) -> Position:
    """A position of `facility` with `arrears` in principal (Kol from the DPD)."""
    row = credit_visits.position(facility, as_of, dpd)
    row.arrears_principal, row.arrears_interest = Decimal(str(arrears)), Decimal("0.00")
    db.session.commit()
    return row


def complaint(customer: Customer, status: str = "open", **kw) -> Complaint:
    """A complaint handled by the customer's officer."""
    values = {
        "customer_id": customer.id,
        "officer_id": customer.officer_id,
        "branch_id": customer.branch_id,
        "channel": "call",
        "category": "billing",
        "description": "Charged twice",
        "received_at": datetime(2025, 1, 6, 2, 0, tzinfo=UTC),
        "due_date": date(2025, 1, 20),
        "status": status,
    }
    values.update(kw)
    row = Complaint(**values)
    db.session.add(row)
    db.session.commit()
    return row


def audits(entity: str, entity_id: int | None = None) -> list[AuditEntry]:
    """Audit entries of one kind of record (or one record), oldest first."""
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def reload(row):
    """The row as stored now."""
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def count(model=FollowUp) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
