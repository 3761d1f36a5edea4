"""Campaign pages per role: list and filters, the form and its errors in plain words, the page."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.campaigns.models import Campaign
from aoapp.extensions import db
from tests.support.campaigns import branch_id
from tests.support.factories import make_campaign, make_product, make_prospect


def text(response) -> str:
    return response.get_data(as_text=True)


def form(**overrides) -> dict:
    """A valid campaign form as a browser submits it."""
    data = {
        "name": "Flyer Pasar Minggu",
        "channel": "flyer",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "branches": [str(branch_id("JKT01"))],
        "products": [],
        "cost": "",
        "description": "",
    }
    data.update(overrides)
    return data


def listed(page: str) -> list[str]:
    return re.findall(r'data-campaign="\d+">\s*<td><a [^>]+>([^<]+)</a>', page)


class TestList:
    def test_each_role_sees_its_campaigns_with_their_prospects(self, client, auth, world):
        both = make_campaign("Both branches", branches=("JKT01", "BDG01"))
        make_campaign("Bandung only", branches=("BDG01",))
        make_prospect(world.officer, campaign_id=both.id)
        make_prospect(world.remote, campaign_id=both.id)
        auth.login("spv.jkt")
        page = text(client.get("/campaigns/"))
        assert listed(page) == ["Both branches"]
        assert f'href="/prospects/?campaign={both.id}">1</a>' in page  # JKT01's prospect only
        assert "New campaign" in page
        auth.logout()
        auth.login("ao.dewi")
        page = text(client.get("/campaigns/"))
        assert sorted(listed(page)) == ["Bandung only", "Both branches"]
        assert "New campaign" not in page

    def test_filters_and_a_bad_filter_reported(self, client, auth, world):
        make_campaign("Flyer", channel="flyer")
        make_campaign("Expo")
        auth.login("admin")
        assert listed(text(client.get("/campaigns/?channel=flyer"))) == ["Flyer"]
        page = text(client.get("/campaigns/?status=paused&q=exp"))
        assert listed(page) == ["Expo"]
        assert "Some filters were ignored" in page and "Must be one of: upcoming" in page


class TestForm:
    def test_a_supervisor_creates_a_campaign(self, client, auth, world):
        kur = make_product("KUR", subtype="kur")
        auth.login("spv.jkt")
        page = text(client.get("/campaigns/new"))
        assert "BDG01" not in page and "JKT01" in page  # only the branches they supervise
        response = auth.post("/campaigns/new", form(products=[str(kur.id)], cost="2500000"))
        assert response.status_code == 302
        campaign = db.session.scalar(sa.select(Campaign))
        assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}")
        assert campaign.cost == Decimal("2500000.00") and campaign.products[0].code == "KUR"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"name": ""}, "This field is required."),
            ({"ends_on": "2026-09-30"}, "The campaign cannot end before it starts."),
            ({"branches": []}, "Pick at least one branch."),
            ({"cost": "-5"}, "Must be zero or more."),
            ({"cost": "lots"}, "is not an amount. Write it like 75,000,000, IDR 75,000,000"),
            ({"cost": "1.500"}, "can be read two ways, 1.50 or 1,500"),
        ],
    )
    def test_errors_in_plain_words(self, client, auth, world, overrides, message):
        auth.login("spv.jkt")
        response = auth.post("/campaigns/new", form(**overrides))
        assert response.status_code == 422
        assert message in text(response) and 'class="invalid-feedback d-block"' in text(response)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0

    def test_a_taken_name_and_a_foreign_branch_are_field_errors(self, client, auth, world):
        make_campaign("Flyer Pasar Minggu")
        auth.login("spv.jkt")
        response = auth.post("/campaigns/new", form())
        assert response.status_code == 422
        assert "Another campaign already has this name." in text(response)
        response = auth.post("/campaigns/new", form(name="X", branches=[str(branch_id("BDG01"))]))
        assert response.status_code == 422 and "Pick only branches you supervise." in text(response)

    def test_edit_keeps_the_values_and_saves(self, client, auth, world):
        campaign = make_campaign("Pameran", cost=Decimal("1500000"))
        auth.login("spv.jkt")
        page = text(client.get(f"/campaigns/{campaign.id}/edit"))
        assert 'value="Pameran"' in page and 'value="1,500,000"' in page
        response = auth.post(f"/campaigns/{campaign.id}/edit", form(name="Pameran Besar"))
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Campaign, campaign.id).name == "Pameran Besar"

    def test_read_only_users_are_refused(self, client, auth, world):
        shared = make_campaign("Shared", branches=("JKT01", "BDG01"))
        auth.login("spv.jkt")
        assert client.get(f"/campaigns/{shared.id}/edit").status_code == 403
        auth.logout()
        auth.login("ao.budi")
        assert client.get("/campaigns/new").status_code == 403
        assert auth.post("/campaigns/new", form()).status_code == 403
        assert client.get(f"/campaigns/{shared.id}/edit").status_code == 403

    def test_another_branchs_campaign_is_404(self, client, auth, world):
        bandung = make_campaign("Bandung", branches=("BDG01",))
        auth.login("spv.jkt")
        assert client.get(f"/campaigns/{bandung.id}").status_code == 404
        assert client.get(f"/campaigns/{bandung.id}/edit").status_code == 404
        assert auth.post(f"/campaigns/{bandung.id}/edit", form()).status_code == 404


class TestPage:
    def test_figures_table_and_chart_hook(self, client, auth, world):
        campaign = make_campaign("Pameran", cost=Decimal("1000000"))
        make_prospect(world.officer, campaign_id=campaign.id, status="contacted")
        make_prospect(world.colleague, campaign_id=campaign.id)
        auth.login("spv.jkt")
        page = text(client.get(f"/campaigns/{campaign.id}"))
        assert "Counted: All branches of the campaign." in page
        assert re.search(r'data-stat="prospects_collected"><a [^>]+>2</a>', page)
        assert re.search(r'data-status="contacted"><td>Contacted</td>\s*<td[^>]*><a [^>]+>1<', page)
        assert f'data-url="/api/v1/campaigns/{campaign.id}/stats"' in page
        assert "campaigns.js" in page and "chart.umd.min.js" in page and "<script>" not in page
        assert "No converted customer yet." in page
        assert f'href="/campaigns/{campaign.id}/edit"' in page

    def test_an_officer_reads_their_share_without_edit(self, client, auth, world):
        campaign = make_campaign("Pameran", branches=("JKT01", "BDG01"), cost=Decimal("5"))
        make_prospect(world.officer, campaign_id=campaign.id)
        make_prospect(world.colleague, campaign_id=campaign.id)
        auth.login("ao.budi")
        page = text(client.get(f"/campaigns/{campaign.id}"))
        assert "Counted: Your own prospects and introductions only." in page
        assert re.search(r'data-stat="prospects_collected"><a [^>]+>1</a>', page)
        assert "/edit" not in page
        assert "divided only when every branch is counted" in page
