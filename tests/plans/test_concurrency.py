"""Two saves of one customer's plan at the same moment, from two connections: one plan and one
planned review between them, and neither save ends in an error."""

import contextlib
import threading

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.plans import services
from aoapp.plans.models import AccountPlan
from tests.plans.conftest import TODAY

ROUNDS = 2
MEET_SECONDS = 1.0


def _data(step: str) -> dict:
    return {
        "needs": "",
        "need_tags": [],
        "risks": "",
        "next_step": step,
        "review_months": 3,
        "next_review_date": None,
        "products": [],
        "goals": [],
        "version": None,
    }


def _save_at_once(app, officer_id: int, customer_id: int) -> list:
    """Both saves start together, each in its own app context (own session and connection)."""
    start, outcomes = threading.Barrier(2), []

    def save(step: str) -> None:
        with app.app_context():
            actor = db.session.get(User, officer_id)
            start.wait()
            try:
                services.save_plan(actor, customer_id, _data(step), today=TODAY)
                outcomes.append("saved")
            except Exception as error:  # noqa: BLE001 (the test reports any error)
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(step,)) for step in ("Telepon", "Kunjungi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def _meeting_after_the_read(monkeypatch) -> None:
    """Each save, once it has read the current plan, waits (a little) for the other to have read
    it too: without the lock both would read "no plan" and both insert one."""
    meet, read = threading.Barrier(2), services.current_plan

    def current_plan(*args, **kwargs):
        found = read(*args, **kwargs)
        # The other save waits for our lock: the meeting breaks and we go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(MEET_SECONDS)
        return found

    monkeypatch.setattr(services, "current_plan", current_plan)


def test_two_saves_at_once_make_one_plan_and_one_review(app, bank, world, monkeypatch):
    officer_id, customer_id = world.officer.id, bank.customer.id
    _meeting_after_the_read(monkeypatch)
    for _round in range(ROUNDS):
        assert _save_at_once(app, officer_id, customer_id) == ["saved", "saved"]
    db.session.expire_all()
    plans = db.session.scalars(sa.select(AccountPlan)).all()
    reviews = db.session.scalars(sa.select(FollowUp)).all()
    assert len(plans) == 1
    assert [(f.id, f.status) for f in reviews] == [(plans[0].review_follow_up_id, "planned")]
