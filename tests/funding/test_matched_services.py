"""The services' match kept between reads (funding/matched_services.py): on PostgreSQL each read
after the first asks the journal of changed customers (written by triggers, migration 0043) and
reads those customers again; whatever changed, the kept answer is the one a whole read gives, and
a change committed by a transaction in progress when the match was kept is read once it commits."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.common.dates import utcnow
from aoapp.credit.figures import resolve_scope
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.funding import relationship as rel
from aoapp.funding.held import in_scope, listings_on
from aoapp.funding.matched_services import read_whole, services_matched
from aoapp.funding.relationship_tables import CHANGES
from tests.support import holdings
from tests.support.credit import credit_product
from tests.support.funding import OCT31, hand_book
from tests.support.statements import recorded

pytestmark = pytest.mark.usefixtures("postgresql_only")

OCT2 = datetime(2026, 10, 2, tzinfo=UTC)  # between retention's start and the month's pair
MATCH = "AS own_officer"  # the match's statement


def _pairs():
    return [listings_on(OCT31), rel.period_start(date(2026, 10, 1))]


def _scopes(world):
    return [in_scope(resolve_scope(user).condition) for user in (world.admin, world.supervisor)]


def _read(world, statements: list | None = None) -> list:
    """Each scope's kept answer (its statements added to `statements`), checked against a whole
    read."""
    pairs, scopes = _pairs(), _scopes(world)
    with recorded() as read:
        answers = [services_matched(pairs, where) for where in scopes]
    for kept, where in zip(answers, scopes, strict=True):
        assert kept == read_whole(pairs, where)
    db.session.rollback()  # the read's transaction ends, as a request's does
    if statements is not None:
        statements.extend(read)
    return answers


@pytest.fixture
def book(world):
    book = hand_book(world)
    holdings.product("SMS", "service")
    db.session.commit()
    return book


def _customer(book, key: str) -> Customer:
    return db.session.get(Customer, book.customers[key].id)


def test_every_change_of_a_holder_is_read_again_and_nothing_else(world, book):
    first = _read(world)
    statements = []
    assert _read(world, statements) == first
    assert statements and not any(MATCH in s for s in statements)

    def sms(key):
        return db.session.scalar(
            sa.select(ProductHolding).where(
                ProductHolding.customer_id == book.customers[key].id,
                ProductHolding.product_id == holdings.product("SMS", "service").id,
            )
        )

    changes = {
        "a service recorded": lambda: holdings.record(
            _customer(book, "C1"), "SMS", created_at=OCT2
        ),
        "a holder moved to another officer": lambda: setattr(
            _customer(book, "C4"), "officer_id", world.colleague.id
        ),
        "a holder moved to another branch": lambda: (
            setattr(_customer(book, "C1"), "officer_id", world.remote.id),
            setattr(_customer(book, "C1"), "branch_id", world.remote.branch_id),
        ),
        "a service given to another customer": lambda: setattr(
            sms("C1"), "customer_id", book.customers["C6"].id
        ),
        "a service removed": lambda: db.session.delete(sms("C6")),
    }
    before = first
    for change, make in changes.items():
        make()
        db.session.commit()
        statements = []
        after = _read(world, statements)
        assert after != before, change
        matched = [s for s in statements if MATCH in s]
        assert len(matched) == 2 and all("= ANY" in s or " IN " in s for s in matched), change
        before = after


def test_a_pair_whose_rows_are_written_again_is_read_whole(world, book):
    """A facility moved to another product writes its customer's rows on every pair again
    (relationship_rows.rewrite_customers): the pairs are other versions, read whole."""
    _read(world)
    facility = db.session.get(Facility, book.facilities["F1"].id)
    facility.product_id = credit_product("KUR").id
    db.session.commit()
    statements = []
    _read(world, statements)
    matched = [s for s in statements if MATCH in s]
    assert len(matched) == 2 and not any("= ANY" in s for s in matched)


def test_a_service_recorded_while_the_match_is_kept_counts_once_committed(world, book):
    """A transaction still running when the match is kept (its snapshot holds it as in progress):
    once it commits, the next read counts what it wrote."""
    pairs, where = _pairs(), _scopes(world)[1]
    holding = {
        "customer_id": book.customers["C1"].id,
        "product_id": holdings.product("SMS", "service").id,
        "created_at": OCT2,
    }
    with db.engine.connect() as other:
        other.execute(sa.insert(ProductHolding.__table__).values(**holding))  # not committed
        # A later transaction commits first: the snapshot lists the other as still running,
        # among the ones it has passed (not merely after all it has seen).
        holdings.record(_customer(book, "C3"), "SMS", created_at=OCT2)
        kept = services_matched(pairs, where)
        db.session.rollback()
        other.commit()
    after = services_matched(pairs, where)
    assert after == read_whole(pairs, where) != kept


def test_readers_at_once_bring_one_kept_match_up_to_date(app, world, book):
    """Four requests at once read the match after a change: each gets the whole read's answer."""
    before = _read(world)
    holdings.record(_customer(book, "C2"), "SMS", created_at=OCT2)
    pairs, where = _pairs(), _scopes(world)[0]
    answers, errors = [], []
    start = threading.Barrier(4)

    def read():
        try:
            with app.app_context():
                start.wait()
                answers.append(services_matched(pairs, where))
                db.session.rollback()
        except Exception as error:  # reported below  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(answers) == 4
    whole = read_whole(pairs, where)
    assert all(answer == whole for answer in answers) and whole != before[0]


def _journal() -> list[int]:
    return sorted(db.session.scalars(sa.select(CHANGES.c.customer_id)))


def test_the_journal_holds_the_customers_whose_services_or_booking_changed(world, book):
    db.session.execute(sa.delete(CHANGES))
    db.session.commit()
    c1, c2 = _customer(book, "C1"), _customer(book, "C2")
    c1.name, c2.phone = "Warung Satu Baru", "081234567890"  # not a booking
    db.session.commit()
    assert _journal() == []
    c2.officer_id = world.colleague.id
    holdings.record(c1, "SMS")
    assert _journal() == sorted([c1.id, c2.id])


def test_the_sweep_deletes_the_journals_rows_older_than_a_day(runner, world, book):
    db.session.execute(sa.delete(CHANGES))
    for hours, customer in ((25, 1), (48, 2), (23, 3)):
        at = utcnow() - timedelta(hours=hours)
        db.session.execute(sa.insert(CHANGES).values(xid=1, customer_id=customer, changed_at=at))
    db.session.commit()

    result = runner.invoke(args=["imports", "sweep"])

    assert result.exit_code == 0, result.output
    assert "2 journal row(s) of changed customers deleted." in result.output
    assert _journal() == [3]
