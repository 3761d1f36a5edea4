"""Holdings, the one picture of what a customer holds (issue 20): active facilities from the loan
listing, open accounts from the deposits listing, and by hand only what no listing covers; the
page, the API, cross-selling and the introduction form all read it."""

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.customers.holdings import holdings, holdings_of, unlisted_records
from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer, make_product
from tests.support.holdings import make_deposit, post_deposit, record
from tests.support.statements import recorded

SEP30, OCT31 = date(2026, 9, 30), date(2026, 10, 31)
HOLDINGS = "/api/v1/customers/{}/holdings"


@pytest.fixture
def sari(world):
    """Ibu Sari: a KUR (48 M outstanding), a tabungan, a deposito and mobile banking by hand."""
    customer = make_customer(world.officer, name="Ibu Sari")
    kur = make_facility(customer, "KUR-0001", product="KUR", start=date(2025, 2, 3))
    post_listing(SEP30, [(kur, 0, "50000000")])
    post_listing(OCT31, [(kur, 0, "48000000")])
    tab = make_deposit(customer, "TAB", {SEP30: "2500000"}, account_no="TAB-0001")
    post_deposit(tab, OCT31, "3250000.50")
    make_deposit(customer, "DEP", {OCT31: "100000000"}, account_no="DEP-0001")
    record(customer, "MBANKING", opened_on=date(2024, 1, 5))
    return customer


class TestOneDefinition:
    def test_four_holdings_from_three_sources(self, app, sari):
        held = [(h.source, h.category, h.product.code, h.account_no) for h in holdings(sari)]
        assert held == [
            ("loan_listing", "credit", "KUR", "KUR-0001"),
            ("deposit_listing", "tabungan", "TAB", "TAB-0001"),
            ("deposit_listing", "deposito", "DEP", "DEP-0001"),
            ("manual", "service", "MBANKING", None),
        ]
        amounts = [(h.amount, h.as_of) for h in holdings(sari)]
        assert amounts == [
            (Decimal("48000000.00"), OCT31),
            (Decimal("3250000.50"), OCT31),
            (Decimal("100000000.00"), OCT31),
            (None, None),
        ]

    def test_on_a_past_day_the_listings_of_that_day(self, app, sari):
        held = [(h.product.code, h.amount) for h in holdings(sari, on=date(2026, 10, 15))]
        # The 30 Sep listings: no deposito yet; mobile banking was recorded in 2024.
        assert held == [
            ("KUR", Decimal("50000000.00")),
            ("TAB", Decimal("2500000.00")),
            ("MBANKING", None),
        ]
        assert [h.product.code for h in holdings(sari, on=date(2023, 12, 31))] == []

    def test_closed_accounts_are_not_held_dormant_ones_are(self, app, world):
        customer = make_customer(world.officer)
        make_deposit(customer, "TAB", {OCT31: "0"}, status="closed", closed_on=OCT31)
        make_deposit(customer, "GIRO", {OCT31: "750000"}, status="dormant")
        assert [(h.product.code, h.category) for h in holdings(customer)] == [("GIRO", "giro")]
        assert [h.product.code for h in holdings(customer, on=OCT31)] == ["GIRO"]

    def test_an_active_facility_left_off_the_newest_listing_shows_its_own_latest(
        self, app, world, sari
    ):
        # Read on the newest listing first (common/latest.py); a facility not on it (a partial
        # listing, a facility not yet listed) is looked up on its own latest date.
        later = make_facility(make_customer(world.officer), "KMK-0009", product="KMK")
        post_listing(date(2026, 11, 30), [(later, 0, "1000")])
        newer = make_facility(sari, "KMK-0002", product="KMK")
        amounts = [(h.account_no, h.amount, h.as_of) for h in holdings(sari)][:2]
        assert amounts == [
            ("KMK-0002", None, None),  # active, never listed
            ("KUR-0001", Decimal("48000000.00"), OCT31),  # not on 30 Nov: its own 31 Oct
        ]
        post_listing(date(2026, 11, 30), [(newer, 0, "7000000")])
        amounts = [(h.account_no, h.amount, h.as_of) for h in holdings(sari)][:2]
        assert amounts[0] == ("KMK-0002", Decimal("7000000.00"), date(2026, 11, 30))

    def test_a_batch_answers_every_customer(self, app, world, sari):
        bare = make_customer(world.officer)
        found = holdings_of([sari.id, bare.id], on=OCT31)
        assert len(found[sari.id]) == 4 and found[bare.id] == []


