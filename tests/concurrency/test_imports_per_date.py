"""Two imports of one as-of date at the same moment, in two processes: they run one after the
other, so the date ends as some serial order leaves it, and neither ends in a raw error."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import listings as L
from tests.support.concurrency import imports_at_once

AS_OF = date(2024, 6, 30)
ROWS = 100


def _listing(tmp_path, name: str, prefix: str, officer_code: str) -> str:
    rows = [L.line(f"{prefix}{i:05d}", f"CIF{prefix}{i}", officer_code) for i in range(ROWS)]
    return str(L.write_csv(tmp_path / name, rows))


def _records() -> list[PositionImport]:
    db.session.expire_all()
    return db.session.scalars(sa.select(PositionImport).order_by(PositionImport.id)).all()


@pytest.fixture
def officer(world):
    L.catalogue()
    return world.officer.officer_code


def test_two_disjoint_full_listings_end_as_one_after_the_other(app, officer, tmp_path):
    first = _listing(tmp_path, "first.csv", "1", officer)
    second = _listing(tmp_path, "second.csv", "2", officer)
    imports_at_once(app, "closing", (first, AS_OF, "loans"), (second, AS_OF, "loans"))
    records = _records()
    assert [r.status for r in records] == [ImportStatus.SUCCEEDED] * 2
    # The later import is the full listing: it closed every facility the earlier one opened.
    active = db.session.scalars(
        sa.select(Facility.account_no).where(Facility.status == "active")
    ).all()
    assert len(active) == ROWS
    assert len({account[0] for account in active}) == 1
    assert sum(r.summary["facilities_closed"] for r in records) == ROWS


def test_the_same_file_twice_at_once_imports_it_twice_without_an_error(app, officer, tmp_path):
    listing = _listing(tmp_path, "listing.csv", "1", officer)
    imports_at_once(app, "closing", (listing, AS_OF, "loans"), (listing, AS_OF, "loans"))
    records = _records()
    assert [r.status for r in records] == [ImportStatus.SUCCEEDED] * 2, [
        (r.message_code, r.message_params) for r in records
    ]
    assert len(L.positions(AS_OF)) == ROWS
