"""The promise-to-pay rule on hand-built position sequences: kept, broken, pending.

Every state is checked twice: by `state_of` (Python) and by `state_column` (SQL), which must agree.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.extensions import db
from aoapp.followups.models import PromiseState, PromiseToPay
from aoapp.followups.promises import (
    PositionFact,
    deadline_for,
    derive_state,
    keeping_position,
    state_column,
)
from tests.support.promises import (
    both_states,
    delinquent_facility,
    make_promise,
    position,
)

BEFORE = date(2024, 6, 5)  # the listing before the promise: the baseline
PROMISED_ON = date(2024, 6, 10)  # the day of the call
PROMISED = date(2024, 6, 20)  # the promised date
DEADLINE = date(2024, 6, 23)  # promised date + 3 grace days
AMOUNT = Decimal("3000000.00")
KEPT, BROKEN, PENDING = "kept", "broken", "pending"


@pytest.fixture
def facility(world):
    """A facility 45 days past due with Rp 10,000,000 in arrears before the promise."""
    facility = delinquent_facility(world.officer, "PTP-1")
    position(facility, BEFORE, "10000000.00", 45)
    return facility


@pytest.fixture
def promise(facility):
    """Rp 3,000,000 promised on 10 Jun 2024 for 20 Jun 2024 (deadline 23 Jun)."""
    return make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)


def test_the_deadline_is_the_promised_date_plus_the_grace_days(app, promise):
    assert deadline_for(PROMISED) == DEADLINE == promise.deadline
    app.config["PTP_GRACE_DAYS"] = 5
    try:
        assert deadline_for(PROMISED) == PROMISED + timedelta(days=5)
    finally:
        app.config["PTP_GRACE_DAYS"] = 3


class TestKeptByArrears:
    def test_arrears_reduced_by_exactly_the_amount_keeps_it(self, facility, promise):
        position(facility, PROMISED, "7000000.00", 30)
        assert both_states(promise, PROMISED) == KEPT
        assert both_states(promise, DEADLINE + timedelta(days=40)) == KEPT

    def test_reduced_by_more_than_the_amount_keeps_it(self, facility, promise):
        position(facility, date(2024, 6, 15), "2500000.00", 12)
        assert both_states(promise, date(2024, 6, 15)) == KEPT

    @pytest.mark.parametrize(
        ("today", "state"),
        [(PROMISED, PENDING), (DEADLINE, PENDING), (DEADLINE + timedelta(days=1), BROKEN)],
    )
    def test_a_partial_payment_below_the_amount_does_not(self, facility, promise, today, state):
        position(facility, PROMISED, "7000000.01", 30)  # one sen short of Rp 3,000,000
        assert both_states(promise, today) == state

    @pytest.mark.parametrize(
        ("before", "after", "amount"),
        [
            ("1000000.30", "500000.10", "500000.20"),
            ("3613436.07", "16703.24", "3596732.83"),  # binary floats make this 1e-9 short
        ],
    )
    def test_cents_are_compared_exactly(self, world, before, after, amount):
        facility = delinquent_facility(world.officer)
        position(facility, BEFORE, before, 20)
        promise = make_promise(facility, amount, PROMISED_ON, PROMISED)
        position(facility, PROMISED, after, 25)
        assert both_states(promise, DEADLINE + timedelta(days=1)) == KEPT

    def test_the_baseline_is_the_latest_position_on_or_before_the_promise(self, facility):
        position(facility, PROMISED_ON, "12000000.00", 50)  # the day of the promise
        promise = make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)
        position(
            facility, PROMISED, "9000000.00", 35
        )  # 1 M below the 5 Jun listing, 3 M below 10 Jun
        assert both_states(promise, PROMISED) == KEPT

    def test_a_position_on_the_day_of_the_promise_does_not_keep_it(self, facility):
        promise = make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)
        position(facility, PROMISED_ON, "1000000.00", 0)  # the baseline, not a payment after it
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN

    def test_arrears_that_grew_are_measured_from_the_baseline(self, facility, promise):
        position(facility, date(2024, 6, 15), "14000000.00", 50)
        position(facility, PROMISED, "8000000.00", 40)  # 6 M paid since the 15th, 2 M since 5 Jun
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN

    def test_once_kept_stays_kept_when_arrears_come_back(self, facility, promise):
        position(facility, PROMISED, "6000000.00", 20)
        position(facility, DEADLINE, "11000000.00", 60)
        assert both_states(promise, DEADLINE + timedelta(days=30)) == KEPT


class TestKeptByDpdZero:
    def test_dpd_zero_keeps_it_even_without_a_baseline(self, world):
        facility = delinquent_facility(world.officer)  # no position before the promise
        promise = make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)
        position(facility, date(2024, 6, 18), "0.00", 0)
        assert both_states(promise, PROMISED) == KEPT
        assert both_states(promise, DEADLINE + timedelta(days=1)) == KEPT

    def test_dpd_zero_with_arrears_left_keeps_it(self, facility, promise):
        position(facility, date(2024, 6, 18), "9500000.00", 0)  # not overdue, small payment
        assert both_states(promise, DEADLINE + timedelta(days=1)) == KEPT

    def test_without_a_baseline_a_smaller_arrears_is_no_proof(self, world):
        facility = delinquent_facility(world.officer)
        promise = make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)
        position(facility, date(2024, 6, 18), "1.00", 3)
        assert both_states(promise, DEADLINE) == PENDING
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN

    def test_dpd_zero_before_the_promise_does_not_keep_it(self, world):
        facility = delinquent_facility(world.officer)
        position(facility, date(2024, 5, 31), "0.00", 0)
        promise = make_promise(facility, AMOUNT, PROMISED_ON, PROMISED)
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN


class TestGraceBoundary:
    @pytest.mark.parametrize(
        ("days_after_promised_date", "state"),
        [(0, KEPT), (3, KEPT), (4, BROKEN), (10, BROKEN)],
    )
    def test_a_qualifying_position_counts_until_promised_date_plus_3(
        self, facility, promise, days_after_promised_date, state
    ):
        as_of = PROMISED + timedelta(days=days_after_promised_date)
        position(facility, as_of, "0.00", 0)
        assert both_states(promise, as_of + timedelta(days=1)) == state

    def test_a_late_payment_is_pending_until_the_deadline_passes(self, facility, promise):
        position(facility, PROMISED + timedelta(days=4), "0.00", 0)
        assert both_states(promise, DEADLINE) == PENDING  # the listing shows it, too late


class TestDeadline:
    @pytest.mark.parametrize(
        ("today", "state"),
        [
            (PROMISED_ON, PENDING),
            (PROMISED, PENDING),
            (DEADLINE, PENDING),
            (DEADLINE + timedelta(days=1), BROKEN),
            (DEADLINE + timedelta(days=365), BROKEN),
        ],
    )
    def test_no_payment_is_pending_until_the_deadline_then_broken(self, promise, today, state):
        assert both_states(promise, today) == state

    def test_positions_without_payment_leave_it_broken(self, facility, promise):
        position(facility, date(2024, 6, 15), "10000000.00", 55)
        position(facility, PROMISED, "10500000.00", 60)
        assert both_states(promise, DEADLINE) == PENDING
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN

    def test_the_stored_deadline_wins_over_a_changed_policy(self, app, facility, promise):
        position(facility, DEADLINE, "0.00", 0)
        app.config["PTP_GRACE_DAYS"] = 1  # later policy: 1 grace day; the promise keeps its 3
        try:
            assert both_states(promise, DEADLINE + timedelta(days=1)) == KEPT
        finally:
            app.config["PTP_GRACE_DAYS"] = 3


class TestOtherFacilities:
    def test_another_facility_of_the_same_customer_does_not_count(self, world, facility, promise):
        other = delinquent_facility(world.officer)
        other.customer_id = facility.customer_id
        db.session.commit()
        position(other, PROMISED, "0.00", 0)
        assert both_states(promise, DEADLINE + timedelta(days=1)) == BROKEN


def test_state_column_over_many_promises_with_an_alias(world):
    """One query gives each promise its own state (correlated on the alias given)."""
    kept_facility = delinquent_facility(world.officer)
    broken_facility = delinquent_facility(world.officer)
    pending_facility = delinquent_facility(world.officer)
    for facility in (kept_facility, broken_facility, pending_facility):
        position(facility, BEFORE, "5000000.00", 40)
    kept = make_promise(kept_facility, "1000000", PROMISED_ON, PROMISED)
    broken = make_promise(broken_facility, "1000000", PROMISED_ON, PROMISED)
    pending = make_promise(pending_facility, "1000000", date(2024, 6, 22), date(2024, 6, 30))
    position(kept_facility, PROMISED, "4000000.00", 30)
    promise = aliased(PromiseToPay)
    rows = db.session.execute(
        sa.select(promise.id, state_column(DEADLINE + timedelta(days=1), promise))
    ).all()
    assert dict(rows) == {kept.id: KEPT, broken.id: BROKEN, pending.id: PENDING}


def test_derive_state_and_keeping_position_in_python():
    facts = [
        PositionFact(BEFORE, Decimal("10000000"), 45),
        PositionFact(PROMISED, Decimal("7000000"), 30),
        PositionFact(DEADLINE, Decimal("0"), 0),
    ]
    assert keeping_position(AMOUNT, PROMISED_ON, DEADLINE, facts) == facts[1]  # the first
    assert derive_state(AMOUNT, PROMISED_ON, DEADLINE, facts, DEADLINE) == PromiseState.KEPT
    assert derive_state(AMOUNT, PROMISED_ON, DEADLINE, facts[:1], DEADLINE) == "pending"
    later = DEADLINE + timedelta(days=1)
    assert derive_state(AMOUNT, PROMISED_ON, DEADLINE, facts[:1], later) == "broken"
