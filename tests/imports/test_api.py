"""Import API: POST /imports/positions (201, 422 with every row error or the file's problem,
403/401), GET /imports and /imports/{id}, and the multipart body in the OpenAPI document."""

import shutil
from pathlib import Path

import pytest

from aoapp.imports.models import PositionImport
from tests.support.listing_uploads import (
    AS_OF,
    bad_rows,
    count,
    credit_counts,
    credit_products,
    csv_bytes,
    good_rows,
    only_import,
    upload_field,
    write_listing,
)

URL = "/api/v1/imports/positions"


@pytest.fixture(autouse=True)
def _no_waiting_uploads(app):
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


@pytest.fixture
def admin_api(api, world):
    credit_products()
    return api(world.admin)


def post(client, path: Path, **fields):
    data = {"file": upload_field(path), "as_of": AS_OF, **fields}
    return client.post(URL, data=data, content_type="multipart/form-data")


def uploads_left(app) -> list:
    directory = Path(app.config["IMPORTS_UPLOAD_DIR"])
    return list(directory.iterdir()) if directory.exists() else []


class TestImport:
    def test_201_with_the_record(self, app, admin_api, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague), name="n.csv")
        response = post(admin_api, path, partial="true")
        assert response.status_code == 201, response.json
        body = response.json
        record = only_import()
        assert body["id"] == record.id
        assert {k: body[k] for k in ("status", "source", "user", "file_name", "as_of")} == {
            "status": "succeeded",
            "source": "api",
            "user": "admin",
            "file_name": "n.csv",
            "as_of": AS_OF,
        }
        assert (body["rows"], body["partial"], body["decimal"], body["date_format"]) == (
            3,
            True,
            "dot",
            "iso",
        )
        assert body["sha256"] == record.sha256 and len(body["sha256"]) == 64
        summary = body["summary"]
        assert (summary["customers_created"], summary["facilities_created"]) == (2, 3)
        assert summary["kol_distribution"] == {
            "1": {"count": 1, "outstanding": "150000000.00"},
            "2": {"count": 2, "outstanding": "445000000.00"},
        }
        assert "notes" not in summary
        assert body["notes"] == [
            "Format: csv, delimiter ',', encoding utf-8.",
            "Numbers: plain (1234567.89) (detected).",
            "Dates: ISO (2026-10-31) (detected).",
        ]
        assert credit_counts() == {"customers": 2, "facilities": 3, "positions": 3}
        assert uploads_left(app) == []

    def test_options_are_used(self, admin_api, world, tmp_path):
        code = world.officer.officer_code
        rows = [f"0016001;CIF401;Debtor;{code};KMK;1.500;1.250;0;0;0;;11;15/01/2024;15/01/2029"]
        header = (
            "no_rekening;cif;nama_nasabah;kode_ao;kode_produk;plafon;baki_debet;tunggakan_pokok;"
            "tunggakan_bunga;hari_tunggakan;kolektibilitas;suku_bunga;tgl_mulai;tgl_jatuh_tempo"
        )
        path = tmp_path / "id.csv"
        path.write_bytes(csv_bytes(rows, header=header))
        refused = post(admin_api, path)
        assert refused.status_code == 422
        assert "could be plain or Indonesian" in refused.json["message"]
        response = post(admin_api, path, decimal="comma", date_format="dmy")
        assert response.status_code == 201, response.json
        assert response.json["notes"][1:] == [
            "Numbers: Indonesian (1.234.567,89).",
            "Dates: dd/mm/yyyy (31/10/2026).",
        ]

    def test_422_with_every_row_error_and_nothing_changed(self, app, admin_api, world, tmp_path):
        response = post(admin_api, write_listing(tmp_path, bad_rows(world.officer)))
        assert response.status_code == 422
        body = response.json
        record = only_import()
        assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
        assert body["error"] == "import_rejected" and body["import"] == record.id
        assert body["message"] == "4 error(s) on 3 row(s): nothing was imported."
        assert body["errors"]["rows"] == [
            {
                "row": 2,
                "column": "outstanding",
                "value": "-5.00",
                "message": "Amounts cannot be negative.",
            },
            {
                "row": 3,
                "column": "dpd",
                "value": "abc",
                "message": "Not a whole number of days (0–99999).",
            },
            {"row": 4, "column": "kol", "value": "7", "message": "Collectibility must be 1 to 5."},
            {
                "row": 4,
                "column": "start_date",
                "value": "2024-02-30",
                "message": "2024-02-30 is not a day: February 2024 has 29 days.",
            },
        ]
        assert record.status == "rejected" and record.source == "api"
        assert credit_counts() == {"customers": 0, "facilities": 0, "positions": 0}
        assert uploads_left(app) == []

    def test_422_unknown_codes(self, admin_api, world, tmp_path):
        rows = good_rows(world.officer, world.colleague)
        rows[:2] = [row.replace(world.officer.officer_code, "ZZ99") for row in rows[:2]]
        rows[2] = rows[2].replace(",KMK,", ",GIRO,")
        response = post(admin_api, write_listing(tmp_path, rows))
        assert response.status_code == 422
        assert [(e["row"], e["column"], e["value"]) for e in response.json["errors"]["rows"]] == [
            (2, "officer_code", "ZZ99"),
            (3, "officer_code", "ZZ99"),
            (4, "product_code", "GIRO"),
        ]
        assert credit_counts()["facilities"] == 0

    def test_unknown_codes_reported_with_cell_errors(self, admin_api, world, tmp_path):
        rows = bad_rows(world.officer)
        rows[1] = rows[1].replace(world.officer.officer_code, "ZZ99")
        response = post(admin_api, write_listing(tmp_path, rows))
        assert response.status_code == 422
        assert [(e["row"], e["column"]) for e in response.json["errors"]["rows"]] == [
            (2, "outstanding"),
            (3, "officer_code"),
            (3, "dpd"),
            (4, "kol"),
            (4, "start_date"),
        ]

    def test_every_error_of_a_large_file(self, admin_api, world, tmp_path):
        code = world.officer.officer_code
        rows = [
            f"A{i:05d},C{i:05d},Debtor,{code},KMK,1.00,-1.00,0.00,0.00,0,,1,2024-01-01,2025-01-01"
            for i in range(300)
        ]
        response = post(admin_api, write_listing(tmp_path, rows))
        assert response.status_code == 422
        assert len(response.json["errors"]["rows"]) == 300

    def test_422_file_refusal(self, app, admin_api, world, tmp_path):
        path = tmp_path / "win.csv"
        path.write_bytes(csv_bytes(good_rows(world.officer, world.colleague), encoding="cp1252"))
        response = post(admin_api, path)
        assert response.status_code == 422
        message = response.json["message"]
        assert message.startswith("The file is not UTF-8 (byte 0xe9 on line 2).")
        assert response.json["errors"] == {"file": [message]}
        assert only_import().status == "rejected"
        assert post(admin_api, path, encoding="cp1252").status_code == 201
        assert uploads_left(app) == []

    @pytest.mark.parametrize(
        ("fields", "errors"),
        [
            ({"colour": "red"}, {"colour": ["Unknown field."]}),
            ({"as_of": ""}, {"as_of": ["The as-of date is required."]}),
            ({"as_of": "31/06/2024"}, {"as_of": ["Not a valid date (YYYY-MM-DD)."]}),
            ({"decimal": "roman"}, {"decimal": ["Must be one of: auto, dot, comma."]}),
            (
                {"encoding": "klingon"},
                {"encoding": ["Unknown encoding 'klingon' (e.g. cp1252, latin-1)."]},
            ),
        ],
    )
    def test_422_invalid_options(self, app, admin_api, world, tmp_path, fields, errors):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = post(admin_api, path, **fields)
        assert response.status_code == 422
        assert response.json["errors"] == errors
        assert count(PositionImport) == 0
        assert uploads_left(app) == []

    def test_422_without_file(self, admin_api):
        response = admin_api.post(URL, data={"as_of": AS_OF}, content_type="multipart/form-data")
        assert response.status_code == 422
        assert response.json["errors"] == {"file": ["This field is required."]}

    def test_422_without_as_of(self, app, admin_api, world, tmp_path):
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = admin_api.post(
            URL, data={"file": upload_field(path)}, content_type="multipart/form-data"
        )
        assert response.status_code == 422
        assert response.json["errors"] == {"as_of": ["The as-of date is required."]}
        assert uploads_left(app) == []

    def test_422_wrong_file_type(self, admin_api, tmp_path):
        path = tmp_path / "listing.json"
        path.write_text("{}")
        response = post(admin_api, path)
        assert response.status_code == 422
        assert response.json["errors"] == {
            "file": ["Unsupported file type .json: send a .csv or .xlsx listing."]
        }
        assert count(PositionImport) == 0

    def test_413_over_the_limit(self, app, admin_api, world, tmp_path, monkeypatch):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
        rows = good_rows(world.officer, world.colleague) * 10
        response = post(admin_api, write_listing(tmp_path, rows))
        assert response.status_code == 413
        assert response.json["message"] == (
            "The file is too large: uploads are limited to 1024 bytes."
        )


