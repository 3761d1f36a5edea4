"""Month-end aggregates of the funds (funding/rollups.py): on random books of deposit accounts
written, changed and removed through the ORM, the rollups stay the deposit positions summed, and
every funding figure read from them (a scope's DPK by kind, depositors, growth; DPK and CASA per
officer; the trend) equals the one computed from the positions (rollup_reads.live), for every
kind of scope."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoapp.credit import rollup_reads
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding import rollups as stored
from aoapp.funding.figures import officer_funding, scope_funding
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.funding.relationship_tables import DEPARTURES, PAIRS, ROWS, STEPS
from aoapp.funding.relationship_tables import ROLLUPS as RELATIONSHIP_ROLLUPS
from aoapp.funding.trend import funding_trend
from tests.support.factories import make_customer
from tests.support.holdings import booked_position, make_deposit
from tests.support.properties import database_examples
from tests.support.rollups import (
    assert_deposit_rollups_are_the_positions,
    officers_and_scopes,
    stored_and_live,
    wipe,
)

# The previous year's December (growth over the year), two month-ends and a day within a month.
DATES = (date(2023, 12, 31), date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 14))
CENTS = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n) / 100)
LISTED = st.fixed_dictionaries(
    {
        "booker": st.integers(min_value=0, max_value=4),  # 4: booked to no officer
        "balance": CENTS,
        "average": st.one_of(st.none(), CENTS),
        "status": st.sampled_from(["active", "active", "dormant", "blocked", "closed"]),
    }
)
ACCOUNT = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=0, max_value=5),
        "code": st.sampled_from(["TAB", "DEP", "GIRO"]),
        "listed": st.lists(st.one_of(st.none(), LISTED), min_size=4, max_size=4),
        # afterwards, through the ORM: its last position moved to another officer, or removed
        "then": st.sampled_from([None, None, "moved", "removed"]),
    }
)


@pytest.fixture
def people(world):
    return officers_and_scopes(world)


def _build(officers, accounts: list[dict]) -> None:
    customers = [make_customer(officers[n % len(officers)]) for n in range(6)]
    written = []
    for spec in accounts:
        account = make_deposit(customers[spec["customer"]], spec["code"])
        last = None
        for as_of, listed in zip(DATES, spec["listed"], strict=True):
            if listed is None:
                continue
            booker = None if listed["booker"] == 4 else officers[listed["booker"]]
            last = booked_position(
                account, as_of, booker, listed["balance"], listed["status"], listed["average"]
            )
            db.session.add(last)
        db.session.flush()  # one flush per account: its dates' rollups written each time
        written.append((spec["then"], last))
    for then, position in written:
        if position is None or then is None:
            continue
        if then == "removed":
            db.session.delete(position)
        else:
            position.officer_id, position.branch_id = officers[1].id, officers[1].branch_id
        db.session.flush()


def _wipe() -> None:
    tables = (
        DEPARTURES,
        STEPS,
        RELATIONSHIP_ROLLUPS,
        ROWS,
        PAIRS,
        stored.RUNOFF_STEPS,
        stored.RUNOFF,
        stored.SHARED,
        stored.ROLLUPS,
        DepositPosition.__table__,
        DepositAccount.__table__,
        Customer.__table__,
    )
    wipe(*tables)


@settings(
    max_examples=database_examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(accounts=st.lists(ACCOUNT, min_size=1, max_size=10))
def test_every_funding_figure_from_the_rollups_equals_the_positions(people, accounts):
    officers, scopes = people
    _build(officers, accounts)
    try:
        assert_deposit_rollups_are_the_positions()
        ids = [officer.id for officer in officers]
        rolled = set(db.session.scalars(sa.select(stored.ROLLUPS.c.as_of)))
        for name, scope in scopes.items():
            for as_of in DATES:
                if as_of in rolled:  # a date with funds held is read from its rollups
                    assert rollup_reads.translated(
                        scope.condition, [as_of], stored.ROLLUPS, stored.SHARED
                    )
                fast, live = stored_and_live(lambda s=scope, d=as_of: scope_funding(s, d))
                assert fast == live, (name, as_of)
                fast, live = stored_and_live(
                    lambda s=scope, d=as_of: officer_funding(ids, d, s.condition)
                )
                assert fast == live, (name, as_of)
            fast, live = stored_and_live(
                lambda s=scope: funding_trend(s, DATES[-1], DATES[-1], months=7)
            )
            assert fast == live, name
    finally:
        _wipe()


def test_a_scope_reads_the_rollups_and_counts_a_shared_depositor_once(world):
    """One customer with funds booked to two officers of a branch: a depositor of each officer,
    once in the branch's figures, read from the rollups (no statement on deposit_positions)."""
    people, scopes = officers_and_scopes(world)
    customer = make_customer(people[0])
    for officer, code, balance in ((people[0], "TAB", "100.00"), (people[1], "GIRO", "50.00")):
        account = make_deposit(customer, code)
        db.session.add(booked_position(account, DATES[1], officer, balance))
    db.session.commit()
    read = []

    def record(_conn, _cursor, statement, *_args):
        read.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        figures = scope_funding(scopes["branch"], DATES[1])
        per_officer = officer_funding([p.id for p in people], DATES[1], scopes["branch"].condition)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert (figures.depositors, figures.account_count) == (1, 2)
    assert (figures.tabungan, figures.giro, figures.casa) == (
        Decimal("100.00"),
        Decimal("50.00"),
        Decimal("150.00"),
    )
    assert per_officer == {
        people[0].id: {"dpk": Decimal("100.00"), "casa": Decimal("100.00")},
        people[1].id: {"dpk": Decimal("50.00"), "casa": Decimal("50.00")},
    }
    assert sum("sum(deposit_rollups." in statement for statement in read) == 2
    live = ("count(DISTINCT deposit_positions.customer_id)", "GROUP BY deposit_positions.as_of")
    assert not [statement for statement in read if any(part in statement for part in live)]
