"""Generating and recording reports: paths, rows, skipping, resuming, atomicity, scoping."""

import errno
import hashlib
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.periods import parse_period
from aoapp.reports import recording, services, storage, writers
from aoapp.reports.customer import generation
from aoapp.reports.models import Report
from tests.reports.conftest import PERIOD, files_under, report_rows

# Stored by ids with slugs (branch JKT01 is 1, BDG01 2; ao.budi 3, ao.sari 4, ao.dewi 5; the
# book's customers CIF-B1..B3 are 1-3, CIF-S1 4, CIF-D1 5), never by CIF.
CUSTOMER_FILES = [
    "2024-06/1-jkt01/3-ao-budi/2024-06_1-warung-budi.xlsx",
    "2024-06/1-jkt01/3-ao-budi/2024-06_2-toko-lain.xlsx",
    "2024-06/1-jkt01/3-ao-budi/2024-06_3-warung-tiga.xlsx",
    "2024-06/1-jkt01/4-ao-sari/2024-06_4-toko-sari.xlsx",
    "2024-06/2-bdg01/5-ao-dewi/2024-06_5-toko-dewi.xlsx",
]
SHEETS = [
    "Summary",
    "Facilities",
    "Deposits",
    "History",
    "Interactions",
    "Monitoring",
    "Account plan",
    "Monitoring report",
]


def _customer(cif: str) -> Customer:
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


class TestCustomerReports:
    def test_every_customer_gets_a_complete_recorded_workbook(self, book, world, exports):
        summary = services.generate_customer_reports(None, PERIOD)

        assert (summary.selected, summary.generated, summary.skipped) == (5, 5, 0)
        assert summary.failed == [] and summary.as_of == date(2024, 6, 30)
        assert files_under(exports) == CUSTOMER_FILES
        rows = report_rows()
        assert [r.path for r in rows] == CUSTOMER_FILES
        budi = rows[0]
        assert (budi.kind, budi.scope, budi.period) == ("customer", "customer", "2024-06")
        assert (budi.period_start, budi.period_end) == (date(2024, 6, 1), date(2024, 6, 30))
        assert budi.as_of == date(2024, 6, 30) and budi.generated_by_id is None
        assert budi.customer_id == _customer("CIF-B1").id
        assert (budi.officer_id, budi.branch_id) == (world.officer.id, world.jkt.id)
        assert budi.scope_key == f"customer:{budi.customer_id}"
        content = (exports / budi.path).read_bytes()
        assert budi.size == len(content)
        assert budi.sha256 == hashlib.sha256(content).hexdigest()
        workbook = load_workbook(exports / budi.path)
        assert workbook.sheetnames == SHEETS
        assert sorted(summary.report_ids) == sorted(r.id for r in rows)

    def test_a_customer_without_an_officer_goes_under_unassigned(self, book, exports):
        customer = _customer("CIF-S1")
        customer.officer_id = None
        db.session.commit()
        services.generate_customer_reports(None, PERIOD, customer_ids=[customer.id])
        assert files_under(exports) == ["2024-06/1-jkt01/_unassigned/2024-06_4-toko-sari.xlsx"]
        assert report_rows()[0].officer_id is None

    def test_done_reports_are_skipped_unless_forced(self, book, exports):
        services.generate_customer_reports(None, PERIOD)
        first = {r.path: r.generated_at for r in report_rows()}

        again = services.generate_customer_reports(None, PERIOD)
        assert (again.generated, again.skipped) == (0, 5)
        assert {r.path: r.generated_at for r in report_rows()} == first

        forced = services.generate_customer_reports(None, PERIOD, force=True)
        assert (forced.generated, forced.skipped) == (5, 0)
        rows = report_rows()
        assert len(rows) == 5 and all(r.generated_at > first[r.path] for r in rows)
        assert files_under(exports) == CUSTOMER_FILES

    def test_a_missing_or_truncated_file_is_made_again(self, book, exports):
        services.generate_customer_reports(None, PERIOD)
        (exports / CUSTOMER_FILES[0]).unlink()
        with open(exports / CUSTOMER_FILES[1], "r+b") as handle:
            handle.truncate(100)
        again = services.generate_customer_reports(None, PERIOD)
        assert (again.generated, again.skipped) == (2, 3)
        assert len(report_rows()) == 5
        assert all(storage.is_intact(r.path, r.size) for r in report_rows())

    def test_a_period_without_positions_is_refused_and_writes_nothing(self, book, exports):
        with pytest.raises(InvalidInput) as raised:
            services.generate_customer_reports(None, "2024-08")
        assert raised.value.message == (
            "No positions were imported for August 2024; nothing to report."
        )
        with pytest.raises(InvalidInput, match="No positions"):
            services.generate_portfolio_report(None, "2024-08", "bank")
        assert files_under(exports) == [] and report_rows() == []

    def test_quarter_and_custom_periods_use_the_last_listing_inside(self, book, exports):
        quarter = services.generate_customer_reports(None, "2024Q2", customer_ids=[])
        assert quarter.as_of == date(2024, 6, 30)
        cid = _customer("CIF-B1").id
        services.generate_customer_reports(None, "2024-05-01..2024-06-15", customer_ids=[cid])
        (row,) = report_rows()
        assert (row.period, row.as_of) == ("20240501-20240615", date(2024, 5, 31))
        assert (
            row.path == "20240501-20240615/1-jkt01/3-ao-budi/20240501-20240615_1-warung-budi.xlsx"
        )

    def test_a_renamed_customer_replaces_the_old_file(self, book, exports):
        customer = _customer("CIF-B1")
        services.generate_customer_reports(None, PERIOD, customer_ids=[customer.id])
        customer.name = "Warung Budi Jaya"
        db.session.commit()
        services.generate_customer_reports(None, PERIOD, customer_ids=[customer.id], force=True)
        assert files_under(exports) == ["2024-06/1-jkt01/3-ao-budi/2024-06_1-warung-budi-jaya.xlsx"]
        assert [r.path for r in report_rows()] == files_under(exports)


