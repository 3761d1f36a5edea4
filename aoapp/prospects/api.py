"""Prospects API: list (same filters as the page), create, read, update, status change, convert.

Lists answer the envelope {items, page, per_page, total, pages}. A prospect outside the caller's
scope is 404; one the caller may see but not change is 403; a duplicate NIK or phone is 409.
"""

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.customers.schemas import CustomerSchema
from aoapp.prospects import services
from aoapp.prospects.schemas import (
    ConvertSchema,
    ProspectFilterSchema,
    ProspectInputSchema,
    ProspectSchema,
    ProspectSummarySchema,
    ProspectUpdateSchema,
    StatusChangeSchema,
)

prospects_blp = Blueprint(
    "prospects_api", __name__, url_prefix="/prospects", description="Prospects"
)

ProspectPageSchema = page_schema(ProspectSummarySchema, "ProspectPageSchema")


@prospects_blp.route("")
class Prospects(MethodView):
    """The prospects the caller may see."""

    decorators = [login_required]

    @prospects_blp.arguments(ProspectFilterSchema, location="query", unknown=RAISE)
    @prospects_blp.response(200, ProspectPageSchema)
    def get(self, filters):
        """List prospects: filter by status, source, owner, campaign, created_from/created_to
        (collected days, bank time zone), follow_up, q; sort; paginate."""
        return services.list_prospects(acting_user(), filters, filters["per_page"])

    @prospects_blp.arguments(ProspectInputSchema)
    @prospects_blp.response(201, ProspectSchema)
    @prospects_blp.alt_response(403, response="FORBIDDEN")
    @prospects_blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Collect a prospect (officers). Same NIK or phone as another record answers 409;
        resend with allow_duplicate_phone=true to save a shared phone. `campaign_id` must be a
        campaign that runs in the officer's branch (else 422)."""
        return services.create_prospect(acting_user(), data)


@prospects_blp.route("/<id:prospect_id>")
class ProspectItem(MethodView):
    """One prospect."""

    decorators = [login_required]

    @prospects_blp.response(200, ProspectSchema)
    @prospects_blp.alt_response(404, response="NOT_FOUND")
    def get(self, prospect_id):
        """Read a prospect with its pipeline history."""
        return services.get_prospect(acting_user(), prospect_id)

    @prospects_blp.arguments(ProspectUpdateSchema(partial=True), required=False)
    @prospects_blp.response(200, ProspectSchema)
    @prospects_blp.alt_response(403, response="FORBIDDEN")
    @prospects_blp.alt_response(404, response="NOT_FOUND")
    @prospects_blp.alt_response(409, response="CONFLICT")
    def patch(self, data, prospect_id):
        """Change some fields; `status` (with `lost_reason` when rejected or lost) moves it."""
        prospect = services.get_prospect(acting_user(), prospect_id)
        return services.update_prospect(acting_user(), prospect, data)


@prospects_blp.route("/<id:prospect_id>/status")
class ProspectStatusResource(MethodView):
    """The prospect's pipeline status."""

    decorators = [login_required]

    @prospects_blp.arguments(StatusChangeSchema)
    @prospects_blp.response(200, ProspectSchema)
    @prospects_blp.alt_response(403, response="FORBIDDEN")
    @prospects_blp.alt_response(404, response="NOT_FOUND")
    @prospects_blp.alt_response(409, response="CONFLICT")
    def post(self, data, prospect_id):
        """Move the prospect along the pipeline (history kept)."""
        prospect = services.get_prospect(acting_user(), prospect_id)
        return services.change_status(
            acting_user(), prospect, data["status"], data["lost_reason"], data["lost_note"]
        )


@prospects_blp.route("/<id:prospect_id>/convert")
class ProspectConversion(MethodView):
    """Conversion of a prospect into a customer."""

    decorators = [login_required]

    @prospects_blp.arguments(ConvertSchema)
    @prospects_blp.response(201, CustomerSchema)
    @prospects_blp.alt_response(403, response="FORBIDDEN")
    @prospects_blp.alt_response(404, response="NOT_FOUND")
    @prospects_blp.alt_response(409, response="CONFLICT")
    def post(self, data, prospect_id):
        """Create the customer with the CIF from core banking; the prospect becomes won."""
        prospect = services.get_prospect(acting_user(), prospect_id)
        return services.convert(acting_user(), prospect, data)
