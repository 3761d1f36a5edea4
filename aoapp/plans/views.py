"""Account plan pages: the plan (one phone screen), its form, the review and comments, and the
supervisor's coverage of the top customers."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, copy_errors, load_form
from aoapp.common.i18n import locale_code
from aoapp.common.money import format_typed
from aoapp.common.schemas import Typed
from aoapp.common.views import REFUSALS, acting_user
from aoapp.customers.hooks import customer_section
from aoapp.customers.services import is_assigned_officer, require_officer_owner
from aoapp.plans import coverage, services
from aoapp.plans.forms import CommentForm, PlanForm
from aoapp.plans.schemas import MAX_GOALS, AccountPlanCommentInputSchema, AccountPlanInputSchema
from aoapp.plans.shown import plan_view
from aoapp.products.services import active_products

bp = Blueprint("plans", __name__)


class PlanSection:
    """The customer page's account plan card: the plan shown, and what the user may do."""

    def __init__(self, view, can_edit: bool, year: int):
        self.view, self.can_edit, self.year = view, can_edit, year


@customer_section("account_plan")
def customer_plan(actor, customer) -> PlanSection:
    """The account plan card of a customer page the actor already may see."""
    today = bank_today()
    plan = services.current_plan(customer.id, today)
    view = plan_view(plan, today) if plan is not None else None
    return PlanSection(view, is_assigned_officer(actor, customer), today.year)


@bp.get("/customers/<id:customer_id>/plan")
@login_required
def detail(customer_id: int):
    """The customer's current plan: goals with their progress, products, review, comments."""
    actor, today = acting_user(), bank_today()
    customer, plan = services.get_plan(actor, customer_id, today)
    return render_template(
        "plans/detail.html",
        customer=customer,
        view=plan_view(plan, today) if plan is not None else None,
        year=today.year,
        can_edit=is_assigned_officer(actor, customer),
        comment_form=CommentForm() if services.can_comment(actor, customer) else None,
    )


def _goal_rows() -> tuple[list[dict], list[int], dict]:
    """The goal rows filled in (kind chosen), their row numbers, and errors of rows with a
    target, date or text but no kind."""
    goals, rows, errors = [], [], {}
    for index in range(MAX_GOALS):
        get = lambda name, i=index: request.form.get(f"goals-{i}-{name}", "").strip()  # noqa: E731
        if not get("kind"):
            if get("target") or get("due_date") or get("text"):
                errors[index] = {"kind": [_("Choose the kind of goal, or clear the row.")]}
            continue
        goals.append(
            {
                "kind": get("kind"),
                "target": Typed(get("target")) if get("target") else None,
                "due_date": Typed(get("due_date")) if get("due_date") else None,
                "text": get("text") or None,
                "done": request.form.get(f"goals-{index}-done") in {"y", "on", "true", "1"},
            }
        )
        rows.append(index)
    return goals, rows, errors


def _goal_errors(form, errors: dict) -> None:
    """Put errors by goal row onto the row's fields."""
    for index, fields in errors.items():
        row = form.goals[int(index)].form
        for name, messages in fields.items():
            target = getattr(row, name, None) or row.kind
            target.errors = list(target.errors or []) + [str(m) for m in messages]


def _load(form) -> dict | None:
    """The submitted plan read by the schema, or None with the errors on the form."""
    goals, rows, row_errors = _goal_rows()
    payload = {
        "needs": request.form.get("needs", ""),
        "need_tags": request.form.getlist("need_tags"),
        "risks": request.form.get("risks", ""),
        "next_step": request.form.get("next_step", ""),
        "review_months": request.form.get("review_months") or "3",
        "next_review_date": Typed(value)
        if (value := request.form.get("next_review_date", "").strip())
        else None,
        "products": request.form.getlist("products"),
        "goals": goals,
        "version": request.form.get("version") or None,
    }
    errors = {}
    try:
        data = AccountPlanInputSchema().load(payload)
    except ValidationError as error:
        data, errors = None, error.normalized_messages()
    goal_errors = {
        rows[int(i)]: e for i, e in (errors.pop("goals", None) or {}).items() if str(i).isdigit()
    }
    goal_errors |= row_errors
    copy_errors(form, errors)
    _goal_errors(form, goal_errors)
    return None if goal_errors else data


