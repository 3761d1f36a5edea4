"""The deposits listing through every entrance the loan listing has: the command line, the upload
page (kind select, preview, confirm, the import's page and the list), and the API."""

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.i18n import speak_indonesian
from tests.support.listing_uploads import upload_field

AS_OF = date(2024, 6, 30)
URL = "/api/v1/imports/positions"


@pytest.fixture(autouse=True)
def _no_waiting_uploads(app):
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


@pytest.fixture
def rows(world):
    D.catalogue()
    ao = world.officer.officer_code
    return [
        D.line("T1", "CIF1", ao, balance=Decimal("1500000.50")),
        D.line("P1", "CIF2", ao, product_code="DEP", balance=Decimal("200000000")),
    ]


def bad(rows):
    return [rows[0], {**rows[1], "maturity_date": None}]


class TestCommandLine:
    def test_import_listing_kind_deposits_prints_its_summary(self, runner, rows, tmp_path):
        path = D.write_csv(tmp_path / "simpanan.csv", rows)
        result = runner.invoke(
            args=["import-listing", "--kind", "deposits", str(path), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 0, result.output
        assert (
            "customers created 2, updated 0; deposit accounts created 2, updated 0, closed 0."
            in result.stderr
        )
        assert (
            "Balances on 2024-06-30: Tabungan 1 accounts, 1500000.50, "
            "Deposito 1 accounts, 200000000.00" in result.stderr
        )
        record = db.session.query(PositionImport).one()
        assert (record.kind, record.source, record.status) == ("deposits", "cli", "succeeded")

    def test_row_errors_exit_non_zero_and_change_nothing(self, runner, rows, tmp_path):
        path = D.write_csv(tmp_path / "simpanan.csv", bad(rows), headers="id")
        result = runner.invoke(
            args=["import-listing", "--kind", "deposits", str(path), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 1
        assert "row 3, tgl_jatuh_tempo = '': A deposito needs its maturity date." in result.stderr
        assert D.counts()["deposit_accounts"] == 0

    def test_an_unknown_kind_names_both(self, runner, tmp_path):
        path = tmp_path / "x.csv"
        path.write_text("a\n1\n")
        result = runner.invoke(
            args=["import-listing", "--kind", "funds", str(path), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 2
        assert "unknown kind 'funds': use loans, deposits" in result.output


class TestUploadPage:
    def upload(self, auth, path, kind):
        data = {"file": upload_field(path), "kind": kind, "as_of": "2024-06-30"}
        return auth.post("/imports/new", data, content_type="multipart/form-data")

    def test_upload_preview_confirm_and_the_imports_page(self, client, auth, rows, tmp_path):
        auth.login("admin")
        page = client.get("/imports/new").get_data(as_text=True)
        assert '<option value="deposits">Deposits listing</option>' in page
        path = D.write_csv(tmp_path / "simpanan.csv", rows, headers="id", decimal="comma")
        response = self.upload(auth, path, "deposits")
        assert response.status_code == 302, response.get_data(as_text=True)
        preview = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<th>no_rekening</th><th>cif</th><th>nama_nasabah</th>" in preview
        assert '<dd class="col-sm-9">Deposits listing</dd>' in preview
        assert "<td>1.500.000,50</td>" in preview
        token = re.search(r'name="token"[^>]*value="([^"]+)"', preview).group(1)
        detail = client.get(auth.post("/imports/confirm", {"token": token}).headers["Location"])
        html = detail.get_data(as_text=True)
        assert re.search(r"<th>Deposit accounts created</th><td[^>]*>2</td>", html)
        assert "Kol distribution" not in html and 'id="deposit-balances"' in html
        assert re.search(r"<td>Deposito</td><td[^>]*>1</td>", html)
        listed = client.get("/imports/").get_data(as_text=True)
        assert "customers +2 / 0 upd · deposit accounts +2 / 0 upd / 0 closed" in listed
        assert set(D.positions(AS_OF)) == {"T1", "P1"}

    def test_the_preview_lists_the_row_errors(self, client, auth, rows, tmp_path):
        auth.login("admin")
        response = self.upload(auth, D.write_csv(tmp_path / "s.csv", bad(rows)), "deposits")
        preview = client.get(response.headers["Location"]).get_data(as_text=True)
        assert 'id="preview-errors"' in preview
        assert "A deposito needs its maturity date." in preview

    def test_the_loan_listing_still_uploads_as_before(self, client, auth, rows, world, tmp_path):
        auth.login("admin")
        path = L.write_csv(
            tmp_path / "kredit.csv",
            [L.line("K1", "CIF1", world.officer.officer_code, product_code="KMK")],
        )
        response = self.upload(auth, path, "loans")
        preview = client.get(response.headers["Location"]).get_data(as_text=True)
        token = re.search(r'name="token"[^>]*value="([^"]+)"', preview).group(1)
        detail = client.get(auth.post("/imports/confirm", {"token": token}).headers["Location"])
        assert re.search(
            r"<th>Facilities created</th><td[^>]*>1</td>", detail.get_data(as_text=True)
        )

    def test_in_indonesian(self, client, auth, rows, tmp_path):
        auth.login("admin")
        speak_indonesian(auth)
        page = client.get("/imports/new").get_data(as_text=True)
        assert ">Daftar nominatif simpanan</option>" in page
        assert "daftar nominatif simpanan" in page


class TestApi:
    def post(self, client, path, **fields):
        data = {"file": upload_field(path), "as_of": "2024-06-30", "kind": "deposits", **fields}
        return client.post(URL, data=data, content_type="multipart/form-data")

    def test_201_with_the_counts_and_balances_by_kind(self, api, world, rows, tmp_path):
        response = self.post(api(world.admin), D.write_csv(tmp_path / "s.csv", rows))
        assert response.status_code == 201, response.json
        assert response.json["kind"] == "deposits"
        assert response.json["summary"]["by_type"]["tabungan"] == {
            "count": 1,
            "balance": "1500000.50",
        }

    def test_422_with_every_row_error_in_the_asked_language(self, api, world, rows, tmp_path):
        path = D.write_csv(tmp_path / "s.csv", bad(rows), headers="id")
        response = api(world.admin).post(
            URL,
            data={"file": upload_field(path), "as_of": "2024-06-30", "kind": "deposits"},
            content_type="multipart/form-data",
            headers={"Accept-Language": "id"},
        )
        assert response.status_code == 422
        assert response.json["errors"]["rows"] == [
            {
                "row": 3,
                "column": "tgl_jatuh_tempo",
                "value": "",
                "message": "Deposito wajib memiliki tanggal jatuh tempo.",
            }
        ]
        assert D.counts()["deposit_accounts"] == 0

    @pytest.mark.parametrize("role", ["officer", "supervisor"])
    def test_only_admins_import(self, api, world, rows, tmp_path, role):
        response = self.post(api(getattr(world, role)), D.write_csv(tmp_path / "s.csv", rows))
        assert response.status_code == 403
        assert D.counts()["deposit_accounts"] == 0
