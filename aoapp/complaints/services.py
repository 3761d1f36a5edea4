"""Complaints: receipt with its due date, lists and counts; the handling steps live in actions.py.

The due date follows OJK's consumer-complaint handling: by default COMPLAINT_DUE_WORKING_DAYS
(10) working days after the day the complaint was received, in the bank's time zone. It may be
set earlier, never later, and never before the day of receipt.
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible, scope_condition, visible_to
from aoapp.common.dates import bank_today, bank_zone, to_local, utcnow
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.plausible import too_long_ago
from aoapp.common.transaction import unit_of_work
from aoapp.common.workdays import add_working_days
from aoapp.complaints.actions import (  # noqa: F401  (the service's public face)
    ACTIONS,
    allowed_actions,
    check,
    close,
    escalate,
    hand_back,
    resolve,
    start,
)
from aoapp.complaints.models import (
    OPEN_STATUSES,
    Category,
    Complaint,
    ComplaintStatus,
    Priority,
    ReceivedChannel,
)
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db

DESCRIPTION_MAX = 4000
SORTABLE = {"due_date": Complaint.due_date, "received_at": Complaint.received_at}
ACTIVE = "active"  # list filter: every status still being handled (open, in progress, escalated)


def working_days() -> int:
    """Working days a complaint has by default (config COMPLAINT_DUE_WORKING_DAYS)."""
    return int(current_app.config.get("COMPLAINT_DUE_WORKING_DAYS", 10))


def due_date_for(received_day: date) -> date:
    """The default (and latest allowed) due date of a complaint received on that bank day."""
    return add_working_days(received_day, working_days())


def can_receive(actor, customer: Customer) -> bool:
    """The customer's officer, a supervisor of its branch, or an admin logs complaints."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.SUPERVISOR:
        return customer.branch_id in actor.supervised_branch_ids
    return customer.officer_id == actor.id


def complaint_customer(actor, customer_id) -> Customer:
    """The customer a new complaint is about: visible (else 404) and the user's to log (else 403)."""
    customer = get_visible(actor, Customer, customer_id)
    if not can_receive(actor, customer):
        raise Forbidden(_("Only the customer's officer or the branch supervisor logs complaints."))
    return customer


