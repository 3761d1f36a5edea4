"""HTML pages: follow-ups (list, plan, complete with outcome and promise, reschedule, cancel)."""

from flask import Blueprint

bp = Blueprint("followups", __name__)
