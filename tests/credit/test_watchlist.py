"""Watchlist: each early-warning signal with its boundary, reasons, order, scope and the page."""

import re
from datetime import date, timedelta

import pytest

from aoapp.credit.figures import resolve_scope
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.watchlist import SIGNALS, SignalContext, watchlist, watchlist_facility_ids
from aoapp.errors import NotFound
from aoapp.extensions import db
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer

AS_OF = date(2024, 6, 30)
EARLIER = date(2024, 5, 31)
# The signals read from the listing alone. No follow-up is recorded in these tests, so
# `no_follow_up` flags every DPD > 0: the follow-up signals have their own tests
# (test_watchlist_followups.py) and the tests of one listing signal leave them out.
LISTING_SIGNALS = [code for code in SIGNALS if code not in ("broken_ptp", "no_follow_up")]


def make_visit(customer, rating: str, visit_date: date) -> MonitoringVisit:
    visit = MonitoringVisit(
        customer_id=customer.id,
        officer_id=customer.officer_id,
        visit_date=visit_date,
        risk_rating=rating,
        findings="Checked",
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def signals_of(actor, **kw) -> list[tuple[str, str]]:
    """(account_no, signal) of every listing signal of the accounts, in the watchlist's order."""
    wanted = kw.setdefault("signals", LISTING_SIGNALS)
    return [
        (e.facility.account_no, s.signal)
        for e in watchlist(actor, **kw).items
        for s in e.signals
        if s.signal in wanted
    ]


def entry(actor, account_no: str, signal: str):
    """The signal `signal` of the account `account_no` (with its reason and date)."""
    return next(
        s
        for e in watchlist(actor).items
        for s in e.signals
        if e.facility.account_no == account_no and s.signal == signal
    )


class TestDpdRiseAndDowngrade:
    def test_dpd_rise(self, world):
        customer = make_customer(world.officer)
        rising, steady, falling = (make_facility(customer, a) for a in ("UP", "SAME", "DOWN"))
        post_listing(EARLIER, [(rising, 5, 100), (steady, 10, 100), (falling, 20, 100)])
        post_listing(AS_OF, [(rising, 6, 100), (steady, 10, 100), (falling, 19, 100)])
        assert signals_of(world.officer) == [("UP", "dpd_rise")]
        assert entry(world.officer, "UP", "dpd_rise").reason == "Days past due rose from 5 to 6."

    def test_a_first_listing_is_no_rise(self, world):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 30, 100)])
        assert signals_of(world.officer) == []

    def test_downgrade_shows_both_reasons(self, world):
        facility = make_facility(make_customer(world.officer), "SLIP")
        post_listing(EARLIER, [(facility, 90, 100)])
        post_listing(AS_OF, [(facility, 91, 100)])
        assert signals_of(world.officer) == [("SLIP", "dpd_rise"), ("SLIP", "downgrade")]
        assert entry(world.officer, "SLIP", "downgrade").reason == (
            "Collectibility worsened from Kol 2 (Special mention) to Kol 3 (Substandard)."
        )

    def test_one_obligor_downgrade_of_a_facility_that_did_not_slip(self, world):
        customer = make_customer(world.officer)
        current, other = make_facility(customer, "CUR"), make_facility(customer, "BAD")
        post_listing(EARLIER, [(current, 0, 100), (other, 0, 100)])
        post_listing(AS_OF, [(current, 0, 100), (other, 121, 100)])
        assert ("CUR", "downgrade") in signals_of(world.officer)
        assert ("CUR", "dpd_rise") not in signals_of(world.officer)

    def test_kol_improvement_is_no_signal(self, world):
        facility = make_facility(make_customer(world.officer))
        post_listing(EARLIER, [(facility, 95, 100)])
        post_listing(AS_OF, [(facility, 0, 100)])
        assert signals_of(world.officer) == []


