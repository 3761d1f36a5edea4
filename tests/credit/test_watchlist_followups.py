"""The watchlist's follow-up signals: a broken promise to pay, and DPD without a recent follow-up.

Both are judged on the reference day: the day before the scope's next listing, else today (never
before the listing date).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from aoapp.credit.watchlist import watchlist, watchlist_facility_ids
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.promises import make_followup, make_promise, position

AS_OF = date(2024, 6, 30)
NEXT = date(2024, 7, 31)  # reference for AS_OF: 30 Jul 2024
JAKARTA = timedelta(hours=7)


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A moment of the bank's local day (Asia/Jakarta, UTC+7), as the UTC timestamp stored."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - JAKARTA


@pytest.fixture
def today(monkeypatch):
    """Set the bank's today seen by the signals."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("aoapp.credit.signals.bank_today", lambda: day)

    return set_today


def flagged(actor, signal: str, **kw) -> list[str]:
    """Account numbers carrying `signal`, in the watchlist's order."""
    return [e.facility.account_no for e in watchlist(actor, signals=[signal], **kw).items]


def entry(actor, signal: str, **kw):
    """The one account carrying `signal`: its signal `signal` (reason, date, detail)."""
    [found] = watchlist(actor, signals=[signal], **kw).items
    one = next(s for s in found.signals if s.signal == signal)
    return SimpleNamespace(
        reason=one.reason,
        date=one.date,
        detail=one.detail,
        facility=found.facility,
        visit=found.visit,
    )


class TestNoFollowUp:
    @pytest.fixture
    def facility(self, world):
        """40 days past due on AS_OF; the officer's next listing is on NEXT."""
        facility = make_facility(make_customer(world.officer), "LATE")
        post_listing(AS_OF, [(facility, 40, "1000000")])
        post_listing(NEXT, [(make_facility(make_customer(world.officer)), 0, "1")])
        return facility

    def test_without_any_follow_up_it_is_flagged_with_its_reason(self, world, facility):
        found = entry(world.officer, "no_follow_up", as_of=AS_OF)
        assert found.reason == "40 days past due and no follow-up done in the last 7 days."
        assert (found.date, found.facility.account_no, found.detail) == (AS_OF, "LATE", None)

    @pytest.mark.parametrize(
        ("done_at", "is_flagged"),
        [
            (local(date(2024, 7, 24)), False),  # day 7 of the 7 days ending 30 Jul
            (local(date(2024, 7, 23), 23, 59), True),  # day 8
            (local(date(2024, 7, 30), 23, 59), False),  # the reference day itself
            (local(date(2024, 7, 31)), True),  # after the reference day: the next listing's
        ],
    )
    def test_the_seven_days_are_bank_local_days(self, world, facility, done_at, is_flagged):
        make_followup(facility, done_at=done_at)
        assert (flagged(world.officer, "no_follow_up", as_of=AS_OF) == ["LATE"]) is is_flagged

    @pytest.mark.parametrize(
        "values",
        [
            {"status": "planned", "outcome": None, "done_at": None},
            {"status": "cancelled", "outcome": None, "done_at": local(date(2024, 7, 29))},
            {"status": "missed", "outcome": None, "done_at": None},
        ],
    )
    def test_only_a_done_follow_up_counts(self, world, facility, values):
        make_followup(facility, **values)
        assert flagged(world.officer, "no_follow_up", as_of=AS_OF) == ["LATE"]

    def test_any_done_follow_up_with_the_customer_counts(self, world, facility):
        make_followup(
            facility,
            facility_id=None,
            purpose="relationship",
            channel="whatsapp",
            outcome="reached",
            done_at=local(date(2024, 7, 26), 10),
        )
        assert flagged(world.officer, "no_follow_up", as_of=AS_OF) == []

    def test_a_follow_up_with_another_customer_does_not(self, world, facility):
        other = make_facility(make_customer(world.officer))
        make_followup(other, done_at=local(date(2024, 7, 26), 10))
        assert flagged(world.officer, "no_follow_up", as_of=AS_OF) == ["LATE"]

    def test_nothing_overdue_is_never_flagged(self, world):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 0, "1000000")])
        assert flagged(world.officer, "no_follow_up") == []

    def test_one_day_past_due_reason(self, world, today):
        today(date(2024, 7, 1))
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 1, "1000000")])
        assert entry(world.officer, "no_follow_up").reason == (
            "1 day past due and no follow-up done in the last 7 days."
        )

    @pytest.mark.parametrize(
        ("done_on", "is_flagged"), [(date(2024, 7, 4), False), (date(2024, 7, 3), True)]
    )
    def test_on_the_latest_listing_the_days_end_today(self, world, today, done_on, is_flagged):
        today(date(2024, 7, 10))
        facility = make_facility(make_customer(world.officer), "LATE")
        post_listing(AS_OF, [(facility, 40, "1000000")])
        make_followup(facility, done_at=local(done_on, 9))
        assert (flagged(world.officer, "no_follow_up") == ["LATE"]) is is_flagged

    def test_never_judged_before_the_listing_date(self, world, today):
        today(date(2024, 6, 1))  # a listing dated later than today (a clock behind)
        facility = make_facility(make_customer(world.officer), "LATE")
        post_listing(AS_OF, [(facility, 40, "1000000")])
        make_followup(facility, done_at=local(date(2024, 6, 24), 9))  # within 24-30 Jun
        assert flagged(world.officer, "no_follow_up") == []


