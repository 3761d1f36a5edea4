"""The Reports page in a real browser: a month's reports generated from the period picker, inline
and in the background (the progress bar follows the job queue, then the link to the reports
shows without a reload); every page of the reports area has unique, valid ids and no script
error."""

import re
import shutil
from pathlib import Path

import pytest
from rq import SimpleWorker

from tests.support.browser import ConsoleWatch, sign_in
from tests.support.credit import AS_OF, make_book
from tests.support.html import dom_id_problems
from tests.support.queues import redis_queue  # noqa: F401  (the fixture)

PERIOD = f"{AS_OF:%Y-%m}"


@pytest.fixture
def book(app, world):
    """The credit book of tests/reports (4 customers in JKT01), and an empty EXPORTS_DIR."""
    root = Path(app.config["EXPORTS_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    make_book(world)
    yield
    shutil.rmtree(root, ignore_errors=True)


def _open(page, base: str) -> ConsoleWatch:
    sign_in(page, base, "spv.jkt")
    console = ConsoleWatch(page)
    page.goto(f"{base}/reports/")
    return console


def _pick_month(page, kind: str) -> None:
    """Fill the Generate form: kind, the branch, and June 2024 from the month select."""
    assert page.is_hidden("#quarter") and page.is_hidden("#start")  # only the month's input
    page.select_option("#kind", kind)
    page.select_option("#scope", label="JKT01 · Jakarta Sudirman")
    page.check("#period_kind-0")
    page.select_option("#month", PERIOD)
    page.click("#generate-submit")


def test_a_portfolio_report_of_a_month_from_the_picker(live_server, page, world, book):
    console = _open(page, live_server)
    assert dom_id_problems(page) == []
    page.check("#period_kind-1")  # the picker shows the quarter's select only
    assert page.is_visible("#quarter") and page.is_hidden("#month")
    page.check("#period_kind-0")
    _pick_month(page, "portfolio")
    page.wait_for_url(re.compile(rf".*/reports/\?period={PERIOD}$"))
    assert "portfolio_2024-06_branch-jkt01.xlsx generated" in page.inner_text("main")
    row = page.locator("#reports tbody tr[data-report]")
    assert row.count() == 1 and "June 2024" in row.inner_text()
    assert row.get_by_role("link", name="Download").is_visible()
    assert dom_id_problems(page) == []
    assert console.errors == []


def test_customer_reports_in_the_background_show_progress_then_the_link(
    app,
    live_server,
    page,
    world,
    book,
    redis_queue,  # noqa: F811
):
    app.config["REPORTS_WEB_INLINE_LIMIT"] = 1
    console = _open(page, live_server)
    _pick_month(page, "customer")
    page.wait_for_url(re.compile(r".*/reports/#batch-\d+$"))
    batch_id = page.url.rsplit("-", 1)[1]
    batch = page.locator(f"#batch-{batch_id}")
    assert "0 of 4 reports made" in batch.inner_text()
    assert dom_id_problems(page) == []

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    link = batch.get_by_role("link", name="Open the reports")
    link.wait_for(timeout=15_000)  # the page polls the status endpoint: no reload
    assert "Finished: 4 of 4 reports made." in batch.inner_text()
    assert batch.locator(".progress").get_attribute("aria-valuenow") == "100"
    link.click()
    page.wait_for_selector("#reports tbody tr[data-report]")
    assert page.locator("#reports tbody tr[data-report]").count() == 4
    assert dom_id_problems(page) == []

    page.goto(f"{live_server}/reports/batches/{batch_id}")  # the page without JavaScript
    assert page.get_by_role("link", name="Open the reports").is_visible()
    assert dom_id_problems(page) == []
    assert console.errors == []
