"""Simultaneous wrong passwords for one account: every one counts, and the fifth locks it."""

import threading

import pytest
import sqlalchemy as sa

from aoapp.auth import services
from aoapp.auth.models import User
from aoapp.auth.services import LoginRefused, authenticate
from aoapp.extensions import db
from tests.support import factories

GUESSES = 8


@pytest.fixture
def all_read_before_any_writes(monkeypatch):
    """Every guess has read the account before any counts its failure: the widest race."""
    barrier = threading.Barrier(GUESSES, timeout=10)
    check = services.check_password_hash

    def checked_together(hashed, password):
        result = check(hashed, password)
        if threading.current_thread() is not threading.main_thread():  # the guesses only
            barrier.wait()
        return result

    monkeypatch.setattr(services, "check_password_hash", checked_together)


def test_eight_simultaneous_wrong_passwords_lock_the_account(
    app, world, all_read_before_any_writes
):
    answers: list[str] = []

    def guess():
        with app.app_context():  # its own session and connection, as another request's
            try:
                authenticate("ao.budi", "wrong-password")
            except LoginRefused as refusal:
                answers.append(str(refusal))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == GUESSES
    assert sum("locked" in answer for answer in answers) == 1  # the fifth failure locks
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.username == "ao.budi"))
    assert user.locked_until is not None
    with pytest.raises(LoginRefused, match="locked"):
        authenticate("ao.budi", factories.PASSWORD)
