"""The customer page's wallet (issue 20): credit exposure, funding by kind, the net position, 12
month-ends of both and the products by category — the same figures as the holdings API and the
customer workbook of the period."""

import calendar
import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.common.i18n import format_money
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.wallet import balance_history, wallet
from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.workbook import customer_workbook
from aoapp.reports.writers import XlsxWriterWriter
from tests.support import reports_customer as H
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.holdings import make_deposit, post_deposit, record
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.snapshots import copied, copy_key

M = Decimal(1_000_000)
# 13 month-ends, Oct 2025 to Oct 2026: the wallet shows the last 12.
MONTHS = [
    date(y, m, calendar.monthrange(y, m)[1])
    for y, m in [(2025, 10), (2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]
]
OCT31 = MONTHS[-1]
NO_DEPOSITS_LISTING = date(2026, 2, 28)  # the bank imported no deposits listing in February


_STORES: dict = {}


@pytest.fixture
def budi_store(world):
    """Toko Budi: a KMK paying down 5 M a month, a tabungan growing 1 M a month (no deposits
    listing in February), a giro, a deposito since August, and mobile banking by hand. Built on
    its first use, then its rows copied in (tests/support/snapshots.py)."""
    return copied(
        _STORES,
        copy_key(world.officer.id),
        lambda: _budi_store(world),
        lambda customer: customer.id,
        lambda id_: db.session.get(Customer, id_),
    )


def _budi_store(world):
    customer = make_customer(world.officer, name="Toko Budi")
    kmk = make_facility(customer, "KMK-0001")
    other = make_facility(make_customer(world.officer), "KMK-0002")  # another debtor
    tab = make_deposit(customer, "TAB", account_no="TAB-0001")
    giro = make_deposit(customer, "GIRO", account_no="GIRO-0001")
    dep = make_deposit(customer, "DEP", account_no="DEP-0001")
    for k, day in enumerate(MONTHS):
        post_listing(day, [(kmk, 0, 300 * M - 5 * k * M), (other, 0, 10 * M)])
        if day != NO_DEPOSITS_LISTING:
            post_deposit(tab, day, 20 * M + k * M, commit=False)
            post_deposit(giro, day, Decimal("7500000.25"), commit=False)
        if day >= date(2026, 8, 31):
            post_deposit(dep, day, 150 * M, commit=False)
    record(customer, "MBANKING")
    return customer


def _figure(page: str, name: str) -> str:
    return re.search(rf'id="wallet-{name}">(.*?)</dd>', page, re.S).group(1)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


class TestFigures:
    def test_the_wallet_sums_the_holdings(self, app, budi_store):
        w = wallet(budi_store)
        assert w.credit == Decimal("240000000.00")  # 300 M less 12 × 5 M
        assert w.funding == {
            "giro": Decimal("7500000.25"),
            "tabungan": Decimal("32000000.00"),
            "deposito": Decimal("150000000.00"),
        }
        assert w.funding_total == Decimal("189500000.25")
        assert w.net == Decimal("-50499999.75")
        assert [(c, len(found)) for c, found in w.categories] == [
            ("credit", 1), ("giro", 1), ("tabungan", 1), ("deposito", 1), ("service", 1)
        ]  # fmt: skip

    def test_twelve_month_ends(self, app, budi_store):
        history = balance_history(budi_store.id)
        assert [m.month_end for m in history] == MONTHS[1:]
        november, february, october = history[0], history[3], history[-1]
        assert (november.credit, november.funding) == (295 * M, 21 * M + Decimal("7500000.25"))
        assert february.month_end == NO_DEPOSITS_LISTING and february.funding is None
        assert february.credit == 280 * M
        assert october.credit == wallet(budi_store).credit
        assert october.funding == wallet(budi_store).funding_total

    def test_each_month_reads_its_last_listing_of_each_kind(self, app, world):
        customer = make_customer(world.officer)
        loan, saving = make_facility(customer, "KMK-0100"), make_deposit(customer, "TAB")
        for day, owed in (
            (date(2026, 8, 31), 90 * M),
            (date(2026, 9, 15), 85 * M),  # mid-month: September's end listing counts
            (date(2026, 9, 30), 80 * M),
            (date(2026, 11, 10), 70 * M),  # no listing in October; November's so far
        ):
            post_listing(day, [(loan, 0, owed)])
        post_deposit(saving, date(2026, 9, 15), 5 * M, commit=False)
        post_deposit(saving, date(2026, 11, 1), 6 * M, commit=False)
        post_deposit(saving, date(2026, 11, 3), 6 * M, commit=False)
        post_deposit(saving, date(2026, 11, 9), 7 * M)
        history = balance_history(customer.id)
        assert [(m.month_end, m.credit, m.funding) for m in history] == [
            (date(2026, 8, 31), 90 * M, None),
            (date(2026, 9, 30), 80 * M, 5 * M),
            (date(2026, 10, 31), None, None),
            (date(2026, 11, 30), 70 * M, 7 * M),
        ]
        # Three months: the walk steps a month at a time, not a listing date at a time.
        assert balance_history(customer.id, months=3) == history[1:]

    def test_nothing_before_the_first_listing(self, app, world):
        customer = make_customer(world.officer)
        assert balance_history(customer.id) == [] and wallet(customer).chart is None


class TestPage:
    def test_the_page_shows_what_the_api_sums(self, app, client, auth, api, world, budi_store):
        items = api(world.officer).get(f"/api/v1/customers/{budi_store.id}/holdings").json["items"]
        amounts: dict[str, Decimal] = {}
        for item in items:
            if item["amount"] is not None:
                amounts[item["category"]] = amounts.get(item["category"], 0) + Decimal(
                    item["amount"]
                )
        funding = amounts["giro"] + amounts["tabungan"] + amounts["deposito"]
        auth.login("ao.budi")
        page = client.get(f"/customers/{budi_store.id}").get_data(as_text=True)
        expected = {
            "credit": amounts["credit"],
            "giro": amounts["giro"],
            "tabungan": amounts["tabungan"],
            "deposito": amounts["deposito"],
            "funding": funding,
            "net": funding - amounts["credit"],
        }
        with app.test_request_context(), force_locale("en"):
            for name, amount in expected.items():
                assert _text(_figure(page, name)) == format_money(amount), name
        assert 'data-category="service" data-count="1"' in page
        assert page.index('id="wallet"') < page.index('id="holdings"')

    def test_the_chart_and_its_values(self, client, auth, budi_store):
        auth.login("ao.budi")
        page = client.get(f"/customers/{budi_store.id}").get_data(as_text=True)
        assert '<svg class="wallet-chart"' in page and 'data-points="12"' in page
        # The funding line breaks where February had no deposits listing.
        assert page.count('class="wallet-funding-line"') == 2
        assert page.count('class="wallet-credit-line"') == 1
        rows = re.findall(r'<tr data-month="([\d-]+)">(.*?)</tr>', page, re.S)
        assert [day for day, _row in rows] == [d.isoformat() for d in reversed(MONTHS[1:])]
        february = dict(rows)["2026-02-28"]
        assert "—" in february and "IDR 280,000,000" in february
        assert "script" not in page.split('id="wallet"', 1)[1].split("</section>", 1)[0]

    def test_in_indonesian(self, client, auth, budi_store):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = client.get(f"/customers/{budi_store.id}").get_data(as_text=True)
        assert english_leftovers(page) == []
        wallet_section = page.split('id="wallet"', 1)[1].split("</section>", 1)[0]
        assert "Ringkasan dana dan kredit" in wallet_section and "Posisi neto" in wallet_section
        assert "Rp 240.000.000" in wallet_section and "-Rp 50.500.000" in wallet_section
        assert "Okt 26" in wallet_section  # the months in Indonesian


class TestWorkbook:
    def test_the_workbook_of_the_latest_month_says_the_same(self, app, budi_store, tmp_path):
        w = wallet(budi_store)
        period = parse_period("2026-10")
        data = load_customer_reports([budi_store.id], period, period_as_of(period))
        path = tmp_path / "book.xlsx"
        XlsxWriterWriter().write(customer_workbook(data[budi_store.id], "Bank Demo"), path)
        facts = H.facts(load_workbook(path)["Summary"])
        assert H.money(facts["Total outstanding"].value) == w.credit
        assert H.money(facts["Total funding (DPK)"].value) == w.funding_total
        assert H.money(facts["Net position (funding less outstanding)"].value) == w.net
        for kind in ("giro", "tabungan", "deposito"):
            assert H.money(facts[f"DPK {kind.capitalize()}"].value) == w.funding[kind]
