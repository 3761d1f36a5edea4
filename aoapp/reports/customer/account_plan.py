"""The customer workbook's account plan sheet (`Rencana Akun` / `Account plan`): the customer's
current plan and its goals' progress (plans.shown.plans_for_report).

Period-true where the plan allows it: the plan of the period's year written by the period's
judging day, its goals judged as of that day (the listings then, actions done by then); a plan
changed after the period says so, its text and goals being the plan as it stands now (the plan's
audit trail keeps what it said before). Amounts are numbers with the money format; dates are
dates.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.plans.models import GoalKind
from aoapp.reports.commentary import day_text, label
from aoapp.reports.sheets import DATE, INT, MONEY, Column, Fact

MONEY_KINDS = (GoalKind.OUTSTANDING_AT_LEAST, GoalKind.DPK_AT_LEAST)
PLAN_COLUMNS = (
    Column("goal", _l("Goal"), width=28),
    Column("target_amount", _l("Target amount"), MONEY),
    Column("current_amount", _l("Current amount"), MONEY),
    Column("target", _l("Target")),
    Column("current", _l("Current value")),
    Column("state", _l("State")),
    Column("due_date", _l("Due date"), DATE),
    Column("as_of", _l("Listing of"), DATE),
    Column("note", _l("Action or note"), width=40),
)


def _texts(goal) -> tuple[str | None, str | None]:
    """The target and today's value of a goal that is no amount, in the reader's words."""
    if goal.kind == GoalKind.MAX_DPD:
        return _("No DPD above %(days)s days", days=goal.target), str(goal.value)
    if goal.kind == GoalKind.HOLDS_PRODUCT:
        held = _("held now") if goal.value else _("not held now")
        return goal.product_name or label(goal.target), held
    if goal.kind == GoalKind.ACTION:
        return goal.text, _("done") if goal.done else _("not done yet")
    return None, None


def plan_rows(data) -> list[tuple]:
    """One row per goal: amounts as numbers in their columns, the rest as words."""
    found = data.account_plan
    rows = []
    for goal in found.goals if found else ():
        money = goal.kind in MONEY_KINDS
        target, current = _texts(goal)
        rows.append(
            (
                label(goal.kind),
                goal.amount if money else None,
                goal.value if money else None,
                target,
                current,
                label(goal.state),
                goal.due_date,
                goal.as_of,
                goal.text if goal.kind != GoalKind.ACTION else "",
            )
        )
    return rows


def plan_facts(data) -> list[Fact]:
    """The plan's own facts above its goals (none without a plan)."""
    found = data.account_plan
    if found is None:
        return []
    plan = found.plan
    tags = ", ".join(label(tag) for tag in plan.need_tags or [])
    products = ", ".join(f"{code} – {name}" for code, name in found.products)
    return [
        Fact(_("Goals judged as of %(day)s.", day=day_text(found.today)), ""),
        *_changed(found),
        Fact(_("Plan year"), plan.year, INT),
        Fact(_("Needs"), " · ".join(part for part in (tags, plan.needs) if part)),
        Fact(_("Planned products"), products),
        Fact(_("Risks"), plan.risks),
        Fact(_("Next step"), plan.next_step),
        Fact(_("Review every (months)"), plan.review_months, INT),
        Fact(_("Next review"), plan.next_review_date, DATE),
        Fact(_("Last reviewed"), plan.last_reviewed_on, DATE),
    ]


def _changed(found) -> list[Fact]:
    """A line saying the plan was changed after the period, when it was."""
    if found.changed_on is None:
        return []
    said = _(
        "The plan was changed on %(day)s, after the period: its text and goals are as it "
        "stands now; the audit trail keeps what it said before.",
        day=day_text(found.changed_on),
    )
    return [Fact(said, "")]


def empty_message(data) -> str:
    if data.account_plan is None:
        return _("No account plan for this customer.")
    return _("No goals yet.")
