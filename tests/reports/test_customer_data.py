"""Loading the per-customer report data: batched queries, and the period definitions (which
facilities, which positions, which activity, judged on which day)."""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event

from aoapp.extensions import db
from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer import data as customer_data
from aoapp.reports.customer.data import load_customer_reports
from tests.support import reports_customer as H

OCTOBER = parse_period("2026-10")


@contextmanager
def statements():
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def load(customer, period=OCTOBER):
    """One customer's report data for `period` (as of the period's last listing)."""
    return load_customer_reports([customer.id], period, period_as_of(period))[customer.id]


@pytest.fixture
def story(world, tmp_path):
    return H.build_story(world, tmp_path)


class TestBatching:
    def test_same_statements_for_2_and_20_customers(self, world, tmp_path):
        ids = H.crowd(world, tmp_path, 20)
        as_of = period_as_of(OCTOBER)
        db.session.expire_all()
        with statements() as two:
            few = load_customer_reports(ids[:2], OCTOBER, as_of)
        with statements() as twenty:
            many = load_customer_reports(ids, OCTOBER, as_of)
        assert len(few) == 2 and len(many) == 20
        # 6 of them the monitoring report's, 3 the holdings' (loan, deposits listing, by hand),
        # 2 the account plans' (plans, then their goals' listings)
        assert len(two) == len(twenty) <= 24
        # Every customer really has its data (so no query was skipped for lack of rows).
        sample = many[ids[7]]
        assert len(sample.facilities) == 3 and len(sample.history_accounts) == 3
        # Due 29 Oct, deadline 1 Nov: still pending as of October's last day (DPD 10 then).
        assert sample.promise_counts == {"kept": 0, "broken": 0, "pending": 1}
        assert sample.complaints_received == 1 and len(sample.visits) == 1
        assert [w.signal for w in sample.watchlist if w.signal == "weak_visit"]

    def test_batches_split_the_ids_and_agree_with_one_batch(self, world, tmp_path, monkeypatch):
        ids = H.crowd(world, tmp_path, 9)
        as_of = period_as_of(OCTOBER)
        with statements() as one_batch:
            whole = load_customer_reports(ids, OCTOBER, as_of)
        monkeypatch.setattr(customer_data, "BATCH_SIZE", 4)
        with statements() as three_batches:
            split = load_customer_reports(ids, OCTOBER, as_of)
        # Three batches run the per-batch statements three times; the bands and the listing
        # dates of both kinds (common/latest.py) are read once per call.
        per_batch, rest = divmod(len(three_batches) - len(one_batch), 2)
        assert rest == 0 and per_batch > 0
        assert len(one_batch) - per_batch == 3
        assert split.keys() == whole.keys()
        for customer_id in ids:
            assert split[customer_id].facilities == whole[customer_id].facilities
            assert split[customer_id].watchlist == whole[customer_id].watchlist

    def test_unknown_and_repeated_ids(self, story):
        as_of = period_as_of(OCTOBER)
        found = load_customer_reports([story.customer.id, story.customer.id, 99999], OCTOBER, as_of)
        assert list(found) == [story.customer.id]

    def test_a_customer_alone_equals_the_same_customer_in_a_batch(self, story):
        as_of = period_as_of(OCTOBER)
        ids = [story.customer.id, story.other.id, story.bare.id]
        together = load_customer_reports(ids, OCTOBER, as_of)
        for customer_id in ids:
            alone = load_customer_reports([customer_id], OCTOBER, as_of)[customer_id]
            assert alone == together[customer_id]


