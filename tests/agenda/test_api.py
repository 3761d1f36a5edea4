"""Agenda API: the caller's agenda and the supervisor's team agenda, codes not labels."""

from datetime import time
from urllib.parse import parse_qs, urlsplit

import pytest

from aoapp.common.dates import bank_today
from tests.support import agenda as h
from tests.support.factories import make_customer, make_prospect

URL = "/api/v1/agenda"


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="PT Maju Jaya", phone="6281234567890")


class TestMyAgenda:
    # A Monday morning: the collection item's one-tap links are offered (collection window).
    @pytest.mark.today("2026-12-07")
    def test_groups_and_item_fields(self, api, world, customer):
        facility = h.debtor(world.officer, 45, as_of=h.days(-20), phone="6281311112222")
        promise = h.promise(facility, world.officer, h.days(-2), h.days(3), "1500000")
        collection = h.followup(
            world.officer,
            facility=facility,
            planned_time=time(9, 30),
            suggestion="dpd_31_90",
            suggestion_key="k",
        )
        late = h.complaint(customer, due_date=h.days(-1), priority="high", category="interest_rate")
        prospect = make_prospect(world.officer, name="Ibu Wati")
        soon = h.followup(
            world.officer, prospect=prospect, planned_date=h.days(3), purpose="product_offer"
        )
        response = api(world.officer).get(URL)
        assert response.status_code == 200
        body = response.get_json()
        assert body["as_of"] == bank_today().isoformat()
        assert [i["id"] for i in body["overdue"]] == [late.id]
        assert [i["id"] for i in body["today"]] == [collection.id]
        assert [i["id"] for i in body["next_7_days"]] == [soon.id]

        item = body["today"][0]
        assert item["kind"] == "follow_up" and item["purpose"] == "collection"
        assert item["channel"] == "call" and item["planned_time"] == "09:30:00"
        assert item["planned_date"] == bank_today().isoformat() and item["due_date"] is None
        assert item["party"] == {
            "type": "customer",
            "id": facility.customer_id,
            "name": item["party"]["name"],
            "phone": "6281311112222",
        }
        assert item["facility"]["id"] == facility.id and item["facility"]["dpd"] == 45
        assert item["facility"]["kol"] == 2 and item["facility"]["outstanding"] == "100000000.00"
        assert item["promise"] == {
            "id": promise.id,
            "amount": "1500000.00",
            "date": h.days(3).isoformat(),
            "deadline": h.days(6).isoformat(),
            "state": "pending",
        }
        assert item["suggested"] is True and item["escalated"] is False and item["overdue"] is False
        assert item["links"]["tel"] == "tel:+6281311112222"
        text = parse_qs(urlsplit(item["links"]["whatsapp"]).query)["text"][0]
        assert "tunggakan angsuran kredit" in text

        complaint = body["overdue"][0]
        assert complaint["kind"] == "complaint" and complaint["overdue"] is True
        assert complaint["due_date"] == h.days(-1).isoformat() and complaint["planned_date"] is None
        assert (complaint["priority"], complaint["category"], complaint["status"]) == (
            "high",
            "interest_rate",
            "open",
        )
        assert complaint["party"]["type"] == "customer" and complaint["promise"] is None
        assert body["next_7_days"][0]["party"]["type"] == "prospect"

    def test_another_officers_work_is_absent(self, api, world):
        other = make_customer(world.colleague)
        h.followup(world.colleague, customer=other)
        body = api(world.officer).get(URL).get_json()
        assert body["overdue"] == body["today"] == body["next_7_days"] == []

    def test_bearer_token_required(self, client):
        assert client.get(URL).status_code == 401


class TestTeamAgendaApi:
    def test_supervisor_sees_their_branchs_officers(self, api, world, customer):
        h.followup(world.officer, customer=customer, planned_date=h.days(-1))
        h.complaint(customer, due_date=h.days(-2), status="escalated")
        body = api(world.supervisor).get(f"{URL}/team").get_json()
        assert body["branches"] == ["JKT01"]
        rows = {row["officer"]["username"]: row for row in body["officers"]}
        assert set(rows) == {"ao.budi", "ao.sari"}
        assert rows["ao.budi"]["overdue"] == 1 and rows["ao.budi"]["overdue_complaints"] == 1
        assert [c["customer_name"] for c in body["escalated_complaints"]] == ["PT Maju Jaya"]
        assert body["overdue_complaints"][0]["status"] == "escalated"
        assert body["broken_promises"] == [] and body["escalated_followups"] == []

    def test_officers_are_refused(self, api, world):
        response = api(world.officer).get(f"{URL}/team")
        assert response.status_code == 403
        assert response.get_json()["code"] == 403

    def test_another_branch_is_not_found(self, api, world):
        assert api(world.supervisor).get(f"{URL}/team?branch={world.bdg.id}").status_code == 404
        body = api(world.admin).get(f"{URL}/team?branch={world.bdg.id}").get_json()
        assert [row["officer"]["username"] for row in body["officers"]] == ["ao.dewi"]

    def test_unknown_arguments_are_refused(self, api, world):
        assert api(world.supervisor).get(f"{URL}/team?nope=1").status_code == 422
