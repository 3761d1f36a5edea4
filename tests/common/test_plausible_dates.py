"""Dates that cannot be right are refused in plain words, in forms and the API: a plan further
ahead than FOLLOWUP_HORIZON_DAYS (follow-ups, their reschedule, the next follow-up, a next visit,
a prospect's next follow-up), a past event entered later than BACKDATE_LIMIT_DAYS (a visit, a
complaint's receipt), a visit or a customer's start in the future."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.common.i18n import format_date
from aoapp.complaints.models import Complaint
from aoapp.credit.models import MonitoringVisit
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from tests.support import credit_visits as vh
from tests.support import followups as h
from tests.support.factories import make_customer, make_prospect, nik
from tests.support.i18n import speak_indonesian

FOLLOWUPS = "/api/v1/followups"
VISITS = "/api/v1/monitoring-visits"
COMPLAINTS = "/api/v1/complaints"
ID = {"Accept-Language": "id"}
EN = {"Accept-Language": "en"}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def ahead(app, locale: str = "en", days: int = 366) -> str:
    """The horizon message for a plan made today."""
    with app.test_request_context():
        last = format_date(h.days(days), locale=locale)
    if locale == "id":
        return f"Rencana paling jauh {days} hari ke depan, sampai {last}; periksa tahunnya."
    return f"Plans reach at most {days} days ahead, to {last}; check the year."


def back(app, locale: str = "en") -> str:
    """The back-dating message for a record entered today."""
    with app.test_request_context():
        first = format_date(h.days(-366), locale=locale)
    if locale == "id":
        return f"Catatan paling lama 366 hari ke belakang, sejak {first}; periksa tahunnya."
    return f"Records reach at most 366 days back, to {first}; check the year."


@pytest.fixture
def book(world):
    return h.debtor(world.officer, name="Warung Budi")


class TestFollowUpHorizon:
    def plan(self, customer, day) -> dict:
        return {
            "customer": customer.id,
            "channel": "call",
            "purpose": "relationship",
            "planned_date": day.isoformat(),
        }

    def test_the_api_plans_up_to_the_horizon_and_no_further(self, app, api, world, book):
        client = api(world.officer)
        response = client.post(FOLLOWUPS, json=self.plan(book[0], h.days(367)), headers=EN)
        assert response.status_code == 422
        assert response.json["errors"]["planned_date"] == [ahead(app)]
        response = client.post(FOLLOWUPS, json=self.plan(book[0], h.days(367)), headers=ID)
        assert response.json["errors"]["planned_date"] == [ahead(app, "id")]
        response = client.post(FOLLOWUPS, json=self.plan(book[0], h.days(366)))
        assert response.status_code == 201, response.json

    def test_the_horizon_is_a_setting(self, app, api, world, book):
        app.config["FOLLOWUP_HORIZON_DAYS"] = 30
        response = api(world.officer).post(FOLLOWUPS, json=self.plan(book[0], h.days(31)))
        assert response.json["errors"]["planned_date"] == [ahead(app, days=30)]
        response = api(world.officer).post(FOLLOWUPS, json=self.plan(book[0], h.days(30)))
        assert response.status_code == 201

    def test_the_plan_page_in_both_languages(self, app, client, auth, world, book):
        auth.login("ao.budi")
        data = {
            "facility": "",
            "channel": "call",
            "purpose": "relationship",
            "planned_date": "2207-01-05",  # a mistyped year
            "planned_time": "",
            "notes": "",
        }
        url = f"/followups/new?customer_id={book[0].id}"
        response = auth.post(url, data)
        assert response.status_code == 422
        assert ahead(app) in response.get_data(as_text=True)
        speak_indonesian(auth)
        assert ahead(app, "id") in auth.post(url, data).get_data(as_text=True)
        assert count(FollowUp) == 0

    def test_reschedule_and_the_next_follow_up(self, app, api, world, book):
        row = h.followup(world.officer, customer=book[0])
        client = api(world.officer)
        response = client.post(
            f"{FOLLOWUPS}/{row.id}/reschedule", json={"planned_date": h.days(400).isoformat()}
        )
        assert response.status_code == 422
        assert response.json["errors"]["planned_date"] == [ahead(app)]
        response = client.post(
            f"{FOLLOWUPS}/{row.id}/complete",
            json={"outcome": "reached", "next_date": h.days(400).isoformat()},
            headers=ID,
        )
        assert response.status_code == 422
        assert response.json["errors"]["next_date"] == [ahead(app, "id")]
        assert h.reload(row).status == "planned"


class TestVisits:
    @pytest.fixture
    def customer(self, world):
        customer = make_customer(world.officer)
        vh.facility(customer)
        return customer

    def visit(self, customer, **changes) -> dict:
        data = {
            "customer": customer.id,
            "visit_date": h.days(-2).isoformat(),
            "findings": "Two of five trucks idle",
            "risk_rating": "weak",
        }
        data.update(changes)
        return data

    @pytest.mark.parametrize(
        ("changes", "field", "english", "indonesian"),
        [
            (
                {"visit_date": "days:1"},
                "visit_date",
                "The visit date cannot be in the future.",
                "Tanggal kunjungan tidak boleh di masa depan.",
            ),
            ({"visit_date": "days:-367"}, "visit_date", "back", "back"),
            ({"next_visit_date": "days:367"}, "next_visit_date", "ahead", "ahead"),
        ],
    )
    def test_the_api_in_both_languages(
        self, app, api, world, customer, changes, field, english, indonesian
    ):
        changes = {k: h.days(int(v[5:])).isoformat() for k, v in changes.items()}
        words = {"back": back, "ahead": ahead}
        for headers, expected, locale in ((EN, english, "en"), (ID, indonesian, "id")):
            expected = words[expected](app, locale) if expected in words else expected
            response = api(world.officer).post(
                VISITS, json=self.visit(customer, **changes), headers=headers
            )
            assert response.status_code == 422
            assert response.json["errors"][field] == [expected]
        assert count(MonitoringVisit) == 0

    def test_an_old_visit_can_still_be_corrected(self, api, world, customer):
        old = vh.visit(customer, world.officer, visit_date=h.days(-800), next_visit_date=None)
        response = api(world.officer).patch(f"{VISITS}/{old.id}", json={"findings": "Corrected"})
        assert response.status_code == 200, response.json
        response = api(world.officer).patch(
            f"{VISITS}/{old.id}", json={"visit_date": h.days(-801).isoformat()}
        )
        assert response.status_code == 422

    def test_the_form_in_indonesian(self, app, client, auth, world, customer):
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = {
            "facility": "",
            "visit_date": "2015-12-01",  # 2025 mistyped
            "business_condition": "",
            "collateral_condition": "",
            "collateral_value": "",
            "findings": "Usaha berjalan",
            "risk_rating": "adequate",
            "recommendations": "",
            "next_visit_date": "",
        }
        response = auth.post(f"/visits/new?customer={customer.id}", data)
        assert response.status_code == 422
        assert back(app, "id") in response.get_data(as_text=True)


class TestComplaints:
    def test_received_more_than_the_limit_ago_or_in_the_future(self, app, api, world, book):
        data = {
            "customer": book[0].id,
            "channel": "email",
            "category": "billing",
            "description": "Charged twice",
        }
        client = api(world.officer)
        long_ago = (datetime.now(UTC) - timedelta(days=400)).isoformat()
        response = client.post(COMPLAINTS, json={**data, "received_at": long_ago}, headers=EN)
        assert response.status_code == 422
        assert response.json["errors"]["received_at"] == [back(app)]
        response = client.post(COMPLAINTS, json={**data, "received_at": long_ago}, headers=ID)
        assert response.json["errors"]["received_at"] == [back(app, "id")]
        soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        response = client.post(COMPLAINTS, json={**data, "received_at": soon}, headers=EN)
        assert response.json["errors"]["received_at"] == [
            "The time received cannot be in the future."
        ]
        assert count(Complaint) == 0

    def test_the_form_in_indonesian(self, app, client, auth, world, book):
        auth.login("ao.budi")
        speak_indonesian(auth)
        data = {
            "facility": "",
            "channel": "whatsapp",
            "category": "billing",
            "priority": "normal",
            "description": "Denda keterlambatan padahal sudah bayar",
            "received_at": "2015-01-05T09:00",
            "due_date": "",
        }
        response = auth.post(f"/complaints/new?customer_id={book[0].id}", data)
        assert response.status_code == 422
        assert back(app, "id") in response.get_data(as_text=True)
        assert count(Complaint) == 0


class TestProspects:
    def test_a_next_follow_up_beyond_the_horizon(self, app, api, world):
        prospect = make_prospect(world.officer, nik=nik(21))
        response = api(world.officer).patch(
            f"/api/v1/prospects/{prospect.id}",
            json={"next_follow_up_date": h.days(367).isoformat()},
            headers=ID,
        )
        assert response.status_code == 422
        assert response.json["errors"]["next_follow_up_date"] == [ahead(app, "id")]

    def test_a_customer_cannot_start_tomorrow(self, api, world):
        prospect = make_prospect(world.officer, nik=nik(22))
        response = api(world.officer).post(
            f"/api/v1/prospects/{prospect.id}/convert",
            json={"cif": "0000000022", "segment": "micro", "since": h.days(1).isoformat()},
        )
        assert response.status_code == 422
        assert response.json["errors"]["since"] == ["This date cannot be in the future."]