class TestEarlyDefault:
    @pytest.mark.parametrize(("days", "flagged"), [(90, True), (91, False), (0, True)])
    def test_boundary_days_after_start(self, world, days, flagged):
        start = AS_OF - timedelta(days=days)
        facility = make_facility(make_customer(world.officer), "NEW", start=start)
        post_listing(AS_OF, [(facility, 1, 100)])
        assert (("NEW", "early_default") in signals_of(world.officer)) is flagged

    def test_no_arrears_is_no_early_default(self, world):
        start = AS_OF - timedelta(days=30)
        post_listing(AS_OF, [(make_facility(make_customer(world.officer), start=start), 0, 100)])
        assert signals_of(world.officer) == []

    def test_reason(self, world):
        facility = make_facility(
            make_customer(world.officer), "NEW", start=AS_OF - timedelta(days=45)
        )
        post_listing(AS_OF, [(facility, 14, 100)])
        assert entry(world.officer, "NEW", "early_default").reason == (
            "14 days past due only 45 days after the facility started."
        )


class TestMaturity:
    @pytest.mark.parametrize(("days", "flagged"), [(60, True), (61, False), (0, True), (-10, True)])
    def test_boundary_days_before_maturity(self, world, days, flagged):
        maturity = AS_OF + timedelta(days=days)
        facility = make_facility(make_customer(world.officer), "MAT", maturity=maturity)
        post_listing(AS_OF, [(facility, 0, "1500000")])
        assert (("MAT", "maturity_soon") in signals_of(world.officer)) is flagged

    def test_nothing_outstanding_is_no_signal(self, world):
        maturity = AS_OF + timedelta(days=10)
        post_listing(
            AS_OF, [(make_facility(make_customer(world.officer), maturity=maturity), 0, 0)]
        )
        assert signals_of(world.officer) == []

    @pytest.mark.parametrize(
        ("days", "reason"),
        [
            (60, "Matures in 60 days with IDR 1,500,000 outstanding."),
            (0, "Matures on the listing date with IDR 1,500,000 outstanding."),
            (-10, "Matured 10 days ago with IDR 1,500,000 still outstanding."),
        ],
    )
    def test_reason(self, world, days, reason):
        facility = make_facility(
            make_customer(world.officer), "MAT", maturity=AS_OF + timedelta(days=days)
        )
        post_listing(AS_OF, [(facility, 0, "1500000")])
        assert entry(world.officer, "MAT", "maturity_soon").reason == reason


class TestWeakVisit:
    @pytest.mark.parametrize(
        ("rating", "flagged"),
        [("weak", True), ("critical", True), ("adequate", False), ("strong", False)],
    )
    def test_latest_visit_rating(self, world, rating, flagged):
        customer = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(customer, "VIS"), 0, 100)])
        make_visit(customer, rating, date(2024, 6, 10))
        assert (("VIS", "weak_visit") in signals_of(world.officer)) is flagged

    def test_only_the_latest_visit_counts(self, world):
        customer = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(customer, "VIS"), 0, 100)])
        make_visit(customer, "critical", date(2024, 5, 2))
        make_visit(customer, "adequate", date(2024, 6, 12))
        assert signals_of(world.officer) == []
        make_visit(customer, "weak", date(2024, 7, 3))  # after the listing: counts on the latest
        found = entry(world.officer, "VIS", "weak_visit")
        assert found.date == date(2024, 7, 3)
        assert found.reason == "Latest monitoring visit rated weak."

    def test_a_visit_after_the_next_listing_does_not_change_an_earlier_date(self, world):
        customer = make_customer(world.officer)
        facility = make_facility(customer, "VIS")
        post_listing(EARLIER, [(facility, 0, 100)])
        post_listing(AS_OF, [(facility, 0, 100)])
        make_visit(customer, "weak", date(2024, 5, 20))
        make_visit(customer, "strong", date(2024, 7, 5))
        assert signals_of(world.officer, as_of=EARLIER) == [("VIS", "weak_visit")]
        assert signals_of(world.officer, as_of=AS_OF) == []

    def test_every_facility_of_the_debtor_is_flagged(self, world):
        customer = make_customer(world.officer)
        post_listing(
            AS_OF, [(make_facility(customer, "V1"), 0, 1), (make_facility(customer, "V2"), 0, 1)]
        )
        make_visit(customer, "weak", date(2024, 6, 1))
        assert sorted(signals_of(world.officer)) == [("V1", "weak_visit"), ("V2", "weak_visit")]


