"""The header search in a real browser: results as one types, chosen with the keyboard; on a
phone the box is a row of its own, usable without opening the menu."""

from tests.e2e.conftest import login
from tests.support import factories
from tests.support.browser import switch_language


def _cast(world):
    customer = factories.make_customer(world.officer, name="Siti Nurhaliza", cif="CIF-7001")
    prospect = factories.make_prospect(world.officer, name="Siti Aminah", status="interested")
    factories.make_customer(world.remote, name="Siti Remote")  # another branch: never listed
    return customer, prospect


class TestHeaderSearch:
    def test_type_then_choose_a_result_with_the_keyboard(self, live_server, page, world):
        customer, _prospect = _cast(world)
        login(page, live_server, "ao.budi", factories.PASSWORD)
        box = page.locator("#header-search-q")
        box.click()
        box.press_sequentially("sit nur", delay=30)
        options = page.locator("#header-search-list [role=option]")
        options.first.wait_for()
        assert box.get_attribute("aria-expanded") == "true"
        texts = options.all_inner_texts()
        assert "Siti Nurhaliza" in texts[0] and "Name: Siti Nurhaliza" in texts[0]
        assert not any("Siti Remote" in t for t in texts)
        box.press("ArrowDown")
        assert options.first.get_attribute("aria-selected") == "true"
        assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
        box.press("Enter")
        page.wait_for_url(f"{live_server}/customers/{customer.id}")
        assert "Siti Nurhaliza" in page.locator("h1").inner_text()

    def test_enter_without_a_choice_opens_the_results_page(self, live_server, page, world):
        _cast(world)
        login(page, live_server, "ao.budi", factories.PASSWORD)
        box = page.locator("#header-search-q")
        box.fill("siti")
        page.locator("#header-search-list [role=option]").first.wait_for()
        box.press("Escape")
        assert page.locator("#header-search-list").is_hidden()
        box.press("Enter")
        page.wait_for_url(f"{live_server}/search?q=siti")
        results = page.locator("#search-results li").all_inner_texts()
        assert [r.split("\n")[0] for r in results] == ["Siti Aminah", "Siti Nurhaliza"] or (
            "Siti Aminah" in results[0] and "Siti Nurhaliza" in results[1]
        )

    def test_nothing_found_says_so_in_indonesian(self, live_server, page, world):
        _cast(world)
        login(page, live_server, "ao.budi", factories.PASSWORD)
        switch_language(page, "id")
        box = page.locator("#header-search-q")
        box.fill("zzz")
        page.locator("#header-search-list li").first.wait_for()
        assert "Tidak ada hasil untuk “zzz”." in page.locator("#header-search-list").inner_text()


class TestOnAPhone:
    def test_the_box_is_a_full_width_row_without_opening_the_menu(self, live_server, phone, world):
        customer, _prospect = _cast(world)
        login(phone, live_server, "ao.budi", factories.PASSWORD)
        box = phone.locator("#header-search-q")
        assert box.is_visible()
        width = phone.evaluate("window.innerWidth")
        assert box.bounding_box()["width"] > width * 0.8
        box.tap()
        box.fill("CIF-70")
        option = phone.locator("#header-search-list [role=option]").first
        option.wait_for()
        listed = phone.locator("#header-search-list").bounding_box()
        assert listed["x"] >= 0 and listed["x"] + listed["width"] <= width
        option.tap()
        phone.wait_for_url(f"{live_server}/customers/{customer.id}")
        scroll, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner
