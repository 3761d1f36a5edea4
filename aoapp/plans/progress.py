"""The progress of a plan's goals, computed from the listings and the officer's marks, never typed.

Each measurable goal reads one definition that already exists:
- outstanding_at_least: the customer's total credit exposure (funding.wallet.Wallet.credit: the
  active facilities' outstanding by the loan listing, customers.holdings);
- dpk_at_least: the customer's DPK (Wallet.funding_total: the open deposit accounts' balances by
  the deposits listing);
- holds_product: what the customer holds (customers.holdings): the product, or any product of the
  category (giro, tabungan, deposito, credit, service);
- max_dpd: the worst DPD of the customer's facilities on a loan listing (as credit.services'
  Kol history reads it);
- action: the officer marks it done.

States (the time of a goal runs from the plan's `starts_on` to its due date; no due date: the
plan year's 31 December):
- met: the target is reached (a goal past its due date: on the listings of its due date; an
  action: marked done; max_dpd: the due date passed and no listing since the plan started showed
  a DPD above the limit);
- missed: the due date passed and the target was not reached then (max_dpd: as soon as a listing
  since the plan started shows a DPD above the limit);
- at risk: not met and less than a quarter of the goal's time is left (max_dpd: a facility is
  past due now, within the limit);
- on track: otherwise.
`current` is the value on the day judged (the listings dated on or last before it: today on the
pages, the period's judging day in a period's workbook): an amount, the worst DPD, held or not,
done or not (an action counts as done from the day it was first marked done).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.latest import last_date_on_or_before
from aoapp.credit.models import Position
from aoapp.customers.holdings import Holding, holdings_of
from aoapp.extensions import db
from aoapp.funding.figures import deposits_as_of
from aoapp.funding.wallet import Wallet
from aoapp.plans.models import AccountPlan, AccountPlanGoal, GoalKind, GoalState

AT_RISK_SHARE = Decimal("0.25")  # less than this share of the goal's time left: at risk
MONEY_KINDS = (GoalKind.OUTSTANDING_AT_LEAST, GoalKind.DPK_AT_LEAST)
HELD_KINDS = (*MONEY_KINDS, GoalKind.HOLDS_PRODUCT)  # read from the holdings


@dataclass(frozen=True)
class GoalProgress:
    """A goal with its due date, today's value, its state and the listing the value is from."""

    goal: AccountPlanGoal
    due: date
    current: Decimal | int | bool | None
    state: str
    as_of: date | None = None

    @property
    def kind(self) -> str:
        return self.goal.kind


def due_of(goal: AccountPlanGoal, plan: AccountPlan) -> date:
    """The goal's due date, or the plan year's last day."""
    return goal.due_date or date(plan.year, 12, 31)


def timed_state(reached: bool, start: date, due: date, today: date) -> str:
    """Met when reached; missed once the due date passed; at risk with under a quarter of the
    time from `start` to `due` left; on track otherwise."""
    if reached:
        return GoalState.MET
    if due < today:
        return GoalState.MISSED
    total, left = (due - start).days, (due - today).days
    if total <= 0 or Decimal(left) < AT_RISK_SHARE * total:
        return GoalState.AT_RISK
    return GoalState.ON_TRACK


def value_of(goal: AccountPlanGoal, held: list[Holding]):
    """The goal's value in what the customer holds: an amount, or whether the product is held."""
    wallet = Wallet(held)
    if goal.kind == GoalKind.OUTSTANDING_AT_LEAST:
        return wallet.credit
    if goal.kind == GoalKind.DPK_AT_LEAST:
        return wallet.funding_total
    if goal.product_id is not None:
        return any(h.product.id == goal.product_id for h in held)
    return any(h.category == goal.category for h in held)


def done_by(goal: AccountPlanGoal, day: date) -> bool:
    """An action marked done on or before `day`."""
    return goal.done and (goal.done_on is None or goal.done_on <= day)


