"""The dashboards and the targets page in Indonesian: no English left, Indonesian words and
formats present; the charts' words and number formats handed to the script in the page's language;
the API's target labels stay English (codes and English labels, whatever the Accept-Language)."""

import html as markup
import json
import re

import pytest

from aoapp.targets import services
from aoapp.targets.schemas import METRIC_FIELDS
from tests.support import dashboards as h
from tests.support.factories import make_target
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.targets import millions

PERIOD = h.PERIOD


@pytest.fixture
def book(world):
    return h.dashboard_book(world)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _texts(html: str) -> dict:
    """The words and formats the page hands to static/dashboards.js."""
    found = re.search(r"id=\"dashboard\"[^>]* data-i18n='([^']*)'", html)
    assert found, "no data-i18n on the dashboard root"
    return json.loads(markup.unescape(found.group(1)))


def _pages(role: str, book) -> list[str]:
    if role == "officer":
        return [f"/dashboard/?period={PERIOD}", "/dashboard/", "/targets/"]
    officer = book.world.officer.id
    pages = [
        f"/dashboard/team?period={PERIOD}",
        f"/dashboard/?period={PERIOD}&officer={officer}",
        "/targets/",
        "/targets/?month=2026-10",
        "/targets/?month=2025-01",  # a closed month: read-only
    ]
    if role == "admin":
        pages.append(f"/dashboard/team?period={PERIOD}&branch={book.world.officer.branch_id}")
    return pages


@pytest.mark.parametrize(
    ("role", "username"), [("officer", "ao.budi"), ("supervisor", "spv.jkt"), ("admin", "admin")]
)
def test_the_dashboards_and_targets_speak_indonesian(client, auth, book, role, username):
    make_target(book.world.officer, services.current_month(), new_customers=3)
    auth.login(username)
    speak_indonesian(auth)
    for url in _pages(role, book):
        html = _page(client, url)
        assert '<html lang="id">' in html, url
        assert english_leftovers(html) == [], url
    targets = _page(client, "/targets/?month=2026-10")
    assert "Nasabah baru" in targets and "Pencairan baru (Rp)" in targets
    assert "Oktober 2026" in targets
    if role == "officer":
        assert "Target Anda ditetapkan oleh penyelia Anda." in targets
        officer = _page(client, f"/dashboard/?period={PERIOD}")
        assert "Dasbor saya" in officer and "Baki debet" in officer
        assert "Oktober 2026" in officer and "Tindak lanjut hari ini" in officer
        assert "Rasio NPL maksimum" in officer  # the metric label, in Indonesian
        assert "48,19%" in officer  # the NPL ratio card, with a decimal comma
        assert "41,61 poin" in officer and "(memburuk)</span> sejak 30 Sep 2026" in officer
        assert "1 · Lancar" in officer and "5 · Macet" in officer  # Kol names in Indonesian
    else:
        team = _page(client, f"/dashboard/team?period={PERIOD}")
        assert "Dasbor tim" in team and "Migrasi Kol" in team and "Kolektibilitas" in team
        assert "Keluhan terbuka" in team and "Pencapaian target" in team


def test_the_charts_words_and_formats_come_from_the_page(client, auth, book):
    auth.login("ao.budi")
    english = _texts(_page(client, f"/dashboard/?period={PERIOD}"))
    assert english["outstanding"] == "Outstanding" and english["npl_ratio"] == "NPL ratio"
    assert (english["decimal"], english["group"], english["currency"]) == (".", ",", "IDR")
    assert english["kol"]["1"] == "Kol 1 · Current"
    assert english["metrics"]["max_npl_ratio"] == "Maximum NPL ratio"
    assert dict(english["scale"])[10**6] == "%(n)sM"

    speak_indonesian(auth)
    texts = _texts(_page(client, f"/dashboard/?period={PERIOD}"))
    assert texts["outstanding"] == "Baki debet" and texts["npl_ratio"] == "Rasio NPL"
    assert texts["par30"] == "PAR 30" and texts["no_target"] == "Tanpa target"
    assert (texts["decimal"], texts["group"], texts["currency"]) == (",", ".", "Rp")
    assert texts["kol"]["1"] == "Kol 1 · Lancar" and texts["kol"]["5"] == "Kol 5 · Macet"
    assert texts["metrics"]["new_customers"] == "Nasabah baru"
    assert dict(texts["scale"])[10**6] == "%(n)s jt"
    assert dict(texts["scale"])[10**9] == "%(n)s M"
    assert texts["sorted_ascending"] == "Diurutkan menurut %(column)s, naik."
    assert texts["statuses"]["new"] == "Baru"  # the pipeline's status labels


def test_a_supervisor_team_page_hands_the_script_indonesian(client, auth, book):
    auth.login("spv.jkt")
    speak_indonesian(auth)
    texts = _texts(_page(client, f"/dashboard/team?period={PERIOD}"))
    assert texts["outstanding"] == "Baki debet" and texts["kol"]["3"] == "Kol 3 · Kurang Lancar"


def test_the_api_keeps_codes_and_english_labels(client, auth, book):
    auth.login("ao.budi")
    for language in ("id", "en"):
        response = client.get(
            f"/api/v1/dashboard/officer?period={PERIOD}",
            headers={"X-Requested-With": "XMLHttpRequest", "Accept-Language": language},
        )
        assert response.status_code == 200
        metrics = response.json["targets"]["metrics"]
        assert [m["key"] for m in metrics][:2] == ["new_customers", "new_disbursement"]
        assert metrics[0]["label"] == "New customers"


def test_api_errors_follow_accept_language(client, auth, book):
    auth.login("ao.budi")
    response = client.get(
        "/api/v1/dashboard/officer?period=2026-13",
        headers={"X-Requested-With": "XMLHttpRequest", "Accept-Language": "id"},
    )
    assert response.status_code == 422
    assert "Tulis bulan: Desember 2026" in json.dumps(response.json, ensure_ascii=False)


def test_the_targets_grid_messages_in_indonesian(client, auth, world):
    auth.login("spv.jkt")
    speak_indonesian(auth)
    month = services.current_month()
    html = _page(client, f"/targets/?month={month:%Y-%m}")
    assert "Simpan target" in html and "Salin bulan lalu" in html
    assert english_leftovers(html) == []
    data = {}
    for index, officer in enumerate((world.officer, world.colleague)):
        data[f"rows-{index}-officer_id"] = str(officer.id)
        for key in METRIC_FIELDS:
            data[f"rows-{index}-{key}"] = ""
    data["rows-0-max_npl_ratio"] = "101"
    data["rows-1-followups_done"] = "banyak"
    response = auth.post("/targets/", data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tidak ada yang disimpan" in body
    assert "Paling tinggi 100 %." in body and "Bukan angka." in body
    assert english_leftovers(body) == []
    bad = _page(client, "/targets/?month=oktober")
    assert "bukan bulan" in bad
    make_target(world.officer, services.add_months(month, -1), new_disbursement=millions(500))
    copied = auth.post("/targets/copy", {}, follow_redirects=True)
    assert "Target " in copied.get_data(as_text=True)
    assert "disalin untuk 1 AO." in copied.get_data(as_text=True)
