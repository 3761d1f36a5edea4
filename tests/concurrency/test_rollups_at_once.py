"""Two transactions rewriting one date's month-end aggregates at once (credit/rollups.py): each
position change through the ORM rewrites its date; the second waits for the first's commit, so
the date is neither counted twice nor left stale."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.credit import rollups
from aoapp.credit.models import Position
from aoapp.extensions import db
from tests.support.concurrency import two_changes_at_once
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
    errors = two_changes_at_once(
        app,
        (Position, ids[0], {"outstanding": "1500"}),
        (Position, ids[1], {"outstanding": "2500"}),
    )
    assert not errors, errors
    db.session.expire_all()
    assert_rollups_are_the_positions([AS_OF])
    groups = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(rollups.ROLLUPS)
        .where(rollups.ROLLUPS.c.as_of == AS_OF)
    )
    assert groups == 2  # one per officer: none written twice
