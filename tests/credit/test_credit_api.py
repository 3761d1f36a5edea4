"""Credit API: facilities (list and one), portfolio summary (= figures()), watchlist; scope, 422."""

from datetime import date

import pytest

from aoapp.credit.figures import portfolio_figures
from aoapp.extensions import db
from tests.support.credit import (
    AS_OF,
    EARLIER,
    hand_portfolio,
    make_book,
    make_facility,
    post_listing,
)
from tests.support.factories import make_customer

FACILITIES = "/api/v1/facilities"
SUMMARY = "/api/v1/portfolio/summary"
WATCHLIST = "/api/v1/watchlist"


@pytest.fixture
def book(world):
    """Facilities A1–A3 (ao.budi), S1 (ao.sari), D1 (ao.dewi) on two dates."""
    return make_book(world)


def accounts(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["account_no"] for item in response.json["items"]]


class TestFacilityList:
    def test_envelope_and_item(self, api, world, book):
        body = api(world.officer).get(f"{FACILITIES}?sort=account_no").json
        assert {k: body[k] for k in ("page", "per_page", "total", "pages")} == {
            "page": 1,
            "per_page": 50,
            "total": 3,
            "pages": 1,
        }
        a1 = body["items"][0]
        assert a1 == {
            "id": book["A1"].id,
            "account_no": "A1",
            "customer": book["A1"].customer_id,
            "cif": "CIF-B1",
            "customer_name": "Warung Budi",
            "product": "KMK",
            "officer": world.officer.id,
            "officer_username": "ao.budi",
            "as_of": "2024-06-30",
            "outstanding": "400.00",
            "dpd": 40,
            "facility_kol": 2,
            "debtor_kol": 2,
            "kol_rule": "dpd",
            "bucket": "31_60",
            "prev_dpd": 0,
            "prev_kol": 1,
            "dpd_change": 40,
            "kol_change": 1,
            "restructured": False,
            "maturity_date": "2028-01-02",
        }

    @pytest.mark.parametrize(
        ("user", "expected"),
        [
            ("officer", ["A1", "A2", "A3"]),
            ("colleague", ["S1"]),
            ("supervisor", ["A1", "A2", "A3", "S1"]),
            ("bdg_supervisor", ["D1"]),
            ("admin", ["A1", "A2", "A3", "D1", "S1"]),
        ],
    )
    def test_scope_per_role(self, api, world, book, user, expected):
        assert accounts(api(getattr(world, user)).get(f"{FACILITIES}?sort=account_no")) == expected

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("kol=2", ["A1", "A2"]),
            ("bucket=current", ["A2", "A3"]),
            ("product=KUR", ["A2"]),
            ("restructured=true", ["A2"]),
            ("watchlist=true", ["A1", "A3"]),
            ("q=toko", ["A3"]),
            ("as_of=2024-05-31&kol=3", ["A3"]),
        ],
    )
    def test_filters(self, api, world, book, query, expected):
        assert accounts(api(world.officer).get(f"{FACILITIES}?{query}&sort=account_no")) == expected

    def test_supervisor_officer_filter_and_paging(self, api, world, book):
        client = api(world.supervisor)
        assert accounts(client.get(f"{FACILITIES}?officer={world.colleague.id}")) == ["S1"]
        body = client.get(f"{FACILITIES}?per_page=3&page=2&sort=-account_no").json
        assert (body["total"], body["pages"], [i["account_no"] for i in body["items"]]) == (
            4,
            2,
            ["A1"],
        )

    @pytest.mark.parametrize(
        "query",
        ["colour=blue", "kol=6", "bucket=late", "sort=height", "per_page=201", "as_of=yesterday"],
    )
    def test_bad_or_unknown_arguments_are_422(self, api, world, query):
        response = api(world.officer).get(f"{FACILITIES}?{query}")
        assert response.status_code == 422 and response.json["errors"]

    @pytest.mark.parametrize(
        ("user", "query"),
        [
            ("officer", "officer={colleague}"),
            ("supervisor", "branch={bdg}"),
            ("supervisor", "officer={remote}"),
            ("bdg_supervisor", "branch={jkt}"),
        ],
    )
    def test_outside_the_scope_is_404(self, api, world, book, user, query):
        ids = {
            "colleague": world.colleague.id,
            "remote": world.remote.id,
            "bdg": world.bdg.id,
            "jkt": world.jkt.id,
        }
        for url in (FACILITIES, SUMMARY, WATCHLIST):
            response = api(getattr(world, user)).get(f"{url}?{query.format(**ids)}")
            assert response.status_code == 404, url
            assert response.json["code"] == 404

    def test_token_required(self, client):
        for url in (FACILITIES, f"{FACILITIES}/1", SUMMARY, WATCHLIST):
            assert client.get(url).status_code == 401


