"""Account plan API: the customer's current plan, read and saved whole (create or replace)."""

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from aoapp.common.dates import bank_today
from aoapp.common.views import acting_user
from aoapp.errors import NotFound
from aoapp.plans import services
from aoapp.plans.schemas import AccountPlanInputSchema, AccountPlanSchema
from aoapp.plans.shown import plan_view

plans_blp = Blueprint("plans_api", __name__, url_prefix="/customers", description="Account plans")


@plans_blp.route("/<id:customer_id>/plan")
class CustomerPlan(MethodView):
    """The customer's account plan of the current year."""

    decorators = [login_required]

    @plans_blp.response(200, AccountPlanSchema)
    @plans_blp.alt_response(404, description="The customer is not yours, or has no plan this year.")
    def get(self, customer_id):
        """Read the current plan: each goal with its `kind`, `target`, `current` value and
        `state` (on_track, at_risk, met, missed), computed from the newest listings.

        Money is a decimal string. A customer without a plan for the current year answers 404,
        as a customer the caller may not see does (the message tells them apart for people)."""
        today = bank_today()
        _customer, plan = services.get_plan(acting_user(), customer_id, today)
        if plan is None:
            raise NotFound()
        return plan_view(plan, today)

    @plans_blp.arguments(AccountPlanInputSchema, required=False)
    @plans_blp.response(200, AccountPlanSchema)
    def put(self, data, customer_id):
        """Create or replace the current year's plan (the customer's assigned officer): its
        goals and products are those sent. Field errors answer 422 (a goal's under `goals` →
        its index); `version` other than the stored one answers 409. The plan's review is
        planned (or moved) as a follow-up on the officer's agenda."""
        today = bank_today()
        plan = services.save_plan(acting_user(), customer_id, data, today=today)
        return plan_view(plan, today)
