"""An officer and a supervisor at work, in a real browser."""

from datetime import date

from tests.e2e.conftest import login
from tests.support import factories


class TestOfficerInTheBrowser:
    def test_login_collect_a_prospect_on_a_phone_and_see_it_listed(self, live_server, phone, world):
        factories.make_product("KUR", subtype="kur")
        login(phone, live_server, "ao.budi", factories.PASSWORD)
        phone.goto(f"{live_server}/prospects/new")
        phone.fill("#name", "Ibu Sri Rahayu")
        phone.fill("#phone", "0812-3456-7890")
        phone.select_option("#source", "walk_in")
        phone.fill("#estimated_credit_need", "25000000")
        phone.click("main button[type=submit]")
        phone.wait_for_url("**/prospects/*")
        assert "Ibu Sri Rahayu" in phone.content()
        assert phone.locator("a[href^='https://wa.me/6281234567890']").count() >= 1
        phone.goto(f"{live_server}/prospects/")
        assert "Ibu Sri Rahayu" in phone.inner_text("main")

    def test_a_bad_nik_is_explained_next_to_the_field(self, live_server, page, world):
        login(page, live_server, "ao.budi", factories.PASSWORD)
        page.goto(f"{live_server}/prospects/new")
        page.fill("#name", "Pak Joko")
        page.fill("#phone", "081234567891")
        page.fill("#nik", "12345")
        page.select_option("#source", "flyer")
        page.click("main button[type=submit]")
        assert "NIK must be exactly 16 digits." in page.inner_text("main")

    def test_wrong_password_shows_the_generic_error(self, live_server, page, world):
        login(page, live_server, "ao.budi", "not the password")
        assert "Invalid username or password." in page.inner_text("main")


class TestSupervisorInTheBrowser:
    def test_supervisor_cannot_open_another_branchs_customer(self, live_server, page, world):
        remote = factories.make_customer(world.remote)
        login(page, live_server, "spv.jkt", factories.PASSWORD)
        response = page.goto(f"{live_server}/customers/{remote.id}")
        assert response.status == 404

    def test_portfolio_page_renders_with_the_csp_and_no_console_errors(
        self, live_server, page, world
    ):
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        customer = factories.make_customer(world.officer)
        from tests.support.credit import make_facility, post_listing

        facility = make_facility(customer)
        post_listing(date(2026, 10, 31), [(facility, 95, 1_000_000)])
        login(page, live_server, "spv.jkt", factories.PASSWORD)
        page.goto(f"{live_server}/portfolio/")
        assert "Substandard" in page.inner_text("main") or "Kurang Lancar" in page.inner_text(
            "main"
        )
        assert errors == []
