"""The README's pictures: the files the screenshot test (tests/e2e/test_screenshots.py) writes.

One list of names, read by the browser test that makes the pictures and by the test that checks
the README links only pictures it makes (tests/test_readme_pictures.py), so none goes stale
silently. `make docs-screenshots` writes them into docs/img/ (AOAPP_SCREENSHOTS_DIR); otherwise
the test writes into its own temporary folder and the repository is left alone.
"""

import os
from pathlib import Path

IMG_DIR = "docs/img"  # where the README's pictures live, from the repository's root
ENV = "AOAPP_SCREENSHOTS_DIR"
MAX_BYTES = 200_000  # a picture in the repository stays small (PNG at device scale 1)

AGENDA = "agenda-phone.png"
CUSTOMER = "customer-phone.png"
PROMISE = "promise-phone.png"
TEAM = "team-dashboard-laptop.png"
SHOTS = (AGENDA, CUSTOMER, PROMISE, TEAM)  # in the order of the officer's day


def shots_dir(tmp_path: Path) -> Path:
    """AOAPP_SCREENSHOTS_DIR when set (made if missing), else the test's own tmp_path."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return tmp_path
    folder = Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def take(page, folder: Path, name: str) -> Path:
    """The visible screen (not the whole page) as a PNG at device scale 1, named from SHOTS."""
    assert name in SHOTS, f"{name} is not in tests/support/screenshots.py SHOTS"
    assert page.evaluate("window.devicePixelRatio") == 1, "pictures are taken at device scale 1"
    path = folder / name
    page.screenshot(path=path, full_page=False, animations="disabled", caret="hide")
    return path


# The workbooks whose page 1 the print test renders (tests/reports/test_printing.py; `make
# docs-reports` keeps them as docs/img/reports/<kind>-page1.png).
REPORT_KINDS = ("customer-id", "customer-en", "portfolio-id", "portfolio-en")
REPORT_PAGES = tuple(f"reports/{kind}-page1.png" for kind in REPORT_KINDS)
