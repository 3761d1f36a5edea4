"""Account plans: read the current plan (scoped, with its goals' progress), save it whole (the
assigned officer), mark it reviewed, comment on it (supervisors); each change one unit of work,
audited (the plan's entry holds its goals and products, so a goal's change is in it).

The current plan is the current year's: one per customer and year (unique). Two saves of one
customer's plan at once run one after the other (a lock per customer, common.serial), so they
make one plan and one review follow-up between them.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.common import serial
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.locking import stale_message
from aoapp.common.plausible import beyond_horizon
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.customers.models import Customer
from aoapp.customers.services import get_customer, require_officer_owner
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.followups import services as followups
from aoapp.followups.models import FollowUp, FollowUpStatus, Outcome
from aoapp.plans import reviews
from aoapp.plans.models import (
    AccountPlan,
    AccountPlanComment,
    AccountPlanGoal,
    AccountPlanProduct,
)
from aoapp.products.models import Product

LOCK_SECONDS = 10
BUSY = _l("Someone is saving this account plan right now; try again in a moment.")
GOAL_COLUMNS = ("kind", "amount", "dpd", "product_id", "category", "text", "due_date", "done")


def current_plan(customer_id: int, today: date | None = None) -> AccountPlan | None:
    """The customer's plan of the current year (None without one); no scoping: callers check."""
    year = (today or bank_today()).year
    stmt = sa.select(AccountPlan).where(
        AccountPlan.customer_id == customer_id, AccountPlan.year == year
    )
    return db.session.scalar(stmt)


def get_plan(actor, customer_id, today: date | None = None) -> tuple[Customer, AccountPlan | None]:
    """A customer the user may see (else NotFound) and its current plan (None without one)."""
    customer = get_customer(actor, customer_id)
    return customer, current_plan(customer.id, today)


def full_snapshot(plan: AccountPlan) -> dict:
    """The plan's audit snapshot with its goals and planned products (one entry per change)."""
    db.session.flush()
    goals = [{k: v for k, v in audit.snapshot(g).items() if k in GOAL_COLUMNS} for g in plan.goals]
    products = sorted(p.product.code for p in plan.products)
    return audit.snapshot(plan) | {"goals": goals, "products": products}


def _product(code: str, errors: dict, key) -> Product | None:
    product = db.session.scalar(sa.select(Product).where(Product.code == code))
    if product is None or not product.active:
        errors.setdefault(key, []).append(_("Unknown or inactive product %(code)s.", code=code))
        return None
    return product


def _resolve(values: dict, today: date) -> dict:
    """Products by code and goal due dates within the plan's year; InvalidInput with every
    error by field (a goal's as `goals` → its index → field)."""
    errors: dict = {}
    products = [_product(code, errors, "products") for code in values["products"]]
    goal_errors: dict[int, dict] = {}
    goals = []
    for index, goal in enumerate(values["goals"]):
        goal = dict(goal)
        mine: dict = {}
        code = goal.pop("product_code", None)
        goal["product"] = _product(code, mine, "target") if code else None
        due = goal.get("due_date")
        if due is not None and due.year != today.year:
            mine["due_date"] = [
                _("The due date must fall in %(year)s, the plan's year.", year=today.year)
            ]
        if mine:
            goal_errors[index] = mine
        goals.append(goal)
    review = values.get("next_review_date")
    if review is not None and review < today:
        errors["next_review_date"] = [_("The next review cannot be in the past.")]
    elif review is not None and (too_far := beyond_horizon(review, today)):
        errors["next_review_date"] = [too_far]
    if goal_errors:
        errors["goals"] = goal_errors
    if errors:
        raise InvalidInput(_("Check the account plan."), errors)
    return {**values, "products": products, "goals": goals}


def _fill(plan: AccountPlan, values: dict, today: date) -> None:
    """Set the plan's own fields and replace its goals and products with those sent."""
    for name in ("needs", "need_tags", "risks", "next_step", "review_months"):
        setattr(plan, name, values[name])
    # An action still done keeps the day it was first marked done; one newly done is done today.
    done_before = {(g.kind, g.text): g.done_on for g in plan.goals if g.done}
    plan.goals = [
        AccountPlanGoal(
            position=index,
            kind=goal["kind"],
            amount=goal["amount"],
            dpd=goal["dpd"],
            product_id=goal["product"].id if goal["product"] else None,
            category=goal["category"],
            text=goal["text"],
            due_date=goal["due_date"],
            done=goal["done"],
            done_on=(done_before.get((goal["kind"], goal["text"])) or today)
            if goal["done"]
            else None,
        )
        for index, goal in enumerate(values["goals"])
    ]
    kept = {p.product_id: p for p in plan.products}
    plan.products = [
        kept.get(p.id) or AccountPlanProduct(product_id=p.id) for p in values["products"]
    ]