PROMISED_ON = date(2024, 7, 1)
PROMISED = date(2024, 7, 10)  # deadline 13 Jul 2024


class TestBrokenPromise:
    @pytest.fixture
    def facility(self, world):
        """Rp 10,000,000 in arrears, 40 days past due on AS_OF."""
        facility = make_facility(make_customer(world.officer), "PTP")
        position(facility, AS_OF, "10000000", 40)
        return facility

    @pytest.mark.parametrize(
        ("day", "is_flagged"),
        [(date(2024, 7, 13), False), (date(2024, 7, 14), True), (date(2024, 9, 1), True)],
    )
    def test_broken_only_after_the_deadline(self, world, today, facility, day, is_flagged):
        make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
        today(day)
        assert (flagged(world.officer, "broken_ptp") == ["PTP"]) is is_flagged

    def test_reason_date_and_promise(self, world, today, facility):
        promise = make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
        today(date(2024, 8, 1))
        found = entry(world.officer, "broken_ptp")
        assert found.reason == "Promise to pay IDR 3,000,000 by Jul 10, 2024 was broken."
        assert found.date == date(2024, 7, 14)  # the day after the deadline
        assert found.detail.id == promise.id and found.visit is None

    def test_the_next_listing_sets_the_reference_day(self, world, facility):
        make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
        other = make_facility(make_customer(world.officer))
        post_listing(date(2024, 7, 14), [(other, 0, "1")])  # reference for AS_OF: 13 Jul
        assert flagged(world.officer, "broken_ptp", as_of=AS_OF) == []
        post_listing(date(2024, 7, 15), [(other, 0, "1")])  # not the next one: still 13 Jul
        assert flagged(world.officer, "broken_ptp", as_of=AS_OF) == []

    def test_broken_when_the_next_listing_comes_after_the_deadline(self, world, facility):
        make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
        post_listing(date(2024, 7, 15), [(make_facility(make_customer(world.officer)), 0, "1")])
        assert flagged(world.officer, "broken_ptp", as_of=AS_OF) == ["PTP"]

    def test_a_kept_latest_promise_clears_an_older_broken_one(self, world, today, facility):
        make_promise(facility, Decimal("3000000"), date(2024, 6, 1), date(2024, 6, 10))
        today(date(2024, 7, 20))
        assert flagged(world.officer, "broken_ptp") == ["PTP"]  # broken on 14 Jun
        make_promise(facility, Decimal("2000000"), PROMISED_ON, PROMISED)
        position(facility, date(2024, 7, 8), "8000000", 20)  # paid Rp 2,000,000
        assert flagged(world.officer, "broken_ptp", as_of=date(2024, 7, 8)) == []
        assert flagged(world.officer, "broken_ptp", as_of=AS_OF) == []

    def test_a_promise_made_after_the_reference_day_is_not_yet_the_latest(
        self, world, today, facility
    ):
        make_promise(facility, Decimal("3000000"), date(2024, 6, 1), date(2024, 6, 10))
        make_promise(facility, Decimal("1500000"), date(2024, 7, 3), date(2024, 7, 10))
        other = make_facility(make_customer(world.officer))
        post_listing(date(2024, 7, 2), [(other, 0, "1")])  # reference for AS_OF: 1 Jul
        today(date(2024, 7, 20))
        assert entry(world.officer, "broken_ptp", as_of=AS_OF).reason == (
            "Promise to pay IDR 3,000,000 by Jun 10, 2024 was broken."
        )
        position(facility, date(2024, 7, 12), "10000000", 40)  # the latest, judged today
        assert entry(world.officer, "broken_ptp").reason == (
            "Promise to pay IDR 1,500,000 by Jul 10, 2024 was broken."
        )

    def test_only_the_facility_of_the_promise(self, world, today, facility):
        sibling = make_facility(facility.customer, "SIBLING")
        post_listing(AS_OF, [(sibling, 40, "1")])
        make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
        today(date(2024, 8, 1))
        assert flagged(world.officer, "broken_ptp") == ["PTP"]


