"""A listing kind is a small spec: the reader, parser, conventions, row errors, records, hooks,
CLI, API and upload pages are the same for every kind.

A toy kind ("meter readings": a code, an amount, a date) is registered for these tests and goes
through the same paths as the loan listing; the loan listing keeps working as the default kind.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pyarrow.compute as pc
import pytest
from openpyxl import Workbook

from aoapp.extensions import db
from aoapp.imports import kinds
from aoapp.imports.columns import Column
from aoapp.imports.kinds import ListingKind
from aoapp.imports.models import PositionImport
from aoapp.imports.rows import RowError, flag_duplicates
from aoapp.imports.services import run_import
from tests.support import listings as L
from tests.support.i18n import speak_indonesian
from tests.support.listing_uploads import upload_field

AS_OF = date(2024, 6, 30)


class Meter:
    """The toy kind and what its load received."""

    def __init__(self):
        self.loaded: list[dict] = []
        self.kind = ListingKind(
            key="meter",
            label="Meter readings",
            columns=(
                Column("code", "kode", "text", max_length=8),
                Column("reading", "nilai", "money"),
                Column("taken_on", "tanggal", "date"),
                Column("note", "catatan", "text", required=False),
            ),
            check=self.check,
            resolve=self.resolve,
            load=self.load,
            describe=lambda record: [f"Loaded {record.summary['meters']} meter readings."],
        )

    @staticmethod
    def check(collector, table, typed):
        flag_duplicates(collector, table, "code", "This code appears more than once.")

    @staticmethod
    def resolve(table, typed):
        codes = table.column("code")
        unknown = pc.indices_nonzero(pc.starts_with(codes, "X")).to_pylist()
        errors = [RowError(i + 2, "code", codes[i].as_py(), "Unknown meter.") for i in unknown]
        return (None if errors or typed is None else typed), errors

    def load(self, connection, table, context):
        assert connection.execute(db.text("SELECT 1")).scalar() == 1  # the import's transaction
        context.progress("loading", 50)
        self.loaded = table.to_pylist()
        return {"counts": {"meters": table.num_rows}, "timings": {"meters": 0.0}}


@pytest.fixture
def meter(monkeypatch):
    toy = Meter()
    monkeypatch.setitem(kinds._KINDS, "meter", toy.kind)
    return toy


def write(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = ["kode;nilai;tanggal", "M-1;1.234.567,50;31/05/2024", "M-2;10,00;30/06/2024"]


class TestTheGenericImport:
    def test_a_kind_brings_its_columns_and_load_the_rest_is_shared(self, app, meter, tmp_path):
        outcome = run_import(write(tmp_path / "m.csv", GOOD), AS_OF, kind="meter")
        assert outcome.ok, outcome.record.shown_message
        assert [(r["code"], r["reading"], r["taken_on"]) for r in meter.loaded] == [
            ("M-1", "1234567.50", date(2024, 5, 31)),
            ("M-2", "10.00", date(2024, 6, 30)),
        ]
        assert [Decimal(r["reading"]) for r in meter.loaded] == [Decimal("1234567.50"), 10]
        record = db.session.get(PositionImport, outcome.record.id)
        assert (record.kind, record.rows, record.decimal, record.date_format) == (
            "meter",
            2,
            "comma",
            "dmy",
        )
        assert record.summary["meters"] == 2
        assert "Format: csv, delimiter ';', encoding utf-8." in outcome.notes

    def test_xlsx_reads_the_same_for_any_kind(self, app, meter, tmp_path):
        book = Workbook()
        sheet = book.active
        for row in [["code", "reading", "taken_on", "note"], ["M-1", 12.5, date(2024, 5, 31), "x"]]:
            sheet.append(row)
        book.save(tmp_path / "m.xlsx")
        outcome = run_import(tmp_path / "m.xlsx", AS_OF, kind="meter")
        assert outcome.ok, outcome.record.shown_message
        assert meter.loaded == [
            {"code": "M-1", "reading": "12.5", "taken_on": date(2024, 5, 31), "note": "x"}
        ]

    def test_every_row_error_refuses_the_whole_file_in_the_kinds_column_order(
        self, app, meter, tmp_path
    ):
        lines = [
            "code,reading,taken_on",
            "M-1,abc,2024-05-31",
            "M-1,5,2024-02-30",
            "X-9,5,2024-05-31",
            "TOO-LONG-CODE,5,2024-05-31",
        ]
        outcome = run_import(write(tmp_path / "m.csv", lines), AS_OF, kind="meter")
        assert outcome.record.status == "rejected" and meter.loaded == []
        found = [(e.row, e.column) for e in outcome.errors]
        assert found == [
            (2, "code"),
            (2, "reading"),
            (3, "code"),
            (3, "taken_on"),
            (4, "code"),
            (5, "code"),
        ]
        assert outcome.errors[-2].message == "Unknown meter."
        assert outcome.record.errors_file  # the row-error report, as for loans

    def test_headers_are_the_kinds(self, app, meter, tmp_path):
        outcome = run_import(
            write(tmp_path / "m.csv", ["code,taken_on", "M-1,2024-05-31"]), AS_OF, kind="meter"
        )
        assert outcome.record.status == "rejected"
        assert outcome.record.shown_message == "Missing required columns: reading."

    def test_an_unknown_kind_is_refused_before_anything_is_recorded(self, app, tmp_path):
        with pytest.raises(kinds.UnknownKind):
            run_import(write(tmp_path / "m.csv", GOOD), AS_OF, kind="deposito")
        assert db.session.query(PositionImport).count() == 0


class TestAfterImport:
    def test_hooks_run_for_their_kind_only(self, app, meter, monkeypatch, tmp_path, world):
        seen = []
        monkeypatch.setitem(kinds._AFTER, "meter", [])
        kinds.after_import("meter", "seen", "Seen failed: %(reason)s")(
            lambda record: seen.append(record.kind) or {"count": record.rows}
        )
        outcome = run_import(write(tmp_path / "m.csv", GOOD), AS_OF, kind="meter")
        assert seen == ["meter"] and outcome.record.summary["seen"] == {"count": 2}
        L.catalogue()
        loans = L.write_csv(tmp_path / "l.csv", [L.line("A", "CIF1", world.officer.officer_code)])
        assert run_import(loans, AS_OF).ok
        assert seen == ["meter"]

    def test_a_failing_hook_leaves_the_import_succeeded_with_a_note(
        self, app, meter, monkeypatch, tmp_path
    ):
        def broken(record):
            raise RuntimeError("mail server down")

        monkeypatch.setitem(kinds._AFTER, "meter", [])
        kinds.after_import("meter", "seen", "Seen failed: %(reason)s")(broken)
        outcome = run_import(write(tmp_path / "m.csv", GOOD), AS_OF, kind="meter")
        record = db.session.get(PositionImport, outcome.record.id)
        assert record.status == "succeeded" and "seen" not in record.summary
        # The error itself (it may quote SQL) is in the log only.
        logged = "an unexpected error, whose details are in the server log"
        assert record.shown_notes[-1] == f"Seen failed: {logged}"


class TestCommandLine:
    def test_import_listing_takes_a_kind(self, app, meter, runner, tmp_path):
        path = write(tmp_path / "m.csv", GOOD)
        result = runner.invoke(
            args=["import-listing", "--kind", "meter", str(path), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 0, result.output
        assert "Loaded 2 meter readings." in result.stderr
        assert db.session.query(PositionImport.kind).scalar() == "meter"

    def test_the_default_kind_is_the_loan_listing(self, app, runner, tmp_path, world):
        L.catalogue()
        path = L.write_csv(tmp_path / "l.csv", [L.line("A", "CIF1", world.officer.officer_code)])
        result = runner.invoke(args=["import-listing", str(path), "--as-of", "2024-06-30"])
        assert result.exit_code == 0, result.output
        assert "Imported 1 rows for 2024-06-30" in result.stderr
        assert db.session.query(PositionImport.kind).scalar() == "loans"

    def test_an_unknown_kind_names_the_known_ones(self, app, runner, tmp_path):
        path = write(tmp_path / "m.csv", GOOD)
        result = runner.invoke(
            args=["import-listing", "--kind", "deposito", str(path), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 2
        assert "unknown kind 'deposito': use loans, deposits" in result.output
        assert db.session.query(PositionImport).count() == 0


class TestApi:
    URL = "/api/v1/imports/positions"

    def test_the_kind_is_an_option_and_in_the_record(self, app, api, meter, world, tmp_path):
        client = api(world.admin)
        data = {"file": upload_field(write(tmp_path / "m.csv", GOOD)), "as_of": "2024-06-30"}
        response = client.post(
            self.URL, data={**data, "kind": "meter"}, content_type="multipart/form-data"
        )
        assert response.status_code == 201, response.json
        assert response.json["kind"] == "meter"
        assert client.get(f"/api/v1/imports/{response.json['id']}").json["kind"] == "meter"

    def test_an_unknown_kind_is_a_field_error(self, app, api, world, tmp_path):
        client = api(world.admin)
        data = {"file": upload_field(write(tmp_path / "m.csv", GOOD)), "as_of": "2024-06-30"}
        response = client.post(
            self.URL, data={**data, "kind": "deposito"}, content_type="multipart/form-data"
        )
        assert response.status_code == 422
        assert response.json["errors"]["kind"] == [
            "Unknown listing kind 'deposito': use loans, deposits."
        ]


class TestUploadPage:
    def test_the_page_offers_every_kind_and_the_preview_reads_the_chosen_one(
        self, app, client, auth, meter, world, tmp_path
    ):
        auth.login("admin")
        page = client.get("/imports/new").get_data(as_text=True)
        assert re.search(r'<option (selected )?value="loans">Loan listing</option>', page)
        assert '<option value="meter">Meter readings</option>' in page
        data = {
            "file": upload_field(write(tmp_path / "m.csv", GOOD)),
            "kind": "meter",
            "as_of": "2024-06-30",
            "decimal": "auto",
            "date_format": "auto",
        }
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)
        preview = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<th>kode</th><th>nilai</th><th>tanggal</th></tr>" in preview  # as the file has them
        assert '<dd class="col-sm-9">Meter readings</dd>' in preview
        token = re.search(r'name="token"[^>]*value="([^"]+)"', preview).group(1)
        response = auth.post("/imports/confirm", {"token": token})
        detail = client.get(response.headers["Location"]).get_data(as_text=True)
        assert '<dd class="col-sm-8">Meter readings</dd>' in detail
        assert db.session.query(PositionImport.kind).scalar() == "meter"
        assert [r["code"] for r in meter.loaded] == ["M-1", "M-2"]

    def test_an_unknown_kind_is_refused_on_the_form_in_indonesian(
        self, app, client, auth, world, tmp_path
    ):
        auth.login("admin")
        speak_indonesian(auth)
        page = client.get("/imports/new").get_data(as_text=True)
        assert "Jenis daftar nominatif" in page and ">Daftar nominatif kredit</option>" in page
        data = {
            "file": (io.BytesIO("\n".join(GOOD).encode()), "m.csv"),
            "kind": "deposito",
            "as_of": "2024-06-30",
        }
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert (
            "Jenis daftar nominatif &#39;deposito&#39; tidak dikenal: gunakan loans, deposits."
            in body
        )
        assert db.session.query(PositionImport).count() == 0
