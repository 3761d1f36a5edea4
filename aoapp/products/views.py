"""HTML pages for the product catalogue."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import REFUSALS
from aoapp.products import services
from aoapp.products.forms import ProductForm
from aoapp.products.schemas import ProductFilterSchema, ProductInputSchema

bp = Blueprint("products", __name__, url_prefix="/products")


@bp.get("/")
@login_required
def index():
    """The catalogue: active products for everyone, inactive ones too for admins who ask."""
    filters = load_filters(ProductFilterSchema())
    page = services.list_products(current_user, filters, HTML_PER_PAGE)
    return render_template("products/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a product to the catalogue (admin)."""
    services.require_admin(current_user)
    form = ProductForm()
    if request.method == "POST":
        data = load_form(ProductInputSchema(), form)
        if data is not None:
            try:
                product = services.create_product(current_user, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Product %(code)s added.", code=product.code), "success")
                return redirect(url_for("products.index"))
        return render_template("products/form.html", form=form, product=None), 422
    return render_template("products/form.html", form=form, product=None)


@bp.route("/<id:product_id>/edit", methods=["GET", "POST"])
@login_required
def edit(product_id: int):
    """Edit a catalogue product, e.g. deactivate it (admin)."""
    services.require_admin(current_user)
    product = services.get_product(product_id)
    form = ProductForm(obj=product)
    if request.method == "POST":
        data = load_form(ProductInputSchema(), form)
        if data is not None:
            try:
                services.update_product(current_user, product, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Product %(code)s updated.", code=product.code), "success")
                return redirect(url_for("products.index", include_inactive=1))
        return render_template("products/form.html", form=form, product=product), 422
    return render_template("products/form.html", form=form, product=product)