class TestScopeAndPages:
    @pytest.fixture
    def book(self, world, today):
        """A broken promise on a facility of each officer; nothing else flags them."""
        today(date(2024, 8, 1))
        for officer, account in (
            (world.officer, "BUDI"),
            (world.colleague, "SARI"),
            (world.remote, "DEWI"),
        ):
            facility = make_facility(make_customer(officer), account)
            position(facility, AS_OF, "10000000", 40)
            make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
            make_followup(facility, done_at=local(date(2024, 7, 30), 10))  # a call this week

    def test_each_role_sees_its_part(self, world, book):
        assert flagged(world.officer, "broken_ptp") == ["BUDI"]
        assert sorted(flagged(world.supervisor, "broken_ptp")) == ["BUDI", "SARI"]
        assert flagged(world.bdg_supervisor, "broken_ptp") == ["DEWI"]
        assert sorted(flagged(world.admin, "broken_ptp")) == ["BUDI", "DEWI", "SARI"]
        assert flagged(world.admin, "no_follow_up") == []
        assert len(watchlist_facility_ids(world.supervisor)) == 2

    def test_the_page_labels_the_signal_and_filters_by_it(self, client, auth, world, book):
        auth.login("ao.budi")
        html = client.get("/portfolio/watchlist").get_data(as_text=True)
        assert 'data-signal="broken_ptp"' in html and ">Broken promise</span>" in html
        assert "Promise to pay IDR 3,000,000 by Jul 10, 2024 was broken." in html
        assert "SARI" not in html
        html = client.get("/portfolio/watchlist?signal=no_follow_up").get_data(as_text=True)
        assert "Nothing on the watchlist" in html
        assert '<option value="no_follow_up" selected>No follow-up</option>' in html

    def test_the_api_and_the_watchlist_only_filter(self, api, world, book):
        client = api(world.officer)
        body = client.get("/api/v1/watchlist?signal=broken_ptp").json
        assert [(e["account_no"], e["signal"], e["date"]) for e in body["items"]] == [
            ("BUDI", "broken_ptp", "2024-07-14")
        ]
        facilities = client.get("/api/v1/facilities?watchlist=true").json["items"]
        assert [f["account_no"] for f in facilities] == ["BUDI"]
