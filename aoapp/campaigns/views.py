"""HTML pages of marketing campaigns: list with filters, create, edit, and the campaign's figures."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import EXCLUDE

from aoapp.campaigns import services
from aoapp.campaigns.forms import CampaignFilterForm, CampaignForm
from aoapp.campaigns.hooks import campaign_stats, tagged_prospect_counts
from aoapp.campaigns.schemas import CampaignFilterSchema, CampaignInputSchema
from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, load_filters_reporting, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.templating import label
from aoapp.common.views import REFUSALS, acting_user

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


def _filters() -> tuple[dict, list[str]]:
    """The list filters from the query string; a bad value is dropped and reported, not fatal."""
    return load_filters_reporting(CampaignFilterSchema(unknown=EXCLUDE), label)


@bp.get("/")
@login_required
def index():
    """The campaigns the user may see, filtered and paginated, with their tagged prospects."""
    filters, problems = _filters()
    page = services.list_campaigns(acting_user(), filters, HTML_PER_PAGE)
    form = CampaignFilterForm(formdata=request.args)
    form.set_choices(acting_user())
    return render_template(
        "campaigns/index.html",
        page=page,
        form=form,
        problems=problems,
        today=bank_today(),
        status_on=services.status_on,
        prospects=tagged_prospect_counts(acting_user(), [c.id for c in page.items]),
        can_create=acting_user().role in ("admin", "supervisor"),
    )


def _render_form(form, campaign=None, status=200):
    return render_template("campaigns/form.html", form=form, campaign=campaign), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a campaign (supervisors for their branches, admins for any)."""
    services.require_manager(acting_user())
    form = CampaignForm()
    form.set_choices(acting_user())
    if request.method == "GET":
        return _render_form(form)
    data = load_form(CampaignInputSchema(), form)
    if data is None:
        return _render_form(form, status=422)
    try:
        campaign = services.create_campaign(acting_user(), data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_form(form, status=error.status_code)
    flash(_("Campaign %(name)s saved.", name=campaign.name), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/<id:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id: int):
    """Edit a campaign the user manages."""
    campaign = services.get_campaign(acting_user(), campaign_id)
    services.require_can_manage(acting_user(), campaign)
    form = CampaignForm() if request.method == "POST" else CampaignForm.for_campaign(campaign)
    form.set_choices(acting_user(), campaign)
    if request.method == "GET":
        return _render_form(form, campaign)
    data = load_form(CampaignInputSchema(), form)
    if data is None:
        return _render_form(form, campaign, status=422)
    try:
        services.update_campaign(acting_user(), campaign, data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_form(form, campaign, error.status_code)
    flash(_("Campaign updated."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.get("/<id:campaign_id>")
@login_required
def detail(campaign_id: int):
    """The campaign, its figures in the user's scope (table and chart) and links to the lists."""
    campaign = services.get_campaign(acting_user(), campaign_id)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        stats=campaign_stats(acting_user(), campaign),
        status=services.status_on(campaign, bank_today()),
        can_edit=services.can_manage(acting_user(), campaign),
    )
