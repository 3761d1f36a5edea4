"""`flask reports generate|list`: options, summary, resume, exit codes, parallel workers."""

import os
import signal
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from aoapp.reports import storage
from aoapp.reports.customer import workbook as customer_workbook
from tests.reports.conftest import PERIOD, files_under, report_rows


def _generate(runner, *args):
    return runner.invoke(args=["reports", "generate", "--period", PERIOD, *args])


class TestGenerate:
    def test_both_kinds_with_a_summary_and_a_rerun_skips_everything(self, runner, book, exports):
        result = _generate(runner)
        assert result.exit_code == 0, result.output
        assert (
            "Customer reports for June 2024 (as of 2024-06-30): 5 generated, 0 skipped, 0 failed"
            in result.stdout
        )
        assert "Portfolio reports for June 2024 (as of 2024-06-30): 6 generated" in result.stdout
        assert "workbooks/s" in result.stdout
        assert "Customer reports" in result.stderr  # the progress bar
        assert len(files_under(exports)) == len(report_rows()) == 11

        again = _generate(runner)
        assert again.exit_code == 0
        assert "0 generated, 5 skipped, 0 failed" in again.stdout
        assert "0 generated, 6 skipped, 0 failed" in again.stdout

    def test_filters_by_branch_officer_customer_and_kind(self, runner, book, exports):
        result = _generate(runner, "--branch", "BDG01")
        assert result.exit_code == 0, result.output
        assert files_under(exports) == [
            "2024-06/2-bdg01/5-ao-dewi/2024-06_5-toko-dewi.xlsx",
            "2024-06/2-bdg01/5-ao-dewi/portfolio_2024-06_officer-ao-dewi.xlsx",
            "2024-06/2-bdg01/portfolio_2024-06_branch-bdg01.xlsx",
        ]
        result = _generate(runner, "--officer", "ao.sari", "--kind", "portfolio")
        assert "1 generated" in result.stdout and "Customer reports" not in result.stdout
        assert "2024-06/1-jkt01/4-ao-sari/portfolio_2024-06_officer-ao-sari.xlsx" in files_under(
            exports
        )
        result = _generate(runner, "--customer", "CIF-B2", "--customer", "CIF-B3")
        assert "2 generated" in result.stdout and "Portfolio" not in result.stdout
        assert len(report_rows()) == 6

    def test_last_month_is_the_last_complete_month(self, runner, book, monkeypatch):
        from datetime import date

        from aoapp.reports import cli

        monkeypatch.setattr(cli, "bank_today", lambda: date(2024, 7, 1))
        result = runner.invoke(
            args=["reports", "generate", "--period", "last-month", "--kind", "customer"]
        )
        assert result.exit_code == 0, result.output
        assert "Customer reports for June 2024" in result.stdout

    def test_force_regenerates(self, runner, book):
        _generate(runner, "--kind", "customer")
        result = _generate(runner, "--kind", "customer", "--force")
        assert "5 generated, 0 skipped" in result.stdout

    @pytest.mark.parametrize(
        "args, message",
        [
            (["--period", "2024-13"], "'2024-13' is not a period"),
            (["--period", PERIOD, "--branch", "XXX01"], "no branch 'XXX01'"),
            (["--period", PERIOD, "--officer", "spv.jkt"], "no officer 'spv.jkt'"),
            (["--period", PERIOD, "--customer", "NOPE"], "no customer with CIF NOPE"),
            (["--period", PERIOD, "--customer", "CIF-B1", "--kind", "portfolio"], "customer"),
            (["--period", PERIOD, "--jobs", "0"], "--jobs"),
        ],
    )
    def test_bad_options_exit_with_2(self, runner, book, exports, args, message):
        result = runner.invoke(args=["reports", "generate", *args])
        assert result.exit_code == 2
        assert message in result.output
        assert files_under(exports) == []

    def test_a_period_without_positions_is_a_clear_error(self, runner, book, exports):
        result = runner.invoke(args=["reports", "generate", "--period", "2025-01"])
        assert result.exit_code == 1
        assert "No positions were imported for January 2025; nothing to report." in result.output
        assert files_under(exports) == [] and report_rows() == []

    def test_periods_as_people_write_them(self, runner, book, exports):
        def generate(period: str):
            return runner.invoke(
                args=["reports", "generate", "--period", period, "--customer", "CIF-B1"]
            )

        result = generate("Juni 2024")
        assert result.exit_code == 0, result.output
        assert "Customer reports for June 2024 (as of 2024-06-30): 1 generated" in result.stdout
        assert generate("06/2024").exit_code == 0  # the same month: already made
        assert "0 generated, 1 skipped" in generate("Jun 2024").stdout
        assert "Customer reports for Q2 2024" in generate("Kuartal II 2024").stdout
        assert "1 generated" in generate("1-30 Juni 2024").stdout
        assert sorted(files_under(exports)) == [
            "2024-06/1-jkt01/3-ao-budi/2024-06_1-warung-budi.xlsx",
            "20240601-20240630/1-jkt01/3-ao-budi/20240601-20240630_1-warung-budi.xlsx",
            "2024Q2/1-jkt01/3-ao-budi/2024Q2_1-warung-budi.xlsx",
        ]
        refused = generate("Juni")
        assert refused.exit_code == 2
        assert "'Juni' is not a period. Write a month (December 2026" in refused.output

    def test_failures_are_listed_and_exit_with_1(self, runner, book, exports, monkeypatch):
        real = customer_workbook.customer_workbook

        def broken(data, bank_name):
            if data.cif == "CIF-S1":
                raise ValueError("bad data")
            return real(data, bank_name)

        monkeypatch.setattr(customer_workbook, "customer_workbook", broken)
        result = _generate(runner, "--kind", "customer")
        assert result.exit_code == 1
        assert "4 generated, 0 skipped, 1 failed" in result.stdout
        failed = "failed CIF-S1: an unexpected error, whose details are in the server log"
        assert failed in result.stderr and "bad data" not in result.output

    def test_leftovers_of_an_interrupted_run_are_cleaned_first(self, runner, book, exports):
        folder = exports / "2024-06" / "1-jkt01" / "3-ao-budi"
        folder.mkdir(parents=True)
        leftover = folder / ".tmp-otherhost-1-0123abcd-2024-06_1-warung-budi.xlsx.part"
        leftover.write_bytes(b"PK half")
        old = os.path.getmtime(leftover) - storage.ORPHAN_AGE_SECONDS - 1
        os.utime(leftover, (old, old))
        result = _generate(runner, "--kind", "customer")
        assert "Removed 1 temporary file(s) left by an interrupted run." in result.stderr
        assert not leftover.exists()
        assert not any(".part" in path for path in files_under(exports))


