"""Product catalogue pages (admin changes) and the introduction form (from prospect/customer pages)."""

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


def product_form(**overrides) -> dict:
    data = {
        "code": "tab-bisnis",
        "name": "Tabungan Bisnis",
        "kind": "deposit",
        "credit_subtype": "",
        "deposit_type": "tabungan",
        "active": "y",
        "description": "Savings for businesses",
    }
    data.update(overrides)
    return data


def intro_form(**overrides) -> dict:
    data = {
        "product": "KMK",
        "introduced_on": bank_today().isoformat(),
        "place": "client_office",
        "explanation": "Explained plafond, rate and collateral",
        "understood": "y",
        "outcome": "needs_time",
        "follow_up_date": "",
    }
    data.update(overrides)
    return data


def introduction_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Introduction.id)))


class TestCatalogue:
    def test_everyone_sees_active_products_admin_also_inactive(self, client, auth, world):
        make_product("KMK", name="Kredit Modal Kerja")
        make_product("OLD", kind="service", subtype=None, name="Retired Service", active=False)
        auth.login("ao.budi")
        page = client.get("/products/?include_inactive=1").get_data(as_text=True)
        assert "Kredit Modal Kerja" in page and "Retired Service" not in page
        assert "/products/new" not in page
        auth.logout()
        auth.login("admin")
        assert "Retired Service" not in client.get("/products/").get_data(as_text=True)
        page = client.get("/products/?include_inactive=1").get_data(as_text=True)
        assert "Retired Service" in page and "/products/new" in page

    def test_admin_creates_and_edits_a_product(self, client, auth, world):
        auth.login("admin")
        assert client.get("/products/new").status_code == 200
        assert auth.post("/products/new", product_form()).status_code == 302
        product = db.session.scalar(sa.select(Product))
        assert (product.code, product.kind, product.active) == ("TAB-BISNIS", "deposit", True)
        assert product.deposit_type == "tabungan"
        page = client.get(f"/products/{product.id}/edit").get_data(as_text=True)
        assert '<option selected value="tabungan">Tabungan</option>' in page
        data = product_form(code="TAB-BISNIS")
        del data["active"]  # an unticked checkbox is not sent
        assert auth.post(f"/products/{product.id}/edit", data).status_code == 302
        db.session.expire_all()
        assert product.active is False
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.entity_type == "product")
            .order_by(AuditEntry.id)
        )
        assert list(actions) == ["create", "update"]

    def test_credit_without_subtype_is_shown_on_the_form(self, client, auth, world):
        auth.login("admin")
        response = auth.post("/products/new", product_form(kind="credit"))
        assert response.status_code == 422
        assert "A credit product needs a credit subtype." in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0

    def test_the_deposit_type_is_required_of_deposits_and_refused_for_others(
        self, client, auth, world
    ):
        auth.login("admin")
        page = client.get("/products/new").get_data(as_text=True)
        assert '<option value="deposito">Deposito</option>' in page
        response = auth.post("/products/new", product_form(deposit_type=""))
        assert response.status_code == 422
        assert "A deposit product needs a deposit type (giro, tabungan or deposito)." in (
            response.get_data(as_text=True)
        )
        response = auth.post("/products/new", product_form(kind="service"))
        assert response.status_code == 422
        assert "Only deposit products have a deposit type; leave it empty." in (
            response.get_data(as_text=True)
        )
        assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0
        auth.post("/products/new", product_form(code="GIRO-USAHA", deposit_type="giro"))
        listed = client.get("/products/").get_data(as_text=True)
        assert "Deposit · Giro" in listed

    @pytest.mark.parametrize("username", ["ao.budi", "spv.jkt"])
    def test_non_admins_may_not_change_the_catalogue(self, client, auth, world, username):
        product = make_product("KMK")
        auth.login(username)
        assert client.get("/products/new").status_code == 403
        assert auth.post("/products/new", product_form()).status_code == 403
        assert client.get(f"/products/{product.id}/edit").status_code == 403
        response = auth.post(f"/products/{product.id}/edit", product_form(code="KMK"))
        assert response.status_code == 403
        db.session.expire_all()
        assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 1
        assert product.kind == "credit"


