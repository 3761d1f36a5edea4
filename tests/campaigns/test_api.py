"""Campaigns JSON API through real HTTP: envelope, filters, create/patch, errors, stats, scope."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.campaigns.models import Campaign
from aoapp.extensions import db
from tests.support.campaigns import branch_id
from tests.support.credit import make_facility
from tests.support.factories import make_campaign, make_customer, make_product, make_prospect

URL = "/api/v1/campaigns"
PAGE_SCRIPT = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin"}


def body(**overrides) -> dict:
    data = {
        "name": "Instagram KUR",
        "channel": "social_media",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "branches": [branch_id("JKT01")],
    }
    data.update(overrides)
    return data


class TestReading:
    def test_list_envelope_and_shape(self, api, world):
        kur = make_product("KUR", subtype="kur")
        make_campaign(
            "Pameran", cost=Decimal("2500000.50"), products=[kur], branches=("JKT01", "BDG01")
        )
        make_campaign("Bandung", branches=("BDG01",))
        response = api(world.officer).get(URL)
        assert response.status_code == 200
        page = response.get_json()
        assert {k: page[k] for k in ("page", "per_page", "total", "pages")} == {
            "page": 1,
            "per_page": 50,
            "total": 1,
            "pages": 1,
        }
        (item,) = page["items"]
        assert item["name"] == "Pameran" and item["cost"] == "2500000.50"
        assert [b["code"] for b in item["branches"]] == ["BDG01", "JKT01"]
        assert item["products"] == [{"id": kur.id, "code": "KUR", "name": "Product KUR"}]
        assert item["status"] in {"upcoming", "running", "ended"}
        assert (item["starts_on"], item["ends_on"]) == ("2026-09-01", "2026-10-31")

    @pytest.mark.parametrize(
        ("query", "field"),
        [("status=paused", "status"), ("channel=tv", "channel"), ("colour=red", "colour")],
    )
    def test_bad_filters_are_422_with_the_field(self, api, world, query, field):
        response = api(world.admin).get(f"{URL}?{query}")
        assert response.status_code == 422 and field in response.get_json()["errors"]

    def test_filters(self, api, world):
        make_campaign("Flyer", channel="flyer")
        make_campaign("Expo", branches=("BDG01",))
        client = api(world.admin)
        names = lambda q: [i["name"] for i in client.get(f"{URL}?{q}").get_json()["items"]]  # noqa: E731
        assert names("channel=flyer") == ["Flyer"]
        assert names(f"branch={branch_id('BDG01')}") == ["Expo"]
        assert names("q=exp") == ["Expo"]
        assert names("active_on=2026-08-31") == []

    def test_outside_scope_is_404(self, api, world):
        campaign = make_campaign("Bandung", branches=("BDG01",))
        client = api(world.officer)
        for url in (f"{URL}/{campaign.id}", f"{URL}/{campaign.id}/stats", f"{URL}/999"):
            assert client.get(url).status_code == 404
        assert client.patch(f"{URL}/{campaign.id}", json={"name": "x"}).status_code == 404
        assert api(world.remote).get(f"{URL}/{campaign.id}").status_code == 200


class TestChanging:
    def test_a_supervisor_creates_and_patches(self, api, world):
        client = api(world.supervisor)
        response = client.post(URL, json=body(cost="1000000"))
        assert response.status_code == 201, response.get_json()
        created = response.get_json()
        assert created["cost"] == "1000000.00" and created["created_by"] == "spv.jkt"
        patched = client.patch(f"{URL}/{created['id']}", json={"ends_on": "2026-11-15"})
        assert patched.status_code == 200 and patched.get_json()["ends_on"] == "2026-11-15"
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.entity_type == "campaign")
        ).all()
        assert sorted(actions) == ["create", "update"]

    def test_field_errors_are_422(self, api, world):
        make_campaign("Instagram KUR")
        client = api(world.supervisor)
        response = client.post(URL, json=body())
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "name": ["Another campaign already has this name."]
        }
        response = client.post(
            URL, json=body(name="Other", branches=[branch_id("BDG01")], ends_on="2026-09-01")
        )
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "ends_on": ["The campaign cannot end before it starts."]
        }
        response = client.post(URL, json=body(name="Other", branches=[branch_id("BDG01")]))
        assert response.get_json()["errors"] == {"branches": ["Pick only branches you supervise."]}
        response = client.post(URL, json=body(name="Other", cost=12.5))
        assert response.status_code == 422 and "cost" in response.get_json()["errors"]

    def test_a_patch_checks_the_period_against_the_stored_dates(self, api, world):
        campaign = make_campaign("Pameran")
        response = api(world.admin).patch(f"{URL}/{campaign.id}", json={"ends_on": "2026-08-01"})
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "ends_on": ["The campaign cannot end before it starts."]
        }

    def test_read_only_users_get_403(self, api, world):
        shared = make_campaign("Shared", branches=("JKT01", "BDG01"))
        mine = make_campaign("Mine")
        assert api(world.officer).post(URL, json=body()).status_code == 403
        assert api(world.officer).patch(f"{URL}/{mine.id}", json={"name": "x"}).status_code == 403
        response = api(world.supervisor).patch(f"{URL}/{shared.id}", json={"name": "x"})
        assert response.status_code == 403
        assert db.session.get(Campaign, shared.id).name == "Shared"


class TestStats:
    def test_figures_as_strings(self, api, world):
        campaign = make_campaign("Pameran", cost=Decimal("1000000"))
        for _ in range(4):
            make_prospect(world.officer, campaign_id=campaign.id)
        customer = make_customer(world.officer)
        make_prospect(
            world.officer,
            status="won",
            customer_id=customer.id,
            converted_at=datetime(2026, 9, 1, 3, tzinfo=UTC),
            campaign_id=campaign.id,
        )
        make_facility(customer, start=date(2026, 9, 2), plafond=Decimal("75000000"))
        stats = api(world.supervisor).get(f"{URL}/{campaign.id}/stats").get_json()
        assert stats["prospects_collected"] == 5 and stats["converted_customers"] == 1
        assert stats["conversion_rate"] == "0.2000"
        assert (stats["facilities_opened"], stats["facilities_plafond"]) == (1, "75000000.00")
        assert stats["cost_per_converted_customer"] == "1000000.00"
        assert stats["whole"] is True and stats["scope"] == "All branches of the campaign."
        assert stats["prospects_by_status"][0] == {"code": "new", "label": "New", "count": 4}
        assert stats["introductions_by_outcome"][0]["count"] == 0

    def test_the_page_script_reads_stats_with_the_session(self, client, auth, world):
        campaign = make_campaign("Pameran")
        auth.login("ao.budi")
        url = f"{URL}/{campaign.id}/stats"
        assert client.get(url, headers=PAGE_SCRIPT).status_code == 200
        assert client.get(url).status_code == 401  # a cookie alone does not open the API
