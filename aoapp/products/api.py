"""Products and introductions API (being built)."""

from flask_smorest import Blueprint

products_blp = Blueprint("products_api", __name__, url_prefix="/products", description="Products")
introductions_blp = Blueprint(
    "introductions_api", __name__, url_prefix="/introductions", description="Introductions"
)
