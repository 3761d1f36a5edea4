"""Reports API: list with filters, generate (201/200), read, download; scoped and audited."""

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.reports import services
from aoapp.reports.listing import XLSX_MIMETYPE
from tests.reports.conftest import PERIOD, files_under, report_rows


def _customer(cif: str) -> Customer:
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def _generate_all():
    services.generate_customer_reports(None, PERIOD)
    services.generate_portfolio_reports(PERIOD)


class TestList:
    def test_scoped_paginated_and_filtered(self, api, book, world):
        _generate_all()
        supervisor = api(world.supervisor)
        body = supervisor.get("/api/v1/reports").get_json()
        assert (body["total"], body["page"], body["pages"]) == (7, 1, 1)
        assert not any(item["branch_code"] == "BDG01" for item in body["items"])
        page = supervisor.get("/api/v1/reports?per_page=3&page=3").get_json()
        assert (len(page["items"]), page["pages"]) == (1, 3)
        customers = supervisor.get(f"/api/v1/reports?period={PERIOD}&kind=customer").get_json()
        assert customers["total"] == 4
        item = next(i for i in customers["items"] if i["customer_cif"] == "CIF-B1")
        assert item["customer_name"] == "Warung Budi" and item["period_label"] == "June 2024"
        assert item["officer_id"] == world.officer.id and item["branch_code"] == "JKT01"
        assert item["scope"] == "customer" and item["as_of"] == "2024-06-30"
        assert item["download_url"].endswith(f"/api/v1/reports/{item['id']}/download")
        by_officer = supervisor.get(f"/api/v1/reports?officer_id={world.colleague.id}").get_json()
        assert by_officer["total"] == 2
        by_customer = supervisor.get(f"/api/v1/reports?customer_id={item['customer_id']}")
        assert by_customer.get_json()["total"] == 1
        assert api(world.officer).get("/api/v1/reports").get_json()["total"] == 4
        assert api(world.admin).get("/api/v1/reports?scope=bank").get_json()["total"] == 1

    def test_bad_filters_answer_422(self, api, world):
        client = api(world.admin)
        for query in ("period=2024-13", "kind=pdf", "branch_id=0", "per_page=500", "nope=1"):
            response = client.get(f"/api/v1/reports?{query}")
            assert response.status_code == 422, query
        assert (
            "not a period"
            in client.get("/api/v1/reports?period=x").get_json()["errors"]["period"][0]
        )

    def test_a_token_is_required(self, client):
        assert client.get("/api/v1/reports").status_code == 401


