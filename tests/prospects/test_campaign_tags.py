"""Prospects tagged with a campaign (service, form, API, CSV) and the list's campaign and
collected-date filters (the dashboards link to them)."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.prospects import services
from aoapp.prospects.models import Prospect
from aoapp.prospects.schemas import ProspectFilterSchema, ProspectInputSchema
from tests.prospects.conftest import form_data
from tests.support.factories import make_campaign, make_prospect

NOT_HERE = "This campaign does not run in your branch."


def user(u):
    from aoapp.auth.models import User

    return db.session.get(User, u.id)


def load(**overrides) -> dict:
    data = {"name": "Warung Bu Tini", "phone": "081234567001", "source": "event"}
    data.update(overrides)
    return ProspectInputSchema().load(data)


def fresh(prospect) -> Prospect:
    db.session.expire_all()
    return db.session.get(Prospect, prospect.id)


@pytest.fixture
def campaigns(world):
    return {
        "jkt": make_campaign("Pameran Jakarta", branches=("JKT01",)),
        "both": make_campaign("KUR Digital", branches=("JKT01", "BDG01")),
        "bdg": make_campaign("Pameran Bandung", branches=("BDG01",)),
    }


class TestTagging:
    def test_a_campaign_of_the_officers_branch_is_tagged_and_audited(self, world, campaigns):
        prospect = services.create_prospect(
            user(world.officer), load(campaign_id=campaigns["both"].id)
        )
        assert prospect.campaign.name == "KUR Digital"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "prospect"))
        assert entry.after["campaign_id"] == campaigns["both"].id

    def test_a_campaign_of_another_branch_is_a_field_error(self, world, campaigns):
        for refused in (campaigns["bdg"].id, 999):
            with pytest.raises(InvalidInput) as caught:
                services.create_prospect(user(world.officer), load(campaign_id=refused))
            assert caught.value.errors == {"campaign_id": [NOT_HERE]}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Prospect)) == 0

    def test_the_current_tag_survives_the_campaign_leaving_the_branch(self, world, campaigns):
        prospect = make_prospect(world.officer, campaign_id=campaigns["jkt"].id)
        campaigns["jkt"].branches = [campaigns["bdg"].branches[0]]
        db.session.commit()
        services.update_prospect(
            user(world.officer), prospect, {"campaign_id": campaigns["jkt"].id, "notes": "Called"}
        )
        assert fresh(prospect).notes == "Called"
        with pytest.raises(InvalidInput):
            services.update_prospect(
                user(world.officer), fresh(prospect), {"campaign_id": campaigns["bdg"].id}
            )
        services.update_prospect(user(world.officer), fresh(prospect), {"campaign_id": None})
        assert fresh(prospect).campaign_id is None


class TestForm:
    def test_the_select_offers_the_campaigns_of_the_branch(self, client, auth, world, campaigns):
        auth.login("ao.budi")
        page = client.get("/prospects/new").get_data(as_text=True)
        select = re.search(r'<select[^>]*name="campaign_id".*?</select>', page, re.S).group(0)
        assert "Pameran Jakarta" in select and "KUR Digital" in select
        assert "Pameran Bandung" not in select

    def test_a_foreign_campaign_is_refused_on_the_form(self, client, auth, world, campaigns):
        auth.login("ao.budi")
        response = auth.post("/prospects/new", form_data(campaign_id=str(campaigns["bdg"].id)))
        assert response.status_code == 422 and NOT_HERE in response.get_data(as_text=True)
        response = auth.post("/prospects/new", form_data(campaign_id=str(campaigns["jkt"].id)))
        assert response.status_code == 302
        prospect = db.session.scalar(sa.select(Prospect))
        assert prospect.campaign_id == campaigns["jkt"].id

    def test_the_edit_form_keeps_the_tag(self, client, auth, world, campaigns):
        prospect = make_prospect(world.officer, campaign_id=campaigns["jkt"].id)
        auth.login("ao.budi")
        page = client.get(f"/prospects/{prospect.id}/edit").get_data(as_text=True)
        assert re.search(rf'<option selected value="{campaigns["jkt"].id}">Pameran Jakarta', page)

    def test_the_detail_links_the_campaign(self, client, auth, world, campaigns):
        prospect = make_prospect(world.officer, campaign_id=campaigns["jkt"].id)
        auth.login("spv.jkt")
        page = client.get(f"/prospects/{prospect.id}").get_data(as_text=True)
        assert f'<a href="/campaigns/{campaigns["jkt"].id}">Pameran Jakarta</a>' in page

    def test_the_csv_names_the_campaign(self, client, auth, world, campaigns):
        make_prospect(world.officer, campaign_id=campaigns["both"].id)
        auth.login("ao.budi")
        body = client.get("/prospects/export.csv").get_data(as_text=True)
        assert "Campaign" in body.splitlines()[0] and ",KUR Digital," in body


class TestApi:
    def test_campaign_id_in_and_out(self, api, world, campaigns):
        client = api(world.officer)
        response = client.post(
            "/api/v1/prospects",
            json={"name": "Bengkel Jaya", "phone": "081234567001", "source": "event"}
            | {"campaign_id": campaigns["jkt"].id},
        )
        assert response.status_code == 201
        assert response.get_json()["campaign_id"] == campaigns["jkt"].id
        assert response.get_json()["campaign_name"] == "Pameran Jakarta"
        response = client.post(
            "/api/v1/prospects",
            json={"name": "Other", "phone": "081234567002", "source": "event"}
            | {"campaign_id": campaigns["bdg"].id},
        )
        assert response.status_code == 422
        assert response.get_json()["errors"] == {"campaign_id": [NOT_HERE]}
        assert client.post("/api/v1/prospects", json={"campaign": "text"}).status_code == 422


def collected(owner, local: str, **kw) -> Prospect:
    """A prospect collected at a UTC time (Jakarta is UTC+7)."""
    at = datetime.fromisoformat(local).replace(tzinfo=UTC)
    return make_prospect(owner, created_at=at, **kw)


class TestListFilters:
    @pytest.fixture
    def prospects(self, world, campaigns):
        return {
            # 30/09 23:59 in Jakarta, and 01/10 00:30
            "sep": collected(world.officer, "2026-09-30 16:59"),
            "oct1": collected(world.officer, "2026-09-30 17:30", campaign_id=campaigns["jkt"].id),
            "oct31": collected(world.officer, "2026-10-31 16:59", status="won"),
            "nov": collected(world.officer, "2026-10-31 17:00", campaign_id=campaigns["jkt"].id),
            "colleague": collected(world.colleague, "2026-10-10 03:00", status="won"),
        }

    def ids(self, actor, **filters) -> set[int]:
        stmt = services.filtered_query(user(actor), ProspectFilterSchema().load(filters))
        return {p.id for p in db.session.scalars(stmt)}

    def test_collected_dates_in_the_bank_time_zone(self, world, prospects):
        october = self.ids(world.officer, created_from="2026-10-01", created_to="2026-10-31")
        assert october == {prospects["oct1"].id, prospects["oct31"].id}
        assert self.ids(world.officer, created_to="2026-09-30") == {prospects["sep"].id}
        assert self.ids(world.officer, created_from="2026-11-01") == {prospects["nov"].id}

    def test_campaign_and_the_dashboards_link(self, world, prospects, campaigns):
        tagged = self.ids(world.officer, campaign=campaigns["jkt"].id)
        assert tagged == {prospects["oct1"].id, prospects["nov"].id}
        linked = self.ids(
            world.supervisor,
            owner=world.officer.id,
            created_from="2026-10-01",
            created_to="2026-10-31",
            status="won",
        )
        assert linked == {prospects["oct31"].id}

    def test_the_page_and_the_api_take_the_same_filters(
        self, client, auth, api, world, prospects, campaigns
    ):
        auth.login("spv.jkt")
        query = f"owner={world.officer.id}&created_from=2026-10-01&created_to=2026-10-31"
        page = client.get(f"/prospects/?{query}&status=won").get_data(as_text=True)
        assert re.findall(r'<tr data-id="(\d+)"', page) == [str(prospects["oct31"].id)]
        assert 'name="campaign"' in page and 'name="created_from"' in page
        body = api(world.supervisor).get(f"/api/v1/prospects?campaign={campaigns['jkt'].id}")
        assert {i["id"] for i in body.get_json()["items"]} == {
            prospects["oct1"].id,
            prospects["nov"].id,
        }
        bad = api(world.supervisor).get("/api/v1/prospects?created_from=yesterday")
        assert bad.status_code == 422 and "created_from" in bad.get_json()["errors"]