class TestFacilityItem:
    def test_facility_with_positions_newest_first(self, api, world, book):
        body = api(world.officer).get(f"{FACILITIES}/{book['A2'].id}").json
        assert body["account_no"] == "A2" and body["product"] == "KUR"
        assert body["restructured"] is True and body["restructured_on"] == "2024-01-15"
        assert body["plafond"] == "500000000.00" and body["interest_rate"] == "11.5000"
        assert body["customer_cif"] == "CIF-B3" and body["status"] == "active"
        assert [
            (p["as_of"], p["dpd"], p["facility_kol"], p["kol_rule"]) for p in body["positions"]
        ] == [
            ("2024-06-30", 0, 2, "restructure_hold"),
            ("2024-05-31", 10, 2, "dpd"),
        ]
        assert body["positions"][0]["outstanding"] == "300.00"

    @pytest.mark.parametrize(
        ("user", "account", "status"),
        [
            ("officer", "A1", 200),
            ("officer", "S1", 404),
            ("officer", "D1", 404),
            ("colleague", "A1", 404),
            ("supervisor", "S1", 200),
            ("supervisor", "D1", 404),
            ("bdg_supervisor", "D1", 200),
            ("bdg_supervisor", "A1", 404),
            ("admin", "D1", 200),
        ],
    )
    def test_scope(self, api, world, book, user, account, status):
        response = api(getattr(world, user)).get(f"{FACILITIES}/{book[account].id}")
        assert response.status_code == status

    def test_unknown_id_is_404(self, api, world):
        assert api(world.admin).get(f"{FACILITIES}/424242").status_code == 404


class TestSummary:
    @pytest.mark.parametrize("user", ["officer", "supervisor", "admin"])
    def test_same_figures_as_the_page_function(self, api, world, user):
        hand_portfolio(world.officer)
        actor = getattr(world, user)
        figures = portfolio_figures(actor)
        body = api(actor).get(SUMMARY).json
        assert body["as_of"] == "2024-06-30"
        assert body["total_outstanding"] == str(figures.total_outstanding) == "1090000000.00"
        assert (body["facility_count"], body["debtor_count"]) == (14, 5)
        assert body["npl_outstanding"] == "360000000.50" and body["npl_ratio"] == "0.3303"
        assert body["lar_outstanding"] == "790000000.50" and body["lar_ratio"] == "0.7248"
        assert body["par"] == [
            {"days": 30, "outstanding": "460000000.00", "ratio": "0.4220"},
            {"days": 60, "outstanding": "390000000.00", "ratio": "0.3578"},
            {"days": 90, "outstanding": "260000000.00", "ratio": "0.2385"},
        ]
        assert body["kol_distribution"][3] == {
            "kol": 4,
            "name": "Doubtful",
            "count": 0,
            "outstanding": "0.00",
            "share": "0.0000",
        }
        assert [k["share"] for k in body["kol_distribution"]] == [
            "0.4587",
            "0.2110",
            "0.1376",
            "0.0000",
            "0.1927",
        ]
        assert body["aging"][0] == {
            "bucket": "current",
            "label": "Current (0)",
            "count": 3,
            "outstanding": "600000000.00",
            "share": "0.5505",
        }
        assert [a["count"] for a in body["aging"]] == [r.count for r in figures.aging]

    def test_scope_arguments(self, api, world, book):
        client = api(world.admin)
        assert client.get(SUMMARY).json["total_outstanding"] == "3550.00"
        body = client.get(f"{SUMMARY}?branch={world.bdg.id}").json
        assert (body["total_outstanding"], body["scope"], body["branch"]) == (
            "1800.00",
            "Branch BDG01",
            world.bdg.id,
        )
        body = client.get(f"{SUMMARY}?officer={world.officer.id}&as_of=2024-05-31").json
        assert (body["total_outstanding"], body["as_of"], body["officer"]) == (
            "1000.00",
            "2024-05-31",
            world.officer.id,
        )

    def test_an_officer_asking_for_their_branch_gets_their_own_figures_labelled_so(
        self, api, world, book
    ):
        client = api(world.officer)
        own = client.get(SUMMARY).json
        body = client.get(f"{SUMMARY}?branch={world.jkt.id}").json
        assert body["total_outstanding"] == own["total_outstanding"]
        name = db.session.merge(world.officer).display_name
        assert body["scope"] == f"Branch JKT01 · Officer {name}"
        assert body["officer"] == world.officer.id

    def test_empty_portfolio(self, api, world):
        body = api(world.officer).get(SUMMARY).json
        assert body["as_of"] is None and body["total_outstanding"] == "0.00"
        assert body["npl_ratio"] == "0.0000"

    @pytest.mark.parametrize("query", ["kol=1", "as_of=31-05-2024", "branch=x"])
    def test_bad_arguments_are_422(self, api, world, query):
        assert api(world.officer).get(f"{SUMMARY}?{query}").status_code == 422


