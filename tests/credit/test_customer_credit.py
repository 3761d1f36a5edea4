"""The customer page's credit section, the facility page and the customer API's credit fields."""

import re
from datetime import date

import pytest

from aoapp.credit import services
from tests.support import credit_visits as h
from tests.support.factories import make_customer

MONTH_ENDS = [
    date(2024, 1, 31),
    date(2024, 2, 29),
    date(2024, 3, 31),
    date(2024, 4, 30),
    date(2024, 5, 31),
    date(2024, 6, 30),
    date(2024, 7, 31),
    date(2024, 8, 31),
    date(2024, 9, 30),
    date(2024, 10, 31),
    date(2024, 11, 30),
    date(2024, 12, 31),
    date(2025, 1, 31),
    date(2025, 2, 28),
]
AS_OF = date(2025, 2, 28)


@pytest.fixture
def debtor(world):
    """A debtor with a current KMK, a KI 95 days late (Kol 3) and a closed KUR."""
    customer = make_customer(world.officer, name="CV Debitur Tiga")
    kmk = h.facility(customer, "KMK", account_no="KMK-0001")
    ki = h.facility(customer, "KI", account_no="KI-0002", restructured=True)
    kur = h.facility(
        customer, "KUR", account_no="KUR-0003", status="closed", closed_on=date(2025, 1, 31)
    )
    h.position(kur, date(2024, 12, 31), 0, outstanding="5000000.00")
    h.position(kmk, AS_OF, 0, outstanding="200000000.00")
    h.position(ki, AS_OF, 95, outstanding="300000000.00")
    h.one_obligor(customer, AS_OF)
    return customer, kmk, ki, kur


def text_of(response) -> str:
    return response.get_data(as_text=True)


class TestCustomerPage:
    def test_debtor_kol_with_name_and_rule_at_the_top(self, client, auth, world, debtor):
        customer, *_ = debtor
        auth.login("ao.budi")
        page = text_of(client.get(f"/customers/{customer.id}"))
        top = page[page.index('id="debtor-kol"') :][:800]
        assert "Kol 3 · Substandard (Kurang Lancar)" in top
        assert "as of Feb 28, 2025" in top
        assert "KI-0002" in top and 'data-rule="dpd"' in top and "days past due" in top

    def test_facility_rows_with_latest_position_and_the_deciding_rule(
        self, client, auth, world, debtor
    ):
        customer, kmk, ki, kur = debtor
        auth.login("ao.budi")
        page = text_of(client.get(f"/customers/{customer.id}"))
        kmk_row = re.search(r'<tr data-facility="KMK-0001">(.*?)</tr>', page, re.S).group(1)
        assert "IDR 200,000,000" in kmk_row
        assert re.search(r"<td>0</td>", kmk_row)  # DPD
        assert ">Kol 1<" in kmk_row and ">Kol 3<" in kmk_row  # facility and debtor Kol
        assert 'data-rule="one_obligor"' in kmk_row and "one-obligor rule" in kmk_row
        ki_row = re.search(r'<tr data-facility="KI-0002">(.*?)</tr>', page, re.S).group(1)
        assert "<td>95</td>" in ki_row and "IDR 1,750,000" in ki_row  # arrears
        assert "Jun 3, 2024" in ki_row  # restructured on
        active, closed = page.split('id="closed-facilities"')
        assert "KUR-0003" not in active and "KUR-0003" in closed
        assert "Closed Jan 31, 2025" in closed

    def test_history_chart_shows_the_last_12_positions_in_svg_and_table(self, client, auth, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer)
        for n, as_of in enumerate(MONTH_ENDS):
            h.position(fac, as_of, dpd=[0, 15, 45, 95][n % 4])
        auth.login("ao.budi")
        page = text_of(client.get(f"/customers/{customer.id}"))
        svg = re.search(r"<svg class=\"kol-history-chart\".*?</svg>", page, re.S).group(0)
        assert 'data-points="12"' in svg
        assert svg.count('class="kol-point"') == 12 and svg.count('class="dpd-bar"') == 12
        assert "<title" in svg and 'role="img"' in svg
        assert "Feb 28, 2025: Kol 3" not in svg  # 14th position: DPD 15 → Kol 2
        assert "Feb 28, 2025: Kol 2" in svg and "Mar 31, 2024: Kol 2" in svg
        assert "Jan 31, 2024" not in svg and "Feb 29, 2024" not in svg  # the two oldest left out
        table = re.search(r'id="kol-history-table">(.*?)</table>', page, re.S).group(1)
        assert table.count("<tr>") == 13  # header + 12 rows, newest first
        assert table.index("Feb 28, 2025") < table.index("Mar 31, 2024")
        assert "http" not in svg and "<script" not in page.split("kol-history-chart")[1][:5000]

    def test_history_is_per_as_of_date_with_the_worst_dpd(self, world, debtor):
        customer, *_ = debtor
        history = services.kol_history(customer.id)
        assert [(p.as_of, p.kol, p.dpd) for p in history] == [
            (date(2024, 12, 31), 1, 0),
            (AS_OF, 3, 95),
        ]
        assert str(history[-1].outstanding) == "500000000.00"

    def test_the_debtor_kol_is_of_the_customers_own_latest_listing(self, world, debtor):
        customer, _kmk, ki, kur = debtor
        assert services.debtor_collectibility(customer.id).as_of == AS_OF
        # Listings after the customer's last: its Kol is still that of its own latest date,
        # whether that is one of the bank's two newest listings or older.
        other = h.facility(make_customer(world.officer), "KMK", account_no="KMK-OTHER")
        for later in (date(2025, 3, 31), date(2025, 4, 30)):
            h.position(other, later, 0, outstanding="1000000.00")
            kol = services.debtor_collectibility(customer.id)
            assert (kol.as_of, kol.kol, kol.facility.id) == (AS_OF, 3, ki.id)
        loner = make_customer(world.officer)
        h.position(h.facility(loner, "KUR", account_no="KUR-LONER"), date(2025, 3, 31), 100)
        assert services.debtor_collectibility(loner.id).as_of == date(2025, 3, 31)
        assert services.debtor_collectibility(make_customer(world.officer).id) is None

    def test_customer_without_positions(self, client, auth, world):
        customer = make_customer(world.officer)
        h.facility(customer, account_no="NEW-1")
        auth.login("ao.budi")
        page = text_of(client.get(f"/customers/{customer.id}"))
        assert "No credit position imported yet." in page
        assert "No position yet" in page and "kol-history-chart" not in page

    @pytest.mark.parametrize("username", ["spv.jkt", "admin"])
    def test_readers_see_the_credit_section(self, client, auth, world, debtor, username):
        customer, *_ = debtor
        auth.login(username)
        page = text_of(client.get(f"/customers/{customer.id}"))
        assert "Kol 3 · Substandard" in page and "KI-0002" in page


