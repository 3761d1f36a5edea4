"""What a killed import leaves behind: a record that stays 'running' (a heartbeat tells a live
import from a dead one) and its uploaded file (deleted on every failure, and by the sweep)."""

import io
import os
import shutil
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from aoapp.common.dates import fs_now, utcnow
from aoapp.extensions import db
from aoapp.imports import heartbeat, jobs, services, uploads
from aoapp.imports.models import PositionImport
from tests.support import listings as L
from tests.support.listing_uploads import csv_bytes, good_rows

AS_OF = date(2024, 6, 30)
TOKENS = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)


@pytest.fixture(autouse=True)
def _no_uploads(app):
    """Every test starts with an empty uploads folder (it lives as long as the test session)."""
    shutil.rmtree(app.config["IMPORTS_UPLOAD_DIR"], ignore_errors=True)


def _running(minutes_since_heartbeat: float, as_of: date = AS_OF) -> PositionImport:
    """A record left running, its last heartbeat that many minutes ago."""
    record = PositionImport(
        file_name="nominatif.csv",
        sha256="0" * 64,
        as_of=as_of,
        status="running",
        stage="positions",
        progress=55,
        started_at=utcnow() - timedelta(minutes=minutes_since_heartbeat + 1),
        heartbeat_at=utcnow() - timedelta(minutes=minutes_since_heartbeat),
    )
    db.session.add(record)
    db.session.commit()
    return record


def _reread(record: PositionImport) -> PositionImport:
    db.session.expire_all()
    return db.session.get(PositionImport, record.id)


def _aged(path: Path, minutes: float) -> Path:
    """Give `path` the time the file system would have stamped `minutes` ago."""
    when = fs_now(path.parent) - minutes * 60
    os.utime(path, (when, when))
    return path


def _file(name: str, minutes_old: float, content: bytes = b"x") -> Path:
    path = uploads.upload_dir() / name
    path.write_bytes(content)
    return _aged(path, minutes_old)


def _listed() -> list[str]:
    return sorted(p.name for p in uploads.upload_dir().iterdir())


class TestHeartbeat:
    def test_a_beat_renews_a_running_record_and_its_staged_file(self):
        record = _running(4)
        staged = _file(f"{TOKENS[0]}.csv", 4)
        heartbeat.beat(db.engine, record.id, staged)
        assert utcnow() - _reread(record).heartbeat_at < timedelta(seconds=5)
        assert fs_now(staged.parent) - staged.stat().st_mtime < 5

        finished = _running(4)
        finished.status = "succeeded"
        db.session.commit()
        heartbeat.beat(db.engine, finished.id)
        assert utcnow() - _reread(finished).heartbeat_at > timedelta(minutes=3)

    def test_an_import_beats_while_it_works(self, tmp_path, world, monkeypatch):
        L.catalogue()
        beats = []
        monkeypatch.setattr(heartbeat, "beat_seconds", lambda: 0.01)
        monkeypatch.setattr(heartbeat, "beat", lambda engine, record_id, path: beats.append(path))
        slow_read = services.read_listing

        def read_listing(*args, **kwargs):
            time.sleep(0.1)  # a long read: time for heartbeats
            return slow_read(*args, **kwargs)

        monkeypatch.setattr(services, "read_listing", read_listing)
        staged = uploads.upload_dir() / f"{TOKENS[0]}.csv"
        staged.write_bytes(csv_bytes(good_rows(world.officer, world.colleague)))
        outcome = services.run_import(staged, AS_OF, user=world.admin, source="api")
        assert outcome.ok, outcome.record.shown_message
        assert len(beats) >= 3 and set(beats) == {staged}  # the staged file: kept fresh
        assert not [t for t in threading.enumerate() if t.name.endswith("-heartbeat")]

        beats.clear()
        elsewhere = tmp_path / "nominatif.csv"  # a file of the command line: never touched
        elsewhere.write_bytes(csv_bytes(good_rows(world.officer, world.colleague)))
        services.run_import(elsewhere, AS_OF, user=world.admin)
        assert beats and set(beats) == {None}

    def test_a_new_import_of_the_same_date_runs_after_one_that_stopped(self, tmp_path, world):
        L.catalogue()
        stopped = _running(6)
        alive = _running(1, date(2024, 5, 31))
        rows = [L.line(f"ACC{i}", f"CIF{i}", world.officer.officer_code) for i in range(3)]
        outcome = L.Importer(tmp_path, world.admin).csv(rows, AS_OF)
        assert outcome.ok, outcome.record.shown_message
        stopped, alive = _reread(stopped), _reread(alive)
        assert (stopped.status, stopped.message_code, stopped.message_params) == (
            "failed",
            "imports.stopped",
            {"minutes": 5},
        )
        assert "gave no sign of life for 5 minutes" in stopped.shown_message
        with force_locale("id"):  # written in the reader's language
            assert "tidak memberi tanda aktif selama 5 menit" in stopped.shown_message
        assert alive.status == "running"

    def test_a_mark_on_an_import_that_was_alive_is_undone_by_its_load(self, tmp_path, world):
        L.catalogue()
        path = tmp_path / "nominatif.csv"
        path.write_bytes(csv_bytes(good_rows(world.officer, world.colleague)))
        record = services.start_record(path, services.ImportOptions(as_of=AS_OF), world.admin)
        record.heartbeat_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
        assert heartbeat.expire_stopped() == 1
        outcome = services.run_import(path, AS_OF, user=world.admin, record=_reread(record))
        record = _reread(record)
        assert outcome.ok and record.status == "succeeded"
        assert (record.message_code, record.shown_message) == (None, None)

    def test_the_marking_waits_when_the_database_is_busy(self, monkeypatch):
        record = _running(6)

        def busy(*args, **kwargs):
            raise sa.exc.OperationalError("UPDATE", {}, Exception("database is locked"))

        monkeypatch.setattr(db.session, "commit", busy)
        assert heartbeat.expire_stopped() == 0
        monkeypatch.undo()
        assert _reread(record).status == "running"
        assert heartbeat.expire_stopped() == 1


