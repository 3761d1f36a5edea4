"""The last listing date on or before a day (common/latest.py): the same answer as the plain
`max(as_of) <= day`, asked first within the last two months (cheap to plan over the month
partitions), then everywhere only when those months hold no listing."""

from datetime import date

import sqlalchemy as sa

from aoapp.common.latest import last_date_on_or_before
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.funding.models import DepositPosition
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.holdings import make_deposit, post_deposit

DAY = date(2026, 11, 20)


def _plain(as_of, day, *where):
    return db.session.scalar(sa.select(sa.func.max(as_of)).where(as_of <= day, *where))


def _asked(*args) -> tuple[object, int]:
    """last_date_on_or_before(*args), and the number of statements it took."""
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        return last_date_on_or_before(*args), len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_the_same_answer_as_the_plain_maximum(world):
    assert last_date_on_or_before(Position.as_of, DAY) is None
    mine = make_facility(make_customer(world.officer), "KMK-LATEST-1")
    theirs = make_facility(make_customer(world.remote), "KMK-LATEST-2")
    post_listing(date(2026, 6, 30), [(mine, 0, 100), (theirs, 0, 100)])  # five months before
    post_listing(date(2026, 11, 10), [(theirs, 0, 100)])
    post_listing(date(2026, 11, 25), [(mine, 0, 100), (theirs, 0, 100)])  # after the day
    db.session.commit()
    mine_only = Position.officer_id == world.officer.id
    for day, where, expected in (
        (DAY, (), date(2026, 11, 10)),  # in the last two months: one statement
        (DAY, (mine_only,), date(2026, 6, 30)),  # none lately: every month asked
        (date(2026, 9, 30), (), date(2026, 6, 30)),
        (date(2026, 6, 29), (), None),
        (date(2026, 11, 25), (mine_only,), date(2026, 11, 25)),
    ):
        found, statements = _asked(Position.as_of, day, *where)
        assert found == expected == _plain(Position.as_of, day, *where), (day, where)
        assert statements == (1 if expected and (day - expected).days < 62 else 2), (day, where)


def test_deposit_listings_too(world):
    account = make_deposit(make_customer(world.officer), "TAB", account_no="TAB-LATEST")
    post_deposit(account, date(2026, 8, 31), 1_000_000, commit=False)
    post_deposit(account, date(2026, 10, 31), 1_000_000)
    assert last_date_on_or_before(DepositPosition.as_of, DAY) == date(2026, 10, 31)
    assert last_date_on_or_before(DepositPosition.as_of, date(2026, 10, 30)) == date(2026, 8, 31)
