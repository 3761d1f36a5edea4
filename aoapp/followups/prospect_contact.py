"""A prospect's next contact is its earliest planned follow-up (prospects.hooks): planned, moved
or cancelled from the prospect's form, and settled when the prospect leaves the pipeline.

Each handler runs inside the prospect service's unit of work (it does not commit) and audits
every follow-up it touches.
"""

from datetime import date

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.extensions import db
from aoapp.followups import texts
from aoapp.followups.actions import audit_after
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus, Purpose
from aoapp.prospects.hooks import next_contact_planner, on_close
from aoapp.prospects.models import Prospect

# A next contact planned from the prospect's form: a call about the products it may take.
CHANNEL, PURPOSE = Channel.CALL, Purpose.PRODUCT_OFFER


def planned_of(prospect: Prospect) -> list[FollowUp]:
    """The prospect's follow-ups still planned, earliest first."""
    stmt = (
        sa.select(FollowUp)
        .where(FollowUp.prospect_id == prospect.id, FollowUp.status == FollowUpStatus.PLANNED)
        .order_by(FollowUp.planned_date, FollowUp.planned_time, FollowUp.id)
    )
    return list(db.session.scalars(stmt))


@next_contact_planner
def plan_next_contact(actor, prospect: Prospect, day: date | None) -> None:
    """Move the earliest planned follow-up to `day`, plan one when there is none, or cancel it
    (with the reason) when the date is cleared; audited."""
    planned = planned_of(prospect)
    followup = planned[0] if planned else None
    if followup is None and day is not None:
        followup = FollowUp(
            prospect_id=prospect.id,
            owner_id=prospect.owner_id,
            created_by_id=actor.id,
            channel=CHANNEL,
            purpose=PURPOSE,
            planned_date=day,
            status=FollowUpStatus.PLANNED,
            notes="",
        )
        db.session.add(followup)
        audit_after(actor, followup, "create", None)
    elif followup is not None:
        before = audit.snapshot(followup)
        if day is None:
            followup.status = FollowUpStatus.CANCELLED
            followup.set_reason(texts.NEXT_CONTACT_CLEARED)
            audit_after(actor, followup, "cancel", before)
        else:
            followup.planned_date = day
            followup.set_reason(texts.NEXT_CONTACT_MOVED)
            audit_after(actor, followup, "reschedule", before)


@on_close
def settle_planned_followups(actor, prospect: Prospect, customer) -> None:
    """A converted prospect's planned follow-ups go on with its new customer; a rejected or lost
    prospect's are cancelled, saying why; audited."""
    for followup in planned_of(prospect):
        before = audit.snapshot(followup)
        if customer is not None:
            followup.prospect_id, followup.customer_id = None, customer.id
            audit_after(actor, followup, "convert", before)
        else:
            followup.status = FollowUpStatus.CANCELLED
            followup.set_reason(texts.PROSPECT_CLOSED, status=prospect.status)
            audit_after(actor, followup, "cancel", before)