class TestEntries:
    def test_every_signal_of_the_domain_is_computed(self):
        assert list(SIGNALS) == [
            "dpd_rise",
            "downgrade",
            "early_default",
            "maturity_soon",
            "weak_visit",
            "broken_ptp",
            "no_follow_up",
        ]

    def test_several_signals_are_one_account_with_each_reason(self, world):
        customer = make_customer(world.officer, name="Toko Rugi")
        facility = make_facility(
            customer, "MANY", start=AS_OF - timedelta(days=60), maturity=AS_OF + timedelta(days=30)
        )
        post_listing(EARLIER, [(facility, 0, 100)])
        post_listing(AS_OF, [(facility, 31, 100)])
        make_visit(customer, "weak", date(2024, 6, 5))
        page = watchlist(world.officer)
        assert page.total == 1
        (first,) = page.items
        # In the signals' registered order.
        assert first.codes == [
            "dpd_rise",
            "downgrade",
            "early_default",
            "maturity_soon",
            "weak_visit",
            "no_follow_up",
        ]
        assert [s.date for s in first.signals] == [AS_OF] * 4 + [date(2024, 6, 5), AS_OF]
        assert len({s.reason for s in first.signals}) == 6
        assert first.date == AS_OF and first.visit is not None
        assert (first.customer.name, first.officer.id, first.position.as_of) == (
            "Toko Rugi",
            world.officer.id,
            AS_OF,
        )
        assert watchlist_facility_ids(world.officer) == {facility.id}

    def test_worse_debtors_first_on_the_same_date(self, world):
        mild = make_facility(make_customer(world.officer), "MILD")
        bad = make_facility(make_customer(world.officer), "BAD")
        post_listing(EARLIER, [(mild, 1, 1), (bad, 100, 1)])
        post_listing(AS_OF, [(mild, 2, 1), (bad, 101, 1)])
        assert [a for a, _s in signals_of(world.officer)] == ["BAD", "MILD"]

    def test_signal_filter_and_pages(self, world):
        customer = make_customer(world.officer)
        facilities = [make_facility(customer, f"F{i}") for i in range(3)]
        post_listing(EARLIER, [(f, 1, 1) for f in facilities])
        post_listing(AS_OF, [(f, 2, 1) for f in facilities])
        make_visit(customer, "weak", date(2024, 6, 1))
        # One row per account, each with dpd_rise, weak_visit, no_follow_up.
        assert watchlist(world.officer).total == 3
        only = watchlist(world.officer, signals=["weak_visit"])
        assert only.total == 3
        assert [e.codes for e in only.items] == [["dpd_rise", "weak_visit", "no_follow_up"]] * 3
        assert watchlist(world.officer, signals=["downgrade"]).total == 0
        second = watchlist(world.officer, page=2, per_page=2)
        assert (second.total, second.pages, len(second.items)) == (3, 2, 1)

    def test_an_empty_portfolio_has_an_empty_watchlist(self, world):
        assert watchlist(world.officer).items == []
        assert watchlist_facility_ids(world.officer) == set()


class TestScope:
    @pytest.fixture
    def book(self, world):
        for officer, account in (
            (world.officer, "BUDI"),
            (world.colleague, "SARI"),
            (world.remote, "DEWI"),
        ):
            facility = make_facility(make_customer(officer), account)
            post_listing(EARLIER, [(facility, 1, 1)])
            post_listing(AS_OF, [(facility, 2, 1)])

    def accounts(self, actor, **kw):
        return sorted(a for a, _s in signals_of(actor, **kw))

    def test_each_role_sees_its_part(self, world, book):
        assert self.accounts(world.officer) == ["BUDI"]
        assert self.accounts(world.supervisor) == ["BUDI", "SARI"]
        assert self.accounts(world.supervisor, officer_id=world.colleague.id) == ["SARI"]
        assert self.accounts(world.bdg_supervisor) == ["DEWI"]
        assert self.accounts(world.admin) == ["BUDI", "DEWI", "SARI"]
        assert self.accounts(world.admin, branch_id=world.bdg.id) == ["DEWI"]

    @pytest.mark.parametrize(
        ("actor", "kwargs"),
        [
            ("officer", {"officer_id": "colleague"}),
            ("supervisor", {"branch_id": "bdg"}),
            ("supervisor", {"officer_id": "remote"}),
        ],
    )
    def test_outside_the_scope_is_not_found(self, world, book, actor, kwargs):
        kwargs = {key: getattr(world, value).id for key, value in kwargs.items()}
        with pytest.raises(NotFound):
            watchlist(getattr(world, actor), **kwargs)
        with pytest.raises(NotFound):
            watchlist_facility_ids(getattr(world, actor), **kwargs)


