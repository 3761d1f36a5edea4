"""Renewal figures: one definition (renewals/figures.py) equal on the dashboard page, the API and
the portfolio workbook's Renewals sheet, on listings built by hand."""

import html as markup
import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.common.i18n import format_money, format_ratio
from aoapp.credit.figures import resolve_scope
from aoapp.kpis.periods import parse_period
from aoapp.reports.portfolio.workbook import portfolio_workbook
from tests.support import renewals as R
from tests.support.i18n import speak_indonesian
from tests.support.reports_portfolio import block, write

pytestmark = pytest.mark.today(R.TODAY)
NOVEMBER = parse_period("2026-11")


@pytest.fixture
def november(world, loader, api):
    """Four loans maturing in November, settled by the November listing (L1 and L7 renewed, L5
    paid off and retained, L6 lost); the officer corrects L1 to a top-up typed as "Rp 2 M" and
    records why L6 left; two depositos maturing, one rolled over, one withdrawn."""
    code = world.officer.officer_code
    loader.loan_listing(R.first_loans(code), R.OCT31)
    loader.deposit_listing(
        [
            R.deposito("D1", "CIF21", code, date(2026, 11, 20)),
            R.deposito("D2", "CIF22", code, date(2026, 11, 25)),
        ],
        R.OCT31,
    )
    loader.loan_listing(R.second_loans(code), R.NOV30)
    loader.deposit_listing([R.deposito("D1", "CIF21", code, date(2027, 11, 20))], R.NOV30)
    found = R.opportunities()
    client = api(world.officer)
    body = {"outcome": "paid_off_lost", "lost_reason": "competitor"}
    assert client.patch(f"/api/v1/renewals/{found['L6'].id}", json=body).status_code == 200
    return found


def card(page: str, card_id: str) -> str:
    found = re.search(rf'id="{card_id}">.*?dash-value">(.*?)</div>', page, re.S)
    assert found, card_id
    return markup.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_the_page_form_reads_an_indonesian_amount(client, auth, world, november):
    auth.login("ao.budi")
    l1 = november["L1"]
    form = {"outcome": "topped_up", "new_plafond": "Rp 2 M", "version": str(l1.version)}
    speak_indonesian(auth)  # "Rp 2 M" read the Indonesian way: 2 miliar
    response = auth.post(f"/renewals/{l1.id}/outcome", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = R.opportunities()["L1"]
    assert (stored.outcome, stored.new_plafond, stored.topup_amount) == (
        "topped_up",
        Decimal("2000000000.00"),
        Decimal("1500000000.00"),
    )


def test_page_api_and_workbook_agree(client, auth, api, world, november, tmp_path):
    l1 = november["L1"]
    body = {"outcome": "topped_up", "new_plafond": "2000000000", "version": l1.version}
    assert api(world.officer).patch(f"/api/v1/renewals/{l1.id}", json=body).status_code == 200
    report = api(world.supervisor).get("/api/v1/renewals/figures?month=2026-11").json
    total = report["total"]
    assert (total["loans_due"], total["settled"], total["renewed"], total["topped_up"]) == (
        4,
        4,
        1,
        1,
    )
    assert total["renewal_rate"] == "0.5000"
    assert total["topup_amount"] == "1500000000.00"
    assert (total["lost_customers"], total["lost_reasons"]) == (
        1,
        [{"reason": "competitor", "count": 1}],
    )
    assert (total["rolled_over"], total["withdrawn"], total["rollover_rate"]) == (1, 1, "0.5000")
    assert total["awaiting"] == 4  # L5, L7 and both depositos: the listing's, unconfirmed
    [officer] = report["officers"]
    assert officer["officer_id"] == world.officer.id and officer["figures"] == total

    auth.login("ao.budi")
    page = client.get("/dashboard/?period=2026-11").get_data(as_text=True)
    assert card(page, "card-renewals-due") == str(total["loans_due"])
    assert card(page, "card-renewal-rate") == format_ratio(Decimal(total["renewal_rate"]))
    assert card(page, "card-topup") == format_money(Decimal(total["topup_amount"]))
    assert card(page, "card-renewals-lost") == str(total["lost_customers"])
    dashboard = api(world.officer).get("/api/v1/dashboard/officer?period=2026-11").json
    assert dashboard["renewals"] == total

    with force_locale("en"):
        scope = resolve_scope(world.supervisor)
        path = write(portfolio_workbook(scope, NOVEMBER, R.NOV30, "Bank"), tmp_path / "p.xlsx")
    ws = load_workbook(path)["Renewals"]
    figures = {row["Figure"]: row for row in block(ws, "Renewal figures")}
    assert figures["Loans maturing"]["Number"] == total["loans_due"]
    assert round(figures["Renewal rate"]["Ratio"], 4) == float(total["renewal_rate"])
    assert figures["Topped up"]["Amount"] == float(total["topup_amount"])
    assert figures["Lost customers"]["Number"] == total["lost_customers"]
    [row] = block(ws, "By officer")
    assert row["Renewal rate"] == 0.5 and row["Top-up amount"] == 1500000000
    reasons = block(ws, "Why customers left")
    assert reasons == [{"Reason": "Competitor", "Number": 1}]
    listed = block(ws, "Opportunities maturing in the period")
    assert [r["Account no"] for r in listed] == ["L1", "D1", "L5", "L6", "D2", "L7"]


def test_the_indonesian_sheet_is_pembaruan(world, november, tmp_path):
    with force_locale("id"):
        scope = resolve_scope(world.officer)
        path = write(portfolio_workbook(scope, NOVEMBER, R.NOV30, "Bank"), tmp_path / "p.xlsx")
    assert "Pembaruan" in load_workbook(path).sheetnames


def test_a_month_without_maturities_measures_nothing(api, world, november):
    total = api(world.officer).get("/api/v1/renewals/figures?month=2026-10").json["total"]
    assert (total["loans_due"], total["renewal_rate"], total["topup_amount"]) == (0, None, "0.00")
    assert (
        api(world.officer).get(f"/api/v1/renewals/figures?officer={world.remote.id}").status_code
        == 404
    )
    assert api(world.officer).get("/api/v1/renewals/figures?month=2026-13").status_code == 422