class TestHandRecords:
    def test_a_hand_record_of_a_listed_product_is_shown_once_from_the_listing(self, app, sari):
        for code in ("KUR", "TAB"):
            record(sari, code, account_no="typed")
        held = [(h.product.code, h.source) for h in holdings(sari)]
        assert held.count(("KUR", "loan_listing")) == 1 and held.count(("TAB", "deposit_listing"))
        assert not [h for h in holdings(sari) if h.account_no == "typed"]
        assert unlisted_records(sari, holdings(sari)) == []

    def test_a_hand_record_the_listings_do_not_show_is_not_held(self, client, auth, sari):
        record(sari, "GIRO")  # typed before the deposits listing covered deposits
        assert "GIRO" not in [h.product.code for h in holdings(sari)]
        [stale] = unlisted_records(sari, holdings(sari))
        stale_id = stale.id
        auth.login("ao.budi")
        page = client.get(f"/customers/{sari.id}").get_data(as_text=True)
        unlisted = page.split('id="unlisted-records"', 1)[1].split("</div>", 1)[0]
        assert 'data-unlisted="GIRO"' in unlisted and "not counted as held" in unlisted
        assert f"/holdings/{stale_id}/delete" in unlisted
        assert auth.post(f"/customers/{sari.id}/holdings/{stale_id}/delete").status_code == 302
        db.session.expire_all()
        assert db.session.get(ProductHolding, stale_id) is None

    def test_the_form_offers_only_what_no_listing_covers(self, client, auth, sari):
        make_product("KMK")
        make_product("INSURANCE", kind="service", subtype=None, name="Referensi asuransi")
        auth.login("ao.budi")
        page = client.get(f"/customers/{sari.id}").get_data(as_text=True)
        form = page.split('name="product"', 1)[1].split("</select>", 1)[0]
        assert re.findall(r'<option value="(\w+)"', form) == ["INSURANCE"]
        response = auth.post(f"/customers/{sari.id}/holdings", {"product": "KMK"})
        assert response.status_code == 422
        assert "record by hand only products no listing covers" in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(ProductHolding.id))) == 1


class TestApi:
    def test_the_holdings_of_a_customer(self, api, world, sari):
        response = api(world.officer).get(HOLDINGS.format(sari.id))
        assert response.status_code == 200
        assert response.json["items"] == [
            {"source": "loan_listing", "category": "credit", "product_code": "KUR",
             "product_name": "Product KUR", "account_no": "KUR-0001", "amount": "48000000.00",
             "as_of": "2026-10-31", "opened_on": "2025-02-03"},
            {"source": "deposit_listing", "category": "tabungan", "product_code": "TAB",
             "product_name": "Tabungan", "account_no": "TAB-0001", "amount": "3250000.50",
             "as_of": "2026-10-31", "opened_on": "2023-03-01"},
            {"source": "deposit_listing", "category": "deposito", "product_code": "DEP",
             "product_name": "Deposito", "account_no": "DEP-0001", "amount": "100000000.00",
             "as_of": "2026-10-31", "opened_on": "2023-03-01"},
            {"source": "manual", "category": "service", "product_code": "MBANKING",
             "product_name": "Mobile Banking", "account_no": None, "amount": None,
             "as_of": None, "opened_on": "2024-01-05"},
        ]  # fmt: skip
        detail = api(world.officer).get(f"/api/v1/customers/{sari.id}").json
        assert detail["held_products"] == response.json["items"]

    def test_scoped_like_the_customer(self, api, world, sari):
        assert api(world.remote).get(HOLDINGS.format(sari.id)).status_code == 404
        assert api(world.bdg_supervisor).get(HOLDINGS.format(sari.id)).status_code == 404
        assert api(world.supervisor).get(HOLDINGS.format(sari.id)).status_code == 200
        assert api(world.officer).get(HOLDINGS.format(999999)).status_code == 404

    def test_documented_in_openapi(self, client):
        paths = client.get("/api/openapi.json").json["paths"]
        assert "get" in paths["/api/v1/customers/{customer_id}/holdings"]


class TestReaders:
    def test_introductions_say_what_the_customer_already_holds(self, client, auth, sari):
        make_product("KMK", name="Kredit Modal Kerja")
        auth.login("ao.budi")
        page = client.get(f"/products/introductions/new?customer={sari.id}").get_data(as_text=True)
        options = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page))
        assert options["TAB"] == "Tabungan (TAB) · already holds"
        assert options["MBANKING"].endswith("already holds")
        assert options["KMK"] == "Kredit Modal Kerja (KMK)"

    def test_the_page_and_the_cross_sell_table_show_each_source(self, client, auth, sari):
        auth.login("ao.budi")
        page = client.get(f"/customers/{sari.id}").get_data(as_text=True)
        for code, source in (("KUR", "loan_listing"), ("TAB", "deposit_listing"),
                             ("DEP", "deposit_listing"), ("MBANKING", "manual")):  # fmt: skip
            assert f'data-held="{code}" data-source="{source}"' in page
        tab = re.search(r'<tr data-product="TAB"[^>]*>(.*?)</tr>', page, re.S).group(0)
        assert 'data-held="yes"' in tab and "from the deposits listing" in tab
        assert re.search(r'id="summary-held">4<', page)

    def test_the_page_reads_what_the_customer_holds_once(self, app, client, auth, sari):
        """Its form, the wallet and the cross-sell table show the same holdings: read once."""
        auth.login("ao.budi")
        with recorded() as seen:
            page = client.get(f"/customers/{sari.id}").get_data(as_text=True)
        assert 'data-held="MBANKING" data-source="manual"' in page
        loans = [s for s in seen if "SELECT facilities.id" in s and "products.id" in s]
        deposits = [s for s in seen if "FROM deposit_accounts JOIN deposit_positions" in s]
        assert len(loans) == 1 and len(deposits) == 1