class TestParallel:
    def test_two_worker_processes_generate_every_customer(self, runner, book, world, exports):
        from tests.support.factories import make_customer

        for n in range(45):  # enough customers to be split between the workers
            make_customer(world.colleague, name=f"Pelanggan {n}", cif=f"CIF-P{n:02d}")
        result = _generate(runner, "--kind", "customer", "--jobs", "2")
        assert result.exit_code == 0, result.output
        assert "50 generated, 0 skipped, 0 failed" in result.stdout
        rows = report_rows()
        assert len(rows) == 50 and sorted(r.path for r in rows) == files_under(exports)
        assert all(storage.is_intact(r.path, r.size) for r in rows)
        again = _generate(runner, "--kind", "customer", "--jobs", "2")
        assert "0 generated, 50 skipped" in again.stdout


class TestList:
    def test_lists_paths_and_counts(self, runner, book):
        _generate(runner)
        result = runner.invoke(args=["reports", "list", "--period", PERIOD, "--kind", "customer"])
        assert result.exit_code == 0
        assert "2024-06/1-jkt01/3-ao-budi/2024-06_1-warung-budi.xlsx" in result.stdout
        assert "customer: 5 report(s)" in result.stderr
        empty = runner.invoke(args=["reports", "list", "--period", "2023-01"])
        assert "No reports for January 2023." in empty.stderr


