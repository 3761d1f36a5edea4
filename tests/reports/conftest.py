"""Report tests: an empty EXPORTS_DIR for every test, and a small bank with two listings."""

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.reports.models import Report
from tests.support.credit import AS_OF, make_book
from tests.support.queues import REDIS_URL, redis_queue  # noqa: F401  (fixture of report tests)

PERIOD = f"{AS_OF:%Y-%m}"  # 2024-06: listings of 31 May and 30 June 2024


@pytest.fixture(autouse=True)
def exports(app) -> Path:
    """EXPORTS_DIR, emptied before and after each test (files outlive the emptied tables)."""
    root = Path(app.config["EXPORTS_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def book(world):
    """ao.budi: 3 customers (CIF-B1..B3), ao.sari: CIF-S1 (both JKT01), ao.dewi: CIF-D1 (BDG01)."""
    return make_book(world)


def files_under(root: Path) -> list[str]:
    """Every file under EXPORTS_DIR (temporary ones included), relative, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def report_rows() -> list[Report]:
    """Every report row, by path."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Report).order_by(Report.path)))
