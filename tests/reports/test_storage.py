"""Report files: atomic writes, checksums, a full disk, and the clean-up of interrupted runs."""

import errno
import hashlib
import os
import subprocess
import sys
import time

import pytest

from aoapp.reports import storage
from tests.reports.conftest import files_under


def _writer(content: bytes):
    def write(path: str) -> None:
        with open(path, "wb") as handle:
            handle.write(content)

    return write


class TestAtomicWrite:
    def test_the_file_appears_complete_with_its_size_and_checksum(self, exports):
        stored = storage.write_atomic("2024-06/JKT01/ao.budi/a.xlsx", _writer(b"x" * 5000))
        assert stored.size == 5000
        assert stored.sha256 == hashlib.sha256(b"x" * 5000).hexdigest()
        assert files_under(exports) == ["2024-06/JKT01/ao.budi/a.xlsx"]
        assert storage.is_intact(stored.path, 5000)
        assert not storage.is_intact(stored.path, 4999)

    def test_it_is_written_under_a_hidden_temporary_name_in_the_same_directory(self, exports):
        seen = []

        def write(path: str) -> None:
            seen.append(path)
            _writer(b"data")(path)
            assert files_under(exports) == [os.path.relpath(path, exports)]

        storage.write_atomic("p/b.xlsx", write)
        name = os.path.basename(seen[0])
        assert os.path.dirname(seen[0]) == str(exports / "p")
        assert name.startswith(".tmp-") and name.endswith("-b.xlsx.part")
        assert storage.is_orphan(name, time.time()) is False  # this process is alive

    def test_a_failure_midway_leaves_nothing_and_keeps_the_previous_file(self, exports):
        storage.write_atomic("p/c.xlsx", _writer(b"old version"))

        def half_then_crash(path: str) -> None:
            with open(path, "wb") as handle:
                handle.write(b"half of a new ver")
            raise RuntimeError("builder crashed")

        with pytest.raises(RuntimeError, match="builder crashed"):
            storage.write_atomic("p/c.xlsx", half_then_crash)
        assert files_under(exports) == ["p/c.xlsx"]
        assert (exports / "p/c.xlsx").read_bytes() == b"old version"

    def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_file(self, exports):
        def disk_full(path: str) -> None:
            with open(path, "wb") as handle:
                handle.write(b"PK\x03\x04 partial")
            raise OSError(errno.ENOSPC, "No space left on device")

        with pytest.raises(storage.ReportStorageError) as raised:
            storage.write_atomic("2024-06/JKT01/d.xlsx", disk_full)
        assert "disk holding the exports folder is full" in raised.value.message
        assert "Nothing was saved" in raised.value.message
        assert raised.value.status_code == 507
        assert files_under(exports) == []

    def test_a_full_disk_while_flushing_is_refused_the_same_way(self, exports, monkeypatch):
        def fsync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(storage.os, "fsync", fsync)
        with pytest.raises(storage.ReportStorageError, match="full"):
            storage.write_atomic("e.xlsx", _writer(b"abc"))
        assert files_under(exports) == []

    def test_other_os_errors_name_their_reason(self, exports):
        def denied(path: str) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

        with pytest.raises(storage.ReportStorageError, match="Permission denied"):
            storage.write_atomic("f.xlsx", denied)
        assert files_under(exports) == []


class TestPaths:
    def test_path_components_are_made_safe(self):
        assert storage.safe_part("JKT 01/../x") == "JKT_01_.._x"
        assert storage.safe_part("..") == "_"
        assert storage.safe_part(".hidden") == "hidden"
        assert storage.safe_part(None) == "_"
        assert storage.relative_path("2024-06", "JKT01", "ao.budi", "a b.xlsx") == (
            "2024-06/JKT01/ao.budi/a_b.xlsx"
        )

    def test_a_path_outside_the_exports_folder_is_refused(self):
        with pytest.raises(ValueError):
            storage.absolute("../../etc/passwd")
        assert not storage.is_intact("../../etc/passwd", 1)


class TestOrphans:
    def _dead_pid(self) -> int:
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        return child.pid

    def test_leftovers_of_dead_processes_and_old_ones_go_live_ones_stay(self, exports):
        host = storage._host()
        folder = exports / "2024-06" / "JKT01"
        folder.mkdir(parents=True)
        names = {
            "dead": f".tmp-{host}-{self._dead_pid()}-0123abcd-a.xlsx.part",
            "alive": f".tmp-{host}-{os.getpid()}-0123abcd-b.xlsx.part",
            "other_host_recent": ".tmp-otherbox-1-0123abcd-c.xlsx.part",
            "other_host_old": ".tmp-otherbox-1-0123abcd-d.xlsx.part",
            "report": "2024-06_CIF1_a.xlsx",
            "not_ours": ".tmp-something-else",
        }
        for name in names.values():
            (folder / name).write_bytes(b"x")
        # Ages are the file system's: go back from the mtime it stamped, not from this clock.
        old = (folder / names["other_host_old"]).stat().st_mtime - storage.ORPHAN_AGE_SECONDS - 60
        os.utime(folder / names["other_host_old"], (old, old))

        assert storage.clean_orphans() == 2
        left = {p.name for p in folder.iterdir()}
        assert left == {
            names["alive"],
            names["other_host_recent"],
            names["report"],
            names["not_ours"],
        }

    def test_no_exports_folder_yet_is_fine(self, app, exports, monkeypatch):
        monkeypatch.setitem(app.config, "EXPORTS_DIR", str(exports / "missing"))
        assert storage.clean_orphans() == 0
