"""A loan listing and a deposits listing of different dates imported at once, in two processes,
meeting at their rollups step, when each has swapped its month in (imports/partition.py). From
its swap to its commit an import holds off the readers of its positions, and each kind's later
steps read the other kind's positions while holding the turn of the figures joining two listings
(`relationship_tables.hold_joined`): so each takes that turn before its swap, and neither import
waits on the other in a cycle (PostgreSQL's deadlock detector failed one of them before)."""

from datetime import date

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.concurrency import imports_at_once

JUNE, JULY = date(2024, 6, 30), date(2024, 7, 31)


def _imported(path, as_of: date, kind: str) -> None:
    outcome = D.Importer(path.parent).run(path, as_of, kind=kind)
    assert outcome.ok, outcome.record.shown_message


def test_a_loan_reimport_and_a_deposits_listing_of_another_month_at_once_both_succeed(
    app, world, tmp_path
):
    L.catalogue()
    ao = world.officer.officer_code
    loans = [L.line(f"L{i}", f"CIF{i}", ao) for i in range(6)]
    _imported(L.write_csv(tmp_path / "june.csv", loans), JUNE, "loans")
    funds = [D.line(f"T{i}", f"CIF{i}", ao) for i in range(6)]
    _imported(D.write_csv(tmp_path / "june-funds.csv", funds), JUNE, "deposits")

    again = L.write_csv(tmp_path / "june-again.csv", loans[:-1])
    july = D.write_csv(tmp_path / "july-funds.csv", funds[:-1])
    imports_at_once(app, "rollups", (str(again), JUNE, "loans"), (str(july), JULY, "deposits"))
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 4
    # Each kind's listing dates are its positions' dates, written in each import's transaction.
    for kind, table in (("loans", "positions"), ("deposits", "deposit_positions")):
        listed = db.session.scalars(
            sa.text("SELECT as_of FROM listing_dates WHERE kind = :kind ORDER BY as_of"),
            {"kind": kind},
        ).all()
        stored = db.session.scalars(sa.text(f"SELECT DISTINCT as_of FROM {table} ORDER BY 1"))  # noqa: S608
        assert [str(day) for day in listed] == [str(day) for day in stored] != [], kind
