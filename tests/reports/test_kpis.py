"""Officer KPIs (kpis/officers.py) on the hand-computed October fixture of reports_portfolio."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.credit.figures import resolve_scope, scope_figures
from aoapp.extensions import db
from aoapp.kpis.officers import (
    OfficerKpis,
    kpi_totals,
    officer_kpis,
    rate,
    scope_officers,
)
from aoapp.kpis.periods import judging_day
from tests.support.reports_portfolio import NOV15, OCT31, OCTOBER, M, october_book


@pytest.fixture
def october(world, tmp_path):
    return october_book(world, tmp_path)


def kpis_of(actor, officer_id=None, branch_id=None) -> dict[str, OfficerKpis]:
    scope = resolve_scope(actor, officer_id, branch_id)
    officers = scope_officers(scope, OCT31)
    rows = officer_kpis(
        officers,
        OCTOBER.start,
        OCTOBER.end,
        OCT31,
        condition=scope.condition,
        judged_on=judging_day(OCTOBER),
    )
    return {row.username: row for row in rows}


class TestScopeOfficers:
    def test_a_branch_lists_its_active_officers_even_without_a_portfolio(self, october, world):
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        assert [o.username for o in scope_officers(scope, OCT31)] == [
            "ao.baru",
            "ao.budi",
            "ao.sari",
        ]

    def test_an_officer_scope_lists_the_officer(self, october, world):
        scope = resolve_scope(world.officer)
        assert [o.username for o in scope_officers(scope, OCT31)] == ["ao.budi"]

    def test_the_bank_lists_every_active_officer(self, october, world):
        scope = resolve_scope(world.admin)
        names = [o.username for o in scope_officers(scope, OCT31)]
        assert names == ["ao.dewi", "ao.baru", "ao.budi", "ao.sari"]  # BDG01 first

    def test_an_inactive_officer_still_holding_a_portfolio_is_listed(self, october, world):
        world.colleague.active = False
        db.session.commit()
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        assert "ao.sari" in [o.username for o in scope_officers(scope, OCT31)]
        assert "ao.pensiun" not in [o.username for o in scope_officers(scope, OCT31)]


class TestHandComputed:
    def test_promises_are_judged_on_the_last_day_of_the_period(self, october, world):
        # Not the day before the next listing (15 Nov): November's events are not October's.
        assert judging_day(OCTOBER) == OCT31

    def test_portfolio_kpis_of_ao_budi(self, october, world):
        budi = kpis_of(world.supervisor, branch_id=world.jkt.id)["ao.budi"]
        assert (budi.debtors, budi.facilities) == (7, 8)
        assert budi.outstanding == Decimal(905 * M)
        # NPL: A-F3 (Kol 3, 300 M) and CV Delapan's two facilities (Kol 4 by one obligor).
        assert budi.npl_outstanding == Decimal(400 * M)
        assert budi.npl_ratio == Decimal("0.4420")  # 400 / 905
        assert budi.par30_outstanding == Decimal(360 * M)  # A-F3 95 dpd, A-F8b 130 dpd
        assert budi.par30_ratio == Decimal("0.3978")
        assert budi.downgrades == 3  # A-F3 2→3, A-F8a and A-F8b 3→4 since 15 Oct

    def test_conversion_rate(self, october, world):
        budi = kpis_of(world.officer)["ao.budi"]
        assert (budi.prospects_collected, budi.prospects_converted) == (4, 1)
        assert budi.conversion_rate == Decimal("0.2500")

    def test_introductions_and_followups(self, october, world):
        budi = kpis_of(world.officer)["ao.budi"]
        assert budi.introductions == 2
        assert (budi.followups_done, budi.followups_overdue) == (6, 2)

    def test_ptp_kept_rate(self, october, world):
        budi = kpis_of(world.officer)["ao.budi"]
        # Deadlines in October: P4 kept; P1 broken; P2 (deadline 31 Oct) still pending on
        # October's last day. P3 (2 Nov) and P5 (23 Nov) are not October's.
        assert (budi.ptp_kept, budi.ptp_broken) == (1, 1)
        assert budi.ptp_kept_rate == Decimal("0.5000")

    def test_nothing_to_rate_is_none_not_zero(self, october, world):
        rows = kpis_of(world.supervisor, branch_id=world.jkt.id)
        sari, baru = rows["ao.sari"], rows["ao.baru"]
        assert (sari.conversion_rate, sari.ptp_kept_rate) == (None, None)
        assert sari.npl_ratio == Decimal("1.0000") and sari.introductions == 1
        assert (baru.facilities, baru.outstanding, baru.npl_ratio) == (0, 0, Decimal("0.0000"))
        assert (baru.prospects_collected, baru.conversion_rate) == (1, Decimal("0.0000"))

    def test_overdue_on_another_day(self, october, world):
        officer = scope_officers(resolve_scope(world.officer), OCT31)
        (row,) = officer_kpis(
            officer, OCTOBER.start, OCTOBER.end, OCT31, overdue_on=NOV15.replace(day=30)
        )
        # Still planned on 30 Nov and due before it: 28 Oct, 31 Oct, 3 Nov, 5 Nov, 8 Nov, 10 Nov.
        assert row.followups_overdue == 6


class TestOneSourceOfFigures:
    def test_each_officer_equals_the_portfolio_figures_of_their_scope(self, october, world):
        for row in kpis_of(world.admin).values():
            figures = scope_figures(resolve_scope(world.admin, officer_id=row.officer_id), OCT31)
            assert row.outstanding == figures.total_outstanding
            assert (row.facilities, row.debtors) == (figures.facility_count, figures.debtor_count)
            assert row.npl_ratio == figures.npl_ratio
            assert row.par30_ratio == figures.par_ratio(30)

    def test_branch_totals_are_the_sum_of_the_rows_and_equal_the_branch(self, october, world):
        rows = list(kpis_of(world.supervisor, branch_id=world.jkt.id).values())
        total = kpi_totals(rows)
        figures = scope_figures(resolve_scope(world.supervisor, branch_id=world.jkt.id), OCT31)
        assert total.outstanding == figures.total_outstanding == Decimal(1405 * M)
        assert total.npl_ratio == figures.npl_ratio
        assert total.facilities == sum(r.facilities for r in rows) == figures.facility_count
        assert (total.ptp_kept, total.ptp_broken) == (1, 1)
        assert total.conversion_rate == rate(1, 5)


def test_a_fixed_number_of_queries_whatever_the_officers(october, world):
    statements = []

    def count(*_args):
        statements.append(1)

    officers = scope_officers(resolve_scope(world.admin), OCT31)
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        officer_kpis(officers[:1], OCTOBER.start, OCTOBER.end, OCT31)
        one = len(statements)
        statements.clear()
        officer_kpis(officers, OCTOBER.start, OCTOBER.end, OCT31)
        # One per source, whether a deposits listing is in (none here: no funding queries; one
        # read of the listing dates, common/latest.py), and whether the date has month-end
        # aggregates (credit/rollup_reads.py).
        assert len(statements) == one == 7
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_no_officers_no_queries():
    assert officer_kpis([], OCTOBER.start, OCTOBER.end, OCT31) == []
