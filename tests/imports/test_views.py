"""Import pages: upload → preview → confirm, rejected imports and their error file, refusals,
the list and the record page, admins only, CSRF, size limit, background run."""

import csv
import io
import re
import shutil
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from tests.support.factories import make_user
from tests.support.listing_uploads import (
    AS_OF,
    HEADER,
    bad_rows,
    credit_counts,
    credit_products,
    csv_bytes,
    good_rows,
    only_import,
    upload_field,
    write_listing,
)

TOKEN_IN_URL = re.compile(r"/imports/preview/([0-9a-f]{32})$")


@pytest.fixture
def admin(world, auth):
    credit_products()
    auth.login("admin")
    return world.admin


@pytest.fixture(autouse=True)
def _no_waiting_uploads(app):
    """Every test starts with no upload waiting (the folder lives as long as the test session)."""
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


def waiting_files(app) -> list[str]:
    directory = Path(app.config["IMPORTS_UPLOAD_DIR"])
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def upload(auth, path: Path, name: str | None = None, **options):
    data = {"file": upload_field(path, name), "as_of": AS_OF, "decimal": "auto"}
    data["date_format"] = "auto"
    data.update(options)
    return auth.post("/imports/new", data, content_type="multipart/form-data")


def token_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return TOKEN_IN_URL.search(response.headers["Location"]).group(1)


def confirm(auth, token: str):
    return auth.post("/imports/confirm", {"token": token})


