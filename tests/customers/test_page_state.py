"""The customer page tells the truth first (issue 17.4): products held come from the listings
(and what no listing covers, recorded by hand), cross-selling never offers a held product, and
the page opens with collection for a customer in arrears and with the relationship otherwise."""

import re
from datetime import date, timedelta

import pytest

from aoapp.common.dates import bank_today
from aoapp.customers.holdings import holdings
from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.introductions.services import cross_sell
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer, make_product
from tests.support.holdings import make_deposit, record
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.products import make_introduction
from tests.support.promises import make_promise

AS_OF = date(2024, 6, 30)


def _page(client, customer) -> str:
    response = client.get(f"/customers/{customer.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _order(page: str, *ids: str) -> list[int]:
    """Positions of the sections `ids` in the page, in the order given."""
    return [page.index(f'id="{name}"') for name in ids]


def _row(page: str, attribute: str, code: str) -> str:
    match = re.search(rf'<tr {attribute}="{code}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, (attribute, code)
    return match.group(0)


def _record(customer, product) -> None:
    db.session.add(ProductHolding(customer_id=customer.id, product_id=product.id))
    db.session.commit()


@pytest.fixture
def lestari(world):
    """Lestari Nasution: an active KUR in arrears (DPD 163, Kol 4), savings in the deposits
    listing and mobile banking recorded by hand."""
    customer = make_customer(world.officer, name="Lestari Nasution")
    kur = make_facility(customer, "KUR-0163", product="KUR")
    post_listing(AS_OF, [(kur, 163, "48000000")], arrears={kur.id: (6000000, 1500000)})
    make_product("KMK", name="Kredit Modal Kerja")
    make_deposit(customer, "TAB", {AS_OF: "3500000"}, account_no="TAB-0163")
    record(customer, "MBANKING")
    return customer


@pytest.fixture
def current(world):
    """A customer paying on time, with an introduction and a planned contact."""
    customer = make_customer(world.officer, name="Toko Rahayu")
    kmk = make_facility(customer, "KMK-0001", product="KMK")
    post_listing(AS_OF, [(kmk, 0, "250000000")])
    tab = make_product("TAB", kind="deposit", subtype=None, name="Tabungan")
    make_introduction(world.officer, tab, customer_id=customer.id)
    db.session.add(
        FollowUp(
            customer_id=customer.id,
            owner_id=world.officer.id,
            channel="visit",
            purpose="relationship",
            planned_date=bank_today() + timedelta(days=3),
        )
    )
    db.session.commit()
    return customer


class TestHeldProducts:
    def test_the_listings_then_what_was_recorded(self, app, lestari):
        held = [(h.product.code, h.source) for h in holdings(lestari)]
        assert held == [("KUR", "loan_listing"), ("TAB", "deposit_listing"), ("MBANKING", "manual")]

    def test_a_recorded_product_the_listing_shows_is_listed_once(self, app, lestari):
        kur = next(h.product for h in holdings(lestari) if h.product.code == "KUR")
        _record(lestari, kur)
        held = [(h.product.code, h.source) for h in holdings(lestari)]
        assert held.count(("KUR", "loan_listing")) == 1 and ("KUR", "manual") not in held

    def test_a_closed_facility_is_not_held(self, app, world):
        customer = make_customer(world.officer)
        make_facility(customer, "KPR-0001", product="KPR", status="closed")
        assert holdings(customer) == []

    def test_cross_selling_reads_the_same_definition(self, app, lestari):
        rows = {r.product.code: r for r in cross_sell(lestari)}
        assert rows["KUR"].holding.source == "loan_listing"
        assert rows["TAB"].holding.source == "deposit_listing"
        assert rows["MBANKING"].holding.source == "manual"
        assert rows["KMK"].holding is None


class TestInArrears:
    def test_opens_with_collection(self, client, auth, lestari):
        auth.login("ao.budi")
        page = _page(client, lestari)
        positions = _order(page, "summary", "collection-state", "facilities", "holdings", "profile")
        assert positions == sorted(positions)
        summary = page[positions[0] : positions[1]]
        assert 'data-state="collection"' in summary and "In arrears" in summary
        assert "Lestari Nasution" in summary and lestari.cif in summary
        assert re.search(r'id="summary-dpd">163<', summary)
        assert "Kol 4" in summary and "IDR 7,500,000" in summary
        # The one next action is about the arrears, never an upsell.
        action = re.search(r'class="btn [^"]*next-action" href="([^"]+)"', summary).group(1)
        assert action.startswith(("tel:+", "/followups/")), action
        assert "introductions" not in summary

    def test_collection_actions(self, client, auth, lestari):
        auth.login("ao.budi")
        page = _page(client, lestari)
        start, end = _order(page, "collection-state", "facilities")
        section = page[start:end]
        assert f'href="tel:+{lestari.phone}"' in section and "WhatsApp" in section
        assert "Log outcome" in section and "purpose=collection" in section
        assert "channel=visit" in section and "Plan visit" in section

    def test_products_held_from_the_listing_and_not_offered(self, client, auth, lestari):
        auth.login("ao.budi")
        page = _page(client, lestari)
        assert 'data-held="KUR" data-source="loan_listing"' in page
        assert 'data-held="TAB" data-source="deposit_listing"' in page
        assert 'data-held="MBANKING" data-source="manual"' in page
        kur = _row(page, "data-product", "KUR")
        assert 'data-held="yes"' in kur and "from the loan listing" in kur
        assert "Not offered yet" not in kur
        assert "Not offered yet" in _row(page, "data-product", "KMK")
        assert "No product held" not in page

    def test_a_broken_promise_alone_puts_the_page_in_collection(self, client, auth, world):
        customer = make_customer(world.officer, name="Janji Ingkar")
        kmk = make_facility(customer, "KMK-0900")
        post_listing(date(2024, 5, 31), [(kmk, 20, "90000000")], arrears={kmk.id: (900000, 0)})
        make_promise(kmk, "900000", date(2024, 6, 1), date(2024, 6, 10))
        post_listing(AS_OF, [(kmk, 0, "90000000")], arrears={kmk.id: (900000, 0)})
        auth.login("ao.budi")
        page = _page(client, customer)
        summary = page[: page.index('id="collection-state"')]
        assert 'data-state="collection"' in summary  # DPD 0 now, but the promise was broken
        assert re.search(r'id="summary-dpd">0<', summary) and "promise-broken" in summary

    def test_in_indonesian(self, client, auth, lestari):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = _page(client, lestari)
        assert english_leftovers(page) == []
        positions = _order(page, "summary", "collection-state", "facilities", "holdings", "profile")
        assert positions == sorted(positions)
        summary = page[positions[0] : positions[1]]
        assert "Menunggak" in summary and "Kol 4" in summary and "Rp 7.500.000" in summary
        assert "Tunggakan dan penagihan" in page and "Catat hasil" in page
        assert "Rencanakan kunjungan" in page
        kur = _row(page, "data-product", "KUR")
        assert "Dimiliki" in kur and "dari daftar nominatif kredit" in kur
        assert "Belum ditawarkan" not in kur
        assert "Belum ada produk yang dimiliki" not in page


class TestCurrent:
    def test_opens_with_the_relationship(self, client, auth, current):
        auth.login("ao.budi")
        page = _page(client, current)
        assert 'id="collection-state"' not in page
        positions = _order(page, "summary", "holdings", "introductions", "follow-ups", "facilities")
        assert positions == sorted(positions)
        summary = page[positions[0] : positions[1]]
        assert 'data-state="current"' in summary and "No arrears" in summary
        assert re.search(r'id="summary-held">1<', summary)
        assert re.search(r'id="summary-introductions">1<', summary)
        assert "Log the next contact" in summary
        assert 'data-held="KMK" data-source="loan_listing"' in page

    def test_in_indonesian(self, client, auth, current):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = _page(client, current)
        assert english_leftovers(page) == []
        positions = _order(page, "summary", "holdings", "follow-ups", "profile", "facilities")
        assert positions == sorted(positions)
        summary = page[positions[0] : positions[1]]
        assert "Tidak menunggak" in summary and "Kontak berikutnya" in summary
        assert "Catat kontak berikutnya" in summary
        assert "dari daftar nominatif kredit" in page


class TestApi:
    def test_customer_detail_has_held_products_with_their_source(self, api, world, lestari):
        body = api(world.officer).get(f"/api/v1/customers/{lestari.id}").json
        held = [(h["product_code"], h["source"], h["account_no"]) for h in body["held_products"]]
        assert held == [
            ("KUR", "loan_listing", "KUR-0163"),
            ("TAB", "deposit_listing", "TAB-0163"),
            ("MBANKING", "manual", None),
        ]
        assert [h["category"] for h in body["held_products"]] == ["credit", "tabungan", "service"]


class TestPlanVisitLink:
    def test_the_plan_form_opens_as_a_collection_visit(self, client, auth, lestari):
        auth.login("ao.budi")
        page = client.get(
            f"/followups/new?customer_id={lestari.id}&purpose=collection&channel=visit"
        ).get_data(as_text=True)
        assert re.search(r'<option[^>]*selected[^>]*value="visit"|value="visit"[^>]*selected', page)
        assert re.search(
            r'<option[^>]*selected[^>]*value="collection"|value="collection"[^>]*selected', page
        )
