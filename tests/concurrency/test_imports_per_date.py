"""Two imports of one as-of date at the same moment, in two processes: they run one after the
other, so the date ends as some serial order leaves it, and neither ends in a raw error."""

import multiprocessing
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import listings as L

AS_OF = date(2024, 6, 30)
ROWS = 100
MEET_SECONDS = 1.5
SETTINGS = ("CIF_PATTERN", "ACCOUNT_PATTERN", "EXPORTS_DIR", "DEFAULT_LOCALE")


def _import(url: str, settings: dict, path: str, mine, other) -> None:
    """In a process of its own: import `path`; wait (briefly) for the other import mid-load,
    so that without a lock both would be loading at once."""
    from aoapp import create_app
    from aoapp.imports.services import run_import

    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})

    def meet(stage: str, _percent: int) -> None:
        if stage == "closing":
            mine.set()
            other.wait(MEET_SECONDS)  # the other waits for our lock: we go on alone

    with app.app_context():
        run_import(path, AS_OF, progress=meet)
        db.engine.dispose()


def _listing(tmp_path, name: str, prefix: str, officer_code: str) -> str:
    rows = [L.line(f"{prefix}{i:05d}", f"CIF{prefix}{i}", officer_code) for i in range(ROWS)]
    return str(L.write_csv(tmp_path / name, rows))


def _import_both_at_once(app, first: str, second: str) -> None:
    context = multiprocessing.get_context("spawn")  # fresh processes: no connection shared
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    settings = {key: app.config[key] for key in SETTINGS}
    events = context.Event(), context.Event()
    processes = [
        context.Process(target=_import, args=(url, settings, first, events[0], events[1])),
        context.Process(target=_import, args=(url, settings, second, events[1], events[0])),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0


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
    _import_both_at_once(app, first, second)
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
    _import_both_at_once(app, listing, listing)
    records = _records()
    assert [r.status for r in records] == [ImportStatus.SUCCEEDED] * 2, [
        (r.message_code, r.message_params) for r in records
    ]
    assert len(L.positions(AS_OF)) == ROWS