class TestOctober:
    """The month: as of 31 Oct 2026, the next listing not there yet."""

    def test_facilities_active_in_the_period(self, story):
        data = load(story.customer)
        lines = {f.account_no: f for f in data.facilities}
        assert list(lines) == [H.F1, H.F2, H.F3]  # open first; F4 closed before the period
        f1, f2, f3 = lines[H.F1], lines[H.F2], lines[H.F3]
        assert (f1.position_date, f1.outstanding, f1.dpd, f1.collectibility) == (
            date(2026, 10, 31), Decimal("387000000.00"), 0, 2  # one-obligor: F2's Kol 2
        )  # fmt: skip
        assert (f2.dpd, f2.facility_kol, f2.collectibility, f2.kol_rule) == (50, 2, 2, "dpd")
        # Closed by the 15 Oct listing: its last position (30 Sep), nothing outstanding now.
        assert f3.closed and f3.closed_on == date(2026, 10, 15)
        assert (f3.position_date, f3.outstanding, f3.restructured) == (
            date(2026, 9, 30), Decimal("0.00"), True
        )  # fmt: skip
        assert data.total_plafond == Decimal("900000000.00")
        assert data.total_outstanding == Decimal("441000000.00")
        assert data.utilisation == Decimal("0.4900")

    def test_debtor_kol_and_its_movement(self, story):
        data = load(story.customer)
        assert (data.debtor.as_of, data.debtor.kol, data.debtor.max_dpd) == (
            date(2026, 10, 31), 2, 50
        )  # fmt: skip
        assert (data.debtor.rule, data.debtor.rule_account) == ("dpd", H.F2)
        assert (data.kol_start, data.kol_start_date) == (2, date(2026, 9, 30))
        assert data.kol_movement == "unchanged" and not data.npl
        assert data.kol_text(2) == "2 – Special mention"

    def test_activity_of_the_period(self, story):
        data = load(story.customer)
        assert data.followup_counts == {"planned": 1, "done": 3, "cancelled": 1, "missed": 1}
        # Promise 2 (by 30 Oct, deadline 2 Nov) is still pending as of 31 Oct, whatever came since.
        assert data.promise_counts == {"kept": 1, "broken": 0, "pending": 1}
        assert data.introduction_outcomes == {"not_interested": 1, "interested": 1}
        # Received: 2 Oct, 8 Oct and 31 Oct 23:30 in Jakarta (16:30 UTC); the September one is
        # still open at the end of October; the 2 Oct one was resolved on 9 Oct.
        assert (data.complaints_received, data.complaints_open, data.complaints_resolved) == (
            3, 3, 1
        )  # fmt: skip
        assert [v.visit_date for v in data.visits] == [date(2026, 10, 12)]
        assert data.latest_visit.risk_rating == "weak"
        # Held on 31 Oct (the KPR closed on the 15 Oct listing): the listings', then by hand.
        assert data.products_held == [
            ("DEP", "Deposito"), ("KMK", "Product KMK"), ("KUR", "Product KUR"),
            ("MBANKING", "Mobile Banking"), ("TAB", "Tabungan"),
        ]  # fmt: skip
        days = [i.day for i in data.interactions]
        assert days == sorted(days, reverse=True) and days[0] == date(2026, 10, 31)
        assert date(2026, 11, 2) not in days and date(2026, 9, 20) not in days

    def test_judged_on_the_last_day_of_the_period(self, story):
        assert load(story.customer).judged_on == date(2026, 10, 31)

    @pytest.mark.today("2026-10-31")
    def test_judged_on_today_while_the_period_runs(self, story):
        data = load(story.customer, parse_period("2026Q4"))
        assert data.judged_on == date(2026, 10, 31)

    def test_history_has_twelve_month_ends(self, story):
        data = load(story.customer)
        assert [m.month_end for m in data.history][:2] == [date(2025, 11, 30), date(2025, 12, 31)]
        assert data.history[-1].month_end == date(2026, 10, 31) and len(data.history) == 12
        assert [a for _id, a in data.history_accounts] == [H.F1, H.F2, H.F3, H.F4]
        october, september = data.history[-1], data.history[-2]
        assert october.total_outstanding == Decimal("441000000.00")
        assert (october.max_dpd, october.debtor_kol, september.max_dpd) == (50, 2, 20)
        f4 = story.facilities[H.F4].id
        assert f4 in data.history[4].points and f4 not in data.history[5].points  # Mar / Apr


class TestOtherPeriods:
    def test_quarter(self, story):
        data = load(story.customer, parse_period("2026Q3"))
        assert data.as_of == date(2026, 9, 30)
        assert [f.account_no for f in data.facilities] == [H.F1, H.F2, H.F3]
        assert not any(f.closed for f in data.facilities)  # F3 closed only in October
        assert (data.kol_start, data.debtor.kol, data.kol_movement) == (1, 2, "downgrade")
        assert data.promise_counts == {"kept": 0, "broken": 1, "pending": 0}
        assert data.introduction_outcomes == {"applied": 1}
        assert (data.complaints_received, data.complaints_open, data.complaints_resolved) == (
            2, 1, 1
        )  # fmt: skip
        assert [v.visit_date for v in data.visits] == [date(2026, 8, 15)]
        assert data.judged_on == date(2026, 9, 30)  # the quarter's last day, not a later one
        assert data.history[-1].month_end == date(2026, 9, 30)

    def test_custom_range(self, story):
        data = load(story.customer, parse_period("2026-10-01..2026-10-15"))
        assert data.as_of == date(2026, 10, 15) and data.judged_on == date(2026, 10, 15)
        lines = {f.account_no: f for f in data.facilities}
        assert lines[H.F2].dpd == 35 and lines[H.F2].position_date == date(2026, 10, 15)
        assert lines[H.F3].closed and lines[H.F3].outstanding == Decimal("0.00")
        assert data.history[-1].month_end == date(2026, 10, 15)
        assert data.followup_counts["done"] == 2 and data.promise_counts["kept"] == 0
        assert data.complaints_received == 2  # 2 Oct and 8 Oct

    @pytest.mark.today("2026-11-24")  # before the deadline: the promise is still pending
    def test_pending_promise(self, story, world):
        officer, f2 = world.officer, story.facilities[H.F2]
        H.promise(story.customer, officer, f2, date(2026, 11, 20), 500_000, date(2026, 11, 25))
        data = load(story.customer, parse_period("2026-10-16..2026-11-30"))
        assert data.promise_counts == {"kept": 1, "broken": 1, "pending": 1}


