"""The dashboard API: its JSON shape, its numbers equal to the portfolio API's and the portfolio
workbook's, validation (422), authentication (401) and scoping (404)."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.kpis.periods import parse_period
from aoapp.reports.portfolio.columns import OFFICER_COLUMNS
from aoapp.reports.portfolio.workbook import portfolio_workbook
from aoapp.reports.sheets import INT, MONEY
from tests.support.dashboards import (
    BUDI,
    JKT,
    KPIS,
    OCTOBER_WORKLOAD,
    OVERALL,
    PERIOD,
    M,
    dashboard_book,
)
from tests.support.reports_portfolio import open_both, records, write

OFFICER_URL = "/api/v1/dashboard/officer"
TEAM_URL = "/api/v1/dashboard/team"
PAGE_SCRIPT = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin"}

OFFICER_KEYS = {
    "officer", "period", "as_of", "as_of_in_period", "previous_as_of", "portfolio", "followups",
    "complaints", "pipeline", "targets", "trend", "funding", "relationship", "renewals",
}  # fmt: skip
PORTFOLIO_KEYS = {
    "outstanding", "debtors", "facilities", "npl_outstanding", "npl_ratio", "npl_ratio_change",
    "par30_outstanding", "par30_ratio", "par30_ratio_change", "watchlist", "kol_distribution",
}  # fmt: skip
ROW_KEYS = {
    "officer_id", "username", "name", "branch_code", "debtors", "facilities", "outstanding",
    "npl_outstanding", "npl_ratio", "par30_outstanding", "par30_ratio", "downgrades",
    "prospects_collected", "prospects_converted", "conversion_rate", "introductions",
    "followups_done", "followups_overdue", "ptp_kept", "ptp_broken", "ptp_kept_rate",
    "dpk", "casa", "casa_ratio", "relationship_customers", "products_held", "cross_sell_ratio",
    "customers_start", "customers_retained", "retention_rate",
    "complaints_open", "complaints_overdue", "target_achievement",
}  # fmt: skip


@pytest.fixture
def book(world):
    return dashboard_book(world)


def get(api, user, url, status=200) -> dict:
    response = api(user).get(url)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def number(value) -> Decimal | None:
    return None if value is None else Decimal(value)


class TestOfficerApi:
    def test_shape(self, book, world, api):
        body = get(api, world.officer, f"{OFFICER_URL}?period={PERIOD}")
        assert set(body) == OFFICER_KEYS
        assert body["officer"] == {
            "id": world.officer.id,
            "username": "ao.budi",
            "name": "Ao.Budi",
            "branch_code": "JKT01",
        }
        assert body["period"] == {
            "code": "2026-10",
            "label": "October 2026",
            "start": "2026-10-01",
            "end": "2026-10-31",
        }
        assert (body["as_of"], body["as_of_in_period"], body["previous_as_of"]) == (
            "2026-10-31",
            True,
            "2026-09-30",
        )
        assert set(body["portfolio"]) == PORTFOLIO_KEYS
        # As of 31 Oct: a past month's counts are those at its end (OCTOBER_WORKLOAD).
        assert body["followups"] == {"today": 1, "overdue": 2}
        assert body["complaints"] == {"open": 0, "overdue": 0}
        assert set(body["trend"][0]) == {
            "as_of", "outstanding", "npl_outstanding", "npl_ratio", "par30_outstanding",
            "par30_ratio",
        }  # fmt: skip

    def test_money_and_ratios_are_strings(self, book, world, api):
        body = get(api, world.officer, f"{OFFICER_URL}?period={PERIOD}")
        portfolio = body["portfolio"]
        assert portfolio["outstanding"] == "830000000.00"
        assert (portfolio["npl_ratio"], portfolio["npl_ratio_change"]) == ("0.4819", "0.4161")
        assert (portfolio["par30_ratio"], portfolio["par30_ratio_change"]) == ("0.6747", "0.2142")
        assert portfolio["watchlist"] == BUDI.watchlist
        assert portfolio["kol_distribution"][3] == {
            "kol": 4,
            "name": "Doubtful",
            "count": 2,
            "outstanding": "100000000.00",
            "share": "0.1205",
        }
        assert body["trend"][-1] == {
            "as_of": "2026-10-31",
            "outstanding": "830000000.00",
            "npl_outstanding": "400000000.00",
            "npl_ratio": "0.4819",
            "par30_outstanding": "560000000.00",
            "par30_ratio": "0.6747",
        }

    def test_pipeline_and_targets(self, book, world, api):
        body = get(api, world.officer, f"{OFFICER_URL}?period={PERIOD}")
        pipeline = body["pipeline"]
        assert pipeline["statuses"][:2] == [
            {"status": "new", "count": 1},
            {"status": "contacted", "count": 1},
        ]
        assert (pipeline["collected"], pipeline["converted"]) == (4, 1)
        assert pipeline["conversion_rate"] == "0.2500"
        targets = body["targets"]
        assert (targets["month"], targets["overall"]) == ("2026-10", "0.7660")
        metrics = {m["key"]: m for m in targets["metrics"]}
        assert list(metrics) == [
            "new_customers", "new_disbursement", "outstanding_growth", "max_npl_ratio",
            "followups_done", "introductions", "dpk_growth", "casa_ratio", "cross_sell_ratio",
            "retention_rate",
        ]  # fmt: skip
        assert metrics["new_customers"] == {
            "key": "new_customers",
            "label": "New customers",
            "kind": "count",
            "ceiling": False,
            "target": "2",
            "actual": "1",
            "achievement": "0.5000",
            "met": False,
        }
        assert (metrics["new_disbursement"]["target"], metrics["new_disbursement"]["actual"]) == (
            "100000000.00",
            "80000000.00",
        )
        npl = metrics["max_npl_ratio"]
        assert (npl["ceiling"], npl["target"], npl["actual"], npl["achievement"]) == (
            True,
            "0.4000",
            "0.4819",
            "0.8300",
        )
        assert metrics["introductions"]["target"] is None

    def test_portfolio_equals_the_portfolio_api(self, book, world, api):
        for actor in (world.officer, world.supervisor, world.admin):
            body = get(api, actor, f"{OFFICER_URL}?period={PERIOD}&officer_id={world.officer.id}")
            summary = get(
                api,
                actor,
                f"/api/v1/portfolio/summary?as_of={body['as_of']}&officer={world.officer.id}",
            )
            portfolio = body["portfolio"]
            assert portfolio["outstanding"] == summary["total_outstanding"]
            assert portfolio["debtors"] == summary["debtor_count"]
            assert portfolio["facilities"] == summary["facility_count"]
            assert portfolio["npl_outstanding"] == summary["npl_outstanding"]
            assert portfolio["npl_ratio"] == summary["npl_ratio"]
            par30 = next(p for p in summary["par"] if p["days"] == 30)
            assert (portfolio["par30_outstanding"], portfolio["par30_ratio"]) == (
                par30["outstanding"],
                par30["ratio"],
            )
            assert portfolio["kol_distribution"] == summary["kol_distribution"]

    def test_a_month_before_any_listing(self, book, world, api):
        body = get(api, world.officer, f"{OFFICER_URL}?period=2026-07")
        assert (body["as_of"], body["as_of_in_period"], body["previous_as_of"]) == (
            None,
            False,
            None,
        )
        portfolio = body["portfolio"]
        assert (portfolio["outstanding"], portfolio["npl_ratio"]) == ("0.00", "0.0000")
        assert (portfolio["npl_ratio_change"], portfolio["par30_ratio_change"]) == (None, None)
        assert body["trend"] == []
        team = get(api, world.supervisor, f"{TEAM_URL}?period=2026-07")
        migration = team["migration"]
        assert (migration["from"], migration["to"], migration["total"]["count"]) == (None, None, 0)
        assert migration["dates"] == ["2026-10-31", "2026-09-30", "2026-08-31"]

    def test_default_period_is_the_current_month(self, book, world, api):
        body = get(api, world.officer, OFFICER_URL)
        assert body["period"]["code"] == f"{book.today:%Y-%m}"
        assert body["as_of"] == "2026-10-31"

    def test_the_page_script_reads_it_with_the_session_cookie(self, book, world, client, auth):
        auth.login("ao.budi")
        response = client.get(f"{OFFICER_URL}?period={PERIOD}", headers=PAGE_SCRIPT)
        assert response.status_code == 200
        assert response.get_json()["portfolio"]["outstanding"] == "830000000.00"


class TestTeamApi:
    def test_rows_and_totals(self, book, world, api):
        body = get(api, world.supervisor, f"{TEAM_URL}?period={PERIOD}&branch_id={world.jkt.id}")
        assert body["scope"] == {"label": "Branch JKT01", "branch_id": world.jkt.id}
        assert (body["as_of"], body["as_of_in_period"], body["previous_as_of"]) == (
            "2026-10-31",
            True,
            "2026-09-30",
        )
        rows = body["officers"]
        assert [row["username"] for row in rows] == ["ao.baru", "ao.budi", "ao.sari"]
        for row in rows:
            assert set(row) == ROW_KEYS
            for key, value in KPIS[row["username"]].items():
                assert row[key] == value, (row["username"], key)
            assert row["target_achievement"] == OVERALL[row["username"]]
            then = OCTOBER_WORKLOAD[row["username"]]
            assert (row["complaints_open"], row["complaints_overdue"]) == (
                then["open"],
                then["late"],
            )
        totals = body["totals"]
        assert set(totals) == ROW_KEYS
        assert (totals["officer_id"], totals["name"]) == (None, "Total")
        for key in ROW_KEYS:
            value = totals[key]
            if isinstance(value, int) and key != "officer_id":
                assert value == sum(row[key] for row in rows), key
        for key in ("outstanding", "npl_outstanding", "par30_outstanding"):
            assert Decimal(totals[key]) == sum(Decimal(row[key]) for row in rows), key
        assert (totals["npl_ratio"], totals["par30_ratio"]) == (JKT.npl_ratio, JKT.par30_ratio)
        assert (totals["conversion_rate"], totals["ptp_kept_rate"]) == ("0.4286", "0.2500")
        assert totals["target_achievement"] == "0.6552"

    def test_portfolio_equals_the_portfolio_api(self, book, world, api):
        body = get(api, world.supervisor, f"{TEAM_URL}?period={PERIOD}&branch_id={world.jkt.id}")
        summary = get(
            api,
            world.supervisor,
            f"/api/v1/portfolio/summary?as_of=2026-10-31&branch={world.jkt.id}",
        )
        assert body["portfolio"]["outstanding"] == summary["total_outstanding"] == "1430000000.00"
        assert body["portfolio"]["npl_ratio"] == summary["npl_ratio"]
        assert body["portfolio"]["kol_distribution"] == summary["kol_distribution"]
        assert body["portfolio"]["watchlist"] == JKT.watchlist

    def test_migration(self, book, world, api):
        body = get(api, world.supervisor, f"{TEAM_URL}?period={PERIOD}&from=2026-08-31")
        migration = body["migration"]
        assert (migration["from"], migration["to"]) == ("2026-08-31", "2026-10-31")
        assert migration["dates"] == ["2026-10-31", "2026-09-30", "2026-08-31"]
        assert (migration["from_kols"], migration["to_kols"]) == (
            [1, 2, 3, 4, 5, None],
            [1, 2, 3, 4, 5],
        )
        new = [c for c in migration["cells"] if c["from_kol"] is None and c["count"]]
        assert new == [{"from_kol": None, "to_kol": 1, "count": 2, "outstanding": "530000000.00"}]
        assert migration["row_totals"][-1] == {
            "from_kol": None,
            "count": 2,
            "outstanding": "530000000.00",
        }
        assert migration["total"] == {"count": 9, "outstanding": "1430000000.00"}

    def test_equals_the_workbooks_officers_sheet(self, book, world, api, tmp_path):
        body = get(api, world.supervisor, f"{TEAM_URL}?period={PERIOD}&branch_id={world.jkt.id}")
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        workbook = portfolio_workbook(
            scope, parse_period(PERIOD), date.fromisoformat(body["as_of"]), "Bank"
        )
        sheet = open_both(write(workbook, tmp_path / "portfolio.xlsx"))[1]["Officers"]
        sheet_rows = records(sheet, "AO code")
        codes = dict(db.session.execute(sa.select(User.username, User.officer_code)).all())
        assert [r["AO code"] for r in sheet_rows] == [
            codes[r["username"]] for r in body["officers"]
        ]
        assert [r["Name"] for r in sheet_rows] == [r["name"] for r in body["officers"]]
        compared = set()
        for sheet_row, row in zip(sheet_rows, body["officers"], strict=True):
            for column in OFFICER_COLUMNS[3:]:
                if column.key not in row:
                    continue
                cell, value = sheet_row[column.header], row[column.key]
                compared.add(column.key)
                if value is None or column.kind == INT:
                    assert cell == value, column.key
                elif column.kind == MONEY:
                    assert Decimal(str(cell)).quantize(Decimal("0.01")) == Decimal(value)
                else:
                    assert Decimal(str(cell)).quantize(Decimal("0.0001")) == Decimal(value)
        # Every KPI column of the sheet, and its overall target achievement.
        assert len(compared) == 20 and "target_achievement" in compared

    def test_bank_wide_for_the_admin(self, book, world, api):
        body = get(api, world.admin, f"{TEAM_URL}?period={PERIOD}")
        assert body["scope"] == {"label": "Bank-wide", "branch_id": None}
        assert Decimal(body["totals"]["outstanding"]) == 2430 * M
        assert len(body["officers"]) == 4


class TestValidation:
    @pytest.mark.parametrize("period", ["2026-13", "2026Q4", "oktober", "2026-10-01..2026-10-15"])
    def test_a_period_must_be_a_month(self, book, world, api, period):
        officer_id = world.officer.id
        for url in (f"{OFFICER_URL}?officer_id={officer_id}&", f"{TEAM_URL}?"):
            body = get(api, world.supervisor, f"{url}period={period}", 422)
            assert list(body["errors"]) == ["period"]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("from=2026-10-15", "from"),
            ("to=2026-07-31", "to"),
            ("from=2026-10-31&to=2026-09-30", "from"),
            ("from=31-10-2026", "from"),
        ],
    )
    def test_migration_dates(self, book, world, api, query, field):
        body = get(api, world.supervisor, f"{TEAM_URL}?period={PERIOD}&{query}", 422)
        assert list(body["errors"]) == [field]

    def test_a_supervisor_names_the_officer(self, book, world, api):
        body = get(api, world.supervisor, f"{OFFICER_URL}?period={PERIOD}", 422)
        assert list(body["errors"]) == ["officer_id"]

    def test_unknown_arguments(self, book, world, api):
        body = get(api, world.officer, f"{OFFICER_URL}?branch_id=1", 422)
        assert "branch_id" in body["errors"]


class TestAccess:
    @pytest.mark.parametrize("url", [OFFICER_URL, TEAM_URL])
    def test_login_required(self, client, url):
        response = client.get(url)
        assert response.status_code == 401
        assert response.get_json()["code"] == 401

    def test_an_officer_sees_only_their_own_dashboard(self, book, world, api):
        get(api, world.officer, f"{OFFICER_URL}?officer_id={world.officer.id}")
        get(api, world.officer, f"{OFFICER_URL}?officer_id={world.colleague.id}", 404)
        get(api, world.officer, TEAM_URL, 404)

    def test_a_supervisor_sees_only_their_branches(self, book, world, api):
        get(api, world.supervisor, f"{OFFICER_URL}?officer_id={world.colleague.id}")
        get(api, world.supervisor, f"{OFFICER_URL}?officer_id={world.remote.id}", 404)
        get(api, world.supervisor, f"{TEAM_URL}?branch_id={world.bdg.id}", 404)
        body = get(api, world.bdg_supervisor, f"{TEAM_URL}?period={PERIOD}")
        assert [row["username"] for row in body["officers"]] == ["ao.dewi"]

    def test_an_admin_sees_everything(self, book, world, api):
        get(api, world.admin, f"{OFFICER_URL}?officer_id={world.remote.id}")
        get(api, world.admin, f"{TEAM_URL}?branch_id={world.bdg.id}")

    def test_unknown_ids_are_not_found(self, book, world, api):
        get(api, world.admin, f"{OFFICER_URL}?officer_id=999999", 404)
        get(api, world.admin, f"{TEAM_URL}?branch_id=999999", 404)


def test_openapi_documents_both_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for url, params in (
        (OFFICER_URL, {"period", "officer_id"}),
        (TEAM_URL, {"period", "branch_id", "from", "to"}),
    ):
        operation = paths[url]["get"]
        assert params <= {p["name"] for p in operation["parameters"]}
        assert {"200", "404", "422"} <= set(operation["responses"])
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema
