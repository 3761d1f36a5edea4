"""Upload limits through the real routes (the admin's upload page with CSRF, and
POST /api/v1/imports/positions with a token): a file over the size limit, a file that is not a
listing, an XLSX zip bomb and a CSV with one 10 MB cell are each refused with a plain message and
a 4xx, leaving no import half-done, nothing in customers/facilities/positions and no file behind."""

import html
import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support.listing_uploads import (
    AS_OF,
    HEADER,
    credit_counts,
    credit_products,
    csv_bytes,
    good_rows,
    write_listing,
)

API_URL = "/api/v1/imports/positions"
NOTHING = {"customers": 0, "facilities": 0, "positions": 0}
BOMB_SHEET_BYTES = 300 * 1024 * 1024  # what the bomb's sheet unpacks to
CELL = 10 * 1024 * 1024  # the single 10 MB cell


@pytest.fixture(autouse=True)
def _no_waiting_uploads(app):
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


@pytest.fixture
def admin(world, auth):
    credit_products()
    auth.login("admin")
    return world.admin


@pytest.fixture
def admin_api(api, world):
    credit_products()
    return api(world.admin)


def web_upload(auth, name: str, content: bytes):
    data = {
        "file": (io.BytesIO(content), name),
        "as_of": AS_OF,
        "decimal": "auto",
        "date_format": "auto",
    }
    return auth.post("/imports/new", data, content_type="multipart/form-data")


def api_upload(client, name: str, content: bytes):
    data = {"file": (io.BytesIO(content), name), "as_of": AS_OF}
    return client.post(API_URL, data=data, content_type="multipart/form-data")


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_nothing_left(app, *, records_allowed: bool = False) -> None:
    """No credit data written, no upload file kept, no import record other than a finished
    refusal (the API records a file it read and refused; the web page records nothing)."""
    assert credit_counts() == NOTHING
    directory = Path(app.config["IMPORTS_UPLOAD_DIR"])
    assert not directory.exists() or list(directory.iterdir()) == []
    db.session.expire_all()
    records = db.session.scalars(sa.select(PositionImport)).all()
    if not records_allowed:
        assert records == []
    for record in records:
        assert record.status == ImportStatus.REJECTED
        assert record.finished_at is not None