class TestCustomersWithout:
    def test_no_facilities(self, story):
        data = load(story.bare)
        assert data.facilities == [] and data.history_accounts == []
        assert (data.total_plafond, data.total_outstanding, data.utilisation) == (
            Decimal("0.00"), Decimal("0.00"), Decimal("0.0000")
        )  # fmt: skip
        assert data.debtor.kol is None and data.kol_start is None and data.kol_movement is None
        assert data.watchlist == [] and data.interactions == []

    def test_customer_without_officer(self, story):
        story.bare.officer_id = None
        db.session.commit()
        data = load(story.bare)
        assert data.officer_id is None and data.officer_username is None


def test_period_without_positions_is_refused(story):
    from aoapp.errors import InvalidInput

    november = parse_period("2026-11")
    assert period_as_of(november) is None
    with pytest.raises(InvalidInput, match="no positions in November 2026"):
        load_customer_reports([story.customer.id], november, period_as_of(november))


def test_complaint_resolved_after_the_period_is_open_at_its_end(story):
    H.complaint(
        story.customer, datetime(2026, 10, 20, 3, tzinfo=UTC), "resolved",
        resolved_at=datetime(2026, 11, 3, 3, tzinfo=UTC),
    )  # fmt: skip
    data = load(story.customer)
    assert (data.complaints_received, data.complaints_open, data.complaints_resolved) == (4, 4, 1)


class TestFacilityRules:
    """reports/customer/history's rules on plain rows (no database)."""

    @staticmethod
    def facility(fid, start=date(2024, 1, 1), status="active", closed_on=None):
        from types import SimpleNamespace

        return SimpleNamespace(
            id=fid, account_no=f"A{fid}", product_code="KMK", product_name="KMK",
            plafond=Decimal(100), interest_rate=Decimal(10), start_date=start,
            maturity_date=date(2030, 1, 1), restructured=False, status=status,
            closed_on=closed_on,
        )  # fmt: skip

    @staticmethod
    def position(fid, day, outstanding=50, dpd=0, kol=1):
        from types import SimpleNamespace

        return SimpleNamespace(
            facility_id=fid, as_of=day, outstanding=Decimal(outstanding), dpd=dpd,
            facility_kol=kol, debtor_kol=kol, kol_rule="dpd", arrears_principal=Decimal(dpd),
            arrears_interest=Decimal(0),
        )  # fmt: skip

    def test_which_facilities_are_listed(self):
        from aoapp.reports.customer.history import facility_lines

        f = self.facility
        facilities = [
            f(1),  # active, listed on 31 Oct
            f(2, start=date(2026, 11, 5)),  # starts after the period: not listed
            f(3, status="closed", closed_on=date(2026, 9, 30)),  # closed before: not listed
            f(4, status="closed", closed_on=date(2026, 10, 31)),  # closed within: listed
            f(5, start=date(2026, 10, 20)),  # new, not yet on a listing: listed, blank
            f(6, status="closed", closed_on=date(2026, 11, 15)),  # closed later: open then
        ]
        positions = {
            1: [self.position(1, date(2026, 9, 30)), self.position(1, date(2026, 10, 31), 40)],
            4: [self.position(4, date(2026, 9, 30), 70, dpd=5, kol=2)],
            6: [self.position(6, date(2026, 10, 31), 30)],
        }
        lines = facility_lines(facilities, positions, OCTOBER, date(2026, 10, 31))
        by_id = {line.facility_id: line for line in lines}
        assert [line.facility_id for line in lines] == [1, 5, 6, 4]  # open ones first
        assert by_id[1].outstanding == 40 and by_id[1].position_date == date(2026, 10, 31)
        assert by_id[4].closed and by_id[4].outstanding == 0 and by_id[4].dpd == 5
        assert by_id[4].arrears_principal == 0  # a closed facility owes no arrears either
        assert by_id[5].position_date is None and by_id[5].outstanding is None
        assert not by_id[6].closed and by_id[6].outstanding == 30

    def test_history_takes_each_months_last_position_up_to_as_of(self):
        from aoapp.kpis.periods import month_ends
        from aoapp.reports.customer.history import history

        facilities = [self.facility(1), self.facility(2)]
        positions = {
            1: [
                self.position(1, d, n)
                for n, d in enumerate([date(2026, 8, 31), date(2026, 10, 15), date(2026, 10, 20)])
            ],  # fmt: skip
            2: [self.position(2, date(2026, 10, 15), 7, dpd=9, kol=2)],
        }
        rows, columns = history(
            facilities, positions, month_ends(date(2026, 10, 15), 12), date(2026, 10, 15)
        )
        assert columns == [(1, "A1"), (2, "A2")] and len(rows) == 12
        october, september, august = rows[-1], rows[-2], rows[-3]
        assert october.month_end == date(2026, 10, 15)
        assert october.points[1].as_of == date(2026, 10, 15)  # 20 Oct is after the as-of date
        assert (october.total_outstanding, october.max_dpd, october.debtor_kol) == (8, 9, 2)
        assert september.points == {} and september.total_outstanding is None
        assert august.points[1].outstanding == 0 and august.max_dpd == 0
