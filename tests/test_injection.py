"""Hostile input: markup in user text is escaped on every page, and SQL in filters and sort
parameters is data, never code (the tables survive, the answer is a clean 200 or 422)."""

import pytest
import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.prospects.models import Prospect
from tests.support import factories

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = [
    "'; DROP TABLE customers; --",
    "1 OR 1=1",
    "name; DELETE FROM prospects",
    "-name) UNION SELECT password_hash FROM users --",
    "' OR ''='",
]


def _counts():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Customer)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Prospect)),
    )


class TestMarkupIsEscaped:
    @pytest.fixture
    def hostile(self, world):
        prospect = factories.make_prospect(
            world.officer, name=f"Budi {SCRIPT}", notes=IMG, business_type=SCRIPT
        )
        customer = factories.make_customer(world.officer, name=f"PT {SCRIPT}", address=IMG)
        return prospect, customer

    @pytest.mark.parametrize(
        "url",
        [
            "/prospects/",
            "/prospects/{prospect}",
            "/prospects/{prospect}/edit",
            "/customers/",
            "/customers/{customer}",
            "/customers/{customer}/edit",
        ],
    )
    def test_pages_escape_user_text(self, client, auth, hostile, url):
        prospect, customer = hostile
        auth.login("ao.budi")
        response = client.get(url.format(prospect=prospect.id, customer=customer.id))
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert SCRIPT not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;" in body or "&lt;img" in body or "&#34;&gt;&lt;img" in body

    def test_supervisor_pages_escape_user_text(self, client, auth, world, hostile):
        prospect, _customer = hostile
        auth.login("ao.budi")
        edited = auth.post(
            f"/prospects/{prospect.id}/edit",
            {"name": f"Budi {IMG}", "phone": prospect.phone, "source": "walk_in"},
        )
        assert edited.status_code == 302
        auth.logout()
        auth.login("spv.jkt")
        for url in ("/customers/", "/prospects/", f"/audit/prospect/{prospect.id}"):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.get_data(as_text=True)
            assert SCRIPT not in body and "<img src=x" not in body, url
        assert "&lt;img src=x" in body  # the audit page shows the edited name, escaped

    def test_the_api_returns_text_as_data(self, api, world, hostile):
        _prospect, customer = hostile
        response = api(world.officer).get(f"/api/v1/customers/{customer.id}")
        assert response.mimetype == "application/json"
        assert response.json["name"] == f"PT {SCRIPT}"


class TestSqlInFiltersAndSort:
    @pytest.fixture
    def data(self, world):
        factories.make_prospect(world.officer, name="Ani")
        factories.make_customer(world.officer, name="Budi")
        return _counts()

    @pytest.mark.parametrize("payload", SQL)
    @pytest.mark.parametrize(
        "path",
        ["/prospects/?q={p}", "/prospects/?sort={p}", "/customers/?q={p}", "/customers/?sort={p}"],
    )
    def test_html_lists_treat_sql_as_text(self, client, auth, data, path, payload):
        auth.login("ao.budi")
        response = client.get(path.format(p=payload))
        assert response.status_code in (200, 422)
        assert _counts() == data

    @pytest.mark.parametrize("payload", SQL)
    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/prospects?q={p}",
            "/api/v1/prospects?sort={p}",
            "/api/v1/customers?q={p}",
            "/api/v1/customers?sort={p}",
            "/api/v1/customers?officer={p}",
            "/api/v1/facilities?sort={p}",
        ],
    )
    def test_api_lists_treat_sql_as_text(self, api, world, data, path, payload):
        response = api(world.officer).get(path.format(p=payload))
        assert response.status_code in (200, 422), response.json
        assert _counts() == data
        if response.status_code == 200:
            names = [
                item.get("name") or item.get("customer_name") for item in response.json["items"]
            ]
            assert "Ani" not in names or "q=" not in path  # a text search never matches everything

    def test_a_quote_in_a_search_finds_the_name_that_has_it(self, api, world):
        factories.make_customer(world.officer, name="Toko O'Brien")
        factories.make_customer(world.officer, name="Toko Lain")
        response = api(world.officer).get("/api/v1/customers?q=O'Brien")
        assert [item["name"] for item in response.json["items"]] == ["Toko O'Brien"]


class TestControlCharacters:
    def test_a_nul_character_in_text_is_refused_with_a_field_error(self, api, world):
        response = api(world.officer).post(
            "/api/v1/prospects",
            json={"name": "Budi\x00", "phone": "081234567890", "source": "walk_in"},
        )
        assert response.status_code == 422
        assert "not allowed" in response.json["errors"]["name"][0]
        assert _counts() == (0, 0)
