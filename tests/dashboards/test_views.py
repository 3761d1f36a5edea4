"""Dashboard pages on the hand-computed fixture (tests/support/dashboards.py): both pages for each
role, the same numbers as the service (and so the API), links that lead to lists showing exactly
the rows a figure counts, the Kol migration matrix, scoping, and where `/` sends each role."""

import html as markup
import json
import re
from decimal import Decimal

import pytest

from aoapp.auth.models import User
from aoapp.common.i18n import format_money
from aoapp.dashboards import services
from aoapp.extensions import db
from tests import test_query_counts as qc
from tests.support import dashboards as h
from tests.test_query_counts import check, count_of

PERIOD = h.PERIOD
COUNTED = (
    "debtors", "facilities", "downgrades", "prospects_collected", "prospects_converted",
    "introductions", "followups_done", "followups_overdue", "ptp_kept", "ptp_broken",
    "complaints_open", "complaints_overdue",
)  # fmt: skip
SUMMED = ("outstanding", "npl_outstanding")  # PAR 30 is shown as its ratio (kpis/figures.py)
# The row marker of each list a figure links to.
ROW_MARKERS = {
    "/customers/": r'<tr data-customer="\d+"',
    "/portfolio/watchlist": r'<tr class="watch-card" data-facility="\d+" data-signals=',
    "/portfolio/": r'<tr data-facility="\d+"',
    "/prospects/": r'<tr data-id="\d+"',
    "/products/introductions/": r'<tr data-introduction="\d+"',
    "/followups/": r'<tr data-followup="\d+"',
    "/promises/": r'<tr data-promise="\d+"',
    "/complaints/": r'<tr data-complaint="\d+"',
}


@pytest.fixture
def book(world):
    return h.dashboard_book(world)


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def card(html: str, card_id: str) -> str:
    """The headline value of one card (the text of its link, when it has one; an amount's
    `.money` figure)."""
    found = re.search(
        rf'id="{card_id}">.*?dash-value">(?:<a [^>]*>)?(?:<span class="money">)?([^<]*)<',
        html,
        re.S,
    )
    return markup.unescape(found.group(1)).strip()


def card_link(html: str, card_id: str) -> str:
    found = re.search(rf'id="{card_id}">.*?dash-value"><a [^>]*href="([^"]+)"', html, re.S)
    return markup.unescape(found.group(1))


def team_rows(html: str) -> dict[str, dict[str, tuple[str, str, str | None]]]:
    """{officer id or 'total': {column: (sort value, shown text, link)}} of the team table."""
    table = html[html.index('id="team-table"') : html.index("</table>", html.index("team-table"))]
    rows = {}
    for officer, body in re.findall(r'<tr data-officer="(\w+)">(.*?)</tr>', table, re.S):
        cells = re.findall(
            r'data-key="(\w+)" data-sort="([^"]*)">(?:<a href="([^"]*)">)?([^<]*)', body
        )
        rows[officer] = {
            key: (sort, markup.unescape(text).strip(), markup.unescape(link) if link else None)
            for key, sort, link, text in cells
        }
    return rows


def listed(client, url: str) -> int:
    """How many rows the list behind a link shows (all on one page in these fixtures)."""
    html = page_of(client, url)
    path = url.split("?", 1)[0]
    marker = ROW_MARKERS[path]
    if path == "/portfolio/":
        html = html.split('id="facilities"', 1)[1]
    return len(re.findall(marker, html))


