"""The review of an account plan: a planned follow-up (purpose relationship) on the officer's
agenda, one per plan, linked by the plan's `review_follow_up_id`.

Saving a plan plans its review, or moves the one still planned to the plan's next review date;
logging the review follow-up done (followups.hooks.on_complete), or the plan's "reviewed"
action, records the review and plans the next one, `review_months` later (on a working day).
A review follow-up cancelled or missed is replaced by a new one at the next save or review.
"""

import calendar
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from aoapp.audit import services as audit
from aoapp.common.system_text import params_of
from aoapp.common.workdays import add_working_days, is_working_day
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.hooks import on_complete
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus, Purpose
from aoapp.plans import texts
from aoapp.plans.models import AccountPlan


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_day_from(day: date) -> date:
    """`day` when the bank works, else the next working day."""
    return day if is_working_day(day) else add_working_days(day, 1)


def due_review(plan: AccountPlan) -> date:
    """The next review by the cadence: the last review (or the plan's start) plus its months."""
    return working_day_from(
        months_after(plan.last_reviewed_on or plan.starts_on, plan.review_months)
    )


def is_overdue(plan: AccountPlan, today: date) -> bool:
    """The plan's review date has passed without a review."""
    return plan.next_review_date < today


def _snapshot(record) -> dict:
    db.session.flush()
    return audit.snapshot(record)


def _new_review(actor, plan: AccountPlan, owner_id: int) -> FollowUp:
    """Plan the plan's review with its customer's officer, audited, and link it."""
    followup = FollowUp(
        customer_id=plan.customer_id,
        owner_id=owner_id,
        created_by_id=getattr(actor, "id", None),
        channel=Channel.MEETING,
        purpose=Purpose.RELATIONSHIP,
        planned_date=plan.next_review_date,
        status=FollowUpStatus.PLANNED,
        notes="",
        note_code=texts.REVIEW,
        note_params=params_of(year=plan.year),
    )
    db.session.add(followup)
    audit.record(actor, followup, "create", None, _snapshot(followup))
    plan.review_follow_up_id = followup.id
    return followup


def schedule_review(actor, plan: AccountPlan, owner_id: int | None) -> FollowUp | None:
    """Make the plan's one planned review fall on its next review date: move the planned one,
    or plan a new one (none planned, or the last was done, cancelled or missed). Part of the
    caller's unit of work; without an officer to own it, nothing is planned."""
    current = (
        db.session.get(FollowUp, plan.review_follow_up_id) if plan.review_follow_up_id else None
    )
    if current is not None and current.status == FollowUpStatus.PLANNED:
        if current.planned_date != plan.next_review_date:
            before = _snapshot(current)
            current.planned_date = plan.next_review_date
            current.set_reason(texts.REVIEW_MOVED)
            audit.record(actor, current, "reschedule", before, _snapshot(current))
        return current
    if owner_id is None:
        return None
    return _new_review(actor, plan, owner_id)


def record_review(actor, plan: AccountPlan, today: date) -> AccountPlan:
    """The plan was reviewed today: the next review by the cadence, planned; audited."""
    before = _snapshot(plan)
    plan.last_reviewed_on = today
    plan.next_review_date = due_review(plan)
    plan.updated_by_id = getattr(actor, "id", None)
    schedule_review(actor, plan, plan.customer.officer_id)
    audit.record(actor, plan, "review", before, _snapshot(plan))
    return plan


@on_complete
def review_done(actor, followup: FollowUp, today: date) -> None:
    """A plan's review follow-up logged done records the plan's review (same unit of work)."""
    stmt = sa.select(AccountPlan).where(AccountPlan.review_follow_up_id == followup.id)
    plan = db.session.scalar(stmt.with_for_update())
    if plan is not None:
        record_review(actor, plan, today)


def reviews_due(officer_id: int, until: date, year: int) -> list[AccountPlan]:
    """The plans of `year` of the officer's customers whose review falls on or before `until`
    (those overdue included), soonest first, customers loaded."""
    stmt = (
        sa.select(AccountPlan)
        .join(AccountPlan.customer)
        .options(contains_eager(AccountPlan.customer))
        .where(
            Customer.officer_id == officer_id,
            AccountPlan.year == year,
            AccountPlan.next_review_date <= until,
        )
        .order_by(AccountPlan.next_review_date, AccountPlan.id)
    )
    return list(db.session.scalars(stmt))
