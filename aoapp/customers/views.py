"""HTML pages for customers: list, create, edit, the customer page, reassignment, held products."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, choices, load_filters, load_form
from aoapp.common.identity import display_phone
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.read_memo import remembering
from aoapp.common.views import REFUSALS
from aoapp.customers import consent, services
from aoapp.customers.forms import CollectionConsentForm, CustomerForm, HoldingForm, ReassignForm
from aoapp.customers.held import add_holding as record_holding
from aoapp.customers.held import remove_holding as remove_record
from aoapp.customers.holdings import holdings, is_covered, unlisted_records
from aoapp.customers.hooks import in_collection, sections_for
from aoapp.customers.models import Customer, CustomerType, Segment
from aoapp.customers.schemas import (
    CollectionConsentSchema,
    CustomerEditSchema,
    CustomerFilterSchema,
    CustomerInputSchema,
    HoldingInputSchema,
    ReassignSchema,
)
from aoapp.extensions import db
from aoapp.products.services import active_products

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.get("/")
@login_required
def index():
    """Customers the user may see, filtered, sorted and paginated."""
    filters = load_filters(CustomerFilterSchema())
    page = services.list_customers(current_user, filters, HTML_PER_PAGE)
    officers = [] if current_user.is_officer else services.visible_officers(current_user)
    return render_template(
        "customers/index.html",
        page=page,
        filters=filters,
        officers=officers,
        segments=[s.value for s in Segment],
        customer_types=[t.value for t in CustomerType],
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Enter a customer by hand (officers; most customers arrive from core banking)."""
    services.require_can_create(current_user)
    form = CustomerForm()
    if request.method == "POST":
        data = load_form(CustomerInputSchema(), form)
        if data is not None:
            try:
                customer = services.create_customer(current_user, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Customer %(name)s saved.", name=customer.name), "success")
                return redirect(url_for("customers.detail", customer_id=customer.id))
        return render_template("customers/form.html", form=form, customer=None), 422
    form.since.data = bank_today()
    return render_template("customers/form.html", form=form, customer=None)


@bp.get("/<id:customer_id>")
@login_required
def detail(customer_id: int):
    """The customer page: a summary card first, then collection (arrears, promise, actions) for a
    customer in arrears, or the relationship (holdings, introductions, next contact) otherwise."""
    customer = services.get_customer(current_user, customer_id)
    return _render_detail(customer)


def _render_detail(customer, holding_form=None, reassign_form=None, consent_form=None, status=200):
    """Render the customer page, keeping a submitted form with its errors; what the customer
    holds is read once for its sections (common/read_memo.py)."""
    with remembering():
        return _render(customer, holding_form, reassign_form, consent_form, status)


def _render(customer, holding_form, reassign_form, consent_form, status):
    if consent_form is None and consent.can_record_consent(current_user, customer):
        consent_form = CollectionConsentForm(hours=customer.collection_consent_hours or "")
    is_owner = services.is_assigned_officer(current_user, customer)
    if holding_form is None and is_owner:
        holding_form = HoldingForm()
    held = holdings(customer)
    if holding_form is not None:  # only products no listing covers, not held yet
        held_ids = {h.product.id for h in held}
        offered = [p for p in active_products() if not is_covered(p) and p.id not in held_ids]
        holding_form.product.choices = choices(
            [(p.code, f"{p.name} ({p.code})") for p in offered], _("— choose —")
        )
    officers = services.assignable_officers(current_user, customer)
    if reassign_form is None and officers:
        reassign_form = ReassignForm(officer=customer.officer_id)
    if reassign_form is not None:
        reassign_form.officer.choices = choices([(o.id, o.display_name) for o in officers])
    sections = sections_for(current_user, customer)  # referrals, introductions, credit, ...
    page = render_template(
        "customers/detail.html",
        customer=customer,
        held=held,
        unlisted=unlisted_records(customer, held),
        in_collection=in_collection(sections),
        is_owner=is_owner,
        can_reassign=services.can_reassign(current_user, customer),
        holding_form=holding_form,
        reassign_form=reassign_form,
        consent_form=consent_form,
        collection=consent.contact_state(customer),
        **sections,
    )
    return page, status


@bp.route("/<id:customer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(customer_id: int):
    """Edit a customer's data (the assigned officer only)."""
    customer = services.get_customer(current_user, customer_id)
    services.require_officer_owner(current_user, customer)
    form = CustomerForm(obj=customer)
    if request.method == "POST":
        status = 422
        data = load_form(CustomerEditSchema(), form)
        if data is not None:
            try:
                services.update_customer(current_user, customer, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
                status = error.status_code
                if "version" in error.errors:  # keep the entries; next save is on current data
                    form.version.data = db.session.get(Customer, customer.id).version
            else:
                flash(_("Customer updated."), "success")
                return redirect(url_for("customers.detail", customer_id=customer.id))
        return render_template("customers/form.html", form=form, customer=customer), status
    form.phone.data = display_phone(customer.phone)
    return render_template("customers/form.html", form=form, customer=customer)


@bp.post("/<id:customer_id>/reassign")
@login_required
def reassign(customer_id: int):
    """Move the customer to another officer of its branch (supervisor of the branch or admin)."""
    customer = services.get_customer(current_user, customer_id)
    form = ReassignForm()
    form.officer.choices = []
    data = load_form(ReassignSchema(), form)
    if data is not None:
        try:
            services.reassign(current_user, customer, data["officer"])
        except REFUSALS as error:
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "%(customer)s is now handled by %(officer)s.",
                    customer=customer.name,
                    officer=customer.officer.display_name,
                ),
                "success",
            )
            return redirect(url_for("customers.detail", customer_id=customer.id))
    return _render_detail(customer, reassign_form=form, status=422)


@bp.post("/<id:customer_id>/collection-consent")
@login_required
def collection_consent(customer_id: int):
    """Record (or withdraw) the hours the customer agreed to collection contact at."""
    customer = services.get_customer(current_user, customer_id)
    form = CollectionConsentForm()
    data = load_form(CollectionConsentSchema(), form)
    if data is not None:
        try:
            consent.record_consent(current_user, customer, data["hours"])
        except REFUSALS as error:
            apply_domain_error(form, error)
        else:
            if customer.collection_consent_hours:
                message = _(
                    "Consent to collection contact at %(hours)s recorded.",
                    hours=customer.collection_consent_hours,
                )
            else:
                message = _("Consent to collection contact outside the window withdrawn.")
            flash(message, "success")
            return redirect(url_for("customers.detail", customer_id=customer.id) + "#collection")
    return _render_detail(customer, consent_form=form, status=422)


@bp.post("/<id:customer_id>/holdings")
@login_required
def add_holding(customer_id: int):
    """Record a product the customer holds (the assigned officer)."""
    customer = services.get_customer(current_user, customer_id)
    services.require_officer_owner(current_user, customer)
    form = HoldingForm()
    data = load_form(HoldingInputSchema(), form)
    if data is not None:
        try:
            record_holding(current_user, customer, data)
        except REFUSALS as error:
            apply_domain_error(form, error)
        else:
            flash(_("Held product recorded."), "success")
            return redirect(url_for("customers.detail", customer_id=customer.id) + "#holdings")
    return _render_detail(customer, holding_form=form, status=422)


@bp.post("/<id:customer_id>/holdings/<id:holding_id>/delete")
@login_required
def remove_holding(customer_id: int, holding_id: int):
    """Remove a held product recorded by mistake (the assigned officer)."""
    customer = services.get_customer(current_user, customer_id)
    remove_record(current_user, customer, holding_id)
    flash(_("Held product removed."), "success")
    return redirect(url_for("customers.detail", customer_id=customer.id) + "#holdings")
