"""Report files are stored by ids, never by CIF or name (issue 19, point 8): two customers whose
CIFs and names look alike once made safe for a file system keep two files and two records; a
download keeps the customer's CIF and name in its name; a failure says nothing of SQL."""

import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.reports import recording, services, storage
from tests.reports.conftest import PERIOD, files_under, report_rows
from tests.support.factories import make_customer

LOGGED = "an unexpected error, whose details are in the server log"


def _twins(world) -> tuple[Customer, Customer]:
    """Two customers of ao.budi named alike whose CIFs once made the same file name."""
    first = make_customer(world.officer, cif="TRV002", name="Toko Kembar")
    second = make_customer(world.officer, cif="../TRV002", name="Toko Kembar")  # older data
    return first, second


class TestPaths:
    def test_look_alike_customers_keep_two_files_and_two_records(self, book, world, exports):
        first, second = _twins(world)
        summary = services.generate_customer_reports(None, PERIOD)
        assert (summary.generated, summary.failed) == (7, [])
        rows = {r.customer_id: r for r in report_rows()}
        mine = [rows[first.id], rows[second.id]]
        assert [r.path for r in mine] == [
            f"2024-06/{world.jkt.id}-jkt01/{world.officer.id}-ao-budi/2024-06_{c.id}-toko-kembar.xlsx"
            for c in (first, second)
        ]
        assert all(storage.is_intact(r.path, r.size) for r in mine)
        assert len(files_under(exports)) == len(report_rows()) == 7

    def test_text_never_makes_a_folder(self, book, world, exports):
        world.officer.username = "../../etc"
        world.jkt.code = ".."
        customer = make_customer(world.officer, cif="TRV003", name="../../..")
        services.generate_customer_reports(None, PERIOD, customer_ids=[customer.id])
        (row,) = report_rows()
        assert (
            row.path == f"2024-06/{world.jkt.id}/{world.officer.id}-etc/2024-06_{customer.id}.xlsx"
        )
        assert files_under(exports) == [row.path]

    def test_the_download_is_named_by_cif_and_name(self, client, auth, book, world, exports):
        _first, second = _twins(world)
        report = services.ensure_customer_report(world.officer, second.id, PERIOD)
        auth.login("ao.budi")
        response = client.get(f"/reports/{report.id}/download")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition == "attachment; filename=2024-06_TRV002_toko-kembar.xlsx"
        api_name = services.download_name(report)
        assert api_name == "2024-06_TRV002_toko-kembar.xlsx" and "/" not in api_name


class TestFailuresSayNoSql:
    def test_the_generate_page_flashes_a_plain_reason(self, client, auth, book, world, monkeypatch):
        def broken(row, existing):
            statement = "INSERT INTO reports (path) VALUES (:path)"
            raise sa.exc.IntegrityError(statement, {}, Exception("UNIQUE constraint failed"))

        monkeypatch.setattr(recording, "_upsert", broken)
        auth.login("ao.budi")
        form = {"kind": "customer", "scope": f"officer:{world.officer.id}"}
        response = auth.post("/reports/generate", {**form, "period_kind": "month", "month": PERIOD})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "0 generated, 0 already there, 3 failed." in page
        assert f"CIF-B1: {LOGGED}" in page
        for internal in ("INSERT", "IntegrityError", "UNIQUE constraint", "reports (path)"):
            assert internal not in page

    def test_one_customers_report_on_demand(self, api, book, world, monkeypatch):
        def broken(row, existing):
            raise sa.exc.OperationalError("SELECT * FROM reports", {}, Exception("gone"))

        monkeypatch.setattr(recording, "_upsert", broken)
        customer = make_customer(world.officer, cif="TRV004", name="Toko Empat")
        body = {"kind": "customer", "period": PERIOD, "customer_id": customer.id}
        response = api(world.officer).post("/api/v1/reports", json=body)
        assert response.status_code == 422
        assert response.json["message"] == (
            f"The report of Toko Empat for June 2024 could not be generated: {LOGGED}"
        )
