"""Monitoring visits: record, correct, delete (the customer's officer) and list; each call one unit."""

from contextlib import nullcontext
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common import serial
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.plausible import beyond_horizon, too_long_ago
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.credit.models import Facility, MonitoringVisit, RiskRating
from aoapp.credit.visits.location import is_located, place, take_location
from aoapp.credit.visits.photos import (
    PhotoBatch,
    check_room,
    delete_rows,
    photo_count,
    remove_unreferenced,
)
from aoapp.customers.models import Customer
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db

SORTABLE = {
    "visit_date": MonitoringVisit.visit_date,
    "risk_rating": MonitoringVisit.risk_rating,
    "next_visit_date": MonitoringVisit.next_visit_date,
}
CHECKED = ("visit_date", "next_visit_date", "risk_rating", "collateral_value")
LOCK_SECONDS = 10  # another upload to the same visit is waited for this long


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


def _location(values: dict, photos: PhotoBatch | None):
    """The location sent with the visit (dropped when the form's consent box was left empty),
    which its new photos share."""
    consent = values.pop("location_consent", None)
    location = take_location(values)
    if consent is False:
        location = None
    if photos is not None and photos.location is None:
        photos.location = location
    return location or (photos.first_location if photos is not None else None)


def _saving(photos: PhotoBatch | None):
    """Around a unit of work that stores photos: their files go again if it fails."""
    return photos.cleanup_on_failure() if photos else nullcontext()


def record_visit(actor, data: dict, photos: PhotoBatch | None = None) -> MonitoringVisit:
    """Record a monitoring visit to one of the acting officer's customers, with its location
    and photos (taken in by photos.take_photos), audited, in one unit of work."""
    values = dict(data)
    customer = visit_customer(actor, values.pop("customer", None))
    values["facility_id"] = _facility_of(customer, values.pop("facility", None))
    values.setdefault("visit_date", bank_today())
    location = _location(values, photos)
    _check(values)
    if photos:
        check_room(0, len(photos), "photos")
    visit = MonitoringVisit(**values, customer_id=customer.id, officer_id=actor.id)
    if location is not None:
        place(visit, location)
    with _saving(photos), unit_of_work():
        db.session.add(visit)
        audit.record(actor, visit, "create", None, audit.snapshot(visit))
        if photos:
            photos.attach(actor, visit=visit)
    return visit


def hold_photos_lock(visit_id: int) -> None:
    """Begin the transaction holding the visit's photo lock: two uploads to one visit count
    its photos one after the other (on SQLite, call it first in the transaction)."""
    try:
        serial.hold(db.session.connection(), f"visit-photos:{visit_id}", LOCK_SECONDS)
    except serial.LockBusy:
        message = _("Another upload to this visit is still running. Try again in a moment.")
        raise Conflict(message) from None


def update_visit(
    actor, visit: MonitoringVisit, data: dict, photos: PhotoBatch | None = None
) -> MonitoringVisit:
    """Correct a visit (the officer who recorded it) and add photos, audited; the customer never
    changes, nor the location a visit was first logged with."""
    require_visit_author(actor, visit)
    values = dict(data)
    values.pop("customer", None)
    location = _location(values, photos)
    if "facility" in values:
        values["facility_id"] = _facility_of(visit.customer, values.pop("facility"))
    current = {key: getattr(visit, key) for key in CHECKED}
    _check({**current, **values}, visit.visit_date)
    visit_id = visit.id
    if photos:
        check_room(photo_count(visit_id=visit_id), len(photos), "photos")
        end_reads()  # the lock below begins the write (SQLite)
    with _saving(photos), unit_of_work():
        if photos:
            hold_photos_lock(visit_id)
            check_room(photo_count(visit_id=visit_id), len(photos), "photos")
        before = audit.snapshot(visit)
        for key, value in values.items():
            setattr(visit, key, value)
        if location is not None and not is_located(visit):
            place(visit, location)
        audit.record(actor, visit, "update", before, audit.snapshot(visit))
        if photos:
            photos.attach(actor, visit=visit)
    return visit


def delete_visit(actor, visit: MonitoringVisit) -> None:
    """Delete a visit recorded by mistake (the officer who recorded it) with its photos,
    audited; their files go once the deletion is committed."""
    require_visit_author(actor, visit)
    with unit_of_work():
        keys = delete_rows(actor, list(visit.photos))
        audit.record(actor, visit, "delete", audit.snapshot(visit), None)
        db.session.delete(visit)
    remove_unreferenced(keys)


def get_visit(actor, visit_id) -> MonitoringVisit:
    """A visit the user may see (through its customer), or NotFound."""
    return get_visible(actor, MonitoringVisit, visit_id)


def visit_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered select of visits, newest first by default."""
    stmt = visible_to(actor, sa.select(MonitoringVisit)).options(
        joinedload(MonitoringVisit.customer),
        joinedload(MonitoringVisit.facility),
        joinedload(MonitoringVisit.officer),
        selectinload(MonitoringVisit.photos),
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
