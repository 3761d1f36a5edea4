"""Dashboard services on the hand-computed fixture of tests/support/dashboards.py."""

from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from aoapp.credit.figures import resolve_scope
from aoapp.credit.watchlist import scope_watchlist
from aoapp.dashboards.services import officer_dashboard, team_dashboard
from aoapp.errors import InvalidInput, NotFound
from aoapp.kpis.officers import AMOUNTS, COUNTS, officer_kpis, scope_officers
from aoapp.kpis.periods import judging_day, parse_period
from tests.support.dashboards import (
    AUG31,
    BANK,
    BUDI,
    BUDI_PIPELINE,
    BUDI_TREND,
    DEWI,
    JKT,
    JKT_TREND,
    KPIS,
    LIVE,
    MIGRATION_AUG_OCT,
    MIGRATION_SEP_OCT,
    OCT15,
    OCT31,
    OCTOBER_WORKLOAD,
    OVERALL,
    PERIOD,
    SARI,
    SEP30,
    TARGETS,
    M,
    dashboard_book,
)

OCTOBER = parse_period(PERIOD)


@pytest.fixture
def book(world):
    return dashboard_book(world)


def officer(book, user, actor=None, period=PERIOD, **kw):
    return officer_dashboard(actor or user, user.id, period, today=book.today, **kw)


def team(book, actor, branch=None, period=PERIOD, **kw):
    branch_id = branch.id if branch is not None else None
    return team_dashboard(actor, branch_id, period, today=book.today, **kw)


def assert_portfolio(view, expected) -> None:
    """A PortfolioView equals the hand-computed figures."""
    f = view.figures
    assert f.total_outstanding == Decimal(expected.outstanding)
    assert (f.debtor_count, f.facility_count) == (expected.debtors, expected.facilities)
    assert f.npl_outstanding == Decimal(expected.npl)
    assert f.npl_ratio == Decimal(expected.npl_ratio)
    assert view.par30_outstanding == Decimal(expected.par30)
    assert view.par30_ratio == Decimal(expected.par30_ratio)
    assert view.npl_ratio_change == Decimal(expected.npl_ratio_change)
    assert view.par30_ratio_change == Decimal(expected.par30_ratio_change)
    assert view.watchlist == expected.watchlist
    kols = {row.kol: (row.count, row.outstanding, row.share) for row in f.kol_distribution}
    assert kols == {
        kol: (count, Decimal(millions * M), Decimal(share))
        for kol, (count, millions, share) in expected.kol.items()
    }


def trend_of(points) -> list[tuple]:
    return [(p.as_of, p.outstanding, str(p.npl_ratio), str(p.par30_ratio)) for p in points]


def expected_trend(points) -> list[tuple]:
    return [(day, Decimal(millions * M), npl, par) for day, millions, npl, par in points]


