"""HTML pages for logging introductions of products (under /products/introductions/)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.campaigns.tags import campaign_label, taggable_campaigns
from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, choices, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import REFUSALS
from aoapp.customers.models import Customer
from aoapp.introductions import services
from aoapp.introductions.forms import IntroductionFilterForm, IntroductionForm
from aoapp.introductions.schemas import IntroductionFilterSchema, IntroductionUpdateSchema
from aoapp.products.services import active_products
from aoapp.prospects.models import Prospect

bp = Blueprint("introductions", __name__, url_prefix="/products/introductions")


def _subject_url(subject) -> str:
    """The page of the prospect or customer an introduction belongs to."""
    if isinstance(subject, Prospect):
        return url_for("prospects.detail", prospect_id=subject.id)
    return url_for("customers.detail", customer_id=subject.id)


def _product_choices(subject, current=None) -> list:
    """Active products to pick from (plus the current one, should it have been deactivated);
    those a customer already holds (customers.holdings) say so."""
    products = active_products()
    if current is not None and current not in products:
        products.append(current)
    held = services.held_by_product(subject) if isinstance(subject, Customer) else {}

    def text(product) -> str:
        name = f"{product.name} ({product.code})"
        return _("%(product)s · already holds", product=name) if product.id in held else name

    return choices([(p.code, text(p)) for p in products], _("— choose —"))


def _campaign_choices(subject, current=None) -> list:
    """Campaigns of the branch of the subject's officer (plus the current tag)."""
    campaigns = taggable_campaigns(services.subject_branch_id(subject), current)
    return choices([(str(c.id), campaign_label(c)) for c in campaigns], "—")


@bp.get("/")
@login_required
def index():
    """Introductions the user may see, filtered by officer, product, outcome, campaign, dates."""
    filters = load_filters(IntroductionFilterSchema())
    page = services.list_introductions(current_user, filters, HTML_PER_PAGE)
    form = IntroductionFilterForm(formdata=request.args)
    form.set_choices(current_user)
    return render_template("introductions/index.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Log an introduction to ?prospect=<id> or ?customer=<id>, then return to its page."""
    subject = services.introduction_subject(
        current_user,
        request.args.get("prospect", type=int),
        request.args.get("customer", type=int),
    )
    form = IntroductionForm()
    form.product.choices = _product_choices(subject)
    form.campaign_id.choices = _campaign_choices(subject)
    if request.method == "POST":
        data = load_form(IntroductionUpdateSchema(), form)
        if data is not None:
            key = "prospect" if isinstance(subject, Prospect) else "customer"
            try:
                services.log_introduction(current_user, {**data, key: subject.id})
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Introduction logged."), "success")
                return redirect(_subject_url(subject))
        return _render_introduction_form(form, subject, None, 422)
    form.introduced_on.data = bank_today()
    return _render_introduction_form(form, subject, None)


def _render_introduction_form(form, subject, introduction, status=200):
    page = render_template(
        "introductions/form.html",
        form=form,
        subject=subject,
        subject_url=_subject_url(subject),
        introduction=introduction,
    )
    return page, status


@bp.route("/<id:introduction_id>/edit", methods=["GET", "POST"])
@login_required
def edit(introduction_id: int):
    """Correct an introduction (the officer who owns its prospect or customer)."""
    introduction = services.get_introduction(current_user, introduction_id)
    subject = services.subject_of(introduction)
    services.require_subject_owner(current_user, subject)
    form = IntroductionForm(obj=introduction)
    form.product.choices = _product_choices(subject, introduction.product)
    form.campaign_id.choices = _campaign_choices(subject, introduction.campaign)
    if request.method == "POST":
        data = load_form(IntroductionUpdateSchema(), form)
        if data is not None:
            try:
                services.update_introduction(current_user, introduction, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Introduction updated."), "success")
                return redirect(_subject_url(subject))
        return _render_introduction_form(form, subject, introduction, 422)
    form.product.data = introduction.product.code
    form.campaign_id.data = str(introduction.campaign_id or "")
    return _render_introduction_form(form, subject, introduction)


@bp.post("/<id:introduction_id>/delete")
@login_required
def delete(introduction_id: int):
    """Delete an introduction logged by mistake (the officer who owns its subject)."""
    introduction = services.get_introduction(current_user, introduction_id)
    target = _subject_url(services.subject_of(introduction))
    services.delete_introduction(current_user, introduction)
    flash(_("Introduction deleted."), "success")
    return redirect(target)
