"""The customer page on a phone, in a real browser: the first screen says who the customer is,
the state and the next action; nothing scrolls sideways."""

from datetime import date

from tests.e2e.conftest import login
from tests.support import factories
from tests.support.credit import make_facility, post_listing


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
