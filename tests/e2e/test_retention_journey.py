"""A retention journey in a real browser: the admin uploads a deposits listing, the import suggests
a call about a large non-ARO deposito maturing within the week, the officer sees the deposito in
the customer's wallet and logs that call from the agenda."""

import re
from datetime import timedelta
from decimal import Decimal

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_date
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from tests.support import deposit_listings as D
from tests.support.browser import ConsoleWatch, go_to, sign_in


def test_admin_uploads_deposits_and_the_officer_logs_the_retention_call(
    live_server, browser, page, world, tmp_path
):
    D.catalogue()
    today = bank_today()
    latest = today.replace(day=1) - timedelta(days=1)
    matures = today + timedelta(days=4)
    code = world.officer.officer_code
    listing = D.write_csv(
        tmp_path / f"simpanan_{latest:%Y%m%d}.csv",
        [
            D.line("3000000101", "CIF8101", code, customer_name="Ibu Sri Wahyuni",
                   product_code="DEP", balance=Decimal("1250000000"), maturity_date=matures,
                   aro=False),
            D.line("3000000102", "CIF8102", code, customer_name="Bapak Gunawan",
                   product_code="DEP", balance=Decimal("900000000"), maturity_date=matures),
            D.line("1000000103", "CIF8101", code, customer_name="Ibu Sri Wahyuni"),
        ],
    )  # fmt: skip

    # The admin uploads the month-end deposits listing, checks the preview and confirms it.
    sign_in(page, live_server, "admin")
    admin_console = ConsoleWatch(page)
    go_to(page, "Admin", "Imports")
    page.get_by_role("link", name="Import a listing").click()
    page.select_option("#kind", "deposits")
    page.set_input_files("#file", str(listing))
    page.fill("#as_of", latest.isoformat())
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/imports/preview/*")
    assert page.inner_text("#row-count") == "3"
    assert "Ibu Sri Wahyuni" in page.inner_text("#preview-rows")
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url(re.compile(r".*/imports/\d+$"))
    assert page.locator("h1 .badge").inner_text() == "Succeeded"
    retention = page.inner_text("#retention")
    assert "Non-ARO depositos maturing soon\t1" in retention  # the ARO one renews itself
    assert admin_console.errors == []

    # The officer, in a browser of their own, finds the call on the agenda and logs it.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = context.new_page()
    sign_in(officer, live_server, "ao.budi")
    console = ConsoleWatch(officer)
    # The customer page's wallet shows what the listing brought: the deposito among the funds.
    depositor = db.session.scalar(db.select(Customer).where(Customer.cif == "CIF8101"))
    officer.goto(f"{live_server}/customers/{depositor.id}")
    assert officer.inner_text("#wallet-deposito").strip() == "IDR 1,250,000,000"
    assert officer.inner_text("#wallet-credit").strip() == "IDR 0"
    assert officer.inner_text("#wallet-net") == officer.inner_text("#wallet-funding")
    officer.goto(f"{live_server}/agenda/")  # officers land on their dashboard
    call = db.session.scalar(db.select(FollowUp).where(FollowUp.purpose == "retention"))
    card = officer.locator(f"article[data-kind='follow_up'][data-id='{call.id}']")
    text = card.inner_text()
    assert "Ibu Sri Wahyuni" in text and "Retention" in text and "Suggested" in text
    assert f"deposito 3000000101 of IDR 1,250,000,000 matures on {format_date(matures, 'en')}" in (
        text
    )
    card.get_by_role("link", name="Log outcome").click()
    officer.wait_for_url(re.compile(r".*/followups/\d+/complete\?next=.*agenda.*"))
    officer.select_option("#outcome", "reached")
    officer.fill("#notes", "Ibu Sri setuju perpanjang 6 bulan dengan suku bunga khusus.")
    officer.get_by_role("button", name="Save outcome").click()
    officer.wait_for_url("**/agenda/")
    assert "Outcome logged: reached." in officer.inner_text("main")
    assert officer.locator(f"article[data-id='{call.id}']").count() == 0
    db.session.expire_all()
    done = db.session.get(FollowUp, call.id)
    assert (done.status, done.outcome, done.purpose) == ("done", "reached", "retention")
    assert console.errors == []
    context.close()
