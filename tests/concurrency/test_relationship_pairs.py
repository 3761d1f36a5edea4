"""The relationship pairs (funding/relationship_rows.py) written by two transactions at once.

A loan listing and a deposits listing of one date imported at the same moment, in two processes:
the second waits for the first (writers of the pairs take turns), sees its listing and stores the
date's own pair. A loan position and a deposit position of one date changed at once through the
ORM (PostgreSQL: SQLite has one writer): both rewrite the date's pair; the second waits for the
first's commit (one lock for the pairs' writers), so the pair is neither written twice nor
refused. Two months' listings imported at once leave the pairs, their rollups and the step
between the months as one import after the other would.
"""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.funding.models import DepositPosition
from aoapp.funding.relationship_tables import DEPARTURES, PAIRS, ROWS
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.concurrency import imports_at_once, two_changes_at_once
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.holdings import make_deposit
from tests.support.rollups import assert_pairs_are_the_listings

AS_OF = date(2024, 6, 30)


def test_a_loan_and_a_deposits_listing_of_one_date_at_once_store_the_dates_pair(
    app, world, tmp_path
):
    L.catalogue()
    ao = world.officer.officer_code
    loans = L.write_csv(tmp_path / "loans.csv", [L.line(f"L{i}", f"CIF{i}", ao) for i in range(30)])
    funds = D.write_csv(tmp_path / "funds.csv", [D.line(f"T{i}", f"CIF{i}", ao) for i in range(30)])
    imports_at_once(
        app, "relationship", (str(loans), AS_OF, "loans"), (str(funds), AS_OF, "deposits")
    )
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 2
    assert (AS_OF, AS_OF) in set(db.session.execute(sa.select(PAIRS)).tuples())
    assert_pairs_are_the_listings()


def test_a_loan_and_a_deposit_position_changed_at_once_rewrite_the_pair_in_turn(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: its transactions cannot overlap")
    customer = make_customer(world.officer, cif="CIF-P1")
    post_listing(AS_OF, [(make_facility(customer), 0, "1000")])
    make_deposit(customer, balances={AS_OF: Decimal("500")})
    assert (AS_OF, AS_OF) in set(db.session.execute(sa.select(PAIRS)).tuples())
    loan = db.session.scalar(sa.select(Position.id).where(Position.as_of == AS_OF))
    funds = db.session.scalar(sa.select(DepositPosition.id).where(DepositPosition.as_of == AS_OF))
    db.session.commit()
    errors = two_changes_at_once(
        app,
        (Position, loan, {"officer_id": world.colleague.id}),
        (DepositPosition, funds, {"status": "closed"}),
    )
    assert not errors, errors
    db.session.expire_all()
    assert_pairs_are_the_listings()
    rows = db.session.execute(sa.select(ROWS.c.officer_id, ROWS.c.depositor)).all()
    assert rows == [(world.colleague.id, 0)]  # booked to ao.sari now, its funds closed


def test_a_months_two_listings_at_once_leave_its_pair_and_the_step_from_the_month_before(
    app, world, tmp_path
):
    L.catalogue()
    ao = world.officer.officer_code
    may = date(2024, 5, 31)
    before = L.Importer(tmp_path, world.admin).csv(
        [L.line(f"L{i}", f"CIF{i}", ao) for i in range(30)], may
    )
    funds_before = D.Importer(tmp_path, world.admin).csv(
        [D.line(f"T{i}", f"CIF{i}", ao) for i in range(30)], may
    )
    assert before.ok and funds_before.ok
    db.session.commit()
    # June: CIF0–CIF9 gone from both listings
    loans = L.write_csv(
        tmp_path / "loans.csv", [L.line(f"L{i}", f"CIF{i}", ao) for i in range(10, 30)]
    )
    funds = D.write_csv(
        tmp_path / "funds.csv", [D.line(f"T{i}", f"CIF{i}", ao) for i in range(10, 30)]
    )
    imports_at_once(
        app, "relationship", (str(loans), AS_OF, "loans"), (str(funds), AS_OF, "deposits")
    )
    db.session.expire_all()
    assert set(db.session.execute(sa.select(PAIRS)).tuples()) == {(may, may), (AS_OF, AS_OF)}
    assert_pairs_are_the_listings()  # with the rollups, and the step from May to June
    left = db.session.scalars(sa.select(DEPARTURES.c.customer_id).distinct()).all()
    assert len(left) == 10
