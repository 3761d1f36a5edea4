"""The customer page on a phone, in a real browser: the first screen says who the customer is,
the state and the next action; nothing scrolls sideways."""

from datetime import date

from tests.e2e.conftest import login
from tests.support import factories
from tests.support.credit import make_facility, post_listing
from tests.support.holdings import make_deposit, post_deposit


class TestCustomerPageOnAPhone:
    def test_first_screen_shows_the_state_and_the_next_action(self, live_server, phone, world):
        customer = factories.make_customer(world.officer, name="Lestari Nasution")
        kur = make_facility(customer, "KUR-0163", product="KUR")
        post_listing(date(2024, 6, 30), [(kur, 163, "48000000")], arrears={kur.id: (6000000, 0)})

        login(phone, live_server, "ao.budi", factories.PASSWORD)
        phone.goto(f"{live_server}/customers/{customer.id}")
        height = phone.evaluate("window.innerHeight")
        summary = phone.locator("#summary")
        text = summary.inner_text()
        assert "Lestari Nasution" in text and customer.cif in text and "In arrears" in text
        action = summary.locator(".next-action").bounding_box()
        assert action["y"] + action["height"] <= height, "the next action is below the first screen"
        assert (
            phone.locator("#collection-state").bounding_box()["y"]
            < phone.locator("#holdings").bounding_box()["y"]
        )
        width, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"page is {width}px wide on a {inner}px screen"

    def test_the_wallet_fits_the_screen(self, live_server, phone, world):
        customer = factories.make_customer(world.officer, name="Toko Rahayu Sentosa Abadi")
        kmk = make_facility(customer, "KMK-0001")
        tab = make_deposit(customer, "TAB", account_no="0020000000001")
        for month in range(1, 13):
            day = date(2026, month, 28)
            post_listing(day, [(kmk, 0, 2_450_000_000 - month * 50_000_000)])
            post_deposit(tab, day, 1_250_000_000 + month * 10_000_000)
        make_deposit(customer, "DEP", {date(2026, 12, 28): 7_500_000_000})

        login(phone, live_server, "ao.budi", factories.PASSWORD)
        phone.goto(f"{live_server}/customers/{customer.id}")
        wallet = phone.locator("#wallet")
        assert "IDR 1,850,000,000" in wallet.locator("#wallet-credit").inner_text()
        assert wallet.locator("#wallet-net").inner_text() == "IDR 7,020,000,000"
        chart = wallet.locator("svg.wallet-chart").bounding_box()
        inner = phone.evaluate("window.innerWidth")
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= inner
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= inner, f"page is {width}px wide on a {inner}px screen"
