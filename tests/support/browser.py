"""Browser-journey helpers: signing in, a console-error watch, a field's error message."""

import re

from tests.e2e.conftest import login
from tests.support import factories


def sign_in(page, base: str, username: str) -> None:
    """Log in through the real form and wait for the home page the role lands on."""
    login(page, base, username, factories.PASSWORD)
    page.wait_for_url(re.compile(r".*/(dashboard/(team)?|admin/)$"))


class ConsoleWatch:
    """CSP violations, script errors and failed loads a page reports, from now on.

    Not the app's errors: the browser's own request for /favicon.ico (the app has none), and a
    form page answered 422 (the form shown again with its errors, which chromium logs as a failed
    load of the document).
    """

    def __init__(self, page):
        self._messages: list[tuple[str, str]] = []
        self._refused_forms: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._messages.append((f"uncaught: {error}", "")))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._messages.append((message.text, (message.location or {}).get("url", "")))

    def _on_response(self, response) -> None:
        if response.status == 422 and response.request.is_navigation_request():
            self._refused_forms.add(response.url)

    @property
    def errors(self) -> list[str]:
        return [
            f"{text} [{url}]"
            for text, url in self._messages
            if not url.endswith("/favicon.ico")
            and not (url in self._refused_forms and "status of 422" in text)
        ]


def feedback(page, field_id: str):
    """The error message(s) shown right under one field (Bootstrap's `.invalid-feedback`)."""
    return page.locator(f"#{field_id} ~ .invalid-feedback")


def go_to(page, group: str, item: str) -> None:
    """Open a page through the main menu: its group's heading, then the page (a group of one
    page is a plain link); on a phone the menu button first."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    menu = page.locator("#nav .main-menu")
    heading = menu.get_by_role("button", name=group, exact=True)
    if heading.count():
        heading.click()
    menu.get_by_role("link", name=item, exact=True).click()


def switch_language(page, language: str) -> None:
    """Switch with the header's buttons and wait for the reloaded page to finish loading: a
    selector on `html[lang]` matches while the page's scripts are still loading, and typing then
    goes unheard by them."""
    with page.expect_navigation(wait_until="load"):
        page.locator(f"form.language-switch button[value='{language}']").click()
    page.wait_for_selector(f"html[lang='{language}']")