class TestInterruptedRuns:
    def test_a_run_killed_midway_resumes_with_the_rest(self, book, exports):
        calls = []

        def progress(done, total):
            calls.append((done, total))
            if done == 2:
                raise KeyboardInterrupt  # the operator presses Ctrl-C after two customers

        with pytest.raises(KeyboardInterrupt):
            services.generate_customer_reports(None, PERIOD, progress=progress)
        assert calls == [(0, 5), (1, 5), (2, 5)]
        done = files_under(exports)
        assert len(done) == 2 and [r.path for r in report_rows()] == done

        resumed = []
        summary = services.generate_customer_reports(
            None, PERIOD, progress=lambda d, t: resumed.append((d, t))
        )
        assert (summary.generated, summary.skipped) == (3, 2)
        assert resumed[0] == (0, 3) and resumed[-1] == (3, 3)
        assert files_under(exports) == CUSTOMER_FILES

    def test_a_builder_failure_is_counted_and_leaves_no_file_nor_row(
        self, book, exports, monkeypatch
    ):
        real = writers.XlsxWriterWriter.write

        def crash_for_b2(self, workbook, target):
            if "CIF-B2" in workbook.title or "Toko Lain" in workbook.title:
                with open(target, "wb") as handle:
                    handle.write(b"PK\x03\x04 half a workbook")
                raise RuntimeError("writer crashed midway")
            return real(self, workbook, target)

        monkeypatch.setattr(writers.XlsxWriterWriter, "write", crash_for_b2)
        summary = services.generate_customer_reports(None, PERIOD)
        assert summary.generated == 4
        assert [(f.key, f.reason) for f in summary.failed] == [
            ("CIF-B2", "an unexpected error, whose details are in the server log")
        ]
        assert CUSTOMER_FILES[1] not in files_under(exports)
        assert len(files_under(exports)) == 4 and len(report_rows()) == 4

    def test_a_full_disk_stops_the_run_cleanly(self, book, exports, monkeypatch):
        def disk_full(self, workbook, target):
            with open(target, "wb") as handle:
                handle.write(b"PK\x03\x04")
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(writers.XlsxWriterWriter, "write", disk_full)
        with pytest.raises(storage.ReportStorageError, match="disk holding the exports"):
            services.generate_customer_reports(None, PERIOD)
        assert files_under(exports) == [] and report_rows() == []

    def test_a_database_failure_after_the_rename_removes_the_new_file(
        self, book, exports, monkeypatch
    ):
        def broken(row, existing):
            raise sa.exc.OperationalError("INSERT", {}, Exception("database went away"))

        monkeypatch.setattr(recording, "_upsert", broken)
        summary = services.generate_customer_reports(None, PERIOD)
        assert summary.generated == 0 and len(summary.failed) == 5
        assert files_under(exports) == [] and report_rows() == []


