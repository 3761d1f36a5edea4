"""PostgreSQL: a full loan listing builds its month's partition of `positions` and swaps it in
(aoapp/imports/partition.py). SQLite keeps one plain table: these tests skip there."""

import contextlib
import re
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.imports import bulk, partition
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.services import run_import
from tests.support import credit, factories
from tests.support import listings as L
from tests.support.concurrency import imports_at_once
from tests.support.schema import broken_finish, in_page_order, partitions_by_date, schema_of

pytestmark = pytest.mark.usefixtures("postgresql_only")

MID, END = date(2024, 6, 15), date(2024, 6, 30)


def _where() -> dict[date, str]:
    return partitions_by_date("positions")


@pytest.fixture
def officer(world):
    L.catalogue()
    return world.officer.officer_code


def _rows(officer: str, count: int = 6, **values) -> list[dict]:
    return [L.line(f"ACC{i:04d}", f"CIF{i // 2}", officer, **values) for i in range(count)]


def _import(tmp_path, name: str, rows: list[dict], as_of: date):
    outcome = run_import(str(L.write_csv(tmp_path / name, rows)), as_of)
    assert outcome.record.status == ImportStatus.SUCCEEDED, outcome.record.message
    return outcome


def _ids(as_of: date) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.text("SELECT facility_id, id FROM positions WHERE as_of = :d"), {"d": as_of}
        ).all()
    )


def test_a_month_is_one_partition_and_a_reimport_keeps_the_other_dates_and_the_ids(
    tmp_path, officer
):
    _import(tmp_path, "mid.csv", _rows(officer), MID)
    _import(tmp_path, "end.csv", _rows(officer, dpd=40), END)
    assert _where() == {MID: "positions_p202406", END: "positions_p202406"}
    ids = _ids(END)

    # The same date again, one account fewer and another worse: its positions replaced in place.
    again = _rows(officer, dpd=40)[:-1]
    again[0]["dpd"] = 95
    _import(tmp_path, "end-again.csv", again, END)
    db.session.expire_all()
    assert _where() == {MID: "positions_p202406", END: "positions_p202406"}
    kept = _ids(END)
    assert len(kept) == 5 and all(kept[f] == ids[f] for f in kept)
    assert len(_ids(MID)) == 6  # the month's other date came over whole
    kols = L.kols(END)
    assert kols["ACC0000"][1] == 3 and kols["ACC0001"][1] == 3  # one obligor: CIF0's worst Kol
    leftovers = db.session.scalar(
        sa.text("SELECT count(*) FROM pg_class WHERE relname LIKE 'positions\\_build\\_%'")
    )
    assert leftovers == 0


def test_a_month_lies_in_branch_officer_and_customer_order(tmp_path, officer, world):
    # The listing's lines as a core banking system lists them: by account, the officers of two
    # branches interleaved.
    officers = [world.remote.officer_code, officer, world.colleague.officer_code]
    rows = [L.line(f"ACC{i:04d}", f"CIF{i % 9}", officers[i % 9 % 3]) for i in range(27)]
    _import(tmp_path, "end.csv", rows, END)
    laid = in_page_order("positions", END)
    assert len(laid) == 27 and len({row[0] for row in laid}) == 2
    assert laid == sorted(laid)  # a branch's, then an officer's positions together
    ids = list(
        db.session.scalars(
            sa.text("SELECT id FROM positions WHERE as_of = :d ORDER BY ctid"), {"d": END}
        )
    )
    assert ids == sorted(ids)  # new ids drawn in the order the rows are written


def test_rows_written_one_by_one_join_their_month_when_it_is_imported(tmp_path, officer, world):
    early, late = date(2019, 3, 15), date(2019, 3, 31)  # a month no other test imports
    customer = factories.make_customer(world.officer)
    facility = credit.make_facility(customer, account_no="LONE001")
    credit.post_listing(early, [(facility, 0, "1000000")])  # written by hand: the default one
    assert _where() == {early: "positions_default"}

    _import(tmp_path, "late.csv", _rows(officer), late)
    assert _where() == {
        early: "positions_p201903",
        late: "positions_p201903",
    }
    in_default = db.session.scalar(sa.text("SELECT count(*) FROM positions_default"))
    assert in_default == 0