class TestGenerate:
    def test_a_customer_report_is_made_then_returned(self, api, book, world, exports):
        customer = _customer("CIF-B1")
        client = api(world.officer)
        body = {"kind": "customer", "period": PERIOD, "customer_id": customer.id}
        created = client.post("/api/v1/reports", json=body)
        assert created.status_code == 201
        report = created.get_json()
        assert (
            report["customer_id"] == customer.id and report["generated_by_id"] == world.officer.id
        )
        assert files_under(exports) == ["2024-06/1-jkt01/3-ao-budi/2024-06_1-warung-budi.xlsx"]
        again = client.post("/api/v1/reports", json=body)
        assert again.status_code == 200 and again.get_json()["id"] == report["id"]
        forced = client.post("/api/v1/reports", json={**body, "force": True})
        assert forced.status_code == 201 and forced.get_json()["id"] == report["id"]

    def test_portfolios(self, api, book, world):
        supervisor = api(world.supervisor)
        branch = supervisor.post(
            "/api/v1/reports",
            json={"kind": "portfolio", "period": "2024Q2", "branch_id": world.jkt.id},
        )
        assert branch.status_code == 201
        assert branch.get_json()["filename"] == "portfolio_2024Q2_branch-jkt01.xlsx"
        officer = supervisor.post(
            "/api/v1/reports",
            json={"kind": "portfolio", "period": PERIOD, "officer_id": world.colleague.id},
        )
        assert officer.status_code == 201 and officer.get_json()["scope"] == "officer"
        bank = supervisor.post("/api/v1/reports", json={"kind": "portfolio", "period": PERIOD})
        assert bank.status_code == 403
        admin = api(world.admin).post(
            "/api/v1/reports", json={"kind": "portfolio", "period": PERIOD}
        )
        assert admin.status_code == 201 and admin.get_json()["scope"] == "bank"

    def test_periods_as_people_write_them(self, api, book, world):
        client = api(world.officer)
        customer = _customer("CIF-B1")

        def post(period: str, **headers):
            body = {"kind": "customer", "period": period, "customer_id": customer.id}
            return client.post("/api/v1/reports", json=body, headers=headers)

        made = post("Juni 2024")
        assert made.status_code == 201 and made.get_json()["period"] == PERIOD
        for same in ("June 2024", "Jun 2024", "06/2024", "6-2024", "2024-06"):
            again = post(same)
            assert again.status_code == 200 and again.get_json()["id"] == made.get_json()["id"]
        quarter = post("TW II 2024").get_json()
        assert (quarter["period"], quarter["period_label"]) == ("2024Q2", "2024 Q2")
        assert post("Q2 2024").get_json()["id"] == quarter["id"]
        days = post("1-30 Juni 2024").get_json()  # a range: the listing of 30 June is inside
        assert (days["period"], days["period_label"]) == (
            "20240601-20240630",
            "01 Jun 2024 – 30 Jun 2024",
        )
        assert post("01/06/2024 - 30/06/2024").get_json()["id"] == days["id"]
        refused = post("Juni")
        assert refused.status_code == 422
        assert refused.get_json()["errors"]["period"] == [
            "'Juni' is not a period. Write a month (December 2026, Dec 2026, 12/2026 or "
            "2026-12), a quarter (Q4 2026 or 2026Q4) or a date range (1-15 December 2026 or "
            "01/12/2026 - 15/12/2026)."
        ]
        listed = client.get("/api/v1/reports", query_string={"period": "Kuartal II 2024"})
        assert [i["id"] for i in listed.get_json()["items"]] == [quarter["id"]]

    def test_out_of_scope_subjects_are_404(self, api, book, world):
        client = api(world.officer)
        dewi = _customer("CIF-D1")
        for body in (
            {"kind": "customer", "period": PERIOD, "customer_id": dewi.id},
            {"kind": "customer", "period": PERIOD, "customer_id": 999999},
            {"kind": "portfolio", "period": PERIOD, "officer_id": world.remote.id},
            {"kind": "portfolio", "period": PERIOD, "branch_id": world.bdg.id},
        ):
            assert client.post("/api/v1/reports", json=body).status_code == 404, body
        assert report_rows() == []

    def test_invalid_requests_are_422(self, api, book, world):
        client = api(world.admin)
        customer = _customer("CIF-B1")
        for body in (
            {},
            {"kind": "customer", "period": PERIOD},
            {"kind": "customer", "period": PERIOD, "customer_id": customer.id, "branch_id": 1},
            {"kind": "portfolio", "period": PERIOD, "customer_id": customer.id},
            {"kind": "portfolio", "period": PERIOD, "officer_id": 1, "branch_id": 1},
            {"kind": "portfolio", "period": "2024-06-31..2024-07-01"},
            {"kind": "portfolio", "period": "2024-01-01..2025-06-30"},
            {"kind": "portfolio", "period": PERIOD, "extra": 1},
        ):
            assert client.post("/api/v1/reports", json=body).status_code == 422, body
        response = client.post("/api/v1/reports", json={"kind": "portfolio", "period": "2030-01"})
        assert response.status_code == 422
        assert response.get_json()["message"] == (
            "No positions were imported for January 2030; nothing to report."
        )
        assert report_rows() == []


class TestReadAndDownload:
    def test_download_sends_the_file_and_audits(self, api, book, world, exports):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B2").id, PERIOD)
        client = api(world.supervisor)
        assert client.get(f"/api/v1/reports/{report.id}").get_json()["sha256"] == report.sha256
        response = client.get(f"/api/v1/reports/{report.id}/download")
        assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
        assert response.data == (exports / report.path).read_bytes()
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "download")
        ).all()
        assert [(e.entity_type, e.entity_id, e.actor_id) for e in entries] == [
            ("report", report.id, world.supervisor.id)
        ]

    def test_another_branch_gets_404(self, api, book, world):
        report = services.ensure_customer_report(world.officer, _customer("CIF-B2").id, PERIOD)
        remote = api(world.remote)
        assert remote.get(f"/api/v1/reports/{report.id}").status_code == 404
        assert remote.get(f"/api/v1/reports/{report.id}/download").status_code == 404
        assert (
            api(world.bdg_supervisor).get(f"/api/v1/reports/{report.id}/download").status_code
            == 404
        )
        assert remote.get("/api/v1/reports/999999/download").status_code == 404
