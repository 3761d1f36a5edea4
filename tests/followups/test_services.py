"""Follow-up services: each rule of plan/complete/reschedule/cancel/missed, promises to pay, the
next follow-up, optimistic locking, audit entries, queries and the hand-over on reassignment."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.customers import services as customers
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.followups import services
from aoapp.followups.models import FollowUp, PromiseToPay
from tests.support import followups as h
from tests.support.factories import make_customer, make_prospect


@pytest.fixture
def book(world):
    """ao.budi's debtor with a facility, and a second facility of another of his customers."""
    customer, facility = h.debtor(world.officer, name="Warung Budi")
    _other, foreign = h.debtor(world.officer, name="Toko Lain")
    return customer, facility, foreign


def plan_values(customer=None, **kw) -> dict:
    values = {
        "customer": customer.id if customer else None,
        "prospect": None,
        "facility": None,
        "channel": "call",
        "purpose": "relationship",
        "planned_date": h.today(),
        "planned_time": None,
        "notes": "",
    }
    values.update(kw)
    return values


def ptp(amount="2500000.00", in_days=7, **kw) -> dict:
    values = {
        "outcome": "promised_to_pay",
        "promised_amount": Decimal(amount),
        "promised_date": h.days(in_days),
        "notes": "Will pay after harvest",
    }
    values.update(kw)
    return values


class TestPlan:
    def test_plans_with_a_facility_owned_by_the_officer_and_audited(self, world, book):
        customer, facility, _ = book
        values = plan_values(
            customer,
            facility=facility.id,
            purpose="collection",
            channel="visit",
            planned_date=h.days(3),
            planned_time=time(9, 30),
            notes="Bring the statement",
        )
        made = services.plan(h.user(world.officer), values)
        row = h.reload(made)
        assert (row.customer_id, row.facility_id, row.prospect_id) == (
            customer.id,
            facility.id,
            None,
        )
        assert (row.owner_id, row.created_by_id, row.status) == (
            world.officer.id,
            world.officer.id,
            "planned",
        )
        assert (row.planned_date, row.planned_time) == (h.days(3), time(9, 30))
        [entry] = h.audits("followup", row.id)
        assert (entry.action, entry.actor_id, entry.before) == ("create", world.officer.id, None)
        assert entry.after["id"] == row.id and entry.after["channel"] == "visit"
        assert entry.after["version"] == 1

    def test_plans_with_a_prospect(self, world):
        prospect = make_prospect(world.officer)
        values = plan_values(prospect=prospect.id)
        row = services.plan(h.user(world.officer), values)
        assert (row.prospect_id, row.customer_id) == (prospect.id, None)

    def test_today_is_allowed_and_yesterday_is_not(self, world, book):
        customer = book[0]
        services.plan(h.user(world.officer), plan_values(customer, planned_date=h.today()))
        with pytest.raises(InvalidInput) as refused:
            services.plan(h.user(world.officer), plan_values(customer, planned_date=h.days(-1)))
        assert "cannot be in the past" in refused.value.errors["planned_date"][0]

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"customer": None}, "customer", "customer or a prospect"),
            ({"prospect": "mine"}, "customer", "customer or a prospect"),
            ({"facility": "foreign"}, "facility", "not one of the customer's"),
            ({"facility": 999999}, "facility", "not one of the customer's"),
            ({"channel": "pigeon"}, "channel", "how you will contact"),
            ({"purpose": "gossip"}, "purpose", "purpose of the contact"),
            ({"planned_date": None}, "planned_date", "required"),
        ],
    )
    def test_each_rule_names_its_field(self, world, book, changes, field, message):
        customer, _facility, foreign = book
        named = {"foreign": foreign.id, "mine": make_prospect(world.officer).id}
        values = plan_values(customer)
        values.update({k: named.get(v, v) for k, v in changes.items()})
        with pytest.raises(InvalidInput) as refused:
            services.plan(h.user(world.officer), values)
        assert message in refused.value.errors[field][0]
        db.session.rollback()
        assert h.count() == 0

    def test_a_prospect_has_no_facility(self, world, book):
        prospect = make_prospect(world.officer)
        values = plan_values(prospect=prospect.id, facility=book[1].id)
        with pytest.raises(InvalidInput) as refused:
            services.plan(h.user(world.officer), values)
        assert "prospect has no credit facilities" in refused.value.errors["facility"][0]

    def test_supervisors_and_admins_cannot_plan_for_an_officer(self, world, book):
        customer = book[0]
        prospect = make_prospect(world.officer)
        for role in ("supervisor", "admin"):
            for values in (
                plan_values(customer),
                plan_values(prospect=prospect.id),
            ):
                with pytest.raises(Forbidden) as refused:
                    services.plan(h.user(getattr(world, role)), values)
                assert "supervisors and admins only read" in refused.value.message
        for outsider in ("colleague", "remote", "bdg_supervisor"):
            with pytest.raises(NotFound):
                services.plan(h.user(getattr(world, outsider)), plan_values(customer))
        assert h.count() == 0


