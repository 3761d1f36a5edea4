"""Month-end aggregates (credit/rollups.py): every figure read from them equals the figure
computed from the positions (credit/rollup_reads.live), on random portfolios and for every kind
of scope; positions written through the ORM (one by one, a Kol upgrade, a restructured flag)
leave them equal to the positions."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope, scope_figures
from aoapp.credit.migration import kol_migration
from aoapp.credit.models import Facility, Position
from aoapp.credit.rollups import ROLLUPS, SHARED
from aoapp.credit.upgrades import upgrade_kol
from aoapp.customers.models import Customer
from aoapp.dashboards.queries import trend
from aoapp.extensions import db
from aoapp.kpis import queries as kpi_queries
from aoapp.targets import achievement
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.properties import database_examples
from tests.support.rollups import (
    assert_rollups_are_the_positions,
    officers_and_scopes,
    stored_and_live,
    wipe,
)

DATES = (date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30))
CENTS = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n) / 100)
POSITION = st.fixed_dictionaries(
    {
        "booker": st.integers(min_value=0, max_value=4),  # 4: booked to no officer
        "dpd": st.sampled_from([0, 0, 1, 30, 31, 60, 61, 90, 91, 120, 150, 181, 400]),
        "debtor_kol": st.integers(min_value=1, max_value=5),
        "prev_kol": st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
        "outstanding": CENTS,
    }
)
FACILITY = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=5),
        "restructured": st.booleans(),
        "flip": st.booleans(),  # its restructured flag changes afterwards
        "listed": st.lists(st.one_of(st.none(), POSITION), min_size=3, max_size=3),
    }
)


@pytest.fixture
def people(world):
    return officers_and_scopes(world)


def _build(officers, facilities: list[dict]) -> None:
    customers = [make_customer(officers[n % len(officers)]) for n in range(6)]
    for spec in facilities:
        facility = make_facility(customers[spec["customer"]], restructured=spec["restructured"])
        for as_of, listed in zip(DATES, spec["listed"], strict=True):
            if listed is None:
                continue
            booker = None if listed["booker"] == 4 else officers[listed["booker"]]
            db.session.add(
                Position(
                    facility_id=facility.id,
                    as_of=as_of,
                    customer_id=facility.customer_id,
                    officer_id=booker.id if booker else None,
                    branch_id=booker.branch_id if booker else None,
                    outstanding=listed["outstanding"],
                    arrears_principal=Decimal(0),
                    arrears_interest=Decimal(0),
                    dpd=listed["dpd"],
                    dpd_kol=1,
                    facility_kol=listed["debtor_kol"],
                    debtor_kol=listed["debtor_kol"],
                    kol_rule="dpd",
                    prev_kol=listed["prev_kol"],
                )
            )
        db.session.flush()  # one flush per facility: its dates' rollups written each time
        if spec["flip"]:
            facility.restructured = not facility.restructured
    db.session.flush()


def _wipe() -> None:
    wipe(SHARED, ROLLUPS, Position.__table__, Facility.__table__, Customer.__table__)


@settings(
    max_examples=database_examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facilities=st.lists(FACILITY, min_size=1, max_size=10))
def test_every_figure_from_the_rollups_equals_the_positions(people, facilities):
    officers, scopes = people
    _build(officers, facilities)
    try:
        assert_rollups_are_the_positions(list(DATES))
        ids = [officer.id for officer in officers]
        listed = {d for f in facilities for d, p in zip(DATES, f["listed"], strict=True) if p}
        for name, scope in scopes.items():
            for as_of in DATES:
                if as_of in listed:  # a date with positions is read from its rollups
                    assert rollup_reads.scope_row(scope.condition, as_of) is not None
                fast, live = stored_and_live(lambda s=scope, d=as_of: scope_figures(s, d))
                assert fast == live, (name, as_of)
                fast, live = stored_and_live(
                    lambda s=scope, d=as_of: kpi_queries.portfolio(ids, d, s.condition)
                )
                assert fast == live, (name, as_of)
                fast, live = stored_and_live(
                    lambda s=scope, d=as_of: achievement._outstanding_on(ids, d, s.condition)
                )
                assert fast == live, (name, as_of)
            fast, live = stored_and_live(lambda s=scope: trend(s, list(DATES)))
            assert fast == live, name
            for before, as_of in itertools.pairwise(sorted(listed)):
                fast, live = stored_and_live(
                    lambda s=scope, b=before, d=as_of: kol_migration(s, b, d)
                )
                assert fast == live, (name, as_of)
    finally:
        _wipe()


def test_a_date_without_rollups_is_read_from_its_positions(world):
    facility = make_facility(make_customer(world.officer))
    post_listing(DATES[0], [(facility, 0, "1000")])
    db.session.execute(sa.delete(ROLLUPS))
    scope = resolve_scope(world.officer)
    assert rollup_reads.scope_row(scope.condition, DATES[0]) is None
    assert scope_figures(scope, DATES[0]).total_outstanding == Decimal("1000.00")


def test_a_scope_condition_on_another_column_is_read_live(world):
    facility = make_facility(make_customer(world.officer))
    post_listing(DATES[0], [(facility, 0, "1000")])
    assert rollup_reads.scope_row(Position.dpd > 0, DATES[0]) is None
    assert rollup_reads.scope_row(Position.officer_id == world.officer.id, DATES[0]) is not None


def test_a_kol_upgrade_rewrites_its_dates_rollups(world):
    facility = make_facility(make_customer(world.officer), restructured=True)
    other = make_facility(db.session.get(Customer, facility.customer_id))
    post_listing(DATES[0], [(facility, 100, "5000"), (other, 0, "7000")])
    post_listing(DATES[1], [(facility, 0, "4000"), (other, 0, "7000")])  # held at Kol 3
    scope = resolve_scope(world.admin)
    before = scope_figures(scope, DATES[1])
    assert before.kol_distribution[2].outstanding == Decimal("11000.00")  # one obligor: both

    upgrade_kol(world.supervisor, facility, 1, "Paid on time for six months since restructuring.")
    assert_rollups_are_the_positions(list(DATES))
    after, live = stored_and_live(lambda: scope_figures(scope, DATES[1]))
    assert after == live
    assert after.kol_distribution[0].outstanding == Decimal("11000.00")
    assert after.lar_outstanding == Decimal("4000.00")  # restructured and now Kol 1


def test_a_restructured_flag_changed_later_changes_loan_at_risk_on_every_date(world):
    facility = make_facility(make_customer(world.officer))
    post_listing(DATES[0], [(facility, 0, "5000")])
    post_listing(DATES[1], [(facility, 0, "6000")])
    scope = resolve_scope(world.admin)
    assert scope_figures(scope, DATES[0]).lar_outstanding == Decimal("0.00")
    facility.restructured = True
    db.session.commit()
    assert_rollups_are_the_positions(list(DATES))
    for as_of, amount in ((DATES[0], "5000.00"), (DATES[1], "6000.00")):
        fast, live = stored_and_live(lambda d=as_of: scope_figures(scope, d))
        assert fast == live and fast.lar_outstanding == Decimal(amount)


def test_a_position_deleted_or_moved_to_another_date_rewrites_both_dates(world):
    facility = make_facility(make_customer(world.officer))
    positions = post_listing(DATES[0], [(facility, 0, "5000")])
    post_listing(DATES[1], [(make_facility(make_customer(world.colleague)), 0, "1")])
    position = positions[facility.id]
    position.as_of = DATES[2]
    db.session.commit()
    assert_rollups_are_the_positions(list(DATES))
    assert db.session.scalar(sa.select(sa.func.count()).where(ROLLUPS.c.as_of == DATES[0])) == 0
    db.session.delete(position)
    db.session.commit()
    assert_rollups_are_the_positions(list(DATES))
    assert rollup_reads.dates_with_rollups(list(DATES)) == {DATES[1]}
