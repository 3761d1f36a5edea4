"""HTML pages for products (being built)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("products", __name__, url_prefix="/products")


@bp.get("/")
@login_required
def index():
    """List page."""
    return "todo"
