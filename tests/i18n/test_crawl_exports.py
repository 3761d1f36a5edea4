"""Every workbook and every API error in Indonesian: no common English word left.

The workbooks the app makes (a customer's report; the portfolio of an officer, a branch and the
bank) are generated in Indonesian through the API and read back: sheet names, headers and every
text cell (the names and notes people typed are data: the factories type names the word list
knows, `Customer 4`). The CSV exports' headers too. Then the API answers each kind of error
(400, 401, 403, 404, 405, 409, 422) to a client asking for Indonesian (`Accept-Language: id`,
how the API picks its language); its `message` and `errors` must be Indonesian (`status` is the
HTTP name, a code like `code`).
"""

import csv
import io
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from aoapp.extensions import db
from aoapp.followups.suggestions import suggest_after_import
from tests.support import credit_visits as visit_helpers
from tests.support import factories
from tests.support import followups as followup_helpers
from tests.support.crawl import growth_records
from tests.support.credit import make_facility, post_listing
from tests.support.holdings import make_deposit
from tests.support.words import english_in

AS_OF = date(2026, 10, 31)
INDONESIAN = {"Accept-Language": "id"}


@pytest.fixture(autouse=True)
def exports(app):
    """An empty EXPORTS_DIR (files of other tests' reports outlive their emptied tables)."""
    root = Path(app.config["EXPORTS_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def book(app, world):
    """A customer in arrears with system-written texts on its work (a suggested call, a broken
    promise), a visit and a complaint, on the October listing."""
    officer = db.session.merge(world.officer)
    customer = factories.make_customer(officer)
    facility = make_facility(customer)
    other = make_facility(factories.make_customer(officer))
    post_listing(AS_OF, [(facility, 45, "50000000")])
    post_listing(AS_OF, [(other, 12, "25000000")])
    done = followup_helpers.followup(officer, facility=other, planned_date=AS_OF - timedelta(20))
    followup_helpers.promise(done, promised_on=AS_OF - timedelta(20))
    with app.test_request_context():
        suggest_after_import(AS_OF, today=AS_OF + timedelta(days=4))
    visit_helpers.visit(customer, officer)
    make_deposit(customer, "TAB", {AS_OF: "12500000"})
    make_deposit(customer, "DEP", {AS_OF: "100000000"}, aro=False)
    customer.complaint = followup_helpers.complaint(customer)
    growth_records(officer, customer, facility, date(2026, 10, 15))  # plan, renewal, surveys
    return customer


def _sheet_texts(content: bytes) -> dict[str, str]:
    """Every text cell of each sheet, joined, by sheet name."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: " | ".join(
            value
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        )
        for sheet in workbook.worksheets
    }


def _workbook_words(content: bytes) -> set[str]:
    """The English words of a workbook: its sheet names and every text cell."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    words = set()
    for sheet in workbook.worksheets:
        words |= {f"[sheet] {w}" for w in english_in(sheet.title)}
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and not value.startswith("="):
                    words |= {f"{sheet.title}: {w} ({value[:60]!r})" for w in english_in(value)}
    return words


@pytest.mark.today("2026-11-04")
def test_no_english_in_any_workbook_in_indonesian(app, api, world, book):
    admin = api(world.admin)
    requests = {
        "customer": {"kind": "customer", "customer_id": book.id},
        "officer": {"kind": "portfolio", "officer_id": world.officer.id},
        "branch": {"kind": "portfolio", "branch_id": world.officer.branch_id},
        "bank": {"kind": "portfolio"},
    }
    offenders, texts = [], {}
    for name, request in requests.items():
        response = admin.post(
            "/api/v1/reports",
            json={**request, "period": "2026-10", "lang": "id"},
            headers=INDONESIAN,
        )
        assert response.status_code == 201, (name, response.json)
        download = admin.get(f"/api/v1/reports/{response.json['id']}/download")
        assert download.status_code == 200, (name, download.json)
        offenders += [f"{name} {word}" for word in sorted(_workbook_words(download.data))]
        texts[name] = _sheet_texts(download.data)
    assert offenders == [], "\n" + "\n".join(offenders)
    # The relationship's sheets hold their records' words (in Indonesian), not only headers.
    assert "Pesaing" in texts["officer"]["Pembaruan"]  # the lost customer's reason
    assert "Lambat" in texts["officer"]["Kepuasan"]
    assert "Presentasi payroll" in texts["customer"]["Rencana Akun"]


@pytest.mark.today("2026-11-04")
def test_no_english_in_the_csv_exports_in_indonesian(app, client, auth, world, book):
    auth.login("ao.budi")
    assert auth.post("/language", {"locale": "id", "next": "/"}).status_code == 302
    offenders = []
    exports = [rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")]
    exports = [url for url in exports if "<" not in url]
    assert exports, "no CSV export found"
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        offenders += [f"{url}: {word}" for word in sorted(english_in(" | ".join(rows[0])))]
    assert offenders == [], "\n" + "\n".join(offenders)


def _texts(value) -> list[str]:
    """Every text inside an error's message or errors (nested lists and objects)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@pytest.mark.today("2026-11-04")
def test_no_english_in_any_api_error_in_indonesian(app, client, api, world, book):
    officer = api(world.officer)
    followup = followup_helpers.followup(world.officer, customer=book)
    calls = {
        400: lambda: officer.post(
            "/api/v1/prospects",
            data="{not json",
            content_type="application/json",
            headers=INDONESIAN,
        ),
        401: lambda: client.get("/api/v1/customers", headers=INDONESIAN),
        403: lambda: officer.post(
            f"/api/v1/complaints/{book.complaint.id}/hand-back",
            json={"note": "x", "version": book.complaint.version},
            headers=INDONESIAN,
        ),
        404: lambda: officer.get("/api/v1/customers/999999", headers=INDONESIAN),
        405: lambda: officer.delete("/api/v1/customers", headers=INDONESIAN),
        409: lambda: officer.patch(
            f"/api/v1/followups/{followup.id}",
            json={"version": followup.version + 5, "notes": "x"},
            headers=INDONESIAN,
        ),
        422: lambda: officer.post("/api/v1/prospects", json={"name": ""}, headers=INDONESIAN),
    }
    offenders = []
    for status, call in calls.items():
        response = call()
        assert response.status_code == status, (status, response.json)
        body = response.json
        texts = _texts(body.get("message")) + _texts(body.get("errors"))
        assert texts, (status, body)
        for text in texts:
            offenders += [f"{status} {word}: {text!r}" for word in sorted(english_in(text))]
    assert offenders == [], "\n" + "\n".join(offenders)
