"""Complaints API: receive, read, list with filters, the handling steps, errors, scoping per role."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.complaints import services
from aoapp.complaints.models import Complaint
from aoapp.extensions import db
from tests.support import complaints as h
from tests.support import credit_visits as visit_helpers
from tests.support.factories import make_customer

API = "/api/v1/complaints"


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="CV Sinar Terang")


def complaint_json(customer, **overrides) -> dict:
    data = {
        "customer": customer.id,
        "channel": "email",
        "category": "collection_conduct",
        "description": "The collector came at 10 pm",
    }
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Complaint.id)))


def fresh(complaint) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id)


class TestReceiveAndRead:
    def test_post_then_get(self, api, world, customer):
        fac = visit_helpers.facility(customer)
        client = api(world.officer)
        response = client.post(API, json=complaint_json(customer, facility=fac.id))
        assert response.status_code == 201, response.json
        body = response.json
        assert (body["customer"], body["facility"], body["officer"]) == (
            customer.id,
            fac.id,
            world.officer.id,
        )
        assert body["facility_account_no"] == fac.account_no
        assert (body["status"], body["priority"], body["category"]) == (
            "open",
            "normal",
            "collection_conduct",
        )
        assert body["overdue"] is False and body["version"] == 1
        assert body["due_date"] == services.due_date_for(bank_today()).isoformat()
        got = client.get(f"{API}/{body['id']}").json
        assert got["description"] == "The collector came at 10 pm"
        assert got["received_at"].endswith("+00:00")

    @pytest.mark.today("2025-03-10")  # a receipt within BACKDATE_LIMIT_DAYS of today
    def test_received_at_without_offset_is_bank_time_and_sets_the_due_date(
        self, app, api, world, customer
    ):
        saved = app.config.get("BANK_HOLIDAYS")
        app.config["BANK_HOLIDAYS"] = "2025-03-12"
        try:
            response = api(world.supervisor).post(
                API, json=complaint_json(customer, received_at="2025-03-07T03:00")
            )
        finally:
            app.config["BANK_HOLIDAYS"] = saved
        assert response.status_code == 201, response.json
        assert response.json["received_at"] == "2025-03-06T20:00:00+00:00"
        assert response.json["due_date"] == "2025-03-24"
        assert response.json["officer"] == world.officer.id
        assert response.json["created_by"] == world.supervisor.id

    def test_explicit_due_dates(self, api, world, customer):
        latest = services.due_date_for(bank_today())
        client = api(world.officer)
        early = client.post(API, json=complaint_json(customer, due_date=bank_today().isoformat()))
        assert early.status_code == 201 and early.json["due_date"] == bank_today().isoformat()
        late = client.post(
            API, json=complaint_json(customer, due_date=(latest + timedelta(days=1)).isoformat())
        )
        assert late.status_code == 422
        assert latest.strftime("%d/%m/%Y") in late.json["errors"]["due_date"][0]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"unknown": "x"}, "unknown"),
            ({"channel": "pigeon"}, "channel"),
            ({"category": "Billing"}, "category"),
            ({"priority": "asap"}, "priority"),
            ({"description": ""}, "description"),
            ({"description": None}, "description"),
            ({"customer": "abc"}, "customer"),
            ({"facility": "abc"}, "facility"),
            ({"received_at": "06/03/2025"}, "received_at"),
            ({"received_at": "2999-01-01T00:00:00Z"}, "received_at"),
            ({"received_at": "0001-01-01T00:00:00"}, "received_at"),
            ({"due_date": "2000-01-01"}, "due_date"),
        ],
    )
    def test_validation_errors_name_the_field(self, api, world, customer, changes, field):
        response = api(world.officer).post(API, json={**complaint_json(customer), **changes})
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]
        assert count() == 0

    def test_a_facility_of_another_customer_is_refused(self, api, world, customer):
        other = visit_helpers.facility(make_customer(world.officer))
        response = api(world.officer).post(API, json=complaint_json(customer, facility=other.id))
        assert response.status_code == 422 and "facility" in response.json["errors"]


class TestList:
    def test_envelope_scope_filters_and_overdue(self, api, world, customer):
        late = h.complaint(customer, due_date=bank_today() - timedelta(days=1), priority="high")
        soon = h.complaint(customer, due_date=bank_today() + timedelta(days=3), category="data")
        h.complaint(customer, due_date=bank_today() - timedelta(days=5), status="closed")
        up = h.complaint(make_customer(world.colleague), status="escalated")
        h.complaint(make_customer(world.remote))
        body = api(world.officer).get(API).json
        assert (body["total"], body["page"], body["per_page"], body["pages"]) == (3, 1, 50, 1)
        assert [i["id"] for i in body["items"][:2]] == [late.id, soon.id]
        assert body["items"][0]["overdue"] is True and body["items"][1]["overdue"] is False
        client = api(world.officer)
        assert [i["id"] for i in client.get(f"{API}?overdue=true").json["items"]] == [late.id]
        assert client.get(f"{API}?overdue=false").json["total"] == 2
        assert client.get(f"{API}?category=data").json["total"] == 1
        assert client.get(f"{API}?priority=high").json["total"] == 1
        assert client.get(f"{API}?status=active").json["total"] == 2
        assert client.get(f"{API}?status=closed").json["total"] == 1
        supervisor = api(world.supervisor).get(API).json
        assert supervisor["total"] == 4 and supervisor["items"][0]["id"] == up.id
        officer_filter = api(world.supervisor).get(f"{API}?officer={world.colleague.id}").json
        assert officer_filter["total"] == 1
        assert api(world.admin).get(API).json["total"] == 5
        assert api(world.bdg_supervisor).get(API).json["total"] == 1
        assert api(world.officer).get(f"{API}?per_page=1&page=2").json["items"][0]["id"] == soon.id

    @pytest.mark.parametrize(
        "query",
        ["status=pending", "category=weather", "overdue=maybe", "per_page=201", "colour=red"],
    )
    def test_bad_filters_are_422(self, api, world, query):
        response = api(world.officer).get(f"{API}?{query}")
        assert response.status_code == 422
        assert query.split("=")[0] in response.json["errors"]

    def test_needs_a_token(self, client):
        assert client.get(API).status_code == 401


class TestSteps:
    def test_the_escalation_flow(self, api, world, customer):
        complaint = h.complaint(customer)
        url = f"{API}/{complaint.id}"
        officer, supervisor = api(world.officer), api(world.supervisor)
        response = officer.post(f"{url}/start", json={"version": 1})
        assert response.status_code == 200 and response.json["status"] == "in_progress"
        assert officer.post(f"{url}/escalate", json={}).status_code == 422
        assert officer.post(f"{url}/escalate", json={"reason": "  "}).status_code == 422
        response = officer.post(f"{url}/escalate", json={"reason": "Threatens to go to OJK"})
        assert response.status_code == 200
        assert (response.json["status"], response.json["escalation_reason"]) == (
            "escalated",
            "Threatens to go to OJK",
        )
        assert response.json["escalated_by"] == world.officer.id
        response = officer.post(f"{url}/resolve", json={"resolution": "Settled"})
        assert response.status_code == 403
        assert api(world.bdg_supervisor).post(
            f"{url}/hand-back", json={"note": "x"}
        ).status_code == (404)
        response = supervisor.post(f"{url}/hand-back", json={"note": "Call the customer today"})
        assert response.status_code == 200
        assert (response.json["status"], response.json["supervisor_note"]) == (
            "in_progress",
            "Call the customer today",
        )
        response = officer.post(f"{url}/resolve", json={"resolution": "Apologised by phone"})
        assert response.status_code == 200 and response.json["resolved_by"] == world.officer.id
        response = supervisor.post(f"{url}/close", json={"version": response.json["version"]})
        assert response.status_code == 200 and response.json["status"] == "closed"
        assert response.json["closed_at"] is not None and response.json["overdue"] is False

    def test_steps_without_a_body(self, api, world, customer):
        complaint = h.complaint(customer)
        assert api(world.officer).post(f"{API}/{complaint.id}/start").status_code == 200

    @pytest.mark.parametrize(
        ("status", "step", "body", "message"),
        [
            ("open", "hand-back", {"note": "n"}, "Only an escalated complaint can be handed back."),
            ("open", "close", {}, "Only a resolved complaint can be closed."),
            ("closed", "resolve", {"resolution": "r"}, "This complaint is already resolved."),
            ("escalated", "start", {}, "Only an open complaint can be started."),
        ],
    )
    def test_invalid_transitions_are_409(self, api, world, customer, status, step, body, message):
        complaint = h.complaint(customer, status=status)
        user = world.supervisor if step == "hand-back" else world.officer
        response = api(user).post(f"{API}/{complaint.id}/{step}", json=body)
        assert response.status_code == 409
        assert response.json["message"] == message and response.json["error"] == "conflict"
        assert fresh(complaint).status == status

    def test_a_stale_version_is_409(self, api, world, customer):
        complaint = h.complaint(customer)
        client = api(world.officer)
        assert client.post(f"{API}/{complaint.id}/start", json={"version": 1}).status_code == 200
        response = client.post(f"{API}/{complaint.id}/escalate", json={"reason": "r", "version": 1})
        assert response.status_code == 409
        assert "changed by someone else" in response.json["message"]
        assert fresh(complaint).status == "in_progress"

    @pytest.mark.parametrize("step", ["start", "escalate", "resolve", "hand-back", "close"])
    def test_unknown_fields_are_422(self, api, world, customer, step):
        complaint = h.complaint(customer)
        response = api(world.officer).post(
            f"{API}/{complaint.id}/{step}", json={"reason": "r", "resolution": "r", "note": "n"}
        )
        assert response.status_code == 422


class TestEveryEndpointPerRole:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            # receive, read, start, escalate, resolve (escalated), hand back, close (resolved)
            ("officer", (201, 200, 200, 200, 403, 403, 200)),
            ("supervisor", (201, 200, 403, 403, 200, 200, 200)),
            ("admin", (201, 200, 403, 403, 403, 403, 403)),
            ("colleague", (404, 404, 404, 404, 404, 404, 404)),
            ("remote", (404, 404, 404, 404, 404, 404, 404)),
            ("bdg_supervisor", (404, 404, 404, 404, 404, 404, 404)),
        ],
    )
    def test_status_codes(self, api, world, customer, role, expected):
        client = api(getattr(world, role))
        opened = h.complaint(customer)
        escalated = h.complaint(customer, status="escalated")
        other = h.complaint(customer, status="escalated")
        resolved = h.complaint(customer, status="resolved")
        got = (
            client.post(API, json=complaint_json(customer)).status_code,
            client.get(f"{API}/{opened.id}").status_code,
            client.post(f"{API}/{opened.id}/start").status_code,
            client.post(
                f"{API}/{h.complaint(customer).id}/escalate", json={"reason": "r"}
            ).status_code,
            client.post(f"{API}/{escalated.id}/resolve", json={"resolution": "r"}).status_code,
            client.post(f"{API}/{other.id}/hand-back", json={"note": "n"}).status_code,
            client.post(f"{API}/{resolved.id}/close").status_code,
        )
        assert got == expected

    def test_received_time_is_checked_against_now(self, api, world, customer):
        soon = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
        response = api(world.officer).post(API, json=complaint_json(customer, received_at=soon))
        assert response.status_code == 422 and "future" in response.json["errors"]["received_at"][0]
