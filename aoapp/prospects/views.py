"""HTML pages for prospects (being built)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("prospects", __name__, url_prefix="/prospects")


@bp.get("/")
@login_required
def index():
    """List page."""
    return "todo"
