"""An officer's day on the demo bank, in Indonesian, photographed for the README.

ao.sari opens her agenda on a phone, taps the debtor who broke his promise to pay (a story of
aoapp/demo/stories.py), reads the first screen of his page, logs the call's outcome with a new
promise, and her supervisor opens the team dashboard on a laptop. Every step checks what the page
says before its picture is taken, so a broken page fails here, not in the README. The pictures
(tests/support/screenshots.py SHOTS) go to the test's tmp_path, or to AOAPP_SCREENSHOTS_DIR
(`make docs-screenshots` writes docs/img/).

The clock stands on a Wednesday at 10:00 in Jakarta: inside the collection window (Monday to
Saturday, 08:00-20:00, no holiday), so the collection actions are enabled, and the same day on
every run, so the pictures change only when the pages do.
"""

import re
from datetime import datetime, timedelta

import pytest

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from aoapp.demo.stories import STORIES
from tests.clock import JAKARTA
from tests.e2e.conftest import login
from tests.support.browser import ConsoleWatch
from tests.support.demo import DEMO_PASSWORD
from tests.support.screenshots import AGENDA, CUSTOMER, PROMISE, SHOTS, TEAM, shots_dir, take

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=JAKARTA)  # a Wednesday, no public holiday
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# A browser set up as an Indonesian officer's (language, time zone), at device scale 1 (small PNGs).
INDONESIAN = {"locale": "id-ID", "timezone_id": "Asia/Jakarta", "device_scale_factor": 1}
OFFICER = "ao.sari"
SUPERVISOR = "spv.jkt"
# The debtor who broke his promise to pay and is now Kol 3: an overdue call on the agenda.
DEBTOR = next(s.name for s in STORIES if s.officer == OFFICER and s.signal == "broken_ptp")
NOTE = "Pak Darsono janji melunasi tunggakan Rabu depan setelah hasil panen terjual."


@pytest.fixture
def phone(browser):
    """The officer's phone (as the `phone` fixture of conftest), its browser in Indonesian."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **INDONESIAN)
    yield context.new_page()
    context.close()


@pytest.fixture
def laptop(browser):
    """A 1366 × 768 screen, the supervisors' usual laptop, its browser in Indonesian."""
    context = browser.new_context(viewport=LAPTOP, **INDONESIAN)
    yield context.new_page()
    context.close()


def rupiah(text: str) -> int:
    """`Rp 10.329.000` → 10329000 (whole rupiah, as the pages show the demo's amounts)."""
    match = re.search(r"Rp\s*([\d.]+)(?:,\d+)?", text)
    assert match, f"no amount in {text!r}"
    return int(match.group(1).replace(".", ""))


def sign_in(page, base: str, username: str, landing: str) -> None:
    """Log in with the demo password and land on the role's home page."""
    login(page, base, username, DEMO_PASSWORD)
    page.wait_for_url(f"**{landing}")
    assert page.locator("html").get_attribute("lang") == "id"


def first_screen(page, selector: str) -> None:
    """`selector` is seen without scrolling."""
    box = page.locator(selector).first.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], f"{selector} below"


def open_agenda(page, base: str):
    """The agenda: today's date, the overdue group first, the debtor's overdue call in it."""
    page.goto(f"{base}/agenda/")
    assert page.inner_text("h1") == "Agenda saya"
    assert "Rabu 18 Nov 2026" in page.inner_text("main")
    overdue = page.locator("#overdue")
    assert "Terlambat" in overdue.locator("h2").inner_text()
    card = overdue.locator("article.agenda-item", has_text=DEBTOR)
    assert card.count() == 1
    text = card.inner_text()
    assert "Penagihan" in text and "Kol 3" in text and "ingkar" in text
    assert int(re.search(r"DPD (\d+)", text).group(1)) > 90
    assert card.get_by_role("link", name="Catat hasil").is_enabled()
    first_screen(page, "#overdue article.agenda-item")
    return card


def check_customer(page) -> int:
    """The debtor's first screen: who, in arrears, DPD and Kol, the broken promise, the call to
    make now; returns the arrears."""
    summary = page.locator("#summary")
    assert summary.locator("h1").inner_text() == DEBTOR
    assert "AO: Sari Lestari" in summary.inner_text()
    assert page.inner_text("#customer-state") == "Menunggak"
    arrears = rupiah(page.inner_text("#summary-arrears"))
    assert arrears > 0
    assert int(page.inner_text("#summary-dpd")) > 90
    assert page.inner_text("#summary-kol").startswith("Kol 3")
    assert page.locator("#summary-promise .promise-broken").inner_text() == "Ingkar"
    call = summary.get_by_role("link", name="Telepon soal tunggakan")  # only within the window
    assert call.count() == 1 and call.get_attribute("href").startswith("tel:+62")
    first_screen(page, "#summary .next-action")
    collection = page.locator("#collection-state")
    assert "Kontak terkait tunggakan diizinkan sekarang." in collection.inner_text()
    assert collection.get_by_role("link", name="WhatsApp").count() == 1
    return arrears


