"""`/api/v1/funding/summary` and `/api/v1/relationship/summary` on the hand book
(tests/support/funding.py): values, strings, nulls, scoping as the portfolio summary, 422."""

import pytest

from tests.support.funding import hand_book

FUNDING = "/api/v1/funding/summary"
RELATIONSHIP = "/api/v1/relationship/summary"
OCT = "as_of=2026-10-31"


@pytest.fixture
def book(world):
    return hand_book(world)


def get(api, user, url, status=200) -> dict:
    response = api(user).get(url)
    assert response.status_code == status, response.get_json()
    return response.get_json()


class TestFunding:
    def test_an_officers_figures_as_strings(self, api, world, book):
        body = get(api, world.officer, f"{FUNDING}?{OCT}")
        assert {k: body[k] for k in ("dpk_total", "giro", "tabungan", "deposito")} == {
            "dpk_total": "500000000.00",
            "giro": "50000000.00",
            "tabungan": "150000000.00",
            "deposito": "300000000.00",
        }
        assert (body["casa_ratio"], body["account_count"], body["depositors"]) == ("0.4000", 4, 3)
        assert (body["as_of"], body["previous_as_of"], body["year_start_as_of"]) == (
            "2026-10-31",
            "2026-09-30",
            "2025-12-31",
        )
        assert (body["growth_month"], body["growth_month_ratio"]) == ("-170000000.00", "-0.2537")
        assert (body["growth_year"], body["growth_year_ratio"]) == ("440000000.00", "7.3333")
        assert (body["maturing_from"], body["maturing_7d"], body["maturing_30d"]) == (
            "2026-10-31",
            1,
            1,
        )
        assert (body["maturing_7d_amount"], body["maturing_7d_non_aro"]) == ("300000000.00", 1)
        assert body["runoff"] == {
            "share": "0.5000",
            "previous": "2026-09-30",
            "closed_count": 1,
            "closed_amount": "40000000.00",
            "dropped_count": 1,
            "dropped_amount": "150000000.00",
            "amount": "190000000.00",
        }
        assert [k["kind"] for k in body["kinds"]] == ["giro", "tabungan", "deposito"]
        assert body["officer"] == world.officer.id and body["scope"] == "Officer Ao.Budi"

    def test_the_last_listing_on_or_before_the_day(self, api, world, book):
        body = get(api, world.admin, f"{FUNDING}?as_of=2026-11-15")
        assert (body["as_of"], body["maturing_from"]) == ("2026-10-31", "2026-11-15")
        assert body["dpk_total"] == "2100000000.00"
        assert get(api, world.admin, FUNDING)["as_of"] == "2026-11-30"  # default: the newest

    def test_the_run_off_share_is_a_setting(self, app, api, world, book):
        app.config["FUNDING_RUNOFF_SHARE"] = "0.8"  # T4 kept a quarter: down 75 %, not over 80
        body = get(api, world.officer, f"{FUNDING}?{OCT}")
        assert (body["runoff"]["share"], body["runoff"]["dropped_count"]) == ("0.8000", 0)

    def test_nothing_listed_yet_is_zeros_and_nulls(self, api, world):
        body = get(api, world.officer, f"{FUNDING}?{OCT}")
        assert (body["as_of"], body["dpk_total"], body["casa_ratio"]) == (None, "0.00", None)
        assert (body["growth_month"], body["maturing_7d"], body["maturing_from"]) == (None, 0, None)


class TestRelationship:
    def test_cross_sell_shares_and_retention(self, api, world, book):
        body = get(api, world.officer, f"{RELATIONSHIP}?{OCT}&from=2026-09-30")
        assert body == {
            "as_of": "2026-10-31",
            "loans_as_of": "2026-10-31",
            "deposits_as_of": "2026-10-31",
            "scope": "Officer Ao.Budi",
            "customers": 4,
            "products_held": 8,
            "products_per_customer": "2.0000",
            "borrowers": 2,
            "borrowers_with_funding": 2,
            "borrowers_with_funding_share": "1.0000",
            "depositors": 3,
            "depositors_with_credit": 1,
            "depositors_with_credit_share": "0.3333",
            "from": "2026-09-30",
            "retention_rate": "0.8000",
            "customers_start": 5,
            "customers_retained": 4,
        }

    def test_without_from_no_retention_and_without_deposits_no_figures(self, api, world, book):
        body = get(api, world.supervisor, f"{RELATIONSHIP}?{OCT}")
        assert (body["customers"], body["products_per_customer"]) == (5, "2.0000")
        assert body["retention_rate"] is body["customers_start"] is body["from"] is None
        early = get(api, world.admin, f"{RELATIONSHIP}?as_of=2025-06-30")
        assert (early["deposits_as_of"], early["products_per_customer"], early["customers"]) == (
            None,
            None,
            0,
        )


class TestScope:
    @pytest.mark.parametrize(
        ("user", "dpk", "customers"),
        [
            ("officer", "500000000.00", 4),
            ("colleague", "1000000000.00", 1),
            ("remote", "600000000.00", 2),
            ("supervisor", "1500000000.00", 5),
            ("bdg_supervisor", "600000000.00", 2),
            ("admin", "2100000000.00", 6),
        ],
    )
    def test_each_role_sees_its_own(self, api, world, book, user, dpk, customers):
        actor = getattr(world, user)
        assert get(api, actor, f"{FUNDING}?{OCT}")["dpk_total"] == dpk
        assert get(api, actor, f"{RELATIONSHIP}?{OCT}")["customers"] == customers

    @pytest.mark.parametrize("url", [FUNDING, RELATIONSHIP])
    def test_another_branch_or_officer_is_404(self, api, world, book, url):
        for user, query in (
            (world.officer, f"officer={world.colleague.id}"),
            (world.officer, f"branch={world.bdg.id}"),
            (world.remote, f"branch={world.jkt.id}"),
            (world.supervisor, f"officer={world.remote.id}"),
            (world.supervisor, f"branch={world.bdg.id}"),
            (world.admin, "officer=999999"),
        ):
            get(api, user, f"{url}?{OCT}&{query}", status=404)

    def test_an_officer_naming_their_own_branch_gets_their_own_figures(self, api, world, book):
        body = get(api, world.officer, f"{FUNDING}?{OCT}&branch={world.jkt.id}")
        assert body["dpk_total"] == "500000000.00"  # as the portfolio summary: their own

    def test_a_supervisor_names_an_officer_of_theirs(self, api, world, book):
        body = get(api, world.supervisor, f"{RELATIONSHIP}?{OCT}&officer={world.colleague.id}")
        assert (body["customers"], body["products_per_customer"]) == (1, "2.0000")


class TestArguments:
    @pytest.mark.parametrize(
        "query", ["as_of=31-10-2026", "officer=abc", "colour=red", "from=yesterday"]
    )
    def test_bad_arguments_are_422(self, api, world, query):
        url = RELATIONSHIP if query.startswith("from") else FUNDING
        assert api(world.officer).get(f"{url}?{query}").status_code == 422

    def test_documented_in_openapi_with_nullable_figures(self, client):
        spec = client.get("/api/openapi.json").json
        for path in ("/api/v1/funding/summary", "/api/v1/relationship/summary"):
            assert "get" in spec["paths"][path], path
        schemas = spec["components"]["schemas"]
        funding, relationship = schemas["FundingSummary"], schemas["RelationshipSummary"]
        assert funding["properties"]["casa_ratio"]["nullable"] is True
        assert funding["properties"]["dpk_total"]["type"] == "string"
        for key in ("products_per_customer", "retention_rate", "customers_start"):
            assert relationship["properties"][key]["nullable"] is True, key
