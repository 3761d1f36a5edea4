"""The demo bank for tests, seeded once and copied in for every test that asks for it.

`flask seed-demo` takes seconds (twelve listings imported, 200 workbooks written). The first test
that asks for `demo_bank` on a given day seeds it and keeps every row of every table (and the
workbooks' bytes) in memory, and the rows in the database engine too (snapshots.DatabaseCopy);
the next ones get the same rows inserted back by the database in a fraction of the time (~0.05 s
instead of ~0.3 s through Python: the API fuzzing alone asks for the demo 95 times). Each test still starts from the seeded bank and may change it: the autouse `_db_session`
fixture empties the tables after every test, as for any other test. The copy is keyed by the
bank's today (the demo's dates follow it), so a test on another day gets its own seed.

Under pytest-xdist the first worker to seed also leaves its copy in the run's temporary folder,
which the workers share: a worker that needs the demo later takes it from there instead of
seeding again (a worker that needs it before the file is there seeds its own; none waits).
"""

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.common.dates import bank_today
from aoapp.extensions import db
from config import Config
from tests.support.snapshots import DatabaseCopy, put_back, stored, tables

DEMO_PASSWORD = "demo-password-1"


@dataclass(frozen=True)
class DemoBank:
    """What the first `flask seed-demo` said (its summary is on stderr) and the password."""

    output: str
    password: str = DEMO_PASSWORD


@dataclass(frozen=True)
class _Copy:
    bank: DemoBank
    rows: dict[str, list[dict]]
    files: dict[str, bytes]


_COPIES: dict = {}
# The same rows kept in this worker's database engine (snapshots.DatabaseCopy), by the same key:
# the tests after the first get them back by the database, not row by row through Python.
_IN_DATABASE: dict = {}


def _seed(app, runner) -> DemoBank:
    """Run `flask seed-demo` as `make run` does: with the bank's default number formats."""
    defaults = Config()
    patterns = {key: app.config[key] for key in ("CIF_PATTERN", "ACCOUNT_PATTERN")}
    app.config.update(CIF_PATTERN=defaults.CIF_PATTERN, ACCOUNT_PATTERN=defaults.ACCOUNT_PATTERN)
    try:
        result = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
    finally:
        app.config.update(patterns)
    assert result.exit_code == 0, result.output
    return DemoBank(result.stderr)


def _exports(app) -> Path:
    return Path(app.config["EXPORTS_DIR"])


def _take(app, bank: DemoBank) -> _Copy:
    """Every row of every table, and the bytes of every file under EXPORTS_DIR."""
    db.session.remove()
    with db.engine.connect() as connection:
        rows = {
            t.name: [dict(r) for r in connection.execute(sa.select(*stored(t))).mappings()]
            for t in tables()
        }
    root = _exports(app)
    files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return _Copy(bank, rows, files)


def _put_back(app, copy: _Copy, kept: DatabaseCopy | None) -> None:
    """Insert the rows again (parents first), restart the id sequences after them (PostgreSQL)
    and write back any workbook a test removed or replaced."""
    if kept is None:
        put_back(copy.rows)
    else:
        kept.put_back()
    root = _exports(app)
    for name, content in copy.files.items():
        path = root / name
        # Another test may have written a file of the same name since (its own report).
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def _shared(tmp_path_factory, day) -> Path | None:
    """Where the workers of this run leave the day's copy for each other (one run: no file)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    dialect = db.engine.dialect.name  # the rows, not the worker's own database, are shared
    return tmp_path_factory.getbasetemp().parent / f"demo-bank-{dialect}-{day}.pickle"


def _leave(path: Path, copy: _Copy) -> None:
    """Write the copy whole or not at all: the other worker may be reading the folder."""
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    partial.write_bytes(pickle.dumps(copy, pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


@pytest.fixture
def demo_bank(app, runner, tmp_path_factory) -> DemoBank:
    """The seeded demo bank in the test's database (seeded on the first use of the day)."""
    day = bank_today()
    key = (day, app.config["SQLALCHEMY_DATABASE_URI"])
    copy = _COPIES.get(key)
    shared = _shared(tmp_path_factory, day)
    if copy is None and shared is not None and shared.exists():
        copy = _COPIES[key] = pickle.loads(shared.read_bytes())  # noqa: S301 (this run's own)
    if copy is None:
        bank = _seed(app, runner)
        copy = _COPIES[key] = _take(app, bank)
        if shared is not None:
            _leave(shared, copy)
    else:
        _put_back(app, copy, _IN_DATABASE.get(key))
    if key not in _IN_DATABASE:
        _IN_DATABASE[key] = DatabaseCopy(copy.rows)
    return copy.bank