def _fill_form(form, plan) -> None:
    """The stored plan in the form."""
    form.version.data = plan.version
    form.needs.data, form.risks.data, form.next_step.data = plan.needs, plan.risks, plan.next_step
    form.need_tags.data = list(plan.need_tags or [])
    form.products.data = [p.product.code for p in plan.products]
    form.review_months.data = str(plan.review_months)
    form.next_review_date.data = plan.next_review_date.strftime("%d/%m/%Y")
    for row, goal in zip(form.goals, plan.goals, strict=False):
        row.form.kind.data = goal.kind
        row.form.target.data = _typed_target(goal)
        row.form.due_date.data = goal.due_date.strftime("%d/%m/%Y") if goal.due_date else ""
        row.form.text.data = goal.text
        row.form.done.data = goal.done


def _typed_target(goal) -> str:
    """A goal's target as the form shows it (an amount as people write it)."""
    if goal.amount is not None:
        return format_typed(goal.amount, locale_code())
    if goal.dpd is not None:
        return str(goal.dpd)
    return goal.product.code if goal.product is not None else goal.category or ""


@bp.route("/customers/<id:customer_id>/plan/edit", methods=["GET", "POST"])
@login_required
def edit(customer_id: int):
    """Write or change the customer's plan for the year (the assigned officer)."""
    actor, today = acting_user(), bank_today()
    customer, plan = services.get_plan(actor, customer_id, today)
    require_officer_owner(actor, customer)
    form = PlanForm()
    form.set_products(active_products())
    if request.method == "POST":
        data = _load(form)
        if data is not None:
            try:
                services.save_plan(actor, customer.id, data, today=today)
            except REFUSALS as error:
                errors = dict(error.errors or {})
                _goal_errors(form, {k: v for k, v in (errors.pop("goals", None) or {}).items()})
                apply_domain_error(form, type(error)(error.message, errors or None))
            else:
                flash(_("Account plan saved; its review is on your agenda."), "success")
                return redirect(url_for("plans.detail", customer_id=customer.id))
        return _render_form(form, customer, plan, today, 422)
    if plan is not None:
        _fill_form(form, plan)
    return _render_form(form, customer, plan, today)


def _render_form(form, customer, plan, today, status=200):
    page = render_template(
        "plans/form.html", form=form, customer=customer, plan=plan, year=today.year
    )
    return page, status


@bp.post("/customers/<id:customer_id>/plan/review")
@login_required
def review(customer_id: int):
    """Record that the plan was reviewed with the customer; the next review is planned."""
    plan = services.mark_reviewed(acting_user(), customer_id)
    flash(
        _(
            "Review recorded; the next one is planned for %(day)s.",
            day=plan.next_review_date.strftime("%d/%m/%Y"),
        ),
        "success",
    )
    return redirect(url_for("plans.detail", customer_id=customer_id))


@bp.post("/customers/<id:customer_id>/plan/comments")
@login_required
def comment(customer_id: int):
    """A supervisor's comment on the plan (audited); the officer reads it on the plan."""
    actor = acting_user()
    services.get_plan(actor, customer_id)  # a customer out of scope is 404 before anything
    form = CommentForm()
    data = load_form(AccountPlanCommentInputSchema(), form)
    if data is None:
        flash(" ".join(form.text.errors) or _("Write a comment."), "danger")
    else:
        services.add_comment(actor, customer_id, data)
        flash(_("Comment added."), "success")
    return redirect(url_for("plans.detail", customer_id=customer_id))


@bp.get("/plans/coverage")
@login_required
def coverage_page():
    """The top customers by exposure or funding, without a current plan or overdue first."""
    by = request.args.get("by") if request.args.get("by") in coverage.BY else "exposure"
    size = request.args.get("size", type=int)
    size = size if size in coverage.SIZES else coverage.DEFAULT_SIZE
    found = coverage.plan_coverage(acting_user(), by, size, bank_today())
    return render_template("plans/coverage.html", coverage=found, sizes=coverage.SIZES)
