"""Prospects JSON API through real HTTP: envelope, filters, scoping, errors, pipeline, conversion."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.prospects.models import Prospect
from tests.support.factories import make_customer, make_product, make_prospect, nik

URL = "/api/v1/prospects"
NEW = {"name": "Bengkel Jaya", "phone": "081234567001", "source": "event"}


def fresh(prospect) -> Prospect:
    db.session.expire_all()
    return db.session.get(Prospect, prospect.id)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


class TestReading:
    def test_list_envelope(self, api, world):
        made = [make_prospect(world.officer).id for _ in range(3)]
        body = api(world.officer).get(URL).get_json()
        assert {k: body[k] for k in ("page", "per_page", "total", "pages")} == {
            "page": 1,
            "per_page": 50,
            "total": 3,
            "pages": 1,
        }
        assert sorted(item["id"] for item in body["items"]) == made
        assert "history" not in body["items"][0]

    def test_pagination(self, api, world):
        for _ in range(55):
            make_prospect(world.officer)
        client = api(world.officer)
        second = client.get(f"{URL}?page=2").get_json()
        assert len(second["items"]) == 5 and second["total"] == 55 and second["pages"] == 2
        assert len(client.get(f"{URL}?per_page=200").get_json()["items"]) == 55

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("per_page=201", "per_page"),
            ("page=0", "page"),
            ("status=sleeping", "status"),
            ("follow_up=tomorrow", "follow_up"),
            ("sort=phone", "sort"),
            ("colour=red", "colour"),
        ],
    )
    def test_bad_query_arguments_are_422(self, api, world, query, field):
        response = api(world.officer).get(f"{URL}?{query}")
        assert response.status_code == 422
        assert field in response.get_json()["errors"]

    def test_same_filters_as_the_page(self, api, world):
        today = bank_today()
        overdue = make_prospect(
            world.officer, name="Alpha", next_follow_up_date=today - timedelta(1)
        )
        due = make_prospect(world.officer, name="Bravo", source="flyer", next_follow_up_date=today)
        contacted = make_prospect(
            world.officer, name="Charlie", status="contacted", phone="6281299990001"
        )
        client = api(world.officer)
        assert ids(client.get(f"{URL}?status=contacted")) == [contacted.id]
        assert ids(client.get(f"{URL}?source=flyer")) == [due.id]
        assert ids(client.get(f"{URL}?follow_up=overdue")) == [overdue.id]
        assert ids(client.get(f"{URL}?follow_up=today")) == [due.id]
        assert ids(client.get(f"{URL}?q=alp")) == [overdue.id]
        for typed in ("0812-9999-0001", "+6281299990001", "6281299990001"):
            assert ids(client.get(URL, query_string={"q": typed})) == [contacted.id]
        assert ids(client.get(f"{URL}?sort=name")) == [overdue.id, due.id, contacted.id]
        assert ids(client.get(f"{URL}?sort=-name")) == [contacted.id, due.id, overdue.id]

    def test_read_one_with_history(self, api, world):
        make_product("KUR")
        prospect = make_prospect(world.officer, estimated_credit_need="1500000.5")
        body = api(world.officer).get(f"{URL}/{prospect.id}").get_json()
        assert body["estimated_credit_need"] == "1500000.50"  # money is a string
        assert body["owner"] == world.officer.id and body["branch"] == "JKT01"
        assert body["history"][0]["to_status"] == "new"
        assert body["history"][0]["changed_by"] == "ao.budi"

    def test_a_token_is_required(self, client, world):
        response = client.get(URL)
        assert response.status_code == 401 and response.get_json()["code"] == 401


class TestScoping:
    @pytest.mark.parametrize(
        ("who", "read", "change"),
        [
            ("officer", 200, None),
            ("colleague", 404, 404),
            ("remote", 404, 404),
            ("supervisor", 200, 403),
            ("bdg_supervisor", 404, 404),
            ("admin", 200, 403),
        ],
    )
    def test_every_endpoint(self, api, world, who, read, change):
        prospect = make_prospect(world.officer, nik=nik(1))
        client = api(getattr(world, who))
        assert client.get(f"{URL}/{prospect.id}").status_code == read
        listed = prospect.id in ids(client.get(URL))
        assert listed == (read == 200)
        if change is None:
            return
        calls = [
            client.patch(f"{URL}/{prospect.id}", json={"name": "Hijacked"}),
            client.post(f"{URL}/{prospect.id}/status", json={"status": "contacted"}),
            client.post(f"{URL}/{prospect.id}/convert", json={"cif": "CIF-X", "segment": "micro"}),
        ]
        assert [r.status_code for r in calls] == [change] * 3
        assert all(r.is_json and "message" in r.get_json() for r in calls)
        after = fresh(prospect)
        assert (after.name, after.status) == (prospect.name, "new")
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 0


class TestCreating:
    def test_created_with_normalised_phone_and_audited(self, api, world):
        make_product("KUR")
        response = api(world.officer).post(
            URL,
            json={
                **NEW,
                "phone": "+62 812-3456-7001",
                "product_interest": "KUR",
                "estimated_credit_need": "75000000",
            },
        )
        assert response.status_code == 201
        body = response.get_json()
        assert (body["phone"], body["status"], body["owner"], body["product_interest"]) == (
            "6281234567001",
            "new",
            world.officer.id,
            "KUR",
        )
        assert body["estimated_credit_need"] == "75000000.00"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "prospect"))
        assert (entry.action, entry.entity_id, entry.actor_id) == (
            "create",
            body["id"],
            world.officer.id,
        )
        assert entry.after["phone"] == "6281234567001"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"nik": "123"}, "nik"),
            ({"phone": "12345"}, "phone"),
            ({"source": "billboard"}, "source"),
            ({"estimated_credit_need": "-1"}, "estimated_credit_need"),
            ({"estimated_credit_need": 1.5}, "estimated_credit_need"),
            ({"name": "  "}, "name"),
            ({"hobby": "golf"}, "hobby"),
            ({"source": "referral"}, "referrer_name"),
            ({"product_interest": "NOPE"}, "product_interest"),
        ],
    )
    def test_validation_errors_per_field(self, api, world, change, field):
        response = api(world.officer).post(URL, json={**NEW, **change})
        assert response.status_code == 422
        body = response.get_json()
        assert set(body["errors"]) == {field} and body["errors"][field][0]
        assert db.session.scalar(sa.select(sa.func.count(Prospect.id))) == 0

    def test_same_nik_in_another_branch_is_409_revealing_only_the_branch(self, api, world):
        make_prospect(world.remote, name="Ibu Rahasia", nik=nik(2))
        response = api(world.officer).post(URL, json={**NEW, "nik": nik(2)})
        assert response.status_code == 409
        assert response.get_json()["errors"] == {
            "nik": ["Already handled by another officer (branch BDG01)."]
        }
        assert "Rahasia" not in response.get_data(as_text=True)

    def test_shared_phone_is_409_until_confirmed(self, api, world):
        make_customer(world.colleague, phone="6281234567001")
        client = api(world.officer)
        refused = client.post(URL, json={**NEW, "phone": "6281234567001"})
        assert refused.status_code == 409
        assert set(refused.get_json()["errors"]) == {"phone", "allow_duplicate_phone"}
        confirmed = client.post(URL, json={**NEW, "allow_duplicate_phone": True})
        assert confirmed.status_code == 201
        assert "allow_duplicate_phone" not in confirmed.get_json()

    def test_supervisors_do_not_collect(self, api, world):
        assert api(world.supervisor).post(URL, json=NEW).status_code == 403


class TestUpdating:
    def test_patch_changes_only_the_given_fields_and_is_audited(self, api, world):
        prospect = make_prospect(world.officer, name="Pak Lama", area="Bekasi")
        response = api(world.officer).patch(f"{URL}/{prospect.id}", json={"area": "Bogor"})
        assert response.status_code == 200
        after = fresh(prospect)
        assert (after.name, after.area) == ("Pak Lama", "Bogor")
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "prospect", AuditEntry.action == "update"
            )
        )
        assert (entry.actor_id, entry.before["area"], entry.after["area"]) == (
            world.officer.id,
            "Bekasi",
            "Bogor",
        )

    def test_patch_status_needs_a_reason_when_closing(self, api, world):
        prospect = make_prospect(world.officer)
        client = api(world.officer)
        missing = client.patch(f"{URL}/{prospect.id}", json={"status": "lost"})
        assert missing.status_code == 422 and "lost_reason" in missing.get_json()["errors"]
        done = client.patch(
            f"{URL}/{prospect.id}",
            json={"status": "lost", "lost_reason": "unreachable", "lost_note": "3 calls"},
        )
        assert done.status_code == 200
        body = done.get_json()
        assert (body["status"], body["lost_reason"], body["lost_note"]) == (
            "lost",
            "unreachable",
            "3 calls",
        )
        assert [(h["from_status"], h["to_status"], h["reason"]) for h in body["history"]][-1] == (
            "new",
            "lost",
            "unreachable",
        )

    @pytest.mark.parametrize("status", ["new", "won"])
    def test_invalid_transition_is_409(self, api, world, status):
        prospect = make_prospect(world.officer, status="interested")
        response = api(world.officer).patch(f"{URL}/{prospect.id}", json={"status": status})
        assert response.status_code == 409 and "status" in response.get_json()["errors"]
        assert fresh(prospect).status == "interested"

    def test_status_endpoint(self, api, world):
        prospect = make_prospect(world.officer)
        client = api(world.officer)
        assert (
            client.post(f"{URL}/{prospect.id}/status", json={"status": "rejected"}).status_code
            == 422
        )
        response = client.post(
            f"{URL}/{prospect.id}/status",
            json={"status": "contacted", "lost_note": "met at market"},
        )
        assert response.status_code == 200 and response.get_json()["status"] == "contacted"
        assert response.get_json()["history"][-1]["note"] == "met at market"

    def test_patch_rejects_unknown_fields_and_duplicate_nik(self, api, world):
        make_customer(world.remote, nik=nik(3))
        prospect = make_prospect(world.officer)
        client = api(world.officer)
        assert (
            client.patch(f"{URL}/{prospect.id}", json={"owner": world.colleague.id}).status_code
            == 422
        )
        conflict = client.patch(f"{URL}/{prospect.id}", json={"nik": nik(3)})
        assert conflict.status_code == 409
        assert conflict.get_json()["errors"]["nik"] == [
            "Already handled by another officer (branch BDG01)."
        ]
        assert fresh(prospect).nik is None


class TestConverting:
    def test_convert_creates_the_customer(self, api, world):
        prospect = make_prospect(world.officer, nik=nik(4), name="CV Maju")
        client = api(world.officer)
        response = client.post(
            f"{URL}/{prospect.id}/convert", json={"cif": "CIF-4", "segment": "small"}
        )
        assert response.status_code == 201
        body = response.get_json()
        assert (body["cif"], body["name"], body["officer"], body["branch"], body["segment"]) == (
            "CIF-4",
            "CV Maju",
            world.officer.id,
            "JKT01",
            "small",
        )
        after = fresh(prospect)
        assert after.status == "won" and after.customer_id == body["id"]
        again = client.post(
            f"{URL}/{prospect.id}/convert", json={"cif": "CIF-5", "segment": "small"}
        )
        assert again.status_code == 409
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1

    @pytest.mark.parametrize(
        ("payload", "status", "field"),
        [
            ({"cif": "CIF-TAKEN", "segment": "micro"}, 409, "cif"),
            ({"cif": "CIF-6", "segment": "micro", "npwp": "12"}, 422, "npwp"),
            ({"cif": "CIF-6"}, 422, "segment"),
            ({"cif": "CIF-6", "segment": "micro", "branch": "BDG01"}, 422, "branch"),
        ],
    )
    def test_convert_refusals(self, api, world, payload, status, field):
        make_customer(world.remote, cif="CIF-TAKEN")
        prospect = make_prospect(world.officer, nik=nik(6))
        response = api(world.officer).post(f"{URL}/{prospect.id}/convert", json=payload)
        assert response.status_code == status
        assert field in response.get_json()["errors"]
        assert fresh(prospect).status == "new"


def test_openapi_document_describes_the_prospect_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/prospects"])
    assert {"get", "patch"} <= set(paths["/api/v1/prospects/{prospect_id}"])
    assert "post" in paths["/api/v1/prospects/{prospect_id}/convert"]
    assert "post" in paths["/api/v1/prospects/{prospect_id}/status"]
    params = {p["name"] for p in paths["/api/v1/prospects"]["get"]["parameters"]}
    assert {"status", "source", "owner", "follow_up", "q", "page", "per_page", "sort"} <= params
    assert "409" in paths["/api/v1/prospects"]["post"]["responses"]
