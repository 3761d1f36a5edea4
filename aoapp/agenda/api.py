"""Agenda API: the current user's agenda."""

from flask_smorest import Blueprint

agenda_blp = Blueprint("agenda_api", __name__, url_prefix="/agenda", description="Agenda")
