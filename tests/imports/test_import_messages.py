"""Import messages that say what is wrong: a day that does not exist, columns named as the file's
header (page, error CSV, API, command line), row errors shown at preview time, a missing as-of
date, and the conventions of an import in words."""

import csv
import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from aoapp.imports import parsing, uploads
from aoapp.imports.error_files import errors_dir
from aoapp.imports.files import canonical
from aoapp.imports.loans import LOANS
from aoapp.imports.parsing import RowError, parse_listing
from aoapp.imports.services import run_import
from tests.support import listings as L
from tests.support.listing_uploads import AS_OF, credit_counts, only_import, upload_field
from tests.support.listings import line

D2 = date(2024, 6, 30)
NOT_ISO = "Not a date in this file's format, ISO (2026-10-31)."
NOT_DMY = "Not a date in this file's format, dd/mm/yyyy (31/10/2026)."
TOKEN_IN_URL = re.compile(r"/imports/preview/([0-9a-f]{32})$")


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def importer(tmp_path, world):
    return L.Importer(tmp_path, world.admin)


@pytest.fixture(autouse=True)
def _no_waiting_uploads(app):
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _upload(auth, path: Path, **options):
    data = {"file": upload_field(path), "as_of": AS_OF, "decimal": "auto", "date_format": "auto"}
    data.update(options)
    return auth.post("/imports/new", data, content_type="multipart/form-data")