class TestOfficerDashboard:
    def test_dates_of_the_month(self, book, world):
        dash = officer(book, world.officer)
        assert (dash.period.code, dash.as_of, dash.previous_as_of) == (PERIOD, OCT31, SEP30)
        assert dash.as_of_in_period is True

    @pytest.mark.parametrize(
        ("who", "expected"), [("officer", BUDI), ("colleague", SARI), ("remote", DEWI)]
    )
    def test_portfolio(self, book, world, who, expected):
        assert_portfolio(officer(book, getattr(world, who)).portfolio, expected)

    def test_watchlist_count_is_the_watchlist_pages_total(self, book, world):
        scope = resolve_scope(world.officer, world.officer.id)
        assert officer(book, world.officer).portfolio.watchlist == (
            scope_watchlist(scope, OCT31).total
        )

    def test_trend_uses_the_last_listing_of_each_month(self, book, world):
        dash = officer(book, world.officer)
        assert OCT15 not in [p.as_of for p in dash.trend]
        assert trend_of(dash.trend) == expected_trend(BUDI_TREND)
        last = dash.trend[-1]
        assert last.outstanding == dash.portfolio.figures.total_outstanding
        assert last.npl_ratio == dash.portfolio.figures.npl_ratio
        assert last.par30_ratio == dash.portfolio.par30_ratio

    def test_trend_keeps_the_last_twelve_month_ends(self, book, world):
        from tests.support.credit import post_listing

        facility = book.facilities["B1"]
        for month in range(1, 13):  # twelve month-ends in 2025, none from January to July 2026
            post_listing(date(2025, month, 28), [(facility, 0, 10 * M)])
        points = officer(book, world.officer).trend
        assert len(points) == 12
        assert points[0].as_of == date(2025, 4, 28)  # no listings from January to July 2026
        assert points[-1].as_of == OCT31

    def test_kpis_pipeline_and_conversion(self, book, world):
        dash = officer(book, world.officer)
        budi = KPIS["ao.budi"]
        assert {s.status: s.count for s in dash.pipeline.statuses} == BUDI_PIPELINE
        assert [s.status for s in dash.pipeline.statuses] == list(BUDI_PIPELINE)
        assert dash.pipeline.on == OCT31
        assert (dash.pipeline.collected, dash.pipeline.converted) == (4, 1)
        assert dash.pipeline.conversion_rate == Decimal("0.2500")
        assert (dash.kpis.ptp_kept, dash.kpis.ptp_broken) == (budi["ptp_kept"], budi["ptp_broken"])
        assert dash.kpis.ptp_kept_rate == Decimal("0.3333")
        assert dash.kpis.followups_done == 7

    def test_live_followups_and_complaints(self, book, world):
        current = f"{book.today:%Y-%m}"  # the current month: counted on the bank's today
        for who in ("officer", "colleague", "remote"):
            user = getattr(world, who)
            load = officer(book, user, period=current).workload
            live = LIVE[user.username]
            assert (load.followups_today, load.followups_overdue) == (
                live["today"],
                live["overdue"],
            )
            assert (load.complaints_open, load.complaints_overdue) == (live["open"], live["late"])

    def test_a_past_month_counts_at_its_end(self, book, world):
        for who in ("officer", "colleague", "remote"):
            user = getattr(world, who)
            load = officer(book, user).workload  # October, read long after
            then = OCTOBER_WORKLOAD[user.username]
            assert (load.followups_today, load.followups_overdue) == (
                then["today"],
                then["overdue"],
            )
            assert (load.complaints_open, load.complaints_overdue) == (then["open"], then["late"])

    def test_targets(self, book, world):
        achievement = officer(book, world.officer).targets
        assert achievement.month == date(2026, 10, 1)
        assert achievement.overall == Decimal(OVERALL["ao.budi"])
        for key, expected in TARGETS["ao.budi"].items():
            metric = achievement.metric(key)
            if expected is None:
                assert (metric.target, metric.achievement, metric.met) == (None, None, None)
                continue
            target, actual, achieved, met = expected
            assert (metric.target, metric.actual) == (Decimal(target), Decimal(actual)), key
            assert (metric.achievement, metric.met) == (Decimal(achieved), met), key

    def test_an_earlier_month(self, book, world):
        dash = officer(book, world.officer, period="2026-09")
        assert (dash.as_of, dash.previous_as_of, dash.as_of_in_period) == (SEP30, AUG31, True)
        assert dash.portfolio.figures.total_outstanding == 760 * M
        assert dash.portfolio.npl_ratio_change == Decimal("0.0658")  # 0.0658 - 0
        assert dash.portfolio.par30_ratio_change == Decimal("0.3947")  # 0.4605 - 0.0658
        assert [p.as_of for p in dash.trend] == [AUG31, SEP30]

    def test_a_month_without_its_listing_shows_the_last_one_and_awaits_actuals(self, book, world):
        dash = officer(book, world.officer, period="2026-11")
        assert (dash.as_of, dash.previous_as_of, dash.as_of_in_period) == (OCT31, SEP30, False)
        assert dash.portfolio.figures.total_outstanding == 830 * M
        assert dash.targets.month == date(2026, 11, 1)
        assert dash.targets.metric("outstanding_growth").actual is None
        assert dash.targets.overall is None  # no targets set for November

    def test_a_month_before_any_listing_is_empty(self, book, world):
        dash = officer(book, world.officer, period="2026-07")
        assert (dash.as_of, dash.previous_as_of, dash.as_of_in_period) == (None, None, False)
        assert dash.portfolio.figures.total_outstanding == 0
        assert (dash.portfolio.npl_ratio_change, dash.portfolio.watchlist) == (None, 0)
        assert dash.trend == []

    def test_default_period_is_the_banks_current_month(self, book, world):
        dash = officer_dashboard(world.officer, today=book.today)
        assert dash.period.code == f"{book.today:%Y-%m}"
        assert dash.officer.username == "ao.budi"

    def test_only_months(self, book, world):
        with pytest.raises(InvalidInput) as caught:
            officer(book, world.officer, period="2026Q4")
        assert "period" in caught.value.errors