class TestFacilityPage:
    def test_facility_data_and_positions_newest_first(self, client, auth, world, debtor):
        _customer, _kmk, ki, _kur = debtor
        h.position(ki, date(2025, 1, 31), 64)
        auth.login("ao.budi")
        page = text_of(client.get(f"/facilities/{ki.id}"))
        assert "Facility KI-0002" in page and "Restructured" in page
        assert "Yes, on Jun 3, 2024" in page
        dates = re.findall(r'data-as-of="([\d-]+)"', page)
        assert dates == ["2025-02-28", "2025-01-31"]
        assert "Kol 3 by DPD" in page
        assert "Upgrade Kol" not in page  # officers do not upgrade

    @pytest.mark.parametrize(
        ("username", "status"),
        [
            ("ao.budi", 200),
            ("spv.jkt", 200),
            ("admin", 200),
            ("ao.sari", 404),
            ("ao.dewi", 404),
            ("spv.bdg", 404),
        ],
    )
    def test_scoping_per_role(self, client, auth, world, debtor, username, status):
        _customer, kmk, *_ = debtor
        auth.login(username)
        assert client.get(f"/facilities/{kmk.id}").status_code == status
        assert client.get("/facilities/999999").status_code == 404

    def test_needs_login(self, client, world, debtor):
        _customer, kmk, *_ = debtor
        assert client.get(f"/facilities/{kmk.id}").status_code == 302


class TestCustomerApi:
    def test_detail_includes_debtor_kol_and_facilities(self, api, world, debtor):
        customer, kmk, ki, kur = debtor
        fresh = h.facility(customer, account_no="ZZ-NEW")
        body = api(world.officer).get(f"/api/v1/customers/{customer.id}").json
        assert body["collectibility"] == 3
        facilities = {f["account_no"]: f for f in body["facilities"]}
        assert set(facilities) == {"KMK-0001", "KI-0002", "KUR-0003", "ZZ-NEW"}
        assert {k: facilities["KMK-0001"][k] for k in ("dpd", "collectibility")} == {
            "dpd": 0,
            "collectibility": 1,
        }
        assert facilities["KMK-0001"]["debtor_collectibility"] == 3
        assert facilities["KMK-0001"]["kol_rule"] == "one_obligor"
        assert facilities["KMK-0001"]["outstanding"] == "200000000.00"
        assert facilities["KMK-0001"]["product"] == "KMK"
        ki_body = facilities["KI-0002"]
        assert (ki_body["dpd"], ki_body["collectibility"], ki_body["restructured"]) == (95, 3, True)
        assert ki_body["as_of"] == "2025-02-28" and ki_body["restructured_on"] == "2024-06-03"
        assert facilities["KUR-0003"]["status"] == "closed"
        assert facilities["KUR-0003"]["as_of"] == "2024-12-31"
        new = facilities["ZZ-NEW"]
        assert new["id"] == fresh.id
        assert (new["dpd"], new["collectibility"], new["as_of"]) == (None, None, None)

    def test_customer_without_credit(self, api, world):
        customer = make_customer(world.officer)
        body = api(world.officer).get(f"/api/v1/customers/{customer.id}").json
        assert body["collectibility"] is None and body["facilities"] == []

    def test_list_stays_light_and_scoping_holds(self, api, world, debtor):
        customer, *_ = debtor
        [item] = api(world.officer).get("/api/v1/customers").json["items"]
        assert "facilities" not in item
        for outsider in (world.colleague, world.remote, world.bdg_supervisor):
            assert api(outsider).get(f"/api/v1/customers/{customer.id}").status_code == 404
        assert (
            api(world.supervisor).get(f"/api/v1/customers/{customer.id}").json["collectibility"]
            == 3
        )