# --- the files ------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Listing" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _row(values) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f"<row>{cells}</row>".encode()


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> bytes:
    """A valid-looking .xlsx of ~1.3 MB whose sheet unpacks to 300 MB: the listing's header,
    then one row repeated; the sheet is streamed into the archive, never held whole."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(_row(HEADER.split(",")))
            row = _row(["1"] * len(HEADER.split(",")))
            block = row * (1024 * 1024 // len(row) + 1)
            written = 0
            while written < BOMB_SHEET_BYTES:
                sheet.write(block)
                written += len(block)
            sheet.write(b"</sheetData></worksheet>")
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > BOMB_SHEET_BYTES
    content = path.read_bytes()
    assert len(content) < 2 * 1024 * 1024
    return content


def lying(bomb: bytes) -> bytes:
    """The bomb with its sheet declaring 1 KB unpacked (local and central headers), so only
    inflating it tells its real size."""
    data = bytearray(bomb)
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[start + size_at : start + size_at + 4] = (1024).to_bytes(4, "little")
            start += 4
    return bytes(data)


def big_cell_csv(world) -> bytes:
    """The good listing, with the first row's customer name 10 MB long."""
    rows = good_rows(world.officer, world.colleague)
    rows[0] = rows[0].replace("Warung Bébé", "A" * CELL)
    return csv_bytes(rows)


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
WRONG_TYPES = [
    ("listing.csv", PDF, "The file is not a CSV listing: it looks like a PDF document."),
    ("listing.csv", PNG, "The file is not a CSV listing: it looks like a PNG image."),
    ("listing.xlsx", PNG, "The XLSX file cannot be read: it looks like a PNG image."),
    ("listing.xlsx", PDF, "The XLSX file cannot be read: it looks like a PDF document."),
    ("listing.csv", EXE, "The file is not a CSV listing: it looks like a Windows program (.exe)."),
    ("setup.exe", EXE, "Unsupported file type .exe: send a .csv or .xlsx listing."),
]
TYPE_IDS = ["pdf-as-csv", "png-as-csv", "png-as-xlsx", "pdf-as-xlsx", "exe-as-csv", "exe"]


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measured(call):
    """Run `call`; return its result, the seconds it took and how far (MB) it raised the
    process's peak resident memory (None where Linux's peak reset is unavailable)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # peak RSS := current RSS
        base = _status_kb("VmHWM")
    except (OSError, LookupError):
        base = None
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    growth = None if base is None else (_status_kb("VmHWM") - base) / 1024
    return result, seconds, growth


# --- the web page ---------------------------------------------------------------------------


class TestUploadPage:
    def test_a_file_over_the_size_limit_is_413(self, app, auth, admin, world, monkeypatch):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
        content = csv_bytes(good_rows(world.officer, world.colleague) * 20)
        assert len(content) > 4096
        response = web_upload(auth, "listing.csv", content)
        assert response.status_code == 413
        assert "The file is too large: uploads are limited to 4 KB." in page_text(response)
        assert_nothing_left(app)

    @pytest.mark.parametrize(("name", "content", "message"), WRONG_TYPES, ids=TYPE_IDS)
    def test_a_file_that_is_not_a_listing_is_422(self, app, auth, admin, name, content, message):
        response = web_upload(auth, name, content)
        assert response.status_code == 422
        assert message in page_text(response)
        assert "Confirm and import" not in page_text(response)
        assert_nothing_left(app)

    def test_a_zip_bomb_is_refused_quickly_in_little_memory(self, app, auth, admin, zip_bomb):
        response, seconds, growth = measured(lambda: web_upload(auth, "listing.xlsx", zip_bomb))
        assert response.status_code == 422
        assert "unpacks to more than 100 times its packed size" in page_text(response)
        assert seconds < 10, seconds
        assert growth is None or growth < 150, f"peak memory rose by {growth:.0f} MB"
        assert_nothing_left(app)

    def test_a_zip_bomb_lying_about_its_size_is_refused(self, app, auth, admin, zip_bomb):
        bomb = lying(zip_bomb)
        with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
            assert max(i.file_size for i in archive.infolist()) == 1024
        response, seconds, growth = measured(lambda: web_upload(auth, "listing.xlsx", bomb))
        assert response.status_code == 422
        assert "unpacks to more than 100 times its packed size" in page_text(response)
        assert seconds < 10, seconds
        assert growth is None or growth < 150, f"peak memory rose by {growth:.0f} MB"
        assert_nothing_left(app)

    def test_a_workbook_too_large_once_unpacked_is_refused(
        self, app, auth, admin, zip_bomb, monkeypatch
    ):
        # Ratio allowed, total not: the total cap holds on its own.
        monkeypatch.setitem(app.config, "MAX_XLSX_COMPRESSION_RATIO", 100_000)
        monkeypatch.setitem(app.config, "MAX_XLSX_UNCOMPRESSED_BYTES", 64 * 1024 * 1024)
        response, seconds, _growth = measured(lambda: web_upload(auth, "l.xlsx", zip_bomb))
        assert response.status_code == 422
        assert "The workbook is too large once unpacked: at most 64 MB" in page_text(response)
        assert seconds < 10, seconds
        assert_nothing_left(app)

    def test_a_10_mb_cell_is_refused_naming_its_row_and_column(self, app, auth, admin, world):
        content = big_cell_csv(world)
        assert CELL < len(content) < app.config["MAX_CONTENT_LENGTH"]
        response, seconds, _growth = measured(lambda: web_upload(auth, "listing.csv", content))
        text = page_text(response)
        assert response.status_code == 422
        assert "listing.csv cannot be imported." in text
        assert (
            "Row 2, column customer_name: the cell holds 10,485,760 characters; "
            "a cell may hold at most 1,000." in text
        )
        assert "A" * 2000 not in text  # the cell itself is not echoed back
        assert len(text) < 100_000
        assert seconds < 10, seconds
        assert_nothing_left(app)


# --- the API --------------------------------------------------------------------------------


class TestApi:
    def test_a_file_over_the_size_limit_is_413(self, app, admin_api, world, monkeypatch):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
        content = csv_bytes(good_rows(world.officer, world.colleague) * 20)
        response = api_upload(admin_api, "listing.csv", content)
        assert response.status_code == 413
        assert response.json["message"] == (
            "The file is too large: uploads are limited to 4096 bytes."
        )
        assert_nothing_left(app)

    @pytest.mark.parametrize(("name", "content", "message"), WRONG_TYPES, ids=TYPE_IDS)
    def test_a_file_that_is_not_a_listing_is_422(self, app, admin_api, name, content, message):
        response = api_upload(admin_api, name, content)
        assert response.status_code == 422
        assert response.json["message"].startswith(message)
        assert response.json["errors"] == {"file": [response.json["message"]]}
        assert_nothing_left(app)

    def test_a_zip_bomb_is_refused_quickly_in_little_memory(self, app, admin_api, zip_bomb):
        response, seconds, growth = measured(
            lambda: api_upload(admin_api, "listing.xlsx", zip_bomb)
        )
        assert response.status_code == 422
        assert "unpacks to more than 100 times its packed size" in response.json["message"]
        assert response.json["errors"] == {"file": [response.json["message"]]}
        assert seconds < 10, seconds
        assert growth is None or growth < 150, f"peak memory rose by {growth:.0f} MB"
        assert_nothing_left(app)

    def test_a_10_mb_cell_is_refused_naming_its_row_and_column(self, app, admin_api, world):
        response, seconds, _growth = measured(
            lambda: api_upload(admin_api, "listing.csv", big_cell_csv(world))
        )
        assert response.status_code == 422
        message = response.json["message"]
        assert message.startswith(
            "Row 2, column customer_name: the cell holds 10,485,760 characters; "
            "a cell may hold at most 1,000."
        )
        assert response.json["errors"] == {"file": [message]}
        assert len(response.data) < 10_000  # no 10 MB value echoed in the errors
        assert seconds < 10, seconds
        assert_nothing_left(app, records_allowed=True)

    def test_the_cell_limit_is_a_setting(self, app, admin_api, world, tmp_path, monkeypatch):
        monkeypatch.setitem(app.config, "IMPORTS_MAX_CELL_CHARS", 5)
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = api_upload(admin_api, "listing.csv", path.read_bytes())
        assert response.status_code == 422
        assert response.json["message"].startswith(
            "Row 2, column account_no: the cell holds 7 characters; a cell may hold at most 5."
        )
        assert_nothing_left(app, records_allowed=True)
