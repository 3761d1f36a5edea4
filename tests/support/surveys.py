"""Surveys for tests: sent through the service (as an officer would), answered at a given time."""

from datetime import UTC, datetime

from aoapp.extensions import db
from aoapp.surveys import services


def sent(officer, customer, reason="visit", now=None, **links):
    """A survey of `customer` sent by its officer; (survey, plain token)."""
    values = {"customer": customer.id, "reason": reason, **links}
    return services.send(db.session.merge(officer), values, now=now)


def answered(officer, customer, score, recommend=None, comment=None, at=None, reason="visit"):
    """A survey sent and answered at `at` (UTC, default 10 October 2026 10:00 Jakarta)."""
    at = at or datetime(2026, 10, 10, 3, 0, tzinfo=UTC)
    survey, plain = sent(officer, customer, reason, now=at)
    values = {"score": score, "recommend": recommend, "comment": comment}
    assert services.answer(plain, values, now=at) == services.RECORDED
    db.session.expire_all()
    return db.session.get(type(survey), survey.id)
