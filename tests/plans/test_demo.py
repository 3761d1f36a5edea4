"""The demo bank's account plans: each officer's two largest borrowers, goals in several states,
reviews planned on the agenda, a supervisor's comment; seeding twice adds none."""

import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.plans.models import AccountPlan, AccountPlanComment
from aoapp.plans.progress import progress_of


def test_the_demo_has_plans_in_several_states(runner, demo_bank):
    plans = db.session.scalars(sa.select(AccountPlan)).all()
    assert len(plans) == 6
    assert {p.customer.officer.username for p in plans} == {"ao.budi", "ao.sari", "ao.dewi"}
    states = {g.state for found in progress_of(plans, bank_today()).values() for g in found}
    assert len(states) >= 2 and "met" in states
    reviews = [db.session.get(FollowUp, p.review_follow_up_id) for p in plans]
    assert {r.status for r in reviews} == {"planned"}
    assert db.session.scalar(sa.select(sa.func.count(AccountPlanComment.id))) == 2
    again = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
    assert "account plans: 0 created, 6 already present" in again.stderr
    assert db.session.scalar(sa.select(sa.func.count(AccountPlan.id))) == 6
