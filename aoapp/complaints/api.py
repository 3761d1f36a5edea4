"""Complaints API: list (scoped, filtered, paginated), receive, read, and the handling steps."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.complaints import services
from aoapp.complaints.schemas import (
    ComplaintFilterSchema,
    ComplaintInputSchema,
    ComplaintSchema,
    EscalateSchema,
    HandBackSchema,
    ResolveSchema,
    VersionSchema,
)

complaints_blp = Blueprint(
    "complaints_api", __name__, url_prefix="/complaints", description="Complaints"
)

ComplaintPageSchema = page_schema(ComplaintSchema, "ComplaintPage")


@complaints_blp.route("")
class Complaints(MethodView):
    """Complaints of the customers the caller may see."""

    decorators = [login_required]

    @complaints_blp.arguments(ComplaintFilterSchema, location="query", unknown=RAISE)
    @complaints_blp.response(200, ComplaintPageSchema)
    def get(self, filters):
        """List complaints: escalated first for supervisors, then still handled, by due date.

        Filters: status (a code or `active`), category, priority, officer, customer, facility,
        overdue (true/false); sort `due_date` or `received_at` (`-` for descending).
        """
        return services.list_complaints(current_user, filters, filters["per_page"])

    @complaints_blp.arguments(ComplaintInputSchema)
    @complaints_blp.response(201, ComplaintSchema)
    def post(self, data):
        """Log a complaint of a `customer` (id); it is handled by the customer's officer."""
        return services.receive(current_user, data)


@complaints_blp.route("/<id:complaint_id>")
class ComplaintResource(MethodView):
    """One complaint."""

    decorators = [login_required]

    @complaints_blp.response(200, ComplaintSchema)
    def get(self, complaint_id):
        """Read a complaint; `overdue` is true while it is handled after its due date."""
        return services.get_complaint(current_user, complaint_id)


@complaints_blp.route("/<id:complaint_id>/start")
class ComplaintStart(MethodView):
    """Start working on an open complaint."""

    decorators = [login_required]

    @complaints_blp.arguments(VersionSchema, required=False)
    @complaints_blp.response(200, ComplaintSchema)
    def post(self, data, complaint_id):
        """Open → in progress (the customer's officer)."""
        complaint = services.get_complaint(current_user, complaint_id)
        return services.start(current_user, complaint, version=data["version"])


@complaints_blp.route("/<id:complaint_id>/escalate")
class ComplaintEscalate(MethodView):
    """Escalate to the branch supervisor."""

    decorators = [login_required]

    @complaints_blp.arguments(EscalateSchema)
    @complaints_blp.response(200, ComplaintSchema)
    def post(self, data, complaint_id):
        """Open or in progress → escalated, with a `reason` (the customer's officer)."""
        complaint = services.get_complaint(current_user, complaint_id)
        return services.escalate(current_user, complaint, data["reason"], version=data["version"])


@complaints_blp.route("/<id:complaint_id>/resolve")
class ComplaintResolve(MethodView):
    """Record the resolution."""

    decorators = [login_required]

    @complaints_blp.arguments(ResolveSchema)
    @complaints_blp.response(200, ComplaintSchema)
    def post(self, data, complaint_id):
        """→ resolved, with a `resolution` (officer; the branch supervisor when escalated)."""
        complaint = services.get_complaint(current_user, complaint_id)
        return services.resolve(
            current_user, complaint, data["resolution"], version=data["version"]
        )


@complaints_blp.route("/<id:complaint_id>/hand-back")
class ComplaintHandBack(MethodView):
    """Hand an escalated complaint back to the officer."""

    decorators = [login_required]

    @complaints_blp.arguments(HandBackSchema)
    @complaints_blp.response(200, ComplaintSchema)
    def post(self, data, complaint_id):
        """Escalated → in progress, with a `note` to the officer (the branch supervisor)."""
        complaint = services.get_complaint(current_user, complaint_id)
        return services.hand_back(current_user, complaint, data["note"], version=data["version"])


@complaints_blp.route("/<id:complaint_id>/close")
class ComplaintClose(MethodView):
    """Close a resolved complaint."""

    decorators = [login_required]

    @complaints_blp.arguments(VersionSchema, required=False)
    @complaints_blp.response(200, ComplaintSchema)
    def post(self, data, complaint_id):
        """Resolved → closed (the customer's officer or the branch supervisor)."""
        complaint = services.get_complaint(current_user, complaint_id)
        return services.close(current_user, complaint, version=data["version"])
