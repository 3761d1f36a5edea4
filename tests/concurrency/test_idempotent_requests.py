"""The same request twice at once with one idempotency key (the queue and the page both sending
as the signal returns): one does the work, the other gets its answer or "in progress"."""

import threading

import pytest
import sqlalchemy as sa

from aoapp.credit.models import MonitoringVisit
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.offline import idempotency
from aoapp.offline.models import IdempotencyKey
from tests.support import followups as h
from tests.support.factories import make_token

KEY = "0d9c8b7a-6f5e-4d3c-8b2a-190817263544"


@pytest.fixture
def both_looked_before_either_claims(monkeypatch):
    """Both requests found no stored key before either claims it: the widest race."""
    barrier = threading.Barrier(2, timeout=10)
    claim = idempotency._claim

    def claimed_together(key, scope):
        barrier.wait()
        return claim(key, scope)

    monkeypatch.setattr(idempotency, "_claim", claimed_together)


def send_twice_at_once(app, token: str, url: str, body: dict) -> list:
    answers = []

    def send():
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": KEY}
        response = client.post(url, json=body, headers=headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_a_visit_sent_twice_at_once_is_recorded_once(app, world, both_looked_before_either_claims):
    customer, _facility = h.debtor(world.officer)
    body = {"customer": customer.id, "risk_rating": "weak", "findings": "Stok menipis"}

    answers = send_twice_at_once(app, make_token(world.officer), "/api/v1/monitoring-visits", body)

    assert len(answers) == 2
    statuses = sorted(status for status, _body in answers)
    assert statuses in ([201, 201], [201, 409]), answers
    created = [answer for status, answer in answers if status == 201]
    assert all(answer == created[0] for answer in created)  # the replay is the first answer
    if statuses == [201, 409]:
        assert [a["error"] for s, a in answers if s == 409] == ["in_progress"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringVisit)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 1


def test_an_outcome_sent_twice_at_once_is_logged_once(app, world, both_looked_before_either_claims):
    _customer, facility = h.debtor(world.officer)
    call = h.followup(world.officer, facility=facility)
    url = f"/api/v1/followups/{call.id}/complete"

    answers = send_twice_at_once(
        app, make_token(world.officer), url, {"outcome": "reached", "version": 1}
    )

    statuses = sorted(status for status, _body in answers)
    # Never "already done" (409 conflict): the second waits for the first and gets its answer.
    assert statuses in ([200, 200], [200, 409]), answers
    assert all(a.get("error") == "in_progress" for s, a in answers if s == 409)
    db.session.expire_all()
    done = db.session.get(FollowUp, call.id)
    assert (done.status, done.version) == ("done", 2)
