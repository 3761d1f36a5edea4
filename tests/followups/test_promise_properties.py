"""Properties of the promise-to-pay rule on random position sequences (hypothesis).

The pure rule (`derive_state`) is checked against invariants; then, on a bounded number of random
sequences written to the real database, the SQL rule (`state_column`) must give the same answer.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aoapp.credit.collectibility import kol_from_dpd, load_bands
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseState, PromiseToPay
from aoapp.followups.promises import (
    PositionFact,
    broken_condition,
    derive_state,
    keeping_position,
    state_column,
)
from tests.support.promises import delinquent_facility, make_promise
from tests.support.properties import database_examples

BASE = date(2024, 1, 1)
MAX_ARREARS = 10**11  # sen: Rp 1,000,000,000


@dataclass(frozen=True)
class Case:
    """One promise and the facility's positions."""

    amount: Decimal
    promised_on: date
    deadline: date
    positions: tuple[PositionFact, ...]

    def state(self, today: date, positions=None, amount=None) -> PromiseState:
        return derive_state(
            self.amount if amount is None else amount,
            self.promised_on,
            self.deadline,
            self.positions if positions is None else positions,
            today,
        )

    def free_days(self, first: date, last: date) -> list[date]:
        """Days in [first, last] without a position (a facility has one position a day)."""
        taken = {p.as_of for p in self.positions}
        count = (last - first).days + 1
        return [
            first + timedelta(d) for d in range(max(count, 0)) if first + timedelta(d) not in taken
        ]


