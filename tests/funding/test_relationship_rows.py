"""The relationship figures read the stored pairs of listings (funding/relationship_rows.py), their
rollups and the steps between them: on random books of loans, deposits and recorded services
written through the ORM, every figure equals the one computed from the positions and deposit
positions (rollup_reads.live), for every kind of scope, per officer, with retention and the lost
customers; a facility moved to another product and a product whose kind changes move them as they move the
live figures."""

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoapp.common.read_memo import remembering
from aoapp.credit.figures import resolve_scope
from aoapp.credit.models import Facility, Position
from aoapp.credit.rollups import ROLLUPS, SHARED
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.funding import relationship as rel
from aoapp.funding import relationship_tables as stored_tables
from aoapp.funding import rollups as deposit_rollups
from aoapp.funding.held import listings_on
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.funding.relationship_tables import PAIRS, ROWS
from aoapp.funding.stored_relationship import stepped, stored
from tests.support.credit import credit_product, make_facility
from tests.support.factories import make_customer
from tests.support.holdings import SERVICES, booked_position, make_deposit, product, record
from tests.support.properties import database_examples
from tests.support.rollups import (
    assert_rollups_are_the_positions,
    officers_and_scopes,
    stored_and_live,
    wipe,
)

DATES = (date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30))
BOOKER = st.one_of(st.none(), st.integers(min_value=0, max_value=4))  # 4: no officer
LOAN = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=5),
        "product": st.sampled_from(["KMK", "KUR", "KI"]),
        "booked": st.lists(BOOKER, min_size=3, max_size=3),
        "moved": st.sampled_from([None, "KMK", "KPR"]),  # its product changed afterwards
    }
)
DEPOSIT = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=5),
        "code": st.sampled_from(["TAB", "DEP", "GIRO"]),
        "booked": st.lists(BOOKER, min_size=3, max_size=3),
        "closed": st.booleans(),  # closed on the last date
    }
)
SERVICE = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=5),
        "code": st.sampled_from(SERVICES),  # a customer may hold both
        "on": st.sampled_from(DATES),
    }
)


@pytest.fixture
def people(world):
    return officers_and_scopes(world)


def _position(facility: Facility, as_of: date, booker) -> Position:
    return Position(
        facility_id=facility.id,
        as_of=as_of,
        customer_id=facility.customer_id,
        officer_id=booker.id if booker else None,
        branch_id=booker.branch_id if booker else None,
        outstanding=Decimal("1000.00"),
        arrears_principal=Decimal(0),
        arrears_interest=Decimal(0),
        dpd=0,
        dpd_kol=1,
        facility_kol=1,
        debtor_kol=1,
        kol_rule="dpd",
    )


def _deposit_position(account: DepositAccount, as_of: date, booker, status) -> DepositPosition:
    return booked_position(account, as_of, booker, "500.00", status)


def _build(officers, loans, deposits, services) -> None:
    customers = [make_customer(officers[n % len(officers)]) for n in range(6)]

    def booker(n):
        return None if n == 4 else officers[n]

    facilities = []
    for spec in loans:
        facility = make_facility(customers[spec["customer"]], product=spec["product"])
        facilities.append(facility)
        for as_of, n in zip(DATES, spec["booked"], strict=True):
            if n is not None:
                db.session.add(_position(facility, as_of, booker(n)))
        db.session.flush()
    for spec in deposits:
        account = make_deposit(customers[spec["customer"]], spec["code"])
        for as_of, m in zip(DATES, spec["booked"], strict=True):
            if m is not None:
                closed = spec["closed"] and as_of == DATES[-1]
                status = "closed" if closed else "active"
                db.session.add(_deposit_position(account, as_of, booker(m), status))
    db.session.flush()
    for spec in services:
        moment = datetime(spec["on"].year, spec["on"].month, spec["on"].day, 3, tzinfo=UTC)
        db.session.add(
            ProductHolding(
                customer_id=customers[spec["customer"]].id,
                product_id=product(spec["code"]).id,
                created_at=moment,
            )
        )
    db.session.flush()
    for facility, spec in zip(facilities, loans, strict=True):
        if spec["moved"]:  # after the pairs are stored: their rows of its customer rewritten
            facility.product_id = credit_product(spec["moved"]).id
            db.session.flush()


