"""PostgreSQL: a full deposits listing builds its month's partition of `deposit_positions` and
swaps it in (aoapp/imports/partition.py), as the loan listing does for `positions`; a partial
listing writes row by row. SQLite keeps one plain table: these tests skip there."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.imports import bulk, partition
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.services import run_import
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.concurrency import imports_at_once
from tests.support.schema import broken_finish, in_page_order, partitions_by_date, schema_of

pytestmark = pytest.mark.usefixtures("postgresql_only")

MID, END = date(2024, 6, 15), date(2024, 6, 30)


def _where() -> dict[date, str]:
    return partitions_by_date("deposit_positions")


def _rows(ao: str, count: int = 6, prefix: str = "T", **values) -> list[dict]:
    return [D.line(f"{prefix}{i}", f"CIF{prefix}{i // 2}", ao, **values) for i in range(count)]


def _ids(as_of: date) -> dict[str, int]:
    """Each account's position id on `as_of`, by account number."""
    db.session.expire_all()
    return dict(
        db.session.execute(
            sa.text(
                "SELECT a.account_no, p.id FROM deposit_positions p"
                " JOIN deposit_accounts a ON a.id = p.account_id WHERE p.as_of = :d"
            ),
            {"d": as_of},
        ).all()
    )


def _leftovers() -> int:
    return db.session.scalar(
        sa.text(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'deposit\\_positions\\_build\\_%'"
        )
    )


def test_a_month_is_one_partition_and_a_reimport_keeps_the_other_dates_and_the_ids(ao, load):
    load(_rows(ao), MID)
    outcome = load(_rows(ao, balance=Decimal("40000000")), END)
    assert _where() == {
        MID: "deposit_positions_p202406",
        END: "deposit_positions_p202406",
    }
    assert "positions:insert" in outcome.record.summary["timings"]
    ids = _ids(END)

    again = _rows(ao, balance=Decimal("40000000"))
    again[0]["balance"] = Decimal("1000000")
    load(again, END)
    db.session.expire_all()
    assert _where() == {
        MID: "deposit_positions_p202406",
        END: "deposit_positions_p202406",
    }
    assert _ids(END) == ids
    assert len(_ids(MID)) == 6  # the month's other date came over whole
    assert D.positions(END)["T0"][0] == Decimal("1000000")
    assert D.positions(END)["T1"][0] == Decimal("40000000")
    assert _leftovers() == 0


def test_a_pairs_relationship_rows_lie_in_branch_officer_and_customer_order(
    ao, load, world, tmp_path
):
    officers = [world.remote.officer_code, ao, world.colleague.officer_code]
    loans = [L.line(f"ACC{i}", f"CIFT{i % 9}", officers[i % 9 % 3]) for i in range(9)]
    assert run_import(str(L.write_csv(tmp_path / "loans.csv", loans)), END).record.status == (
        ImportStatus.SUCCEEDED
    )
    load([D.line(f"T{i}", f"CIFT{i % 12}", officers[i % 12 % 3]) for i in range(24)], END)
    laid = in_page_order("relationship_customers", END, column="deposits_as_of")
    assert len(laid) == 12 and len({row[0] for row in laid}) == 2
    assert laid == sorted(laid)


def test_a_reimport_with_one_account_fewer_removes_its_position(ao, load):
    load(_rows(ao), END)
    ids = _ids(END)
    load(_rows(ao)[:-1], END)
    kept = _ids(END)
    assert set(kept) == set(ids) - {"T5"} and all(kept[a] == ids[a] for a in kept)
    assert D.accounts()["T5"][2] == "closed"  # closed on the date, as on SQLite
    assert _where() == {END: "deposit_positions_p202406"}


