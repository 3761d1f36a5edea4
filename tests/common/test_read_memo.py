"""common/read_memo.py: inside a read block a listing date is asked of the database once; outside
it, or once the session has written, every ask reads the database again."""

from datetime import date

from aoapp.common.read_memo import remembered_each, remembering
from aoapp.common.replica import reading_from_replica
from aoapp.credit import rollup_reads
from aoapp.extensions import db
from aoapp.funding.figures import deposits_as_of
from aoapp.funding.held import listings_on
from tests.support.factories import make_customer
from tests.support.holdings import make_deposit, post_deposit
from tests.support.statements import recorded

OCT, NOV = date(2026, 10, 31), date(2026, 11, 30)


def _account(world):
    return make_deposit(make_customer(world.officer), "TAB", {OCT: 1_000_000})


def test_a_read_block_asks_the_database_once(world):
    _account(world)
    with recorded() as seen, reading_from_replica():
        answers = [deposits_as_of(NOV) for _ in range(3)]
        listings = listings_on(NOV)
    assert answers == [OCT] * 3 and listings.deposits == OCT
    # The deposits' listing dates read once for the four asks, the loans' once: none of the
    # positions themselves (common/latest.py).
    assert len([s for s in seen if "listing_dates" in s]) == 2
    assert not [s for s in seen if "deposit_positions" in s]


def test_outside_a_block_every_ask_reads_the_database(world):
    _account(world)
    with recorded() as seen:
        assert [deposits_as_of(NOV) for _ in range(3)] == [OCT] * 3
    assert len([s for s in seen if "listing_dates" in s]) == 3


def test_after_the_session_writes_the_database_is_asked_again(world):
    account = _account(world)
    with remembering():
        assert deposits_as_of(NOV) == OCT
        post_deposit(account, NOV, 2_000_000, commit=False)
        assert deposits_as_of(NOV) == NOV  # pending: read again (the flush writes it first)
        db.session.flush()
        assert deposits_as_of(NOV) == NOV
    db.session.rollback()


def test_what_a_block_remembered_goes_with_it(world):
    account = _account(world)
    with remembering():
        assert deposits_as_of(NOV) == OCT
        with remembering():  # nested: the outer block's answers
            assert deposits_as_of(NOV) == OCT
    post_deposit(account, NOV, 2_000_000)
    with remembering():
        assert deposits_as_of(NOV) == NOV


def test_answers_asked_together_are_remembered_one_by_one():
    """remembered_each: the items not yet answered in the block are computed together, once;
    outside a block every ask computes all of them."""
    asked = []

    def compute(items):
        asked.append(list(items))
        return {item: item * 10 for item in items}

    with remembering():
        assert remembered_each("tens", [1, 2, 3], compute) == {1: 10, 2: 20, 3: 30}
        assert remembered_each("tens", [2, 4], compute) == {2: 20, 4: 40}
        assert remembered_each("tens", [3, 1], compute) == {3: 30, 1: 10}
        assert remembered_each("other", [1], compute) == {1: 10}
    assert asked == [[1, 2, 3], [4], [1]]
    assert remembered_each("tens", [1, 2], compute) == {1: 10, 2: 20}
    assert asked[-1] == [1, 2]


def test_the_dates_with_rollups_are_read_once_per_block(world):
    _account(world)
    with recorded() as seen, remembering():
        assert rollup_reads.dates_with_rollups([OCT, NOV]) == set()
        assert rollup_reads.dates_with_rollups([NOV]) == set()
    assert len([s for s in seen if "portfolio_rollups" in s]) == 1
