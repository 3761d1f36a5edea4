"""Real-browser tests: the app served on loopback, driven by Playwright in Debian's chromium.

They run whenever /usr/bin/chromium and Playwright are installed (`make e2e` installs both);
otherwise they are skipped with the reason.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The user guide's pictures are taken on demand (`make docs-screenshots` sets the folder); every
# run checks their pages answer (tests/help/test_guide_docs.py), without a skipped browser test.
collect_ignore = (
    [] if os.environ.get("AOAPP_SCREENSHOTS_DIR", "").strip() else ["test_guide_screenshots.py"]
)


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests `browser` (`-m "not browser"` leaves them out); skip them where no
    browser is installed."""
    for item in items:
        if "/e2e/" in item.nodeid or item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.browser)
    reason = None
    if not shutil.which(CHROMIUM):
        reason = f"{CHROMIUM} is not installed"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "playwright not installed"
    if reason:
        for item in items:
            if "e2e" in item.nodeid:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test (no shared cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized context, as an officer in the field uses it."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def login(page, base: str, username: str, password: str) -> None:
    """Log in through the real form."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():  # the next page (or the refusal) is loaded on return
        page.click("main button[type=submit]")
