"""HTML pages for prospects: list with filters and CSV export, collect, edit, pipeline, convert."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import EXCLUDE

from aoapp.auth.scoping import can_see
from aoapp.campaigns.services import can_see_campaign
from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, load_filters_reporting, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.sections import sections_for
from aoapp.common.templating import label
from aoapp.common.views import REFUSALS, acting_user
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.prospects import services
from aoapp.prospects.export import prospects_csv
from aoapp.prospects.forms import ConvertForm, FilterForm, ProspectForm, StatusForm
from aoapp.prospects.models import Prospect
from aoapp.prospects.schemas import (
    ConvertSchema,
    ProspectEditSchema,
    ProspectFilterSchema,
    ProspectInputSchema,
    StatusChangeSchema,
)

bp = Blueprint("prospects", __name__, url_prefix="/prospects")


def _filters() -> tuple[dict, list[str]]:
    """The list filters from the query string; a bad value is dropped and reported, not fatal."""
    return load_filters_reporting(ProspectFilterSchema(unknown=EXCLUDE), label)


@bp.get("/")
@login_required
def index():
    """The prospects the user may see, filtered, sorted and paginated (50 per page)."""
    filters, problems = _filters()
    page = services.list_prospects(acting_user(), filters, HTML_PER_PAGE)
    form = FilterForm(formdata=request.args)
    form.set_choices(acting_user())
    export_args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return render_template(
        "prospects/index.html",
        page=page,
        form=form,
        problems=problems,
        export_url=url_for("prospects.export_csv", **export_args),
    )


@bp.get("/export.csv")
@login_required
def export_csv():
    """Every prospect of the filtered list (not only one page), as CSV for Excel."""
    filters, _problems = _filters()
    prospects = services.export_prospects(acting_user(), filters)
    filename = f"prospects-{bank_today():%Y%m%d}.csv"
    return Response(
        prospects_csv(prospects),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _render_form(form, prospect=None, error=None, status=200):
    """The collect/edit form, with duplicate matches linked when the user may see them."""
    duplicates = getattr(error, "matches", None) or []
    show_override = bool(getattr(error, "phone_only", False)) or bool(
        form.allow_duplicate_phone.data
    )
    return (
        render_template(
            "prospects/form.html",
            form=form,
            prospect=prospect,
            duplicates=duplicates,
            show_override=show_override,
            message=error.message if error is not None else None,
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Collect a new prospect (officers only)."""
    services.require_officer(acting_user())
    form = ProspectForm()
    form.set_choices(acting_user())
    if request.method == "GET":
        return _render_form(form)
    data = load_form(ProspectInputSchema(), form)
    if data is None:
        return _render_form(form, status=422)
    try:
        prospect = services.create_prospect(acting_user(), data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_form(form, error=error, status=error.status_code)
    flash(_("Prospect %(name)s saved.", name=prospect.name), "success")
    return redirect(url_for("prospects.detail", prospect_id=prospect.id))


@bp.route("/<id:prospect_id>/edit", methods=["GET", "POST"])
@login_required
def edit(prospect_id: int):
    """Edit a prospect's data (its owning officer only)."""
    prospect = services.get_prospect(acting_user(), prospect_id)
    services.require_officer_owner(acting_user(), prospect)
    form = ProspectForm() if request.method == "POST" else ProspectForm.for_prospect(prospect)
    form.set_choices(acting_user(), prospect)
    if request.method == "GET":
        return _render_form(form, prospect)
    data = load_form(ProspectEditSchema(), form)
    if data is None:
        return _render_form(form, prospect, status=422)
    try:
        services.update_prospect(acting_user(), prospect, data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        if "version" in error.errors:  # keep the entries; the next save is on the current data
            form.version.data = db.session.get(Prospect, prospect.id).version
        return _render_form(form, prospect, error=error, status=error.status_code)
    flash(_("Prospect updated."), "success")
    return redirect(url_for("prospects.detail", prospect_id=prospect.id))


def _render_detail(prospect, status_form=None, convert_form=None, status=200):
    me = acting_user()
    can_change = me.is_officer and prospect.owner_id == me.id
    status_form = status_form or StatusForm()
    status_form.set_choices(prospect)
    customer_visible = prospect.customer_id is not None and can_see(
        me, Customer, prospect.customer_id
    )
    referrer_visible = prospect.referrer_customer_id is not None and can_see(
        me, Customer, prospect.referrer_customer_id
    )
    campaign_visible = prospect.campaign_id is not None and can_see_campaign(
        me, prospect.campaign_id
    )
    return (
        render_template(
            "prospects/detail.html",
            prospect=prospect,
            can_change=can_change,
            status_form=status_form,
            convert_form=convert_form or ConvertForm(),
            customer_visible=customer_visible,
            referrer_visible=referrer_visible,
            campaign_visible=campaign_visible,
            conversion_days=services.conversion_days(prospect),
            **sections_for("prospect", me, prospect),  # follow-ups
        ),
        status,
    )


@bp.get("/<id:prospect_id>")
@login_required
def detail(prospect_id: int):
    """Everything about one prospect: data, pipeline history, introductions, actions."""
    return _render_detail(services.get_prospect(acting_user(), prospect_id))


@bp.post("/<id:prospect_id>/status")
@login_required
def change_status(prospect_id: int):
    """Move the prospect along the pipeline; a refusal is shown on the page in plain words."""
    prospect = services.get_prospect(acting_user(), prospect_id)
    services.require_officer_owner(acting_user(), prospect)
    form = StatusForm()
    data = load_form(StatusChangeSchema(), form)
    if data is None:
        return _render_detail(prospect, status_form=form, status=422)
    try:
        services.change_status(
            acting_user(), prospect, data["status"], data["lost_reason"], data["lost_note"]
        )
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_detail(prospect, status_form=form, status=error.status_code)
    flash(_("Status changed to %(status)s.", status=label(data["status"]).lower()), "success")
    return redirect(url_for("prospects.detail", prospect_id=prospect.id))


@bp.post("/<id:prospect_id>/convert")
@login_required
def convert(prospect_id: int):
    """Convert the prospect into a customer and go to the new customer's page."""
    prospect = services.get_prospect(acting_user(), prospect_id)
    services.require_officer_owner(acting_user(), prospect)
    form = ConvertForm()
    data = load_form(ConvertSchema(), form)
    if data is None:
        return _render_detail(prospect, convert_form=form, status=422)
    try:
        customer = services.convert(acting_user(), prospect, data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_detail(prospect, convert_form=form, status=error.status_code)
    flash(_("%(name)s is now customer %(cif)s.", name=customer.name, cif=customer.cif), "success")
    return redirect(url_for("customers.detail", customer_id=customer.id))
