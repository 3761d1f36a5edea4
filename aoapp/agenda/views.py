"""HTML pages: the officer's agenda, the supervisor's team agenda, the calendar feed."""

from flask import Blueprint

bp = Blueprint("agenda", __name__)
