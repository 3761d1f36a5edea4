"""Helpers of every HTML view and API method: who acts, and which refusals a form shows."""

from flask_login import current_user

from aoapp.errors import Conflict, InvalidInput

REFUSALS = (InvalidInput, Conflict)
"""Refusals a page shows on its form (apply_domain_error); Forbidden and NotFound become error
pages through the app's error handlers, which also roll the session back."""


def acting_user():
    """The logged-in user as a plain object: services keep it, the proxy belongs to the request."""
    return current_user._get_current_object()
