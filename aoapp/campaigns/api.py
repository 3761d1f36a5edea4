"""Campaigns API: list (same filters as the page), create, read, change, and the figures.

Lists answer the envelope {items, page, per_page, total, pages}. A campaign outside the caller's
scope is 404; one the caller may read but not change is 403; a taken name is 422.
"""

from flask.views import MethodView
from flask_babel import force_locale
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.campaigns import services
from aoapp.campaigns.hooks import campaign_stats
from aoapp.campaigns.schemas import (
    CampaignFilterSchema,
    CampaignInputSchema,
    CampaignPatchSchema,
    CampaignSchema,
    CampaignStatsSchema,
)
from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user

campaigns_blp = Blueprint(
    "campaigns_api", __name__, url_prefix="/campaigns", description="Campaigns"
)

CampaignPageSchema = page_schema(CampaignSchema, "CampaignPage")


@campaigns_blp.route("")
class Campaigns(MethodView):
    """The campaigns the caller may see."""

    decorators = [login_required]

    @campaigns_blp.arguments(CampaignFilterSchema, location="query", unknown=RAISE)
    @campaigns_blp.response(200, CampaignPageSchema)
    def get(self, filters):
        """List campaigns: filter by channel, branch, status, active_on, q; sort; paginate."""
        return services.list_campaigns(acting_user(), filters, filters["per_page"])

    @campaigns_blp.arguments(CampaignInputSchema)
    @campaigns_blp.response(201, CampaignSchema)
    @campaigns_blp.alt_response(403, response="FORBIDDEN")
    def post(self, data):
        """Create a campaign (supervisors in their branches, admins anywhere)."""
        return services.create_campaign(acting_user(), data)


@campaigns_blp.route("/<id:campaign_id>")
class CampaignItem(MethodView):
    """One campaign."""

    decorators = [login_required]

    @campaigns_blp.response(200, CampaignSchema)
    @campaigns_blp.alt_response(404, response="NOT_FOUND")
    def get(self, campaign_id):
        """Read a campaign."""
        return services.get_campaign(acting_user(), campaign_id)

    @campaigns_blp.arguments(CampaignPatchSchema(partial=True), required=False)
    @campaigns_blp.response(200, CampaignSchema)
    @campaigns_blp.alt_response(403, response="FORBIDDEN")
    @campaigns_blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, campaign_id):
        """Change some fields of a campaign the caller manages."""
        campaign = services.get_campaign(acting_user(), campaign_id)
        return services.update_campaign(acting_user(), campaign, data)


@campaigns_blp.route("/<id:campaign_id>/stats")
class CampaignStatsResource(MethodView):
    """A campaign's figures."""

    decorators = [login_required]

    @campaigns_blp.response(200, CampaignStatsSchema)
    @campaigns_blp.alt_response(404, response="NOT_FOUND")
    def get(self, campaign_id):
        """Prospects by status, converted customers, facilities opened, introductions, cost per
        converted customer — over the prospects and introductions the caller may see."""
        campaign = services.get_campaign(acting_user(), campaign_id)
        with force_locale("en"):  # the API answers codes; its labels stay English
            return campaign_stats(acting_user(), campaign)
