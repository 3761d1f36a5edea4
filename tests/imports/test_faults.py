"""The database going away in the middle of an import: nothing half-applied, the rerun succeeds.

On PostgreSQL the import's own server connection is terminated in the middle of the load (what
a database restart does to every open session). On SQLite, which has no server, the same step
raises the OperationalError a lost connection produces.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.imports.loans import loader as loader_module
from aoapp.imports.models import ImportStatus
from tests.support import listings as L
from tests.support.listings import line

AS_OF = date(2024, 6, 30)


@pytest.fixture
def rows(world):
    L.catalogue()
    code = world.officer.officer_code
    return [line(f"ACC{i:03d}", f"CIF{i:03d}", code, dpd=i * 10) for i in range(12)]


def _kill_the_import_connection(monkeypatch):
    """Break the load after customers and facilities are written, before positions."""
    original = loader_module.Loader._positions
    calls = []

    def broken(self):
        calls.append(1)
        if db.engine.dialect.name == "postgresql":
            pid = self._sql("SELECT pg_backend_pid()").scalar()
            with db.engine.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                other.commit()
            return original(self)  # the next statement finds its connection gone
        raise sa.exc.OperationalError("INSERT INTO positions …", {}, Exception("server closed"))

    monkeypatch.setattr(loader_module.Loader, "_positions", broken)
    return calls


def test_a_lost_connection_fails_the_import_cleanly_and_the_rerun_succeeds(
    tmp_path, world, rows, monkeypatch
):
    before = L.counts()
    importer = L.Importer(tmp_path, world.admin)
    calls = _kill_the_import_connection(monkeypatch)

    outcome = importer.csv(rows, AS_OF)

    assert calls, "the fault was injected"
    assert not outcome.ok
    assert outcome.record.status == ImportStatus.FAILED
    assert "changed nothing" in outcome.record.shown_message
    assert L.counts() == before  # no customer, facility, position or audit entry half-written

    monkeypatch.undo()
    again = importer.csv(rows, AS_OF)
    assert again.ok, again.record.shown_message
    assert len(L.positions(AS_OF)) == 12
    assert L.counts()["customers"] == before["customers"] + 12
