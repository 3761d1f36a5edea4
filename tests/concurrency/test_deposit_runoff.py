"""The deposits' run-off (funding/rollups.py) written by two imports at once: a corrected
October and November's listing meet at their rollups step, in two processes. November's run-off
compares with October: whichever import goes second must compute it from the other's October,
so the run-off's writers take turns (`relationship_tables.hold_joined`) before reading which
listings there are. Either order leaves the run-off the positions give."""

from datetime import date

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.funding import rollups
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import deposit_listings as D
from tests.support.concurrency import imports_at_once
from tests.support.rollups import assert_deposit_rollups_are_the_positions

OCT31, NOV30 = date(2024, 10, 31), date(2024, 11, 30)


def test_a_corrected_october_and_novembers_listing_at_once_leave_novembers_run_off_right(
    app, world, tmp_path
):
    D.catalogue()
    ao = world.officer.officer_code
    october = [D.line(f"T{i}", f"CIF{i}", ao, balance=100) for i in range(20)]
    assert D.Importer(tmp_path, world.admin).csv(october, OCT31).ok
    # Corrected: half the accounts held 10 in October, so November's 40 is no drop for them.
    corrected = [D.line(f"T{i}", f"CIF{i}", ao, balance=10 if i % 2 else 100) for i in range(20)]
    november = [D.line(f"T{i}", f"CIF{i}", ao, balance=40) for i in range(20)]
    imports_at_once(
        app,
        "rollups",
        (str(D.write_csv(tmp_path / "oct.csv", corrected)), OCT31, "deposits"),
        (str(D.write_csv(tmp_path / "nov.csv", november)), NOV30, "deposits"),
    )
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(PositionImport.status)).all()
    assert statuses == [ImportStatus.SUCCEEDED] * 3
    assert_deposit_rollups_are_the_positions()  # the run-off of both dates among them
    dropped = db.session.scalar(
        sa.select(sa.func.sum(rollups.RUNOFF.c.dropped)).where(rollups.RUNOFF.c.as_of == NOV30)
    )
    assert dropped == 10  # the accounts that held 100 in October
