"""The deposits listing keeps each position's maturity and ARO flag, so the deposits maturing after
a closed month-end stay what that listing said when a later one rolls a deposito over; the run-off
setting is read strictly."""

from datetime import date
from decimal import Decimal

import pytest

from aoapp.credit.figures import resolve_scope
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
