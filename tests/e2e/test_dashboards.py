"""Both dashboards in a real browser: the charts are drawn with the numbers the dashboard API
returns for the same user, with no script error and no CSP violation; the team table sorts by
its headers; and a phone shows the dashboard without sideways scrolling."""

import pytest

from tests.support import dashboards as h
from tests.support.browser import ConsoleWatch, sign_in, switch_language

PERIOD = h.PERIOD
# Records CSP violations from the first script the page runs (before the app's own).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
CHART_DATA = """id => {
  const chart = Chart.getChart(document.getElementById(id));
  if (!chart) { return null; }
  return {
    type: chart.config.type,
    labels: chart.data.labels,
    datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data})),
  };
}"""


@pytest.fixture
def book(world):
    return h.dashboard_book(world)


def open_dashboard(page, base: str, username: str, path: str):
    """Sign in, open a dashboard and wait until its charts are drawn; the console is watched."""
    page.add_init_script(CSP_LISTENER)
    sign_in(page, base, username)
    console = ConsoleWatch(page)
    page.goto(f"{base}{path}")
    page.wait_for_selector("#dashboard[data-charts]")
    assert page.get_attribute("#dashboard", "data-charts") == "drawn"
    return console


def api_json(page, base: str) -> dict:
    """The JSON the page's charts were drawn from, fetched again with the same session."""
    url = page.get_attribute("#dashboard", "data-dashboard-api")
    response = page.request.get(f"{base}{url}", headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status == 200, response.text()
    return response.json()


def chart(page, canvas_id: str) -> dict:
    data = page.evaluate(CHART_DATA, canvas_id)
    assert data is not None, f"no chart on #{canvas_id}"
    return data


def numbers(values) -> list:
    return [None if value is None else float(value) for value in values]


def day(iso: str) -> str:
    year, month, date = iso.split("-")
    return f"{date}/{month}/{year}"


def assert_clean(page, console) -> None:
    assert console.errors == []
    assert page.evaluate("window.__cspViolations") == []


def assert_trend(page, trend: list[dict]) -> None:
    outstanding = chart(page, "chart-trend-outstanding")
    assert outstanding["labels"] == [day(point["as_of"]) for point in trend]
    assert outstanding["datasets"][0]["data"] == numbers(p["outstanding"] for p in trend)
    ratios = chart(page, "chart-trend-ratios")
    assert [d["label"] for d in ratios["datasets"]] == ["NPL ratio", "PAR 30"]
    assert ratios["datasets"][0]["data"] == numbers(p["npl_ratio"] for p in trend)
    assert ratios["datasets"][1]["data"] == numbers(p["par30_ratio"] for p in trend)


def assert_kol(page, portfolio: dict) -> None:
    kol = chart(page, "chart-kol")
    rows = portfolio["kol_distribution"]
    assert kol["datasets"][0]["data"] == numbers(row["outstanding"] for row in rows)
    assert kol["labels"] == [f"Kol {row['kol']} · {row['name']}" for row in rows]


class TestOfficerDashboardCharts:
    def test_charts_are_drawn_with_the_apis_numbers(self, live_server, page, book):
        console = open_dashboard(page, live_server, "ao.budi", f"/dashboard/?period={PERIOD}")
        data = api_json(page, live_server)
        assert data["officer"]["username"] == "ao.budi" and data["period"]["code"] == PERIOD

        assert_kol(page, data["portfolio"])
        # The hand-computed figures (tests/support/dashboards.py), not only "whatever came".
        assert chart(page, "chart-kol")["datasets"][0]["data"] == [230e6, 200e6, 300e6, 100e6, 0.0]
        pipeline = chart(page, "chart-pipeline")
        assert pipeline["datasets"][0]["data"] == [s["count"] for s in data["pipeline"]["statuses"]]
        assert pipeline["datasets"][0]["data"] == list(h.BUDI_PIPELINE.values())
        targets = chart(page, "chart-targets")
        metrics = data["targets"]["metrics"]
        assert targets["labels"] == [m["label"] for m in metrics]
        assert targets["datasets"][0]["data"] == numbers(m["achievement"] for m in metrics)
        # No target on the funding metrics (DPK growth, CASA, products per customer, retention).
        assert targets["datasets"][0]["data"] == [0.5, 0.8, 1.4, 0.83, 0.7, None] + [None] * 4
        assert_trend(page, data["trend"])
        assert chart(page, "chart-trend-outstanding")["datasets"][0]["data"] == [
            760e6,
            760e6,
            830e6,
        ]
        # Each canvas is described for screen readers, its values also in a table.
        for canvas in page.locator("canvas").all():
            assert canvas.get_attribute("role") == "img" and canvas.get_attribute("aria-label")
        assert page.locator("#trend-values tr[data-as-of]").count() == len(data["trend"])
        assert_clean(page, console)

    def test_a_supervisor_sees_an_officers_charts(self, live_server, page, book):
        path = f"/dashboard/?period={PERIOD}&officer={book.world.colleague.id}"
        console = open_dashboard(page, live_server, "spv.jkt", path)
        data = api_json(page, live_server)
        assert data["officer"]["username"] == "ao.sari"
        assert_kol(page, data["portfolio"])
        assert_trend(page, data["trend"])
        assert_clean(page, console)


class TestTeamDashboardCharts:
    def test_charts_table_and_sorting(self, live_server, page, book):
        console = open_dashboard(page, live_server, "spv.jkt", f"/dashboard/team?period={PERIOD}")
        data = api_json(page, live_server)
        assert data["scope"]["label"] == "Branch JKT01"
        assert_kol(page, data["portfolio"])
        assert_trend(page, data["trend"])
        assert chart(page, "chart-trend-outstanding")["datasets"][0]["data"] == [
            910e6,
            1360e6,
            1430e6,
        ]

        table = page.locator("#team-table")
        ids = [str(row["officer_id"]) for row in data["officers"]]
        body = table.locator("tbody tr")
        assert body.evaluate_all("rows => rows.map(r => r.dataset.officer)") == ids
        outstanding = table.locator("thead th[data-key='outstanding']")
        assert outstanding.get_attribute("aria-sort") == "none"
        outstanding.get_by_role("button").click()
        assert outstanding.get_attribute("aria-sort") == "ascending"
        by_amount = sorted(data["officers"], key=lambda row: float(row["outstanding"]))
        order = body.evaluate_all("rows => rows.map(r => r.dataset.officer)")
        assert order == [str(row["officer_id"]) for row in by_amount]
        outstanding.get_by_role("button").click()
        assert outstanding.get_attribute("aria-sort") == "descending"
        order = body.evaluate_all("rows => rows.map(r => r.dataset.officer)")
        assert order == [str(row["officer_id"]) for row in reversed(by_amount)]
        # The totals stay at the bottom; another column's sort is cleared.
        assert table.locator("tfoot tr").get_attribute("data-officer") == "total"
        assert table.locator("thead th[data-key='debtors']").get_attribute("aria-sort") == "none"
        # Nothing to rate sorts last either way (ao.baru has no promises); the rate is one of
        # the collection columns.
        page.locator("#column-groups [data-cols='collection']").click()
        rate = table.locator("thead th[data-key='ptp_kept_rate']")
        rate.get_by_role("button").click()
        rate.get_by_role("button").click()
        last = body.evaluate_all("rows => rows.map(r => r.dataset.officer)")[-1]
        assert last == str(book.newcomer.id)
        assert page.locator("#team-sort-status").inner_text().startswith("Sorted by PTP kept rate")
        assert_clean(page, console)


class TestOnAPhone:
    @pytest.mark.parametrize(
        ("username", "path"),
        [
            ("ao.budi", "/dashboard/?period=" + PERIOD),
            ("spv.jkt", "/dashboard/team?period=" + PERIOD),
        ],
    )
    def test_no_sideways_scrolling(self, live_server, phone, book, username, path):
        console = open_dashboard(phone, live_server, username, path)
        width, inner = phone.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= inner, f"the page is {width}px wide on a {inner}px screen"
        assert phone.evaluate("window.visualViewport.scale") == 1
        box = phone.locator("#chart-trend-outstanding").bounding_box()
        assert box["width"] > 0 and box["x"] + box["width"] <= inner
        assert_clean(phone, console)


TICKS = """id => Chart.getChart(document.getElementById(id)).scales[
  Chart.getChart(document.getElementById(id)).options.indexAxis === "y" ? "x" : "y"
].ticks.map(t => t.label)"""


class TestInIndonesian:
    def test_the_charts_speak_indonesian_with_the_apis_numbers(self, live_server, page, book):
        page.add_init_script(CSP_LISTENER)
        sign_in(page, live_server, "ao.budi")
        switch_language(page, "id")
        console = ConsoleWatch(page)
        page.goto(f"{live_server}/dashboard/?period={PERIOD}")
        page.wait_for_selector("#dashboard[data-charts]")
        assert page.get_attribute("#dashboard", "data-charts") == "drawn"
        data = api_json(page, live_server)

        outstanding = chart(page, "chart-trend-outstanding")
        assert outstanding["datasets"][0]["label"] == "Baki debet"
        assert outstanding["datasets"][0]["data"] == numbers(
            p["outstanding"] for p in data["trend"]
        )
        ratios = chart(page, "chart-trend-ratios")
        assert [d["label"] for d in ratios["datasets"]] == ["Rasio NPL", "PAR 30"]
        assert ratios["datasets"][0]["data"] == numbers(p["npl_ratio"] for p in data["trend"])
        assert ratios["datasets"][1]["data"] == numbers(p["par30_ratio"] for p in data["trend"])
        kol = chart(page, "chart-kol")
        rows = data["portfolio"]["kol_distribution"]
        assert kol["datasets"][0]["label"] == "Baki debet"
        assert kol["labels"][0] == "Kol 1 · Lancar" and kol["labels"][4] == "Kol 5 · Macet"
        assert kol["datasets"][0]["data"] == numbers(row["outstanding"] for row in rows)
        targets = chart(page, "chart-targets")
        metrics = data["targets"]["metrics"]
        assert targets["datasets"][0]["label"] == "Pencapaian"
        assert targets["labels"][0] == "Nasabah baru" and metrics[0]["label"] == "New customers"
        assert targets["datasets"][0]["data"] == numbers(m["achievement"] for m in metrics)
        # Axis numbers in Indonesian: juta/miliar, decimal comma.
        money_ticks = page.evaluate(TICKS, "chart-trend-outstanding")
        assert any(t.endswith(" jt") for t in money_ticks), money_ticks
        assert not any(t.endswith("M") and not t.endswith(" M") for t in money_ticks)
        ratio_ticks = page.evaluate(TICKS, "chart-trend-ratios")
        assert all("," in t and t.endswith("%") for t in ratio_ticks if t != "0,00%"), ratio_ticks
        assert_clean(page, console)

    def test_the_team_table_says_how_it_is_sorted_in_indonesian(self, live_server, page, book):
        sign_in(page, live_server, "spv.jkt")
        switch_language(page, "id")
        console = ConsoleWatch(page)
        page.goto(f"{live_server}/dashboard/team?period={PERIOD}")
        page.wait_for_selector("#dashboard[data-charts='drawn']")
        page.locator("#team-table thead th[data-key='outstanding']").get_by_role("button").click()
        status = page.locator("#team-sort-status").inner_text()
        assert status == "Diurutkan menurut Baki debet, naik."
        money_ticks = page.evaluate(TICKS, "chart-trend-outstanding")
        assert any(t.endswith(" jt") or t.endswith(" M") for t in money_ticks), money_ticks
        assert console.errors == []
