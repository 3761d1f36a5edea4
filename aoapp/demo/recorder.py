"""How the demo writes follow-ups: find by natural key or create, change suggestions, record
promises; every write audited and counted (created / already present)."""

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.demo.collection import PromiseSpec
from aoapp.extensions import db
from aoapp.followups import promises
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseToPay

KEYS = ("customer_id", "prospect_id", "facility_id", "purpose", "channel", "notes")


class Recorder:
    """Finds demo records by natural key, creates or changes them (audited), counts both."""

    def __init__(self, created: Counter, present: Counter):
        self.created, self.present = created, present

    def find(self, owner: User, values: dict) -> FollowUp | None:
        """The owner's follow-up with these key values."""
        stmt = sa.select(FollowUp).where(FollowUp.owner_id == owner.id)
        for name in KEYS:
            column, value = getattr(FollowUp, name), values.get(name)
            stmt = stmt.where(column.is_(None) if value is None else column == value)
        return db.session.scalar(stmt.order_by(FollowUp.id).limit(1))

    def followup(self, owner: User, values: dict, unless_planned=False) -> FollowUp | None:
        """The follow-up with these key values, created when missing.

        With `unless_planned`, nothing is created for a facility that already has a planned
        collection follow-up.
        """
        found = self.find(owner, values)
        if found is not None:
            self.present["follow-ups"] += 1
            return found
        if unless_planned and _has_planned_collection(values["facility_id"]):
            return None
        followup = FollowUp(owner_id=owner.id, created_by_id=owner.id, **values)
        if followup.done_at is not None:
            followup.created_at = followup.done_at - timedelta(days=1)
        db.session.add(followup)
        audit.record(owner, followup, "create", None, audit.snapshot(followup))
        self.created["follow-ups"] += 1
        return followup

    def work(self, owner: User, followup: FollowUp, changes: dict) -> FollowUp:
        """Change a suggestion the import made, as the officer would have (audited)."""
        before = audit.snapshot(followup)
        for name, value in changes.items():
            setattr(followup, name, value)
        db.session.flush()
        audit.record(owner, followup, "update", before, audit.snapshot(followup))
        self.created["suggestions worked"] += 1
        return followup

    def promise(self, owner: User, followup: FollowUp, spec: PromiseSpec) -> PromiseToPay:
        """The promise recorded on a collection follow-up, created when missing."""
        if followup.promise is not None:
            self.present["promises to pay"] += 1
            return followup.promise
        promise = PromiseToPay(
            follow_up_id=followup.id,
            facility_id=followup.facility_id,
            customer_id=followup.customer_id,
            officer_id=owner.id,
            promised_amount=spec.amount,
            promised_date=spec.promised_date,
            promised_on=spec.promised_on,
            deadline=promises.deadline_for(spec.promised_date),
            created_at=followup.done_at,
        )
        followup.promise = promise
        db.session.add(promise)
        audit.record(owner, promise, "create", None, audit.snapshot(promise))
        self.created["promises to pay"] += 1
        return promise


def _has_planned_collection(facility_id: int) -> bool:
    stmt = sa.select(FollowUp.id).where(
        FollowUp.facility_id == facility_id,
        FollowUp.purpose == "collection",
        FollowUp.status == FollowUpStatus.PLANNED,
    )
    return db.session.scalar(stmt.limit(1)) is not None
