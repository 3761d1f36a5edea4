"""Monitoring visits: record, correct, delete (the customer's officer) and list; each call one unit."""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.plausible import beyond_horizon, too_long_ago
from aoapp.common.transaction import unit_of_work
from aoapp.credit.models import Facility, MonitoringVisit, RiskRating
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db

SORTABLE = {
    "visit_date": MonitoringVisit.visit_date,
    "risk_rating": MonitoringVisit.risk_rating,
    "next_visit_date": MonitoringVisit.next_visit_date,
}
CHECKED = ("visit_date", "next_visit_date", "risk_rating", "collateral_value")


def can_record_visit(actor, customer: Customer) -> bool:
    """True when the user is the officer assigned to the customer (for the pages)."""
    return actor.role == Role.OFFICER and customer.officer_id == actor.id


def require_visit_officer(actor, customer: Customer) -> None:
    """Only the officer assigned to the customer records monitoring visits."""
    if not can_record_visit(actor, customer):
        raise Forbidden(_("Only the officer assigned to this customer records monitoring visits."))


def can_change_visit(actor, visit: MonitoringVisit) -> bool:
    """True when the user is the officer who recorded the visit (for the pages)."""
    return actor.role == Role.OFFICER and visit.officer_id == actor.id


def require_visit_author(actor, visit: MonitoringVisit) -> None:
    """Only the officer who recorded a visit corrects or deletes it."""
    if not can_change_visit(actor, visit):
        raise Forbidden(_("Only the officer who recorded this visit can change or delete it."))


def visit_customer(actor, customer_id) -> Customer:
    """The customer a new visit is about: visible to the user (else 404) and theirs (else 403)."""
    customer = get_visible(actor, Customer, customer_id)
    require_visit_officer(actor, customer)
    return customer


def _facility_of(customer: Customer, facility_id) -> int | None:
    """The id of the visited facility, which must be one of the customer's own."""
    if facility_id is None:
        return None
    facility = db.session.get(Facility, int(facility_id))
    if facility is None or facility.customer_id != customer.id:
        message = _("This facility is not one of the customer's.")
        raise InvalidInput(message, {"facility": [message]})
    return facility.id


def _check(values: dict, recorded_on: date | None = None) -> None:
    """A visit already happened (not too long ago: a changed date is checked, `recorded_on` is
    the date stored); the next one is planned after it, within the horizon; the rating is known."""
    errors = {}
    visit_date, next_date = values.get("visit_date"), values.get("next_visit_date")
    if visit_date is None:
        errors["visit_date"] = [_("This field is required.")]
    elif visit_date > bank_today():
        errors["visit_date"] = [_("The visit date cannot be in the future.")]
    elif visit_date != recorded_on and (too_old := too_long_ago(visit_date, bank_today())):
        errors["visit_date"] = [too_old]
    if visit_date is not None and next_date is not None and next_date <= visit_date:
        errors["next_visit_date"] = [_("The next visit must come after this visit.")]
    elif next_date is not None and (too_far := beyond_horizon(next_date, bank_today())):
        errors["next_visit_date"] = [too_far]
    if values.get("risk_rating") not in {r.value for r in RiskRating}:
        errors["risk_rating"] = [_("Choose strong, adequate, weak or critical.")]
    value = values.get("collateral_value")
    if value is not None and value < 0:
        errors["collateral_value"] = [_("Must be zero or more.")]
    if errors:
        raise InvalidInput(_("Check the visit's details."), errors)


def record_visit(actor, data: dict) -> MonitoringVisit:
    """Record a monitoring visit to one of the acting officer's customers, audited."""
    values = dict(data)
    customer = visit_customer(actor, values.pop("customer", None))
    values["facility_id"] = _facility_of(customer, values.pop("facility", None))
    values.setdefault("visit_date", bank_today())
    _check(values)
    visit = MonitoringVisit(**values, customer_id=customer.id, officer_id=actor.id)
    with unit_of_work():
        db.session.add(visit)
        audit.record(actor, visit, "create", None, audit.snapshot(visit))
    return visit


def update_visit(actor, visit: MonitoringVisit, data: dict) -> MonitoringVisit:
    """Correct a visit (the officer who recorded it), audited; the customer never changes."""
    require_visit_author(actor, visit)
    values = dict(data)
    values.pop("customer", None)
    if "facility" in values:
        values["facility_id"] = _facility_of(visit.customer, values.pop("facility"))
    current = {key: getattr(visit, key) for key in CHECKED}
    _check({**current, **values}, visit.visit_date)
    with unit_of_work():
        before = audit.snapshot(visit)
        for key, value in values.items():
            setattr(visit, key, value)
        audit.record(actor, visit, "update", before, audit.snapshot(visit))
    return visit


def delete_visit(actor, visit: MonitoringVisit) -> None:
    """Delete a visit recorded by mistake (the officer who recorded it), audited."""
    require_visit_author(actor, visit)
    with unit_of_work():
        audit.record(actor, visit, "delete", audit.snapshot(visit), None)
        db.session.delete(visit)


def get_visit(actor, visit_id) -> MonitoringVisit:
    """A visit the user may see (through its customer), or NotFound."""
    return get_visible(actor, MonitoringVisit, visit_id)


def visit_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered select of visits, newest first by default."""
    stmt = visible_to(actor, sa.select(MonitoringVisit)).options(
        joinedload(MonitoringVisit.customer),
        joinedload(MonitoringVisit.facility),
        joinedload(MonitoringVisit.officer),
    )
    if filters.get("customer"):
        stmt = stmt.where(MonitoringVisit.customer_id == filters["customer"])
    if filters.get("facility"):
        stmt = stmt.where(MonitoringVisit.facility_id == filters["facility"])
    if filters.get("rating"):
        stmt = stmt.where(MonitoringVisit.risk_rating == filters["rating"])
    return apply_sort(stmt, filters.get("sort"), SORTABLE, "-visit_date", MonitoringVisit.id)


def list_visits(actor, filters: dict, per_page: int) -> Page:
    """One page of the visits the user may see."""
    return paginate(visit_query(actor, filters), filters.get("page", 1), per_page)


def visits_of(customer_id: int, facility_id: int | None = None) -> list[MonitoringVisit]:
    """Visits of a customer (or one of its facilities) the caller already may see, newest first."""
    stmt = (
        sa.select(MonitoringVisit)
        .options(joinedload(MonitoringVisit.officer), joinedload(MonitoringVisit.facility))
        .where(MonitoringVisit.customer_id == customer_id)
    )
    if facility_id is not None:
        stmt = stmt.where(MonitoringVisit.facility_id == facility_id)
    stmt = stmt.order_by(MonitoringVisit.visit_date.desc(), MonitoringVisit.id.desc())
    return list(db.session.scalars(stmt))


def customer_facilities(customer_id: int) -> list[Facility]:
    """The customer's facilities, active first, for the visit form's picker."""
    stmt = sa.select(Facility).where(Facility.customer_id == customer_id)
    return list(db.session.scalars(stmt.order_by(Facility.status, Facility.account_no)))
