"""The customer's survey page: no login, no script, the bank's name and nothing of the customer;
its token is single-use, expires, and a wrong one is refused; rate-limited per address."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.extensions import db, limiter
from aoapp.surveys import services
from aoapp.surveys.models import Survey
from tests.support import factories
from tests.support import surveys as h

SENT = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


@pytest.fixture
def customer(world):
    return factories.make_customer(
        world.officer, name="PT Rahasia Sejahtera", cif="CIF7788990", phone="6281299887766"
    )


@pytest.fixture
def link(world, customer):
    survey, plain = h.sent(world.officer, customer, "visit")
    return survey, f"/s/{plain}", plain


def page(response) -> str:
    return response.get_data(as_text=True)


class TestThePage:
    def test_shows_the_question_in_indonesian_with_the_banks_name_only(
        self, app, client, world, customer, link
    ):
        _survey, url, _plain = link
        response = client.get(url)
        html = page(response)
        assert response.status_code == 200
        assert app.config["BANK_NAME"] in html
        assert 'lang="id"' in html and "Seberapa puas Bapak/Ibu" in html
        officer = world.officer
        for secret in (
            customer.name, customer.cif, customer.phone, "0812-9988-7766", customer.nik,
            officer.full_name, officer.username,
        ):  # fmt: skip
            assert secret and secret not in html, secret
        assert "<script" not in html
        assert re.search(r'<form method="post" action="/s/[^"]+\?lang=id">', html)
        assert html.count('type="radio" id="score-') == 5
        assert html.count('name="recommend"') == 11

    def test_headers_keep_it_off_caches_and_search_engines_and_no_session_is_made(
        self, client, link
    ):
        response = client.get(link[1])
        assert response.headers["Cache-Control"] == "no-store"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert "Set-Cookie" not in response.headers

    def test_english_on_request(self, client, link):
        html = page(client.get(link[1] + "?lang=en"))
        assert "How satisfied are you with our service?" in html and 'lang="en"' in html

    def test_only_the_hash_of_the_token_is_stored(self, link):
        survey, _url, plain = link
        assert survey.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        stored = db.session.execute(sa.select(Survey.__table__)).mappings().one()
        assert plain not in {str(v) for v in stored.values()}
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "survey"))
        assert entry.action == "create" and "token_hash" not in entry.after


class TestAnswering:
    def test_a_plain_form_post_answers_once(self, client, link):
        survey, url, _plain = link
        form = {"score": "4", "recommend": "9", "comment": "  Pelayanan cepat.  "}
        response = client.post(url + "?lang=id", data=form)
        assert response.status_code == 200
        assert "Terima kasih!" in page(response)
        db.session.expire_all()
        survey = db.session.get(Survey, survey.id)
        assert (survey.score, survey.recommend, survey.comment) == (4, 9, "Pelayanan cepat.")
        assert survey.answered_at is not None and survey.low_score_follow_up_id is None

    def test_a_replayed_answer_is_refused_and_changes_nothing(self, client, link):
        survey, url, _plain = link
        assert client.post(url, data={"score": "5"}).status_code == 200
        replay = client.post(url, data={"score": "1", "comment": "ganti"})
        assert replay.status_code == 410
        assert "Survei ini sudah dijawab" in page(replay)
        assert client.get(url).status_code == 410
        db.session.expire_all()
        assert db.session.get(Survey, survey.id).score == 5

    def test_optional_parts_may_stay_blank(self, client, link):
        survey, url, _plain = link
        response = client.post(url, data={"score": "3", "recommend": "", "comment": " "})
        assert response.status_code == 200
        db.session.expire_all()
        stored = db.session.get(Survey, survey.id)
        assert (stored.score, stored.recommend, stored.comment) == (3, None, None)

    @pytest.mark.parametrize(
        "form, field",
        [
            ({}, "score"),
            ({"score": "0"}, "score"),
            ({"score": "6"}, "score"),
            ({"score": "lima"}, "score"),
            ({"score": "4", "recommend": "11"}, "recommend"),
            ({"score": "4", "comment": "x" * 1001}, "comment"),
        ],
    )
    def test_a_wrong_answer_shows_the_form_again_and_stores_nothing(
        self, client, link, form, field
    ):
        survey, url, _plain = link
        response = client.post(url, data=form)
        assert response.status_code == 422
        assert 'role="alert"' in page(response) and "<form" in page(response)
        db.session.expire_all()
        assert db.session.get(Survey, survey.id).answered_at is None

    def test_the_answer_is_audited_without_the_comment(self, client, link):
        survey, url, _plain = link
        client.post(url, data={"score": "4", "comment": "Nomor HP saya 0812"})
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "survey", AuditEntry.action == "answer"
            )
        )
        assert entry.actor_id is None
        assert entry.after["score"] == 4 and entry.after["commented"] is True
        assert "0812" not in str(entry.after)


class TestTokens:
    @pytest.mark.parametrize(
        "token",
        ["A" * 43, "short", "A" * 44, "%2E%2E", "../../etc"],
    )
    def test_a_wrong_token_is_404(self, client, link, token):
        response = client.get(f"/s/{token}")
        assert response.status_code == 404
        assert client.post(f"/s/{token}", data={"score": "5"}).status_code == 404

    def test_a_wrong_token_never_answers_another_survey(self, client, link):
        survey, _url, plain = link
        other = plain[:-1] + ("A" if plain[-1] != "A" else "B")
        assert client.post(f"/s/{other}", data={"score": "1"}).status_code == 404
        db.session.expire_all()
        assert db.session.get(Survey, survey.id).answered_at is None

    def test_an_expired_survey_is_410_and_takes_no_answer(self, client, world, customer):
        survey, plain = h.sent(world.officer, customer, now=SENT)
        assert survey.expires_at == SENT + timedelta(days=14)
        assert services.answer(plain, {"score": 5}, now=survey.expires_at) == services.EXPIRED
        survey, plain = h.sent(
            world.officer, customer, now=utcnow() - timedelta(days=14, seconds=1)
        )
        response = client.get(f"/s/{plain}")
        assert response.status_code == 410
        assert "Survei ini sudah ditutup" in page(response)
        assert client.post(f"/s/{plain}", data={"score": "5"}).status_code == 410
        db.session.expire_all()
        assert db.session.get(Survey, survey.id).answered_at is None

    def test_the_last_moment_before_expiry_still_answers(self, world, customer):
        survey, plain = h.sent(world.officer, customer, now=SENT)
        moment = survey.expires_at - timedelta(seconds=1)
        assert services.answer(plain, {"score": 5}, now=moment) == services.RECORDED

    def test_the_ttl_is_a_setting(self, app, world, customer):
        app.config["SURVEY_TTL_DAYS"] = 3
        survey, _plain = h.sent(world.officer, customer, now=SENT)
        assert survey.expires_at == SENT + timedelta(days=3)


class TestRateLimit:
    @pytest.fixture
    def limited(self, app):
        app.config["SURVEY_RATE_LIMIT"] = "3 per minute"
        limiter.reset()
        limiter.enabled = True
        yield
        limiter.enabled = False
        limiter.reset()

    def test_the_fourth_request_from_one_address_in_a_minute_is_429(
        self, app, client, link, limited
    ):
        url = link[1]
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        assert client.post(url, data={"score": "9"}).status_code == 422
        assert client.get(url).status_code == 429
        assert client.post("/s/" + "A" * 43, data={"score": "5"}).status_code == 429
        other = app.test_client()
        assert other.get(url, environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 200
