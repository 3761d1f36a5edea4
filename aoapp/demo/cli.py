"""`flask seed-demo` (being built)."""

from flask import Flask


def register(app: Flask) -> None:
    """Add the demo-data command."""
