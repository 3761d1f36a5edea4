"""The officer's agenda on a phone, in a real browser: readable, no sideways scrolling, one tap to
log an outcome."""

from tests.e2e.conftest import login
from tests.support import agenda as h
from tests.support import factories


class TestAgendaOnAPhone:
    def test_officer_sees_the_day_and_logs_an_outcome(self, live_server, phone, world):
        customer = factories.make_customer(
            world.officer, name="PT Maju Jaya", phone="6281234567890"
        )
        facility = h.debtor(
            world.officer,
            95,
            name="Koperasi Simpan Pinjam Sejahtera Bersama Kabupaten Bandung Barat",
            phone="6281311112222",
        )
        h.followup(
            world.officer,
            facility=facility,
            planned_date=h.days(-1),
            escalated=True,
            notes="Bawa-surat-pemberitahuan-tunggakan-dan-jadwal-restrukturisasi-" * 3,
        )
        offer = h.followup(
            world.officer, customer=customer, purpose="product_offer", channel="whatsapp"
        )
        h.complaint(customer, due_date=h.days(-2), priority="urgent")

        login(phone, live_server, "ao.budi", factories.PASSWORD)
        errors = []  # CSP violations and script errors; listened to after the login page's favicon
        phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        phone.goto(f"{live_server}/agenda/")
        main = phone.inner_text("main")
        assert "Overdue" in main and "Today" in main and "Next 7 days" in main
        assert phone.locator("article.agenda-item").count() == 3
        width, inner = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"page is {width}px wide on a {inner}px screen"
        card = phone.locator(f"article[data-id='{offer.id}'][data-kind='follow_up']")
        assert card.locator("a[href='tel:+6281234567890']").count() == 1
        wa = card.locator("a[href^='https://wa.me/6281234567890?text=']")
        assert wa.count() == 1
        box = card.get_by_role("link", name="Log outcome").bounding_box()
        assert box["height"] >= 40 and box["x"] + box["width"] <= inner

        card.get_by_role("link", name="Log outcome").tap()
        phone.wait_for_url(f"**/followups/{offer.id}/complete**")
        assert "Log outcome" in phone.inner_text("main")
        phone.select_option("#outcome", "interested")
        phone.click("main button[type=submit]")
        phone.wait_for_url("**/agenda/")
        assert phone.locator(f"article[data-id='{offer.id}'][data-kind='follow_up']").count() == 0
        assert errors == []