class TestKilledRun:
    def test_a_killed_batch_leaves_only_complete_files_and_resumes(
        self, app, runner, world, exports
    ):
        """SIGKILL in the middle of a real `flask reports generate`, then run it again."""
        import signal
        import subprocess
        import sys
        import time
        from pathlib import Path

        from tests.support.credit import make_facility, post_listing
        from tests.support.factories import make_customer

        facility = make_facility(make_customer(world.officer, cif="CIF-K0"))
        post_listing(date(2024, 6, 30), [(facility, 0, 1000)])
        # Enough that the batch still runs when `seen` files are written (a workbook takes tens
        # of milliseconds: 40 more are a second at least), few enough that the rest is quick.
        customers, seen = 50, 8
        for n in range(1, customers):
            make_customer(world.officer if n % 2 else world.colleague, cif=f"CIF-K{n:03d}")
        env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "EXPORTS_DIR": str(exports),
            "LOG_LEVEL": "WARNING",
        }
        root = Path(__file__).resolve().parents[2]
        command = [
            str(Path(sys.executable).with_name("flask")),
            "reports", "generate", "--period", PERIOD, "--kind", "customer",
        ]  # fmt: skip
        process = subprocess.Popen(  # noqa: S603  (our own command line)
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if len([p for p in files_under(exports) if p.endswith(".xlsx")]) >= seen:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the batch ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()

        rows = report_rows()
        on_disk = files_under(exports)
        complete = [p for p in on_disk if p.endswith(".xlsx")]
        assert seen - 1 <= len(rows) < customers  # the last file seen maybe renamed, not recorded
        assert all(storage.is_intact(r.path, r.size) for r in rows)  # every row: a whole file
        assert len(set(complete) - {r.path for r in rows}) <= 1  # renamed, not yet recorded
        assert all(p.endswith(".xlsx") or "/.tmp-" in p for p in on_disk)

        result = _generate(runner, "--kind", "customer")
        assert result.exit_code == 0, result.output
        assert f"{customers - len(rows)} generated, {len(rows)} skipped, 0 failed" in result.stdout
        rows = report_rows()
        assert len(rows) == customers and sorted(r.path for r in rows) == files_under(exports)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, …); None: no process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _living(pids: set[int]) -> set[int]:
    """Those of `pids` still running (a zombie has ended; its new parent reaps it later)."""
    return {pid for pid in pids if (_stat(pid) or ["Z"])[0] != "Z"}


@contextmanager
def _reports_locked(engine):
    """Writers of report rows wait until the block ends (readers do not): workers stay busy."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("BEGIN")
            connection.exec_driver_sql("LOCK TABLE reports IN EXCLUSIVE MODE")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.rollback()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
class TestKilledParent:
    def test_the_worker_processes_die_with_a_killed_parent(self, app, world, exports):
        """`kill -9` of `flask reports generate --jobs 2` ends its workers (and their helper)
        at once; they used to go on making their share of the reports for no one."""
        import subprocess
        import sys
        import time

        from aoapp.extensions import db
        from tests.support.credit import make_facility, post_listing
        from tests.support.factories import make_customer

        facility = make_facility(make_customer(world.officer, cif="CIF-K0"))
        post_listing(date(2024, 6, 30), [(facility, 0, 1000)])
        for n in range(1, 45):  # more than 40: split between the workers
            make_customer(world.officer if n % 2 else world.colleague, cif=f"CIF-K{n:03d}")
        db.session.remove()
        env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "EXPORTS_DIR": str(exports),
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(Path(sys.executable).with_name("flask")),
            "reports", "generate", "--period", PERIOD, "--kind", "customer", "--jobs", "2",
        ]  # fmt: skip
        with _reports_locked(db.engine):
            parent = subprocess.Popen(  # noqa: S603  (our own command line)
                command,
                cwd=Path(__file__).resolve().parents[2],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and parent.poll() is None:
                    if any(p.endswith(".xlsx") for p in files_under(exports)):
                        break  # a worker has written a workbook, and waits to record it
                    time.sleep(0.02)
                children = _children(parent.pid)
                assert parent.poll() is None and len(children) >= 2, "killed before it ran"
            finally:
                parent.send_signal(signal.SIGKILL)
                parent.wait()
            deadline = time.monotonic() + 3
            while _living(children) and time.monotonic() < deadline:
                time.sleep(0.02)
            left = _living(children)
            for pid in left:  # not to leave them running when the test fails
                os.kill(pid, signal.SIGKILL)
        assert left == set()
