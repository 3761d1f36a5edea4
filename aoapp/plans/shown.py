"""The current plan as pages, the API and the workbook show it: goals with their progress,
planned products with the introductions made of them, comments; built in a few queries."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.dates import local_day_bounds, to_local
from aoapp.customers.holdings import holdings
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.plans import reviews
from aoapp.plans.models import AccountPlan, GoalKind
from aoapp.plans.progress import GoalProgress, progress_of


@dataclass(frozen=True)
class GoalLine:
    """A goal as shown: kind, target and today's value as text for the API, and its state."""

    kind: str
    target: str | None
    current: str | None
    state: str
    due_date: date
    as_of: date | None
    text: str
    done: bool
    amount: Decimal | None = None  # the target amount (money goals), for pages and workbooks
    value: object = None  # today's value, typed
    product_name: str | None = None


@dataclass(frozen=True)
class IntroductionBrief:
    id: int
    introduced_on: date
    outcome: str


@dataclass(frozen=True)
class PlannedProduct:
    code: str
    name: str
    held: bool
    introductions: list[IntroductionBrief] = field(default_factory=list)


@dataclass(frozen=True)
class CommentLine:
    id: int
    author: str
    text: str
    created_at: datetime


@dataclass
class PlanView:
    """The plan with everything shown of it."""

    plan: AccountPlan
    goals: list[GoalLine]
    products: list[PlannedProduct]
    comments: list[CommentLine]
    review_overdue: bool

    def __getattr__(self, name: str):
        return getattr(self.plan, name)


def _target(goal) -> str | None:
    if goal.kind in (GoalKind.OUTSTANDING_AT_LEAST, GoalKind.DPK_AT_LEAST):
        return str(goal.amount)
    if goal.kind == GoalKind.MAX_DPD:
        return str(goal.dpd)
    if goal.kind == GoalKind.HOLDS_PRODUCT:
        return goal.product.code if goal.product is not None else goal.category
    return "done"


def _current(progress: GoalProgress) -> str | None:
    value, kind = progress.current, progress.kind
    if kind == GoalKind.ACTION:
        return "done" if value else "not_done"
    if kind == GoalKind.HOLDS_PRODUCT:
        return "held" if value else "not_held"
    return None if value is None else str(value)


def goal_line(progress: GoalProgress) -> GoalLine:
    """One goal's line from its progress."""
    goal = progress.goal
    return GoalLine(
        kind=goal.kind,
        target=_target(goal),
        current=_current(progress),
        state=progress.state,
        due_date=progress.due,
        as_of=progress.as_of,
        text=goal.text,
        done=bool(progress.current) if goal.kind == GoalKind.ACTION else goal.done,  # by then
        amount=goal.amount,
        value=progress.current,
        product_name=goal.product.name if goal.product is not None else None,
    )


def introductions_by_product(customer_id: int, product_ids: list[int]) -> dict[int, list]:
    """The introductions made to the customer of each product, newest first."""
    if not product_ids:
        return {}
    stmt = (
        sa.select(Introduction)
        .where(Introduction.customer_id == customer_id, Introduction.product_id.in_(product_ids))
        .order_by(Introduction.introduced_on.desc(), Introduction.id.desc())
    )
    found: dict[int, list] = {}
    for intro in db.session.scalars(stmt):
        found.setdefault(intro.product_id, []).append(
            IntroductionBrief(intro.id, intro.introduced_on, intro.outcome)
        )
    return found


def plan_view(plan: AccountPlan, today: date) -> PlanView:
    """The plan as shown on `today`."""
    progress = progress_of([plan], today)[plan.id]
    ids = [p.product_id for p in plan.products]
    made = introductions_by_product(plan.customer_id, ids)
    held = {h.product.id for h in holdings(plan.customer)}
    products = [
        PlannedProduct(
            p.product.code, p.product.name, p.product_id in held, made.get(p.product_id, [])
        )
        for p in plan.products
    ]
    comments = [
        CommentLine(c.id, c.author.display_name, c.text, c.created_at) for c in plan.comments
    ]
    return PlanView(
        plan=plan,
        goals=[goal_line(p) for p in progress],
        products=products,
        comments=comments,
        review_overdue=reviews.is_overdue(plan, today),
    )


@dataclass(frozen=True)
class ReportPlan:
    """A customer's plan as a period's workbook shows it: the plan of the period's year written
    by its judging day, its goals judged as of that day."""

    plan: AccountPlan
    goals: list[GoalLine]
    products: list[tuple[str, str]]  # (code, name)
    today: date  # the day the goals are judged on
    review_overdue: bool
    changed_on: date | None = None  # the plan was last changed after `today`, on this day


def _changed_after(plan: AccountPlan, day: date) -> date | None:
    """The bank day the plan was last changed, when after `day`."""
    changed = to_local(plan.updated_at).date()
    return changed if changed > day else None


def plans_for_report(customer_ids: list[int], judged_on: date) -> dict[int, ReportPlan]:
    """Each customer's plan of `judged_on`'s year, if written by the end of that day, its goals
    judged as of it (one batch). A plan changed since says when: its text and goals are the
    plan as it stands now (the audit trail keeps what it said before)."""
    if not customer_ids:
        return {}
    _start, day_end = local_day_bounds(judged_on, judged_on)
    stmt = sa.select(AccountPlan).where(
        AccountPlan.customer_id.in_(customer_ids),
        AccountPlan.year == judged_on.year,
        AccountPlan.created_at < day_end,
    )
    plans = list(db.session.scalars(stmt))
    progress = progress_of(plans, judged_on)
    return {
        plan.customer_id: ReportPlan(
            plan,
            [goal_line(p) for p in progress[plan.id]],
            [(p.product.code, p.product.name) for p in plan.products],
            judged_on,
            reviews.is_overdue(plan, judged_on),
            _changed_after(plan, judged_on),
        )
        for plan in plans
    }