class TestAccess:
    @pytest.mark.parametrize("role", ["officer", "supervisor", "remote"])
    def test_403_for_non_admins(self, api, world, role, tmp_path):
        credit_products()
        client = api(getattr(world, role))
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = post(client, path)
        assert response.status_code == 403
        assert response.json["code"] == 403
        assert client.get("/api/v1/imports").status_code == 403
        assert client.get("/api/v1/imports/1").status_code == 403
        assert count(PositionImport) == 0
        assert credit_counts()["facilities"] == 0

    def test_401_without_token(self, app, world, tmp_path):
        client = app.test_client()
        path = write_listing(tmp_path, good_rows(world.officer, world.colleague))
        response = post(client, path)
        assert response.status_code == 401
        assert client.get("/api/v1/imports").status_code == 401
        assert count(PositionImport) == 0


class TestRead:
    def test_list_and_one(self, admin_api, world, tmp_path):
        post(admin_api, write_listing(tmp_path, bad_rows(world.officer)))
        post(admin_api, write_listing(tmp_path, good_rows(world.officer, world.colleague)))
        body = admin_api.get("/api/v1/imports").json
        assert {k: body[k] for k in ("page", "per_page", "total", "pages")} == {
            "page": 1,
            "per_page": 50,
            "total": 2,
            "pages": 1,
        }
        assert [item["status"] for item in body["items"]] == ["succeeded", "rejected"]
        rejected = body["items"][1]
        assert (rejected["error_count"], rejected["summary"]) == (4, {})
        only = admin_api.get("/api/v1/imports?status=rejected&per_page=1").json
        assert [i["id"] for i in only["items"]] == [rejected["id"]]
        one = admin_api.get(f"/api/v1/imports/{rejected['id']}")
        assert one.status_code == 200 and one.json == rejected
        assert admin_api.get("/api/v1/imports/999").status_code == 404
        assert admin_api.get("/api/v1/imports?colour=red").status_code == 422


def test_openapi_documents_the_multipart_body(app):
    spec = app.test_client().get("/api/openapi.json").json
    operation = spec["paths"][URL]["post"]
    assert "parameters" not in operation
    content = operation["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = spec["components"]["schemas"][ref]
    assert set(schema["properties"]) == {
        "file",
        "kind",
        "as_of",
        "partial",
        "decimal",
        "date_format",
        "encoding",
        "sheet",
    }
    assert schema["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "The listing, .csv or .xlsx",
    }
    assert set(schema["required"]) == {"file", "as_of"}
    assert set(operation["responses"]) >= {"201", "422"}
