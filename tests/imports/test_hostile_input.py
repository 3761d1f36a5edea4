"""Hostile listings are refused in plain words, never a 500 (issue 19, point 8): a control
character in a cell is a row error naming its row and column; a workbook declaring a DTD (billion
laughs, external entities) is refused before any parser reads it; a CIF or account number shaped
like a path is a row error whatever pattern the bank set; an unexpected database error is
recorded without SQL or the names of tables. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.extensions import db
from aoapp.imports.loans import loader as loader_module
from aoapp.imports.markup import prolog
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.records import errors_path
from tests.support import listings as L
from tests.support.crafted_xlsx import (
    BILLION_LAUGHS,
    BILLION_LAUGHS_USE,
    XXE,
    XXE_USE,
    crafted_xlsx,
)
from tests.support.i18n import speak_indonesian
from tests.support.listings import line

AS_OF = date(2024, 6, 30)
CONTROL = (
    "The cell holds a control character (U+{:04X}), which a listing may not contain: remove it."
)
CONTROL_ID = (
    "Sel berisi karakter kontrol (U+{:04X}), yang tidak boleh ada dalam daftar nominatif: hapus "
    "karakter itu."
)
NOT_A_SPREADSHEET = (
    "The file is not a valid spreadsheet: it declares a document type or entities (a DTD), which "
    "Excel workbooks never do. Open it in Excel and save it again as .xlsx, or send the listing as "
    "CSV."
)
CIF_SHAPE = (
    "CIF may hold only letters, digits, dots, dashes and underscores, and must start with a "
    "letter or digit."
)
ACCOUNT_SHAPE = (
    "Account number may hold only letters, digits, dots, dashes and underscores, and must start "
    "with a letter or digit."
)


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def importer(tmp_path, world):
    return L.Importer(tmp_path, world.admin)


def rejected(outcome) -> list[tuple]:
    assert outcome.record.status == ImportStatus.REJECTED, outcome.record.shown_message
    return [(e.row, e.column, e.value, e.message) for e in outcome.errors]


class TestControlCharacters:
    def test_a_nul_in_a_csv_cell_is_a_row_error_and_nothing_is_imported(self, importer, ao):
        before = L.counts()
        rows = [
            line("A1", "CIF1", ao),
            line("A2", "CIF2", ao, customer_name="Toko\x00Sari"),
            line("A3", "CIF3", ao + "\x1b", outstanding="400\x00000"),
        ]
        outcome = importer.csv(rows, AS_OF)
        assert rejected(outcome) == [
            (3, "customer_name", "Toko\\x00Sari", CONTROL.format(0)),
            # One error a cell: no "unknown officer code" nor "not a number" beside it.
            (4, "officer_code", f"{ao}\\x1b", CONTROL.format(0x1B)),
            (4, "outstanding", "400\\x00000", CONTROL.format(0)),
        ]
        assert outcome.record.shown_message == "3 error(s) on 2 row(s): nothing was imported."
        assert L.counts() == before
        report = errors_path(outcome.record).read_text(encoding="utf-8-sig")
        assert "\x00" not in report and "Toko\\x00Sari" in report

    def test_the_upload_preview_names_it_without_a_500(self, client, auth, ao, tmp_path):
        path = L.write_csv(tmp_path / "nul.csv", [line("A1", "CIF1", ao, customer_name="T\x00")])
        auth.login("admin")
        data = {"file": (io.BytesIO(path.read_bytes()), "nul.csv"), "as_of": "2024-06-30"}
        data |= {"decimal": "auto", "date_format": "auto"}
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 302
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        assert CONTROL.format(0) in page.get_data(as_text=True)

    def test_excels_escaped_control_characters_in_a_workbook(self, importer, ao, tmp_path):
        rows = [line("A1", "CIF1", ao), line("A2", "CIF2", ao)]
        raw = {(0, "customer_name"): "Toko_x0000_Sari", (1, "account_no"): "A_x0007_2"}
        outcome = importer.run(crafted_xlsx(tmp_path / "nul.xlsx", rows, raw=raw), AS_OF)
        assert rejected(outcome) == [
            (2, "customer_name", "Toko\\x00Sari", CONTROL.format(0)),
            (3, "account_no", "A\\x072", CONTROL.format(7)),
        ]

    def test_the_row_error_is_in_the_uploaders_language(self, importer, ao, world):
        db.session.get(User, world.admin.id).locale = "id"
        db.session.commit()
        outcome = importer.csv([line("A1", "CIF1", ao, customer_name="Toko\x00")], AS_OF)
        assert [e.message for e in outcome.errors] == [CONTROL_ID.format(0)]

    def test_tabs_and_line_breaks_stay_allowed(self, importer, ao, tmp_path):
        rows = [line("A1", "CIF1", ao)]
        raw = {(0, "customer_name"): "Toko Sari\nCabang Pasar"}
        outcome = importer.run(crafted_xlsx(tmp_path / "wrapped.xlsx", rows, raw=raw), AS_OF)
        assert outcome.ok, outcome.errors
        assert L.customer("CIF1").name == "Toko Sari\nCabang Pasar"


DECLARATIONS = {
    "billion laughs in the sheet": ({"sheet": BILLION_LAUGHS}, {"inline": BILLION_LAUGHS_USE}),
    "billion laughs in the shared strings": (
        {"strings": BILLION_LAUGHS},
        {"raw": BILLION_LAUGHS_USE},
    ),
    "external entity in the shared strings": ({"strings": XXE}, {"raw": XXE_USE}),
    "external entity in the workbook": ({"workbook": XXE}, {"sheet_name": XXE_USE}),
    "a bare DTD in the sheet": ({"sheet": "<!DOCTYPE worksheet>"}, {}),
}


def _hostile(path, case: str, ao: str):
    dtd, use = DECLARATIONS[case]
    options = {"dtd": dtd}
    if "inline" in use or "raw" in use:
        key = "inline" if "inline" in use else "raw"
        options[key] = {(0, "customer_name"): use[key]}
    if "sheet_name" in use:
        options["sheet_name"] = use["sheet_name"]
    return crafted_xlsx(path, [line("A1", "CIF1", ao)], **options)


class TestDocumentTypeDeclarations:
    @pytest.mark.parametrize("case", list(DECLARATIONS))
    def test_the_import_refuses_it_in_plain_words(self, importer, ao, tmp_path, case):
        outcome = importer.run(_hostile(tmp_path / "hostile.xlsx", case, ao), AS_OF)
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message == NOT_A_SPREADSHEET
        assert L.counts()["customers"] == 0

    def test_the_upload_page_refuses_it_without_a_500(self, client, auth, world, ao, tmp_path):
        path = _hostile(tmp_path / "hostile.xlsx", "billion laughs in the sheet", ao)
        auth.login("admin")
        data = {"file": (io.BytesIO(path.read_bytes()), "listing.xlsx"), "as_of": "2024-06-30"}
        data |= {"decimal": "auto", "date_format": "auto"}
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 422
        assert NOT_A_SPREADSHEET in response.get_data(as_text=True)
        speak_indonesian(auth)
        data["file"] = (io.BytesIO(path.read_bytes()), "listing.xlsx")
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert "Berkas ini bukan spreadsheet yang sah" in response.get_data(as_text=True)

    def test_a_malformed_character_reference_is_refused_not_a_500(self, importer, ao, tmp_path):
        inline = {(0, "customer_name"): "Toko&#0;Sari"}  # not even XML: the reader says so
        path = crafted_xlsx(tmp_path / "ref.xlsx", [line("A1", "CIF1", ao)], inline=inline)
        outcome = importer.run(path, AS_OF)
        assert outcome.record.status == ImportStatus.REJECTED
        message = outcome.record.shown_message
        assert message.startswith("The XLSX file cannot be read:")
        assert str(tmp_path) not in message  # the server's path of the file stays internal

    @pytest.mark.parametrize(
        ("text", "verdict"),
        [
            ('<?xml version="1.0"?>\n<!-- a comment --><worksheet/>', "clean"),
            ('\ufeff<?xml version="1.0"?><!DOCTYPE x><x/>', "declared"),
            ('<?xml version="1.0"?>\n  <!-- <!DOCTYPE hidden> --><x/>', "clean"),
            ("<?xml version=", "more"),
            ("PK binary part", "clean"),
        ],
    )
    def test_only_the_prolog_is_read(self, text, verdict):
        assert prolog(text, final=verdict != "more") == verdict


class TestPathLikeNumbers:
    @pytest.mark.parametrize("pattern", [r"^.+$", r"^[A-Za-z0-9./\\-]+$"])
    def test_refused_whatever_pattern_the_bank_set(self, app, importer, ao, pattern):
        app.config["CIF_PATTERN"] = app.config["ACCOUNT_PATTERN"] = pattern
        rows = [
            line("A1", "..", ao),
            line("A2", "../TRV002", ao),
            line("A3", "TRV/../../003", ao),
            line("../A4", "TRV004", ao),
            line(".A5", "TRV005", ao),
            line("A6", "TRV\\006", ao),
        ]
        assert rejected(importer.csv(rows, AS_OF)) == [
            (2, "cif", "..", CIF_SHAPE),
            (3, "cif", "../TRV002", CIF_SHAPE),
            (4, "cif", "TRV/../../003", CIF_SHAPE),
            (5, "account_no", "../A4", ACCOUNT_SHAPE),
            (6, "account_no", ".A5", ACCOUNT_SHAPE),
            (7, "cif", "TRV\\006", CIF_SHAPE),
        ]
        assert L.counts()["customers"] == 0

    def test_plain_identifiers_still_load_under_a_permissive_pattern(self, app, importer, ao):
        app.config["CIF_PATTERN"] = app.config["ACCOUNT_PATTERN"] = r"^.+$"
        outcome = importer.csv([line("0012.001", "TRV_002", ao)], AS_OF)
        assert outcome.ok, outcome.errors
        assert L.customer("TRV_002") is not None


class TestUnexpectedErrors:
    def test_a_database_error_is_recorded_without_sql_or_table_names(
        self, importer, ao, monkeypatch, client, auth
    ):
        def broken(self):
            statement = "INSERT INTO positions SELECT * FROM listing_staging"
            raise sa.exc.IntegrityError(statement, {}, Exception('relation "listing_staging"'))

        monkeypatch.setattr(loader_module.Loader, "_positions", broken)
        outcome = importer.csv([line("A1", "CIF1", ao)], AS_OF)
        record = db.session.get(PositionImport, outcome.record.id)
        assert record.status == ImportStatus.FAILED
        message = record.shown_message
        assert message == (
            "The import failed on an unexpected error and changed nothing. Its details are in the "
            f"server log (import {record.id}): import the file again, or ask the administrator."
        )
        auth.login("admin")
        page = client.get(f"/imports/{record.id}").get_data(as_text=True)
        for internal in ("INSERT", "SELECT", "listing_staging", "IntegrityError"):
            assert internal not in message and internal not in page