def test_a_partial_listing_goes_row_by_row_and_its_month_joins_the_next_full_one(ao, load):
    early, late = date(2019, 3, 15), date(2019, 3, 31)  # a month no other test imports
    load(_rows(ao, 2), early, partial=True)
    assert _where() == {early: "deposit_positions_default"}

    load(_rows(ao), late)
    assert _where() == {
        early: "deposit_positions_p201903",
        late: "deposit_positions_p201903",
    }
    assert db.session.scalar(sa.text("SELECT count(*) FROM deposit_positions_default")) == 0

    ids = _ids(late)  # a partial re-import of a partitioned month writes into it in place
    load([D.line("T0", "CIFT0", ao, balance=Decimal("7"))], late, partial=True)
    assert _ids(late) == ids and D.positions(late)["T0"][0] == Decimal("7")
    assert _where() == {
        early: "deposit_positions_p201903",
        late: "deposit_positions_p201903",
    }


def test_the_first_listing_into_an_empty_bank_builds_the_accounts_indexes_and_keys_once(
    ao, load, world, tmp_path, monkeypatch
):
    """As the loan listing's facilities: the deposit accounts' indexes and keys are set aside
    for the first listing's inserts and built again after; a failure leaves them as they were."""
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    before = schema_of("deposit_accounts")
    db.session.commit()
    monkeypatch.setattr(partition.MonthBuild, "finish", broken_finish)
    failed = D.Importer(tmp_path, world.admin).csv(_rows(ao), END)
    assert failed.record.status == ImportStatus.FAILED
    monkeypatch.undo()
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    db.session.expire_all()
    assert schema_of("deposit_accounts") == before and D.accounts() == {}

    set_aside = []
    original = bulk.built_after_if_empty

    @contextlib.contextmanager
    def spy(conn, table, rows):
        with original(conn, table, rows) as taken:
            set_aside.append((table, taken))
            yield taken

    monkeypatch.setattr(bulk, "built_after_if_empty", spy)
    load(_rows(ao), END)
    assert ("deposit_accounts", True) in set_aside
    db.session.expire_all()
    assert schema_of("deposit_accounts") == before
    assert len(D.accounts()) == 6 and len(_ids(END)) == 6
    load(_rows(ao, 8), END)  # the accounts are there now: the second listing inserts into them
    assert set_aside[-1] == ("deposit_accounts", False) and len(D.accounts()) == 8


def test_a_failed_import_leaves_the_month_as_it_was(ao, load, world, tmp_path, monkeypatch):
    load(_rows(ao), END)
    before = _ids(END)

    monkeypatch.setattr(partition.MonthBuild, "finish", broken_finish)
    outcome = D.Importer(tmp_path, world.admin).csv(_rows(ao)[:3], END)
    assert outcome.record.status == ImportStatus.FAILED
    db.session.expire_all()
    assert _ids(END) == before and _where() == {END: "deposit_positions_p202406"}
    assert _leftovers() == 0


def test_two_full_listings_of_different_months_imported_at_once_both_land(app, ao, tmp_path):
    """Each import builds and attaches its own month; they take turns, so neither swap meets
    the other's (the default partition is scanned and locked by every attach)."""
    july = date(2024, 7, 31)
    june_file = str(D.write_csv(tmp_path / "june.csv", _rows(ao)))
    july_file = str(D.write_csv(tmp_path / "july.csv", _rows(ao, 4, prefix="J")))
    imports_at_once(app, "positions", (june_file, END, "deposits"), (july_file, july, "deposits"))
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 2
    assert _where() == {
        END: "deposit_positions_p202406",
        july: "deposit_positions_p202407",
    }
    assert (len(_ids(END)), len(_ids(july))) == (6, 4)


def test_two_dates_of_one_month_imported_at_once_both_stay(app, ao, tmp_path):
    """Without the lock each build would miss the other's date, and the second swap would drop
    the first's positions."""
    mid_file = str(D.write_csv(tmp_path / "mid.csv", _rows(ao)))
    end_file = str(D.write_csv(tmp_path / "end.csv", _rows(ao, 4, prefix="E")))
    imports_at_once(app, "positions", (mid_file, MID, "deposits"), (end_file, END, "deposits"))
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 2
    assert _where() == {
        MID: "deposit_positions_p202406",
        END: "deposit_positions_p202406",
    }
    assert (len(_ids(MID)), len(_ids(END))) == (6, 4)