def fill_promise(page, arrears: int) -> str:
    """The outcome form of the overdue call, filled with a promise of the whole arrears in a
    week; returns the promised day as the page writes it."""
    assert page.inner_text("h1") == "Catat hasil"
    assert DEBTOR in page.inner_text("main")
    assert page.locator("#ptp-fields").is_hidden()  # until the outcome is a promise
    page.select_option("#outcome", "promised_to_pay")
    assert page.locator("#ptp-fields").is_visible()
    page.fill("#notes", NOTE)
    page.fill("#promised_amount", str(arrears))
    promised = bank_today() + timedelta(days=7)
    page.fill("#promised_date", promised.isoformat())
    page.locator("#promised_date").blur()
    assert page.input_value("#promised_amount") == f"{arrears:,}".replace(",", ".")  # money.js
    # The form from its title down to the promised day, on one screen.
    page.locator("h1").evaluate(
        "h => window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 8)"
    )
    first_screen(page, "#promised_date")
    return format_date(promised, "id")


class TestAnOfficersDay:
    @pytest.mark.today(MORNING)
    def test_agenda_customer_promise_and_team_dashboard(
        self, live_server, phone, laptop, demo_bank, app, tmp_path
    ):
        app.config["DEFAULT_LOCALE"] = "id"  # the bank's language, as `make run` serves it
        folder = shots_dir(tmp_path)
        taken = []

        sign_in(phone, live_server, OFFICER, "/dashboard/")
        console = ConsoleWatch(phone)
        card = open_agenda(phone, live_server)
        taken.append(take(phone, folder, AGENDA))

        card.get_by_role("link", name=DEBTOR).tap()
        phone.wait_for_url(re.compile(r".*/customers/\d+$"))
        customer_url = phone.url
        arrears = check_customer(phone)
        taken.append(take(phone, folder, CUSTOMER))

        phone.locator("#collection-state").get_by_role("link", name="Catat hasil").tap()
        phone.wait_for_url(re.compile(r".*/followups/\d+/complete\?next=.*"))
        day = fill_promise(phone, arrears)
        taken.append(take(phone, folder, PROMISE))

        phone.get_by_role("button", name="Simpan hasil").tap()
        phone.wait_for_url(customer_url)
        flash = phone.inner_text("main")
        assert "Hasil dicatat: janji bayar." in flash
        assert "Janji bayar dicatat; ditepati jika dibayar paling lambat" in flash
        promise = phone.inner_text("#summary-promise")
        assert phone.locator("#summary-promise .promise-pending").count() == 1
        assert f"paling lambat {day}" in promise and f"{arrears:,}".replace(",", ".") in promise
        assert console.errors == []

        sign_in(laptop, live_server, SUPERVISOR, "/dashboard/team")
        console = ConsoleWatch(laptop)
        laptop.wait_for_selector("#dashboard[data-charts]")
        assert laptop.get_attribute("#dashboard", "data-charts") == "drawn"
        assert laptop.inner_text("h1").startswith("Dasbor tim")
        assert laptop.inner_text("#scope") == "Cabang JKT01"
        rows = laptop.locator("#team-table tbody tr")
        officers = [rows.nth(i).locator("td, th").first.inner_text() for i in range(rows.count())]
        assert officers == ["Budi Santoso", "Sari Lestari"]
        total = laptop.locator("#team-table tfoot tr")
        assert total.locator("td, th").first.inner_text() == "Total"
        outstanding = [rupiah(rows.nth(i).inner_text()) for i in range(rows.count())]
        assert rupiah(total.inner_text()) == sum(outstanding) > 0  # each officer's, and the sum
        portfolio = laptop.inner_text("section[aria-labelledby='portfolio-title']")
        assert rupiah(portfolio) == sum(outstanding) and "Rasio NPL" in portfolio
        first_screen(laptop, "#team-table tfoot")
        assert console.errors == []
        taken.append(take(laptop, folder, TEAM))

        assert [path.name for path in taken] == list(SHOTS)  # the README's list, all of it
        assert all(path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for path in taken)
