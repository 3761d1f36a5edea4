"""Introductions tagged with a campaign, and the HTML list of introductions with its filters."""

import re
from datetime import date

import pytest

from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.introductions import services
from aoapp.introductions.models import Introduction
from aoapp.introductions.schemas import IntroductionInputSchema
from tests.support.factories import make_campaign, make_customer, make_product, make_prospect
from tests.support.products import make_introduction, user

NOT_HERE = "This campaign does not run in your branch."


def intro_input(**overrides) -> dict:
    data = {"product": "KMK", "place": "event", "outcome": "interested"}
    data.update(overrides)
    return IntroductionInputSchema().load(data)


@pytest.fixture
def campaigns(world):
    return {
        "jkt": make_campaign("Pameran Jakarta", branches=("JKT01",)),
        "bdg": make_campaign("Pameran Bandung", branches=("BDG01",)),
    }


class TestTagging:
    def test_a_campaign_of_the_subjects_branch(self, world, campaigns):
        make_product("KMK")
        prospect = make_prospect(world.officer)
        introduction = services.log_introduction(
            user(world.officer), intro_input(prospect=prospect.id, campaign_id=campaigns["jkt"].id)
        )
        assert introduction.campaign.name == "Pameran Jakarta"
        with pytest.raises(InvalidInput) as caught:
            services.log_introduction(
                user(world.officer),
                intro_input(prospect=prospect.id, campaign_id=campaigns["bdg"].id),
            )
        assert caught.value.errors == {"campaign_id": [NOT_HERE]}

    def test_a_correction_checks_the_new_tag_only(self, world, campaigns):
        kmk = make_product("KMK")
        customer = make_customer(world.officer)
        introduction = make_introduction(
            world.officer, kmk, customer_id=customer.id, campaign_id=campaigns["bdg"].id
        )
        services.update_introduction(
            user(world.officer), introduction, {"campaign_id": campaigns["bdg"].id}
        )
        with pytest.raises(InvalidInput):
            services.update_introduction(user(world.officer), introduction, {"campaign_id": 999})
        services.update_introduction(
            user(world.officer), introduction, {"campaign_id": campaigns["jkt"].id}
        )
        assert db.session.get(Introduction, introduction.id).campaign_id == campaigns["jkt"].id

    def test_the_form_offers_and_checks_campaigns(self, client, auth, world, campaigns):
        make_product("KMK")
        prospect = make_prospect(world.officer)
        auth.login("ao.budi")
        url = f"/products/introductions/new?prospect={prospect.id}"
        page = client.get(url).get_data(as_text=True)
        select = re.search(r'<select[^>]*name="campaign_id".*?</select>', page, re.S).group(0)
        assert "Pameran Jakarta" in select and "Pameran Bandung" not in select
        form = {
            "product": "KMK",
            "introduced_on": "2026-10-01",
            "place": "event",
            "outcome": "interested",
            "follow_up_date": "",
            "explanation": "",
        }
        response = auth.post(url, {**form, "campaign_id": str(campaigns["bdg"].id)})
        assert response.status_code == 422 and NOT_HERE in response.get_data(as_text=True)
        response = auth.post(url, {**form, "campaign_id": str(campaigns["jkt"].id)})
        assert response.status_code == 302
        introduction = db.session.scalar(db.select(Introduction))
        assert introduction.campaign_id == campaigns["jkt"].id
        page = client.get(f"/products/introductions/{introduction.id}/edit").get_data(as_text=True)
        assert re.search(rf'<option selected value="{campaigns["jkt"].id}">', page)

    def test_the_api_carries_campaign_id(self, api, world, campaigns):
        make_product("KMK")
        prospect = make_prospect(world.officer)
        response = api(world.officer).post(
            "/api/v1/introductions",
            json={
                "prospect": prospect.id,
                "product": "KMK",
                "place": "event",
                "outcome": "interested",
                "campaign_id": campaigns["jkt"].id,
            },
        )
        assert response.status_code == 201
        assert response.get_json()["campaign_id"] == campaigns["jkt"].id
        assert response.get_json()["campaign_name"] == "Pameran Jakarta"


def listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-introduction="(\d+)"', page)]


class TestIntroductionsList:
    @pytest.fixture
    def intros(self, world, campaigns):
        kmk, kur = make_product("KMK"), make_product("KUR", subtype="kur")
        budi, sari, dewi = world.officer, world.colleague, world.remote
        return {
            "a": make_introduction(
                budi,
                kmk,
                prospect_id=make_prospect(budi).id,
                introduced_on=date(2026, 10, 1),
                campaign_id=campaigns["jkt"].id,
            ),
            "b": make_introduction(
                budi,
                kur,
                customer_id=make_customer(budi).id,
                introduced_on=date(2026, 10, 31),
                outcome="applied",
            ),
            "c": make_introduction(
                sari, kmk, prospect_id=make_prospect(sari).id, introduced_on=date(2026, 11, 1)
            ),
            "d": make_introduction(
                dewi, kmk, customer_id=make_customer(dewi).id, introduced_on=date(2026, 10, 5)
            ),
        }

    def test_scoped_like_the_api(self, client, auth, world, intros):
        auth.login("ao.budi")
        page = client.get("/products/introductions/").get_data(as_text=True)
        assert set(listed(page)) == {intros["a"].id, intros["b"].id}
        assert 'name="officer"' not in page
        auth.logout()
        auth.login("spv.jkt")
        page = client.get("/products/introductions/").get_data(as_text=True)
        assert set(listed(page)) == {intros[k].id for k in "abc"}
        assert "Pameran Jakarta" in page and 'name="officer"' in page

    def test_filters(self, client, auth, world, intros, campaigns):
        auth.login("admin")

        def ids(query):
            return set(
                listed(client.get(f"/products/introductions/?{query}").get_data(as_text=True))
            )

        a, b, c, d = (intros[k].id for k in "abcd")
        # The dashboards' link: one officer, one month.
        assert ids(f"officer={world.officer.id}&from=2026-10-01&to=2026-10-31") == {a, b}
        assert ids("from=2026-10-02&to=2026-10-31") == {b, d}
        assert ids("product=KUR") == {b}
        assert ids("outcome=applied") == {b}
        assert ids(f"campaign={campaigns['jkt'].id}") == {a}
        assert ids("to=not-a-date") == {a, b, c, d}  # a bad filter is ignored, not fatal

    def test_paginated_newest_first(self, client, auth, world):
        kmk = make_product("KMK")
        prospect = make_prospect(world.officer)
        made = [
            make_introduction(
                world.officer, kmk, prospect_id=prospect.id, introduced_on=date(2026, 1, 1 + n)
            ).id
            for n in range(27)
        ] + [
            make_introduction(
                world.officer, kmk, prospect_id=prospect.id, introduced_on=date(2026, 2, 1 + n)
            ).id
            for n in range(27)
        ]
        auth.login("ao.budi")
        first = client.get("/products/introductions/").get_data(as_text=True)
        assert listed(first)[:2] == [made[-1], made[-2]] and len(listed(first)) == 50
        second = client.get("/products/introductions/?page=2").get_data(as_text=True)
        assert listed(second) == [made[3], made[2], made[1], made[0]]
        assert "54 records" in second

    def test_api_filters_match(self, api, world, intros):
        body = api(world.supervisor).get(
            f"/api/v1/introductions?officer={world.officer.id}&from=2026-10-02"
        )
        assert [i["id"] for i in body.get_json()["items"]] == [intros["b"].id]
