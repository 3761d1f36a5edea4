"""HTML pages: complaints (list, receive, escalate, resolve, hand back, close)."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)
