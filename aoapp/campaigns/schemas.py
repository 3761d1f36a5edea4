"""Validation rules and API shapes of marketing campaigns, used by the web forms and the API."""

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from aoapp.auth.models import Branch
from aoapp.campaigns.models import Campaign, CampaignChannel
from aoapp.campaigns.services import status_on
from aoapp.common.dates import bank_today
from aoapp.common.schemas import (
    BaseSchema,
    Id,
    Money,
    PageArgsSchema,
    Text,
    choice,
    search_field,
    sort_field,
)
from aoapp.products.models import Product

STATUSES = ["upcoming", "running", "ended"]
SORT_KEYS = ["name", "channel", "starts_on", "ends_on"]
PERIOD_ORDER = _l("The campaign cannot end before it starts.")


class CampaignInputSchema(BaseSchema):
    """A campaign as a supervisor or an admin enters it (the API loads it partially for PATCH)."""

    name = Text(required=True, max_length=120)
    channel = choice(CampaignChannel, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    branches = fields.List(
        Id(),
        required=True,
        validate=validate.Length(min=1, error=_l("Pick at least one branch.")),
        metadata={"description": "Ids of the branches the campaign runs in."},
    )
    products = fields.List(
        Id(),
        load_default=list,
        metadata={"description": "Ids of the (active) products it promotes."},
    )
    cost = Money(allow_none=True, load_default=None)
    description = Text(load_default="", max_length=4000)

    @validates_schema
    def period_in_order(self, data, **kwargs):
        """The end date is on or after the start date (a PATCH is checked again with the rest)."""
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            raise ValidationError(str(PERIOD_ORDER), "ends_on")


class CampaignPatchSchema(CampaignInputSchema):
    """API change of some fields of a campaign (loaded with partial=True)."""


class CampaignFilterSchema(PageArgsSchema):
    """List filters shared by the page and the API."""

    channel = choice(CampaignChannel, load_default=None, allow_none=True)
    branch = Id(load_default=None, allow_none=True)
    status = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(STATUSES, error=_l("Must be one of: upcoming, running, ended.")),
        metadata={"description": "Relative to the bank's today."},
    )
    active_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "Campaigns whose period includes this date."},
    )
    q = search_field("Words of the name or description.")
    sort = sort_field(SORT_KEYS)


class BranchRefSchema(BaseSchema):
    """A branch as campaigns show it."""

    class Meta:
        model = Branch

    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class ProductRefSchema(BaseSchema):
    """A product as campaigns show it."""

    class Meta:
        model = Product

    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class CampaignSchema(BaseSchema):
    """A campaign as the API returns it."""

    class Meta:
        model = Campaign

    id = fields.Integer()
    name = fields.String()
    channel = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.Function(lambda c: campaign_status(c))
    cost = fields.Decimal(allow_none=True, as_string=True, places=2)
    description = fields.String()
    branches = fields.List(fields.Nested(BranchRefSchema))
    products = fields.List(fields.Nested(ProductRefSchema))
    created_by = fields.Function(lambda c: c.created_by.username if c.created_by else None)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


def campaign_status(campaign) -> str:
    """upcoming, running or ended, on the bank's today."""
    return status_on(campaign, bank_today())


class CountSchema(BaseSchema):
    """One line of a breakdown: a code, its label and how many."""

    code = fields.String()
    label = fields.String()
    count = fields.Integer()


class CampaignStatsSchema(BaseSchema):
    """A campaign's performance in the caller's scope (see aoapp/kpis/campaigns.py)."""

    campaign_id = fields.Integer()
    campaign_name = fields.String()
    scope = fields.String(attribute="scope_label")
    whole = fields.Boolean(metadata={"description": "True when every branch is counted."})
    prospects_collected = fields.Integer()
    prospects_by_status = fields.List(fields.Nested(CountSchema))
    converted_customers = fields.Integer()
    conversion_rate = fields.Decimal(allow_none=True, as_string=True, places=4)
    facilities_opened = fields.Integer()
    facilities_plafond = fields.Decimal(as_string=True, places=2)
    introductions = fields.Integer()
    introductions_by_outcome = fields.List(fields.Nested(CountSchema))
    cost = fields.Decimal(allow_none=True, as_string=True, places=2)
    cost_per_converted_customer = fields.Decimal(allow_none=True, as_string=True, places=2)
