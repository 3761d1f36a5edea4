"""The demo's follow-ups, promises and complaints: real states from the demo positions, a full
agenda on first start, nothing created twice."""

import sqlalchemy as sa

from aoapp.agenda.services import agenda_for
from aoapp.agenda.team import team_agenda
from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.common.identity import normalize_phone
from aoapp.complaints.models import Complaint
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import deadline_for, state_column, state_of


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (FollowUp, PromiseToPay, Complaint)
    )


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


class TestDemoFollowUps:
    def test_promises_kept_broken_and_pending_by_the_real_positions(self, demo_bank):
        promises = db.session.scalars(sa.select(PromiseToPay)).all()
        states = [state_of(p) for p in promises]
        assert {"kept", "broken", "pending"} <= set(states)
        in_sql = dict(db.session.execute(sa.select(PromiseToPay.id, state_column())).all())
        assert {p.id: str(s) for p, s in zip(promises, states, strict=True)} == in_sql
        for promise in promises:
            assert promise.deadline == deadline_for(promise.promised_date)
            assert promise.promised_on <= promise.promised_date
            assert promise.follow_up.outcome == "promised_to_pay"
            assert promise.follow_up.facility_id == promise.facility_id
            assert promise.customer_id == promise.facility.customer_id

    def test_the_agenda_is_full_on_first_start(self, demo_bank):
        for username in ("ao.budi", "ao.sari", "ao.dewi"):
            agenda = agenda_for(user(username))
            assert agenda.overdue and agenda.today_items and agenda.next_7_days, username
            for item in agenda.today_items + agenda.overdue + agenda.next_7_days:
                assert item.phone and normalize_phone(item.phone) == item.phone
        sari = agenda_for(user("ao.sari"))
        everything = sari.overdue + sari.today_items + sari.next_7_days
        collection = [i for i in everything if i.purpose == "collection"]
        assert collection and any(i.escalated for i in collection)
        assert any(i.suggested for i in collection)
        assert any(i.promise and i.promise.state == "pending" for i in collection)
        assert any(i.kind == "complaint" and i.overdue for i in sari.overdue)

    def test_history_complaints_and_the_supervisors_view(self, demo_bank):
        done = db.session.scalars(sa.select(FollowUp).where(FollowUp.status == "done")).all()
        assert len({f.outcome for f in done}) >= 5
        assert {f.channel for f in done} >= {"call", "whatsapp", "visit"}
        assert all(f.done_at is not None and f.planned_date <= bank_today() for f in done)
        assert db.session.scalar(
            sa.select(sa.func.count()).where(FollowUp.prospect_id.is_not(None))
        )
        statuses = set(db.session.scalars(sa.select(Complaint.status)))
        assert statuses == {"open", "in_progress", "escalated", "resolved", "closed"}
        team = team_agenda(user("spv.jkt"))
        assert team.escalated_complaints and team.overdue_complaints and team.broken_promises
        assert team.escalated_followups
        assert {row.officer.username for row in team.rows} == {"ao.budi", "ao.sari"}

    def test_running_twice_creates_nothing_new(self, runner, demo_bank):
        first = counts()
        assert all(first)
        second = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
        assert second.exit_code == 0, second.output
        assert counts() == first
        assert "follow-ups: 0 created" in second.stderr
        assert "promises to pay: 0 created" in second.stderr
        assert "complaints: 0 created" in second.stderr
