"""ZIP downloads: a selection or a whole period/branch, streamed, scoped, capped and audited."""

import io
import zipfile

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.extensions import db
from aoapp.reports import listing, services
from tests.reports.conftest import PERIOD, report_rows


def _generate_all():
    services.generate_customer_reports(None, PERIOD)
    services.generate_portfolio_reports(PERIOD)


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None  # every member's CRC checks out
    return archive


def _zip_audit() -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.action == "download").order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))


class TestZipOfAPeriod:
    def test_holds_exactly_the_reports_in_scope_byte_for_byte(self, client, auth, book, exports):
        _generate_all()
        auth.login("spv.jkt")
        response = client.get(f"/reports/zip?period={PERIOD}")
        assert response.is_streamed  # a generator, not a body built in memory
        assert "reports-2024-06.zip" in response.headers["Content-Disposition"]
        archive = _zip(response)
        jkt = [r for r in report_rows() if r.path.startswith("2024-06/1-jkt01/")]
        assert sorted(archive.namelist()) == sorted(r.path for r in jkt)
        assert len(jkt) == 7
        for report in jkt:
            assert archive.read(report.path) == (exports / report.path).read_bytes()
            assert archive.getinfo(report.path).compress_type == zipfile.ZIP_STORED
        entries = _zip_audit()
        assert sorted(e.entity_id for e in entries) == sorted(r.id for r in jkt)
        assert {e.after["zip_of"] for e in entries} == {7}

    def test_filters_narrow_it(self, client, auth, book, world):
        _generate_all()
        auth.login("admin")
        names = _zip(
            client.get(f"/reports/zip?period={PERIOD}&branch_id={world.bdg.id}")
        ).namelist()
        assert sorted(names) == [
            "2024-06/2-bdg01/5-ao-dewi/2024-06_5-toko-dewi.xlsx",
            "2024-06/2-bdg01/5-ao-dewi/portfolio_2024-06_officer-ao-dewi.xlsx",
            "2024-06/2-bdg01/portfolio_2024-06_branch-bdg01.xlsx",
        ]
        response = client.get(f"/reports/zip?period={PERIOD}&branch_id={world.bdg.id}")
        assert "reports-2024-06-BDG01.zip" in response.headers["Content-Disposition"]
        names = _zip(client.get(f"/reports/zip?period={PERIOD}&kind=portfolio")).namelist()
        assert len(names) == 6

    def test_without_a_period_or_with_nothing_it_explains(self, client, auth, book):
        _generate_all()
        auth.login("spv.jkt")
        response = client.get("/reports/zip", follow_redirects=True)
        assert "Choose a period before downloading all its reports." in response.get_data(
            as_text=True
        )
        response = client.get("/reports/zip?period=2023-01", follow_redirects=True)
        assert "No reports match the selection." in response.get_data(as_text=True)
        assert _zip_audit() == []

    def test_more_than_the_cap_is_refused(self, client, auth, book, monkeypatch):
        _generate_all()
        monkeypatch.setattr(listing, "MAX_ZIP_FILES", 3)
        auth.login("admin")
        response = client.get(f"/reports/zip?period={PERIOD}", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "11 reports match: one ZIP holds at most 3." in html
        assert "Narrow the selection" in html


class TestZipOfASelection:
    def test_only_selected_reports_in_scope_are_included(self, client, auth, book, world):
        _generate_all()
        rows = {r.customer.cif: r for r in report_rows() if r.customer}
        budi, sari, dewi = rows["CIF-B1"], rows["CIF-S1"], rows["CIF-D1"]
        auth.login("spv.jkt")
        ids = [str(budi.id), str(sari.id), str(dewi.id), "junk", "999999"]
        response = auth.post("/reports/zip", {"ids": ids})
        archive = _zip(response)
        assert sorted(archive.namelist()) == sorted([budi.path, sari.path])
        assert "reports-selection-2.zip" in response.headers["Content-Disposition"]
        assert sorted(e.entity_id for e in _zip_audit()) == sorted([budi.id, sari.id])

    def test_nothing_selected_or_nothing_visible(self, client, auth, book):
        _generate_all()
        dewi = next(r for r in report_rows() if r.customer and r.customer.cif == "CIF-D1")
        auth.login("spv.jkt")
        response = auth.post("/reports/zip", {}, follow_redirects=True)
        assert "Select at least one report." in response.get_data(as_text=True)
        response = auth.post("/reports/zip", {"ids": [str(dewi.id)]}, follow_redirects=True)
        assert "No reports match the selection." in response.get_data(as_text=True)

    def test_csrf_is_required(self, client, auth, book):
        _generate_all()
        auth.login("spv.jkt")
        assert client.post("/reports/zip", data={"ids": ["1"]}).status_code == 400


class TestZipStream:
    def test_a_missing_file_is_named_instead_of_breaking_the_archive(self, book, exports):
        services.generate_customer_reports(None, PERIOD)
        rows = report_rows()
        (exports / rows[0].path).unlink()
        stream = services.zip_stream([(r.path, r.size) for r in rows])
        archive = zipfile.ZipFile(io.BytesIO(b"".join(stream)))
        assert sorted(archive.namelist()) == sorted([r.path for r in rows[1:]] + ["MISSING.txt"])
        assert rows[0].path in archive.read("MISSING.txt").decode()

    def test_files_are_read_while_streaming(self, book, exports):
        services.generate_customer_reports(None, PERIOD)
        rows = report_rows()
        chunks = iter(services.zip_stream([(r.path, r.size) for r in rows]))
        first = next(chunks)
        assert 0 < len(first) < sum(r.size for r in rows)  # not the whole archive at once
