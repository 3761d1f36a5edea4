"""Idempotency keys on the outcome and visit POSTs: a retry is answered, never done twice."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.credit.models import MonitoringVisit
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.offline.models import IdempotencyKey
from tests.support import followups as h

KEY = "4f1c2a9e-0b7d-4c5e-9a8f-1d2e3f405162"
OTHER_KEY = "9a8f1d2e-3f40-4516-84f1-c2a9e0b7d4c5"


@pytest.fixture
def call(world):
    """A planned collection call of ao.budi about a facility, and its completion URL."""
    _customer, facility = h.debtor(world.officer)
    return h.followup(world.officer, facility=facility)


def complete_url(followup) -> str:
    return f"/api/v1/followups/{followup.id}/complete"


def completions(followup_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.entity_type == "followup",
            AuditEntry.entity_id == followup_id,
            AuditEntry.action == "complete",
        )
    )


def keys() -> list[IdempotencyKey]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(IdempotencyKey).order_by(IdempotencyKey.id)))


class TestTheApi:
    def test_a_retry_with_the_key_gets_the_first_answer_and_logs_once(self, api, world, call):
        client = api(world.officer)
        sent = {"outcome": "reached", "notes": "Sudah ditelepon", "version": call.version}
        first = client.post(complete_url(call), json=sent, headers={"Idempotency-Key": KEY})
        again = client.post(complete_url(call), json=sent, headers={"Idempotency-Key": KEY})

        assert first.status_code == again.status_code == 200
        assert again.json == first.json and first.json["status"] == "done"
        assert again.headers["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first.headers
        assert completions(call.id) == 1
        (stored,) = keys()
        assert (stored.user_id, stored.key, stored.status) == (world.officer.id, KEY, 200)
        assert stored.scope == f"followup-complete:{call.id}"
        assert stored.location == f"/followups/{call.id}"

    def test_without_a_key_a_second_send_is_refused_as_already_done(self, api, world, call):
        client = api(world.officer)
        sent = {"outcome": "reached", "version": call.version}
        assert client.post(complete_url(call), json=sent).status_code == 200
        assert client.post(complete_url(call), json=sent).status_code == 409
        assert keys() == []

    def test_the_same_key_from_another_user_is_another_key(self, api, world, call):
        _customer, facility = h.debtor(world.colleague)
        theirs = h.followup(world.colleague, facility=facility)
        for user, followup in ((world.officer, call), (world.colleague, theirs)):
            response = api(user).post(
                complete_url(followup),
                json={"outcome": "reached"},
                headers={"Idempotency-Key": KEY},
            )
            assert response.status_code == 200
            assert "Idempotent-Replayed" not in response.headers
        assert completions(call.id) == completions(theirs.id) == 1
        assert {k.user_id for k in keys()} == {world.officer.id, world.colleague.id}

    def test_a_key_used_for_another_record_is_refused(self, api, world, call):
        second = h.followup(world.officer, facility=call.facility)
        client = api(world.officer)
        headers = {"Idempotency-Key": KEY}
        assert (
            client.post(
                complete_url(call), json={"outcome": "reached"}, headers=headers
            ).status_code
            == 200
        )
        response = client.post(complete_url(second), json={"outcome": "reached"}, headers=headers)
        assert response.status_code == 422
        assert response.json["errors"]["idempotency_key"] == [
            "This idempotency key was already used for another request."
        ]
        assert db.session.get(FollowUp, second.id).status == "planned"

    @pytest.mark.parametrize("key", ["short", "with spaces in it", "x" * 65, "ünïcode-key"])
    def test_a_malformed_key_is_refused(self, api, world, call, key):
        response = api(world.officer).post(
            complete_url(call), json={"outcome": "reached"}, headers={"Idempotency-Key": key}
        )
        assert response.status_code == 422
        assert "idempotency_key" in response.json["errors"]
        assert db.session.get(FollowUp, call.id).status == "planned"

    def test_a_refusal_keeps_no_key_and_the_corrected_request_goes_through(self, api, world, call):
        client = api(world.officer)
        headers = {"Idempotency-Key": KEY}
        stale = client.post(
            complete_url(call), json={"outcome": "reached", "version": 7}, headers=headers
        )
        assert stale.status_code == 409 and stale.json["error"] == "conflict"
        wrong = client.post(complete_url(call), json={"outcome": "nonsense"}, headers=headers)
        assert wrong.status_code == 422
        assert keys() == []
        fixed = client.post(
            complete_url(call), json={"outcome": "reached", "version": 1}, headers=headers
        )
        assert fixed.status_code == 200 and "Idempotent-Replayed" not in fixed.headers
        assert completions(call.id) == 1

    def test_a_visit_sent_twice_is_recorded_once(self, api, world):
        customer, _facility = h.debtor(world.officer)
        client = api(world.officer)
        sent = {"customer": customer.id, "risk_rating": "adequate", "findings": "Toko ramai"}
        first = client.post(
            "/api/v1/monitoring-visits", json=sent, headers={"Idempotency-Key": KEY}
        )
        again = client.post(
            "/api/v1/monitoring-visits", json=sent, headers={"Idempotency-Key": KEY}
        )
        assert first.status_code == again.status_code == 201
        assert again.json == first.json
        count = sa.select(sa.func.count()).select_from(MonitoringVisit)
        assert db.session.scalar(count) == 1
        assert keys()[0].location == f"/visits/{first.json['id']}"

    def test_keys_older_than_the_setting_are_forgotten_on_the_next_write(self, app, api, world):
        old = IdempotencyKey(
            user_id=world.officer.id,
            key=OTHER_KEY,
            scope="visit-record",
            status=201,
            created_at=utcnow() - timedelta(days=8),
        )
        recent = IdempotencyKey(
            user_id=world.colleague.id,  # another user's keys wait for their own next write
            key=OTHER_KEY,
            scope="visit-record",
            status=201,
            created_at=utcnow() - timedelta(days=8),
        )
        db.session.add_all([old, recent])
        db.session.commit()
        customer, _facility = h.debtor(world.officer)
        api(world.officer).post(
            "/api/v1/monitoring-visits",
            json={"customer": customer.id, "risk_rating": "strong"},
            headers={"Idempotency-Key": KEY},
        )
        assert [(k.user_id, k.key) for k in keys()] == [
            (world.colleague.id, OTHER_KEY),
            (world.officer.id, KEY),
        ]


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class TestTheForms:
    def test_a_form_sent_twice_logs_once_and_the_queue_then_finds_it(
        self, client, auth, api, world, call
    ):
        auth.login("ao.budi")
        url = f"/followups/{call.id}/complete?next=/agenda/"
        form = {"outcome": "reached", "version": "1", "idempotency_key": KEY}
        first = auth.post(url, form)
        again = auth.post(url, form)
        assert first.status_code == again.status_code == 302
        assert first.headers["Location"] == again.headers["Location"] == "/agenda/"
        assert "already saved" in client.get("/agenda/").get_data(as_text=True)
        assert completions(call.id) == 1
        # The queue, unsure whether the form arrived, sends the same key to the API.
        queued = api(world.officer).post(
            complete_url(call), json={"outcome": "reached"}, headers={"Idempotency-Key": KEY}
        )
        assert queued.status_code == 200 and queued.json == {"location": "/agenda/"}
        assert queued.headers["Idempotent-Replayed"] == "true"
        assert completions(call.id) == 1

    def test_a_promise_logged_with_a_key_is_told_as_without_one(self, client, auth, call):
        auth.login("ao.budi")
        promised = h.days(5).isoformat()
        form = {
            "outcome": "promised_to_pay",
            "promised_amount": "750,000",
            "promised_date": promised,
            "idempotency_key": KEY,
        }
        response = auth.post(f"/followups/{call.id}/complete", form, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert "Outcome logged: promised to pay." in page
        assert "Promise recorded; kept if paid by" in page  # read back after the work

    def test_a_refused_form_keeps_no_key(self, client, auth, world, call):
        auth.login("ao.budi")
        url = f"/followups/{call.id}/complete"
        refused = auth.post(url, {"outcome": "", "version": "1", "idempotency_key": KEY})
        assert refused.status_code == 422
        assert keys() == []
        assert auth.post(url, {"outcome": "reached", "idempotency_key": KEY}).status_code == 302


class TestThePagesOwnScript:
    """The queue sends with the session cookie, the page's CSRF token and X-Requested-With, to
    the endpoints that take it; amounts as the officer typed them (X-Typed-Input)."""

    def _headers(self, auth, **more) -> dict:
        return {
            "X-Requested-With": "XMLHttpRequest",
            "X-CSRFToken": auth.csrf_token(),
            "Idempotency-Key": KEY,
            **more,
        }

    def test_the_queue_logs_a_promise_typed_as_the_officer_typed_it(self, client, auth, call):
        auth.login("ao.budi")
        promised = (h.today() + timedelta(days=5)).isoformat()
        response = client.post(
            complete_url(call),
            json={
                "outcome": "promised_to_pay",
                "promised_amount": "Rp 750,000",
                "promised_date": promised,
                "version": "1",
                "confirm_amount": "y",
            },
            headers=self._headers(auth, **{"X-Typed-Input": "true"}),
        )
        assert response.status_code == 200, response.json
        promise = db.session.scalar(sa.select(PromiseToPay))
        assert str(promise.promised_amount) == "750000.00"

    def test_without_the_typed_header_the_api_reads_amounts_strictly(self, client, auth, call):
        auth.login("ao.budi")
        response = client.post(
            complete_url(call),
            json={"outcome": "promised_to_pay", "promised_amount": "Rp 750,000"},
            headers=self._headers(auth),
        )
        assert response.status_code == 422
        assert "promised_amount" in response.json["errors"]

    def test_no_session_write_without_the_csrf_token_or_to_other_endpoints(
        self, client, auth, world, call
    ):
        auth.login("ao.budi")
        headers = self._headers(auth)
        no_token = {k: v for k, v in headers.items() if k != "X-CSRFToken"}
        response = client.post(complete_url(call), json={"outcome": "reached"}, headers=no_token)
        assert response.status_code == 401
        cross_site = {**headers, "Sec-Fetch-Site": "cross-site"}
        response = client.post(complete_url(call), json={"outcome": "reached"}, headers=cross_site)
        assert response.status_code == 401
        plan = {"customer": call.customer_id, "channel": "call", "purpose": "collection"}
        response = client.post("/api/v1/followups", json=plan, headers=headers)
        assert response.status_code == 401  # planning is not one of the queue's sends
        assert db.session.get(FollowUp, call.id).status == "planned"
