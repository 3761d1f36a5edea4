"""The portfolio and watchlist filters behind the dashboards' links (Kol at least, DPD at least,
officer + downgrade signal): each lists exactly the facilities an officer KPI counts."""

import re
from decimal import Decimal

import pytest

from aoapp.kpis import officers as kpis
from tests.support.credit import AS_OF, EARLIER, make_facility, post_listing
from tests.support.factories import make_customer

URL = "/portfolio/"


def accounts(html: str) -> list[str]:
    table = html.split('id="facilities"', 1)[1]
    return sorted(re.findall(r'<tr data-facility="\d+">\s*<td class="text-nowrap">([^< ]+)', table))


def kpi_row(officer):
    ref = kpis.OfficerRef(officer.id, officer.username, officer.username, "JKT01")
    return kpis.officer_kpis([ref], AS_OF.replace(day=1), AS_OF, AS_OF)[0]


@pytest.fixture
def book(world):
    """ao.budi's facilities on DPD boundaries; one debtor (ONE) holds a current facility and a
    Kol 3 one, so one-obligor makes both non-performing. ao.sari has one NPL facility."""
    one = make_customer(world.officer, name="Satu Debitur")
    f = {code: make_facility(make_customer(world.officer), code) for code in ("D30", "D31", "D90")}
    f["ONE_0"] = make_facility(one, "ONE_0")
    f["ONE_91"] = make_facility(one, "ONE_91")
    f["D181"] = make_facility(make_customer(world.officer), "D181")
    f["SARI"] = make_facility(make_customer(world.colleague), "SARI")
    post_listing(EARLIER, [(f["D30"], 0, 100), (f["D31"], 0, 100), (f["D90"], 95, 100)])
    post_listing(EARLIER, [(f["ONE_0"], 0, 100), (f["ONE_91"], 0, 100), (f["D181"], 0, 100)])
    post_listing(AS_OF, [(f["D30"], 30, 1000), (f["D31"], 31, 2000), (f["D90"], 90, 4000)])
    post_listing(AS_OF, [(f["ONE_0"], 0, 8000), (f["ONE_91"], 91, 16000)])
    post_listing(AS_OF, [(f["D181"], 181, 32000), (f["SARI"], 200, 64000)])
    return f


class TestPortfolioFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("kol_min=3", ["D181", "ONE_0", "ONE_91"]),
            ("kol_min=5", ["D181"]),
            ("kol_min=2", ["D181", "D30", "D31", "D90", "ONE_0", "ONE_91"]),
            ("dpd_min=31", ["D181", "D31", "D90", "ONE_91"]),
            ("dpd_min=91", ["D181", "ONE_91"]),
            ("dpd_min=0", ["D181", "D30", "D31", "D90", "ONE_0", "ONE_91"]),
            ("kol_min=3&dpd_min=31", ["D181", "ONE_91"]),
            ("kol_min=7", ["D181", "D30", "D31", "D90", "ONE_0", "ONE_91"]),  # ignored
            ("dpd_min=-1", ["D181", "D30", "D31", "D90", "ONE_0", "ONE_91"]),  # ignored
        ],
    )
    def test_kol_and_dpd_at_least(self, client, auth, book, query, expected):
        auth.login("ao.budi")
        assert accounts(client.get(f"{URL}?{query}").get_data(as_text=True)) == expected

    def test_npl_and_par30_links_list_what_the_kpis_sum(self, client, auth, world, book):
        row = kpi_row(world.officer)
        assert row.npl_outstanding == Decimal("56000.00")  # ONE_0 + ONE_91 + D181
        assert row.par30_outstanding == Decimal("54000.00")  # D31 + D90 + ONE_91 + D181
        auth.login("spv.jkt")
        base = f"{URL}?officer={world.officer.id}&as_of={AS_OF.isoformat()}"
        npl = accounts(client.get(f"{base}&kol_min=3").get_data(as_text=True))
        par = accounts(client.get(f"{base}&dpd_min=31").get_data(as_text=True))
        amounts = {"ONE_0": 8000, "ONE_91": 16000, "D181": 32000, "D31": 2000, "D90": 4000}
        assert sum(amounts[code] for code in npl) == row.npl_outstanding
        assert sum(amounts[code] for code in par) == row.par30_outstanding
        page = client.get(f"{base}&kol_min=3&dpd_min=31").get_data(as_text=True)
        assert '<option value="3" selected>3 (NPL)</option>' in page
        assert 'id="dpd_min" name="dpd_min" value="31"' in page

    def test_the_api_takes_the_same_filters(self, api, world, book):
        response = api(world.supervisor).get(
            f"/api/v1/facilities?officer={world.officer.id}&kol_min=3"
        )
        assert response.status_code == 200, response.json
        assert sorted(item["account_no"] for item in response.json["items"]) == [
            "D181",
            "ONE_0",
            "ONE_91",
        ]
        bad = api(world.supervisor).get("/api/v1/facilities?dpd_min=x")
        assert bad.status_code == 422 and "dpd_min" in bad.json["errors"]


class TestWatchlistDowngrades:
    def test_officer_and_downgrade_signal_list_the_downgrades_kpi(self, client, auth, world, book):
        row = kpi_row(world.officer)
        # Kol worsened since EARLIER: D30, D31 (1 -> 2), D181 (1 -> 5), ONE_0, ONE_91 (1 -> 3);
        # D90 stayed Kol 2 (95 -> 90 days); SARI had no earlier position.
        assert row.downgrades == 5
        auth.login("spv.jkt")
        url = f"/portfolio/watchlist?officer={world.officer.id}&signal=downgrade"
        html = client.get(f"{url}&as_of={AS_OF.isoformat()}").get_data(as_text=True)
        flagged = re.findall(
            r'<tr class="watch-card" data-facility="(\d+)" data-signals="[^"]*\bdowngrade\b', html
        )
        assert sorted(int(n) for n in flagged) == sorted(
            book[code].id for code in ("D30", "D31", "D181", "ONE_0", "ONE_91")
        )
