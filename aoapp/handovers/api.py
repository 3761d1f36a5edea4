"""Handovers API: hand customers over, list and read handovers, download the change file."""

from flask import send_file
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.handovers import services
from aoapp.handovers.schemas import (
    HandoverCreatedSchema,
    HandoverDetailSchema,
    HandoverInputSchema,
    HandoverListArgsSchema,
    HandoverSchema,
    change_file_url,
)

handovers_blp = Blueprint(
    "handovers_api", __name__, url_prefix="/handovers", description="Portfolio handovers"
)
HandoverPageSchema = page_schema(HandoverSchema, "HandoverPage")


@handovers_blp.route("")
class Handovers(MethodView):
    """Handovers of customers between officers."""

    decorators = [login_required]

    @handovers_blp.arguments(HandoverListArgsSchema, location="query", unknown=RAISE)
    @handovers_blp.response(200, HandoverPageSchema)
    def get(self, args):
        """The handovers the caller may see (a supervisor: from or to their branches), newest
        first."""
        return services.list_handovers(acting_user(), args["page"], args["per_page"])

    @handovers_blp.arguments(HandoverInputSchema)
    @handovers_blp.response(201, HandoverCreatedSchema)
    @handovers_blp.alt_response(403, response="FORBIDDEN")
    @handovers_blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Hand `customers` (customer ids; left out: all) of `from_officer` over to `to_officer`
        (both user ids), with their planned follow-ups, open complaints, account plans and open
        renewal opportunities.

        A supervisor of both officers' branches, or an admin (across branches); the officer taking
        over must be active and have an officer code. Answers the handover's `id`, how many
        customers `moved`, and `change_file`, the URL of the CSV for core banking (`cif`,
        `account_no`, `old_officer_code`, `new_officer_code`). Each customer stays pending until a
        listing shows the new officer code. Customers handed over meanwhile: 409.
        """
        handover = services.hand_over(acting_user(), data)
        return {
            "id": handover.id,
            "moved": handover.customer_count,
            "change_file": change_file_url(handover.id),
        }


@handovers_blp.route("/<id:handover_id>")
class HandoverResource(MethodView):
    """One handover."""

    decorators = [login_required]

    @handovers_blp.response(200, HandoverDetailSchema)
    @handovers_blp.alt_response(404, response="NOT_FOUND")
    def get(self, handover_id):
        """A handover with its customers and core banking's status of each (pending, confirmed,
        conflict, reverted, superseded)."""
        return services.get_detail(acting_user(), handover_id)


@handovers_blp.route("/<id:handover_id>/change-file")
class HandoverChangeFile(MethodView):
    """The handover's change file for core banking."""

    decorators = [login_required]

    @handovers_blp.response(
        200, content_type="text/csv", description="cif,account_no,old_officer_code,new_officer_code"
    )
    @handovers_blp.alt_response(404, response="NOT_FOUND")
    def get(self, handover_id):
        """Download the CSV (who may see the handover; else 404)."""
        handover, path = services.change_file_of(acting_user(), handover_id)
        return send_file(
            path,
            mimetype="text/csv",
            as_attachment=True,
            download_name=f"handover-{handover.id}.csv",
            max_age=0,
        )
