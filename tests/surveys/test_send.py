"""Sending a survey: the API's answer {id, url, expires_at} (201), its scoping (404 out of scope,
403 for someone else than the customer's officer, 422 for a wrong reason), the pages' buttons
and the WhatsApp link with its Indonesian message."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.extensions import db
from aoapp.surveys.models import Survey
from tests.support import complaints as complaint_helpers
from tests.support import credit_visits as credit
from tests.support import factories
from tests.support import followups as followup_helpers
from tests.support import renewals as renewal_helpers

URL = "/api/v1/surveys"


@pytest.fixture
def customer(world):
    return factories.make_customer(world.officer, name="CV Maju Bersama", phone="6281234567890")


class TestApi:
    def test_201_with_the_public_url_and_its_expiry(self, app, api, world, customer):
        response = api(world.officer).post(URL, json={"customer": customer.id, "reason": "visit"})
        assert response.status_code == 201
        body = response.json
        assert set(body) == {"id", "url", "expires_at"}
        assert re.fullmatch(r"http://localhost/s/[A-Za-z0-9_-]{43}", body["url"])
        survey = db.session.get(Survey, body["id"])
        assert (survey.customer_id, survey.officer_id, survey.branch_id) == (
            customer.id, world.officer.id, world.jkt.id,
        )  # fmt: skip
        expires = datetime.fromisoformat(body["expires_at"])
        assert expires - survey.created_at == timedelta(days=14)
        assert api(world.officer).get(urlsplit(body["url"]).path).status_code == 200

    def test_each_survey_has_its_own_token(self, api, world, customer):
        client = api(world.officer)
        urls = {client.post(URL, json={"customer": customer.id, "reason": "renewal"}).json["url"]
                for _ in range(3)}  # fmt: skip
        assert len(urls) == 3

    def test_a_customer_out_of_scope_is_404(self, api, world):
        remote = factories.make_customer(world.remote)
        colleagues = factories.make_customer(world.colleague)
        client = api(world.officer)
        for other in (remote, colleagues):
            response = client.post(URL, json={"customer": other.id, "reason": "visit"})
            assert response.status_code == 404
        assert client.post(URL, json={"customer": 999999, "reason": "visit"}).status_code == 404
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 0

    @pytest.mark.parametrize("reason", ["complaint", "", None, "VISIT", "closing"])
    def test_a_reason_not_in_the_list_is_422(self, api, world, customer, reason):
        response = api(world.officer).post(URL, json={"customer": customer.id, "reason": reason})
        assert response.status_code == 422
        assert "reason" in str(response.json["errors"])

    def test_only_the_customers_officer_sends_one(self, api, world, customer):
        for user in (world.supervisor, world.admin):
            response = api(user).post(URL, json={"customer": customer.id, "reason": "visit"})
            assert response.status_code == 403

    def test_the_complaint_it_follows_must_be_the_customers_and_resolved(
        self, api, world, customer
    ):
        open_one = complaint_helpers.complaint(customer)
        resolved = complaint_helpers.complaint(customer, status="resolved")
        others = complaint_helpers.complaint(
            factories.make_customer(world.officer), status="resolved"
        )
        client = api(world.officer)

        def send(complaint):
            body = {
                "customer": customer.id,
                "reason": "complaint_resolved",
                "complaint": complaint.id,
            }
            return client.post(URL, json=body)

        assert send(open_one).status_code == 422
        assert send(others).status_code == 422
        response = send(resolved)
        assert response.status_code == 201
        assert db.session.get(Survey, response.json["id"]).complaint_id == resolved.id

    def test_the_renewal_it_follows_must_be_the_customers_with_an_outcome(
        self, api, world, customer
    ):
        working = renewal_helpers.opportunity(credit.facility(customer), world.officer)
        settled = renewal_helpers.opportunity(
            credit.facility(customer), world.officer, stage="closed"
        )
        another = factories.make_customer(world.officer)
        others = renewal_helpers.opportunity(credit.facility(another), world.officer, "closed")
        client = api(world.officer)

        def send(renewal_id):
            body = {"customer": customer.id, "reason": "renewal", "renewal": renewal_id}
            return client.post(URL, json=body)

        for refused in (working.id, others.id, 999_999):
            response = send(refused)
            assert response.status_code == 422 and "renewal" in response.json["errors"]
        response = send(settled.id)
        assert response.status_code == 201
        assert db.session.get(Survey, response.json["id"]).renewal_id == settled.id

    def test_the_sending_is_audited(self, api, world, customer):
        body = api(world.officer).post(URL, json={"customer": customer.id, "reason": "visit"}).json
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "survey"))
        assert (entry.entity_id, entry.action, entry.actor_id) == (
            body["id"], "create", world.officer.id,
        )  # fmt: skip


class TestPages:
    def test_the_customer_page_sends_one_and_opens_whatsapp(self, app, client, auth, customer):
        auth.login("ao.budi")
        html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="send-survey"' in html and "Send satisfaction survey" in html
        response = auth.post(f"/customers/{customer.id}/surveys", data={"reason": "visit"})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        link = (
            re.search(r'id="survey-whatsapp" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        )
        assert link.startswith("https://wa.me/6281234567890?text=")
        text = unquote(parse_qs(urlsplit(link).query)["text"][0])
        url = re.search(r'id="survey-url" type="text" readonly value="([^"]+)"', html).group(1)
        assert url in text and app.config["BANK_NAME"] in text
        assert "survei singkat" in text and "kunjungan kami" in text
        assert customer.name not in text
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'data-state="waiting"' in page and url not in page  # the URL is shown once

    def test_others_see_no_button(self, client, auth, customer):
        auth.login("spv.jkt")
        html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="surveys"' in html and 'id="send-survey"' not in html
        assert (
            auth.post(f"/customers/{customer.id}/surveys", data={"reason": "visit"}).status_code
            == 403
        )

    def test_a_wrong_reason_sends_nothing(self, client, auth, customer):
        auth.login("ao.budi")
        response = auth.post(
            f"/customers/{customer.id}/surveys", data={"reason": "lunch"}, follow_redirects=True
        )
        assert response.status_code == 200 and "Must be one of" in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Survey)) == 0

    def test_a_resolved_complaint_offers_the_survey(self, client, auth, customer):
        complaint = complaint_helpers.complaint(customer, status="resolved")
        auth.login("ao.budi")
        html = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
        assert 'id="survey-after-complaint"' in html
        assert f'name="complaint" value="{complaint.id}"' in html
        still_open = complaint_helpers.complaint(customer)
        html = client.get(f"/complaints/{still_open.id}").get_data(as_text=True)
        assert 'id="survey-after-complaint"' not in html

    def test_a_renewal_with_an_outcome_offers_the_survey(self, client, auth, world, customer):
        settled = renewal_helpers.opportunity(
            credit.facility(customer), world.officer, stage="closed"
        )
        working = renewal_helpers.opportunity(credit.facility(customer), world.officer)
        auth.login("ao.budi")
        html = client.get(f"/renewals/{settled.id}").get_data(as_text=True)
        assert 'id="survey-after-renewal"' in html
        assert f'name="renewal" value="{settled.id}"' in html
        html = client.get(f"/renewals/{working.id}").get_data(as_text=True)
        assert 'id="survey-after-renewal"' not in html
        response = auth.post(
            f"/customers/{customer.id}/surveys", data={"reason": "renewal", "renewal": settled.id}
        )
        assert response.status_code == 200
        assert db.session.scalar(sa.select(Survey.renewal_id)) == settled.id

    def test_a_visit_done_offers_the_survey(self, client, auth, world, customer):
        visit = followup_helpers.followup(
            world.officer, customer=customer, channel="visit", status="done",
            outcome="reached", done_at=datetime.now(UTC),
        )  # fmt: skip
        auth.login("ao.budi")
        html = client.get(f"/followups/{visit.id}").get_data(as_text=True)
        assert f'name="follow_up" value="{visit.id}"' in html
        response = auth.post(
            f"/customers/{customer.id}/surveys", data={"reason": "visit", "follow_up": visit.id}
        )
        assert response.status_code == 200
        assert db.session.scalar(sa.select(Survey.follow_up_id)) == visit.id