class TestScope:
    def test_an_officer_generates_only_their_customers(self, book, world, exports):
        summary = services.generate_customer_reports(world.officer, PERIOD)
        assert summary.generated == 3
        assert all("/3-ao-budi/" in path for path in files_under(exports))
        assert {r.generated_by_id for r in report_rows()} == {world.officer.id}

    def test_a_supervisor_generates_their_branch(self, book, world, exports):
        summary = services.generate_customer_reports(world.supervisor, PERIOD)
        assert summary.generated == 4
        assert not any("bdg01" in path for path in files_under(exports))

    def test_filters_outside_the_scope_are_not_found(self, book, world):
        with pytest.raises(NotFound):
            services.generate_customer_reports(world.supervisor, PERIOD, branch_id=world.bdg.id)
        with pytest.raises(NotFound):
            services.generate_customer_reports(world.officer, PERIOD, officer_id=world.remote.id)
        with pytest.raises(NotFound):
            services.ensure_customer_report(world.officer, _customer("CIF-D1").id, PERIOD)
        summary = services.generate_customer_reports(
            world.supervisor, PERIOD, officer_id=world.colleague.id
        )
        assert summary.generated == 1

    def test_a_reassigned_customers_reports_follow_the_customer(self, book, world):
        customer = _customer("CIF-B1")
        report = services.ensure_customer_report(world.officer, customer.id, PERIOD)
        customer.officer_id = world.colleague.id
        db.session.commit()
        assert services.get_report(world.colleague, report.id).id == report.id
        for former_or_foreign in (world.officer, world.remote):  # booked to him, no matter
            with pytest.raises(NotFound):
                services.get_report(former_or_foreign, report.id)


class TestOnDemand:
    def test_the_report_is_made_once_then_reused(self, book, world, exports):
        customer = _customer("CIF-B1")
        first = services.ensure_customer_report(world.officer, customer.id, PERIOD)
        assert first.generated_by_id == world.officer.id
        again, generated = services.customer_report(world.officer, customer.id, PERIOD)
        assert (again.id, again.generated_at, generated) == (first.id, first.generated_at, False)
        assert len(files_under(exports)) == 1

    def test_the_standalone_job_writes_one_report(self, book, exports):
        customer = _customer("CIF-S1")
        report_id = generation.generate_customer_report_job(customer.id, PERIOD)
        assert db.session.get(Report, report_id).customer_id == customer.id
        assert generation.generate_customer_report_job(customer.id, PERIOD) == report_id
        with pytest.raises(LookupError):
            generation.generate_customer_report_job(999999, PERIOD)