class TestOfficerDashboardScoping:
    def test_an_officer_sees_only_their_own(self, book, world):
        with pytest.raises(NotFound):
            officer(book, world.colleague, actor=world.officer)

    def test_a_supervisor_must_name_an_officer(self, book, world):
        with pytest.raises(InvalidInput) as caught:
            officer_dashboard(world.supervisor, None, PERIOD, today=book.today)
        assert "officer_id" in caught.value.errors

    def test_a_supervisor_sees_the_officers_of_their_branches(self, book, world):
        assert_portfolio(officer(book, world.colleague, actor=world.supervisor).portfolio, SARI)
        with pytest.raises(NotFound):
            officer(book, world.remote, actor=world.supervisor)
        assert_portfolio(officer(book, world.remote, actor=world.bdg_supervisor).portfolio, DEWI)

    def test_an_admin_sees_any_officer(self, book, world):
        assert_portfolio(officer(book, world.officer, actor=world.admin).portfolio, BUDI)

    def test_a_supervisor_is_no_officer(self, book, world):
        with pytest.raises(NotFound):
            officer_dashboard(world.admin, world.supervisor.id, PERIOD, today=book.today)


class TestTeamDashboard:
    def test_rows_are_the_hand_computed_kpis(self, book, world):
        dash = team(book, world.supervisor)
        assert [row.username for row in dash.officers] == ["ao.baru", "ao.budi", "ao.sari"]
        for row in dash.officers:
            for key, value in KPIS[row.username].items():
                expected = Decimal(value) if isinstance(value, str) else value
                assert getattr(row, key) == expected, (row.username, key)
            assert row.target_achievement == (
                None if OVERALL[row.username] is None else Decimal(OVERALL[row.username])
            )
        budi = dash.officers[1]
        assert (budi.outstanding, budi.npl_ratio, budi.par30_ratio) == (
            830 * M,
            Decimal(BUDI.npl_ratio),
            Decimal(BUDI.par30_ratio),
        )

    def test_rows_are_the_workbooks_kpi_call(self, book, world):
        scope = resolve_scope(world.supervisor)
        expected = officer_kpis(
            scope_officers(scope, OCT31),
            OCTOBER.start,
            OCTOBER.end,
            OCT31,
            condition=scope.condition,
            judged_on=judging_day(OCTOBER),
        )
        rows = team(book, world.supervisor).officers
        for row, kpi in zip(rows, expected, strict=True):
            for f in fields(kpi):
                assert getattr(row, f.name) == getattr(kpi, f.name), f.name

    def test_totals_are_the_sums_of_the_rows(self, book, world):
        dash = team(book, world.supervisor)
        for name in (*COUNTS, *AMOUNTS, "complaints_open", "complaints_overdue"):
            assert getattr(dash.totals, name) == sum(getattr(r, name) for r in dash.officers), name
        t = dash.totals
        assert t.officer_id is None
        assert (t.outstanding, t.npl_outstanding, t.par30_outstanding) == (
            1430 * M,
            550 * M,
            710 * M,
        )
        assert (t.npl_ratio, t.par30_ratio) == (Decimal(JKT.npl_ratio), Decimal(JKT.par30_ratio))
        assert (t.prospects_collected, t.prospects_converted) == (7, 3)
        assert t.conversion_rate == Decimal("0.4286")  # 3 / 7
        assert (t.ptp_kept, t.ptp_broken, t.ptp_kept_rate) == (1, 3, Decimal("0.2500"))
        assert (t.complaints_open, t.complaints_overdue) == (0, 0)  # all received after October

    def test_totals_target_achievement(self, book, world):
        """Targets and actuals summed over the officers with a target: new customers 1 of 3
        (0.3333), disbursement 80 of 100 M (0.8), growth 70 of 50 M (1.4, capped), follow-ups
        9 of 14 (0.6429), introductions 1 of 2 (0.5); no NPL target in a total."""
        achievement = team(book, world.supervisor).totals.achievement
        got = {m.key: m.achievement for m in achievement.metrics}
        assert got == {
            "new_customers": Decimal("0.3333"),
            "new_disbursement": Decimal("0.8000"),
            "outstanding_growth": Decimal("1.4000"),
            "max_npl_ratio": None,
            "followups_done": Decimal("0.6429"),
            "introductions": Decimal("0.5000"),
            # No deposits listing: the funding metrics have neither target nor actual.
            "dpk_growth": None,
            "casa_ratio": None,
            "cross_sell_ratio": None,
            "retention_rate": None,
        }
        assert team(book, world.supervisor).totals.target_achievement == Decimal("0.6552")

    def test_branch_portfolio_and_trend(self, book, world):
        dash = team(book, world.supervisor, world.jkt)
        assert (dash.scope.label, dash.scope.branch_id) == ("Branch JKT01", world.jkt.id)
        assert (dash.as_of, dash.previous_as_of, dash.as_of_in_period) == (OCT31, SEP30, True)
        assert_portfolio(dash.portfolio, JKT)
        assert trend_of(dash.trend) == expected_trend(JKT_TREND)

    def test_bank_wide_for_the_admin(self, book, world):
        dash = team(book, world.admin)
        assert dash.scope.label == "Bank-wide"
        assert [row.username for row in dash.officers] == [
            "ao.dewi",
            "ao.baru",
            "ao.budi",
            "ao.sari",
        ]
        assert_portfolio(dash.portfolio, BANK)
        assert dash.totals.outstanding == BANK.outstanding


