"""Complaint services: due dates in working days, the escalation flow, transitions, locking, audit,
overdue and ordering. Called directly with the users of `world`."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.complaints import pages, services
from aoapp.complaints.models import Complaint
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from tests.support import complaints as h
from tests.support import credit_visits as visit_helpers
from tests.support.factories import make_customer

# Thursday 6 March 2025, 12:00 in Jakarta (UTC+7).
NOW = datetime(2025, 3, 6, 5, 0, tzinfo=UTC)
HOLIDAY = "2025-03-12"  # a Wednesday between receipt and the due date


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="Toko Maju Jaya")


@pytest.fixture
def holiday(app):
    """A configured public holiday on Wednesday 12 March 2025 (restored afterwards)."""
    saved = app.config.get("BANK_HOLIDAYS")
    app.config["BANK_HOLIDAYS"] = HOLIDAY
    yield
    app.config["BANK_HOLIDAYS"] = saved


def values(customer, **overrides) -> dict:
    data = {
        "customer": customer.id,
        "channel": "call",
        "category": "interest_rate",
        "description": "The rate went up without notice",
    }
    data.update(overrides)
    return data


def receive(world, customer, actor="officer", now=NOW, **overrides) -> Complaint:
    return services.receive(h.user(getattr(world, actor)), values(customer, **overrides), now=now)


def actions_audited(complaint_id: int) -> list[str]:
    stmt = (
        sa.select(AuditEntry.action)
        .where(AuditEntry.entity_type == "complaint", AuditEntry.entity_id == complaint_id)
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


def fresh(complaint) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id)


class TestDueDate:
    def test_ten_working_days_skipping_the_weekends_and_a_configured_holiday(
        self, world, customer, holiday
    ):
        complaint = receive(world, customer)
        # Fri 7, Mon 10, Tue 11, (Wed 12 holiday), Thu 13, Fri 14, Mon 17 … Fri 21 = 10th.
        assert complaint.due_date == date(2025, 3, 21)
        assert complaint.received_at == NOW

    def test_without_the_holiday_it_is_one_day_earlier(self, app, world, customer):
        saved = app.config.get("BANK_HOLIDAYS")
        app.config["BANK_HOLIDAYS"] = ""
        try:
            assert receive(world, customer).due_date == date(2025, 3, 20)
        finally:
            app.config["BANK_HOLIDAYS"] = saved

    def test_the_day_received_is_the_bank_day_not_the_utc_day(self, world, customer, holiday):
        # 20:00 UTC on Thursday is 03:00 on Friday in Jakarta: counting starts after Friday.
        late = datetime(2025, 3, 6, 20, 0, tzinfo=UTC)
        complaint = receive(world, customer, now=late + timedelta(hours=1), received_at=late)
        assert complaint.due_date == date(2025, 3, 24)

    @pytest.mark.parametrize("due", [date(2025, 3, 6), date(2025, 3, 10), date(2025, 3, 21)])
    def test_an_earlier_due_date_is_accepted(self, world, customer, holiday, due):
        assert receive(world, customer, due_date=due).due_date == due

    @pytest.mark.parametrize(
        ("due", "message"),
        [
            (date(2025, 3, 24), "At most 10 working days after receipt: 21/03/2025 or earlier."),
            (date(2025, 3, 5), "cannot be before the day the complaint was received"),
        ],
    )
    def test_a_later_or_earlier_than_receipt_due_date_is_refused(
        self, world, customer, holiday, due, message
    ):
        with pytest.raises(InvalidInput) as refused:
            receive(world, customer, due_date=due)
        assert message in refused.value.errors["due_date"][0]
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0

    def test_received_in_the_future_is_refused(self, world, customer):
        with pytest.raises(InvalidInput) as refused:
            receive(world, customer, received_at=NOW + timedelta(minutes=5))
        assert "future" in refused.value.errors["received_at"][0]

    def test_the_working_days_come_from_the_config(self, app, world, customer, holiday):
        app.config["COMPLAINT_DUE_WORKING_DAYS"] = 2
        try:
            assert receive(world, customer).due_date == date(2025, 3, 10)
        finally:
            app.config["COMPLAINT_DUE_WORKING_DAYS"] = 10


class TestReceive:
    def test_officer_logs_a_complaint_for_the_customer_and_it_is_audited(self, world, customer):
        fac = visit_helpers.facility(customer)
        complaint = receive(world, customer, facility=fac.id, priority="high")
        complaint = fresh(complaint)
        assert (complaint.officer_id, complaint.branch_id) == (world.officer.id, world.jkt.id)
        assert (complaint.status, complaint.priority, complaint.facility_id) == (
            "open",
            "high",
            fac.id,
        )
        assert complaint.created_by_id == world.officer.id and complaint.version == 1
        [entry] = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "complaint")
        )
        assert (entry.entity_type, entry.action, entry.actor_id) == (
            "complaint",
            "create",
            world.officer.id,
        )
        assert entry.before is None and entry.after["category"] == "interest_rate"

    def test_priority_defaults_to_normal(self, world, customer):
        assert receive(world, customer).priority == "normal"

    @pytest.mark.parametrize("actor", ["supervisor", "admin"])
    def test_supervisor_and_admin_log_it_for_the_customers_officer(self, world, customer, actor):
        complaint = fresh(receive(world, customer, actor=actor))
        assert complaint.officer_id == world.officer.id
        assert complaint.created_by_id == getattr(world, actor).id

    @pytest.mark.parametrize("actor", ["colleague", "remote", "bdg_supervisor"])
    def test_outsiders_cannot_see_the_customer(self, world, customer, actor):
        with pytest.raises(NotFound):
            receive(world, customer, actor=actor)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"description": "   "}, "description", "required"),
            ({"description": "x" * 4001}, "description", "At most 4000"),
            ({"channel": "fax"}, "channel", "Must be one of"),
            ({"category": "weather"}, "category", "Must be one of"),
            ({"priority": "someday"}, "priority", "Must be one of"),
            ({"facility": "other"}, "facility", "not one of the customer's"),
        ],
    )
    def test_each_rule_names_its_field(self, world, customer, changes, field, message):
        if changes.get("facility") == "other":
            changes = {"facility": visit_helpers.facility(make_customer(world.officer)).id}
        with pytest.raises(InvalidInput) as refused:
            receive(world, customer, **changes)
        assert message in refused.value.errors[field][0]

    def test_a_customer_without_an_officer_is_refused(self, world, customer):
        customer.officer_id = None
        db.session.commit()
        with pytest.raises(InvalidInput) as refused:
            receive(world, customer, actor="supervisor")
        assert "no officer" in refused.value.errors["customer"][0]


class TestEscalationFlow:
    def test_escalate_hand_back_resolve_close(self, world, customer):
        officer, supervisor = h.user(world.officer), h.user(world.supervisor)
        complaint = receive(world, customer)
        services.start(officer, complaint)
        with pytest.raises(InvalidInput) as refused:
            services.escalate(officer, fresh(complaint), "   ")
        assert "reason" in refused.value.errors
        db.session.rollback()
        services.escalate(officer, fresh(complaint), "Customer demands a rate review")
        complaint = fresh(complaint)
        assert complaint.status == "escalated" and complaint.escalated_by_id == officer.id
        assert complaint.escalation_reason == "Customer demands a rate review"
        assert complaint.escalated_at is not None

        with pytest.raises(Forbidden):
            services.resolve(officer, complaint, "Explained the rate")
        with pytest.raises(NotFound):
            services.get_complaint(h.user(world.bdg_supervisor), complaint.id)
        with pytest.raises(InvalidInput):
            services.hand_back(supervisor, fresh(complaint), "")
        db.session.rollback()

        services.hand_back(supervisor, fresh(complaint), "Offer the restructuring scheme")
        complaint = fresh(complaint)
        assert (complaint.status, complaint.supervisor_note) == (
            "in_progress",
            "Offer the restructuring scheme",
        )
        assert complaint.handed_back_at is not None

        services.resolve(officer, complaint, "Rate fixed for 12 months")
        complaint = fresh(complaint)
        assert (complaint.status, complaint.resolved_by_id) == ("resolved", officer.id)
        assert complaint.resolution == "Rate fixed for 12 months" and complaint.resolved_at

        services.close(officer, complaint)
        complaint = fresh(complaint)
        assert complaint.status == "closed" and complaint.closed_at is not None
        assert actions_audited(complaint.id) == [
            "create",
            "start",
            "escalate",
            "hand_back",
            "resolve",
            "close",
        ]
        assert [s.kind for s in pages.timeline(complaint)] == [
            "received",
            "escalated",
            "handed_back",
            "resolved",
            "closed",
        ]

    def test_the_supervisor_resolves_an_escalation_and_closes_it(self, world, customer):
        supervisor = h.user(world.supervisor)
        complaint = receive(world, customer)
        services.escalate(h.user(world.officer), complaint, "Collector was rude")
        services.resolve(supervisor, fresh(complaint), "Apologised; collector retrained")
        assert fresh(complaint).resolved_by_id == supervisor.id
        services.close(supervisor, fresh(complaint))
        assert fresh(complaint).status == "closed"

    def test_audit_entries_hold_before_and_after(self, world, customer):
        complaint = receive(world, customer)
        services.escalate(h.user(world.officer), complaint, "Needs the branch manager")
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "escalate")
        ).one()
        assert (entry.before["status"], entry.after["status"]) == ("open", "escalated")
        assert entry.before["escalation_reason"] is None
        assert entry.after["escalation_reason"] == "Needs the branch manager"
        assert (entry.before["version"], entry.after["version"]) == (1, 2)
        assert entry.actor_id == world.officer.id

    @pytest.mark.parametrize(
        ("actor", "action"),
        [
            ("supervisor", "start"),
            ("supervisor", "escalate"),
            ("supervisor", "resolve"),  # not escalated: the officer's
            ("admin", "start"),
            ("admin", "resolve"),
            ("officer", "hand_back"),
        ],
    )
    def test_the_wrong_person_is_forbidden(self, world, customer, actor, action):
        complaint = receive(world, customer)
        if action == "hand_back":
            services.escalate(h.user(world.officer), complaint, "Help")
        args = {"escalate": ("Why",), "resolve": ("Done",), "hand_back": ("Back",)}
        with pytest.raises(Forbidden):
            getattr(services, action)(
                h.user(getattr(world, actor)), fresh(complaint), *args.get(action, ())
            )

    def test_the_colleague_gets_not_found(self, world, customer):
        complaint = receive(world, customer)
        for outsider in ("colleague", "remote", "bdg_supervisor"):
            with pytest.raises(NotFound):
                services.get_complaint(h.user(getattr(world, outsider)), complaint.id)

    @pytest.mark.parametrize(
        ("status", "action", "message"),
        [
            ("in_progress", "start", "Only an open complaint can be started."),
            ("escalated", "escalate", "Only an open or in-progress complaint can be escalated."),
            ("resolved", "escalate", "Only an open or in-progress complaint can be escalated."),
            ("open", "hand_back", "Only an escalated complaint can be handed back."),
            ("open", "close", "Only a resolved complaint can be closed."),
            ("closed", "resolve", "This complaint is already resolved."),
            ("resolved", "resolve", "This complaint is already resolved."),
        ],
    )
    def test_invalid_transitions_are_conflicts(self, world, customer, status, action, message):
        complaint = h.complaint(customer, status=status)
        actor = world.supervisor if action == "hand_back" else world.officer
        args = {"escalate": ("Why",), "resolve": ("Done",), "hand_back": ("Back",)}
        with pytest.raises(Conflict) as refused:
            getattr(services, action)(h.user(actor), complaint, *args.get(action, ()))
        assert refused.value.message == message
        assert fresh(complaint).status == status
        assert actions_audited(complaint.id) == []

    def test_after_a_reassignment_the_new_officer_handles_it(self, world, customer):
        complaint = receive(world, customer)
        customer.officer_id = world.colleague.id
        db.session.commit()
        with pytest.raises(NotFound):
            services.get_complaint(h.user(world.officer), complaint.id)
        colleague = h.user(world.colleague)
        services.start(colleague, services.get_complaint(colleague, complaint.id))
        assert fresh(complaint).officer_id == world.colleague.id


class TestOptimisticLocking:
    def test_a_stale_version_is_refused_and_nothing_changes(self, world, customer):
        complaint = receive(world, customer)
        services.start(h.user(world.officer), complaint, version=1)
        with pytest.raises(Conflict) as refused:
            services.escalate(h.user(world.officer), fresh(complaint), "Why", version=1)
        assert "changed by someone else" in refused.value.message
        complaint = fresh(complaint)
        assert (complaint.status, complaint.version) == ("in_progress", 2)

    def test_a_concurrent_change_between_read_and_write_is_a_conflict(self, world, customer):
        complaint = receive(world, customer)
        loaded = fresh(complaint)
        assert loaded.customer.officer_id == world.officer.id  # loaded before the other change
        with db.engine.begin() as other:  # someone else's transaction commits meanwhile
            other.execute(
                sa.text("UPDATE complaints SET version = version + 1, priority = 'urgent'")
            )
        with pytest.raises(Conflict) as refused:
            services.start(h.user(world.officer), loaded)
        assert "changed by someone else" in refused.value.message
        complaint = fresh(complaint)
        assert (complaint.status, complaint.priority, complaint.version) == ("open", "urgent", 2)
        assert actions_audited(complaint.id) == ["create"]


class TestOverdueAndLists:
    TODAY = date(2025, 3, 20)

    def test_overdue_means_still_handled_after_the_due_date(self, world, customer):
        due = self.TODAY - timedelta(days=1)
        late = h.complaint(customer, due_date=due)
        done = h.complaint(customer, due_date=due, status="resolved")
        today = h.complaint(customer, due_date=self.TODAY, status="escalated")
        assert services.is_overdue(late, self.TODAY) is True
        assert services.is_overdue(done, self.TODAY) is False
        assert services.is_overdue(today, self.TODAY) is False
        stmt = sa.select(Complaint.id).where(services.overdue_condition(self.TODAY))
        assert list(db.session.scalars(stmt)) == [late.id]
        officer = h.user(world.officer)
        overdue = services.filtered_query(officer, {"overdue": True}, self.TODAY)
        assert [c.id for c in db.session.scalars(overdue)] == [late.id]
        on_time = services.filtered_query(officer, {"overdue": False}, self.TODAY)
        assert {c.id for c in db.session.scalars(on_time)} == {done.id, today.id}

    def test_open_counts_per_scope(self, world, customer):
        day = self.TODAY
        h.complaint(customer, due_date=day - timedelta(days=3))
        h.complaint(customer, due_date=day - timedelta(days=1), status="escalated")
        h.complaint(customer, due_date=day + timedelta(days=3), status="in_progress")
        h.complaint(customer, due_date=day - timedelta(days=9), status="closed")
        h.complaint(make_customer(world.colleague), due_date=day - timedelta(days=1))
        h.complaint(make_customer(world.remote), status="escalated")
        assert services.open_counts(h.user(world.officer), day) == {
            "open": 3,
            "overdue": 2,
            "escalated": 1,
        }
        assert services.open_counts(h.user(world.supervisor), day) == {
            "open": 4,
            "overdue": 3,
            "escalated": 1,
        }
        assert services.open_counts(h.user(world.admin), day)["escalated"] == 2
        assert services.open_counts(h.user(world.colleague), day) == {
            "open": 1,
            "overdue": 1,
            "escalated": 0,
        }
        by_officer = services.open_counts_by_officer(h.user(world.supervisor), day)
        assert by_officer == {
            world.officer.id: {"open": 3, "overdue": 2, "escalated": 1},
            world.colleague.id: {"open": 1, "overdue": 1, "escalated": 0},
        }

    def test_supervisors_see_escalations_first_then_due_date_finished_last(self, world, customer):
        day = self.TODAY
        closed = h.complaint(customer, due_date=day - timedelta(days=20), status="closed")
        soon = h.complaint(customer, due_date=day + timedelta(days=1))
        late = h.complaint(customer, due_date=day - timedelta(days=2), status="in_progress")
        up = h.complaint(customer, due_date=day + timedelta(days=9), status="escalated")

        def order(user, filters=None):
            stmt = services.filtered_query(h.user(user), filters or {}, day)
            return [c.id for c in db.session.scalars(stmt)]

        assert order(world.supervisor) == [up.id, late.id, soon.id, closed.id]
        assert order(world.officer) == [late.id, soon.id, up.id, closed.id]
        assert order(world.officer, {"sort": "-received_at"})[-1] == closed.id
        assert order(world.officer, {"status": "active"}) == [late.id, soon.id, up.id]
        assert order(world.officer, {"status": "closed"}) == [closed.id]

    def test_filters(self, world, customer):
        fac = visit_helpers.facility(customer)
        billing = h.complaint(customer, category="billing", priority="urgent", facility_id=fac.id)
        other = make_customer(world.colleague)
        data = h.complaint(other, category="data")
        supervisor = h.user(world.supervisor)

        def ids(filters):
            return {c.id for c in db.session.scalars(services.filtered_query(supervisor, filters))}

        assert ids({"category": "billing"}) == {billing.id}
        assert ids({"priority": "urgent"}) == {billing.id}
        assert ids({"officer": world.colleague.id}) == {data.id}
        assert ids({"customer": other.id}) == {data.id}
        assert ids({"facility": fac.id}) == {billing.id}
        assert ids({}) == {billing.id, data.id}
