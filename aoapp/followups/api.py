"""Follow-ups and promises-to-pay API."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import TYPED_HEADER_DOC, page_schema
from aoapp.followups import services
from aoapp.followups.schemas import (
    CancelSchema,
    CompleteSchema,
    FollowUpFilterSchema,
    FollowUpPatchSchema,
    FollowUpSchema,
    MissedSchema,
    PlanSchema,
    PromiseDetailSchema,
    PromiseFilterSchema,
    PromiseSchema,
    RescheduleSchema,
)
from aoapp.offline.idempotency import HEADER_DOC, idempotent

followups_blp = Blueprint(
    "followups_api", __name__, url_prefix="/followups", description="Follow-ups"
)
promises_blp = Blueprint(
    "promises_api", __name__, url_prefix="/promises", description="Promises to pay"
)

FollowUpPageSchema = page_schema(FollowUpSchema, "FollowUpPage")
PromisePageSchema = page_schema(PromiseSchema, "PromisePage")


@followups_blp.route("")
class FollowUps(MethodView):
    """The follow-ups the caller may see."""

    decorators = [login_required]

    @followups_blp.arguments(FollowUpFilterSchema, location="query", unknown=RAISE)
    @followups_blp.response(200, FollowUpPageSchema)
    def get(self, filters):
        """List follow-ups, by planned date (filters: owner, status, purpose, planned_from,
        planned_to, customer, facility, prospect, suggested; sort; page, per_page)."""
        return services.list_followups(current_user, filters, filters["per_page"])

    @followups_blp.arguments(PlanSchema)
    @followups_blp.response(201, FollowUpSchema)
    def post(self, data):
        """Plan a follow-up with a `customer` (optionally one of its `facility`) or a `prospect`
        of the caller (an officer); the planned date is today or later."""
        return services.plan(current_user, data)


@followups_blp.route("/<id:followup_id>")
class FollowUpResource(MethodView):
    """One follow-up, with its promise to pay and the promise's state."""

    decorators = [login_required]

    @followups_blp.response(200, FollowUpSchema)
    def get(self, followup_id):
        """Read a follow-up."""
        return services.get_followup(current_user, followup_id)

    @followups_blp.arguments(FollowUpPatchSchema(partial=True), required=False)
    @followups_blp.response(200, FollowUpSchema)
    def patch(self, data, followup_id):
        """Change the channel, time or notes of a planned follow-up (its owner; send `version`)."""
        followup = services.get_followup(current_user, followup_id)
        return services.update(current_user, followup, data)


@followups_blp.route("/<id:followup_id>/complete")
class FollowUpComplete(MethodView):
    """Log the outcome of a planned follow-up."""

    decorators = [login_required]

    @followups_blp.doc(parameters=[HEADER_DOC, TYPED_HEADER_DOC])
    @idempotent("followup-complete", page=("followups.detail", "followup_id"))
    @followups_blp.arguments(CompleteSchema)
    @followups_blp.response(200, FollowUpSchema)
    def post(self, data, followup_id):
        """Log the `outcome`; `promised_to_pay` needs `promised_amount` and `promised_date` and
        records a promise; `next_date` (with next_channel/time/purpose/notes) plans the next."""
        followup = services.get_followup(current_user, followup_id)
        return services.complete(current_user, followup, data)


@followups_blp.route("/<id:followup_id>/reschedule")
class FollowUpReschedule(MethodView):
    """Move a planned follow-up."""

    decorators = [login_required]

    @followups_blp.arguments(RescheduleSchema)
    @followups_blp.response(200, FollowUpSchema)
    def post(self, data, followup_id):
        """Move to `planned_date` (and `planned_time`); a suggested follow-up needs a `reason`."""
        followup = services.get_followup(current_user, followup_id)
        return services.reschedule(current_user, followup, data)


@followups_blp.route("/<id:followup_id>/cancel")
class FollowUpCancel(MethodView):
    """Cancel a planned follow-up."""

    decorators = [login_required]

    @followups_blp.arguments(CancelSchema)
    @followups_blp.response(200, FollowUpSchema)
    def post(self, data, followup_id):
        """Cancel, with a `reason`."""
        followup = services.get_followup(current_user, followup_id)
        return services.cancel(current_user, followup, data)


@followups_blp.route("/<id:followup_id>/missed")
class FollowUpMissed(MethodView):
    """Mark a planned follow-up missed."""

    decorators = [login_required]

    @followups_blp.arguments(MissedSchema, required=False)
    @followups_blp.response(200, FollowUpSchema)
    def post(self, data, followup_id):
        """Mark missed a planned follow-up whose day has passed."""
        followup = services.get_followup(current_user, followup_id)
        return services.mark_missed(current_user, followup, data)


@promises_blp.route("")
class Promises(MethodView):
    """The promises to pay the caller may see."""

    decorators = [login_required]

    @promises_blp.arguments(PromiseFilterSchema, location="query", unknown=RAISE)
    @promises_blp.response(200, PromisePageSchema)
    def get(self, filters):
        """List promises, newest promised date first (filters: state, owner (the customer's
        officer), customer, facility, promised_from, promised_to; sort; page, per_page)."""
        return services.list_promises(current_user, filters, filters["per_page"])


@promises_blp.route("/<id:promise_id>")
class PromiseResource(MethodView):
    """One promise to pay."""

    decorators = [login_required]

    @promises_blp.response(200, PromiseDetailSchema)
    def get(self, promise_id):
        """Read a promise: its state, deadline and (when kept) the date of the keeping position."""
        return services.get_promise(current_user, promise_id)
