"""The deposits listing keeps each position's maturity and ARO flag, so the deposits maturing after
a closed month-end stay what that listing said when a later one rolls a deposito over; the run-off
setting is read strictly, and the run-off the import stores follows corrections and the
setting."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.funding.figures import scope_funding
from config import Config
from tests.support import deposit_listings as D

OCT31, NOV30 = date(2026, 10, 31), date(2026, 11, 30)


def test_a_roll_over_moves_the_account_not_octobers_maturity(tmp_path, world):
    D.catalogue()
    importer = D.Importer(tmp_path, world.admin)
    ao = world.officer.officer_code
    due, rolled = date(2026, 11, 20), date(2027, 11, 20)
    for as_of, maturity in ((OCT31, due), (NOV30, rolled)):
        row = D.line("P1", "CIF1", ao, product_code="DEP", maturity_date=maturity, aro=True)
        outcome = importer.csv([row], as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
    assert D.account("P1").maturity_date == rolled
    october = scope_funding(resolve_scope(world.officer), OCT31, maturing_from=OCT31)
    assert (october.maturing_within(30).count, october.maturing_within(7).count) == (1, 0)
    assert october.maturing_within(30).non_aro_count == 0  # it rolls over by itself
    november = scope_funding(resolve_scope(world.officer), NOV30, maturing_from=NOV30)
    assert november.maturing_within(30).count == 0


def test_the_run_off_share_is_read_strictly(monkeypatch):
    monkeypatch.setenv("FUNDING_RUNOFF_SHARE", "0.3")
    assert Decimal("0.3") == Config().FUNDING_RUNOFF_SHARE
    for wrong in ("1.5", "0", "half"):
        monkeypatch.setenv("FUNDING_RUNOFF_SHARE", wrong)
        with pytest.raises(RuntimeError, match="FUNDING_RUNOFF_SHARE"):
            Config()


def _runoff_read(scope, as_of) -> tuple:
    """(the scope's run-off on `as_of`, whether it was read by joining the positions)."""
    read = []

    def record(_conn, _cursor, statement, *_args):
        read.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        runoff = scope_funding(scope, as_of).runoff
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    joined = any("JOIN deposit_positions AS deposit_positions_1" in s for s in read)
    return runoff, joined


def test_the_run_off_is_stored_by_the_import_and_rewritten_when_the_month_before_is(
    tmp_path, world, app
):
    """November's run-off is summed from the groups the import stored, without joining the
    positions; re-importing October rewrites it; at another share it is read from the
    positions, as before."""
    D.catalogue()
    importer = D.Importer(tmp_path, world.admin)
    ao = world.officer.officer_code
    october = [D.line("A1", "CIF1", ao, balance=100), D.line("A2", "CIF2", ao, balance=50)]
    november = [D.line("A1", "CIF1", ao, balance=40)]  # A1 down 60 %, A2 gone
    for as_of, rows in ((OCT31, october), (NOV30, november)):
        outcome = importer.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
    scope = resolve_scope(world.supervisor)
    runoff, joined = _runoff_read(scope, NOV30)
    assert not joined
    assert (runoff.previous, runoff.closed_count, runoff.closed_amount) == (OCT31, 1, 50)
    assert (runoff.dropped_count, runoff.dropped_amount) == (1, 60)

    october[0] = D.line("A1", "CIF1", ao, balance=70)  # corrected: now down 43 %, kept
    assert importer.csv(october, OCT31).ok
    runoff, joined = _runoff_read(scope, NOV30)
    assert not joined
    assert (runoff.closed_count, runoff.dropped_count, runoff.amount) == (1, 0, 50)
    with rollup_reads.live():
        assert scope_funding(scope, NOV30).runoff == runoff

    app.config["FUNDING_RUNOFF_SHARE"] = Decimal("0.4")  # stored at 0.5: read live
    runoff, joined = _runoff_read(scope, NOV30)
    assert joined
    assert (runoff.share, runoff.dropped_count, runoff.dropped_amount) == (Decimal("0.4"), 1, 30)
