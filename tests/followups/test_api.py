"""Follow-ups and promises API: every endpoint, filters, envelope, 404 across branches, 403 for
readers, 422 for unknown fields and bad values, 409 on a stale version."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from tests.support import followups as h
from tests.support.factories import make_customer, make_prospect

API = "/api/v1/followups"
PROMISES = "/api/v1/promises"


@pytest.fixture
def book(world):
    return h.debtor(world.officer, name="Warung Budi")


def plan_json(customer, **kw) -> dict:
    data = {
        "customer": customer.id,
        "channel": "call",
        "purpose": "relationship",
        "planned_date": h.days(1).isoformat(),
    }
    data.update(kw)
    return data


class TestFollowUps:
    def test_plan_read_patch(self, api, world, book):
        customer, facility = book
        client = api(world.officer)
        response = client.post(
            API,
            json=plan_json(
                customer, facility=facility.id, purpose="collection", planned_time="09:30"
            ),
        )
        assert response.status_code == 201, response.json
        body = response.json
        assert (body["customer"], body["facility"], body["owner"]) == (
            customer.id,
            facility.id,
            world.officer.id,
        )
        assert (body["status"], body["planned_time"], body["version"]) == ("planned", "09:30:00", 1)
        assert body["promise"] is None and body["facility_account_no"] == facility.account_no
        url = f"{API}/{body['id']}"
        assert client.get(url).json["customer_name"] == "Warung Budi"
        response = client.patch(url, json={"notes": "Bring brochure", "version": 1})
        assert response.status_code == 200
        assert (response.json["notes"], response.json["version"]) == ("Bring brochure", 2)
        response = client.patch(url, json={"channel": "sms", "version": 1})
        assert response.status_code == 409
        assert "changed by someone else" in response.json["message"]
        assert client.patch(url, json={"owner": world.colleague.id}).status_code == 422
        assert [e.action for e in h.audits("followup", body["id"])] == ["create", "update"]

    def test_plan_with_a_prospect(self, api, world):
        prospect = make_prospect(world.officer)
        data = {
            "prospect": prospect.id,
            "channel": "whatsapp",
            "purpose": "product_offer",
            "planned_date": h.today().isoformat(),
        }
        response = api(world.officer).post(API, json=data)
        assert response.status_code == 201
        assert (response.json["prospect"], response.json["customer"]) == (prospect.id, None)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"planned_date": "2000-01-01"}, "planned_date"),
            ({"planned_date": "31/12/2030"}, "planned_date"),
            ({"planned_date": None}, "planned_date"),
            ({"channel": "pigeon"}, "channel"),
            ({"purpose": None}, "purpose"),
            ({"planned_time": "9h"}, "planned_time"),
            ({"facility": "abc"}, "facility"),
            ({"facility": 2**40}, "facility"),
            ({"customer": None}, "customer"),
            ({"owner": 1}, "owner"),
            ({"status": "done"}, "status"),
        ],
    )
    def test_plan_validation_names_the_field(self, api, world, book, changes, field):
        data = plan_json(book[0])
        data.update(changes)
        response = api(world.officer).post(API, json=data)
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]
        assert h.count() == 0

    @pytest.mark.parametrize(
        ("role", "status"),
        [("supervisor", 403), ("admin", 403), ("colleague", 404), ("remote", 404)],
    )
    def test_only_the_officer_plans(self, api, world, book, role, status):
        response = api(getattr(world, role)).post(API, json=plan_json(book[0]))
        assert response.status_code == status
        assert h.count() == 0

    def test_complete_with_a_promise_and_the_next_follow_up(self, api, world, book):
        row = h.followup(world.officer, facility=book[1])
        data = {
            "outcome": "promised_to_pay",
            "promised_amount": "2500000",
            "promised_date": h.days(7).isoformat(),
            "next_date": h.days(11).isoformat(),
            "version": 1,
        }
        response = api(world.officer).post(f"{API}/{row.id}/complete", json=data)
        assert response.status_code == 200, response.json
        body = response.json
        assert (body["status"], body["outcome"]) == ("done", "promised_to_pay")
        promise = body["promise"]
        assert (promise["promised_amount"], promise["state"]) == ("2500000.00", "pending")
        assert promise["deadline"] == (h.days(10)).isoformat()
        assert promise["facility"] == book[1].id and promise["officer"] == world.officer.id
        following = db.session.scalar(sa.select(FollowUp).where(FollowUp.previous_id == row.id))
        assert following.planned_date == h.days(11)
        listed = api(world.officer).get(f"{API}?status=planned").json["items"]
        assert [f["id"] for f in listed] == [following.id]
        assert api(world.officer).get(f"{API}/{row.id}").json["promise"]["state"] == "pending"

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"outcome": "promised_to_pay", "promised_date": "today"}, "promised_amount"),
            ({"outcome": "promised_to_pay", "promised_amount": "5"}, "promised_date"),
            ({"outcome": "promised_to_pay", "promised_amount": 1.5}, "promised_amount"),
            ({"outcome": "promised_to_pay", "promised_amount": "abc"}, "promised_amount"),
            ({"outcome": "paid", "promised_amount": "5"}, "promised_amount"),
            ({"outcome": "bought"}, "outcome"),
            ({"outcome": "reached", "next_notes": "x"}, "next_date"),
            ({"outcome": "reached", "surprise": 1}, "surprise"),
        ],
    )
    def test_complete_validation_names_the_field(self, api, world, book, data, field):
        row = h.followup(world.officer, facility=book[1])
        data = {k: h.today().isoformat() if v == "today" else v for k, v in data.items()}
        response = api(world.officer).post(f"{API}/{row.id}/complete", json=data)
        assert response.status_code == 422, response.json
        assert field in response.json["errors"]
        assert h.reload(row).status == "planned" and h.count(PromiseToPay) == 0

    def test_reschedule_cancel_missed(self, api, world, book):
        client = api(world.officer)
        suggested = h.followup(world.officer, facility=book[1], suggestion="dpd_1_30")
        url = f"{API}/{suggested.id}/reschedule"
        response = client.post(url, json={"planned_date": h.days(2).isoformat()})
        assert response.status_code == 422 and "reason" in response.json["errors"]
        response = client.post(
            url, json={"planned_date": h.days(2).isoformat(), "reason": "Owner away", "version": 1}
        )
        assert response.status_code == 200
        assert (response.json["planned_date"], response.json["reason"]) == (
            h.days(2).isoformat(),
            "Owner away",
        )
        response = client.post(f"{API}/{suggested.id}/cancel", json={"version": 2})
        assert response.status_code == 422 and "reason" in response.json["errors"]
        response = client.post(f"{API}/{suggested.id}/cancel", json={"reason": "x", "version": 1})
        assert response.status_code == 409
        response = client.post(
            f"{API}/{suggested.id}/cancel", json={"reason": "Paid", "version": 2}
        )
        assert response.status_code == 200 and response.json["status"] == "cancelled"
        late = h.followup(world.officer, customer=book[0], planned_date=h.days(-1))
        response = client.post(f"{API}/{late.id}/missed", json={})
        assert response.status_code == 200 and response.json["status"] == "missed"
        assert client.post(f"{API}/{late.id}/missed", json={}).status_code == 409

    def test_list_filters_sort_and_envelope(self, api, world, book):
        customer, facility = book
        first = h.followup(world.officer, customer=customer, planned_date=h.days(-2))
        second = h.followup(world.officer, facility=facility, suggestion="dpd_1_30")
        third = h.followup(world.officer, facility=facility, planned_date=h.days(4), status="done")
        h.followup(world.remote, customer=make_customer(world.remote))
        client = api(world.officer)
        body = client.get(API).json
        assert (body["total"], body["page"], body["per_page"], body["pages"]) == (3, 1, 50, 1)
        assert [f["id"] for f in body["items"]] == [first.id, second.id, third.id]

        def ids(query):
            response = client.get(f"{API}?{query}")
            assert response.status_code == 200, response.json
            return [f["id"] for f in response.json["items"]]

        assert ids("sort=-planned_date") == [third.id, second.id, first.id]
        assert ids("status=done") == [third.id]
        assert ids("purpose=collection") == [second.id, third.id]
        assert ids(f"facility={facility.id}") == [second.id, third.id]
        assert ids(f"customer={customer.id}&planned_to={h.today().isoformat()}") == [
            first.id,
            second.id,
        ]
        assert ids(f"planned_from={h.today().isoformat()}") == [second.id, third.id]
        assert ids("suggested=true") == [second.id]
        assert ids(f"owner={world.officer.id}&per_page=1&page=2") == [second.id]
        assert ids("prospect=1") == []
        for bad in (
            "sort=owner",
            "status=late",
            "per_page=500",
            "planned_from=yesterday",
            "suggested=maybe",
            "colour=red",
            "page=0",
        ):
            response = client.get(f"{API}?{bad}")
            assert response.status_code == 422, bad
        assert "sort" in client.get(f"{API}?sort=owner").json["errors"]
        assert api(world.supervisor).get(API).json["total"] == 3
        assert api(world.admin).get(API).json["total"] == 4
        assert api(world.colleague).get(API).json["total"] == 0

    @pytest.mark.parametrize(
        ("role", "read", "change"),
        [
            ("supervisor", 200, 403),
            ("admin", 200, 403),
            ("colleague", 404, 404),
            ("remote", 404, 404),
            ("bdg_supervisor", 404, 404),
        ],
    )
    def test_every_endpoint_per_role(self, api, world, book, role, read, change):
        row = h.followup(world.officer, facility=book[1], planned_date=h.days(-1))
        client = api(getattr(world, role))
        assert client.get(f"{API}/{row.id}").status_code == read
        assert client.patch(f"{API}/{row.id}", json={"notes": "x"}).status_code == change
        calls = {
            "complete": {"outcome": "reached"},
            "reschedule": {"planned_date": h.days(3).isoformat()},
            "cancel": {"reason": "x"},
            "missed": {},
        }
        for action, data in calls.items():
            assert client.post(f"{API}/{row.id}/{action}", json=data).status_code == change
        assert h.reload(row).status == "planned" and h.audits("followup") == []

    def test_needs_a_token(self, client):
        assert client.get(API).status_code == 401
        assert client.get(PROMISES).status_code == 401

    @pytest.mark.parametrize("name", ["done_from", "done_to", "overdue_on", "planned_to"])
    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
    def test_a_filter_day_at_the_calendar_s_ends_is_a_422(self, api, world, name, day):
        """Found by the night's fuzzing: done_from=0001-01-01 overflowed the time zone (500)."""
        response = api(world.officer).get(API, query_string={name: day})
        assert response.status_code == 422
        assert response.json["errors"] == {name: ["Use a date from 1900 to 2999."]}


