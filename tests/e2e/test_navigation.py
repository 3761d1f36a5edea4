"""The header and the team table in a real browser: the grouped menu stays on one line on a
laptop for every role and folds into a menu button on a phone; the team table shows one group of
columns at a time, keeps the officer in view, and turns into cards on a phone."""

import pytest

from aoapp.dashboards.columns import GROUP_OF
from tests.support import dashboards as h
from tests.support.browser import ConsoleWatch, go_to, sign_in, switch_language

LAPTOP = {"width": 1366, "height": 768}
TEAM = f"/dashboard/team?period={h.PERIOD}"
LONG_NAME = "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk"


@pytest.fixture
def laptop(browser):
    """A 1366 × 768 screen, the supervisors' usual laptop."""
    context = browser.new_context(viewport=LAPTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def book(world):
    return h.dashboard_book(world)


@pytest.fixture
def long_bank_name(app, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_NAME", LONG_NAME)


def one_line(page) -> tuple[float, float]:
    """The expanded menu's height and one of its links' height."""
    nav = page.locator("#nav").bounding_box()
    link = page.locator("#nav .main-menu .nav-link").first.bounding_box()
    return nav["height"], link["height"]


def visible_keys(page, selector: str) -> set[str]:
    return set(
        page.locator(selector).evaluate_all(
            "cells => cells.filter(c => c.offsetParent !== null).map(c => c.dataset.key)"
        )
    )


def group_keys(group: str) -> set[str]:
    return {key for key, owner in GROUP_OF.items() if owner == group}


class TestMenuOnALaptop:
    @pytest.mark.parametrize("username", ["ao.budi", "spv.jkt", "admin"])
    @pytest.mark.parametrize("language", ["en", "id"])
    def test_the_menu_is_one_line(
        self, live_server, laptop, world, long_bank_name, username, language
    ):
        sign_in(laptop, live_server, username)
        if language == "id":
            switch_language(laptop, "id")
        height, link = one_line(laptop)
        assert height < 1.5 * link, f"the menu is {height}px high, a link {link}px"
        bar = laptop.locator("nav.navbar").bounding_box()
        assert bar["height"] < 2 * link + 24
        tops = laptop.locator("#nav .nav-link, .navbar-brand").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().bottom))"
        )
        assert max(tops) - min(tops) <= 8, tops
        # The bank's name is beside the brand, cut short rather than widening the header.
        name = laptop.locator(".navbar-brand .bank-name")
        assert name.get_attribute("title") == LONG_NAME
        width = laptop.evaluate("document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"]

    def test_a_group_opens_and_marks_the_page(self, live_server, laptop, world):
        sign_in(laptop, live_server, "spv.jkt")
        console = ConsoleWatch(laptop)
        go_to(laptop, "Credit", "Watchlist")
        laptop.wait_for_url("**/portfolio/watchlist")
        current = laptop.locator("#nav .main-menu .active")
        assert current.evaluate_all("els => els.map(e => e.textContent.trim())") == [
            "Credit",
            "Watchlist",
        ]
        assert laptop.locator("#nav [aria-current='page']").inner_text() == "Watchlist"
        go_to(laptop, "Reports", "Targets")
        laptop.wait_for_url("**/targets/")
        assert console.errors == []


class TestMenuOnAPhone:
    def test_a_menu_button_and_no_sideways_scrolling(
        self, live_server, phone, world, long_bank_name
    ):
        sign_in(phone, live_server, "admin")
        assert phone.locator("#nav").is_hidden()
        name = phone.locator(".navbar-brand .bank-name")
        assert name.evaluate("e => e.scrollWidth > e.clientWidth"), "the long name is not cut"
        toggler = phone.locator(".navbar-toggler").bounding_box()
        brand = phone.locator(".navbar-brand").bounding_box()
        assert toggler["x"] + toggler["width"] <= 390
        assert toggler["y"] < brand["y"] + brand["height"], "the menu button fell to a second line"
        go_to(phone, "Customers & prospects", "Customers")
        phone.wait_for_url("**/customers/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide"


class TestTeamColumnGroups:
    def test_switching_groups_without_reloading(self, live_server, laptop, book):
        sign_in(laptop, live_server, "spv.jkt")
        console = ConsoleWatch(laptop)
        laptop.goto(f"{live_server}{TEAM}")
        head = "#team-table thead th[data-key]"
        assert visible_keys(laptop, head) == group_keys("portfolio")  # the default
        laptop.evaluate("window.__samePage = true")
        for group in ("collection", "activity", "targets", "portfolio"):
            laptop.locator(f"#column-groups [data-cols='{group}']").click()
            assert visible_keys(laptop, head) == group_keys(group)
            assert visible_keys(laptop, "#team-table tbody td[data-key]") == group_keys(group)
            assert laptop.url.endswith(f"cols={group}")
        assert laptop.evaluate("window.__samePage") is True  # no reload
        # The officer's column always shows; the choice is shared by the URL and kept by the
        # month links.
        assert laptop.locator("#team-table thead th").first.is_visible()
        laptop.locator("#column-groups [data-cols='collection']").click()
        assert "cols=collection" in laptop.get_attribute("#period-form a[rel=prev]", "href")
        laptop.reload()
        assert visible_keys(laptop, head) == group_keys("collection")
        assert console.errors == []

    def test_the_officer_column_stays_while_scrolling(self, live_server, laptop, book):
        sign_in(laptop, live_server, "spv.jkt")
        laptop.goto(f"{live_server}{TEAM}&cols=all")
        box = laptop.locator("#team-table").locator("xpath=..")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "every column fits: no test"
        name = laptop.locator("#team-table tbody th").first
        before = name.bounding_box()["x"]
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        assert box.evaluate("e => e.scrollLeft") > 0
        assert name.bounding_box()["x"] == before
        assert visible_keys(laptop, "#team-table thead th[data-key]") == set(GROUP_OF)


class TestTeamOnAPhone:
    def test_one_card_per_officer_with_the_chosen_group(self, live_server, phone, book):
        sign_in(phone, live_server, "spv.jkt")
        phone.goto(f"{live_server}{TEAM}&cols=collection")
        assert phone.locator("#team-table thead").is_hidden()
        rows = phone.locator("#team-table tbody tr")
        assert rows.count() >= 2
        assert rows.first.evaluate("r => getComputedStyle(r).display") == "grid"
        card = rows.first.bounding_box()
        assert card["x"] >= 0 and card["x"] + card["width"] <= 390
        assert visible_keys(phone, "#team-table tbody tr:first-child td[data-key]") == group_keys(
            "collection"
        )
        phone.locator("#column-groups [data-cols='activity']").click()
        assert visible_keys(phone, "#team-table tbody td[data-key]") == group_keys("activity")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
