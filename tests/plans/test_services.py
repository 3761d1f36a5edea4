"""Saving a plan (create, replace, validate, lock versions), its review on the officer's agenda
(planned, moved, completed, replanned), comments and audit."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.agenda.services import agenda_for
from aoapp.audit.models import AuditEntry
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.followups import services as followups
from aoapp.followups.models import FollowUp
from aoapp.plans import services
from aoapp.plans.models import AccountPlan
from aoapp.plans.reviews import months_after
from tests.plans.conftest import TODAY

pytestmark = pytest.mark.today(TODAY.isoformat())


def _followups(customer_id):
    db.session.expire_all()
    stmt = sa.select(FollowUp).where(FollowUp.customer_id == customer_id).order_by(FollowUp.id)
    return list(db.session.scalars(stmt))


def _audits(entity, entity_id):
    stmt = sa.select(AuditEntry).where(
        AuditEntry.entity_type == entity, AuditEntry.entity_id == entity_id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


class TestSave:
    def test_creates_the_current_years_plan_with_its_review_a_quarter_later(self, bank):
        plan = bank.save(
            [{"kind": "action", "text": "Tawarkan giro", "due_date": date(2026, 6, 30)}]
        )
        assert (plan.year, plan.starts_on, plan.review_months) == (2026, TODAY, 3)
        assert plan.next_review_date == date(2026, 8, 4)  # a Tuesday: a working day
        [review] = _followups(bank.customer.id)
        assert (review.id, review.purpose, review.status, review.planned_date) == (
            plan.review_follow_up_id,
            "relationship",
            "planned",
            date(2026, 8, 4),
        )
        assert review.owner_id == bank.world.officer.id
        assert "Account plan review 2026" in review.system_note

    def test_a_change_of_goals_alone_moves_the_version_on(self, bank):
        """Someone who opened the plan before another's goals-only change is told, not
        overwriting it."""
        opened = bank.save([{"kind": "action", "text": "A"}]).version
        changed = bank.save([{"kind": "action", "text": "B"}], version=opened)
        assert changed.version > opened
        with pytest.raises(Conflict):
            bank.save([{"kind": "action", "text": "C"}], version=opened)
        assert [g.text for g in db.session.get(AccountPlan, changed.id).goals] == ["B"]

    def test_saving_again_replaces_goals_and_moves_the_one_review(self, bank):
        first = bank.save([{"kind": "action", "text": "A"}, {"kind": "action", "text": "B"}])
        again = bank.save(
            [{"kind": "max_dpd", "dpd": 30}],
            review_months=1,
            next_review_date=date(2026, 5, 20),
        )
        assert again.id == first.id
        assert [(g.kind, g.dpd) for g in again.goals] == [("max_dpd", 30)]
        [review] = _followups(bank.customer.id)  # moved, not a second one
        assert review.planned_date == date(2026, 5, 20)
        assert review.reason_code == "plan.review_moved"
        actions = [a.action for a in _audits("accountplan", first.id)]
        assert actions == ["create", "update"]
        update = _audits("accountplan", first.id)[-1]
        assert [g["text"] for g in update.before["goals"]] == ["A", "B"]
        assert update.after["goals"][0]["kind"] == "max_dpd"
        assert [a.action for a in _audits("followup", review.id)] == ["create", "reschedule"]

    def test_planned_products_are_kept_by_code(self, bank):
        from tests.support.factories import make_product

        make_product("KUR", name="KUR Mikro", subtype="kur")
        plan = bank.save(products=["KUR", "GIRO"])
        assert sorted(p.product.code for p in plan.products) == ["GIRO", "KUR"]

    def test_errors_by_field_and_goal(self, bank):
        with pytest.raises(InvalidInput) as refused:
            bank.save(
                [
                    {"kind": "action", "text": "ok"},
                    {"kind": "holds_product", "product_code": "NOPE", "due_date": date(2027, 1, 5)},
                ],
                products=["ZZZ"],
                next_review_date=date(2026, 5, 1),
            )
        errors = refused.value.errors
        assert set(errors) == {"products", "goals", "next_review_date"}
        assert set(errors["goals"]) == {1}
        assert set(errors["goals"][1]) == {"target", "due_date"}
        assert db.session.scalar(sa.select(sa.func.count(AccountPlan.id))) == 0

    def test_a_save_on_an_older_version_is_refused(self, bank):
        plan = bank.save()
        version = plan.version
        bank.save(next_step="Telepon")
        with pytest.raises(Conflict):
            bank.save(next_step="Kunjungi", version=version)

    def test_only_the_assigned_officer_saves(self, bank, world):
        with pytest.raises(Forbidden):
            bank.save(actor=db.session.merge(world.supervisor))
        with pytest.raises(NotFound):
            bank.save(actor=db.session.merge(world.remote))


class TestReview:
    def test_the_review_is_on_the_officers_agenda(self, bank, world):
        plan = bank.save(next_review_date=date(2026, 5, 6))
        agenda = agenda_for(db.session.merge(world.officer), TODAY)
        [item] = agenda.next_7_days
        assert (item.id, item.purpose, item.party_name) == (
            plan.review_follow_up_id,
            "relationship",
            "Toko Maju",
        )
        assert "Account plan review 2026" in item.notes
        overdue = agenda_for(db.session.merge(world.officer), date(2026, 5, 8))
        assert [i.id for i in overdue.overdue] == [plan.review_follow_up_id]

    def test_logging_the_review_done_plans_the_next_by_the_cadence(self, bank, world):
        plan = bank.save(next_review_date=date(2026, 5, 6))
        first = db.session.get(FollowUp, plan.review_follow_up_id)
        officer = db.session.merge(world.officer)
        followups.complete(officer, first, {"outcome": "reached"}, today=date(2026, 5, 6))
        db.session.expire_all()
        plan = db.session.get(AccountPlan, plan.id)
        assert plan.last_reviewed_on == date(2026, 5, 6)
        assert plan.next_review_date == months_after(date(2026, 5, 6), 3) == date(2026, 8, 6)
        done, following = _followups(bank.customer.id)
        assert (done.status, following.status, following.planned_date) == (
            "done",
            "planned",
            date(2026, 8, 6),
        )
        assert plan.review_follow_up_id == following.id
        assert "review" in [a.action for a in _audits("accountplan", plan.id)]

    def test_the_reviewed_action_completes_the_follow_up(self, bank, world):
        plan = bank.save()
        services.mark_reviewed(
            db.session.merge(world.officer), bank.customer.id, today=date(2026, 6, 1)
        )
        statuses = [(f.status, f.planned_date) for f in _followups(bank.customer.id)]
        assert statuses == [("done", date(2026, 8, 4)), ("planned", date(2026, 9, 1))]
        db.session.expire_all()
        assert db.session.get(AccountPlan, plan.id).next_review_date == date(2026, 9, 1)

    def test_a_cancelled_review_is_replaced_at_the_next_save(self, bank, world):
        plan = bank.save()
        review = db.session.get(FollowUp, plan.review_follow_up_id)
        followups.cancel(db.session.merge(world.officer), review, {"reason": "salah tanggal"})
        again = bank.save(next_step="Telepon")
        planned = [f for f in _followups(bank.customer.id) if f.status == "planned"]
        assert [f.id for f in planned] == [again.review_follow_up_id]

    def test_months_after_keeps_the_day_or_the_months_end(self):
        assert months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
        assert months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)


class TestComments:
    def test_a_supervisor_comments_and_it_is_audited(self, bank, world):
        plan = bank.save()
        comment = services.add_comment(
            db.session.merge(world.supervisor), bank.customer.id, {"text": "Fokus giro payroll"}
        )
        assert comment.plan_id == plan.id
        assert [a.action for a in _audits("accountplancomment", comment.id)] == ["create"]

    def test_officers_read_comments_and_other_branches_see_nothing(self, bank, world):
        bank.save()
        with pytest.raises(Forbidden):
            services.add_comment(db.session.merge(world.officer), bank.customer.id, {"text": "x"})
        with pytest.raises(NotFound):
            services.add_comment(
                db.session.merge(world.bdg_supervisor), bank.customer.id, {"text": "x"}
            )


def test_no_plan_before_the_first_save(bank, world):
    customer, plan = services.get_plan(db.session.merge(world.supervisor), bank.customer.id, TODAY)
    assert (customer.id, plan) == (bank.customer.id, None)