class TestIntroductionForm:
    @pytest.fixture(autouse=True)
    def catalogue(self, world):
        make_product("KMK", name="Kredit Modal Kerja")

    def test_logged_from_a_prospect_returns_to_the_prospect(self, client, auth, world):
        prospect = make_prospect(world.officer, name="Warung Bu Tini")
        auth.login("ao.budi")
        url = f"/products/introductions/new?prospect={prospect.id}"
        page = client.get(url).get_data(as_text=True)
        assert "Warung Bu Tini" in page and "Kredit Modal Kerja" in page
        response = auth.post(url, intro_form())
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/prospects/{prospect.id}")
        introduction = db.session.scalar(sa.select(Introduction))
        assert (introduction.prospect_id, introduction.outcome) == (prospect.id, "needs_time")
        assert introduction.understood is True and introduction.officer_id == world.officer.id

    def test_logged_from_a_customer_returns_to_the_customer(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        url = f"/products/introductions/new?customer={customer.id}"
        assert client.get(url).status_code == 200
        response = auth.post(url, intro_form(understood=""))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/customers/{customer.id}")
        introduction = db.session.scalar(sa.select(Introduction))
        assert introduction.customer_id == customer.id and introduction.understood is False
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "Explained plafond, rate and collateral" in page

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"introduced_on": 1}, "cannot be in the future"),  # days from today
            ({"follow_up_date": -1}, "cannot be before the introduction"),
            ({"product": ""}, "This field is required."),
            ({"outcome": "maybe"}, "Must be one of: interested"),
        ],
    )
    def test_errors_are_shown_on_the_form(self, client, auth, world, overrides, message):
        overrides = {
            key: (bank_today() + timedelta(days=value)).isoformat()
            if isinstance(value, int)
            else value
            for key, value in overrides.items()
        }
        prospect = make_prospect(world.officer)
        auth.login("ao.budi")
        response = auth.post(
            f"/products/introductions/new?prospect={prospect.id}", intro_form(**overrides)
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert introduction_count() == 0

    def test_without_or_with_both_subjects_is_422(self, client, auth, world):
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        auth.login("ao.budi")
        assert client.get("/products/introductions/new").status_code == 422
        both = f"/products/introductions/new?prospect={prospect.id}&customer={customer.id}"
        assert client.get(both).status_code == 422
        assert auth.post(both, intro_form()).status_code == 422
        assert introduction_count() == 0

    @pytest.mark.parametrize("outsider", ["ao.sari", "ao.dewi", "spv.bdg"])
    def test_subject_outside_the_scope_is_404(self, client, auth, world, outsider):
        prospect = make_prospect(world.officer)
        auth.login(outsider)
        url = f"/products/introductions/new?prospect={prospect.id}"
        assert client.get(url).status_code == 404
        assert auth.post(url, intro_form()).status_code == 404
        assert introduction_count() == 0

    def test_supervisor_who_sees_the_subject_gets_403(self, client, auth, world):
        customer = make_customer(world.officer)
        auth.login("spv.jkt")
        url = f"/products/introductions/new?customer={customer.id}"
        assert client.get(url).status_code == 403
        assert auth.post(url, intro_form()).status_code == 403
        assert introduction_count() == 0

    def test_post_without_csrf_token_is_refused(self, client, auth, world):
        prospect = make_prospect(world.officer)
        auth.login("ao.budi")
        response = client.post(
            f"/products/introductions/new?prospect={prospect.id}", data=intro_form()
        )
        assert response.status_code == 400
        assert introduction_count() == 0


class TestEditingIntroductions:
    @pytest.fixture
    def introduction(self, world):
        product = make_product("KMK")
        customer = make_customer(world.officer)
        return make_introduction(world.officer, product, customer_id=customer.id)

    def test_owner_edits_and_deletes(self, client, auth, world, introduction):
        auth.login("ao.budi")
        url = f"/products/introductions/{introduction.id}/edit"
        assert client.get(url).status_code == 200
        response = auth.post(url, intro_form(introduced_on="2024-05-02", outcome="applied"))
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/customers/{introduction.customer_id}")
        db.session.expire_all()
        assert introduction.outcome == "applied"
        response = auth.post(f"/products/introductions/{introduction.id}/delete")
        assert response.status_code == 302
        assert introduction_count() == 0
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.entity_type == "introduction")
            .order_by(AuditEntry.id)
        )
        assert list(actions) == ["update", "delete"]

    @pytest.mark.parametrize(
        ("username", "status"),
        [("ao.sari", 404), ("ao.dewi", 404), ("spv.bdg", 404), ("spv.jkt", 403), ("admin", 403)],
    )
    def test_others_get_404_or_403(self, client, auth, world, introduction, username, status):
        auth.login(username)
        url = f"/products/introductions/{introduction.id}"
        assert client.get(f"{url}/edit").status_code == status
        assert auth.post(f"{url}/edit", intro_form(outcome="applied")).status_code == status
        assert auth.post(f"{url}/delete").status_code == status
        db.session.expire_all()
        assert introduction.outcome == "interested"