class TestComplete:
    def test_logs_the_outcome_and_audits_before_and_after(self, world, book):
        row = h.followup(world.officer, customer=book[0], notes="Ask about the KUR")
        services.complete(h.user(world.officer), row, {"outcome": "reached", "notes": "Done"})
        row = h.reload(row)
        assert (row.status, row.outcome, row.notes) == ("done", "reached", "Done")
        assert row.done_at is not None and row.version == 2
        [entry] = h.audits("followup", row.id)
        assert entry.action == "complete"
        assert (entry.before["status"], entry.after["status"]) == ("planned", "done")
        assert (entry.before["version"], entry.after["version"]) == (1, 2)
        assert h.count(PromiseToPay) == 0

    def test_notes_are_kept_when_none_are_given(self, world, book):
        row = h.followup(world.officer, customer=book[0], notes="Planned notes")
        services.complete(h.user(world.officer), row, {"outcome": "not_reached", "notes": None})
        assert h.reload(row).notes == "Planned notes"

    def test_a_promise_to_pay_is_recorded_and_audited(self, world, book):
        row = h.followup(world.officer, facility=book[1])
        services.complete(h.user(world.officer), row, ptp(in_days=10))
        made = db.session.scalars(sa.select(PromiseToPay)).one()
        assert (made.follow_up_id, made.facility_id, made.customer_id, made.officer_id) == (
            row.id,
            book[1].id,
            book[0].id,
            world.officer.id,
        )
        assert made.promised_amount == Decimal("2500000.00")
        assert (made.promised_on, made.promised_date) == (h.today(), h.days(10))
        assert made.deadline == h.days(13)  # PTP_GRACE_DAYS = 3
        [entry] = h.audits("promisetopay", made.id)
        assert entry.action == "create" and entry.after["promised_amount"] == "2500000.00"
        assert h.reload(row).outcome == "promised_to_pay"

    @pytest.mark.parametrize("in_days", [0, 90])
    def test_the_promised_date_window_includes_today_and_day_90(self, world, book, in_days):
        row = h.followup(world.officer, facility=book[1])
        services.complete(h.user(world.officer), row, ptp(in_days=in_days))
        assert db.session.scalar(sa.select(PromiseToPay.promised_date)) == h.days(in_days)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"promised_amount": None}, "promised_amount", "Enter the amount"),
            ({"promised_amount": Decimal("0")}, "promised_amount", "more than zero"),
            ({"promised_amount": Decimal("-5")}, "promised_amount", "more than zero"),
            ({"promised_date": None}, "promised_date", "Enter the date"),
            ({"promised_date": "yesterday"}, "promised_date", "cannot be in the past"),
            ({"promised_date": "day91"}, "promised_date", "within 90 days"),
            ({"outcome": "reached"}, "promised_amount", "Only a promise to pay"),
            ({"outcome": "unknown"}, "outcome", "Choose the outcome"),
            ({"next_date": "yesterday"}, "next_date", "cannot be in the past"),
            ({"next_channel": "fax", "next_date": "tomorrow"}, "next_channel", "how you"),
            ({"next_notes": "Call again"}, "next_date", "Give the date"),
        ],
    )
    def test_each_rule_names_its_field(self, world, book, changes, field, message):
        row = h.followup(world.officer, facility=book[1])
        named = {"yesterday": h.days(-1), "day91": h.days(91), "tomorrow": h.days(1)}
        values = ptp(
            **{k: named.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
        )
        with pytest.raises(InvalidInput) as refused:
            services.complete(h.user(world.officer), row, values)
        assert message in refused.value.errors[field][0]
        db.session.rollback()
        assert h.reload(row).status == "planned"
        assert h.count(PromiseToPay) == 0 and h.count() == 1

    @pytest.mark.parametrize("outcome", ["promised_to_pay", "paid"])
    def test_collection_outcomes_only_on_collection_follow_ups(self, world, book, outcome):
        row = h.followup(world.officer, facility=book[1], purpose="monitoring")
        with pytest.raises(InvalidInput) as refused:
            services.complete(h.user(world.officer), row, ptp(outcome=outcome))
        assert "outcomes of a collection follow-up" in refused.value.errors["outcome"][0]

    def test_a_promise_needs_a_follow_up_about_a_facility(self, world, book):
        row = h.followup(world.officer, customer=book[0], purpose="collection")
        with pytest.raises(InvalidInput) as refused:
            services.complete(h.user(world.officer), row, ptp())
        assert "about one facility" in refused.value.errors["outcome"][0]

    def test_paid_needs_no_facility(self, world, book):
        row = h.followup(world.officer, customer=book[0], purpose="collection")
        services.complete(h.user(world.officer), row, {"outcome": "paid"})
        assert h.reload(row).outcome == "paid"

    def test_the_next_follow_up_is_planned_in_the_same_unit(self, world, book):
        row = h.followup(world.officer, facility=book[1], channel="whatsapp")
        values = ptp(next_date=h.days(11), next_time=time(10, 0), next_notes="Check payment")
        services.complete(h.user(world.officer), row, values)
        following = db.session.scalars(sa.select(FollowUp).where(FollowUp.id != row.id)).one()
        assert following.previous_id == row.id
        assert (following.channel, following.purpose, following.status) == (
            "whatsapp",
            "collection",
            "planned",
        )
        assert (following.planned_date, following.planned_time) == (h.days(11), time(10, 0))
        assert (following.facility_id, following.owner_id) == (book[1].id, world.officer.id)
        assert following.notes == "Check payment"
        assert [e.action for e in h.audits("followup")] == ["complete", "create"]

    def test_the_next_follow_up_may_change_channel_and_purpose(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        values = {
            "outcome": "interested",
            "next_date": h.days(2),
            "next_channel": "meeting",
            "next_purpose": "product_offer",
        }
        services.complete(h.user(world.officer), row, values)
        following = db.session.scalar(sa.select(FollowUp).where(FollowUp.previous_id == row.id))
        assert (following.channel, following.purpose) == ("meeting", "product_offer")

    @pytest.mark.parametrize("status", ["done", "cancelled", "missed"])
    def test_only_a_planned_follow_up_is_completed(self, world, book, status):
        row = h.followup(world.officer, customer=book[0], status=status)
        with pytest.raises(Conflict):
            services.complete(h.user(world.officer), row, {"outcome": "reached"})

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, world, book):
        row = h.followup(world.officer, facility=book[1])
        with pytest.raises(Conflict) as refused:
            services.complete(h.user(world.officer), row, ptp(version=7))
        assert "changed by someone else" in refused.value.message
        db.session.rollback()
        assert h.reload(row).status == "planned" and h.count(PromiseToPay) == 0

    def test_a_change_saved_meanwhile_is_a_conflict(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        officer = h.user(world.officer)
        row = h.reload(row)  # read, as a request reads it
        with db.engine.begin() as connection:  # another request saves first
            connection.execute(
                sa.update(FollowUp).where(FollowUp.id == row.id).values(version=2, notes="x")
            )
        with pytest.raises(Conflict) as refused:  # no version sent: the save itself finds out
            services.complete(officer, row, {"outcome": "reached"})
        assert "changed by someone else" in refused.value.message
        row = h.reload(row)
        assert (row.status, row.notes) == ("planned", "x")
        with pytest.raises(Conflict):  # the version the form was opened with
            services.complete(h.user(world.officer), row, {"outcome": "reached", "version": 1})
        assert h.audits("followup") == []

    def test_only_the_owner_acts(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        for who in ("supervisor", "admin", "colleague"):
            with pytest.raises(Forbidden):
                services.complete(h.user(getattr(world, who)), row, {"outcome": "reached"})
        assert h.reload(row).status == "planned"


class TestRescheduleCancelMissed:
    def test_reschedule_keeps_it_planned_and_audits(self, world, book):
        row = h.followup(world.officer, customer=book[0], planned_time=time(9, 0))
        services.reschedule(
            h.user(world.officer),
            row,
            {"planned_date": h.days(4), "planned_time": None, "reason": "Customer travelling"},
        )
        row = h.reload(row)
        assert (row.status, row.planned_date, row.planned_time) == ("planned", h.days(4), None)
        assert row.reason == "Customer travelling"
        [entry] = h.audits("followup", row.id)
        assert entry.action == "reschedule"
        assert (entry.before["planned_date"], entry.after["planned_date"]) == (
            h.today().isoformat(),
            h.days(4).isoformat(),
        )

    def test_a_reason_is_optional_for_a_follow_up_planned_by_hand(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        services.reschedule(h.user(world.officer), row, {"planned_date": h.days(1)})
        assert h.reload(row).reason is None

    def test_a_suggested_follow_up_needs_a_reason_to_move(self, world, book):
        row = h.followup(world.officer, facility=book[1], suggestion="dpd_1_30", suggested_dpd=12)
        for reason in (None, "   "):
            with pytest.raises(InvalidInput) as refused:
                services.reschedule(
                    h.user(world.officer), row, {"planned_date": h.days(2), "reason": reason}
                )
            assert "system suggested" in refused.value.errors["reason"][0]
        services.reschedule(
            h.user(world.officer), row, {"planned_date": h.days(2), "reason": "Owner in hospital"}
        )
        assert h.reload(row).reason == "Owner in hospital"

    @pytest.mark.parametrize(
        ("new", "message"), [(-1, "cannot be in the past"), (0, "already the planned day")]
    )
    def test_reschedule_needs_another_day_not_in_the_past(self, world, book, new, message):
        row = h.followup(world.officer, customer=book[0])
        with pytest.raises(InvalidInput) as refused:
            services.reschedule(h.user(world.officer), row, {"planned_date": h.days(new)})
        assert message in refused.value.errors["planned_date"][0]

    def test_cancel_needs_a_reason_always(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        for reason in (None, "", "  "):
            with pytest.raises(InvalidInput) as refused:
                services.cancel(h.user(world.officer), row, {"reason": reason})
            assert "reason" in refused.value.errors
        services.cancel(h.user(world.officer), row, {"reason": "Paid at the branch"})
        row = h.reload(row)
        assert (row.status, row.reason) == ("cancelled", "Paid at the branch")
        [entry] = h.audits("followup", row.id)
        assert entry.action == "cancel" and entry.after["status"] == "cancelled"

    def test_missed_only_once_its_day_has_passed(self, world, book):
        due = h.followup(world.officer, customer=book[0])
        with pytest.raises(Conflict):
            services.mark_missed(h.user(world.officer), due)
        late = h.followup(world.officer, customer=book[0], planned_date=h.days(-1))
        services.mark_missed(h.user(world.officer), late, {"version": 1})
        assert h.reload(late).status == "missed"
        assert [e.action for e in h.audits("followup", late.id)] == ["missed"]

    def test_update_changes_details_of_a_planned_one(self, world, book):
        row = h.followup(world.officer, customer=book[0])
        services.update(
            h.user(world.officer),
            row,
            {"channel": "whatsapp", "planned_time": time(14, 0), "notes": "Send brochure"},
        )
        row = h.reload(row)
        assert (row.channel, row.planned_time, row.notes) == (
            "whatsapp",
            time(14, 0),
            "Send brochure",
        )
        assert h.audits("followup", row.id)[0].action == "update"
        with pytest.raises(Conflict):
            services.update(h.user(world.officer), row, {"notes": "x", "version": 1})

    def test_every_action_checks_owner_and_version(self, world, book):
        row = h.followup(world.officer, customer=book[0], planned_date=h.days(-2))
        calls = [
            lambda u, v: services.reschedule(u, row, {"planned_date": h.days(1), **v}),
            lambda u, v: services.cancel(u, row, {"reason": "x", **v}),
            lambda u, v: services.mark_missed(u, row, v),
            lambda u, v: services.update(u, row, {"notes": "x", **v}),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call(h.user(world.supervisor), {})
            with pytest.raises(Conflict):
                call(h.user(world.officer), {"version": 99})
        assert h.reload(row).status == "planned" and h.audits("followup") == []


class TestQueries:
    def test_filters_sort_and_scope(self, world, book):
        customer, facility, _ = book
        prospect = make_prospect(world.officer)
        late = h.followup(world.officer, customer=customer, planned_date=h.days(-3))
        timed = h.followup(world.officer, facility=facility, planned_time=time(8, 0))
        untimed = h.followup(world.officer, facility=facility, suggestion="dpd_1_30")
        done = h.followup(world.officer, prospect=prospect, planned_date=h.days(5), status="done")
        h.followup(world.colleague, customer=make_customer(world.colleague))
        h.followup(world.remote, customer=make_customer(world.remote))

        def ids(actor, **filters):
            return [
                f.id for f in db.session.scalars(services.filtered_query(h.user(actor), filters))
            ]

        assert ids(world.officer) == [late.id, timed.id, untimed.id, done.id]
        assert ids(world.officer, sort="-planned_date") == [done.id, untimed.id, timed.id, late.id]
        assert ids(world.officer, status="done") == [done.id]
        assert ids(world.officer, purpose="collection") == [timed.id, untimed.id]
        assert ids(world.officer, planned_from=h.days(-3), planned_to=h.today()) == [
            late.id,
            timed.id,
            untimed.id,
        ]
        assert ids(world.officer, planned_from=h.days(-2)) == [timed.id, untimed.id, done.id]
        assert ids(world.officer, customer=customer.id) == [late.id, timed.id, untimed.id]
        assert ids(world.officer, facility=facility.id) == [timed.id, untimed.id]
        assert ids(world.officer, prospect=prospect.id) == [done.id]
        assert ids(world.officer, suggested=True) == [untimed.id]
        assert ids(world.officer, suggested=False) == [late.id, timed.id, done.id]
        assert ids(world.officer, owner=world.colleague.id) == []
        assert len(ids(world.supervisor)) == 5
        assert len(ids(world.supervisor, owner=world.colleague.id)) == 1
        assert len(ids(world.admin)) == 6
        assert len(ids(world.remote)) == 1 and len(ids(world.colleague)) == 1

    def test_lists_carry_the_promise_state_from_the_same_query(self, world, book):
        _customer, facility, other = book
        start = h.days(-30)
        h.position(facility, start, "5000000", 40)
        h.position(other, start, "5000000", 40)
        kept = h.promise(
            h.followup(world.officer, facility=facility, planned_date=start),
            "3000000",
            start,
            start + timedelta(days=5),
        )
        h.position(facility, start + timedelta(days=8), "2000000", 40)  # day +3 of grace: kept
        broken = h.promise(
            h.followup(world.officer, facility=other, planned_date=start),
            "3000000",
            start,
            start + timedelta(days=5),
        )
        pending = h.promise(h.followup(world.officer, facility=other, planned_date=h.today()))
        page = services.list_followups(h.user(world.officer), {}, 50)
        states = {f.promise.id: f.promise.state for f in page.items if f.promise}
        assert states == {kept.id: "kept", broken.id: "broken", pending.id: "pending"}
        assert page.total == 3

        def promise_ids(**filters):
            found = services.list_promises(h.user(world.officer), filters, 50).items
            return {p.id: p.state for p in found}

        assert promise_ids(state="kept") == {kept.id: "kept"}
        assert promise_ids(state="broken") == {broken.id: "broken"}
        assert promise_ids(facility=other.id).keys() == {broken.id, pending.id}
        assert promise_ids(customer=facility.customer_id).keys() == {kept.id}
        assert promise_ids(promised_from=h.today()).keys() == {pending.id}
        assert promise_ids(promised_to=h.today()).keys() == {kept.id, broken.id}
        assert promise_ids(owner=world.officer.id).keys() == {kept.id, broken.id, pending.id}
        assert promise_ids(owner=world.colleague.id) == {}
        assert services.list_promises(h.user(world.remote), {}, 50).total == 0
        detail = services.get_promise(h.user(world.supervisor), kept.id)
        assert (detail.state, detail.kept_on) == ("kept", start + timedelta(days=8))
        assert services.get_promise(h.user(world.officer), broken.id).kept_on is None
        with pytest.raises(NotFound):
            services.get_promise(h.user(world.bdg_supervisor), kept.id)

    def test_history_is_newest_first(self, world, book):
        customer, facility, _ = book
        old = h.followup(world.officer, facility=facility, planned_date=h.days(-10))
        new = h.followup(world.officer, customer=customer, planned_date=h.days(2))
        mid = h.followup(world.officer, facility=facility, planned_date=h.days(-1))
        officer = h.user(world.officer)
        assert [f.id for f in services.history_of(officer, customer=customer)] == [
            new.id,
            mid.id,
            old.id,
        ]
        assert [f.id for f in services.history_of(officer, facility=facility)] == [mid.id, old.id]


class TestReassignment:
    def test_planned_follow_ups_and_open_complaints_move_with_the_customer(self, world, book):
        customer, facility, _ = book
        planned = h.followup(world.officer, facility=facility, planned_date=h.days(2))
        late = h.followup(world.officer, customer=customer, planned_date=h.days(-2))
        done = h.followup(world.officer, customer=customer, status="done", outcome="reached")
        elsewhere = h.followup(world.officer, customer=make_customer(world.officer))
        open_one = h.complaint(customer, "open")
        escalated = h.complaint(customer, "escalated")
        resolved = h.complaint(customer, "resolved")
        customers.reassign(h.user(world.supervisor), customer, world.colleague.id)
        owners = {row.id: h.reload(row).owner_id for row in (planned, late, done, elsewhere)}
        assert owners == {
            planned.id: world.colleague.id,
            late.id: world.colleague.id,
            done.id: world.officer.id,
            elsewhere.id: world.officer.id,
        }
        assert h.reload(planned).version == 2  # a form opened before now conflicts
        handlers = {c.id: h.reload(c).officer_id for c in (open_one, escalated, resolved)}
        assert handlers == {
            open_one.id: world.colleague.id,
            escalated.id: world.colleague.id,
            resolved.id: world.officer.id,
        }
        moved = h.audits("followup")
        assert sorted(e.entity_id for e in moved) == sorted([planned.id, late.id])
        for entry in moved + h.audits("complaint"):
            assert (entry.action, entry.actor_id) == ("reassign", world.supervisor.id)
            assert entry.before["officer_id" if "officer_id" in entry.before else "owner_id"] == (
                world.officer.id
            )
        assert {e.entity_id for e in h.audits("complaint")} == {open_one.id, escalated.id}
        assert [e.action for e in h.audits("customer", customer.id)] == ["reassign"]
        with pytest.raises(Forbidden):  # the old officer no longer acts on it
            services.complete(h.user(world.officer), h.reload(planned), {"outcome": "reached"})
        services.complete(h.user(world.colleague), h.reload(planned), {"outcome": "reached"})