def test_a_failed_import_leaves_the_month_as_it_was(tmp_path, officer, monkeypatch):
    _import(tmp_path, "end.csv", _rows(officer), END)
    before = _ids(END)

    monkeypatch.setattr(partition.MonthBuild, "finish", broken_finish)
    outcome = run_import(str(L.write_csv(tmp_path / "again.csv", _rows(officer, dpd=10))), END)
    assert outcome.record.status == ImportStatus.FAILED
    db.session.expire_all()
    assert _ids(END) == before and _where() == {END: "positions_p202406"}


def test_two_dates_of_one_month_imported_at_once_both_stay(app, tmp_path, officer):
    """Without the month's lock each build would miss the other's date, and the second swap
    would drop the first's positions."""
    mid = str(L.write_csv(tmp_path / "mid.csv", _rows(officer)))
    end_rows = [L.line(f"END{i:04d}", f"CIFE{i}", officer) for i in range(4)]
    end = str(L.write_csv(tmp_path / "end.csv", end_rows))
    imports_at_once(app, "positions", (mid, MID, "loans"), (end, END, "loans"))
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 2
    assert _where() == {MID: "positions_p202406", END: "positions_p202406"}
    assert (len(_ids(MID)), len(_ids(END))) == (6, 4)


def test_the_first_listing_into_an_empty_bank_builds_indexes_and_keys_once(
    tmp_path, officer, monkeypatch
):
    """As pg_restore does: the indexes and keys of customers and facilities are set aside for
    the inserts and built again after; a failure on the way leaves them as they were."""
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    assert L.state()["customers"] == []
    before = {table: schema_of(table) for table in ("customers", "facilities")}
    db.session.commit()
    monkeypatch.setattr(partition.MonthBuild, "finish", broken_finish)
    failed = run_import(str(L.write_csv(tmp_path / "failed.csv", _rows(officer))), END)
    assert failed.record.status == ImportStatus.FAILED
    monkeypatch.undo()
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    db.session.expire_all()
    assert {table: schema_of(table) for table in before} == before

    set_aside = []
    original = bulk.built_after_if_empty

    @contextlib.contextmanager
    def spy(conn, table, rows):
        with original(conn, table, rows) as taken:
            set_aside.append((table, taken))
            yield taken

    monkeypatch.setattr(bulk, "built_after_if_empty", spy)
    _import(tmp_path, "first.csv", _rows(officer), END)
    assert set_aside == [("customers", True), ("facilities", True)]
    db.session.expire_all()
    assert {table: schema_of(table) for table in before} == before
    assert len(_ids(END)) == 6 and len(L.state()["customers"]) == 3


def test_a_built_month_has_every_index_and_check_of_positions_even_one_added_later(
    tmp_path, officer
):
    """The build copies the parent's shape (partition.PARENT_*): an index a later migration adds
    to `positions` is on the month too, attached to the parent's."""
    db.session.execute(sa.text("CREATE INDEX ix_positions_test_dpd ON positions (dpd, as_of)"))
    db.session.commit()
    try:
        _import(tmp_path, "end.csv", _rows(officer), END)
        db.session.expire_all()
        parents = set(
            db.session.scalars(
                sa.text(
                    "SELECT indexrelid::regclass::text FROM pg_index"
                    " WHERE indrelid = 'positions'::regclass"
                )
            )
        )
        pairs = db.session.execute(
            sa.text(
                """SELECT p.inhparent::regclass::text, p.inhrelid::regclass::text
                   FROM pg_inherits p JOIN pg_index x ON x.indexrelid = p.inhrelid
                   WHERE x.indrelid = 'positions_p202406'::regclass"""
            )
        ).all()
        assert "ix_positions_test_dpd" in parents and {p for p, _ in pairs} == parents
        # each built before the attach (named by the build), none left for the attach to build
        assert all(re.fullmatch(r"positions_p202406_k?\d+", child) for _, child in pairs)
        checks = set(
            db.session.scalars(
                sa.text(
                    "SELECT conname FROM pg_constraint WHERE contype = 'c'"
                    " AND conrelid = 'positions_p202406'::regclass"
                )
            )
        )
        assert {"ck_positions_dpd", "ck_positions_debtor_kol", "month"} <= checks
    finally:
        db.session.rollback()
        db.session.execute(sa.text("DROP INDEX ix_positions_test_dpd"))
        db.session.commit()
