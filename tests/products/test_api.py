"""Products API (admin-only changes) and introductions API (scoped, validated, audited)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from tests.support.factories import make_customer, make_product, make_prospect
from tests.support.products import make_introduction

PRODUCTS = "/api/v1/products"
INTRODUCTIONS = "/api/v1/introductions"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


class TestProducts:
    def test_list_envelope_active_only_unless_admin_asks(self, api, world):
        make_product("KMK")
        make_product("OLD", kind="service", subtype=None, active=False)
        body = api(world.officer).get(PRODUCTS).json
        assert body["total"] == 1
        [item] = body["items"]
        assert {k: item[k] for k in ("code", "kind", "credit_subtype", "active")} == {
            "code": "KMK",
            "kind": "credit",
            "credit_subtype": "working_capital",
            "active": True,
        }
        assert api(world.officer).get(f"{PRODUCTS}?include_inactive=true").json["total"] == 1
        assert api(world.admin).get(f"{PRODUCTS}?include_inactive=true").json["total"] == 2

    def test_admin_creates_and_patches(self, api, world):
        client = api(world.admin)
        response = client.post(
            PRODUCTS,
            json={"code": "kpr", "name": "KPR", "kind": "credit", "credit_subtype": "mortgage"},
        )
        assert response.status_code == 201
        assert response.json["code"] == "KPR" and response.json["active"] is True
        product_id = response.json["id"]
        response = client.patch(f"{PRODUCTS}/{product_id}", json={"active": False})
        assert response.status_code == 200 and response.json["active"] is False
        assert client.get(f"{PRODUCTS}/{product_id}").json["active"] is False

    def test_a_deposit_product_carries_its_deposit_type(self, api, world):
        client = api(world.admin)
        data = {"code": "DEP12", "name": "Deposito", "kind": "deposit", "deposit_type": "deposito"}
        response = client.post(PRODUCTS, json=data)
        assert response.status_code == 201, response.json
        assert (response.json["deposit_type"], response.json["credit_subtype"]) == (
            "deposito",
            None,
        )
        assert client.get(f"{PRODUCTS}/{response.json['id']}").json["deposit_type"] == "deposito"
        response = client.patch(f"{PRODUCTS}/{response.json['id']}", json={"deposit_type": "giro"})
        assert response.json["deposit_type"] == "giro"

    @pytest.mark.parametrize("role", ["officer", "supervisor"])
    def test_non_admin_changes_are_403(self, api, world, role):
        product = make_product("KMK")
        client = api(getattr(world, role))
        assert client.get(f"{PRODUCTS}/{product.id}").status_code == 200
        data = {"code": "TAB", "name": "Tabungan", "kind": "deposit", "deposit_type": "tabungan"}
        assert client.post(PRODUCTS, json=data).status_code == 403
        assert client.patch(f"{PRODUCTS}/{product.id}", json={"active": False}).status_code == 403
        db.session.expire_all()
        assert count(Product) == 1 and product.active is True

    @pytest.mark.parametrize(
        ("data", "field", "status"),
        [
            ({"code": "TAB", "name": "Tabungan", "kind": "deposit", "price": 1}, "price", 422),
            ({"code": "TAB", "name": "Tabungan", "kind": "loan"}, "kind", 422),
            ({"code": "TAB", "name": "Tabungan", "kind": "credit"}, "credit_subtype", 422),
            ({"code": "TAB", "name": "Tabungan", "kind": "deposit"}, "deposit_type", 422),
            (
                {"code": "TAB", "name": "Tab", "kind": "deposit", "deposit_type": "savings"},
                "deposit_type",
                422,
            ),
            (
                {"code": "KUR", "name": "KUR", "kind": "service", "deposit_type": "giro"},
                "deposit_type",
                422,
            ),
            ({"code": "kmk", "name": "Again", "kind": "service"}, "code", 409),
        ],
    )
    def test_bad_input(self, api, world, data, field, status):
        make_product("KMK")
        response = api(world.admin).post(PRODUCTS, json=data)
        assert response.status_code == status
        assert field in response.json["errors"]

    def test_unknown_product_is_404(self, api, world):
        assert api(world.officer).get(f"{PRODUCTS}/999").status_code == 404


class TestIntroductions:
    @pytest.fixture(autouse=True)
    def catalogue(self, world):
        make_product("KMK")
        make_product("OLD", kind="service", subtype=None, active=False)

    def body(self, **overrides) -> dict:
        data = {
            "product": "KMK",
            "introduced_on": "2024-05-02",
            "place": "phone",
            "explanation": "Rates",
            "understood": True,
            "outcome": "interested",
            "follow_up_date": "2024-05-09",
        }
        data.update(overrides)
        return data

    def test_log_to_prospect_and_customer(self, api, world):
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        client = api(world.officer)
        response = client.post(INTRODUCTIONS, json=self.body(prospect=prospect.id))
        assert response.status_code == 201
        body = response.json
        assert (body["prospect"], body["customer"], body["product"]) == (prospect.id, None, "KMK")
        assert body["introduced_on"] == "2024-05-02" and body["follow_up_date"] == "2024-05-09"
        response = client.post(INTRODUCTIONS, json=self.body(customer=customer.id))
        assert response.status_code == 201 and response.json["customer"] == customer.id
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "introduction")
        ).all()
        assert [(e.action, e.actor_id) for e in entries] == [("create", world.officer.id)] * 2

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"customer": "both"}, "customer"),  # prospect and customer
            ({"prospect": None}, "prospect"),  # neither
            ({"introduced_on": "tomorrow"}, "introduced_on"),
            ({"follow_up_date": "2024-05-01"}, "follow_up_date"),
            ({"product": "OLD"}, "product"),
            ({"product": "NOPE"}, "product"),
            ({"place": "cafe"}, "place"),
            ({"outcome": "maybe"}, "outcome"),
            ({"officer": 3}, "officer"),  # unknown field
        ],
    )
    def test_invalid_input_is_422(self, api, world, overrides, field):
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        data = self.body(**{"prospect": prospect.id, **overrides})
        if overrides.get("customer") == "both":
            data["customer"] = customer.id
        if overrides.get("introduced_on") == "tomorrow":
            data["introduced_on"] = (bank_today() + timedelta(days=1)).isoformat()
            data["follow_up_date"] = None
        response = api(world.officer).post(INTRODUCTIONS, json=data)
        assert response.status_code == 422
        assert field in response.json["errors"]
        assert count(Introduction) == 0

    @pytest.mark.parametrize("outsider", ["colleague", "remote", "bdg_supervisor"])
    def test_subject_outside_the_scope_is_404(self, api, world, outsider):
        prospect = make_prospect(world.officer)
        response = api(getattr(world, outsider)).post(
            INTRODUCTIONS, json=self.body(prospect=prospect.id)
        )
        assert response.status_code == 404
        assert count(Introduction) == 0

    def test_supervisor_is_403(self, api, world):
        customer = make_customer(world.officer)
        response = api(world.supervisor).post(INTRODUCTIONS, json=self.body(customer=customer.id))
        assert response.status_code == 403

    def test_list_is_scoped_and_filtered(self, api, world):
        product = db.session.scalar(sa.select(Product).where(Product.code == "KMK"))
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        make_introduction(world.officer, product, prospect_id=prospect.id, outcome="applied")
        make_introduction(world.officer, product, customer_id=customer.id)
        make_introduction(world.remote, product, customer_id=make_customer(world.remote).id)
        client = api(world.officer)
        assert client.get(INTRODUCTIONS).json["total"] == 2
        assert client.get(f"{INTRODUCTIONS}?prospect={prospect.id}").json["total"] == 1
        assert client.get(f"{INTRODUCTIONS}?customer={customer.id}").json["total"] == 1
        assert client.get(f"{INTRODUCTIONS}?outcome=applied").json["total"] == 1
        assert client.get(f"{INTRODUCTIONS}?product=kmk").json["total"] == 2
        assert client.get(f"{INTRODUCTIONS}?outcome=maybe").status_code == 422
        assert api(world.colleague).get(INTRODUCTIONS).json["total"] == 0
        assert api(world.supervisor).get(INTRODUCTIONS).json["total"] == 2
        assert api(world.bdg_supervisor).get(INTRODUCTIONS).json["total"] == 1

    def test_owner_reads_patches_and_deletes(self, api, world):
        product = db.session.scalar(sa.select(Product).where(Product.code == "KMK"))
        introduction = make_introduction(
            world.officer, product, customer_id=make_customer(world.officer).id
        )
        introduction_id = introduction.id
        url = f"{INTRODUCTIONS}/{introduction_id}"
        client = api(world.officer)
        assert client.get(url).json["outcome"] == "interested"
        response = client.patch(url, json={"outcome": "applied", "follow_up_date": "2024-06-01"})
        assert response.status_code == 200
        assert response.json["outcome"] == "applied" and response.json["place"] == "branch"
        assert client.patch(url, json={"customer": 1}).status_code == 422  # subject is fixed
        assert client.patch(url, json={"follow_up_date": "2024-01-01"}).status_code == 422
        response = client.delete(url)
        assert response.status_code == 204 and response.data == b""
        assert client.get(url).status_code == 404
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(
                AuditEntry.entity_type == "introduction", AuditEntry.entity_id == introduction_id
            )
            .order_by(AuditEntry.id)
        )
        assert list(actions) == ["update", "delete"]

    @pytest.mark.parametrize(
        ("role", "status"),
        [("colleague", 404), ("remote", 404), ("bdg_supervisor", 404), ("supervisor", 403)],
    )
    def test_others_cannot_change_it(self, api, world, role, status):
        product = db.session.scalar(sa.select(Product).where(Product.code == "KMK"))
        introduction = make_introduction(
            world.officer, product, prospect_id=make_prospect(world.officer).id
        )
        url = f"{INTRODUCTIONS}/{introduction.id}"
        client = api(getattr(world, role))
        assert client.get(url).status_code == (200 if status == 403 else 404)
        assert client.patch(url, json={"outcome": "applied"}).status_code == status
        assert client.delete(url).status_code == status
        db.session.expire_all()
        assert count(Introduction) == 1 and introduction.outcome == "interested"
