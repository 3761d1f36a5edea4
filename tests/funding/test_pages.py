"""The funding and relationship figures where they appear — officer and team dashboards (page and
API), the portfolio workbook's Funding sheet and Officers columns — equal to the summary API on
the hand book (tests/support/funding.py), in English and Indonesian."""

import html as markup
import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.common.i18n import format_money, format_number, format_ratio
from aoapp.credit.figures import resolve_scope
from aoapp.kpis.periods import parse_period
from aoapp.reports.portfolio.workbook import portfolio_workbook
from tests.support.funding import OCT31, hand_book
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.reports_portfolio import block, records, write

OCTOBER = parse_period("2026-10")
pytestmark = pytest.mark.today("2026-12-06")  # October is closed: judged on its last day


@pytest.fixture
def book(world):
    return hand_book(world)


def summaries(api, user, query: str = "") -> tuple[dict, dict]:
    client = api(user)
    funding = client.get(f"/api/v1/funding/summary?as_of=2026-10-31{query}").get_json()
    relationship = client.get(
        f"/api/v1/relationship/summary?as_of=2026-10-31&from=2026-09-30{query}"
    ).get_json()
    return funding, relationship


def card(page: str, card_id: str) -> str:
    """The shown value of a dashboard card."""
    found = re.search(rf'id="{card_id}">.*?dash-value">(.*?)</div>', page, re.S)
    assert found, card_id
    return markup.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


class TestDashboards:
    def test_the_officer_page_shows_the_apis_figures(self, client, auth, api, world, book):
        funding, relationship = summaries(api, world.officer)
        auth.login("ao.budi")
        page = client.get("/dashboard/?period=2026-10").get_data(as_text=True)
        assert card(page, "card-dpk") == format_money(Decimal(funding["dpk_total"]))
        assert card(page, "card-casa") == format_ratio(Decimal(funding["casa_ratio"]))
        assert card(page, "card-maturing-7") == str(funding["maturing_7d"]) == "1"
        assert card(page, "card-cross-sell") == format_number(
            Decimal(relationship["products_per_customer"]), 2
        )
        assert card(page, "card-retention") == format_ratio(Decimal(relationship["retention_rate"]))
        assert card(page, "card-borrowers-funded") == "100.00%"
        lost = page.split('id="lost-list"', 1)[1].split("</details>", 1)[0]
        assert "Salon Lima" in lost and "KMK F5" in lost and "Oct 10, 2026" in lost
        maturing = page.split('id="maturing-list"', 1)[1].split("</details>", 1)[0]
        assert 'data-account="D3"' in maturing

    def test_the_dashboard_api_carries_the_summaries(self, api, world, book):
        funding, relationship = summaries(api, world.supervisor)
        body = api(world.supervisor).get("/api/v1/dashboard/team?period=2026-10").get_json()
        assert body["funding"] == funding | {"maturing_from": "2026-10-31"}
        assert body["relationship"] == relationship
        officer = api(world.officer).get("/api/v1/dashboard/officer?period=2026-10").get_json()
        assert officer["funding"]["dpk_total"] == "500000000.00"
        assert officer["relationship"]["customers_retained"] == 4

    def test_the_team_table_funding_columns_are_the_kpis(self, client, auth, api, world, book):
        body = api(world.supervisor).get("/api/v1/dashboard/team?period=2026-10").get_json()
        rows = {row["username"]: row for row in body["officers"]}
        budi, sari = rows["ao.budi"], rows["ao.sari"]
        assert (budi["dpk"], budi["casa_ratio"], budi["cross_sell_ratio"]) == (
            "500000000.00",
            "0.4000",
            "2.0000",
        )
        assert (budi["retention_rate"], budi["customers_start"]) == ("0.8000", 5)
        assert (sari["dpk"], sari["casa_ratio"], sari["cross_sell_ratio"]) == (
            "1000000000.00",
            "0.0000",
            "2.0000",
        )
        totals = body["totals"]  # a ratio of the sums: (200 + 0) / 1500, 10 / 5
        assert (totals["dpk"], totals["casa_ratio"], totals["cross_sell_ratio"]) == (
            "1500000000.00",
            "0.1333",
            "2.0000",
        )
        auth.login("spv.jkt")
        page = client.get("/dashboard/team?period=2026-10&cols=funding").get_data(as_text=True)
        cells = re.findall(r'data-group="funding"[^>]*data-key="(\w+)" data-sort="([^"]*)"', page)
        assert ("cross_sell_ratio", "2.0000") in cells and ("dpk", "1500000000.00") in cells

    def test_in_indonesian(self, client, auth, world, book):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = client.get("/dashboard/?period=2026-10").get_data(as_text=True)
        assert "Dana pihak ketiga (DPK)" in page and "Produk per nasabah" in page
        assert card(page, "card-casa") == "40,00%"
        section = page[page.index('id="funding"') : page.index('id="kol-title"')]
        assert english_leftovers(section) == []

    def test_without_deposits_the_blocks_say_so(self, client, auth, world):
        auth.login("ao.budi")
        page = client.get("/dashboard/?period=2026-10").get_data(as_text=True)
        assert 'id="funding-none"' in page and 'id="relationship"' not in page


