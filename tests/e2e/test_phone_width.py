"""No page wider than a phone: every page each role can reach, in Indonesian at 390×844.

For the officer, the supervisor and the admin the crawl opens every GET page of the URL map
(tests/support/crawl.py: the list pages and the detail pages of records of every kind) and
fails when the document is wider than the screen (it names the element that sticks out) or
when a money figure (`.money`, the mark of the `money` filter) breaks over two lines. Long names,
unbroken words and bank-sized amounts are in the data on purpose. Every offender is reported
at once (one test per role).
"""

from decimal import Decimal

import pytest

from aoapp.auth.models import User
from aoapp.campaigns.models import Campaign
from aoapp.complaints.models import Complaint
from aoapp.credit.models import MonitoringVisit
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.prospects.models import Prospect
from tests.e2e.conftest import login
from tests.support import factories
from tests.support.crawl import AS_OF, TODAY, page_urls, records
from tests.support.credit import make_facility, post_listing

SCREEN = {"width": 390, "height": 844}
ROLES = ("ao.budi", "spv.jkt", "admin")
# Files, not pages: a browser downloads them.
DOWNLOADS = {
    "prospects.export_csv",
    "credit.export_csv",
    "imports.errors_csv",
    "reports.zip_all",
    "reports.customer_download",
}

LONG_NAME = "Koperasi Simpan Pinjam Sejahtera Bersama Kabupaten Bandung Barat Nusantara"
LONG_EMAIL = "bendahara.koperasi.sejahtera.bersama.bandung.barat@koperasi-nusantara.co.id"
LONG_WORD = "https://drive.example.co.id/laporan-kunjungan/" + "dokumen-agunan-" * 6 + "final.pdf"

# What makes a page wider than the screen: the innermost elements sticking out on the right (on
# a phone the browser widens its layout to the widest content, so every block around it sticks
# out too), leaving out those inside a box that scrolls sideways on its own (a table's
# `.table-responsive`); the three reaching furthest, with their parent. The screen's width is
# given: `innerWidth` grows with the layout.
CULPRITS = """screen => {
  const limit = screen + 0.5;
  const out = el => el.getBoundingClientRect().right > limit;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 3).map(c => "." + c).join("");
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!out(el) || el.getBoundingClientRect().width === 0 || scrolls(el)) continue;
    if ([...el.children].some(out)) continue;
    const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    found.push([el.getBoundingClientRect().right,
                `${name(el.parentElement)} > ${name(el)} «${text}»`]);
  }
  // Text running out of its box (a long unbroken word) sticks out without its element.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = Math.max(0, ...[...range.getClientRects()].map(r => r.right));
    const el = node.parentElement;
    if (right <= limit || out(el) || scrolls(el)) continue;
    found.push([right, `${name(el)} «${node.textContent.trim().slice(0, 40)}»`]);
  }
  found.sort((a, b) => b[0] - a[0]);
  return found.slice(0, 3).map(([right, what]) => `${what} to ${Math.round(right)}px`);
}"""

# Money figures on more than one line (the line boxes of each `.money` element's text), or
# sticking out of the box they are in (a figure that may not wrap must still fit: a card, a cell).
MONEY = """() => {
  const wrapped = [], spilled = [];
  const boxOf = el => {
    let box = el.parentElement;
    while (box && getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    return box;
  };
  for (const el of document.querySelectorAll(".money")) {
    if (el.querySelector(".money")) continue;  // the figure inside is checked
    const tops = [];
    let right = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && !tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
        right = Math.max(right, r.right);
      }
    }
    const text = el.textContent.trim().replace(/\\s+/g, " ");
    if (tops.length > 1) wrapped.push(text);
    const box = boxOf(el);
    if (tops.length && box && right > box.getBoundingClientRect().right + 1) spilled.push(text);
  }
  return {wrapped, spilled};
}"""


