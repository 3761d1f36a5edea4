"""The listing import's messages in the uploader's language (row errors, refusals, notes), the
command-line summaries in the bank's language, and audited field names in Indonesian."""

import csv
import html
import re
from datetime import date

import pytest
from flask_babel import force_locale

from aoapp import create_app
from aoapp.audit import services as audit
from aoapp.common.templating import humanise
from aoapp.common.workdays import parse_holidays
from aoapp.demo.seed import Seeder
from aoapp.extensions import db, limiter
from aoapp.imports.error_files import errors_dir
from aoapp.imports.models import PositionImport
from aoapp.imports.parsing import not_a_day
from aoapp.imports.services import run_import
from aoapp.prospects.models import Prospect
from tests.support.factories import make_prospect
from tests.support.i18n import english_leftovers, speak_indonesian
from tests.support.listing_uploads import (
    AS_OF,
    HEADER,
    bad_rows,
    credit_products,
    good_rows,
    only_import,
    upload_field,
    write_listing,
)
from tools.i18n_build import TRANSLATIONS, _read

ROW_ERRORS = {
    "id": [
        "Nominal tidak boleh negatif.",
        "Bukan jumlah hari berupa bilangan bulat (0–99999).",
        "Kolektibilitas harus 1 sampai 5.",
        "2024-02-30 bukan tanggal yang ada: Februari 2024 memiliki 29 hari.",
    ],
    "en": [
        "Amounts cannot be negative.",
        "Not a whole number of days (0–99999).",
        "Collectibility must be 1 to 5.",
        "2024-02-30 is not a day: February 2024 has 29 days.",
    ],
}
SUMMARY = {
    "id": "4 kesalahan pada 3 baris: tidak ada yang diimpor.",
    "en": "4 error(s) on 3 row(s): nothing was imported.",
}
NOTES = {
    "id": [
        "Format: csv, pemisah ',', encoding utf-8.",
        "Angka: format biasa (1234567.89) (terdeteksi).",
    ],
    "en": [
        "Format: csv, delimiter ',', encoding utf-8.",
        "Numbers: plain (1234567.89) (detected).",
    ],
}


def _html(response) -> str:
    """The page with its entities decoded (quotes in the notes are escaped)."""
    assert response.status_code in (200, 422), response.status_code
    return html.unescape(response.get_data(as_text=True))


def _token(page: str) -> str:
    found = re.search(r'name="token"[^>]*value="([^"]+)"', page)
    return (found or re.search(r'value="([^"]+)"[^>]*name="token"', page)).group(1)


@pytest.fixture
def admin(world, auth):
    credit_products()
    auth.login("admin")
    return world.admin


