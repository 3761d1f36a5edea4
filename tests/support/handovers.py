"""Builders of handovers: a record written directly (the route matrix's foreign record), and the
service's request as the API sends it."""

from datetime import date

from aoapp.extensions import db
from aoapp.handovers.models import Handover, HandoverCustomer


def record(source, target, by, customers=(), handed_on: date = date(2026, 10, 1)) -> Handover:
    """A handover of `customers` from `source` to `target` by `by`, inserted directly."""
    handover = Handover(
        from_officer_id=source.id,
        to_officer_id=target.id,
        from_branch_id=source.branch_id,
        to_branch_id=target.branch_id,
        by_id=by.id,
        handed_on=handed_on,
        customer_count=len(customers),
        change_file=None,
    )
    db.session.add(handover)
    db.session.flush()
    for customer in customers:
        db.session.add(
            HandoverCustomer(
                handover_id=handover.id,
                customer_id=customer.id,
                old_officer_id=source.id,
                new_officer_id=target.id,
            )
        )
    db.session.commit()
    return handover


def request(source, target, customers=None, note: str = "") -> dict:
    """The service's data: user ids of both officers, customer ids (None: all)."""
    ids = None if customers is None else [c.id for c in customers]
    return {"from_officer": source.id, "to_officer": target.id, "customers": ids, "note": note}
