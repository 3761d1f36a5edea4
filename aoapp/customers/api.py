"""Customers API (being built)."""

from flask_smorest import Blueprint

blp = Blueprint("customers_api", __name__, url_prefix="/customers", description="Customers")