class TestUploadInTheUsersLanguage:
    @pytest.mark.parametrize("language", ["id", "en"])
    def test_row_errors_of_a_bad_listing(self, client, auth, admin, world, tmp_path, language):
        if language == "id":
            speak_indonesian(auth)
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 302
        preview = _html(client.get(response.headers["Location"]))
        for note in NOTES[language]:
            assert note in preview, note
        response = auth.post("/imports/confirm", {"token": _token(preview)})
        page = _html(client.get(response.headers["Location"]))
        for message in [*ROW_ERRORS[language], SUMMARY[language]]:
            assert message in page, message
        other = "en" if language == "id" else "id"
        for message in ROW_ERRORS[other]:
            assert message not in page, message
        if language == "id":
            assert english_leftovers(page) == []
        # The record keeps its message as a code, said in each reader's language; the error
        # report (a file) holds the uploader's language.
        record = only_import()
        assert record.message_code == "imports.rows_rejected"
        for reader in ("en", "id"):
            with force_locale(reader):
                assert record.shown_message == SUMMARY[reader]
        with open(errors_dir() / record.errors_file, encoding="utf-8-sig") as handle:
            messages = [row["message"] for row in csv.DictReader(handle)]
        assert messages == ROW_ERRORS[language]

    def test_a_refused_file_is_explained_in_indonesian(self, client, auth, admin, tmp_path):
        speak_indonesian(auth)
        path = tmp_path / "short.csv"
        path.write_text("account_no,cif\n1,2\n", encoding="utf-8")
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _html(response)
        assert response.status_code == 422
        assert "Kolom wajib tidak ada: customer_name, officer_code" in page
        assert english_leftovers(page) == []

    def test_a_file_that_is_not_a_listing(self, client, auth, admin, tmp_path):
        speak_indonesian(auth)
        path = tmp_path / "scan.csv"
        path.write_bytes(b"%PDF-1.7 not a listing")
        data = {"file": upload_field(path), "as_of": AS_OF}
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _html(response)
        assert "Berkas ini bukan daftar nominatif CSV: tampaknya berupa dokumen PDF." in page
        assert english_leftovers(page) == []

    def test_a_background_import_speaks_the_uploaders_language(self, world, tmp_path):
        """Outside any request (the job's thread, DEFAULT_LOCALE en) the user's language wins."""
        credit_products()
        world.admin.locale = "id"
        db.session.commit()
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        outcome = run_import(path, date.fromisoformat(AS_OF), user=world.admin, source="web")
        assert [e.message for e in outcome.errors] == ROW_ERRORS["id"]
        assert outcome.notes[1] == "Angka: format biasa (1234567.89) (terdeteksi)."
        # The record's message and notes are said in the reader's language, not the uploader's.
        record = db.session.get(PositionImport, outcome.record.id)
        for reader in ("en", "id"):
            with force_locale(reader):
                assert record.shown_message == SUMMARY[reader]
        with force_locale("en"):
            assert record.shown_notes[1] == "Numbers: plain (1234567.89) (detected)."


class TestImportMessagesInIndonesian:
    def test_the_preview_flags_row_errors(self, client, auth, admin, world, tmp_path):
        speak_indonesian(auth)
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _html(client.get(response.headers["Location"]))
        assert (
            "4 kesalahan pada 3 baris: bila dikonfirmasi, seluruh berkas akan ditolak dan tidak "
            "ada yang diimpor." in page
        )
        for message in ROW_ERRORS["id"]:
            assert message in page, message
        assert "Unggah berkas yang sudah diperbaiki" in page
        assert "Konfirmasi dan impor" not in page
        assert english_leftovers(page) == []

    def test_a_clean_preview_can_be_confirmed(self, client, auth, admin, world, tmp_path):
        speak_indonesian(auth)
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _html(client.get(response.headers["Location"]))
        assert "Konfirmasi dan impor" in page
        assert "Setiap baris sudah diperiksa dan tidak ada yang salah." in page
        assert english_leftovers(page) == []

    @pytest.mark.parametrize("as_of", [None, ""])
    def test_a_missing_as_of_date_on_the_form(self, client, auth, admin, world, tmp_path, as_of):
        speak_indonesian(auth)
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        data = {"file": upload_field(path)}
        if as_of is not None:
            data["as_of"] = as_of
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _html(response)
        assert response.status_code == 422
        assert "Tanggal posisi wajib diisi." in page
        assert "Bukan tanggal yang valid" not in page

    @pytest.mark.parametrize(
        ("language", "message"),
        [("id", "Tanggal posisi wajib diisi."), ("en", "The as-of date is required.")],
    )
    def test_a_missing_as_of_date_in_the_api(self, api, world, tmp_path, language, message):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        for data in ({"file": upload_field(path)}, {"file": upload_field(path), "as_of": ""}):
            response = api(world.admin).post(
                "/api/v1/imports/positions",
                data=data,
                content_type="multipart/form-data",
                headers={"Accept-Language": language},
            )
            assert response.status_code == 422
            assert response.get_json()["errors"] == {"as_of": [message]}

    def test_a_day_that_does_not_exist(self, world):
        with force_locale("id"):
            assert not_a_day("31/11/2027", "dmy") == (
                "31/11/2027 bukan tanggal yang ada: November 2027 memiliki 30 hari."
            )
            assert not_a_day("2023-02-29", "iso") == (
                "2023-02-29 bukan tanggal yang ada: Februari 2023 memiliki 28 hari."
            )
            assert not_a_day("2023-13-01", "iso") == (
                "2023-13-01 bukan tanggal yang ada: tidak ada bulan 13."
            )

    def test_the_record_names_its_conventions_in_words(self, client, auth, admin, world, tmp_path):
        speak_indonesian(auth)
        code = world.officer.officer_code
        rows = [
            f"0014001;CIF201;Debitur;{code};KMK;500.000.000,00;400.000.000,50;0;0;3;;11,5;"
            "15/01/2024;15/01/2029"
        ]
        path = write_listing(tmp_path, rows, header=HEADER.replace(",", ";"))
        data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto"}
        data["date_format"] = "auto"
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        preview = _html(client.get(response.headers["Location"]))
        assert "Angka: format Indonesia (1.234.567,89) (terdeteksi)." in preview
        assert "Tanggal: format hh/bb/tttt (31/10/2026) (terdeteksi)." in preview
        response = auth.post("/imports/confirm", {"token": _token(preview)})
        page = _html(client.get(response.headers["Location"]))
        assert only_import().status == "succeeded"
        for words in (
            "Angka: format Indonesia (1.234.567,89).",
            "Tanggal: format hh/bb/tttt (31/10/2026).",
            "Encoding: utf-8.",
        ):
            assert f"<li>{words}</li>" in page, words
        assert "comma" not in page and "dmy" not in page
        assert english_leftovers(page) == []


