"""Products API (catalogue; changes by admins) and introductions API (scoped like their subjects)."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.products import services
from aoapp.products.schemas import (
    IntroductionFilterSchema,
    IntroductionInputSchema,
    IntroductionSchema,
    IntroductionUpdateSchema,
    ProductFilterSchema,
    ProductInputSchema,
    ProductPatchSchema,
    ProductSchema,
)

products_blp = Blueprint("products_api", __name__, url_prefix="/products", description="Products")
introductions_blp = Blueprint(
    "introductions_api", __name__, url_prefix="/introductions", description="Introductions"
)

ProductPageSchema = page_schema(ProductSchema, "ProductPage")
IntroductionPageSchema = page_schema(IntroductionSchema, "IntroductionPage")


@products_blp.route("")
class Products(MethodView):
    """The product catalogue."""

    decorators = [login_required]

    @products_blp.arguments(ProductFilterSchema, location="query", unknown=RAISE)
    @products_blp.response(200, ProductPageSchema)
    def get(self, filters):
        """List active products (admins may add include_inactive=true); filters kind, q."""
        return services.list_products(current_user, filters, filters["per_page"])

    @products_blp.arguments(ProductInputSchema)
    @products_blp.response(201, ProductSchema)
    def post(self, data):
        """Add a product (admin only; others get 403)."""
        return services.create_product(current_user, data)


@products_blp.route("/<int:product_id>")
class ProductResource(MethodView):
    """One product."""

    decorators = [login_required]

    @products_blp.response(200, ProductSchema)
    def get(self, product_id):
        """Read a product."""
        return services.get_product(product_id)

    @products_blp.arguments(ProductPatchSchema(partial=True))
    @products_blp.response(200, ProductSchema)
    def patch(self, data, product_id):
        """Change a product, e.g. {"active": false} (admin only; others get 403)."""
        services.require_admin(current_user)
        return services.update_product(current_user, services.get_product(product_id), data)


@introductions_blp.route("")
class Introductions(MethodView):
    """Introductions of products to the caller's prospects and customers."""

    decorators = [login_required]

    @introductions_blp.arguments(IntroductionFilterSchema, location="query", unknown=RAISE)
    @introductions_blp.response(200, IntroductionPageSchema)
    def get(self, filters):
        """List introductions (filters: prospect, customer, outcome, product code; sort)."""
        return services.list_introductions(current_user, filters, filters["per_page"])

    @introductions_blp.arguments(IntroductionInputSchema)
    @introductions_blp.response(201, IntroductionSchema)
    def post(self, data):
        """Log an introduction to exactly one `prospect` or `customer` (ids) of the caller."""
        return services.log_introduction(current_user, data)


@introductions_blp.route("/<int:introduction_id>")
class IntroductionResource(MethodView):
    """One introduction."""

    decorators = [login_required]

    @introductions_blp.response(200, IntroductionSchema)
    def get(self, introduction_id):
        """Read an introduction."""
        return services.get_introduction(current_user, introduction_id)

    @introductions_blp.arguments(IntroductionUpdateSchema(partial=True))
    @introductions_blp.response(200, IntroductionSchema)
    def patch(self, data, introduction_id):
        """Correct an introduction (the officer who owns its prospect or customer)."""
        introduction = services.get_introduction(current_user, introduction_id)
        return services.update_introduction(current_user, introduction, data)

    @introductions_blp.response(204)
    def delete(self, introduction_id):
        """Delete an introduction (the officer who owns its prospect or customer)."""
        introduction = services.get_introduction(current_user, introduction_id)
        services.delete_introduction(current_user, introduction)
