"""Complaints API."""

from flask_smorest import Blueprint

complaints_blp = Blueprint(
    "complaints_api", __name__, url_prefix="/complaints", description="Complaints"
)