def sen(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


@st.composite
def cases(draw) -> Case:
    """A promise and up to 6 positions; arrears often exactly at the kept boundary (± 1 sen)."""
    promised_on = draw(st.integers(0, 30))
    promised_date = promised_on + draw(st.integers(0, 20))
    deadline = promised_date + draw(st.integers(0, 5))
    amount = draw(st.integers(1, MAX_ARREARS // 10))
    baseline = draw(st.integers(0, MAX_ARREARS))
    before = draw(st.lists(st.integers(0, promised_on), unique=True, max_size=2))
    after = draw(st.lists(st.integers(promised_on + 1, 80), unique=True, max_size=4))
    near = st.integers(-1, 1).map(lambda d: max(0, baseline - amount + d))
    positions = []
    for day in before + after:
        if day == max(before, default=None):
            arrears = baseline
        else:
            arrears = draw(st.one_of(near, near, st.integers(0, MAX_ARREARS)))
        dpd = draw(
            st.integers(0, 4).flatmap(lambda k: st.just(0) if k == 0 else st.integers(1, 200))
        )
        positions.append(PositionFact(BASE + timedelta(day), sen(arrears), dpd))
    return Case(
        sen(amount),
        BASE + timedelta(promised_on),
        BASE + timedelta(deadline),
        tuple(positions),
    )


days_offsets = st.integers(-40, 80)


@given(cases(), st.integers(0, 200))
def test_never_broken_on_or_before_the_deadline(case, back):
    today = case.deadline - timedelta(days=back)
    assert case.state(today) != PromiseState.BROKEN


@given(cases(), days_offsets)
def test_broken_means_the_deadline_passed_and_no_position_qualifies(case, offset):
    today = case.deadline + timedelta(days=offset)
    if case.state(today) == PromiseState.BROKEN:
        assert today > case.deadline
        assert (
            keeping_position(case.amount, case.promised_on, case.deadline, case.positions) is None
        )
        for p in case.positions:
            if case.promised_on < p.as_of <= case.deadline:
                assert p.dpd > 0


@given(cases(), days_offsets, st.data())
def test_adding_a_qualifying_position_makes_it_kept(case, offset, data):
    free = case.free_days(case.promised_on + timedelta(days=1), case.deadline)
    assume(free)
    day = data.draw(st.sampled_from(free))
    paid = PositionFact(day, Decimal("0.00"), 0)
    today = case.deadline + timedelta(days=offset)
    assert case.state(today, case.positions + (paid,)) == PromiseState.KEPT


@given(cases(), days_offsets, st.data())
def test_kept_stays_kept_whatever_comes_after_the_promise(case, offset, data):
    today = case.deadline + timedelta(days=offset)
    free = case.free_days(case.promised_on + timedelta(days=1), case.deadline)
    assume(free)
    paid = PositionFact(data.draw(st.sampled_from(free)), Decimal("0.00"), 0)
    kept = case.positions + (paid,)
    later = [
        d
        for d in case.free_days(
            case.promised_on + timedelta(days=1), case.deadline + timedelta(days=30)
        )
        if d != paid.as_of
    ]
    extra = data.draw(
        st.lists(
            st.builds(
                PositionFact,
                st.sampled_from(later) if later else st.nothing(),
                st.integers(0, MAX_ARREARS).map(sen),
                st.integers(1, 200),
            ),
            max_size=3 if later else 0,
            unique_by=lambda p: p.as_of,
        )
    )
    assert case.state(today, kept) == PromiseState.KEPT
    assert case.state(today, kept + tuple(extra)) == PromiseState.KEPT


@given(cases(), days_offsets, st.data())
def test_positions_after_the_deadline_change_nothing(case, offset, data):
    today = case.deadline + timedelta(days=offset)
    free = case.free_days(case.deadline + timedelta(days=1), case.deadline + timedelta(days=60))
    extra = data.draw(
        st.lists(
            st.builds(
                PositionFact,
                st.sampled_from(free),
                st.integers(0, MAX_ARREARS).map(sen),
                st.integers(0, 200),
            ),
            max_size=4,
            unique_by=lambda p: p.as_of,
        )
    )
    assert case.state(today, case.positions + tuple(extra)) == case.state(today)


@given(cases(), days_offsets, st.randoms(use_true_random=False))
def test_the_order_of_the_positions_does_not_matter(case, offset, rnd):
    today = case.deadline + timedelta(days=offset)
    shuffled = list(case.positions)
    rnd.shuffle(shuffled)
    assert case.state(today, tuple(shuffled)) == case.state(today)


@given(cases(), days_offsets, st.integers(1, MAX_ARREARS // 10))
def test_a_smaller_promise_is_kept_whenever_a_larger_one_is(case, offset, smaller):
    today = case.deadline + timedelta(days=offset)
    assume(sen(smaller) <= case.amount)
    if case.state(today) == PromiseState.KEPT:
        assert case.state(today, amount=sen(smaller)) == PromiseState.KEPT


@given(cases(), st.integers(0, 60), st.integers(0, 60))
def test_today_matters_only_through_the_deadline(case, first, second):
    after = case.deadline + timedelta(days=1)
    assert case.state(after + timedelta(first)) == case.state(after + timedelta(second))
    on = case.deadline
    assert case.state(on - timedelta(first)) == case.state(on - timedelta(second))


# -- the SQL rule against the Python rule, on the real database ---------------------------------


def _store(facility, case: Case, bands) -> PromiseToPay:
    """Write the case's positions and promise for `facility`."""
    for fact in case.positions:
        kol = kol_from_dpd(fact.dpd, bands)
        db.session.add(
            Position(
                facility_id=facility.id,
                as_of=fact.as_of,
                customer_id=facility.customer_id,
                outstanding=Decimal("100000000.00"),
                arrears_principal=fact.arrears,
                arrears_interest=Decimal("0.00"),
                dpd=fact.dpd,
                dpd_kol=kol,
                facility_kol=kol,
                debtor_kol=kol,
                kol_rule="dpd",
            )
        )
    db.session.commit()
    promised_date = min(case.deadline, case.promised_on + timedelta(days=20))
    return make_promise(facility, case.amount, case.promised_on, promised_date, case.deadline)


def _clean(facility) -> None:
    db.session.rollback()
    for model in (PromiseToPay, FollowUp, Position):
        db.session.execute(sa.delete(model).where(model.facility_id == facility.id))
    db.session.commit()


@pytest.fixture
def facility(world):
    return delinquent_facility(world.officer)


@settings(
    max_examples=database_examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), offsets=st.lists(st.integers(-3, 3), min_size=1, max_size=3))
def test_sql_state_column_agrees_with_derive_state(facility, case, offsets):
    bands = load_bands()
    try:
        promise = _store(facility, case, bands)
        for offset in offsets:
            today = case.deadline + timedelta(days=offset)
            sql, broken = db.session.execute(
                sa.select(state_column(today), broken_condition(today)).where(
                    PromiseToPay.id == promise.id
                )
            ).one()
            assert sql == case.state(today).value, (today, case)
            assert bool(broken) == (case.state(today) == PromiseState.BROKEN), (today, case)
    finally:
        _clean(facility)


def test_the_generated_cases_reach_every_state():
    """The strategy is worth something only if it produces all three states."""
    seen = set()

    @settings(max_examples=200, database=None)
    @given(cases(), days_offsets)
    def collect(case, offset):
        seen.add(case.state(case.deadline + timedelta(days=offset)))

    collect()
    assert seen == set(PromiseState)