def reached(goal: AccountPlanGoal, value) -> bool:
    """Whether a value read from the holdings reaches the goal's target."""
    if goal.kind in MONEY_KINDS:
        return value >= goal.amount
    return bool(value)


def _worst_dpd(customer_ids: list[int], since: date) -> dict[int, dict[date, int]]:
    """The worst DPD of each customer's facilities on each loan listing from `since`."""
    stmt = (
        sa.select(Position.customer_id, Position.as_of, sa.func.max(Position.dpd))
        .where(Position.customer_id.in_(customer_ids), Position.as_of >= since)
        .group_by(Position.customer_id, Position.as_of)
    )
    found: dict[int, dict[date, int]] = defaultdict(dict)
    for customer_id, as_of, dpd in db.session.execute(stmt):
        found[customer_id][as_of] = int(dpd)
    return found


class Facts:
    """What the goals of a batch of plans read, loaded once for the batch."""

    def __init__(self, plans: list[AccountPlan], today: date):
        self.today = today
        ids = sorted({p.customer_id for p in plans})
        goals = [(p, g) for p in plans for g in p.goals]
        self.now = holdings_of(ids, today) if ids else {}
        past = {due_of(g, p) for p, g in goals if g.kind in HELD_KINDS and due_of(g, p) < today}
        self.then = {day: holdings_of(ids, day) for day in sorted(past)}
        self.loans_as_of = last_date_on_or_before(Position.as_of, today)
        watched = [p for p, g in goals if g.kind == GoalKind.MAX_DPD]
        since = min((p.starts_on for p in watched), default=None)
        if since is not None and self.loans_as_of is not None:
            since = min(since, self.loans_as_of)  # the newest listing gives today's DPD
        self.dpd = _worst_dpd(ids, since) if since is not None else {}
        self.deposits_as_of = deposits_as_of(today) if goals else None

    def progress(self, plan: AccountPlan, goal: AccountPlanGoal) -> GoalProgress:
        """One goal's progress (see the module's definitions)."""
        due, today = due_of(goal, plan), self.today
        if goal.kind == GoalKind.ACTION:
            done = done_by(goal, today)
            return GoalProgress(goal, due, done, timed_state(done, plan.starts_on, due, today))
        if goal.kind == GoalKind.MAX_DPD:
            return self._dpd(plan, goal, due)
        current = value_of(goal, self.now.get(plan.customer_id, []))
        if due < today:
            then = value_of(goal, self.then[due].get(plan.customer_id, []))
            state = GoalState.MET if reached(goal, then) else GoalState.MISSED
        else:
            state = timed_state(reached(goal, current), plan.starts_on, due, today)
        as_of = self.deposits_as_of if goal.kind == GoalKind.DPK_AT_LEAST else self.loans_as_of
        return GoalProgress(goal, due, current, state, as_of if goal.kind in MONEY_KINDS else None)

    def _dpd(self, plan: AccountPlan, goal: AccountPlanGoal, due: date) -> GoalProgress:
        listings = self.dpd.get(plan.customer_id, {})
        last = min(due, self.today)
        window = [dpd for day, dpd in listings.items() if plan.starts_on <= day <= last]
        current = listings.get(self.loans_as_of, 0) if self.loans_as_of else 0
        if max(window, default=0) > goal.dpd:
            state = GoalState.MISSED
        elif due < self.today:
            state = GoalState.MET
        elif current > 0:
            state = GoalState.AT_RISK
        else:
            state = GoalState.ON_TRACK
        return GoalProgress(goal, due, current, state, self.loans_as_of)


def progress_of(plans: list[AccountPlan], today: date) -> dict[int, list[GoalProgress]]:
    """Each plan's goals with their progress on `today`, by plan id (one batch of queries)."""
    facts = Facts(plans, today)
    return {plan.id: [facts.progress(plan, goal) for goal in plan.goals] for plan in plans}
