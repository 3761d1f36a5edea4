"""Target achievement (aoapp/targets/achievement.py) on the hand-counted October of
tests/support/targets.py: every actual, achievement and the overall figure written out by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from aoapp.kpis.officers import kpi_totals
from aoapp.kpis.periods import parse_period
from aoapp.targets.achievement import (
    METRIC_KEYS,
    METRICS,
    judge,
    officer_achievements,
    total_achievement,
)
from tests.support.factories import make_target
from tests.support.targets import NOVEMBER, OCT31, OCTOBER, kpi_rows, millions, october

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def book(world):
    built = october(world)
    make_target(
        built.budi,
        OCT,
        new_customers=4,
        new_disbursement=millions(250),
        outstanding_growth=millions(500),
        max_npl_ratio=D("0.0500"),
        followups_done=3,
        introductions=4,
    )
    make_target(
        built.sari,
        OCT,
        new_customers=1,
        outstanding_growth=millions(200),
        max_npl_ratio=D("0.0300"),
        followups_done=2,
        introductions=0,
    )
    return built


@pytest.fixture
def october_achievements(book):
    rows = kpi_rows(OCTOBER, OCT31, book.budi, book.sari, book.remote)
    return rows, officer_achievements(rows, OCTOBER, OCT31)


def facts(achievement) -> dict:
    """{metric: (target, actual, achievement, met)}."""
    return {m.key: (m.target, m.actual, m.achievement, m.met) for m in achievement.metrics}


class TestActuals:
    def test_budi(self, book, october_achievements):
        found = facts(october_achievements[1][book.budi.id])
        # customers since 1 Oct and 31 Oct; not 30 Sep nor 1 Nov
        assert found["new_customers"][1] == 2
        # F2 200 + F3 100; F4 started 30 Sep, F5 is booked to ao.sari, F6 has no position
        assert found["new_disbursement"][1] == D("300000000.00")
        # 900 on 31 Oct − 650 booked to him on 30 Sep
        assert found["outstanding_growth"][1] == D("250000000.00")
        assert found["max_npl_ratio"][1] == D("0.0889")  # 80 / 900
        assert found["followups_done"][1] == 3
        assert found["introductions"][1] == 2

    def test_sari(self, book, october_achievements):
        found = facts(october_achievements[1][book.sari.id])
        assert [found[key][1] for key in METRIC_KEYS] == [
            1,
            D("300000000.00"),  # F5, booked to her though the customer is ao.budi's
            D("250000000.00"),  # 750 − 500
            D("0.0000"),
            1,
            0,
            None,  # no deposits listing: the funding metrics await it
            None,
            None,
            None,
        ]

    def test_an_officer_without_targets_has_actuals_but_no_achievement(
        self, book, october_achievements
    ):
        dewi = october_achievements[1][book.remote.id]
        assert [(m.target, m.achievement, m.met) for m in dewi.metrics] == [(None, None, None)] * 10
        assert dewi.overall is None
        assert dewi.metric("new_disbursement").actual == D("0.00")
        assert dewi.month == OCT


class TestAchievements:
    def test_budi(self, book, october_achievements):
        found = facts(october_achievements[1][book.budi.id])
        assert found["new_customers"] == (4, 2, D("0.5000"), False)
        assert found["new_disbursement"][2:] == (D("1.2000"), True)  # 300 / 250, over 100 %
        assert found["outstanding_growth"][2:] == (D("0.5000"), False)  # 250 / 500
        # a ceiling missed: 0.05 / 0.0889 = 0.56242…
        assert found["max_npl_ratio"] == (D("0.0500"), D("0.0889"), D("0.5624"), False)
        assert found["followups_done"] == (3, 3, D("1.0000"), True)  # met exactly
        assert found["introductions"] == (4, 2, D("0.5000"), False)
        # (0.5 + 1 [1.2 capped] + 0.5 + 0.5624 + 1 + 0.5) / 6 = 4.0624 / 6 = 0.67706…
        assert october_achievements[1][book.budi.id].overall == D("0.6771")

    def test_sari(self, book, october_achievements):
        found = facts(october_achievements[1][book.sari.id])
        assert found["new_customers"][2:] == (D("1.0000"), True)
        assert found["new_disbursement"] == (None, D("300000000.00"), None, None)  # no target
        assert found["outstanding_growth"][2:] == (D("1.2500"), True)  # 250 / 200
        assert found["max_npl_ratio"][2:] == (D("1.0000"), True)  # 0 % under a 3 % ceiling
        assert found["followups_done"][2:] == (D("0.5000"), False)  # 1 of 2
        assert found["introductions"][2:] == (D("1.0000"), True)  # a target of 0, met
        # (1 + 1 [1.25 capped] + 1 + 0.5 + 1) / 5 metrics with a target
        assert october_achievements[1][book.sari.id].overall == D("0.9000")

    def test_totals_sum_the_officers_with_a_target(self, book, october_achievements):
        rows, achievements = october_achievements
        total = total_achievement(list(achievements.values()), kpi_totals(rows))
        found = facts(total)
        assert total.officer_id is None and total.month == OCT
        assert found["new_customers"] == (5, 3, D("0.6000"), False)  # 4 + 1 targets; 2 + 1
        # only ao.budi has a disbursement target: his 300 against 250
        assert found["new_disbursement"] == (
            D("250000000.00"),
            D("300000000.00"),
            D("1.2000"),
            True,
        )
        assert found["outstanding_growth"][:3] == (
            D("700000000.00"),
            D("500000000.00"),
            D("0.7143"),  # 500 / 700 = 0.714285…
        )
        # the ceiling is not additive: the team's NPL ratio 80 / 1,650, no target
        assert found["max_npl_ratio"] == (None, D("0.0485"), None, None)
        assert found["followups_done"][:3] == (5, 4, D("0.8000"))
        assert found["introductions"][:3] == (4, 2, D("0.5000"))
        # (0.6 + 1 [1.2 capped] + 0.7143 + 0.8 + 0.5) / 5 = 0.72286
        assert total.overall == D("0.7229")


class TestMonthsAndListings:
    def test_an_as_of_date_outside_the_month_leaves_the_portfolio_actuals_empty(self, book):
        make_target(
            book.budi,
            NOV,
            new_customers=2,
            new_disbursement=millions(100),
            max_npl_ratio=D("0.0500"),
            followups_done=1,
        )
        rows = kpi_rows(NOVEMBER, OCT31, book.budi)  # no November listing yet
        found = officer_achievements(rows, NOVEMBER, OCT31)[book.budi.id]
        assert facts(found)["new_customers"] == (2, 1, D("0.5000"), False)  # since 1 Nov
        assert facts(found)["new_disbursement"] == (D("100000000.00"), None, None, None)
        assert found.metric("outstanding_growth").actual is None
        assert facts(found)["max_npl_ratio"] == (D("0.0500"), None, None, None)
        # done 31 Oct 17:00 UTC = 1 Nov 00:00 in Jakarta
        assert facts(found)["followups_done"] == (1, 1, D("1.0000"), True)
        assert found.overall == D("0.7500")  # (0.5 + 1) / 2: only measured metrics count

    def test_no_listing_at_all(self, book):
        rows = kpi_rows(OCTOBER, None, book.budi)
        found = officer_achievements(rows, OCTOBER, None)[book.budi.id]
        assert found.metric("new_disbursement").actual is None
        assert found.metric("new_customers").achievement == D("0.5000")

    def test_only_months_have_achievements(self, book):
        quarter = parse_period("2026Q4")
        rows = kpi_rows(quarter, OCT31, book.budi)
        found = officer_achievements(rows, quarter, OCT31)[book.budi.id]
        assert found.month is None and found.overall is None
        assert all(m.target is None and m.achievement is None for m in found.metrics)
        total = total_achievement([found], kpi_totals(rows))
        assert total.month is None and total.overall is None

    def test_metrics_in_order(self):
        assert [m.key for m in METRICS] == [
            "new_customers",
            "new_disbursement",
            "outstanding_growth",
            "max_npl_ratio",
            "followups_done",
            "introductions",
            "dpk_growth",
            "casa_ratio",
            "cross_sell_ratio",
            "retention_rate",
        ]
        assert [m.key for m in METRICS if m.ceiling] == ["max_npl_ratio"]


NPL = METRICS[3]
GROWTH = METRICS[2]


@pytest.mark.parametrize(
    ("metric", "target", "actual", "expected"),
    [
        (NPL, "0.0300", "0.0300", ("1.0000", True)),  # at the ceiling: met
        (NPL, "0.0300", "0.0301", ("0.9967", False)),  # 0.03 / 0.0301
        (NPL, "0.0000", "0.0000", ("1.0000", True)),
        (NPL, "0.0000", "0.0100", ("0.0000", False)),
        (GROWTH, "100", "-20", ("0.0000", False)),  # shrank: never below 0
        # a run-off allowed: growth of at least −100 (shrinking by no more than 100)
        (GROWTH, "-100", "-50", ("1.0000", True)),
        (GROWTH, "-100", "-150", ("0.0000", False)),
        (GROWTH, "0", "0", ("1.0000", True)),
        (GROWTH, "200", "50", ("0.2500", False)),
        (GROWTH, "3", "2", ("0.6667", False)),  # 0.66666… half-up
    ],
)
def test_judge(metric, target, actual, expected):
    achieved, met = judge(metric, D(target), D(actual))
    assert (str(achieved), met) == expected  # always 4 places: the API sends them as text


def test_judge_without_a_target_or_an_actual():
    assert judge(GROWTH, None, D("5")) == (None, None)
    assert judge(GROWTH, D("5"), None) == (None, None)