def _long_records(world, values: dict) -> None:
    """Long names, unbroken words and a bank-sized debtor beside the crawl's records."""
    big = factories.make_customer(
        world.officer, name=LONG_NAME, customer_type="company", email=LONG_EMAIL
    )
    facility = make_facility(big, plafond=Decimal("30000000000.00"))
    post_listing(AS_OF, [(facility, 0, "23728190960.96")])
    customer = db.session.get(Customer, values["customer_id"])
    customer.name, customer.email = LONG_NAME + " Tbk", LONG_EMAIL
    customer.address = "Jl. " + LONG_WORD
    prospect = db.session.get(Prospect, values["prospect_id"])
    prospect.name, prospect.email = "Ibu " + LONG_NAME, LONG_EMAIL
    prospect.notes = prospect.address = prospect.business_type = LONG_WORD[:120]
    db.session.get(FollowUp, values["followup_id"]).notes = "Dokumen: " + LONG_WORD
    db.session.get(Complaint, values["complaint_id"]).description = LONG_WORD
    db.session.get(Campaign, values["campaign_id"]).description = LONG_WORD
    visit = db.session.get(MonitoringVisit, values["visit_id"])
    visit.findings = visit.recommendations = visit.business_condition = LONG_WORD
    for user in db.session.query(User):
        user.locale = "id"
    db.session.commit()


def _offenders(page, username: str, url: str) -> list[str]:
    """What is wrong with the page open now: too wide, or a money figure on two lines."""
    found = []
    # Filters folded behind their button must fit too once opened.
    page.evaluate(
        "document.querySelectorAll('.filter-panel').forEach(p => p.classList.add('show'))"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > SCREEN["width"]:
        culprits = "; ".join(page.evaluate(CULPRITS, SCREEN["width"])) or "no single element"
        found.append(f"{username} {url}: {width}px wide ({culprits})")
    money = page.evaluate(MONEY)
    found += [f"{username} {url}: money wraps «{figure}»" for figure in money["wrapped"]]
    found += [f"{username} {url}: money sticks out of its box «{f}»" for f in money["spilled"]]
    return found


@pytest.mark.today(TODAY)
@pytest.mark.parametrize("username", ROLES)  # one test per role: parallel workers share them
def test_no_page_is_wider_than_a_phone(app, live_server, browser, world, username):
    # The browser keeps the stylesheets and scripts instead of asking again on every page.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    with app.test_request_context():
        values, extra = records(world)
        _long_records(world, values)
        urls = [(e, u) for e, u in page_urls(app, values, extra) if e not in DOWNLOADS]
    offenders, visited = [], 0
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, username, factories.PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    for _endpoint, url in urls:
        response = page.goto(f"{live_server}{url}")
        if response.status != 200 or "text/html" not in response.headers["content-type"]:
            continue
        visited += 1
        offenders += _offenders(page, username, url)
    context.close()
    assert visited > 25, f"only {visited} pages opened: is the crawl logged in?"
    assert offenders == [], "\n" + "\n".join(offenders)


class TestFiltersOnAPhone:
    def test_prospect_filters_wait_behind_a_button_and_results_come_first(
        self, live_server, phone, world
    ):
        for n in range(3):
            factories.make_prospect(world.officer, name=f"Ibu Rahayu {n}")
        login(phone, live_server, "ao.budi", factories.PASSWORD)
        phone.goto(f"{live_server}/prospects/")
        panel, toggle = phone.locator("#prospect-filters"), phone.locator(".filter-toggle")
        assert not panel.is_visible() and not phone.locator("#q").is_visible()
        third = phone.locator("#prospects tbody tr").nth(2).bounding_box()
        assert third["y"] + third["height"] <= SCREEN["height"], "3 results not on the first screen"
        assert toggle.get_attribute("aria-expanded") == "false"

        toggle.tap()
        phone.locator("#q").wait_for(state="visible")
        assert toggle.get_attribute("aria-expanded") == "true"

    def test_the_button_counts_the_filters_on(self, live_server, phone, world):
        login(phone, live_server, "ao.budi", factories.PASSWORD)
        phone.goto(f"{live_server}/prospects/?q=&status=new&source=walk_in&page=1&sort=name")
        toggle = phone.locator(".filter-toggle")
        assert toggle.locator(".badge").inner_text() == "2"
        assert "(2 filters on)" in toggle.inner_text()

    def test_on_a_wide_screen_the_filters_are_open(self, live_server, page, world):
        login(page, live_server, "ao.budi", factories.PASSWORD)
        page.goto(f"{live_server}/prospects/")
        assert page.locator("#q").is_visible()
        assert not page.locator(".filter-toggle").is_visible()
