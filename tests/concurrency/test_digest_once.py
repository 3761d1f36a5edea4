"""Two digest runs at the same moment (two threads, each with its own connection, against a real
SMTP server): each user's day is claimed by one of them, so one e-mail goes out, never two."""

import threading
from collections import Counter
from datetime import datetime, time

import pytest

from aoapp.auth.models import User
from aoapp.extensions import db
from aoapp.notifications.models import SendStatus
from aoapp.notifications.sending import SKIPPED, send_digest, send_due_digests
from tests.clock import JAKARTA
from tests.support import digest as d

pytestmark = pytest.mark.today(datetime.combine(d.DAY, time(7, 5), tzinfo=JAKARTA))
ADDRESS = "budi@bank.example"


def _at_once(app, mailbox, work) -> list:
    """Run `work()` in two threads started together; a delivery is held until one of them has
    finished, so the other is still mailing while the first runs."""
    mailbox.hold = threading.Event()
    start = threading.Barrier(2)
    results: list = []

    def run() -> None:
        with app.app_context():
            try:
                start.wait(10)
                results.append(work())
            finally:
                mailbox.hold.set()
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2
    return results


@pytest.fixture
def officer(world):
    d.officer_book(world.officer)
    row = db.session.get(User, world.officer.id)
    row.email = ADDRESS
    db.session.commit()
    return row.id


def test_the_same_users_digest_twice_at_once_is_mailed_once(app, officer, smtp_server):
    def work():
        return send_digest(db.session.get(User, officer), d.DAY)

    outcomes = _at_once(app, smtp_server, work)
    assert sorted(outcomes) == sorted([SendStatus.SENT, SKIPPED])
    assert len(smtp_server.to(ADDRESS)) == 1
    [record] = d.sends()
    assert (record.status, record.attempts) == ("sent", 1)
    assert len(d.notifications()) == 1


def test_two_cron_runs_at_once_send_each_digest_once(app, officer, smtp_server):
    outcomes = _at_once(app, smtp_server, lambda: send_due_digests(d.DAY))
    total = sum(outcomes, Counter())
    assert total[SendStatus.SENT] == 1
    assert len(smtp_server.received) == 1
    records = d.sends()
    assert (
        len(records) == len({(r.user_id, r.bank_day) for r in records}) == 5
    )  # every officer and supervisor
    assert len(d.notifications(db.session.get(User, officer))) == 1