class TestUploadPreviewConfirm:
    def test_preview_shows_first_rows_and_detected_conventions(
        self, client, auth, admin, world, tmp_path
    ):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path))
        page = client.get(f"/imports/preview/{token}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert 'id="row-count">3<' in html
        assert "Format: csv, delimiter &#39;,&#39;, encoding utf-8." in html
        assert "Numbers: plain (1234567.89) (detected)." in html
        assert "Dates: ISO (2026-10-31) (detected)." in html
        rows = re.findall(r"<tr><td class=\"text-muted\">(\d+)</td>(.*?)</tr>", html)
        assert [r[0] for r in rows] == ["2", "3", "4"]
        assert "<td>0012002</td><td>CIF001</td><td>Warung Bébé</td>" in rows[1][1]
        assert "<th>kol</th>" in html and "<th>restructured</th>" not in html
        assert "Confirm and import" in html
        assert credit_counts() == {"customers": 0, "facilities": 0, "positions": 0}

    def test_confirm_imports_and_shows_the_record(self, app, client, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague), name="nom.csv")
        token = token_of(upload(auth, path))
        response = confirm(auth, token)
        record = only_import()
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/imports/{record.id}")
        assert (record.status, record.source, record.file_name, record.rows) == (
            "succeeded",
            "web",
            "nom.csv",
            3,
        )
        assert record.user_id == world.admin.id
        assert record.as_of == date(2024, 6, 30)
        assert credit_counts() == {"customers": 2, "facilities": 3, "positions": 3}
        kols = dict(
            db.session.execute(
                sa.select(Facility.account_no, Position.debtor_kol).join(Position.facility)
            ).all()
        )
        # The KUR 45 days past due is Kol 2 and takes its sibling along (one-obligor).
        assert kols == {"0012001": 2, "0012002": 2, "0012003": 1}
        assert waiting_files(app) == []  # the upload is deleted once imported

        page = client.get(f"/imports/{record.id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Succeeded" in html and "Imported 3 rows for Jun 30, 2024" in html
        assert re.search(r"<th>Facilities created</th><td[^>]*>3</td>", html)
        assert re.search(r"<th>Customers created</th><td[^>]*>2</td>", html)
        assert re.search(
            r'<td>Kol 1</td><td[^>]*>1</td><td[^>]*><span class="money">IDR 150,000,000</span></td>',
            html,
        )
        assert re.search(
            r'<td>Kol 2</td><td[^>]*>2</td><td[^>]*><span class="money">IDR 445,000,000</span></td>',
            html,
        )
        assert "Numbers: plain (1234567.89) (detected)." in html
        assert 'http-equiv="refresh"' not in html
        assert client.get(f"/imports/{record.id}/errors.csv").status_code == 404

    def test_indonesian_semicolon_listing_is_detected(self, client, auth, admin, world, tmp_path):
        code = world.officer.officer_code
        rows = [
            f"0014001;CIF201;Debtor;{code};KMK;500.000.000,00;400.000.000,50;0;0;3;;11,5;"
            "15/01/2024;15/01/2029"
        ]
        path = write_listing(tmp_path, rows, header=HEADER.replace(",", ";"))
        html = client.get(f"/imports/preview/{token_of(upload(auth, path))}").get_data(as_text=True)
        assert "delimiter &#39;;&#39;" in html
        assert "Numbers: Indonesian (1.234.567,89) (detected)." in html
        assert "Dates: dd/mm/yyyy (31/10/2026) (detected)." in html
        assert "<td>400.000.000,50</td>" in html  # the cells as read, not yet parsed

    def test_named_conventions_are_not_marked_detected(self, client, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path, decimal="dot", date_format="iso"))
        html = client.get(f"/imports/preview/{token}").get_data(as_text=True)
        assert "Numbers: plain (1234567.89)." in html
        assert "Dates: ISO (2026-10-31)." in html

    def test_xlsx_sheet_preview_and_import(self, client, auth, admin, world, tmp_path):
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.title = "Cover"
        sheet = workbook.create_sheet("Data")
        sheet.append(HEADER.split(","))
        for row in good_rows(world.officer, world.colleague):
            sheet.append(row.split(","))
        path = tmp_path / "listing.xlsx"
        workbook.save(path)
        refused = upload(auth, path)  # the first sheet holds no listing
        assert refused.status_code == 422
        assert "Sheet &#39;Cover&#39; is empty." in refused.get_data(as_text=True)
        token = token_of(upload(auth, path, sheet="Data"))
        html = client.get(f"/imports/preview/{token}").get_data(as_text=True)
        assert "Format: xlsx, sheet &#39;Data&#39;." in html
        assert "<td>0012003</td><td>CIF002</td><td>Toko Sari</td>" in html
        confirm(auth, token)
        assert only_import().status == "succeeded"
        assert credit_counts()["positions"] == 3

    def test_upload_is_stored_under_a_random_name(self, app, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path, name="../../etc/listing.csv"))
        assert waiting_files(app) == [f"{token}.csv", f"{token}.json"]
        confirm(auth, token)
        assert only_import().file_name == "listing.csv"

    def test_discard_deletes_the_upload(self, app, client, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path))
        assert auth.post("/imports/discard", {"token": token}).status_code == 302
        assert waiting_files(app) == []
        assert client.get(f"/imports/preview/{token}").status_code == 404
        assert confirm(auth, token).status_code == 404
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PositionImport)) == 0

    def test_a_second_confirm_imports_nothing_more(self, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path))
        assert confirm(auth, token).status_code == 302
        again = confirm(auth, token)
        assert again.status_code == 404
        assert "no longer available" in again.get_data(as_text=True)
        assert only_import().status == "succeeded"

    def test_another_admins_upload_cannot_be_confirmed(
        self, app, client, auth, admin, world, tmp_path
    ):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        token = token_of(upload(auth, path))
        make_user("admin2", "admin")
        auth.logout()
        auth.login("admin2")
        assert client.get(f"/imports/preview/{token}").status_code == 404
        assert confirm(auth, token).status_code == 404
        assert credit_counts()["facilities"] == 0

    def test_missing_file_and_options_are_field_errors(self, app, auth, admin):
        response = auth.post(
            "/imports/new",
            {"as_of": "31/06/2024", "decimal": "roman", "encoding": "klingon"},
            content_type="multipart/form-data",
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Choose the listing file." in html
        assert "Not a valid date (YYYY-MM-DD)." in html
        assert "Must be one of: auto, dot, comma." in html
        assert "Unknown encoding &#39;klingon&#39;" in html
        assert waiting_files(app) == []

    def test_wrong_file_type_is_refused(self, app, auth, admin, tmp_path):
        path = tmp_path / "listing.pdf"
        path.write_bytes(b"%PDF-1.4")
        response = upload(auth, path)
        assert response.status_code == 422
        assert "Unsupported file type .pdf: send a .csv or .xlsx listing." in response.get_data(
            as_text=True
        )
        assert waiting_files(app) == []

    def test_future_as_of_is_refused(self, auth, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        tomorrow = (date.today() + timedelta(days=2)).isoformat()
        response = upload(auth, path, as_of=tomorrow)
        assert response.status_code == 422
        assert "The as-of date cannot be in the future." in response.get_data(as_text=True)


class TestRejected:
    def test_preview_flags_the_errors_and_a_forced_confirm_is_rejected_with_every_one(
        self, app, client, auth, admin, world, tmp_path
    ):
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        token = token_of(upload(auth, path))
        preview = client.get(f"/imports/preview/{token}").get_data(as_text=True)
        assert "Confirm and import" not in preview
        assert "Upload a corrected file" in preview

        response = confirm(auth, token)  # a confirmation posted anyway: the import refuses it
        record = only_import()
        assert response.headers["Location"].endswith(f"/imports/{record.id}")
        assert (record.status, record.error_count) == ("rejected", 4)
        assert credit_counts() == {"customers": 0, "facilities": 0, "positions": 0}
        assert waiting_files(app) == []

        html = client.get(f"/imports/{record.id}").get_data(as_text=True)
        assert "4 error(s) on 3 row(s): nothing was imported." in html
        table = html.split('id="row-errors"')[1]
        cells = re.findall(
            r"<tr><td class=\"text-end\">(\d+)</td><td>(\w+)</td><td><code>(.*?)</code></td>"
            r"<td>(.*?)</td></tr>",
            table,
        )
        assert [(row, column, value) for row, column, value, _ in cells] == [
            ("2", "outstanding", "-5.00"),
            ("3", "dpd", "abc"),
            ("4", "kol", "7"),
            ("4", "start_date", "2024-02-30"),
        ]
        assert cells[0][3] == "Amounts cannot be negative."
        assert cells[1][3] == "Not a whole number of days (0–99999)."
        assert f"/imports/{record.id}/errors.csv" in html

        download = client.get(f"/imports/{record.id}/errors.csv")
        assert download.status_code == 200
        assert download.mimetype == "text/csv"
        assert "attachment" in download.headers["Content-Disposition"]
        lines = list(csv.reader(io.StringIO(download.get_data().decode("utf-8-sig"))))
        assert lines[0] == ["row", "column", "value", "message"]
        assert [line[:3] for line in lines[1:]] == [
            ["2", "outstanding", "'-5.00"],  # a spreadsheet would run -5.00 as a formula
            ["3", "dpd", "abc"],
            ["4", "kol", "7"],
            ["4", "start_date", "2024-02-30"],
        ]

    def test_only_the_first_200_errors_are_shown(self, client, auth, admin, world, tmp_path):
        code = world.officer.officer_code
        rows = [
            f"A{i:05d},C{i:05d},Debtor,{code},KMK,1.00,-1.00,0.00,0.00,0,,1,2024-01-01,2025-01-01"
            for i in range(250)
        ]
        token = token_of(upload(auth, write_listing(tmp_path, rows)))
        confirm(auth, token)
        record = only_import()
        html = client.get(f"/imports/{record.id}").get_data(as_text=True)
        assert "The first 200 of 250 errors." in html
        assert html.split('id="row-errors"')[1].count("<tr><td") == 200
        download = client.get(f"/imports/{record.id}/errors.csv").get_data().decode("utf-8-sig")
        assert len(download.strip().splitlines()) == 251

    def test_error_file_missing_on_disk_is_404(self, app, client, auth, admin, world, tmp_path):
        confirm(auth, token_of(upload(auth, write_listing(tmp_path, bad_rows(world.officer)))))
        record = only_import()
        (Path(app.config["EXPORTS_DIR"]) / "imports" / record.errors_file).unlink()
        assert client.get(f"/imports/{record.id}/errors.csv").status_code == 404


class TestFileRefusals:
    def test_non_utf8_file_is_refused_clearly(self, app, client, auth, admin, world, tmp_path):
        path = tmp_path / "cp1252.csv"
        path.write_bytes(csv_bytes(good_rows(world.officer, world.colleague), encoding="cp1252"))
        response = upload(auth, path)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "cp1252.csv cannot be imported." in html
        assert "The file is not UTF-8 (byte 0xe9 on line 2)." in html
        assert "--encoding cp1252" in html
        assert "Confirm and import" not in html
        assert waiting_files(app) == []

        token = token_of(upload(auth, path, encoding="cp1252"))
        preview = client.get(f"/imports/preview/{token}").get_data(as_text=True)
        assert "encoding cp1252" in preview and "<td>Warung Bébé</td>" in preview
        confirm(auth, token)
        record = only_import()
        assert (record.status, record.encoding) == ("succeeded", "cp1252")
        names = db.session.scalars(sa.select(Customer.name).order_by(Customer.cif)).all()
        assert names == ["Warung Bébé", "Toko Sari"]

    def test_missing_headers_are_refused(self, app, auth, admin, world, tmp_path):
        rows = [r.rsplit(",", 2)[0] for r in good_rows(world.officer, world.colleague)]
        header = HEADER.rsplit(",", 2)[0]
        response = upload(auth, write_listing(tmp_path, rows, header=header))
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Missing required columns: start_date, maturity_date." in html
        assert "Confirm and import" not in html

    def test_ambiguous_numbers_are_refused_until_named(self, client, auth, admin, world, tmp_path):
        code = world.officer.officer_code
        rows = [f"0015001,CIF301,Debtor,{code},KMK,1.500,1.250,0,0,0,,11,2024-01-15,2029-01-15"]
        path = write_listing(tmp_path, rows)
        response = upload(auth, path)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "The numbers could be plain or Indonesian (e.g. 1.234)" in html
        assert "Confirm and import" not in html
        token = token_of(upload(auth, path, decimal="comma"))
        assert "Numbers: Indonesian (1.234.567,89)." in client.get(
            f"/imports/preview/{token}"
        ).get_data(as_text=True)

    def test_empty_listing_is_refused(self, auth, admin, tmp_path):
        response = upload(auth, write_listing(tmp_path, []))
        assert response.status_code == 422
        assert "The listing has no rows." in response.get_data(as_text=True)

    def test_file_over_the_size_limit(self, app, auth, admin, world, tmp_path, monkeypatch):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
        rows = good_rows(world.officer, world.colleague) * 10
        response = upload(auth, write_listing(tmp_path, rows))
        assert response.status_code == 413
        assert "The file is too large: uploads are limited to 2 KB." in response.get_data(
            as_text=True
        )
        assert waiting_files(app) == []


def make_record(user, **kw) -> PositionImport:
    values = {
        "user_id": user.id,
        "source": "web",
        "file_name": "listing.csv",
        "sha256": "ab" * 32,
        "as_of": date(2024, 6, 30),
        "status": "succeeded",
        "stage": "done",
        "progress": 100,
    }
    values.update(kw)
    record = PositionImport(**values)
    db.session.add(record)
    db.session.commit()
    return record


class TestListAndRecord:
    def test_list_newest_first_with_summary(self, client, admin, world):
        base = datetime(2024, 7, 1, 2, 0, tzinfo=UTC)
        make_record(
            world.admin,
            file_name="old.csv",
            started_at=base,
            rows=3,
            summary={"facilities_created": 3, "facilities_updated": 0},
        )
        make_record(
            world.admin,
            file_name="bad.csv",
            started_at=base + timedelta(hours=1),
            status="rejected",
            error_count=7,
            sha256="cd" * 32,
        )
        make_record(
            world.admin,
            file_name="new.csv",
            started_at=datetime.now(UTC),  # a run still in progress, not an interrupted one
            status="running",
            stage="positions",
            progress=70,
        )
        html = client.get("/imports/").get_data(as_text=True)
        assert [m for m in re.findall(r"(\w+)\.csv</td>", html)] == ["new", "bad", "old"]
        assert '<code title="' + "cd" * 32 + '">cdcdcdcdcdcd</code>' in html
        assert "7 row errors" in html
        assert "facilities +3 / 0 upd / 0 closed" in html
        assert "Positions (70 %)" in html
        assert "Jul 1, 2024 9:00 AM" in html  # Jakarta time
        rejected = client.get("/imports/?status=rejected").get_data(as_text=True)
        assert "bad.csv" in rejected and "old.csv" not in rejected

    def test_list_is_paginated(self, client, admin, world):
        for i in range(55):
            make_record(world.admin, file_name=f"f{i:02d}.csv")
        first = client.get("/imports/").get_data(as_text=True)
        second = client.get("/imports/?page=2").get_data(as_text=True)
        assert first.count("Details</a>") == 50 and second.count("Details</a>") == 5
        assert "Page 1 of 2" in first and "55 records" in first

    def test_running_import_refreshes_with_a_progress_bar(self, client, admin, world):
        record = make_record(world.admin, status="running", stage="positions", progress=70)
        html = client.get(f"/imports/{record.id}").get_data(as_text=True)
        assert '<meta http-equiv="refresh" content="2">' in html
        assert 'class="progress-bar' in html and "width: 70%" in html
        assert "<script>" not in html

    def test_unknown_import_is_404(self, client, admin):
        assert client.get("/imports/999").status_code == 404
        assert client.get("/imports/999/errors.csv").status_code == 404


class TestBackground:
    def test_confirm_runs_in_a_thread_and_the_page_polls(
        self, app, client, auth, admin, world, tmp_path, monkeypatch
    ):
        monkeypatch.setitem(app.config, "IMPORTS_RUN_INLINE", False)
        token = token_of(
            upload(auth, write_listing(tmp_path, good_rows(world.officer, world.colleague)))
        )
        response = confirm(auth, token)
        record_id = int(response.headers["Location"].rsplit("/", 1)[1])
        worker = next(t for t in threading.enumerate() if t.name == f"listing-import-{record_id}")
        worker.join(timeout=60)
        assert not worker.is_alive()
        record = only_import()
        assert record.status == "succeeded"
        assert credit_counts()["positions"] == 3
        assert waiting_files(app) == []
        assert 'http-equiv="refresh"' not in client.get(f"/imports/{record_id}").get_data(
            as_text=True
        )


class TestAccess:
    PAGES = [
        "/imports/",
        "/imports/new",
        "/imports/{id}",
        "/imports/{id}/errors.csv",
        "/imports/preview/{token}",
    ]

    @pytest.mark.parametrize("username", ["ao.budi", "spv.jkt", "spv.bdg"])
    def test_non_admins_get_404_everywhere(self, app, client, auth, world, username, tmp_path):
        credit_products()
        auth.login("admin")
        token = token_of(upload(auth, write_listing(tmp_path, bad_rows(world.officer))))
        confirm(auth, token_of(upload(auth, write_listing(tmp_path, bad_rows(world.officer)))))
        record = only_import()
        auth.logout()
        auth.login(username)
        for page in self.PAGES:
            url = page.format(id=record.id, token=token)
            assert client.get(url).status_code == 404, url
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        assert upload(auth, path).status_code == 404
        assert confirm(auth, token).status_code == 404
        assert auth.post("/imports/discard", {"token": token}).status_code == 404
        assert f"{token}.json" in waiting_files(app)  # still waiting for its admin
        assert 'href="/imports/"' not in client.get("/profile").get_data(as_text=True)

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/imports/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_admin_sees_the_nav_link(self, client, admin):
        assert 'href="/imports/"' in client.get("/profile").get_data(as_text=True)


class TestCsrf:
    def test_upload_needs_the_token(self, app, client, admin, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = client.post(
            "/imports/new",
            data={"file": upload_field(path), "as_of": AS_OF},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert waiting_files(app) == []

    def test_confirm_needs_the_token(self, app, client, auth, admin, world, tmp_path):
        token = token_of(
            upload(auth, write_listing(tmp_path, good_rows(world.officer, world.colleague)))
        )
        response = client.post("/imports/confirm", data={"token": token})
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PositionImport)) == 0
        assert f"{token}.json" in waiting_files(app)


class TestInterruptedImports:
    def test_a_run_whose_heartbeat_stopped_is_shown_as_failed_a_long_live_one_runs_on(
        self, client, auth, api, world
    ):
        """No sign of life for IMPORT_STALE_MINUTES (5): failed. Started hours ago but beating:
        still running (the old rule failed every run older than 180 minutes)."""
        from datetime import date, timedelta

        from aoapp.common.dates import utcnow

        stale = PositionImport(
            file_name="old.csv",
            sha256="0" * 64,
            as_of=date(2026, 9, 30),
            status="running",
            stage="positions",
            progress=55,
            started_at=utcnow() - timedelta(minutes=20),
            heartbeat_at=utcnow() - timedelta(minutes=6),
        )
        alive = PositionImport(
            file_name="new.csv",
            sha256="1" * 64,
            as_of=date(2026, 10, 31),
            status="running",
            started_at=utcnow() - timedelta(hours=4),
            heartbeat_at=utcnow() - timedelta(minutes=1),
        )
        db.session.add_all([stale, alive])
        db.session.commit()
        auth.login("admin")
        page = client.get(f"/imports/{stale.id}").get_data(as_text=True)
        assert "its process gave no sign of life for 5 minutes" in page
        assert "import the file again" in page and 'http-equiv="refresh"' not in page
        db.session.expire_all()
        record = db.session.get(PositionImport, stale.id)
        assert (record.status, record.stage, record.message_code) == (
            "failed",
            "interrupted",
            "imports.stopped",
        )
        assert record.finished_at is not None
        assert db.session.get(PositionImport, alive.id).status == "running"
        listed = api(world.admin).get("/api/v1/imports").get_json()
        statuses = {item["id"]: item["status"] for item in listed["items"]}
        assert statuses == {stale.id: "failed", alive.id: "running"}
