"""Builders of product introductions (plain inserts), and users in the test's session."""

from datetime import date

from aoapp.auth.models import User
from aoapp.extensions import db
from aoapp.introductions.models import Introduction


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def make_introduction(officer, product, **subject_and_values) -> Introduction:
    """An introduction inserted directly (the rules are tested through the services)."""
    values = {
        "introduced_on": date(2024, 5, 2),
        "place": "branch",
        "outcome": "interested",
    }
    values.update(subject_and_values)
    introduction = Introduction(product_id=product.id, officer_id=officer.id, **values)
    db.session.add(introduction)
    db.session.commit()
    return introduction
