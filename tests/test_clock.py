"""The one clock: nothing in aoapp reads the wall clock around it, and moving it moves the app."""

import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from aoapp.common import dates
from aoapp.imports import uploads
from aoapp.reports import storage
from tests.clock import moved_today

AOAPP = Path(__file__).resolve().parent.parent / "aoapp"
WALL_CLOCK = re.compile(r"\bdate\.today\(|\bdatetime\.(now|utcnow|today)\(|\btime\.time\(")
SQL_CLOCK = re.compile(
    r"CURRENT_DATE|CURRENT_TIMESTAMP|LOCALTIMESTAMP|(?<![\w.])now\(\)|func\.(now|current_date)",
    re.IGNORECASE,
)


def _sources():
    for path in sorted(AOAPP.rglob("*.py")):
        yield path.relative_to(AOAPP).as_posix(), path.read_text(encoding="utf-8")


class TestOneClock:
    def test_no_module_but_the_clock_reads_the_wall_clock(self):
        found = [
            f"aoapp/{name}:{number}: {line.strip()}"
            for name, text in _sources()
            if name != "common/dates.py"
            for number, line in enumerate(text.splitlines(), 1)
            if WALL_CLOCK.search(line)
        ]
        assert found == []

    def test_sql_receives_today_as_a_parameter(self):
        found = [
            f"aoapp/{name}:{number}: {line.strip()}"
            for name, text in _sources()
            if name != "common/dates.py"  # its docstring names them
            for number, line in enumerate(text.splitlines(), 1)
            if SQL_CLOCK.search(line)
        ]
        assert found == []

    def test_the_grep_would_catch_a_wall_clock_call(self):
        assert WALL_CLOCK.search("day = date.today()")
        assert WALL_CLOCK.search("stamp = datetime.now(UTC)")
        assert SQL_CLOCK.search("WHERE due < CURRENT_DATE")
        assert SQL_CLOCK.search("created_at = now()")
        assert not SQL_CLOCK.search("value = utcnow()")


class TestMovingTheClock:
    def test_the_bank_day_follows_the_clock_in_the_bank_zone(self, travel_to):
        travel_to(datetime(2028, 2, 28, 17, 30, tzinfo=UTC))  # 00:30 on the 29th in Jakarta
        assert dates.bank_today() == date(2028, 2, 29)
        assert dates.utcnow().date() == date(2028, 2, 28)
        assert dates.bank_now().hour == 0

    def test_an_unmarked_test_runs_on_the_runs_day(self):
        assert dates.bank_today() != date(2001, 1, 1)  # unmarked: the run's day

    @pytest.mark.today("2001-01-01")
    def test_the_marker_moves_the_clock(self):
        assert dates.bank_today() == date(2001, 1, 1)
        assert dates.bank_now().hour == 9

    @pytest.mark.today("2001-01-01")
    def test_travel_nests_inside_the_marker(self, travel_to):
        travel_to("2030-06-30")
        assert dates.bank_today() == date(2030, 6, 30)

    def test_the_run_moves_by_days_or_to_a_date(self):
        assert moved_today("+400", date(2026, 12, 5)) == date(2028, 1, 9)
        assert moved_today("-1", date(2026, 12, 5)) == date(2026, 12, 4)
        assert moved_today("2028-02-29", date(2026, 12, 5)) == date(2028, 2, 29)


class TestFileAges:
    """File ages are the file system's: moving the clock neither ages nor rejuvenates files."""

    def test_the_file_systems_clock_ignores_a_moved_clock(self, tmp_path, travel_to):
        travel_to("2030-01-01")
        written = tmp_path / "a"
        written.write_bytes(b"x")
        assert abs(dates.fs_now(tmp_path) - written.stat().st_mtime) < 5
        assert time.time() - written.stat().st_mtime > 300 * 86400
        assert list(tmp_path.iterdir()) == [written]  # the probe file is gone

    def test_fresh_uploads_survive_a_clock_a_year_ahead(self, app, travel_to):
        fresh = uploads.upload_dir() / f"{'a' * 32}.csv"
        fresh.write_bytes(b"x")
        stale = uploads.upload_dir() / f"{'b' * 32}.csv"
        stale.write_bytes(b"x")
        old = stale.stat().st_mtime - app.config["IMPORTS_UPLOAD_KEEP_HOURS"] * 3600 - 60
        os.utime(stale, (old, old))
        travel_to(dates.bank_today().replace(year=dates.bank_today().year + 1, day=1))
        uploads.sweep_uploads()
        assert fresh.exists() and not stale.exists()
        fresh.unlink()

    def test_fresh_report_temp_files_survive_a_clock_a_year_ahead(self, app, travel_to):
        root = storage.exports_root()
        root.mkdir(parents=True, exist_ok=True)
        temp = root / ".tmp-otherbox-1-0123abcd-a.xlsx.part"
        temp.write_bytes(b"x")
        travel_to("2040-01-01")
        assert storage.clean_orphans() == 0 and temp.exists()
        temp.unlink()