class TestApi:
    @pytest.mark.parametrize("language", ["id", "en"])
    def test_row_errors_follow_accept_language(self, api, world, tmp_path, language):
        credit_products()
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        response = api(world.admin).post(
            "/api/v1/imports/positions",
            data={"file": upload_field(path), "as_of": AS_OF},
            content_type="multipart/form-data",
            headers={"Accept-Language": language},
        )
        body = response.get_json()
        assert response.status_code == 422
        assert body["message"] == SUMMARY[language]
        assert [row["message"] for row in body["errors"]["rows"]] == ROW_ERRORS[language]

    def test_invalid_options_in_indonesian(self, api, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = api(world.admin).post(
            "/api/v1/imports/positions",
            data={"file": upload_field(path), "as_of": "30/06/2024", "encoding": "klingon"},
            content_type="multipart/form-data",
            headers={"Accept-Language": "id"},
        )
        errors = response.get_json()["errors"]
        assert response.status_code == 422
        assert errors["as_of"] == ["Bukan tanggal yang valid (YYYY-MM-DD)."]
        assert errors["encoding"] == ["Encoding 'klingon' tidak dikenal (mis. cp1252, latin-1)."]


@pytest.fixture
def indonesian_bank(app):
    """A second application on the test database whose DEFAULT_LOCALE is Indonesian."""
    keep = ("SQLALCHEMY_DATABASE_URI", "EXPORTS_DIR", "IMPORTS_UPLOAD_DIR", "PASSWORD_HASH_METHOD")
    keep += ("CIF_PATTERN", "ACCOUNT_PATTERN")  # the test data's numbers
    bank = create_app({"TESTING": True, **{k: app.config[k] for k in keep}, "DEFAULT_LOCALE": "id"})
    limiter.enabled = False  # create_app switched the shared limiter back on
    # Commands run in the current application context: this bank's, not the test's.
    with bank.app_context():
        yield bank
        db.session.remove()
        db.engine.dispose()


class TestCommandLineInTheBanksLanguage:
    def test_import_summary(self, indonesian_bank, world, tmp_path):
        credit_products()
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        result = indonesian_bank.test_cli_runner().invoke(
            args=["import-positions", str(path), "--as-of", AS_OF]
        )
        assert result.exit_code == 0, result.output
        out = result.stderr
        assert f"Diimpor 3 baris untuk posisi {AS_OF} dalam" in out
        assert "nasabah baru 2, diperbarui 0; fasilitas baru 3, diperbarui 0, ditutup 0." in out
        assert "Sebaran Kol (Kol debitur): Kol 1: 1, Kol 2: 2" in out
        assert "Kol naik 0, Kol turun 0." in out
        assert "Mengimpor (membaca)" in out and "Mengimpor (memvalidasi)" in out
        assert "Format: csv, pemisah ',', encoding utf-8." in out
        assert "Angka: format biasa (1234567.89) (terdeteksi)." in out

    def test_import_errors(self, indonesian_bank, world, tmp_path):
        credit_products()
        path = write_listing(tmp_path, bad_rows(world.officer), name="bad.csv")
        result = indonesian_bank.test_cli_runner().invoke(
            args=["import-positions", str(path), "--as-of", AS_OF]
        )
        assert result.exit_code == 1
        out = result.stderr
        assert "baris 2, outstanding = '-5.00': Nominal tidak boleh negatif." in out
        assert "baris 4, kol = '7': Kolektibilitas harus 1 sampai 5." in out
        assert "Semua kesalahan: " in out and " di folder exports/imports." in out
        assert f"Error: {SUMMARY['id']}" in out

    def test_provisioning(self, indonesian_bank, world):
        runner = indonesian_bank.test_cli_runner()
        result = runner.invoke(args=["create-branch", "SBY01", "Surabaya Darmo"])
        assert result.exit_code == 0, result.output
        assert "Cabang SBY01 (Surabaya Darmo) dibuat." in result.stderr
        result = runner.invoke(args=["create-token", "nobody"])
        assert result.exit_code != 0 and "Tidak ada pengguna 'nobody'." in result.output

    def test_demo_summary_and_holidays(self, world):
        seeder = Seeder("unused-password")
        seeder.created["branches"] += 2
        seeder.present["prospects"] += 30
        with force_locale("id"):
            summary = seeder.summary()
            with pytest.raises(ValueError, match="Bukan tanggal di daftar hari libur, baris 2"):
                parse_holidays("2026-01-01\n2026-02-30")
        assert summary == (
            "  cabang: 2 dibuat, 0 sudah ada\n  calon nasabah: 0 dibuat, 30 sudah ada"
        )
        assert "  branches: 2 created, 0 already present" in seeder.summary()


def _audited_field_names() -> set[str]:
    """The label of every column of every model (what the audit history shows), and the extra
    keys some audits add."""
    names = {
        humanise(column.key)
        for mapper in db.Model.registry.mappers
        for column in mapper.column_attrs
        if column.key not in audit.SECRET_COLUMNS
        and not any(getattr(c, "computed", None) is not None for c in column.columns)
    }
    extra = ("supervises", "branches", "products", "import_id", "path", "size", "zip_of")
    return names | {humanise(key) for key in extra}


class TestAuditFieldNames:
    def test_every_audited_field_has_an_indonesian_label(self):
        catalogue = _read(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po", "id")
        missing = sorted(
            name
            for name in _audited_field_names()
            if catalogue.get(name) is None or not catalogue.get(name).string
        )
        assert missing == []

    def test_the_history_of_a_prospect_in_indonesian(self, client, auth, world):
        prospect = make_prospect(
            world.officer,
            email="budi@example.co.id",
            address="Jl. Merdeka 1",
            area="Menteng",
            business_type="Warung",
            referrer_name="Pak Ahmad",
            notes="Ramah",
            next_follow_up_date=date(2026, 12, 1),
        )
        audit.record(world.officer, prospect, "create", None, audit.snapshot(prospect))
        before = audit.snapshot(prospect)
        prospect.status, prospect.lost_reason, prospect.lost_note = "lost", "price", "Mahal"
        db.session.flush()
        audit.record(world.officer, prospect, "update", before, audit.snapshot(prospect))
        db.session.commit()
        auth.login("spv.jkt")
        speak_indonesian(auth)
        page = _html(client.get(f"/audit/prospect/{prospect.id}"))
        assert english_leftovers(page) == []
        for label in (
            "Tanggal tindak lanjut berikutnya",
            "Nama perujuk",
            "ID pemilik",
            "Dibuat pada",
            "Alasan gagal",
            "Catatan gagal",
        ):
            assert f"<td>{label}</td>" in page, label
        english = {humanise(column.key) for column in Prospect.__table__.columns}
        cells = set(re.findall(r"<tr><td>([^<]+)</td>", page))
        assert cells and not (cells & (english - {"Email", "Status"}))