def listed_outstanding(client, url: str) -> Decimal:
    """The outstanding of the facilities a portfolio link lists (the same filters, by the API)."""
    assert url.startswith("/portfolio/?")
    response = client.get(
        url.replace("/portfolio/?", "/api/v1/facilities?"),
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200, response.json
    return sum((Decimal(item["outstanding"]) for item in response.json["items"]), Decimal("0"))


def user(username: str) -> User:
    return db.session.scalar(db.select(User).where(User.username == username))


class TestHome:
    @pytest.mark.parametrize(
        ("username", "target"),
        [("ao.budi", "/dashboard/"), ("spv.jkt", "/dashboard/team"), ("admin", "/admin/")],
    )
    def test_each_role_lands_on_its_page(self, client, auth, world, username, target):
        auth.login(username)
        response = client.get("/")
        assert response.status_code == 302 and response.headers["Location"].endswith(target)

    @pytest.mark.parametrize(
        ("username", "target"), [("ao.budi", "/dashboard/"), ("spv.jkt", "/dashboard/team")]
    )
    def test_dashboard_is_the_first_nav_item(self, client, auth, world, username, target):
        auth.login(username)
        html = page_of(client, "/profile")
        nav = html[html.index('<ul class="navbar-nav main-menu') :]
        first = re.search(r'<a class="dropdown-item" href="([^"]+)">([^<]+)</a>', nav)
        assert first.groups() == (target, "Dashboard")

    def test_login_required(self, client, world):
        for url in ("/dashboard/", "/dashboard/team"):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestOfficerDashboard:
    def test_the_officer_sees_their_month(self, client, auth, book):
        auth.login("ao.budi")
        html = page_of(client, f"/dashboard/?period={PERIOD}")
        budi = h.BUDI
        assert card(html, "card-outstanding") == format_money(budi.outstanding)
        assert card(html, "card-debtors") == str(budi.debtors)
        assert card(html, "card-facilities") == str(budi.facilities)
        assert card(html, "card-npl") == "48.19%" and card(html, "card-par30") == "67.47%"
        assert card(html, "card-watchlist") == str(budi.watchlist)
        then = h.OCTOBER_WORKLOAD["ao.budi"]  # October's counts at its end
        assert card(html, "card-followups-today") == str(then["today"])
        assert card(html, "card-followups-overdue") == str(then["overdue"])
        assert card(html, "card-complaints") == str(then["open"])
        assert "past their due date" not in html
        # NPL ratio went up by 41.61 points since 30 Sep: worse, said in words too.
        npl = html[html.index('id="card-npl"') : html.index('id="card-par30"')]
        assert 'class="small text-danger dash-change" data-change="0.4161"' in npl
        assert '<span class="visually-hidden">Up</span> 41.61 points' in npl
        assert "(worse)</span> since Sep 30, 2026" in npl
        assert card_link(html, "card-followups-today") == "/agenda/#today"
        assert card_link(html, "card-followups-overdue") == "/agenda/#overdue"

    def test_pipeline_targets_and_trend(self, client, auth, book):
        auth.login("ao.budi")
        html = page_of(client, f"/dashboard/?period={PERIOD}")
        statuses = dict(
            re.findall(r'<tr data-status="(\w+)"><th[^>]*>[^<]*</th><td[^>]*>(\d+)', html)
        )
        assert {k: int(v) for k, v in statuses.items()} == h.BUDI_PIPELINE
        assert "4 collected</a>" in html and "1 converted</a>" in html
        assert "conversion rate <strong>25.00%</strong>" in html
        targets = html[html.index('id="target-table"') :]
        rows = dict(re.findall(r'<tr data-metric="(\w+)">(.*?)</tr>', targets, re.S))
        assert "50.00%" in rows["new_customers"] and "Not met" in rows["new_customers"]
        assert (
            "IDR 70,000,000" in rows["outstanding_growth"] and "Met" in rows["outstanding_growth"]
        )
        assert "(at most)" in rows["max_npl_ratio"] and "83.00%" in rows["max_npl_ratio"]
        assert "No target" in rows["introductions"]
        assert 'id="overall-achievement">76.60%' in html
        trend = re.findall(r'<tr data-as-of="([\d-]+)">', html)
        assert trend == [day.isoformat() for day, *_ in h.BUDI_TREND]

    def test_the_numbers_are_the_services_and_the_apis(self, client, auth, book):
        auth.login("ao.budi")
        html = page_of(client, f"/dashboard/?period={PERIOD}")
        dashboard = services.officer_dashboard(user("ao.budi"), None, PERIOD)
        figures = dashboard.portfolio.figures
        assert card(html, "card-outstanding") == format_money(figures.total_outstanding)
        assert card(html, "card-debtors") == str(figures.debtor_count)
        api_url = markup.unescape(re.search(r'data-dashboard-api="([^"]+)"', html).group(1))
        assert api_url == f"/api/v1/dashboard/officer?period={PERIOD}"
        api = client.get(api_url, headers={"X-Requested-With": "XMLHttpRequest"})
        assert api.status_code == 200
        assert api.json["portfolio"]["outstanding"] == str(figures.total_outstanding)
        assert api.json["followups"] == {"today": 1, "overdue": 2}  # at the end of 31 Oct
        # The charts draw from the page's copy of the API's blocks: one computation per view.
        charts = json.loads(
            markup.unescape(re.search(r"data-charts-json='([^']+)'", html).group(1))
        )
        assert sorted(charts) == ["pipeline", "portfolio", "targets", "trend"]
        assert charts == {block: api.json[block] for block in charts}
        # The charts' script and library are files: the CSP allows no inline script.
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        assert "/static/dashboards.js" in html and "/static/vendor/chartjs/chart.umd.min.js" in html

    def test_a_month_without_its_own_listing_says_so(self, client, auth, book):
        auth.login("ao.budi")
        html = page_of(client, "/dashboard/")  # the bank's current month: after October
        assert "No listing in" in html and "the listing of Oct 31, 2026" in html
        assert card(html, "card-outstanding") == format_money(h.BUDI.outstanding)
        # A bad month is ignored: the default month is shown.
        assert page_of(client, "/dashboard/?period=2026-13").count("No listing in") == 1
        html = page_of(client, "/dashboard/?period=2026-08")
        assert card(html, "card-outstanding") == format_money(760 * h.M)
        assert 'href="/dashboard/?period=2026-07" rel="prev"' in html
        assert 'href="/dashboard/?period=2026-09" rel="next"' in html
        for typed in ("Agustus 2026", "Aug 2026", "08/2026"):  # as people write a month
            html = page_of(client, f"/dashboard/?period={typed}")
            assert card(html, "card-outstanding") == format_money(760 * h.M), typed
            assert 'href="/dashboard/?period=2026-07" rel="prev"' in html

    @pytest.mark.parametrize("username", ["spv.jkt", "admin"])
    def test_supervisors_and_admins_open_an_officers_dashboard(self, client, auth, book, username):
        auth.login(username)
        response = client.get(f"/dashboard/?period={PERIOD}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/dashboard/team?period={PERIOD}")
        officer = book.world.officer.id
        html = page_of(client, f"/dashboard/?period={PERIOD}&officer={officer}")
        assert "Dashboard of Ao.Budi" in html
        assert card(html, "card-outstanding") == format_money(h.BUDI.outstanding)
        assert f'<option value="{officer}" selected>' in html
        assert (
            f'data-dashboard-api="/api/v1/dashboard/officer?period={PERIOD}&amp;officer_id={officer}"'
            in html
        )
        # Today's and overdue follow-ups lead to the follow-up list, which shows them.
        assert listed(client, card_link(html, "card-followups-today")) == 2
        assert listed(client, card_link(html, "card-followups-overdue")) == 3
        assert listed(client, card_link(html, "card-complaints")) == 2
        assert listed(client, card_link(html, "card-watchlist")) == h.BUDI.watchlist

    @pytest.mark.parametrize(
        ("username", "who"),
        [("ao.budi", "colleague"), ("ao.budi", "remote"), ("spv.jkt", "remote"),
         ("spv.bdg", "officer")],
    )  # fmt: skip
    def test_outside_the_scope_is_404(self, client, auth, book, username, who):
        auth.login(username)
        officer = getattr(book.world, who).id
        assert client.get(f"/dashboard/?officer={officer}").status_code == 404

    def test_an_officer_naming_themselves_sees_their_own(self, client, auth, book):
        auth.login("ao.budi")
        html = page_of(client, f"/dashboard/?officer={book.world.officer.id}&period={PERIOD}")
        assert card(html, "card-outstanding") == format_money(h.BUDI.outstanding)


class TestTeamDashboard:
    def test_officers_are_sent_to_their_own(self, client, auth, book):
        auth.login("ao.budi")
        response = client.get("/dashboard/team")
        assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard/")

    def test_one_row_per_officer_equal_to_the_service(self, client, auth, book):
        auth.login("spv.jkt")
        html = page_of(client, f"/dashboard/team?period={PERIOD}")
        rows = team_rows(html)
        ids = {u: str(user(u).id) for u in ("ao.budi", "ao.sari", "ao.baru")}
        assert set(rows) == {*ids.values(), "total"}  # not ao.dewi (BDG01)
        for username, officer in ids.items():
            for key, value in h.KPIS[username].items():
                assert rows[officer][key][0] == ("" if value is None else str(value)), key
        dashboard = services.team_dashboard(user("spv.jkt"), None, PERIOD)
        for row in [*dashboard.officers, dashboard.totals]:
            cells = rows[str(row.officer_id) if row.officer_id else "total"]
            for key in (*COUNTED, *SUMMED, "npl_ratio", "par30_ratio", "target_achievement"):
                value = getattr(row, key)
                assert cells[key][0] == ("" if value is None else str(value)), key
        assert rows[ids["ao.budi"]]["target_achievement"][1] == "76.60%"
        assert rows[ids["ao.budi"]]["outstanding"][1] == format_money(h.BUDI.outstanding)
        # Branch totals equal the sum of the rows; ratios from the sums.
        for key in (*COUNTED, *SUMMED):
            total = sum(Decimal(rows[o][key][0]) for o in ids.values())
            assert Decimal(rows["total"][key][0]) == total, key
        assert rows["total"]["npl_ratio"][0] == h.JKT.npl_ratio
        assert "data-sortable-table" in html
        # every column: officer, branch, 19 KPIs (kpis/figures.TABLE_FIGURES), complaints open
        # and overdue, target achievement
        assert len(re.findall(r"<th [^>]*data-sortable(?!-)", html)) == 24
        assert "par30_outstanding" not in rows["total"]

    def test_every_cell_leads_to_the_rows_it_counts(self, client, auth, book):
        # The current month: its complaints cells count what the live complaints list shows.
        current = f"{book.today:%Y-%m}"
        auth.login("spv.jkt")
        rows = team_rows(page_of(client, f"/dashboard/team?period={current}"))
        dashboard = services.team_dashboard(user("spv.jkt"), None, current)
        par30 = {
            str(row.officer_id) if row.officer_id else "total": row.par30_outstanding
            for row in [*dashboard.officers, dashboard.totals]
        }
        for officer, cells in rows.items():
            for key in COUNTED:
                sort, _shown, link = cells[key]
                assert link is not None, (officer, key)
                assert listed(client, link) == int(sort), (officer, key, link)
            for key in SUMMED:
                _sort, _shown, link = cells[key]
                assert listed_outstanding(client, link) == Decimal(cells[key][0]), (officer, key)
            assert cells["npl_ratio"][2] == cells["npl_outstanding"][2]
            # PAR 30 (the ratio) lists the facilities of its numerator, the PAR 30 outstanding.
            assert listed_outstanding(client, cells["par30_ratio"][2]) == par30[officer], officer
            collected, converted = cells["prospects_collected"], cells["prospects_converted"]
            assert cells["conversion_rate"][2] == collected[2]
            assert listed(client, cells["ptp_kept_rate"][2]) == int(cells["ptp_kept"][0]) + int(
                cells["ptp_broken"][0]
            )
            assert "status=won" in converted[2]
            assert cells["target_achievement"][2] == f"/targets/?month={current}"
        assert client.get(f"/targets/?month={current}").status_code == 200

    def test_admin_sees_the_bank_or_one_branch(self, client, auth, book):
        auth.login("admin")
        rows = team_rows(page_of(client, f"/dashboard/team?period={PERIOD}"))
        assert len(rows) == 5  # four officers and the totals
        assert rows["total"]["outstanding"][0] == f"{h.BANK.outstanding}.00"
        bdg = book.world.bdg.id
        html = page_of(client, f"/dashboard/team?period={PERIOD}&branch={bdg}")
        rows = team_rows(html)
        assert set(rows) == {str(book.world.remote.id), "total"}
        assert 'id="scope">Branch BDG01<' in html
        # A totals row of one branch links only the lists that can filter by branch.
        assert rows["total"]["facilities"][2] == f"/portfolio/?branch={bdg}&as_of=2026-10-31"
        assert rows["total"]["followups_done"][2] is None
        assert listed(client, rows["total"]["facilities"][2]) == 2

    def test_supervisor_scope(self, client, auth, book):
        auth.login("spv.jkt")
        assert client.get(f"/dashboard/team?branch={book.world.bdg.id}").status_code == 404
        html = page_of(client, f"/dashboard/team?period={PERIOD}&branch={book.world.jkt.id}")
        assert card(html, "card-outstanding") == format_money(h.JKT.outstanding)
        auth.logout()
        auth.login("spv.bdg")
        rows = team_rows(page_of(client, f"/dashboard/team?period={PERIOD}"))
        assert set(rows) == {str(book.world.remote.id), "total"}

    def test_portfolio_cards_of_the_scope(self, client, auth, book):
        auth.login("spv.jkt")
        html = page_of(client, f"/dashboard/team?period={PERIOD}")
        assert card(html, "card-outstanding") == format_money(h.JKT.outstanding)
        assert card(html, "card-npl") == "38.46%" and card(html, "card-par30") == "49.65%"
        assert card(html, "card-watchlist") == str(h.JKT.watchlist)
        assert listed(client, card_link(html, "card-watchlist")) == h.JKT.watchlist
        trend = re.findall(r'<tr data-as-of="([\d-]+)">', html)
        assert trend == [day.isoformat() for day, *_ in h.JKT_TREND]
        # The charts' copy of the API's blocks (the rows and the matrix are tables only).
        api = client.get(
            f"/api/v1/dashboard/team?period={PERIOD}",
            headers={"X-Requested-With": "XMLHttpRequest"},
        ).json
        charts = json.loads(
            markup.unescape(re.search(r"data-charts-json='([^']+)'", html).group(1))
        )
        assert sorted(charts) == ["portfolio", "trend"]
        assert charts == {"portfolio": api["portfolio"], "trend": api["trend"]}


def migration_cells(html: str) -> dict:
    """{(from Kol or None, to Kol): (count, outstanding in M)} of the non-empty cells."""
    table = html[html.index('id="kol-migration"') :]
    table = table[: table.index("</table>")]
    found = {}
    for source, body in re.findall(r'<tr data-from-kol="(\w+)">(.*?)</tr>', table, re.S):
        cells = re.findall(
            r'data-to-kol="(\d)" data-count="(\d+)" data-outstanding="([\d.]+)"', body
        )
        for to_kol, count, outstanding in cells:
            if int(count):
                key = (None if source == "new" else int(source), int(to_kol))
                found[key] = (int(count), int(Decimal(outstanding)) // h.M)
    return found


class TestKolMigration:
    def test_default_is_the_previous_month_end_to_a(self, client, auth, book):
        auth.login("spv.jkt")
        html = page_of(client, f"/dashboard/team?period={PERIOD}")
        assert migration_cells(html) == h.MIGRATION_SEP_OCT
        assert 'data-from="2026-09-30" data-to="2026-10-31"' in html
        # The diagonal, the downgrades and the upgrades are told apart, in colour and in words.
        table = html[html.index('id="kol-migration"') :]
        assert re.search(r'class="mig-same" data-to-kol="1" data-count="2"', table)
        assert re.search(r'class="mig-down" data-to-kol="4" data-count="2"', table)
        assert re.search(r'class="mig-up" data-to-kol="1" data-count="1"', table)
        assert 'visually-hidden"> downgraded</span>' in table
        assert re.search(r'data-total="all" data-count="9"', table)

    def test_two_chosen_month_ends(self, client, auth, book):
        auth.login("spv.jkt")
        html = page_of(client, f"/dashboard/team?period={PERIOD}&from=2026-08-31&to=2026-10-31")
        assert migration_cells(html) == h.MIGRATION_AUG_OCT
        assert "from=2026-08-31&amp;to=2026-10-31" in html  # the charts read the same dates
        options = re.findall(
            r'<select class="form-select" id="migration-from".*?</select>', html, re.S
        )
        assert re.findall(r'value="([\d-]+)"', options[0]) == [
            "2026-10-31",
            "2026-09-30",
            "2026-08-31",
        ]

    @pytest.mark.parametrize("query", ["from=2026-10-15", "from=2026-10-31&to=2026-09-30"])
    def test_a_date_that_does_not_fit_falls_back_to_the_default(self, client, auth, book, query):
        auth.login("spv.jkt")
        html = page_of(client, f"/dashboard/team?period={PERIOD}&{query}")
        assert 'id="migration-error"' in html and "The default dates are shown." in html
        assert migration_cells(html) == h.MIGRATION_SEP_OCT


class TestQueryCounts:
    """The pages run as many statements for 12 officers (or debtors) as for 2."""

    def test_team_page_of_a_supervisor(self, client, auth, world):
        auth.login("spv.jkt")
        shown = count_of(r'<tr data-officer="\d+"')
        check(client, "/dashboard/team", qc.grow_dashboard_team(), shown)

    def test_team_page_of_the_bank(self, client, auth, world):
        auth.login("admin")
        shown = count_of(r'<tr data-officer="\d+"')
        check(client, "/dashboard/team", qc.grow_dashboard_team("BDG01"), shown)

    def test_officer_page(self, client, auth, world):
        auth.login("ao.budi")
        shown = lambda body: int(card(body, "card-facilities"))  # noqa: E731
        check(client, "/dashboard/", qc.grow_dashboard_officer(world.officer), shown)

    def test_officer_page_seen_by_a_supervisor(self, client, auth, world):
        auth.login("spv.jkt")
        shown = lambda body: int(card(body, "card-facilities"))  # noqa: E731
        url = f"/dashboard/?officer={world.officer.id}"
        check(client, url, qc.grow_dashboard_officer(world.officer), shown)