class TestPage:
    URL = "/portfolio/watchlist"

    def test_login_required(self, client, world):
        assert client.get(self.URL).status_code == 302

    def test_officer_sees_own_signals_with_reasons(self, client, auth, world):
        mine = make_facility(make_customer(world.officer, name="Warung Budi"), "BUDI-1")
        theirs = make_facility(make_customer(world.colleague, name="Toko Sari"), "SARI-1")
        post_listing(EARLIER, [(mine, 3, 1), (theirs, 3, 1)])
        post_listing(AS_OF, [(mine, 9, 1), (theirs, 9, 1)])
        auth.login("ao.budi")
        page = client.get(self.URL).get_data(as_text=True)
        assert "Warung Budi" in page and "Days past due rose from 3 to 9." in page
        assert ">DPD rise</span>" in page
        assert "Toko Sari" not in page and "Jun 30, 2024" in page
        assert client.get(f"{self.URL}?officer={world.colleague.id}").status_code == 404

    def test_supervisor_filters_and_is_refused_other_branches(self, client, auth, world):
        for officer, name in ((world.officer, "Warung Budi"), (world.colleague, "Toko Sari")):
            facility = make_facility(make_customer(officer, name=name))
            post_listing(EARLIER, [(facility, 3, 1)])
            post_listing(AS_OF, [(facility, 9, 1)])
        auth.login("spv.jkt")
        page = client.get(self.URL).get_data(as_text=True)
        assert "Warung Budi" in page and "Toko Sari" in page
        only = client.get(f"{self.URL}?officer={world.colleague.id}").get_data(as_text=True)
        assert "Toko Sari" in only and "Warung Budi" not in only
        assert client.get(f"{self.URL}?branch={world.bdg.id}").status_code == 404
        assert client.get(f"{self.URL}?officer={world.remote.id}").status_code == 404

    def test_paginated_by_fifty(self, client, auth, world):
        customer = make_customer(world.officer)
        facilities = [make_facility(customer) for _ in range(51)]
        post_listing(EARLIER, [(f, 90, 1) for f in facilities])
        # 51 accounts, each with three signals: rise, downgrade, no follow-up.
        post_listing(AS_OF, [(f, 91, 1) for f in facilities])
        auth.login("ao.budi")
        first = client.get(self.URL).get_data(as_text=True)
        second = client.get(f"{self.URL}?page=2").get_data(as_text=True)
        rows = lambda html: len(re.findall(r'<tr class="watch-card" data-facility=', html))  # noqa: E731
        assert (rows(first), rows(second)) == (50, 1)
        assert "Page 1 of 2" in first

    def test_signal_filter_and_date_choice(self, client, auth, world):
        facility = make_facility(make_customer(world.officer), "ONE")
        post_listing(EARLIER, [(facility, 1, 1)])
        post_listing(AS_OF, [(facility, 2, 1)])
        auth.login("ao.budi")
        html = client.get(f"{self.URL}?signal=downgrade").get_data(as_text=True)
        assert 'data-signal="dpd_rise"' not in html
        html = client.get(f"{self.URL}?signal=dpd_rise").get_data(as_text=True)
        assert 'data-signal="dpd_rise"' in html
        html = client.get(f"{self.URL}?as_of=2024-05-31&signal=dpd_rise").get_data(as_text=True)
        assert "Nothing on the watchlist on May 31, 2024." in html


class TestFacilityJoin:
    def test_only_the_signals_reading_a_facility_join_the_facilities(self, world):
        """Every position has its facility: a signal that reads none of its columns is not joined
        to them (bank-wide, the join read all the facilities once per such signal)."""
        scope = resolve_scope(world.admin)
        ctx = SignalContext(scope, date(2026, 10, 31), None, date(2026, 10, 31))
        joined = {
            code for code, signal in SIGNALS.items() if "JOIN facilities" in str(signal.select(ctx))
        }
        assert joined == {"early_default", "maturity_soon"}
