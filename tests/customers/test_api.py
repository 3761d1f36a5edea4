"""Customers API: envelope, filters, validation (422), conflicts (409), scoping (404), roles (403)."""

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer
from aoapp.extensions import db
from tests.support.customers import api_data
from tests.support.factories import make_customer, make_prospect

URL = "/api/v1/customers"


def customer_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Customer.id)))


class TestListing:
    def test_envelope_and_scope(self, api, world):
        own = make_customer(world.officer, name="Alpha")
        make_customer(world.colleague, name="Beta")
        make_customer(world.remote, name="Gamma")
        response = api(world.officer).get(URL)
        assert response.status_code == 200
        body = response.json
        assert {k: body[k] for k in ("page", "per_page", "total", "pages")} == {
            "page": 1,
            "per_page": 50,
            "total": 1,
            "pages": 1,
        }
        [item] = body["items"]
        assert item["id"] == own.id and item["branch"] == "JKT01"
        assert item["officer"] == world.officer.id and item["since"] == "2024-01-15"
        assert [c["name"] for c in api(world.supervisor).get(URL).json["items"]] == [
            "Alpha",
            "Beta",
        ]
        assert [c["name"] for c in api(world.bdg_supervisor).get(URL).json["items"]] == ["Gamma"]
        assert api(world.admin).get(URL).json["total"] == 3

    def test_filters_and_paging(self, api, world):
        make_customer(world.officer, name="Alpha", segment="small")
        make_customer(world.officer, name="Beta", segment="micro")
        make_customer(world.colleague, name="Gamma", segment="micro")
        client = api(world.supervisor)
        names = lambda query: [c["name"] for c in client.get(f"{URL}?{query}").json["items"]]  # noqa: E731
        assert names("segment=micro") == ["Beta", "Gamma"]
        assert names(f"officer={world.colleague.id}") == ["Gamma"]
        assert names("q=alp") == ["Alpha"]
        assert names("sort=-name") == ["Gamma", "Beta", "Alpha"]
        page = client.get(f"{URL}?per_page=2&page=2").json
        assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 1)

    @pytest.mark.parametrize(
        "query", ["segment=retail", "per_page=201", "customer_type=x", "colour=blue"]
    )
    def test_bad_filters_are_422(self, api, world, query):
        response = api(world.officer).get(f"{URL}?{query}")
        assert response.status_code == 422
        assert response.json["errors"]

    def test_token_required(self, client, world):
        response = client.get(URL)
        assert response.status_code == 401 and response.json["code"] == 401


class TestCreating:
    def test_officer_creates_a_company(self, api, world):
        response = api(world.officer).post(URL, json=api_data())
        assert response.status_code == 201
        body = response.json
        assert body["npwp"] == "012345678901000" and body["phone"] == "6281277770002"
        assert body["customer_type"] == "company" and body["nik"] is None
        assert body["officer"] == world.officer.id and body["branch"] == "JKT01"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "customer"))
        assert (entry.action, entry.actor_id, entry.entity_id) == (
            "create",
            world.officer.id,
            body["id"],
        )

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"customer_type": "individual", "nik": "320101"}, "nik"),
            ({"npwp": "01234567890123"}, "npwp"),
            ({"segment": "retail"}, "segment"),
            ({"npwp": None}, "npwp"),  # a company needs an NPWP
            ({"nik": "3201011506900501"}, "nik"),  # a company has no NIK
            ({"customer_type": "individual", "npwp": None}, "nik"),  # individual: NIK or NPWP
            ({"branch": "BDG01"}, "branch"),  # unknown field
            ({"officer": 5}, "officer"),  # unknown field: the caller is the officer
        ],
    )
    def test_invalid_input_is_422_with_field_errors(self, api, world, overrides, field):
        response = api(world.officer).post(URL, json=api_data(**overrides))
        assert response.status_code == 422
        assert field in response.json["errors"]
        assert customer_count() == 0

    def test_duplicate_cif_is_409(self, api, world):
        make_customer(world.remote, cif="CIF-9000002")
        response = api(world.officer).post(URL, json=api_data())
        assert response.status_code == 409
        assert "cif" in response.json["errors"]

    def test_duplicate_nik_of_a_prospect_is_409(self, api, world):
        make_prospect(world.colleague, nik="3201011506900501")
        data = api_data(customer_type="individual", npwp=None, nik="3201011506900501")
        response = api(world.officer).post(URL, json=data)
        assert response.status_code == 409
        assert "nik" in response.json["errors"]
        assert customer_count() == 0

    @pytest.mark.parametrize("role", ["supervisor", "admin"])
    def test_only_officers_create(self, api, world, role):
        response = api(getattr(world, role)).post(URL, json=api_data())
        assert response.status_code == 403
        assert customer_count() == 0


