"""The demo bank shows the feature: answered surveys with Indonesian comments, one low score with
its follow-up (on the supervisor's team agenda), one still waiting."""

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.surveys.models import Survey


def test_the_demo_has_answered_surveys_and_one_low_score(client, auth, demo_bank):
    surveys = list(db.session.scalars(sa.select(Survey)))
    answered = [s for s in surveys if s.score is not None]
    assert len(answered) >= 10 and any(s.score is None for s in surveys)
    assert any(s.comment and "terima kasih" in s.comment for s in answered)
    [low] = [s for s in answered if s.score <= 2]
    followup = db.session.get(FollowUp, low.low_score_follow_up_id)
    assert followup.status == "planned" and followup.owner_id == low.officer_id
    assert "Seeded:" in demo_bank.output or demo_bank.output
    auth.login("spv.jkt", demo_bank.password)
    html = client.get("/agenda/team").get_data(as_text=True)
    assert f'data-survey="{low.id}"' in html
    dashboard = client.get("/dashboard/team").get_data(as_text=True)
    assert 'id="satisfaction"' in dashboard
