"""The officer's agenda: grouping at the day boundaries, priority order, facts, query count."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from aoapp.agenda.services import agenda_for, group_of
from aoapp.auth.models import User
from aoapp.extensions import db
from tests.support import agenda as h
from tests.support import credit_visits as visit_helpers
from tests.support.factories import make_customer, make_prospect

TODAY = date(2026, 3, 10)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def followup(owner, **kw):
    """A planned follow-up, on TODAY unless told otherwise."""
    kw.setdefault("planned_date", TODAY)
    return h.followup(owner, **kw)


def ids(items) -> list[tuple[str, int]]:
    return [(item.kind, item.id) for item in items]


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="PT Maju Jaya")


class TestGrouping:
    def test_group_of_each_boundary(self):
        assert group_of(day(-1), TODAY) == "overdue"
        assert group_of(TODAY, TODAY) == "today"
        assert group_of(day(1), TODAY) == "next_7_days"
        assert group_of(day(7), TODAY) == "next_7_days"
        assert group_of(day(8), TODAY) is None

    def test_follow_ups_and_complaints_fall_in_their_group(self, world, customer):
        made = {
            n: followup(world.officer, customer=customer, planned_date=day(n))
            for n in (-30, -1, 0, 1, 7, 8)
        }
        late = h.complaint(customer, due_date=day(-1))
        due_today = h.complaint(customer, due_date=TODAY)
        due_in_week = h.complaint(customer, due_date=day(7))
        h.complaint(customer, due_date=day(8))  # beyond the horizon
        agenda = agenda_for(world.officer, TODAY)
        assert set(ids(agenda.overdue)) == {
            ("follow_up", made[-30].id),
            ("follow_up", made[-1].id),
            ("complaint", late.id),
        }
        assert set(ids(agenda.today_items)) == {
            ("follow_up", made[0].id),
            ("complaint", due_today.id),
        }
        assert set(ids(agenda.next_7_days)) == {
            ("follow_up", made[1].id),
            ("follow_up", made[7].id),
            ("complaint", due_in_week.id),
        }
        assert agenda.total == 8
        assert all(item.overdue for item in agenda.overdue)
        assert not any(item.overdue for item in agenda.today_items + agenda.next_7_days)

    def test_only_the_officers_planned_follow_ups_and_open_complaints(self, world, customer):
        for status in ("done", "cancelled", "missed"):
            followup(world.officer, customer=customer, planned_date=TODAY, status=status)
        colleague = make_customer(world.colleague)
        followup(world.colleague, customer=colleague, planned_date=TODAY)
        h.complaint(colleague, due_date=TODAY)
        for status in ("resolved", "closed"):
            h.complaint(customer, due_date=TODAY, status=status)
        kept = [
            h.complaint(customer, due_date=TODAY, status=s)
            for s in ("open", "in_progress", "escalated")
        ]
        agenda = agenda_for(world.officer, TODAY)
        assert ids(agenda.today_items) == [("complaint", c.id) for c in kept]
        assert agenda.today_items[2].escalated and not agenda.today_items[0].escalated

    def test_empty_agenda(self, world):
        agenda = agenda_for(world.officer, TODAY)
        assert agenda.total == 0 and [len(g[2]) for g in agenda.groups()] == [0, 0, 0]


class TestOrdering:
    def test_collection_by_dpd_escalated_first_then_complaints_then_purpose(self, world, customer):
        officer = world.officer
        dpd = {n: h.debtor(officer, n) for n in (10, 35, 40, 95, 200)}
        low = followup(officer, facility=dpd[10])
        high = followup(officer, facility=dpd[200])
        mid = followup(officer, facility=dpd[40])
        escalated_95 = followup(officer, facility=dpd[95], escalated=True, suggestion="dpd_over_90")
        escalated_35 = followup(officer, facility=dpd[35], escalated=True)
        no_facility = followup(officer, customer=customer, purpose="collection")
        relationship = followup(officer, customer=customer, purpose="relationship")
        offer = followup(officer, customer=customer, purpose="product_offer")
        document = followup(officer, customer=customer, purpose="document_request")
        monitoring = followup(officer, customer=customer, purpose="monitoring")
        about_complaint = followup(officer, customer=customer, purpose="complaint")
        normal = h.complaint(customer, due_date=TODAY, priority="normal")
        urgent = h.complaint(customer, due_date=TODAY, priority="urgent")
        high_priority = h.complaint(customer, due_date=TODAY, priority="high")
        agenda = agenda_for(officer, TODAY)
        assert ids(agenda.today_items) == [
            ("follow_up", escalated_95.id),
            ("follow_up", escalated_35.id),
            ("follow_up", high.id),
            ("follow_up", mid.id),
            ("follow_up", low.id),
            ("follow_up", no_facility.id),
            ("complaint", urgent.id),
            ("complaint", high_priority.id),
            ("complaint", normal.id),
            ("follow_up", about_complaint.id),
            ("follow_up", monitoring.id),
            ("follow_up", document.id),
            ("follow_up", offer.id),
            ("follow_up", relationship.id),
        ]

    def test_ties_by_date_then_time_nulls_last_then_id(self, world, customer):
        officer = world.officer
        untimed = followup(officer, customer=customer, planned_date=day(2))
        afternoon = followup(officer, customer=customer, planned_date=day(2), planned_time=time(14))
        morning = followup(officer, customer=customer, planned_date=day(2), planned_time=time(9))
        earlier_day = followup(officer, customer=customer, planned_date=day(1))
        untimed_later_id = followup(officer, customer=customer, planned_date=day(2))
        agenda = agenda_for(officer, TODAY)
        assert [i.id for i in agenda.next_7_days] == [
            earlier_day.id,
            morning.id,
            afternoon.id,
            untimed.id,
            untimed_later_id.id,
        ]

    def test_complaints_by_priority_then_earliest_due(self, world, customer):
        later_urgent = h.complaint(customer, due_date=day(-1), priority="urgent")
        early_low = h.complaint(customer, due_date=day(-5), priority="low")
        early_urgent = h.complaint(customer, due_date=day(-3), priority="urgent")
        agenda = agenda_for(world.officer, TODAY)
        assert [i.id for i in agenda.overdue] == [early_urgent.id, later_urgent.id, early_low.id]


class TestFacts:
    def test_dpd_kol_and_outstanding_come_from_the_latest_position(self, world):
        facility = h.debtor(world.officer)
        visit_helpers.position(facility, date(2026, 1, 31), 5)
        visit_helpers.position(facility, date(2026, 2, 28), 95, outstanding="12345678.90")
        followup(world.officer, facility=facility, planned_date=TODAY)
        item = agenda_for(world.officer, TODAY).today_items[0]
        assert (item.facility.dpd, item.facility.kol) == (95, 3)
        assert str(item.facility.outstanding) == "12345678.90"
        assert item.facility.account_no == facility.account_no
        assert item.party_type == "customer" and item.phone.startswith("628")

    def test_a_facility_without_positions_has_no_dpd(self, world):
        facility = h.debtor(world.officer)
        followup(world.officer, facility=facility, planned_date=TODAY)
        item = agenda_for(world.officer, TODAY).today_items[0]
        assert item.facility.dpd is None and item.facility.kol is None

    def test_prospect_follow_ups_carry_the_prospects_phone(self, world):
        prospect = make_prospect(world.officer, name="Ibu Sri", phone="6281298765432")
        followup(world.officer, prospect=prospect, planned_date=TODAY, purpose="product_offer")
        item = agenda_for(world.officer, TODAY).today_items[0]
        assert (item.party_type, item.party_id, item.party_name) == (
            "prospect",
            prospect.id,
            "Ibu Sri",
        )
        assert item.phone == "6281298765432" and item.facility is None

    def test_suggested_and_escalated_flags(self, world):
        facility = h.debtor(world.officer, 120)
        followup(
            world.officer,
            facility=facility,
            suggestion="dpd_over_90",
            suggestion_key="2026-02-28",
            suggested_dpd=120,
            escalated=True,
        )
        item = agenda_for(world.officer, TODAY).today_items[0]
        assert item.suggested and item.escalated


class TestPromises:
    def test_pending_promise_shows_beside_the_collection_follow_up(self, world):
        facility = h.debtor(world.officer, 40, as_of=day(-20))
        promise = h.promise(facility, world.officer, day(-2), day(3), "2500000")
        followup(world.officer, facility=facility, planned_date=day(4))
        item = agenda_for(world.officer, TODAY).next_7_days[0]
        assert item.promise.id == promise.id and item.promise.state == "pending"
        assert str(item.promise.amount) == "2500000.00"
        assert item.promise.promised_date == day(3) and item.promise.deadline == day(6)

    def test_broken_promise_shows_and_kept_one_does_not(self, world):
        broken_facility = h.debtor(world.officer, 40, as_of=day(-40))
        h.promise(broken_facility, world.officer, day(-30), day(-20))
        kept_facility = h.debtor(world.officer, 40, as_of=day(-40))
        h.promise(kept_facility, world.officer, day(-30), day(-20))
        visit_helpers.position(kept_facility, day(-19), 0)  # paid within the grace days
        first = followup(world.officer, facility=broken_facility)
        second = followup(world.officer, facility=kept_facility)
        items = {i.id: i for i in agenda_for(world.officer, TODAY).today_items}
        assert items[first.id].promise.state == "broken"
        assert items[second.id].promise is None

    def test_kept_by_arrears_paid_down_each_against_its_own_baseline(self, world):
        """Two promises kept or broken by the arrears alone: each reads its own facility."""
        paid_down = h.debtor(world.officer)
        h.position(paid_down, day(-40), 40, "10000000")
        h.position(paid_down, day(-19), 40, "4000000")  # 6,000,000 paid
        h.promise(paid_down, world.officer, day(-30), day(-20), "5000000")
        short = h.debtor(world.officer)
        h.position(short, day(-40), 40, "2000000")
        h.position(short, day(-19), 40, "1500000")  # only 500,000 paid
        h.promise(short, world.officer, day(-30), day(-20), "1000000")
        kept = followup(world.officer, facility=paid_down)
        broken = followup(world.officer, facility=short)
        items = {i.id: i for i in agenda_for(world.officer, TODAY).today_items}
        assert items[kept.id].promise is None
        assert items[broken.id].promise.state == "broken"

    def test_only_the_latest_promise_of_the_facility(self, world):
        facility = h.debtor(world.officer, 40, as_of=day(-40))
        h.promise(facility, world.officer, day(-30), day(-20))  # broken
        latest = h.promise(facility, world.officer, day(-1), day(5))  # pending
        followup(world.officer, facility=facility)
        item = agenda_for(world.officer, TODAY).today_items[0]
        assert item.promise.id == latest.id and item.promise.state == "pending"


class TestQueryCount:
    def _count(self, officer) -> tuple[int, int]:
        statements = []

        def count(*_args, **_kw):
            statements.append(1)

        officer_id = officer.id
        db.session.expunge_all()  # nothing cached: every row the agenda needs is queried
        officer = db.session.get(User, officer_id)
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            agenda = agenda_for(officer, TODAY)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return agenda.total, len(statements)

    def _items(self, officer, n: int) -> None:
        for k in range(n):
            kind = k % 5
            if kind == 0:
                facility = h.debtor(officer, 10 + k)
                h.promise(facility, officer, day(-3), day(3))
                followup(officer, facility=facility, planned_date=day(k % 9 - 1))
            elif kind == 1:
                followup(officer, prospect=make_prospect(officer), planned_date=day(k % 8))
            elif kind == 2:
                customer = make_customer(officer)
                h.complaint(customer, due_date=day(k % 8 - 1), facility_id=h.debtor(officer, 5).id)
            else:
                customer = make_customer(officer)
                followup(officer, customer=customer, planned_date=day(k % 8), purpose="monitoring")

    def test_fifty_items_take_as_many_queries_as_five(self, world):
        officer = world.officer
        self._items(officer, 5)
        small_total, small = self._count(officer)
        officer = db.session.get(User, officer.id)
        self._items(officer, 45)
        big_total, big = self._count(officer)
        assert (small_total, big_total) == (5, 50)
        assert big == small <= 5
