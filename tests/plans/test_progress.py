"""Each goal kind's current value and state, on hand-built listings, on a fixed day.

The plan starts on 4 May 2026 (TODAY); a goal due 30 June has 57 days, so under a quarter (14.25
days) is left from 16 June on."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from aoapp.plans.progress import progress_of, timed_state
from tests.plans.conftest import TODAY

pytestmark = pytest.mark.today(TODAY.isoformat())

APR30, MAY31, JUN30, JUL31 = (
    date(2026, 4, 30),
    date(2026, 5, 31),
    date(2026, 6, 30),
    date(2026, 7, 31),
)
TWO_M = Decimal("2000000000")  # Rp 2 M (miliar)


def _one(bank, plan, today):
    return progress_of([plan], today)[plan.id][0]


class TestTimedState:
    @pytest.mark.parametrize(
        ("reached", "today", "state"),
        [
            (True, date(2026, 7, 1), "met"),
            (False, date(2026, 7, 1), "missed"),
            (False, date(2026, 6, 30), "at_risk"),  # the due day itself: still open, no time left
            (False, date(2026, 6, 16), "at_risk"),  # 14 of 57 days left: under 14.25
            (False, date(2026, 6, 15), "on_track"),  # 15 of 57: not under a quarter
            (False, TODAY, "on_track"),
        ],
    )
    def test_boundaries(self, reached, today, state):
        assert timed_state(reached, TODAY, JUN30, today) == state


class TestOutstanding:
    def _plan(self, bank):
        return bank.save([{"kind": "outstanding_at_least", "amount": TWO_M, "due_date": JUN30}])

    def test_below_target_early_is_on_track_with_the_newest_outstanding(self, bank):
        bank.loan(APR30, 1500)
        progress = _one(bank, self._plan(bank), TODAY)
        assert (progress.current, progress.state, progress.as_of) == (
            Decimal("1500000000.00"),
            "on_track",
            APR30,
        )

    def test_reached_is_met(self, bank):
        bank.loan(APR30, 1500)
        plan = self._plan(bank)
        bank.loan(MAY31, 2000)
        assert _one(bank, plan, date(2026, 6, 2)).state == "met"

    def test_late_in_the_goal_without_the_target_is_at_risk(self, bank):
        bank.loan(APR30, 1500)
        assert _one(bank, self._plan(bank), date(2026, 6, 20)).state == "at_risk"

    def test_past_due_is_judged_on_the_listing_of_its_due_date(self, bank):
        bank.loan(APR30, 1500)
        plan = self._plan(bank)
        bank.loan(JUN30, 1900)
        bank.loan(JUL31, 2500)  # reached, but a month late
        progress = _one(bank, plan, date(2026, 8, 3))
        assert (progress.current, progress.state) == (Decimal("2500000000.00"), "missed")

    def test_past_due_reached_by_the_due_date_stays_met(self, bank):
        bank.loan(APR30, 1500)
        plan = self._plan(bank)
        bank.loan(JUN30, 2100)
        bank.loan(JUL31, 1000)
        assert _one(bank, plan, date(2026, 8, 3)).state == "met"


class TestDpk:
    def _plan(self, bank):
        return bank.save(
            [{"kind": "dpk_at_least", "amount": Decimal("500000000"), "due_date": JUN30}]
        )

    def test_the_sum_of_the_open_accounts_on_the_newest_deposits_listing(self, bank):
        giro = bank_giro(bank)
        bank.funds(APR30, (bank.tabungan, 300), (giro, 100))
        progress = _one(bank, self._plan(bank), TODAY)
        assert (progress.current, progress.state, progress.as_of) == (
            Decimal("400000000.00"),
            "on_track",
            APR30,
        )

    def test_met_once_the_listing_shows_it(self, bank):
        bank.funds(APR30, (bank.tabungan, 300))
        plan = self._plan(bank)
        bank.funds(MAY31, (bank.tabungan, 520))
        assert _one(bank, plan, date(2026, 6, 1)).state == "met"

    def test_missed_after_the_due_date(self, bank):
        bank.funds(APR30, (bank.tabungan, 300))
        plan = self._plan(bank)
        bank.funds(JUN30, (bank.tabungan, 450))
        assert _one(bank, plan, date(2026, 7, 2)).state == "missed"


def bank_giro(bank):
    from tests.support import funding

    return funding.deposit(bank.customer, "G0001", "GIRO")


class TestHoldsProduct:
    @pytest.mark.parametrize("target", [{"category": "giro"}, {"product_code": "GIRO"}])
    def test_held_by_kind_or_by_product(self, bank, target):
        bank.funds(APR30, (bank.tabungan, 300))
        plan = bank.save([{"kind": "holds_product", "due_date": JUN30, **target}])
        progress = _one(bank, plan, TODAY)
        assert (progress.current, progress.state) == (False, "on_track")
        bank.funds(MAY31, (bank.tabungan, 300), (bank_giro(bank), 10))
        progress = _one(bank, plan, date(2026, 6, 1))
        assert (progress.current, progress.state) == (True, "met")

    def test_not_held_by_the_due_date_is_missed(self, bank):
        bank.funds(APR30, (bank.tabungan, 300))
        plan = bank.save([{"kind": "holds_product", "category": "giro", "due_date": JUN30}])
        bank.funds(JUL31, (bank.tabungan, 300), (bank_giro(bank), 10))  # opened too late
        progress = _one(bank, plan, date(2026, 8, 3))
        assert (progress.current, progress.state) == (True, "missed")


class TestMaxDpd:
    def _plan(self, bank, due=date(2026, 12, 31)):
        return bank.save([{"kind": "max_dpd", "dpd": 30, "due_date": due}])

    def test_current_is_the_worst_dpd_on_the_newest_listing(self, bank):
        bank.loan(APR30, 1000, dpd=0)
        plan = self._plan(bank)
        assert (_one(bank, plan, TODAY).current, _one(bank, plan, TODAY).state) == (0, "on_track")
        bank.loan(MAY31, 1000, dpd=12)
        progress = _one(bank, plan, date(2026, 6, 1))
        assert (progress.current, progress.state) == (12, "at_risk")

    def test_crossing_the_limit_during_the_plan_misses_it_for_good(self, bank):
        bank.loan(APR30, 1000, dpd=0)
        plan = self._plan(bank)
        bank.loan(MAY31, 1000, dpd=31)
        bank.loan(JUN30, 1000, dpd=0)  # paid up since
        progress = _one(bank, plan, date(2026, 7, 1))
        assert (progress.current, progress.state) == (0, "missed")

    def test_a_crossing_before_the_plan_started_does_not_count(self, bank):
        bank.loan(APR30, 1000, dpd=45)  # before 4 May
        plan = self._plan(bank)
        bank.loan(MAY31, 1000, dpd=0)
        assert _one(bank, plan, date(2026, 6, 1)).state == "on_track"

    def test_kept_until_the_due_date_is_met(self, bank):
        bank.loan(APR30, 1000, dpd=0)
        plan = self._plan(bank, due=JUN30)
        bank.loan(MAY31, 1000, dpd=30)  # at the limit, not above it
        bank.loan(JUN30, 1000, dpd=0)
        assert _one(bank, plan, date(2026, 7, 1)).state == "met"


class TestAction:
    def test_states_of_an_action(self, bank):
        plan = bank.save([{"kind": "action", "text": "Presentasi KUR", "due_date": JUN30}])
        assert _one(bank, plan, TODAY).state == "on_track"
        assert _one(bank, plan, JUN30 - timedelta(days=5)).state == "at_risk"
        assert _one(bank, plan, JUN30 + timedelta(days=1)).state == "missed"
        done = bank.save(
            [{"kind": "action", "text": "Presentasi KUR", "due_date": JUN30, "done": True}]
        )
        progress = _one(bank, done, JUN30 + timedelta(days=1))
        assert (progress.current, progress.state) == (True, "met")

    def test_no_due_date_means_the_end_of_the_plan_year(self, bank):
        plan = bank.save([{"kind": "action", "text": "Kunjungi gudang"}])
        assert _one(bank, plan, TODAY).due == date(2026, 12, 31)
