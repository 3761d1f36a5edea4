"""The admin's decision on customers a listing contradicts (handovers.listing): keep the handover
(the customers stay with the new officer, pending core banking's update again), or accept the
listing (each customer, with its open work, goes to the officer the listing shows; reverted).
"""

from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.common.dates import utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.customers.services import move_customers
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.handovers.models import CoreStatus, Handover, HandoverCustomer

STALE = _l("Someone decided on these customers meanwhile. Check the import page again.")


class Decision(StrEnum):
    KEEP = "keep"  # keep the handover: pending core banking's update again
    ACCEPT = "accept"  # accept the listing: back to the listing's officer


def decide(actor, handover: Handover, decision: str, customer_ids: list[int] | None) -> int:
    """Decide on the handover's customers in conflict (those picked, else all); admins only,
    one unit of work, each row and each move audited; returns how many were decided."""
    if actor.role != Role.ADMIN:
        raise Forbidden(_("Only an admin decides between a handover and a listing."))
    stmt = sa.select(HandoverCustomer).where(
        HandoverCustomer.handover_id == handover.id,
        HandoverCustomer.core_status == CoreStatus.CONFLICT,
    )
    if customer_ids is not None:
        if not customer_ids:
            message = _("Tick at least one customer.")
            raise InvalidInput(message, {"customers": [message]})
        stmt = stmt.where(HandoverCustomer.customer_id.in_(customer_ids))
    rows = list(db.session.scalars(stmt.order_by(HandoverCustomer.id)))
    if not rows:
        raise Conflict(_("No customer of this handover is waiting for a decision."))
    if decision == Decision.ACCEPT:
        _check_listing_officers(rows)
    with unit_of_work(stale=str(STALE), stale_field=None):
        if decision == Decision.ACCEPT:
            for officer_id, customers in _by_listing_officer(rows).items():
                officer = db.session.get(User, officer_id)
                move_customers(actor, customers, officer, "accept_listing")
        befores = [audit.snapshot(row) for row in rows]
        status = CoreStatus.REVERTED if decision == Decision.ACCEPT else CoreStatus.PENDING
        for row in rows:
            row.core_status, row.decided_by_id, row.decided_at = status, actor.id, utcnow()
        db.session.flush()
        action = f"{decision}_decision"
        audit.record_all(
            actor,
            [(r, action, b, audit.snapshot(r)) for r, b in zip(rows, befores, strict=True)],
        )
    return len(rows)


def _by_listing_officer(rows: list[HandoverCustomer]) -> dict[int, list]:
    """The customers to move back, by the officer the listing shows."""
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.listing_officer_id, []).append(row.customer)
    return found


def _check_listing_officers(rows: list[HandoverCustomer]) -> None:
    """Accepting moves customers to the listing's officers: each must be an active officer."""
    for row in rows:
        officer = row.listing_officer
        if officer is None or not officer.active or officer.role != Role.OFFICER:
            name = officer.display_name if officer else "—"
            message = _(
                "The listing books %(customer)s to %(name)s, who is not an active officer: keep "
                "the handover and ask core banking to correct the officer code.",
                customer=row.customer.name,
                name=name,
            )
            raise InvalidInput(message, {"decision": [message]})