class TestPromises:
    def test_list_and_read_with_derived_state(self, api, world, book):
        _customer, facility = book
        start = h.days(-30)
        h.position(facility, start, "5000000", 40)
        late = h.promise(
            h.followup(world.officer, facility=facility, planned_date=start),
            "3000000",
            start,
            start + timedelta(days=5),
        )
        h.position(facility, start + timedelta(days=9), "1000000", 35)  # day +4 of grace: late
        other = h.debtor(world.officer)[1]
        h.position(other, start, "5000000", 40)
        on_time = h.promise(
            h.followup(world.officer, facility=other, planned_date=start),
            "3000000",
            start,
            start + timedelta(days=5),
        )
        h.position(other, start + timedelta(days=8), "1000000", 35)  # deadline day: kept
        pending = h.promise(h.followup(world.officer, facility=facility))
        h.promise(h.followup(world.remote, facility=h.debtor(world.remote)[1]))
        client = api(world.officer)
        body = client.get(PROMISES).json
        assert body["total"] == 3
        states = {p["id"]: p["state"] for p in body["items"]}
        assert states == {late.id: "broken", on_time.id: "kept", pending.id: "pending"}
        assert [p["id"] for p in client.get(f"{PROMISES}?state=kept").json["items"]] == [on_time.id]
        assert client.get(f"{PROMISES}?facility={facility.id}").json["total"] == 2
        assert client.get(f"{PROMISES}?owner={world.officer.id}").json["total"] == 3
        assert client.get(f"{PROMISES}?promised_from={h.today().isoformat()}").json["total"] == 1
        assert client.get(f"{PROMISES}?sort=promised_amount").json["items"][0]["id"] == pending.id
        detail = client.get(f"{PROMISES}/{on_time.id}").json
        assert (detail["state"], detail["kept_on"]) == ("kept", (start + timedelta(8)).isoformat())
        assert detail["deadline"] == (start + timedelta(days=8)).isoformat()
        assert detail["promised_amount"] == "3000000.00"
        assert client.get(f"{PROMISES}/{late.id}").json["kept_on"] is None
        for bad in ("state=late", "sort=state", "customer=x", "color=red"):
            assert client.get(f"{PROMISES}?{bad}").status_code == 422, bad
        assert api(world.supervisor).get(PROMISES).json["total"] == 3
        assert api(world.admin).get(PROMISES).json["total"] == 4
        assert api(world.bdg_supervisor).get(PROMISES).json["total"] == 1
        for outsider in ("colleague", "remote", "bdg_supervisor"):
            assert api(getattr(world, outsider)).get(f"{PROMISES}/{late.id}").status_code == 404
        assert client.get(f"{PROMISES}/999999").status_code == 404