class TestPortfolioReports:
    def test_a_batch_makes_every_officer_branch_and_the_bank(self, book, world, exports):
        summary = services.generate_portfolio_reports(PERIOD)
        assert (summary.generated, summary.failed) == (6, [])
        rows = {r.scope_key: r for r in report_rows()}
        assert set(rows) == {
            f"officer:{world.officer.id}",
            f"officer:{world.colleague.id}",
            f"officer:{world.remote.id}",
            f"branch:{world.jkt.id}",
            f"branch:{world.bdg.id}",
            "bank",
        }
        branch = rows[f"branch:{world.jkt.id}"]
        assert branch.path == "2024-06/1-jkt01/portfolio_2024-06_branch-jkt01.xlsx"
        assert (branch.branch_id, branch.officer_id, branch.customer_id) == (
            world.jkt.id,
            None,
            None,
        )
        officer = rows[f"officer:{world.officer.id}"]
        assert officer.path == "2024-06/1-jkt01/3-ao-budi/portfolio_2024-06_officer-ao-budi.xlsx"
        assert (officer.officer_id, officer.branch_id) == (world.officer.id, world.jkt.id)
        assert rows["bank"].path == "2024-06/portfolio_2024-06_bank.xlsx"
        assert rows["bank"].branch_id is None
        sheets = load_workbook(exports / branch.path, read_only=True).sheetnames
        assert sheets[:2] == ["Summary", "Facilities"]
        again = services.generate_portfolio_reports(PERIOD, branch_id=world.jkt.id)
        assert (again.generated, again.skipped) == (0, 3)

    def test_who_may_generate_which_portfolio(self, book, world):
        report = services.generate_portfolio_report(
            world.supervisor, PERIOD, "officer", officer_id=world.colleague.id
        )
        assert report.generated_by_id == world.supervisor.id
        assert services.generate_portfolio_report(
            world.officer, PERIOD, "officer", world.officer.id
        )
        with pytest.raises(NotFound):
            services.generate_portfolio_report(world.officer, PERIOD, "officer", world.colleague.id)
        with pytest.raises(NotFound):
            services.generate_portfolio_report(world.officer, PERIOD, "branch", None, world.jkt.id)
        with pytest.raises(NotFound):
            services.generate_portfolio_report(
                world.supervisor, PERIOD, "branch", None, world.bdg.id
            )
        with pytest.raises(Forbidden):
            services.generate_portfolio_report(world.supervisor, PERIOD, "bank")
        with pytest.raises(InvalidInput):
            services.generate_portfolio_report(world.admin, PERIOD, "galaxy")
        assert services.generate_portfolio_report(world.admin, PERIOD, "bank").scope == "bank"

    def test_regenerate_keeps_kind_period_and_scope(self, book, world):
        report = services.generate_portfolio_report(None, PERIOD, "branch", branch_id=world.jkt.id)
        again = services.regenerate(world.supervisor, report)
        assert again.id == report.id and again.generated_by_id == world.supervisor.id
        customer_report = services.ensure_customer_report(
            world.officer, _customer("CIF-B2").id, PERIOD
        )
        assert services.regenerate(world.supervisor, customer_report).id == customer_report.id


def _scope(scope: str, officer_id=None, branch_id=None) -> dict:
    return {"scope": scope, "officer_id": officer_id, "branch_id": branch_id}


class TestGenerateForm:
    def test_small_sets_run_inline_large_ones_go_to_the_background(
        self, app, book, world, monkeypatch
    ):
        period = parse_period(PERIOD)
        done = services.generate_from_form(
            world.supervisor,
            {"period": period, "kind": "customer", **_scope("officer", world.officer.id)},
        )
        assert done.message.startswith("Customer reports for June 2024: 3 generated, 0 already")
        assert done.batch is None
        monkeypatch.setitem(app.config, "REPORTS_WEB_INLINE_LIMIT", 0)
        monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
        branch = _scope("branch", branch_id=world.jkt.id)
        with pytest.raises(InvalidInput, match="Background generation is not available"):
            services.generate_from_form(
                world.supervisor, {"period": period, "kind": "customer", **branch}
            )
        done = services.generate_from_form(
            world.supervisor, {"period": period, "kind": "portfolio", **branch}
        )
        assert done.message == "Portfolio report portfolio_2024-06_branch-jkt01.xlsx generated."

    def test_an_officer_makes_his_own_portfolio_only(self, book, world):
        period = parse_period(PERIOD)
        own = _scope("officer", world.officer.id)
        done = services.generate_from_form(
            world.officer, {"period": period, "kind": "portfolio", **own}
        )
        assert done.message.startswith("Portfolio report portfolio_2024-06_officer")
        with pytest.raises(NotFound):
            services.generate_from_form(
                world.officer,
                {"period": period, "kind": "portfolio", **_scope("officer", world.colleague.id)},
            )