class TestOneCustomer:
    @pytest.mark.parametrize("outsider", ["colleague", "remote", "bdg_supervisor"])
    def test_outside_the_scope_every_endpoint_is_404(self, api, world, outsider):
        customer = make_customer(world.officer, segment="micro")
        client = api(getattr(world, outsider))
        assert client.get(f"{URL}/{customer.id}").status_code == 404
        assert client.patch(f"{URL}/{customer.id}", json={"segment": "small"}).status_code == 404
        response = client.post(f"{URL}/{customer.id}/reassign", json={"officer": world.remote.id})
        assert response.status_code == 404
        assert response.json["code"] == 404 and response.json["error"] == "not_found"
        db.session.expire_all()
        assert (customer.segment, customer.officer_id) == ("micro", world.officer.id)

    def test_owner_patches_some_fields_with_audit(self, api, world):
        customer = make_customer(world.officer, segment="micro")
        response = api(world.officer).patch(
            f"{URL}/{customer.id}", json={"segment": "small", "phone": "0812 1111 2222"}
        )
        assert response.status_code == 200
        assert response.json["segment"] == "small" and response.json["phone"] == "6281211112222"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "update"))
        assert entry.before["segment"] == "micro" and entry.after["segment"] == "small"

    def test_patch_rejects_unknown_and_invalid_fields(self, api, world):
        customer = make_customer(world.officer)
        client = api(world.officer)
        assert client.patch(f"{URL}/{customer.id}", json={"officer": 1}).status_code == 422
        response = client.patch(f"{URL}/{customer.id}", json={"nik": "1234"})
        assert response.status_code == 422 and "nik" in response.json["errors"]

    @pytest.mark.parametrize("reader", ["supervisor", "admin"])
    def test_readers_get_200_but_403_on_patch(self, api, world, reader):
        customer = make_customer(world.officer, segment="micro")
        client = api(getattr(world, reader))
        assert client.get(f"{URL}/{customer.id}").status_code == 200
        response = client.patch(f"{URL}/{customer.id}", json={"segment": "small"})
        assert response.status_code == 403
        db.session.expire_all()
        assert customer.segment == "micro"


class TestReassigning:
    def test_supervisor_of_the_branch_reassigns(self, api, world):
        customer = make_customer(world.officer)
        response = api(world.supervisor).post(
            f"{URL}/{customer.id}/reassign", json={"officer": world.colleague.id}
        )
        assert response.status_code == 200 and response.json["officer"] == world.colleague.id
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reassign"))
        assert entry.actor_id == world.supervisor.id
        assert (entry.before["officer_id"], entry.after["officer_id"]) == (
            world.officer.id,
            world.colleague.id,
        )

    def test_officer_gets_403(self, api, world):
        customer = make_customer(world.officer)
        response = api(world.officer).post(
            f"{URL}/{customer.id}/reassign", json={"officer": world.colleague.id}
        )
        assert response.status_code == 403

    def test_officer_of_another_branch_as_target_is_422(self, api, world):
        customer = make_customer(world.officer)
        response = api(world.supervisor).post(
            f"{URL}/{customer.id}/reassign", json={"officer": world.remote.id}
        )
        assert response.status_code == 422 and "officer" in response.json["errors"]
        db.session.expire_all()
        assert customer.officer_id == world.officer.id

    def test_missing_officer_is_422(self, api, world):
        customer = make_customer(world.officer)
        response = api(world.supervisor).post(f"{URL}/{customer.id}/reassign", json={})
        assert response.status_code == 422 and "officer" in response.json["errors"]
