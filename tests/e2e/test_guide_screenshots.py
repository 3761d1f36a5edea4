"""The user guide's pictures (docs/img/guide, tests/support/screenshots.py GUIDE_SHOTS), taken
in a real browser on the demo bank, in Indonesian: officers' pages on a 390-px phone,
supervisors' and admins' on a laptop.

Only when AOAPP_SCREENSHOTS_DIR is set (`make docs-screenshots` writes docs/img/guide/): every
run of the suite checks the same pages answer with their titles (tests/help/test_guide_docs.py),
so a page the guide shows cannot disappear, without the cost of a dozen pictures. The clock
stands where the README's pictures are taken (tests/e2e/test_screenshots.py): a Wednesday
morning inside the collection hours, the same day on every run.
"""

import os
import re
from datetime import timedelta

import pytest

from aoapp.common.dates import bank_today
from tests.e2e.test_screenshots import INDONESIAN, LAPTOP, MORNING, PHONE, sign_in
from tests.support.browser import ConsoleWatch
from tests.support.guide import demo_records, shot_heading, shot_path
from tests.support.screenshots import ENV, GUIDE_SHOTS, shots_dir, take_guide
from tests.support.screenshots import PHONE as PHONE_SHOT

pytestmark = pytest.mark.skipif(
    not os.environ.get(ENV, "").strip(),
    reason=f"the guide's pictures are taken by `make docs-screenshots` ({ENV})",
)
LANDING = {"ao.sari": "/dashboard/", "spv.jkt": "/dashboard/team", "admin": "/admin/"}
NOTE = "Pak Darsono janji melunasi tunggakan Rabu depan setelah hasil panen terjual."
# A loan listing with four mistakes, one per row, as an admin might receive it.
REFUSED = (
    "no_rekening,cif,nama_nasabah,kode_ao,kode_produk,plafon,baki_debet,tunggakan_pokok,"
    "tunggakan_bunga,hari_tunggakan,kolektibilitas,suku_bunga,tgl_mulai,tgl_jatuh_tempo,"
    "restrukturisasi\n"
    "0010000099901,0001000999,Joko Susilo,AO001,KUR,50000000,50000000,1271096,250000,15,,6.00,"
    "2026-09-16,2029-11-31,N\n"
    "0040000032101,0001000321,Rudi Hartono,AO001,KPR,850000000,612775400,0,0,-5,,8.75,"
    "2018-04-09,2033-04-09,N\n"
    "0020000022201,0002000222,Nur Aini,AO999,MULTIGUNA,75000000,41220000,6800000,2150000,120,,"
    "13.25,2023-09-01,2027-09-01,N\n"
    "0040000011101,0002000111,Agus Prasetyo,AO002,KPRX,600000000,512900000,0,0,0,,8.50,"
    "2019-07-22,2041-07-22,Y\n"
)


def promise(page) -> None:
    """The outcome form with a promise to pay a week from today, from its title down."""
    page.select_option("#outcome", "promised_to_pay")
    assert page.locator("#ptp-fields").is_visible()
    page.fill("#notes", NOTE)
    page.fill("#promised_amount", "7500000")
    page.fill("#promised_date", (bank_today() + timedelta(days=7)).isoformat())
    page.locator("#promised_date").blur()
    assert page.input_value("#promised_amount") == "7.500.000"
    page.locator("h1").evaluate(
        "h => window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 8)"
    )


def refused_file(page) -> None:
    """Upload the listing above: its preview lists the row errors and offers no import."""
    page.select_option("#kind", "loans")
    page.set_input_files(
        "#file",
        {"name": "nominatif_kredit.csv", "mimeType": "text/csv", "buffer": REFUSED.encode()},
    )
    page.fill("#as_of", "2026-10-31")
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    page.wait_for_url(re.compile(r".*/imports/preview/\w+$"))
    refusal = page.locator("#preview-refusal")
    assert "seluruh berkas akan ditolak" in refusal.inner_text()
    assert page.locator("#preview-errors tbody tr").count() == 4
    assert page.locator("#upload-corrected").is_visible()
    refusal.evaluate("a => window.scrollTo(0, a.getBoundingClientRect().top + scrollY - 8)")


PREPARE = {"outcome-phone.png": promise, "imports-refused-laptop.png": refused_file}


@pytest.mark.today(MORNING)
def test_the_guides_pictures(live_server, browser, demo_bank, app, tmp_path):
    app.config["DEFAULT_LOCALE"] = "id"  # the bank's language, as `make run` serves it
    folder = shots_dir(tmp_path)
    records = demo_records()
    pages, taken = {}, []
    try:
        for name, shot in GUIDE_SHOTS.items():
            page = pages.get((shot.user, shot.device))
            if page is None:
                if shot.device == PHONE_SHOT:
                    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
                else:
                    options = {"viewport": LAPTOP}
                page = browser.new_context(**options, **INDONESIAN).new_page()
                pages[shot.user, shot.device] = page
                sign_in(page, live_server, shot.user, LANDING[shot.user])
            console = ConsoleWatch(page)
            page.goto(live_server + shot_path(name, records))
            assert page.inner_text("h1").startswith(shot_heading(name)), name
            PREPARE.get(name, lambda _page: None)(page)
            if page.locator("[data-charts-json]").count():  # the dashboards draw their charts
                page.wait_for_selector("[data-charts='drawn']")
            assert console.errors == [], name
            taken.append(take_guide(page, folder, name))
    finally:
        for page in pages.values():
            page.context.close()
    assert [path.name for path in taken] == list(GUIDE_SHOTS)
    assert all(path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for path in taken)
