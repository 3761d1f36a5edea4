"""Whole journeys in a real browser, as users click through them: an officer turning a prospect into
a customer; an admin importing a listing and an officer following up the debtor it downgraded;
form errors explained next to their fields.

Only what a user could not create in the journey itself (users, branches, products, an earlier
listing) is set up directly; everything else goes through the pages.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from playwright.sync_api import expect

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from tests.support import agenda, factories
from tests.support.browser import ConsoleWatch, feedback, go_to, sign_in
from tests.support.credit import make_facility, post_listing
from tests.support.listings import Importer, line, write_csv

DETAIL = {
    "prospect": re.compile(r".*/prospects/\d+$"),
    "customer": re.compile(r".*/customers/\d+$"),
    "import": re.compile(r".*/imports/\d+$"),
    "facility": re.compile(r".*/facilities/\d+$"),
    "followup": re.compile(r".*/followups/\d+$"),
}


def month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


class TestOfficerWinsACustomer:
    def test_collect_a_prospect_introduce_a_product_and_convert_it(self, live_server, page, world):
        factories.make_product("KUR", subtype="kur", name="Kredit Usaha Rakyat")
        factories.make_product("TAB", kind="deposit", subtype=None, name="Tabungan Usaha")
        nik = factories.nik(4321)
        today = bank_today()

        sign_in(page, live_server, "ao.budi")
        console = ConsoleWatch(page)
        go_to(page, "Customers & prospects", "Prospects")
        page.get_by_role("link", name="New prospect").click()
        page.fill("#name", "Ibu Wulan Sari")
        page.fill("#phone", "0813-2222-3333")
        page.fill("#nik", nik)
        page.fill("#business_type", "Warung sembako")
        page.fill("#estimated_credit_need", "50000000")
        page.select_option("#product_interest", "KUR")
        page.select_option("#source", "walk_in")
        page.click("main button[type=submit]")
        page.wait_for_url(DETAIL["prospect"])
        assert "Prospect Ibu Wulan Sari saved." in page.inner_text("main")
        prospect_url = page.url

        page.click("#introduction-link")
        page.wait_for_url("**/introductions/new?prospect=*")
        assert page.input_value("#introduced_on") == today.isoformat()
        page.select_option("#product", "KUR")
        page.select_option("#place", "client_office")
        page.fill("#explanation", "Plafon sampai 50 juta, bunga 6% efektif, angsuran bulanan.")
        page.check("#understood")
        page.select_option("#outcome", "interested")
        page.fill("#follow_up_date", (today + timedelta(days=7)).isoformat())
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(prospect_url)
        assert "Introduction logged." in page.inner_text("main")
        introduction = page.locator("#introductions tbody tr").first
        assert "KUR – Kredit Usaha Rakyat" in introduction.inner_text()
        assert "Interested" in introduction.inner_text()
        assert "understood" in introduction.inner_text()

        convert = page.locator("#convert-form")
        convert.locator("#cif").fill("CIF-0099001")
        convert.locator("#customer_type").select_option("individual")
        convert.locator("#segment").select_option("micro")
        convert.get_by_role("button", name="Convert").click()
        page.wait_for_url(DETAIL["customer"])

        main = page.inner_text("main")
        assert "Ibu Wulan Sari is now customer CIF-0099001." in main
        assert page.inner_text("h1") == "Ibu Wulan Sari"
        assert "CIF CIF-0099001 · Officer: Ao.Budi" in main  # the summary card
        profile = page.inner_text("#profile")
        assert "Individual" in profile and "Micro" in profile
        assert nik in profile
        assert "JKT01 · Jakarta Sudirman" in profile
        assert "Ao.Budi" in profile  # the officer who collected the prospect
        assert format_date(today, "en") in profile  # customer since today
        assert page.locator("#profile a[href='tel:+6281322223333']").count() == 1
        kur = page.locator("tr[data-product='KUR']")
        assert "Interested" in kur.inner_text()  # offered as a prospect, counted for the customer
        assert format_date(today, "en") in kur.inner_text()
        assert "Not offered yet" in page.inner_text("tr[data-product='TAB']")

        page.goto(prospect_url)
        assert "Won" in page.inner_text("main")
        assert page.locator("#customer-link a").inner_text() == "CIF CIF-0099001"
        assert console.errors == []


class TestListingToPromise:
    def test_admin_imports_a_listing_and_the_officer_secures_a_promise(
        self, live_server, browser, page, world, tmp_path
    ):
        factories.make_product("KMK", subtype="working_capital", name="Kredit Modal Kerja")
        today = bank_today()
        latest = month_end_before(today)
        earlier = month_end_before(latest)
        code = world.officer.officer_code
        debtor = {
            "account_no": "0012345678",
            "cif": "CIF7001",
            "customer_name": "CV Sumber Rejeki",
            "start_date": date(2024, 3, 1),
            "outstanding": Decimal("180000000.00"),
        }
        steady = {"account_no": "0012345679", "cif": "CIF7002", "customer_name": "UD Makmur"}
        Importer(tmp_path, world.admin).csv(
            [line(**debtor, officer_code=code), line(**steady, officer_code=code)], earlier
        )
        listing = write_csv(
            tmp_path / f"nominatif_{latest:%Y%m%d}.csv",
            [
                line(
                    **debtor,
                    officer_code=code,
                    dpd=95,
                    arrears_principal=Decimal("15000000.00"),
                    arrears_interest=Decimal("2500000.00"),
                ),
                line(**steady, officer_code=code),
            ],
        )

        # The admin uploads the next month-end listing, checks the preview and confirms it.
        sign_in(page, live_server, "admin")
        admin_console = ConsoleWatch(page)
        go_to(page, "Admin", "Imports")
        page.get_by_role("link", name="Import a listing").click()
        page.set_input_files("#file", listing)
        page.fill("#as_of", latest.isoformat())
        page.get_by_role("button", name="Upload and preview").click()
        page.wait_for_url("**/imports/preview/*")
        assert page.inner_text("#row-count") == "2"
        rows = page.locator("#preview-rows tbody tr")
        assert rows.count() == 2
        assert "CV Sumber Rejeki" in rows.nth(0).inner_text()
        assert "95" in rows.nth(0).inner_text().split()
        assert "UD Makmur" in rows.nth(1).inner_text()
        page.get_by_role("button", name="Confirm and import").click()
        page.wait_for_url(DETAIL["import"])
        assert page.locator("h1 .badge").inner_text() == "Succeeded"
        assert f"Imported 2 rows for {format_date(latest, 'en')}" in page.inner_text("main")
        counts = page.inner_text("#counts")
        assert "Downgrades\t1" in counts and "Facilities created\t0" in counts
        assert "Visits, escalated (DPD > 90)\t1" in page.inner_text("#suggestions")
        assert admin_console.errors == []

        # The officer, in a browser of their own, finds the debtor on the watchlist.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        officer = context.new_page()
        sign_in(officer, live_server, "ao.budi")
        console = ConsoleWatch(officer)
        go_to(officer, "Credit", "Watchlist")
        officer.wait_for_url("**/watchlist*")
        assert f"as of {format_date(latest, 'en')}" in officer.inner_text("#scope")
        downgrade = officer.locator("#watchlist tr[data-signals~='downgrade']")
        assert downgrade.count() == 1
        text = downgrade.inner_text()
        assert "CV Sumber Rejeki" in text and "0012345678" in text
        assert re.search(r"Collectibility worsened from Kol 1 \(.+\) to Kol 3 \(.+\)\.", text)
        assert "UD Makmur" not in officer.inner_text("#watchlist")

        downgrade.get_by_role("link", name="CV Sumber Rejeki").click()
        officer.wait_for_url(DETAIL["customer"])
        assert "Kol 3" in officer.inner_text("#debtor-kol")
        officer.locator("#facilities").get_by_role("link", name="0012345678").first.click()
        officer.wait_for_url(DETAIL["facility"])
        assert "95" in officer.inner_text("#latest-position")

        # The import suggested an escalated visit; the officer works it and gets a promise.
        suggested = officer.locator("#follow-ups tr[data-followup]")
        assert suggested.count() == 1
        assert "Visit · Collection" in suggested.inner_text()
        suggested.locator("a").click()
        officer.wait_for_url(DETAIL["followup"])
        followup_url = officer.url
        officer.get_by_role("link", name="Log outcome").click()
        officer.wait_for_url("**/complete")
        assert officer.locator("#ptp-fields").is_hidden()  # until the outcome is a promise
        officer.select_option("#outcome", "promised_to_pay")
        assert officer.locator("#ptp-fields").is_visible()
        officer.fill("#notes", "Bapak janji bayar tunggakan setelah panen.")
        officer.fill("#promised_amount", "0")  # a slip of the finger
        promised = today + timedelta(days=10)
        officer.fill("#promised_date", promised.isoformat())
        officer.locator("#promised_date").blur()
        next_check = promised + timedelta(days=4)  # the day after the 3-day grace
        assert officer.input_value("#next_date") == next_check.isoformat()
        officer.get_by_role("button", name="Save outcome").click()
        assert feedback(officer, "promised_amount").inner_text() == (
            "The promised amount must be more than zero."
        )
        assert feedback(officer, "promised_date").count() == 0
        assert officer.input_value("#promised_date") == promised.isoformat()
        assert officer.input_value("#notes") == "Bapak janji bayar tunggakan setelah panen."
        assert officer.input_value("#outcome") == "promised_to_pay"
        assert officer.locator("#ptp-fields").is_visible()

        officer.fill("#promised_amount", "7500000")
        officer.get_by_role("button", name="Save outcome").click()
        officer.wait_for_url(followup_url)
        main = officer.inner_text("main")
        assert "Outcome logged: promised to pay." in main
        assert f"kept if paid by {format_date(promised + timedelta(days=3), 'en')}" in main
        assert "Next follow-up planned." in main
        promise = officer.inner_text("#promise")
        assert "IDR 7,500,000" in promise and format_date(promised, "en") in promise
        assert officer.locator("#promise .promise-pending").count() >= 1

        officer.get_by_role("link", name="0012345678").click()
        officer.wait_for_url(DETAIL["facility"])
        listed = officer.locator("#follow-ups .promise-list li")
        assert listed.count() == 1
        assert f"IDR 7,500,000 by {format_date(promised, 'en')}" in listed.inner_text()
        assert listed.locator(".promise-pending").inner_text() == "Pending"
        assert format_date(next_check, "en") in officer.inner_text("#follow-ups")

        go_to(officer, "Today", "Follow-ups")
        officer.get_by_role("link", name="Promises to pay").click()
        officer.select_option("#state", "pending")
        officer.get_by_role("button", name="Filter").click()
        officer.wait_for_url("**/promises/?state=pending*")
        pending = officer.locator("tr[data-promise]")
        assert pending.count() == 1
        assert (
            "CV Sumber Rejeki" in pending.inner_text() and "IDR 7,500,000" in pending.inner_text()
        )
        assert console.errors == []
        context.close()


class TestSupervisorDownloadsWorkbooks:
    def test_generate_and_download_a_customer_and_a_portfolio_workbook(
        self, live_server, page, world, tmp_path
    ):
        latest = month_end_before(bank_today())
        customer = factories.make_customer(world.officer, name="PT Maju Jaya", cif="CIF8001")
        facility = make_facility(customer, "0098765432")
        post_listing(month_end_before(latest), [(facility, 0, 250_000_000)])
        post_listing(latest, [(facility, 35, 245_000_000)])
        period = f"{latest:%Y-%m}"

        sign_in(page, live_server, "spv.jkt")
        console = ConsoleWatch(page)
        go_to(page, "Reports", "Reports")
        page.wait_for_url("**/reports/")
        generate = page.locator("#generate")
        assert generate.locator("#month").input_value() == period  # the latest listing's month
        generate.locator("#kind").select_option("customer")
        generate.locator("#scope").select_option(f"officer:{world.officer.id}")
        generate.get_by_role("button", name="Generate").click()
        page.wait_for_url(f"**/reports/?period={period}")
        flash = page.locator(".alert-success")
        assert re.search(r"Customer reports for .+: 1 generated, 0 already", flash.inner_text())
        generate.locator("#kind").select_option("portfolio")
        generate.locator("#scope").select_option(f"branch:{world.jkt.id}")
        generate.get_by_role("button", name="Generate").click()
        flash.filter(has_text="Portfolio report").wait_for()  # the same address, a new page
        assert flash.inner_text().endswith(" generated.")

        rows = page.locator("#reports tr[data-report]")
        assert rows.count() == 2
        books = {}
        for name, row in (
            ("customer", rows.filter(has_text="PT Maju Jaya")),
            ("portfolio", rows.filter(has_text="Portfolio of branch JKT01")),
        ):
            with page.expect_download() as download:
                row.get_by_role("link", name="Download").click()
            assert download.value.suggested_filename.endswith(".xlsx")
            path = tmp_path / download.value.suggested_filename
            download.value.save_as(path)
            books[name] = load_workbook(path, read_only=True)
        assert books["customer"].sheetnames == [
            "Summary",
            "Facilities",
            "Deposits",
            "History",
            "Interactions",
            "Monitoring",
            "Account plan",
            "Monitoring report",
        ]
        assert books["portfolio"].sheetnames == [
            "Summary",
            "Facilities",
            "Watchlist",
            "Delinquent",
            "Officers",
            "Funding",
            "Renewals",
            "Satisfaction",
            "Pipeline",
        ]
        assert console.errors == []


class TestFormErrorsNextToFields:
    def test_customer_form_explains_each_bad_entry_and_keeps_the_rest(
        self, live_server, page, world
    ):
        sign_in(page, live_server, "ao.budi")
        console = ConsoleWatch(page)
        go_to(page, "Customers & prospects", "Customers")
        page.get_by_role("link", name="New customer").click()
        page.fill("#cif", "CIF-0077001")
        page.fill("#name", "Toko Berkah Jaya")
        page.fill("#nik", "3201-0115")  # too short
        page.fill("#phone", "0812 7777 8888")
        page.fill("#email", "berkah@")  # incomplete
        page.fill("#address", "Jl. Kebon Jeruk No. 5, Jakarta Barat")
        page.select_option("#segment", "small")
        page.get_by_role("button", name="Save").click()

        assert "16 digits" in feedback(page, "nik").inner_text()
        assert page.url.endswith("/customers/new")
        assert page.locator("#nik.is-invalid").count() == 1
        assert feedback(page, "email").inner_text() == "Not a valid email address."
        for good in ("cif", "name", "phone", "address", "segment", "since"):
            assert feedback(page, good).count() == 0, good
        assert page.input_value("#cif") == "CIF-0077001"
        assert page.input_value("#name") == "Toko Berkah Jaya"
        assert page.input_value("#phone") == "0812 7777 8888"
        assert page.input_value("#address") == "Jl. Kebon Jeruk No. 5, Jakarta Barat"
        assert page.input_value("#segment") == "small"
        assert page.input_value("#email") == "berkah@"

        page.fill("#nik", factories.nik(1234))
        page.fill("#email", "berkah@example.co.id")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(DETAIL["customer"])
        assert "Customer Toko Berkah Jaya saved." in page.inner_text("main")
        assert "berkah@example.co.id" in page.inner_text("#profile")
        assert console.errors == []

    def _promise_out_of_reach(self, live_server, page, world):
        """Open a collection call from the agenda and promise a date beyond the 90-day window."""
        facility = agenda.debtor(world.officer, 45, name="Toko Sinar Terang")
        call = agenda.followup(world.officer, facility=facility)
        today = bank_today()
        sign_in(page, live_server, "ao.budi")
        page.goto(f"{live_server}/agenda/")  # officers land on their dashboard
        console = ConsoleWatch(page)
        card = page.locator(f"article[data-id='{call.id}'][data-kind='follow_up']")
        card.get_by_role("link", name="Log outcome").click()
        page.wait_for_url(re.compile(r".*/followups/\d+/complete\?next=.*agenda.*"))
        page.select_option("#outcome", "promised_to_pay")
        page.fill("#notes", "Transfer setelah tagihan proyek cair.")
        page.fill("#promised_amount", "2500000")
        page.fill("#promised_date", (today + timedelta(days=120)).isoformat())
        page.locator("#promised_date").blur()
        page.get_by_role("button", name="Save outcome").click()
        # The form comes back refused; its script sets itself up on DOMContentLoaded, so wait for
        # the page to load before typing into it (a change before that would go unheard).
        expect(page.locator("#promised_date.is-invalid")).to_have_count(1)
        page.wait_for_load_state("load")
        return console, today

    def test_log_outcome_form_explains_a_promised_date_out_of_reach(self, live_server, page, world):
        console, today = self._promise_out_of_reach(live_server, page, world)
        assert feedback(page, "promised_date").inner_text() == (
            f"The promised date must be within 90 days (by {format_date(today + timedelta(days=90), 'en')})."
        )
        assert page.locator("#promised_date.is-invalid").count() == 1
        for good in ("outcome", "notes", "promised_amount", "next_date"):
            assert feedback(page, good).count() == 0, good
        assert page.input_value("#outcome") == "promised_to_pay"
        assert page.input_value("#notes") == "Transfer setelah tagihan proyek cair."
        assert page.input_value("#promised_amount") == "2,500,000"  # grouped as typed (money.js)
        assert page.locator("#ptp-fields").is_visible()

        promised = today + timedelta(days=14)
        page.fill("#promised_date", promised.isoformat())
        page.fill("#next_date", (promised + timedelta(days=4)).isoformat())
        page.get_by_role("button", name="Save outcome").click()
        # 2,500,000 is more than the facility's arrears: the form asks the officer to confirm it.
        page.locator("input#confirm_amount[type=checkbox]").check()
        page.get_by_role("button", name="Save outcome").click()
        page.wait_for_url("**/agenda/")
        assert "Outcome logged: promised to pay." in page.inner_text("main")
        assert console.errors == []

    def test_the_next_follow_up_follows_the_corrected_promised_date(self, live_server, page, world):
        _console, today = self._promise_out_of_reach(live_server, page, world)
        promised = today + timedelta(days=14)
        page.fill("#promised_date", promised.isoformat())
        page.locator("#promised_date").blur()
        # The day after the promise's deadline (3 grace days), as before the refusal.
        # The script answers the change event: wait for it rather than read at once.
        expect(page.locator("#next_date")).to_have_value((promised + timedelta(days=4)).isoformat())
