"""The Reports page's list, downloads, regenerate, and the customer page's on-demand report
(generating: test_generate_views.py)."""

from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.reports import services
from aoapp.reports.listing import XLSX_MIMETYPE
from aoapp.reports.models import Report
from tests.reports.conftest import PERIOD, files_under, report_rows


def _customer(cif: str) -> Customer:
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def _generate_all():
    services.generate_customer_reports(None, PERIOD)
    services.generate_portfolio_reports(PERIOD)


def _rows(html: str) -> int:
    return html.count('data-report="')


def _downloads(report_id: int | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(
        AuditEntry.entity_type == "report", AuditEntry.action == "download"
    )
    if report_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == report_id)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


class TestReportsPage:
    def test_a_supervisor_sees_the_branch_reports_only(self, client, auth, book, world):
        _generate_all()
        auth.login("spv.jkt")
        page = client.get("/reports/")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        # 4 JKT01 customers, 2 officer portfolios, 1 branch portfolio; not BDG01 nor the bank.
        assert _rows(html) == 7
        assert "Warung Budi" in html and "Toko Dewi" not in html
        assert "Bank-wide portfolio" not in html
        assert 'id="generate"' in html  # the Generate form

    def test_an_officer_sees_their_own_and_generates_his_portfolio_only(
        self, client, auth, book, world
    ):
        _generate_all()
        auth.login("ao.budi")
        html = client.get("/reports/").get_data(as_text=True)
        assert _rows(html) == 4  # three customers and his portfolio
        assert "Toko Sari" not in html and 'id="generate"' in html
        assert f'<option value="officer:{world.officer.id}">My portfolio</option>' in html
        assert 'value="branch:' not in html and 'value="bank"' not in html

    def test_filters(self, client, auth, book, world):
        _generate_all()
        auth.login("admin")
        assert _rows(client.get("/reports/").get_data(as_text=True)) == 11
        html = client.get(f"/reports/?period={PERIOD}&kind=portfolio").get_data(as_text=True)
        assert _rows(html) == 6 and 'id="zip-all"' in html
        html = client.get(f"/reports/?branch_id={world.bdg.id}").get_data(as_text=True)
        assert _rows(html) == 3
        html = client.get(f"/reports/?officer_id={world.colleague.id}").get_data(as_text=True)
        assert _rows(html) == 2
        html = client.get("/reports/?q=warung").get_data(as_text=True)
        assert _rows(html) == 2
        html = client.get("/reports/?q=cif-d1").get_data(as_text=True)
        assert _rows(html) == 1 and "Toko Dewi" in html
        html = client.get("/reports/?period=2023-01").get_data(as_text=True)
        assert _rows(html) == 0 and "No reports match" in html
        html = client.get("/reports/?period=bogus&kind=bogus").get_data(as_text=True)
        assert _rows(html) == 11  # unreadable filters are ignored

    def test_pagination(self, client, auth, world):
        for n in range(55):
            db.session.add(
                Report(
                    kind="portfolio",
                    period=f"{2020 + n // 12}-{n % 12 + 1:02d}",
                    period_start=date(2020 + n // 12, n % 12 + 1, 1),
                    period_end=date(2020 + n // 12, n % 12 + 1, 28),
                    as_of=date(2020 + n // 12, n % 12 + 1, 28),
                    scope="bank",
                    scope_key="bank",
                    path=f"p{n}/bank.xlsx",
                    size=10,
                    sha256="0" * 64,
                )
            )
        db.session.commit()
        auth.login("admin")
        first = client.get("/reports/").get_data(as_text=True)
        second = client.get("/reports/?page=2").get_data(as_text=True)
        assert _rows(first) == 50 and _rows(second) == 5
        assert "Page 1 of 2" in first and "55 records" in first
        assert first.index("2024-07") < first.index("2024-06")  # newest period first


class TestDownload:
    def test_the_file_is_sent_as_is_and_audited(self, client, auth, book, exports, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B1").id, PERIOD)
        auth.login("spv.jkt")
        response = client.get(f"/reports/{report.id}/download")
        assert response.status_code == 200
        assert response.mimetype == XLSX_MIMETYPE
        assert response.data == (exports / report.path).read_bytes()
        disposition = response.headers["Content-Disposition"]
        # Saved by the customer's CIF and name; stored by ids (report.filename: 2024-06_1-…).
        assert disposition == "attachment; filename=2024-06_CIF-B1_warung-budi.xlsx"
        (entry,) = _downloads(report.id)
        assert entry.actor_id == world.supervisor.id
        assert entry.after == {"path": report.path, "size": report.size, "sha256": report.sha256}

    def test_another_branch_gets_404_like_a_missing_id(self, client, auth, book, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B1").id, PERIOD)
        auth.login("ao.dewi")
        assert client.get(f"/reports/{report.id}/download").status_code == 404
        assert client.get("/reports/999999/download").status_code == 404
        auth.logout()
        auth.login("spv.bdg")
        assert client.get(f"/reports/{report.id}/download").status_code == 404
        assert _downloads() == []

    def test_a_missing_file_is_404_with_a_hint(self, client, auth, book, exports, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B1").id, PERIOD)
        (exports / report.path).unlink()
        auth.login("ao.budi")
        response = client.get(f"/reports/{report.id}/download")
        assert response.status_code == 404
        assert "regenerate it" in response.get_data(as_text=True)


class TestRegenerate:
    def test_regenerate_makes_the_file_again(self, client, auth, book, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B1").id, PERIOD)
        before = report.generated_at
        auth.login("spv.jkt")
        response = auth.post(f"/reports/{report.id}/regenerate")
        assert response.status_code == 302
        assert f"period={PERIOD}" in response.headers["Location"]
        (row,) = report_rows()
        assert row.generated_at > before and row.generated_by_id == world.supervisor.id

    def test_without_csrf_or_out_of_scope_it_is_refused(self, client, auth, book, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B1").id, PERIOD)
        auth.login("spv.jkt")
        assert client.post(f"/reports/{report.id}/regenerate").status_code == 400
        auth.logout()
        auth.login("spv.bdg")
        assert auth.post(f"/reports/{report.id}/regenerate").status_code == 404


class TestCustomerPage:
    def test_the_section_offers_the_listing_months(self, client, auth, book):
        customer = _customer("CIF-B1")
        auth.login("ao.budi")
        html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert 'id="download-customer-report"' in html
        assert '<option value="2024-06">June 2024</option>' in html
        assert '<option value="2024-05">May 2024</option>' in html

    def test_download_generates_on_demand_then_reuses(self, client, auth, book, exports, world):
        customer = _customer("CIF-B1")
        auth.login("ao.budi")
        url = f"/reports/customers/{customer.id}/download?period={PERIOD}"
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
        (report,) = report_rows()
        assert response.data == (exports / report.path).read_bytes()
        assert load_workbook(exports / report.path).sheetnames[0] == "Summary"
        assert client.get(url).data == response.data
        assert len(report_rows()) == 1 and len(_downloads(report.id)) == 2
        html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert f'data-report="{report.id}"' in html

    def test_default_period_and_refusals(self, client, auth, book, exports):
        customer = _customer("CIF-B2")
        auth.login("ao.budi")
        response = client.get(f"/reports/customers/{customer.id}/download")
        assert response.status_code == 200
        assert report_rows()[0].period == "2024-06"  # the latest listing month
        response = client.get(f"/reports/customers/{customer.id}/download?period=2030-01")
        assert response.status_code == 302
        response = client.get(f"/reports/customers/{customer.id}/download?period=junk")
        assert response.status_code == 302
        assert len(files_under(exports)) == 1

    def test_another_branch_gets_404(self, client, auth, book, exports):
        customer = _customer("CIF-B1")
        auth.login("ao.dewi")
        response = client.get(f"/reports/customers/{customer.id}/download?period={PERIOD}")
        assert response.status_code == 404
        assert files_under(exports) == []
