"""HTML pages for customers (being built)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.get("/")
@login_required
def index():
    """List page."""
    return "todo"