class TestSweep:
    def test_the_sweep_fails_stopped_imports_and_deletes_leftover_and_expired_uploads(
        self, app, runner
    ):
        stopped, alive = _running(6), _running(2)
        waiting, expired, leftover, busy = TOKENS
        _file(f"{waiting}.csv", 120)
        _file(f"{waiting}.json", 120)  # confirmation awaited for 2 hours: kept a day
        _file(f"{expired}.xlsx", 25 * 60, b"x" * 14_000_000)
        _file(f"{expired}.json", 25 * 60)
        _file(f"{leftover}.csv", 6, b"x" * 1_000_000)  # of a killed import: no heartbeat since
        _file(f"{busy}.csv", 2)  # being imported (its heartbeat) or previewed
        _file("notes.txt", 60 * 24 * 30)  # not an upload: not ours to delete

        result = runner.invoke(args=["imports", "sweep"])

        assert result.exit_code == 0, result.output
        assert result.output.strip() == (
            "1 stopped import(s) recorded as failed; 3 upload file(s) deleted (14.3 MB).\n"
            "0 journal row(s) of changed customers deleted."
        )
        assert _listed() == sorted(
            [f"{waiting}.csv", f"{waiting}.json", f"{busy}.csv", "notes.txt"]
        )
        assert (_reread(stopped).status, _reread(alive).status) == ("failed", "running")

    def test_a_confirmed_upload_is_fresh_for_the_sweep_however_long_it_waited(self, world):
        staged = uploads.stage_upload(
            FileStorage(io.BytesIO(csv_bytes(good_rows(world.officer, world.colleague))), "n.csv"),
            world.admin,
            {"as_of": AS_OF, "kind": "loans"},
        )
        _aged(staged.path, 30)
        _aged(uploads.upload_dir() / f"{staged.token}.json", 30)
        claimed = uploads.claim_upload(staged.token, world.admin)
        assert uploads.sweep_uploads() == (0, 0)
        assert _listed() == [claimed.path.name]


class TestFailedStarts:
    def test_a_preview_that_crashes_leaves_no_file(self, world, monkeypatch):
        def crash(*args, **kwargs):
            raise MemoryError

        monkeypatch.setattr(uploads, "preview_listing", crash)
        storage = FileStorage(io.BytesIO(csv_bytes(good_rows(world.officer, world.colleague))))
        storage.filename = "nominatif.csv"
        with pytest.raises(MemoryError):
            uploads.stage_upload(storage, world.admin, {"as_of": AS_OF, "kind": "loans"})
        assert _listed() == []

    def test_an_import_without_a_thread_is_failed_and_its_file_deleted(
        self, app, world, monkeypatch
    ):
        class NoThread(threading.Thread):
            def start(self):
                raise RuntimeError("can't start new thread")

        monkeypatch.setitem(app.config, "IMPORTS_RUN_INLINE", False)
        monkeypatch.setattr(jobs.threading, "Thread", NoThread)
        staged = uploads.stage_upload(
            FileStorage(io.BytesIO(csv_bytes(good_rows(world.officer, world.colleague))), "n.csv"),
            world.admin,
            {"as_of": AS_OF, "kind": "loans"},
        )
        staged = uploads.claim_upload(staged.token, world.admin)
        with pytest.raises(RuntimeError):
            jobs.start_import(staged, world.admin)
        record = db.session.scalars(sa.select(PositionImport)).one()
        assert (_reread(record).status, _listed()) == ("failed", [])