def _wipe() -> None:
    tables = (
        stored_tables.DEPARTURES,
        stored_tables.STEPS,
        stored_tables.ROLLUPS,
        ROWS,
        PAIRS,
        SHARED,
        ROLLUPS,
        deposit_rollups.RUNOFF_STEPS,
        deposit_rollups.RUNOFF,
        deposit_rollups.SHARED,
        deposit_rollups.ROLLUPS,
        ProductHolding.__table__,
        DepositPosition.__table__,
        DepositAccount.__table__,
        Position.__table__,
        Facility.__table__,
        Customer.__table__,
    )
    wipe(*tables)


def _figures(scope, ids, end: date, start: date):
    listings, begun = listings_on(end), listings_on(start)
    return (
        rel.scope_relationship(scope, listings, begun),
        rel.officer_relationship(ids, listings, begun, scope.condition),
        rel.lost_customers(scope.condition, begun, listings),
    )


@settings(
    max_examples=database_examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    loans=st.lists(LOAN, min_size=1, max_size=8),
    deposits=st.lists(DEPOSIT, min_size=1, max_size=6),
    services=st.lists(SERVICE, max_size=4, unique_by=lambda spec: (spec["customer"], spec["code"])),
)
def test_every_relationship_figure_from_the_stored_pairs_equals_the_positions(
    people, loans, deposits, services
):
    officers, scopes = people
    _build(officers, loans, deposits, services)
    db.session.commit()  # a page reads in a transaction that has written nothing (read_memo)
    try:
        assert_rollups_are_the_positions(list(DATES))
        ids = [officer.id for officer in officers]
        for day in DATES:  # read from the stored pair of each date with both listings
            listings = listings_on(day)
            assert stored(listings) == (None not in (listings.loans, listings.deposits))
        for start, end in itertools.pairwise(DATES):  # retention reads the step between them
            begun, listings = listings_on(start), listings_on(end)
            assert stepped(begun, listings) == (stored(begun) and stored(listings))
        for name, scope in scopes.items():
            for start, end in itertools.pairwise(DATES):
                fast, live = stored_and_live(lambda s=scope, e=end, b=start: _figures(s, ids, e, b))
                with remembering():  # a page's read block: both pairs' services in one pass
                    shared = _figures(scope, ids, end, start)
                assert fast == live == shared, (name, start, end)
    finally:
        _wipe()
        db.session.commit()


def test_a_product_that_changes_kind_changes_the_figures_as_read_live(world):
    customer = make_customer(world.officer)
    facilities = [make_facility(customer, product=code) for code in ("KMK", "KI")]
    for facility in facilities:
        db.session.add(_position(facility, DATES[0], world.officer))
    db.session.commit()
    record(customer, "MBANKING", created_at=datetime(2024, 4, 1, tzinfo=UTC))
    bank = resolve_scope(world.admin)
    db.session.add(_deposit_position_of(customer, world.officer))
    db.session.commit()
    listings = listings_on(DATES[0])
    assert rel.scope_relationship(bank, listings).products_held == 4  # KMK, KI, TAB, MBANKING

    credit_product("KI").credit_subtype = "working_capital"  # now KMK's category
    db.session.commit()
    fast, live = stored_and_live(lambda: rel.scope_relationship(bank, listings))
    assert fast == live and fast.products_held == 3


def _deposit_position_of(customer, officer) -> DepositPosition:
    return _deposit_position(make_deposit(customer, "TAB"), DATES[0], officer, "active")


def test_a_facility_moved_to_another_product_moves_the_stored_pairs(world):
    customer = make_customer(world.officer)
    kmk, kur = (make_facility(customer, product=code) for code in ("KMK", "KUR"))
    for facility in (kmk, kur):
        db.session.add(_position(facility, DATES[0], world.officer))
    db.session.add(_deposit_position_of(customer, world.officer))
    db.session.commit()
    bank, listings = resolve_scope(world.admin), listings_on(DATES[0])
    assert stored(listings)
    assert rel.scope_relationship(bank, listings).products_held == 3  # KMK, KUR, TAB

    kur.product_id = kmk.product_id  # booked as KMK from now on, on every date
    db.session.commit()
    fast, live = stored_and_live(lambda: rel.scope_relationship(bank, listings))
    assert fast == live and fast.products_held == 2