def cells_of(migration) -> dict:
    return {
        (c["from_kol"], c["to_kol"]): (c["count"], c["outstanding"] / M)
        for c in migration.cells
        if c["count"]
    }


class TestKolMigration:
    def test_default_is_from_the_previous_month_end(self, book, world):
        migration = team(book, world.supervisor).migration
        assert (migration.from_date, migration.to_date) == (SEP30, OCT31)
        assert migration.dates == [OCT31, SEP30, AUG31]  # 15 Oct is no month-end
        assert cells_of(migration) == MIGRATION_SEP_OCT
        assert len(migration.cells) == 30  # 6 rows (Kol 1-5, new) x 5 columns, zeros included

    def test_row_and_column_totals(self, book, world):
        migration = team(book, world.supervisor).migration
        rows = {r["from_kol"]: (r["count"], r["outstanding"] / M) for r in migration.row_totals}
        assert rows == {1: (5, 800), 2: (2, 500), 3: (1, 50), 4: (0, 0), 5: (0, 0), None: (1, 80)}
        columns = [(c["count"], c["outstanding"] / M) for c in migration.column_totals]
        assert columns == [(4, 680), (1, 200), (1, 300), (2, 100), (1, 150)]
        assert migration.total == {"count": 9, "outstanding": Decimal(1430 * M)}

    def test_between_chosen_month_ends(self, book, world):
        migration = team(book, world.supervisor, migration_from=AUG31).migration
        assert (migration.from_date, migration.to_date) == (AUG31, OCT31)
        assert cells_of(migration) == MIGRATION_AUG_OCT

    def test_to_alone_starts_from_its_previous_month_end(self, book, world):
        migration = team(book, world.supervisor, migration_to=SEP30).migration
        assert (migration.from_date, migration.to_date) == (AUG31, SEP30)
        assert cells_of(migration)[(None, 1)] == (1, 450)  # S2 started in September

    @pytest.mark.parametrize(
        ("args", "field"),
        [
            ({"migration_from": OCT15}, "from"),  # a listing, but not a month-end
            ({"migration_to": date(2026, 7, 31)}, "to"),
            ({"migration_from": OCT31, "migration_to": SEP30}, "from"),
            ({"migration_from": OCT31}, "from"),  # not before the default `to`
        ],
    )
    def test_refused_dates(self, book, world, args, field):
        with pytest.raises(InvalidInput) as caught:
            team(book, world.supervisor, **args)
        assert list(caught.value.errors) == [field]

    def test_a_branch_has_its_own_dates(self, book, world):
        branch = world.bdg
        migration = team(book, world.bdg_supervisor, branch).migration
        assert cells_of(migration) == {(1, 1): (1, 800), (1, 2): (1, 200)}


class TestTeamDashboardScoping:
    def test_officers_have_none(self, book, world):
        with pytest.raises(NotFound):
            team(book, world.officer)

    def test_a_supervisor_sees_only_their_branches(self, book, world):
        with pytest.raises(NotFound):
            team(book, world.supervisor, world.bdg)
        dash = team(book, world.bdg_supervisor)
        assert [row.username for row in dash.officers] == ["ao.dewi"]
        assert_portfolio(dash.portfolio, DEWI)

    def test_an_admin_may_pick_one_branch(self, book, world):
        dash = team(book, world.admin, world.bdg)
        assert [row.username for row in dash.officers] == ["ao.dewi"]
        assert dash.scope.branch_id == world.bdg.id

    def test_no_listing_yet(self, world):
        dash = team_dashboard(world.supervisor, None, "2026-10", today=date(2026, 11, 24))
        assert (dash.as_of, dash.migration.to_date, dash.migration.cells[0]["count"]) == (
            None,
            None,
            0,
        )
        assert [row.username for row in dash.officers] == ["ao.budi", "ao.sari"]
        assert dash.trend == []