def _as_utc(value: datetime) -> datetime:
    """A timestamp in UTC; a naive one is the bank's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=bank_zone())
    return value.astimezone(UTC)


def _facility_id(customer: Customer, facility_id, errors: dict) -> int | None:
    if facility_id in (None, ""):
        return None
    facility = db.session.get(Facility, int(facility_id))
    if facility is None or facility.customer_id != customer.id:
        errors["facility"] = [_("This facility is not one of the customer's.")]
        return None
    return facility.id


def _codes(values: dict, errors: dict) -> None:
    """Channel, category and priority must be known codes."""
    for field, enum in (("channel", ReceivedChannel), ("category", Category)):
        if values.get(field) not in {m.value for m in enum}:
            errors[field] = [
                _("Must be one of: %(codes)s.", codes=", ".join(m.value for m in enum))
            ]
    if values["priority"] not in {m.value for m in Priority}:
        errors["priority"] = [
            _("Must be one of: %(codes)s.", codes=", ".join(m.value for m in Priority))
        ]


def _dates(values: dict, now: datetime, errors: dict) -> tuple[datetime, date]:
    """Received at (not in the future) and the due date (no later than the default)."""
    received_at = _as_utc(values.get("received_at") or now)
    if received_at > now:
        errors["received_at"] = [_("The time received cannot be in the future.")]
        return received_at, values.get("due_date")
    received_day = to_local(received_at).date()
    if too_old := too_long_ago(received_day, to_local(now).date()):
        errors["received_at"] = [too_old]
        return received_at, values.get("due_date")
    latest = due_date_for(received_day)
    due = values.get("due_date") or latest
    if due > latest:
        errors["due_date"] = [
            _(
                "At most %(days)s working days after receipt: %(day)s or earlier.",
                days=working_days(),
                day=f"{latest:%d/%m/%Y}",
            )
        ]
    elif due < received_day:
        errors["due_date"] = [
            _("The due date cannot be before the day the complaint was received.")
        ]
    return received_at, due


def receive(actor, values: dict, *, now: datetime | None = None) -> Complaint:
    """Log a customer's complaint for the customer's officer, with its due date, audited."""
    values = dict(values)
    values["priority"] = values.get("priority") or Priority.NORMAL
    customer = complaint_customer(actor, values.get("customer"))
    errors: dict[str, list[str]] = {}
    if customer.officer_id is None:
        errors["customer"] = [_("This customer has no officer; assign one first.")]
    facility_id = _facility_id(customer, values.get("facility"), errors)
    _codes(values, errors)
    description = (values.get("description") or "").strip()
    if not description:
        errors["description"] = [_("This field is required.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("At most %(num)s characters.", num=DESCRIPTION_MAX)]
    received_at, due = _dates(values, now or utcnow(), errors)
    if errors:
        raise InvalidInput(_("Check the complaint's details."), errors)
    complaint = Complaint(
        customer_id=customer.id,
        facility_id=facility_id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        channel=values["channel"],
        category=values["category"],
        priority=values["priority"],
        description=description,
        received_at=received_at,
        due_date=due,
        status=ComplaintStatus.OPEN,
        created_by_id=actor.id,
    )
    with unit_of_work():
        db.session.add(complaint)
        audit.record(actor, complaint, "create", None, audit.snapshot(complaint))
    return complaint


def get_complaint(actor, complaint_id) -> Complaint:
    """A complaint the user may see (through its customer), or NotFound."""
    return get_visible(actor, Complaint, complaint_id)


def overdue_condition(today: date):
    """SQL condition: still being handled and the due date has passed."""
    return sa.and_(Complaint.status.in_(OPEN_STATUSES), Complaint.due_date < today)


def is_overdue(complaint: Complaint, today: date | None = None) -> bool:
    """True when the complaint is still being handled after its due date."""
    return complaint.status in OPEN_STATUSES and complaint.due_date < (today or bank_today())


def filtered_query(actor, filters: dict, today: date | None = None) -> sa.Select:
    """Scoped, filtered complaints: escalations first for supervisors, then by due date.

    Filters: status (a code, or 'active'), category, priority, officer, customer, facility,
    overdue (bool), sort ('due_date' or 'received_at', '-' for descending). Resolved and closed
    complaints come after those still being handled.
    """
    today = today or bank_today()
    stmt = visible_to(actor, sa.select(Complaint)).options(
        joinedload(Complaint.customer), joinedload(Complaint.officer)
    )
    status = filters.get("status")
    if status == ACTIVE:
        stmt = stmt.where(Complaint.status.in_(OPEN_STATUSES))
    elif status:
        stmt = stmt.where(Complaint.status == status)
    for key, column in (
        ("category", Complaint.category),
        ("priority", Complaint.priority),
        ("officer", Complaint.officer_id),
        ("customer", Complaint.customer_id),
        ("facility", Complaint.facility_id),
    ):
        if filters.get(key):
            stmt = stmt.where(column == filters[key])
    if filters.get("overdue") is True:
        stmt = stmt.where(overdue_condition(today))
    elif filters.get("overdue") is False:
        stmt = stmt.where(sa.not_(overdue_condition(today)))
    if actor.role == Role.SUPERVISOR:
        stmt = stmt.order_by(sa.case((Complaint.status == ComplaintStatus.ESCALATED, 0), else_=1))
    stmt = stmt.order_by(sa.case((Complaint.status.in_(OPEN_STATUSES), 0), else_=1))
    return apply_sort(stmt, filters.get("sort"), SORTABLE, "due_date", Complaint.id)


def list_complaints(actor, filters: dict, per_page: int, today: date | None = None) -> Page:
    """One page of the complaints the user may see."""
    return paginate(filtered_query(actor, filters, today), filters.get("page", 1), per_page)


def open_counts(actor, today: date | None = None) -> dict[str, int]:
    """Complaints in the user's scope still being handled: {open, overdue, escalated}."""
    today = today or bank_today()
    stmt = sa.select(
        sa.func.count(Complaint.id),
        sa.func.coalesce(sa.func.sum(sa.case((overdue_condition(today), 1), else_=0)), 0),
        sa.func.coalesce(
            sa.func.sum(sa.case((Complaint.status == ComplaintStatus.ESCALATED, 1), else_=0)), 0
        ),
    ).where(Complaint.status.in_(OPEN_STATUSES), scope_condition(actor, Complaint))
    total, overdue, escalated = db.session.execute(stmt).one()
    return {"open": int(total), "overdue": int(overdue), "escalated": int(escalated)}


def open_counts_by_officer(actor, today: date | None = None) -> dict[int, dict[str, int]]:
    """The same counts per handling officer (the supervisor's team agenda)."""
    today = today or bank_today()
    stmt = (
        sa.select(
            Complaint.officer_id,
            sa.func.count(Complaint.id),
            sa.func.sum(sa.case((overdue_condition(today), 1), else_=0)),
            sa.func.sum(sa.case((Complaint.status == ComplaintStatus.ESCALATED, 1), else_=0)),
        )
        .where(Complaint.status.in_(OPEN_STATUSES), scope_condition(actor, Complaint))
        .group_by(Complaint.officer_id)
    )
    return {
        officer: {"open": int(total), "overdue": int(late or 0), "escalated": int(up or 0)}
        for officer, total, late, up in db.session.execute(stmt)
    }