class TestWorkbook:
    @pytest.mark.parametrize("lang", ["en", "id"])
    def test_the_funding_sheet_and_officer_columns_equal_the_api(
        self, app, api, world, book, tmp_path, lang
    ):
        funding, relationship = summaries(api, world.supervisor)
        with force_locale(lang):
            scope = resolve_scope(world.supervisor)
            path = write(portfolio_workbook(scope, OCTOBER, OCT31, "Bank"), tmp_path / "p.xlsx")
        wb = load_workbook(path)
        if lang == "id":
            totals = {row["Jenis dana"]: row for row in block(wb["Dana"], "DPK per jenis")}
            assert totals["Total"]["Saldo"] == float(funding["dpk_total"])
            return
        ws = wb["Funding"]
        kinds = {row["Kind of funds"]: row for row in block(ws, "DPK by kind")}
        assert kinds["Total"]["Balance"] == float(funding["dpk_total"])
        assert kinds["Giro"]["Balance"] == float(funding["giro"])
        figures = {row["Figure"]: row for row in block(ws, "Funding figures")}
        casa = figures["CASA (giro + tabungan)"]
        assert round(casa["Ratio"], 4) == float(funding["casa_ratio"])
        assert figures["Maturing within 30 days"]["Number"] == funding["maturing_30d"] == 2
        closed = figures["Run-off: accounts closed"]
        assert closed["Amount"] == float(funding["runoff"]["closed_amount"])
        shared = {row["Figure"]: row for row in block(ws, "Relationship")}
        per = shared["Products per customer"]["Per customer"]
        assert per == float(relationship["products_per_customer"])
        assert round(shared["Customers retained"]["Share"], 4) == float(
            relationship["retention_rate"]
        )
        trend = [
            (row["Month-end"].date(), row["DPK"], round(row["CASA ratio"], 4))
            + (row["Customers"], round(row["Products per customer"], 4))
            for row in block(ws, "Trend (month-end deposits listings)")
        ]
        assert trend == [  # 30 Sep: C1–C6 (C5 still a debtor, C3 still with T3): 12 categories
            (date(2026, 9, 30), 1_670_000_000, 0.2216, 6, 2.0),
            (date(2026, 10, 31), 1_500_000_000, 0.1333, 5, 2.0),
        ]
        maturing = block(ws, "Deposits maturing within 30 days, without ARO first")
        assert [row["Account no"] for row in maturing] == ["D3", "D6"]  # non-ARO first
        assert [row["Account no"] for row in block(ws, "Run-off")] == ["T4", "T3"]
        lost = block(ws, "Customers lost in the period")
        assert [(row["Customer"], row["Held at the start"]) for row in lost] == [
            ("Salon Lima", "KMK F5")
        ]
        officers = {row["Name"]: row for row in records(wb["Officers"], "AO code")}
        budi = officers["Ao.Budi"]
        assert (budi["DPK"], round(budi["CASA ratio"], 4), budi["Products per customer"]) == (
            500_000_000,
            0.4,
            2.0,
        )
        assert wb["Funding"].page_setup.orientation == "landscape"
