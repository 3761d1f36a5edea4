"""Collection contact with a customer: the window in the customer's local time, and the consent.

The window is the bank's (`common.collection_window`), in the time zone of the customer's branch.
A consumer may agree beforehand to collection contact at other hours; the customer's officer or a
supervisor of the branch records that agreement (hours, who, when), audited, or withdraws it.
"""

from datetime import datetime, time

from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import can_see
from aoapp.common.collection_window import WindowState, collection_state, parse_hours
from aoapp.common.dates import utcnow
from aoapp.customers.models import Customer
from aoapp.customers.services import customer_work
from aoapp.errors import Forbidden, InvalidInput, NotFound


def consent_hours(customer: Customer) -> tuple[time, time] | None:
    """The hours the customer agreed to be contacted at, or None."""
    if not customer.collection_consent_hours:
        return None
    return parse_hours(customer.collection_consent_hours)


def contact_state(customer: Customer, now: datetime | None = None) -> WindowState:
    """Whether collection contact with the customer is allowed now (local time, with consent)."""
    zone = customer.branch.timezone if customer.branch is not None else None
    return collection_state(zone, consent_hours(customer), now)


def can_record_consent(actor, customer: Customer) -> bool:
    """The customer's officer, a supervisor of its branch, or an admin."""
    if actor.role == Role.ADMIN:
        return True
    if actor.role == Role.SUPERVISOR:
        return customer.branch_id in actor.supervised_branch_ids
    return customer.officer_id == actor.id


def normalise_hours(text: str | None) -> str | None:
    """`20.00 - 21.00` as `20:00-21:00`; empty is None (no consent); bad hours are refused."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        start, end = parse_hours(text)
    except ValueError:
        message = _("Write the agreed hours as 20:00-21:00 (start before end).")
        raise InvalidInput(message, {"hours": [message]}) from None
    return f"{start:%H:%M}-{end:%H:%M}"


def record_consent(actor, customer: Customer, hours: str | None) -> Customer:
    """Record (or, with no hours, withdraw) the customer's consent; audited. Commits."""
    if not can_see(actor, Customer, customer.id):
        raise NotFound()
    if not can_record_consent(actor, customer):
        raise Forbidden(_("Only the customer's officer or a supervisor can record this consent."))
    hours = normalise_hours(hours)
    if hours == customer.collection_consent_hours:
        return customer  # nothing changes, nothing to audit
    with customer_work():
        before = audit.snapshot(customer)
        customer.collection_consent_hours = hours
        customer.collection_consent_by_id = actor.id if hours else None
        customer.collection_consent_at = utcnow() if hours else None
        action = "collection_consent" if hours else "collection_consent_withdrawn"
        audit.record(actor, customer, action, before, audit.snapshot(customer))
    return customer
