"""Products API: the catalogue; changes by admins."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.products import services
from aoapp.products.schemas import (
    ProductFilterSchema,
    ProductInputSchema,
    ProductPatchSchema,
    ProductSchema,
)

products_blp = Blueprint("products_api", __name__, url_prefix="/products", description="Products")

ProductPageSchema = page_schema(ProductSchema, "ProductPage")


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


@products_blp.route("/<id:product_id>")
class ProductResource(MethodView):
    """One product."""

    decorators = [login_required]

    @products_blp.response(200, ProductSchema)
    def get(self, product_id):
        """Read a product."""
        return services.get_product(product_id)

    @products_blp.arguments(ProductPatchSchema(partial=True), required=False)
    @products_blp.response(200, ProductSchema)
    def patch(self, data, product_id):
        """Change a product, e.g. {"active": false} (admin only; others get 403)."""
        services.require_admin(current_user)
        return services.update_product(current_user, services.get_product(product_id), data)
