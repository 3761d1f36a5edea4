"""Targets on DPK growth, CASA, products per customer and retention: actuals from the same
figures as the dashboards (the hand book, tests/support/funding.py), the grid and the API."""

from datetime import date
from decimal import Decimal as D

import pytest

from aoapp.credit.figures import resolve_scope
from aoapp.dashboards import services
from aoapp.targets.services import targets_of
from tests.support.factories import make_target
from tests.support.funding import hand_book

pytestmark = pytest.mark.today("2026-11-20")  # October is the previous month: still open


@pytest.fixture
def book(world):
    book = hand_book(world)
    make_target(
        world.officer,
        date(2026, 10, 1),
        dpk_growth=D("-200000000.00"),  # a run-off of at most 200 M allowed: met by −170 M
        casa_ratio=D("0.5000"),
        cross_sell_ratio=D("2.5000"),
        retention_rate=D("0.8000"),
    )
    return book


def test_actuals_and_achievements(world, book):
    dash = services.team_dashboard(world.supervisor, period_code="2026-10")
    budi = next(row for row in dash.officers if row.username == "ao.budi").achievement
    found = {m.key: (m.actual, m.achievement, m.met) for m in budi.metrics}
    assert found["dpk_growth"] == (D("-170000000.00"), D("1.0000"), True)
    assert found["casa_ratio"] == (D("0.4000"), D("0.8000"), False)
    assert found["cross_sell_ratio"] == (D("2.0000"), D("0.8000"), False)
    assert found["retention_rate"] == (D("0.8000"), D("1.0000"), True)
    assert budi.overall == D("0.9000")  # (1 + 0.8 + 0.8 + 1) / 4
    total = {m.key: (m.target, m.actual) for m in dash.totals.achievement.metrics}
    assert total["casa_ratio"] == (None, D("0.1333"))  # the team's ratio, no team target
    assert total["dpk_growth"] == (D("-200000000.00"), D("-170000000.00"))


def test_the_officers_dashboard_reads_the_same_kpis(world, book):
    dash = services.officer_dashboard(world.officer, period_code="2026-10")
    assert (dash.kpis.dpk, dash.kpis.casa_ratio, dash.kpis.retention_rate) == (
        D("500000000.00"),
        D("0.4000"),
        D("0.8000"),
    )
    relationship = dash.funding_view.relationship
    assert relationship.products_per_customer == dash.kpis.cross_sell_ratio
    scope = resolve_scope(world.officer)
    assert dash.funding_view.funding.scope == scope.label


def test_a_month_without_its_deposits_listing_awaits_it(world, book):
    make_target(world.officer, date(2026, 12, 1), casa_ratio=D("0.5000"))
    dash = services.officer_dashboard(world.officer, period_code="2026-12")
    casa = dash.targets.metric("casa_ratio")
    assert (casa.target, casa.actual, casa.achievement) == (D("0.5000"), None, None)


def test_the_grid_shows_and_saves_them(client, auth, world, book):
    auth.login("spv.jkt")
    page = client.get("/targets/?month=2026-10").get_data(as_text=True)
    assert "CASA ratio (%)" in page and "Products per customer" in page
    assert 'value="50"' in page and 'value="2.5"' in page and 'value="-200.000.000"' in page
    token = auth.csrf_token()
    rows = {
        "rows-0-officer_id": str(world.colleague.id),
        "rows-1-officer_id": str(world.officer.id),
    }
    values = {"cross_sell_ratio": "2,25", "retention_rate": "90", "dpk_growth": "1.000.000"}
    data = {**rows, **{f"rows-1-{k}": v for k, v in values.items()}, "csrf_token": token}
    response = client.post("/targets/?month=2026-10", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = targets_of([world.officer.id], date(2026, 10, 1))[world.officer.id]
    assert (saved.cross_sell_ratio, saved.retention_rate, saved.dpk_growth) == (
        D("2.2500"),
        D("0.9000"),
        D("1000000.00"),
    )
    assert saved.casa_ratio is None  # an empty cell: no target


def test_the_api_sets_and_refuses_them(api, world, book):
    client = api(world.supervisor)
    url = f"/api/v1/targets/{world.colleague.id}/2026-10"
    good = {"casa_ratio": "0.6", "cross_sell_ratio": "3", "retention_rate": "0.95"}
    body = client.put(url, json=good).get_json()
    assert (body["casa_ratio"], body["cross_sell_ratio"], body["retention_rate"]) == (
        "0.6000",
        "3.0000",
        "0.9500",
    )
    bad = client.put(url, json={"casa_ratio": "60", "cross_sell_ratio": "-1"})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"casa_ratio", "cross_sell_ratio"}
