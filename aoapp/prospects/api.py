"""Prospects API (being built)."""

from flask_smorest import Blueprint

blp = Blueprint("prospects_api", __name__, url_prefix="/prospects", description="Prospects")
