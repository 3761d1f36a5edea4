"""A low score plans one follow-up for the customer's officer on the next working day and puts a
line on the supervisor's team agenda until that follow-up is done; two answers sent at once:
exactly one is taken."""

import threading

import pytest
import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.common.workdays import add_working_days
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.surveys import services
from aoapp.surveys.models import Survey
from tests.support import factories
from tests.support import surveys as h


@pytest.fixture
def customer(world):
    return factories.make_customer(world.officer, name="UD Sumber Rejeki")


def followups() -> list[FollowUp]:
    return list(db.session.scalars(sa.select(FollowUp)))


class TestLowScore:
    @pytest.mark.today("2026-11-27")  # a Friday: the next working day is Monday 30 November
    def test_a_score_of_2_plans_one_call_the_next_working_day(self, client, world, customer):
        _survey, plain = h.sent(world.officer, customer, "complaint_resolved")
        response = client.post(f"/s/{plain}", data={"score": "2", "comment": "Lama sekali."})
        assert response.status_code == 200
        [followup] = followups()
        assert (followup.owner_id, followup.customer_id) == (world.officer.id, customer.id)
        assert (followup.channel, followup.purpose, followup.status) == (
            "call", "complaint", "planned",
        )  # fmt: skip
        assert followup.planned_date == add_working_days(bank_today(), 1)
        assert str(followup.planned_date) == "2026-11-30"
        assert followup.system_note.startswith("Satisfaction survey (complaint resolved)")
        assert "scored 2 of 5" in followup.system_note
        survey = db.session.scalar(sa.select(Survey))
        assert survey.low_score_follow_up_id == followup.id
        assert client.post(f"/s/{plain}", data={"score": "1"}).status_code == 410
        assert len(followups()) == 1

    def test_the_note_is_in_the_readers_language(self, client, auth, world, customer):
        h.answered(world.officer, customer, 1)
        followup = followups()[0]
        assert followup.purpose == "relationship"
        auth.login("ao.budi")
        client.post("/language", data={"locale": "id", "csrf_token": auth.csrf_token()})
        html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
        assert "Survei kepuasan (kunjungan): nasabah memberi skor 1 dari 5." in html

    @pytest.mark.parametrize("score", [3, 4, 5])
    def test_other_scores_plan_nothing(self, world, customer, score):
        h.answered(world.officer, customer, score)
        assert followups() == []

    def test_the_threshold_is_a_setting(self, app, world, customer):
        app.config["SURVEY_LOW_SCORE"] = 3
        h.answered(world.officer, customer, 3)
        assert len(followups()) == 1


class TestTeamAgenda:
    def test_lists_the_branchs_low_scores_until_their_follow_up_is_done(
        self, client, auth, world, customer
    ):
        low = h.answered(world.officer, customer, 1, comment="Petugas tidak datang.")
        h.answered(world.officer, customer, 5)
        remote = h.answered(world.remote, factories.make_customer(world.remote), 1)
        auth.login("spv.jkt")
        html = client.get("/agenda/team").get_data(as_text=True)
        assert f'data-survey="{low.id}"' in html and "Petugas tidak datang." in html
        assert f'data-survey="{remote.id}"' not in html
        assert html.count("data-survey=") == 1
        followup = db.session.get(FollowUp, low.low_score_follow_up_id)
        followup.status, followup.outcome = "done", "reached"
        followup.done_at = followup.created_at
        db.session.commit()
        html = client.get("/agenda/team").get_data(as_text=True)
        assert "data-survey=" not in html
        assert "No low scores waiting for a follow-up." in html


class TestConcurrentAnswers:
    ANSWERS = 6

    def test_of_answers_sent_at_once_exactly_one_is_taken(self, app, world, customer):
        _survey, plain = h.sent(world.officer, customer)
        barrier = threading.Barrier(self.ANSWERS, timeout=10)
        results: list[str] = []

        def answer(score):
            with app.app_context():  # its own session and connection, as another request's
                try:
                    barrier.wait()
                    results.append(services.answer(plain, {"score": score}))
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=answer, args=(1 + i % 2,)) for i in range(self.ANSWERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results) == ["answered"] * (self.ANSWERS - 1) + ["recorded"]
        db.session.expire_all()
        survey = db.session.scalar(sa.select(Survey))
        assert survey.score in (1, 2)
        assert len(followups()) == 1 and survey.low_score_follow_up_id == followups()[0].id