def _token(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return TOKEN_IN_URL.search(response.headers["Location"]).group(1)


class TestDaysThatDoNotExist:
    @pytest.mark.parametrize(
        ("date_format", "value", "message"),
        [
            ("dmy", "31/11/2027", "31/11/2027 is not a day: November 2027 has 30 days."),
            ("iso", "2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days."),
            ("iso", "2031-02-29", "2031-02-29 is not a day: February 2031 has 28 days."),
            ("iso", "2100-02-29", "2100-02-29 is not a day: February 2100 has 28 days."),
            ("dmy", "32/1/2030", "32/1/2030 is not a day: January 2030 has 31 days."),
            ("iso", "2030-04-31", "2030-04-31 is not a day: April 2030 has 30 days."),
            ("iso", "2030-13-01", "2030-13-01 is not a day: there is no month 13."),
            ("dmy", "15/00/2030", "15/00/2030 is not a day: there is no month 0."),
            ("iso", "2030-10-00", "2030-10-00 is not a day: there is no day 0."),
            ("iso", "0000-01-01", "0000-01-01 is not a day: there is no year 0."),
        ],
    )
    def test_a_date_in_the_format_that_is_no_day_says_why(
        self, ao, importer, date_format, value, message
    ):
        rows = [line("A", "CIF1", ao, maturity_date=value)]
        outcome = importer.csv(
            rows, D2, write={"date_format": date_format}, date_format=date_format
        )
        assert outcome.errors == [RowError(2, "maturity_date", value, message)]
        assert outcome.record.status == "rejected"

    @pytest.mark.parametrize(
        ("date_format", "value"),
        [("iso", "2024-02-29"), ("iso", "2000-02-29"), ("dmy", "29/2/2024"), ("iso", "0001-01-01")],
    )
    def test_days_that_exist_pass(self, ao, importer, date_format, value):
        rows = [line("A", "CIF1", ao, start_date=value)]
        outcome = importer.csv(
            rows, D2, write={"date_format": date_format}, date_format=date_format
        )
        assert outcome.ok, outcome.errors

    @pytest.mark.parametrize(
        ("date_format", "value", "message"),
        [
            ("iso", "2030-1-5", NOT_ISO),
            ("iso", "31/11/2027", NOT_ISO),
            ("iso", "next week", NOT_ISO),
            ("dmy", "2024-02-30", NOT_DMY),
            ("dmy", "31.11.2027", NOT_DMY),
        ],
    )
    def test_text_not_in_the_format_keeps_the_format_message(
        self, ao, importer, date_format, value, message
    ):
        rows = [line("A", "CIF1", ao, maturity_date=value)]
        outcome = importer.csv(
            rows, D2, write={"date_format": date_format}, date_format=date_format
        )
        assert outcome.errors == [RowError(2, "maturity_date", value, message)]

    def test_messages_are_made_for_the_distinct_bad_values_only(self, monkeypatch):
        """A large listing is checked column-wise; only its few bad values are explained."""
        made = []

        def counting(text, date_format):
            made.append(text)
            return original(text, date_format)

        original = parsing.not_a_day
        monkeypatch.setattr(parsing, "not_a_day", counting)
        rows = 50_000
        dates = ["2024-01-15"] * rows
        bad = {10: "2024-02-30", 20_000: "2024-02-30", 49_999: "2023-02-29"}
        for index, value in bad.items():
            dates[index] = value
        table = _table({"start_date": dates, "maturity_date": ["2029-01-15"] * rows}, rows)
        parsed = parse_listing(table, LOANS, decimal="dot", date_format="iso")
        assert sorted(made) == ["2023-02-29", "2024-02-30"]
        assert [(e.row, e.value) for e in parsed.errors] == [
            (index + 2, value) for index, value in bad.items()
        ]
        assert parsed.errors[0].message == "2024-02-30 is not a day: February 2024 has 29 days."


def _table(columns: dict[str, list[str]], rows: int) -> pa.Table:
    """A listing table as the readers make it: good loan rows, `columns` replaced."""
    good = line("A", "CIF1", "AO1")
    cells = {c.name: [L.cell(c.name, good[c.name])] * rows for c in LOANS.columns}
    cells["account_no"] = [f"A{i}" for i in range(rows)]
    cells.update(columns)
    return canonical(LOANS, {k: pa.array(v, pa.string()) for k, v in cells.items()}, rows)


# The file's own headers: Indonesian aliases in any case, one padded, in another order than the
# listing's; errors still come by row, then in the listing's column order.
HEADERS = [
    " Tgl_Jatuh_Tempo ",
    "no_rekening",
    "CIF",
    "nama_nasabah",
    "kode_ao",
    "kode_produk",
    "plafon",
    "Baki_Debet",
    "tunggakan_pokok",
    "tunggakan_bunga",
    "hari_tunggakan",
    "suku_bunga",
    "tgl_mulai",
]
EXPECTED = [
    (2, "Baki_Debet", "-5", "Amounts cannot be negative."),
    (2, "Tgl_Jatuh_Tempo", "2027-11-31", "2027-11-31 is not a day: November 2027 has 30 days."),
    (3, "kode_ao", "NOBODY", "Unknown officer code: no officer has it."),
    (3, "Tgl_Jatuh_Tempo", "2020-01-01", "Maturity date is before the start date."),
]


def _own_headers_file(path: Path, ao: str) -> Path:
    rows = [
        ["2027-11-31", "A1", "CIF1", "Debtor", ao, "KMK", "100", "-5", "0", "0", "0", "11", ""],
        [
            "2020-01-01",
            "A2",
            "CIF2",
            "Debtor",
            "NOBODY",
            "KMK",
            "100",
            "50",
            "0",
            "0",
            "0",
            "11",
            "",
        ],
        ["2029-01-01", "A3", "CIF3", "Debtor", ao, "KMK", "100", "50", "0", "0", "0", "11", ""],
    ]
    for row in rows:
        row[-1] = "2024-01-15"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


class TestColumnsAsTheFileNamesThem:
    def test_the_outcome_and_the_error_file(self, ao, importer, tmp_path):
        outcome = importer.run(_own_headers_file(tmp_path / "own.csv", ao), D2)
        assert [(e.row, e.column, e.value, e.message) for e in outcome.errors] == EXPECTED
        with open(errors_dir() / outcome.record.errors_file, encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
        assert [line[:2] for line in lines[1:]] == [[str(r), c] for r, c, _v, _m in EXPECTED]

    def test_the_web_page_and_its_csv(self, client, auth, ao, world, tmp_path):
        auth.login("admin")
        token = _token(_upload(auth, _own_headers_file(tmp_path / "own.csv", ao)))
        response = auth.post("/imports/confirm", {"token": token})
        record = only_import()
        page = _page(client.get(response.headers["Location"]))
        table = page.split('id="row-errors"')[1]
        cells = re.findall(r"<tr><td class=\"text-end\">(\d+)</td><td>([^<]*)</td>", table)
        assert cells == [(str(r), c) for r, c, _v, _m in EXPECTED]
        download = client.get(f"/imports/{record.id}/errors.csv").get_data().decode("utf-8-sig")
        assert [line[:2] for line in list(csv.reader(download.splitlines()))[1:]] == [
            [str(r), c] for r, c, _v, _m in EXPECTED
        ]

    def test_the_api(self, api, ao, world, tmp_path):
        path = _own_headers_file(tmp_path / "own.csv", ao)
        response = api(world.admin).post(
            "/api/v1/imports/positions",
            data={"file": upload_field(path), "as_of": AS_OF},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert [
            (e["row"], e["column"], e["value"], e["message"])
            for e in response.json["errors"]["rows"]
        ] == EXPECTED

    def test_the_command_line(self, runner, ao, tmp_path):
        path = _own_headers_file(tmp_path / "own.csv", ao)
        result = runner.invoke(args=["import-positions", str(path), "--as-of", AS_OF])
        assert result.exit_code == 1
        assert "row 2, Baki_Debet = '-5': Amounts cannot be negative." in result.stderr
        assert (
            "row 3, Tgl_Jatuh_Tempo = '2020-01-01': Maturity date is before the start date."
            in result.stderr
        )

    def test_an_xlsx_listing(self, ao, importer):
        rows = [line("A", "CIF1", ao, dpd="-3", maturity_date="2027-11-31")]
        outcome = importer.xlsx(rows, D2, write={"headers": {**L.INDONESIAN, "dpd": "DPD "}})
        assert [(e.row, e.column) for e in outcome.errors] == [
            (2, "DPD"),
            (2, "tgl_jatuh_tempo"),
        ]

    def test_canonical_headers_stay_canonical(self, ao, importer):
        outcome = importer.csv([line("A", "CIF1", ao, dpd="-3")], D2)
        assert [(e.row, e.column) for e in outcome.errors] == [(2, "dpd")]


class TestPreviewFlagsBadRows:
    def test_the_errors_are_shown_and_confirming_is_not_offered(
        self, app, client, auth, ao, world, tmp_path
    ):
        auth.login("admin")
        token = _token(_upload(auth, _own_headers_file(tmp_path / "own.csv", ao)))
        page = _page(client.get(f"/imports/preview/{token}"))
        assert (
            "4 error(s) on 2 row(s): confirming would refuse the whole file and import nothing."
            in page
        )
        assert "Correct the file and upload it again." in page
        table = page.split('id="preview-errors"')[1].split("</table>")[0]
        cells = re.findall(
            r"<tr><td class=\"text-end\">(\d+)</td><td>([^<]*)</td><td><code>([^<]*)</code></td>"
            r"<td>([^<]*)</td></tr>",
            table,
        )
        assert cells == [(str(r), c, v, m) for r, c, v, m in EXPECTED]
        assert "Confirm and import" not in page
        assert 'action="/imports/confirm"' not in page
        assert "Upload a corrected file" in page
        assert credit_counts()["facilities"] == 0
        # "Upload a corrected file" forgets this upload and opens the upload form.
        response = auth.post("/imports/discard", {"token": token})
        assert response.headers["Location"].endswith("/imports/new")
        assert client.get(f"/imports/preview/{token}").status_code == 404

    def test_a_clean_listing_can_be_confirmed(self, client, auth, ao, tmp_path):
        auth.login("admin")
        path = L.write_csv(tmp_path / "good.csv", [line("A", "CIF1", ao)])
        page = _page(client.get(f"/imports/preview/{_token(_upload(auth, path))}"))
        assert "Confirm and import" in page
        assert 'id="preview-errors"' not in page
        assert "Every row was checked and none has an error." in page

    def test_unknown_codes_are_flagged_at_preview(self, client, auth, ao, tmp_path):
        auth.login("admin")
        rows = [line("A", "CIF1", "ZZ99"), line("B", "CIF2", ao, product_code="TAB")]
        path = L.write_csv(tmp_path / "codes.csv", rows)
        page = _page(client.get(f"/imports/preview/{_token(_upload(auth, path))}"))
        assert "Unknown officer code: no officer has it." in page
        assert "Not a credit product." in page
        assert "Confirm and import" not in page

    def test_the_stored_preview_keeps_a_bounded_number_of_errors(
        self, app, client, auth, ao, tmp_path
    ):
        auth.login("admin")
        rows = [line(f"A{i}", f"CIF{i}", ao, outstanding="-1") for i in range(250)]
        token = _token(_upload(auth, L.write_csv(tmp_path / "many.csv", rows)))
        sidecar = Path(app.config["IMPORTS_UPLOAD_DIR"]) / f"{token}.json"
        stored = json.loads(sidecar.read_text(encoding="utf-8"))["preview"]
        assert (stored["error_count"], stored["error_rows"]) == (250, 250)
        assert len(stored["errors"]) == uploads.PREVIEW_ERRORS
        assert stored["errors"][0] == {
            "row": 2,
            "column": "outstanding",
            "value": "-1",
            "message": "Amounts cannot be negative.",
        }
        page = _page(client.get(f"/imports/preview/{token}"))
        assert f"The first {uploads.PREVIEW_ERRORS} of 250 errors." in page
        assert page.split('id="preview-errors"')[1].count("<tr><td") == uploads.PREVIEW_ERRORS


class TestAsOfRequired:
    @pytest.mark.parametrize("as_of", [None, "", "  "])
    def test_the_upload_form(self, app, auth, ao, tmp_path, as_of):
        auth.login("admin")
        data = {"file": upload_field(L.write_csv(tmp_path / "l.csv", [line("A", "C", ao)]))}
        if as_of is not None:
            data["as_of"] = as_of
        response = auth.post("/imports/new", data, content_type="multipart/form-data")
        page = _page(response)
        assert response.status_code == 422
        assert "The as-of date is required." in page
        assert "Not a valid date" not in page

    @pytest.mark.parametrize("as_of", [None, ""])
    def test_the_api(self, api, world, ao, tmp_path, as_of):
        data = {"file": upload_field(L.write_csv(tmp_path / "l.csv", [line("A", "C", ao)]))}
        if as_of is not None:
            data["as_of"] = as_of
        response = api(world.admin).post(
            "/api/v1/imports/positions", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 422
        assert response.json["errors"] == {"as_of": ["The as-of date is required."]}


class TestConventionsInWords:
    def test_the_record_page_names_the_conventions(self, client, auth, ao, tmp_path):
        auth.login("admin")
        path = L.write_csv(
            tmp_path / "id.csv",
            [line("A", "CIF1", ao)],
            delimiter=";",
            decimal="comma",
            date_format="dmy",
            encoding="cp1252",
        )
        token = _token(_upload(auth, path, encoding="cp1252"))
        response = auth.post("/imports/confirm", {"token": token})
        record = only_import()
        assert (record.status, record.decimal, record.date_format) == ("succeeded", "comma", "dmy")
        page = _page(client.get(response.headers["Location"]))
        conventions = page.split('id="conventions"')[1].split("</ul>")[0]
        assert re.findall(r"<li>([^<]*)</li>", conventions) == [
            "Numbers: Indonesian (1.234.567,89).",
            "Dates: dd/mm/yyyy (31/10/2026).",
            "Encoding: cp1252.",
        ]
        assert ">comma<" not in page and "dmy" not in page

    def test_a_record_refused_before_its_conventions_were_known(
        self, client, auth, world, tmp_path
    ):
        auth.login("admin")
        path = tmp_path / "short.csv"
        path.write_text("account_no,cif\n1,2\n", encoding="utf-8")
        outcome = run_import(path, D2)
        page = _page(client.get(f"/imports/{outcome.record.id}"))
        assert 'id="conventions"' not in page
        assert "detect" not in page
