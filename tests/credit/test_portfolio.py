"""Portfolio page and CSV: same numbers as figures(), scope per role, filters, sort, pages, no N+1."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from aoapp.credit import portfolio
from aoapp.credit.figures import portfolio_figures
from aoapp.extensions import db
from tests.support.credit import (
    AS_OF,
    hand_portfolio,
    make_book,
    make_facility,
    post_listing,
)
from tests.support.factories import make_customer

URL = "/portfolio/"
CSV_URL = "/portfolio/export.csv"


def pct(ratio) -> str:
    return f"{ratio * 100:.2f}%"


def accounts(html: str) -> list[str]:
    """Account numbers of the facility table, in order."""
    table = html.split('id="facilities"', 1)[1]
    return re.findall(r'<tr data-facility="\d+">\s*<td class="text-nowrap">([^< ]+)', table)


def by_id(html: str, element_id: str) -> str:
    """The text of an element (of the `.money` figure inside it, for an amount)."""
    return re.search(rf'id="{element_id}">(?:<span class="money">)?([^<]*)<', html).group(1)


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def book(world):
    """Facilities A1–A3 (ao.budi), S1 (ao.sari), D1 (ao.dewi) on two dates."""
    return make_book(world)


class TestScoping:
    def test_login_required(self, client, world):
        for url in (URL, CSV_URL):
            response = client.get(url)
            assert response.status_code == 302 and "/login" in response.location

    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("ao.budi", ["A1", "A2", "A3"]),
            ("ao.sari", ["S1"]),
            ("spv.jkt", ["A1", "A2", "A3", "S1"]),
            ("spv.bdg", ["D1"]),
            ("admin", ["A1", "A2", "A3", "D1", "S1"]),
        ],
    )
    def test_each_role_sees_its_portfolio(self, client, auth, book, username, expected):
        auth.login(username)
        html = client.get(f"{URL}?sort=account_no").get_data(as_text=True)
        assert accounts(html) == expected
        exported = [row[1] for row in csv_rows(client.get(f"{CSV_URL}?sort=account_no"))[1:]]
        assert exported == expected

    @pytest.mark.parametrize(
        ("username", "query"),
        [
            ("ao.budi", "officer={colleague}"),
            ("ao.budi", "officer={remote}"),
            ("ao.budi", "branch={bdg}"),
            ("spv.jkt", "branch={bdg}"),
            ("spv.jkt", "officer={remote}"),
            ("spv.bdg", "officer={officer}"),
            ("admin", "officer=999999"),
        ],
    )
    def test_outside_the_scope_is_404(self, client, auth, world, book, username, query):
        ids = {
            "colleague": world.colleague.id,
            "remote": world.remote.id,
            "officer": world.officer.id,
            "bdg": world.bdg.id,
        }
        auth.login(username)
        for url in (URL, CSV_URL):
            assert client.get(f"{url}?{query.format(**ids)}").status_code == 404, url

    def test_supervisor_filters_by_officer_and_branch(self, client, auth, world, book):
        auth.login("spv.jkt")
        html = client.get(f"{URL}?officer={world.colleague.id}").get_data(as_text=True)
        assert accounts(html) == ["S1"] and "Officer Ao.Sari" in html
        html = client.get(f"{URL}?branch={world.jkt.id}&sort=account_no").get_data(as_text=True)
        assert accounts(html) == ["A1", "A2", "A3", "S1"]

    def test_admin_filters_by_branch(self, client, auth, world, book):
        auth.login("admin")
        html = client.get(f"{URL}?branch={world.bdg.id}").get_data(as_text=True)
        assert accounts(html) == ["D1"] and "Branch BDG01" in html

    def test_nav_links(self, client, auth, world):
        auth.login("ao.budi")
        html = client.get(URL).get_data(as_text=True)
        assert 'href="/portfolio/"' in html and 'href="/portfolio/watchlist"' in html
        assert "No loan listing has been imported" in html


class TestFigures:
    @pytest.mark.parametrize("username", ["ao.budi", "spv.jkt", "admin"])
    def test_page_shows_the_numbers_of_figures(self, client, auth, world, username):
        hand_portfolio(world.officer)
        actor = {"ao.budi": world.officer, "spv.jkt": world.supervisor, "admin": world.admin}[
            username
        ]
        figures = portfolio_figures(actor)
        auth.login(username)
        html = client.get(URL).get_data(as_text=True)
        assert by_id(html, "fig-total") == "IDR 1,090,000,000"
        assert by_id(html, "fig-counts") == "14 · 5"
        assert by_id(html, "fig-npl") == pct(figures.npl_ratio) == "33.03%"
        assert by_id(html, "fig-lar") == pct(figures.lar_ratio) == "72.48%"
        assert [by_id(html, f"fig-par{d}") for d in (30, 60, 90)] == [
            "42.20%",
            "35.78%",
            "23.85%",
        ]
        kol3 = re.search(r'<tr data-kol="3">(.*?)</tr>', html, re.S).group(1)
        assert "IDR 150,000,001" in kol3 and "13.76%" in kol3 and ">2<" in kol3
        aging = re.search(r'<tr data-bucket="over_180">(.*?)</tr>', html, re.S).group(1)
        assert "IDR 15,000,000" in aging and "1.38%" in aging

    def test_figures_follow_the_scope_not_the_table_filters(self, client, auth, world, book):
        auth.login("ao.budi")
        html = client.get(f"{URL}?kol=1").get_data(as_text=True)
        assert by_id(html, "fig-total") == "IDR 850"
        assert accounts(html) == ["A3"]


class TestListing:
    def test_latest_date_by_default_and_earlier_dates_on_request(self, client, auth, book):
        auth.login("ao.budi")
        html = client.get(f"{URL}?sort=account_no").get_data(as_text=True)
        assert "as of Jun 30, 2024" in html
        assert '<option value="2024-06-30" selected>' in html
        assert '<option value="2024-05-31" >' in html
        html = client.get(f"{URL}?as_of=2024-05-31&sort=account_no").get_data(as_text=True)
        assert "as of May 31, 2024" in html and by_id(html, "fig-total") == "IDR 1,000"

    def test_row_shows_kols_bucket_and_change(self, client, auth, book):
        auth.login("ao.budi")
        html = client.get(f"{URL}?sort=account_no").get_data(as_text=True)
        row = re.search(
            r'<tr data-facility="\d+">\s*<td class="text-nowrap">A1(.*?)</tr>', html, re.S
        )
        cells = row.group(1)
        assert "Warung Budi" in cells and "CIF-B1" in cells and "IDR 400" in cells
        assert "31–60" in cells and "+40" in cells and "▼ Kol 1→2" in cells
        a3 = re.search(r'<td class="text-nowrap">A3(.*?)</tr>', html, re.S).group(1)
        assert "-100" in a3 and "▲ Kol 3→1" in a3
        a2 = re.search(r'<td class="text-nowrap">A2(.*?)</tr>', html, re.S).group(1)
        assert 'title="Restructured on Jan 15, 2024">R<' in a2 and "Restructure hold" in a2

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("kol=2", ["A1", "A2"]),
            ("kol=1", ["A3"]),
            ("bucket=31_60", ["A1"]),
            ("bucket=current", ["A2", "A3"]),
            ("product=kpr", ["A3"]),
            ("restructured=true", ["A2"]),
            ("restructured=false", ["A1", "A3"]),
            ("watchlist=true", ["A1", "A3"]),
            ("q=cif-b2", ["A3"]),
            ("q=warung", ["A1", "A2"]),
            ("q=a2", ["A2"]),
            ("q=%25", []),
            ("kol=9", ["A1", "A2", "A3"]),  # an invalid filter is ignored on the page
        ],
    )
    def test_filters(self, client, auth, book, query, expected):
        auth.login("ao.budi")
        html = client.get(f"{URL}?{query}&sort=account_no").get_data(as_text=True)
        assert accounts(html) == expected

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("account_no", ["A1", "A2", "A3"]),
            ("-account_no", ["A3", "A2", "A1"]),
            ("outstanding", ["A3", "A2", "A1"]),
            ("-dpd", ["A1", "A3", "A2"]),  # ties: newest position first
            ("customer", ["A3", "A1", "A2"]),
            ("product", ["A1", "A3", "A2"]),
            ("maturity_date", ["A3", "A1", "A2"]),
        ],
    )
    def test_sort(self, client, auth, book, sort, expected):
        auth.login("ao.budi")
        assert accounts(client.get(f"{URL}?sort={sort}").get_data(as_text=True)) == expected

    def test_fifty_per_page(self, client, auth, world):
        customer = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(customer, f"P{i:03d}"), 0, 1) for i in range(55)])
        auth.login("ao.budi")
        first = client.get(f"{URL}?sort=account_no").get_data(as_text=True)
        second = client.get(f"{URL}?sort=account_no&page=2").get_data(as_text=True)
        assert len(accounts(first)) == 50 and accounts(second) == [
            f"P{i:03d}" for i in range(50, 55)
        ]
        assert "Page 1 of 2" in first and "55 records" in first

    def test_no_n_plus_one(self, client, auth, world):
        """The page runs the same number of queries for 3 facilities as for 30."""
        counts = []
        auth.login("ao.budi")
        for n in (3, 30):
            customers = [make_customer(world.officer) for _ in range(n)]
            post_listing(AS_OF - timedelta(days=n), [(make_facility(c), 5, 1) for c in customers])
            statements = []

            def count(*_args, _statements=statements, **_kw):
                _statements.append(1)

            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                response = client.get(f"{URL}?as_of={(AS_OF - timedelta(days=n)).isoformat()}")
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            assert len(accounts(response.get_data(as_text=True))) == n
            counts.append(len(statements))
        assert counts[0] == counts[1]


class TestCsv:
    def test_columns_and_values(self, client, auth, book):
        auth.login("ao.budi")
        response = client.get(f"{CSV_URL}?sort=account_no")
        assert response.mimetype == "text/csv"
        assert 'filename="portfolio-20240630.csv"' in response.headers["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0][:8] == [
            "As of",
            "Account no",
            "CIF",
            "Customer",
            "Product",
            "Officer",
            "Outstanding",
            "DPD",
        ]
        assert rows[1] == [
            "2024-06-30",
            "A1",
            "CIF-B1",
            "Warung Budi",
            "KMK",
            "ao.budi",
            "400.00",
            "40",
            "0",
            "2",
            "2",
            "dpd",
            "1",
            "31–60",
            "no",
            "2028-01-02",
        ]

    def test_same_filters_as_the_page_and_every_row(self, client, auth, world):
        customer = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(customer, f"P{i:03d}"), i % 3, 1) for i in range(60)])
        auth.login("ao.budi")
        assert len(csv_rows(client.get(CSV_URL))) == 61
        zero = csv_rows(client.get(f"{CSV_URL}?bucket=current&page=2"))
        assert len(zero) == 21 and {row[7] for row in zero[1:]} == {"0"}

    def test_formula_injection_is_guarded(self, client, auth, world):
        customer = make_customer(world.officer, name='=HYPERLINK("http://x")', cif="CIF-X")
        post_listing(AS_OF, [(make_facility(customer, "+ACC1"), 0, 1)])
        auth.login("ao.budi")
        row = csv_rows(client.get(CSV_URL))[1]
        assert row[1] == "'+ACC1" and row[3] == '\'=HYPERLINK("http://x")'

    def test_empty_portfolio_exports_the_header(self, client, auth, world):
        auth.login("ao.budi")
        response = client.get(CSV_URL)
        assert csv_rows(response) == [portfolio.CSV_HEADER]
        assert 'filename="portfolio.csv"' in response.headers["Content-Disposition"]


class TestService:
    def test_rows_carry_changes(self, world, book):
        page = portfolio.list_facilities(world.officer, {"sort": "account_no"}, 50)
        a1, a2, a3 = page.items
        assert (a1.dpd_change, a1.kol_change, a1.bucket) == (40, 1, "31_60")
        assert (a2.dpd_change, a2.kol_change) == (-10, 0)
        assert (a3.dpd_change, a3.kol_change, a3.bucket_label) == (-100, -1, "Current (0)")
        assert a1.officer.id == world.officer.id and a1.product.code == "KMK"

    def test_first_listing_has_no_change(self, world):
        post_listing(date(2024, 1, 31), [(make_facility(make_customer(world.officer)), 3, 1)])
        [row] = portfolio.list_facilities(world.officer, {}, 50).items
        assert (row.dpd_change, row.kol_change) == (None, None)