def _hold_lock(customer_id: int) -> None:
    """Begin the transaction holding this customer's plan lock (waits for another save)."""
    try:
        serial.hold(db.session.connection(), f"account-plan:{customer_id}", LOCK_SECONDS)
    except serial.LockBusy:
        raise Conflict(str(BUSY)) from None


def save_plan(actor, customer_id, data: dict, *, today: date | None = None) -> AccountPlan:
    """Create or replace the customer's current plan (the assigned officer), audited; its review
    is planned, or moved to the plan's next review date (reviews.schedule_review)."""
    today = today or bank_today()
    customer = get_customer(actor, customer_id)
    require_officer_owner(actor, customer)
    values = _resolve(data, today)
    customer_id, officer_id, actor_id = customer.id, customer.officer_id, actor.id
    end_reads()  # the lock below begins the write (SQLite)
    stale = stale_message("account plan")
    with unit_of_work(stale=stale, stale_field="version"):
        _hold_lock(customer_id)
        plan = current_plan(customer_id, today)
        if plan is not None and values.get("version") not in (None, plan.version):
            raise Conflict(stale, {"version": [stale]})
        before = full_snapshot(plan) if plan is not None else None
        if plan is None:
            plan = AccountPlan(
                customer_id=customer_id, year=today.year, starts_on=today, created_by_id=actor_id
            )
            db.session.add(plan)
        with db.session.no_autoflush:  # a new plan is complete (its review date) before its flush
            _fill(plan, values, today)
            plan.updated_by_id = actor_id
            plan.updated_at = utcnow()  # the row changes with its goals: its version moves on
            plan.next_review_date = values.get("next_review_date") or reviews.due_review(plan)
        db.session.flush()
        reviews.schedule_review(actor, plan, officer_id)
        audit.record(
            actor, plan, "create" if before is None else "update", before, full_snapshot(plan)
        )
    return plan


def _require_plan(actor, customer_id, today: date) -> tuple[Customer, AccountPlan]:
    customer, plan = get_plan(actor, customer_id, today)
    if plan is None:
        raise NotFound(_("This customer has no account plan for %(year)s.", year=today.year))
    return customer, plan


def mark_reviewed(actor, customer_id, *, today: date | None = None) -> AccountPlan:
    """The assigned officer reviewed the plan: its planned review follow-up is logged done
    (which records the review), or, none planned, the review is recorded and the next planned."""
    today = today or bank_today()
    customer, plan = _require_plan(actor, customer_id, today)
    require_officer_owner(actor, customer)
    followup = (
        db.session.get(FollowUp, plan.review_follow_up_id) if plan.review_follow_up_id else None
    )
    if followup is not None and followup.status == FollowUpStatus.PLANNED:
        followups.complete(actor, followup, {"outcome": Outcome.REACHED}, today=today)
    else:
        with unit_of_work(stale=stale_message("account plan"), stale_field=None):
            reviews.record_review(actor, plan, today)
    return plan


def can_comment(actor, customer: Customer) -> bool:
    """Supervisors (of the customer's branch: scoping) and admins comment; officers read."""
    return actor.role in (Role.SUPERVISOR, Role.ADMIN)


@unit_of_work()
def add_comment(actor, customer_id, data: dict, *, today: date | None = None) -> AccountPlanComment:
    """A supervisor's comment on the customer's current plan, audited."""
    today = today or bank_today()
    customer, plan = _require_plan(actor, customer_id, today)
    if not can_comment(actor, customer):
        raise Forbidden(_("Supervisors comment on account plans; officers read the comments."))
    comment = AccountPlanComment(plan_id=plan.id, author_id=actor.id, text=data["text"])
    db.session.add(comment)
    db.session.flush()
    audit.record(actor, comment, "create", None, audit.snapshot(comment))
    return comment
