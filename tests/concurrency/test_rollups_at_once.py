"""Two transactions rewriting one date's month-end aggregates at once (credit/rollups.py): each
position change through the ORM rewrites its date; the second waits for the first's commit, so
the date is neither counted twice nor left stale."""

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.credit import rollups
from aoapp.credit.models import Position
from aoapp.extensions import db
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.rollups import assert_rollups_are_the_positions

AS_OF = date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: its transactions cannot overlap")


def test_two_changes_of_one_date_at_once_leave_it_counted_once(app, world):
    first = make_facility(make_customer(world.officer, cif="CIF-R1"))
    second = make_facility(make_customer(world.colleague, cif="CIF-R2"))
    post_listing(AS_OF, [(first, 0, "1000"), (second, 0, "2000")])
    ids = [
        db.session.scalar(sa.select(Position.id).where(Position.facility_id == f.id))
        for f in (first, second)
    ]
    db.session.commit()
    first_flushed, errors = threading.Event(), []

    def change(position_id: int, amount: str, before_commit) -> None:
        with app.app_context():
            try:
                position = db.session.get(Position, position_id)
                position.outstanding = amount
                db.session.flush()  # the hook rewrites the date's rollups in this transaction
                before_commit()
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported by the test below)
                errors.append(error)
                first_flushed.set()
            finally:
                db.session.remove()

    def hold_then_commit():
        first_flushed.set()
        threading.Event().wait(0.5)  # the other transaction's rewrite starts meanwhile

    one = threading.Thread(target=change, args=(ids[0], "1500", hold_then_commit))
    one.start()
    assert first_flushed.wait(10)
    two = threading.Thread(target=change, args=(ids[1], "2500", lambda: None))
    two.start()
    for thread in (one, two):
        thread.join(30)

    assert not errors, errors
    db.session.expire_all()
    assert_rollups_are_the_positions([AS_OF])
    groups = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(rollups.ROLLUPS)
        .where(rollups.ROLLUPS.c.as_of == AS_OF)
    )
    assert groups == 2  # one per officer: none written twice