class TestWatchlist:
    def test_envelope_and_entries(self, api, world, book):
        body = api(world.officer).get(WATCHLIST).json
        # One entry per account, by severity (debtor Kol) then outstanding.
        assert (body["total"], body["page"], body["per_page"]) == (2, 1, 50)
        assert [(e["account_no"], e["severity"], e["signal"]) for e in body["items"]] == [
            ("A1", 2, "dpd_rise"),
            ("A3", 1, "maturity_soon"),
        ]
        first = body["items"][0]
        assert [s["signal"] for s in first["signals"]] == [
            "dpd_rise",
            "downgrade",
            "no_follow_up",  # 40 days past due, no follow-up recorded
        ]
        assert first["signals"][0] == {
            "signal": "dpd_rise",
            "label": "DPD rise",
            "reason": "Days past due rose from 0 to 40.",
            "date": "2024-06-30",
        }
        assert first["reason"].startswith("Days past due rose from 0 to 40. ")
        assert first["reason"].count(".") == 3
        assert (first["date"], first["as_of"], first["officer"], first["outstanding"]) == (
            "2024-06-30",
            "2024-06-30",
            world.officer.id,
            "400.00",
        )

    @pytest.mark.parametrize(
        ("user", "expected"),
        [
            ("officer", {"A1", "A3"}),
            ("colleague", set()),
            ("supervisor", {"A1", "A3"}),
            ("bdg_supervisor", {"D1"}),
            ("admin", {"A1", "A3", "D1"}),
        ],
    )
    def test_scope_per_role(self, api, world, book, user, expected):
        assert set(accounts(api(getattr(world, user)).get(WATCHLIST))) == expected

    def test_signal_filter_date_and_paging(self, api, world, book):
        client = api(world.officer)
        assert accounts(client.get(f"{WATCHLIST}?signal=maturity_soon")) == ["A3"]
        earlier = client.get(f"{WATCHLIST}?as_of={EARLIER.isoformat()}&signal=maturity_soon")
        assert accounts(earlier) == ["A3"]
        body = client.get(f"{WATCHLIST}?per_page=1&page=2").json
        assert (body["total"], body["pages"], len(body["items"])) == (2, 2, 1)

    @pytest.mark.parametrize("query", ["signal=bankrupt", "colour=red", "per_page=0"])
    def test_bad_arguments_are_422(self, api, world, query):
        assert api(world.officer).get(f"{WATCHLIST}?{query}").status_code == 422


def test_documented_in_openapi(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in (
        "/api/v1/facilities",
        "/api/v1/facilities/{facility_id}",
        "/api/v1/portfolio/summary",
        "/api/v1/watchlist",
    ):
        assert "get" in paths[path], path


def test_a_facility_never_listed_is_still_readable(api, world):
    facility = make_facility(make_customer(world.officer), "NEW")
    body = api(world.officer).get(f"{FACILITIES}/{facility.id}").json
    assert body["account_no"] == "NEW" and body["positions"] == []
    assert date.fromisoformat(body["start_date"]) < AS_OF
    post_listing(AS_OF, [(facility, 0, 1)])
    assert len(api(world.officer).get(f"{FACILITIES}/{facility.id}").json["positions"]) == 1
