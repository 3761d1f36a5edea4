"""`flask followups ...`: daily suggestions of collection follow-ups."""

from flask import Flask


def register(app: Flask) -> None:
    """Add the follow-up commands to the app's CLI."""
