"""Builders of campaign input: valid campaign data, branch ids, users in the test's session."""

from datetime import date

from aoapp.auth.models import Branch, User
from aoapp.extensions import db


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def branch_id(code: str) -> int:
    """The id of the branch with this code."""
    return db.session.scalar(db.select(Branch.id).where(Branch.code == code))


def campaign_data(**overrides) -> dict:
    """Validated campaign input, as the views and the API pass it to the services."""
    data = {
        "name": "Pameran UMKM Sudirman",
        "channel": "event",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 9, 30),
        "branches": [branch_id("JKT01")],
        "products": [],
        "cost": None,
        "description": "",
    }
    data.update(overrides)
    return data
