"""The pictures of the README and of the user guide: the files the screenshot tests write.

One list of names, read by the browser test that makes the pictures and by the test that checks
the README links only pictures it makes (tests/test_readme_pictures.py), so none goes stale
silently. `make docs-screenshots` writes them into docs/img/ (AOAPP_SCREENSHOTS_DIR); otherwise
the test writes into its own temporary folder and the repository is left alone.
"""

import os
from dataclasses import dataclass
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


# The user guide's pictures (docs/pengguna, docs/user): docs/img/guide/<name>, taken by
# tests/e2e/test_guide_screenshots.py when AOAPP_SCREENSHOTS_DIR is set (`make docs-screenshots`),
# their pages checked on every run (tests/help/test_guide_docs.py). Not the README's: SHOTS above.
GUIDE_DIR = "guide"
PHONE, LAPTOP = "phone", "laptop"


@dataclass(frozen=True)
class GuideShot:
    """One picture of the guide: who opens which page on which screen, and its title.

    `path` may name demo records the test looks up: {debtor} (the customer page of ao.sari's
    debtor with the broken promise) and {call} (his planned collection call)."""

    user: str
    path: str
    device: str
    heading: str  # the page's <h1> in Indonesian, checked before the picture is taken


GUIDE_SHOTS = {
    "agenda-phone.png": GuideShot("ao.sari", "/agenda/", PHONE, "Agenda saya"),
    "outcome-phone.png": GuideShot("ao.sari", "/followups/{call}/complete", PHONE, "Catat hasil"),
    "customer-phone.png": GuideShot("ao.sari", "/customers/{debtor}", PHONE, "{debtor}"),
    "prospects-phone.png": GuideShot("ao.sari", "/prospects/", PHONE, "Calon nasabah"),
    "promises-phone.png": GuideShot("ao.sari", "/promises/", PHONE, "Janji bayar"),
    "team-dashboard-laptop.png": GuideShot("spv.jkt", "/dashboard/team", LAPTOP, "Dasbor tim"),
    "team-agenda-laptop.png": GuideShot("spv.jkt", "/agenda/team", LAPTOP, "Agenda tim"),
    "plan-coverage-laptop.png": GuideShot(
        "spv.jkt", "/plans/coverage", LAPTOP, "Cakupan rencana akun"
    ),
    "reports-laptop.png": GuideShot("spv.jkt", "/reports/", LAPTOP, "Laporan"),
    "targets-laptop.png": GuideShot("spv.jkt", "/targets/", LAPTOP, "Target"),
    "imports-refused-laptop.png": GuideShot(
        "admin", "/imports/new", LAPTOP, "Impor daftar nominatif"
    ),
    "users-laptop.png": GuideShot("admin", "/admin/users", LAPTOP, "Pengguna"),
}


def take_guide(page, folder: Path, name: str) -> Path:
    """The visible screen as a PNG at device scale 1, as docs/img/guide/<name> of GUIDE_SHOTS."""
    assert name in GUIDE_SHOTS, f"{name} is not in tests/support/screenshots.py GUIDE_SHOTS"
    assert page.evaluate("window.devicePixelRatio") == 1, "pictures are taken at device scale 1"
    path = folder / GUIDE_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=False, animations="disabled", caret="hide")
    return path
