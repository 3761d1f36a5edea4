"""CSAT, NPS, average score and response rate on hand-built answers, by month in the bank's time
zone; the dashboards, the API and the portfolio workbook show the same figures."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from aoapp.common.i18n import format_ratio
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.kpis.periods import parse_period
from aoapp.reports.portfolio.workbook import portfolio_workbook
from aoapp.surveys import services
from aoapp.surveys.figures import satisfaction, satisfaction_report, survey_condition
from tests.support import factories
from tests.support import surveys as h
from tests.support.reports_portfolio import write

OCT = datetime(2026, 10, 12, 3, 0, tzinfo=UTC)
LAST_EVENING = datetime(2026, 10, 31, 10, 0, tzinfo=UTC)  # 31 Oct 17:00 in Jakarta
AFTER_MIDNIGHT = datetime(2026, 10, 31, 18, 0, tzinfo=UTC)  # 1 Nov 01:00 in Jakarta


@pytest.fixture
def october(world):
    """Budi: 5 (10), 4 (9), 3 (6), 2 (–) answered; one unanswered; one sent on 31 October and
    answered on 1 November (Jakarta). Sari: 5 (8). Dewi (Bandung): 1 (0)."""
    budi, sari = world.officer, world.colleague
    customer = factories.make_customer(budi, name="PT Satu")
    h.answered(budi, customer, 5, 10, "Sangat membantu, terima kasih.", OCT)
    h.answered(budi, customer, 4, 9, None, OCT)
    h.answered(budi, customer, 3, 6, "Biasa saja.", OCT)
    h.answered(budi, customer, 2, None, "Proses lama.", OCT)
    h.sent(budi, customer, now=OCT)
    _survey, plain = h.sent(budi, customer, now=LAST_EVENING)
    services.answer(plain, {"score": 1}, now=AFTER_MIDNIGHT)
    h.answered(sari, factories.make_customer(sari), 5, 8, None, OCT)
    h.answered(world.remote, factories.make_customer(world.remote), 1, 0, "Buruk.", OCT)


def report(actor, officer_id=None, branch_id=None):
    scope = resolve_scope(db.session.merge(actor), officer_id, branch_id)
    return satisfaction_report(scope, date(2026, 10, 1), date(2026, 10, 31))


class TestDefinitions:
    def test_the_branchs_october(self, world, october):
        t = report(world.supervisor).totals
        assert (t.sent, t.responded, t.answers, t.satisfied) == (7, 5, 5, 3)
        assert t.csat == Decimal("0.6000")  # 5, 4, 5 of 5, 4, 3, 2, 5
        assert t.nps == Decimal("25.0")  # (2 promoters − 1 detractor) / 4 answers × 100
        assert t.average_score == Decimal("3.80")
        assert t.response_rate == Decimal("0.7143")  # 5 of 7: the 31 October one answered in Nov

    def test_the_totals_are_the_scopes_figures_read_whole(self, world, october):
        # The report adds the officers' figures up; read without grouping they are the same.
        for actor in (world.supervisor, world.admin, world.officer, world.remote):
            scope = resolve_scope(db.session.merge(actor))
            whole = satisfaction(survey_condition(scope), date(2026, 10, 1), date(2026, 10, 31))
            assert report(actor).totals == whole, actor.username

    def test_per_officer(self, world, october):
        rows = {row.officer_id: row.figures for row in report(world.supervisor).officers}
        assert set(rows) == {world.officer.id, world.colleague.id}
        budi = rows[world.officer.id]
        assert (budi.answers, budi.csat, budi.nps, budi.average_score) == (
            4, Decimal("0.5000"), Decimal("33.3"), Decimal("3.50"),
        )  # fmt: skip
        assert budi.response_rate == Decimal("0.6667")
        assert rows[world.colleague.id].nps == Decimal("0.0")  # 8 is passive

    def test_an_officer_sees_their_own_only(self, world, october):
        assert report(world.officer).totals.answers == 4
        assert report(world.admin).totals.answers == 6  # the bank: Bandung's too

    def test_november_gets_the_answer_given_after_midnight_in_jakarta(self, world, october):
        scope = resolve_scope(db.session.merge(world.supervisor))
        november = satisfaction_report(scope, date(2026, 11, 1), date(2026, 11, 30))
        assert (november.totals.answers, november.totals.sent) == (1, 0)
        assert november.totals.csat == Decimal("0.0000") and november.totals.nps is None
        points = {p.month: p.figures for p in november.trend}
        assert points[date(2026, 10, 1)].answers == 5 and points[date(2026, 11, 1)].answers == 1
        assert points[date(2026, 10, 1)].responded == 5 and points[date(2026, 10, 1)].sent == 7
        assert len(november.trend) == 12 and november.trend[0].month == date(2025, 12, 1)

    def test_comments_newest_first_with_nothing_empty(self, world, october):
        comments = report(world.supervisor).comments
        assert [c.comment for c in comments] == [
            "Proses lama.", "Biasa saja.", "Sangat membantu, terima kasih.",
        ]  # fmt: skip

    def test_nothing_measured_is_none_not_zero(self, world):
        t = report(world.supervisor).totals
        assert (t.csat, t.nps, t.average_score, t.response_rate) == (None, None, None, None)


class TestEveryPlaceAgrees:
    def test_api_dashboard_and_workbook(self, client, auth, api, world, october, tmp_path):
        body = api(world.supervisor).get("/api/v1/surveys", query_string={"month": "2026-10"}).json
        figures = body["figures"]
        assert (figures["csat"], figures["nps"], figures["average_score"]) == (
            "0.6000",
            "25.0",
            "3.80",
        )
        assert figures["response_rate"] == "0.7143"
        assert sorted(i["score"] or 0 for i in body["items"]) == [0, 1, 2, 3, 4, 5, 5]
        assert len(body["trend"]) == 12 and body["trend"][-1]["month"] == "2026-10"

        auth.login("spv.jkt")
        html = client.get("/dashboard/team", query_string={"period": "2026-10"}).get_data(
            as_text=True
        )
        assert format_ratio(Decimal(figures["csat"])) == "60.00%"
        assert 'id="card-csat"' in html and "60.00%" in html.split('id="card-csat"')[1][:400]
        assert "+25.0" in html.split('id="card-nps"')[1][:400]
        assert 'id="satisfaction-officers"' in html

        scope = resolve_scope(db.session.merge(world.supervisor), None, world.jkt.id)
        workbook = portfolio_workbook(
            scope, parse_period("2026-10"), date(2026, 10, 31), "Bank Contoh"
        )
        path = write(workbook, tmp_path / "portfolio.xlsx")
        sheet = load_workbook(path)["Satisfaction"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        header = next(i for i, r in enumerate(rows) if r[0] == "Surveys sent")
        sent, responded, rate, answers, csat, nps, average = rows[header + 1][:7]
        assert (sent, responded, answers) == (7, 5, 5)
        assert Decimal(str(rate)).quantize(Decimal("0.0001")) == Decimal(figures["response_rate"])
        assert Decimal(str(csat)).quantize(Decimal("0.0001")) == Decimal(figures["csat"])
        assert Decimal(str(nps)) == Decimal(figures["nps"])
        assert Decimal(str(average)) == Decimal(figures["average_score"])
        texts = [str(v) for r in rows for v in r if v is not None]
        assert "Proses lama." in texts and "Buruk." not in texts  # Bandung's is not JKT01's
        officers = next(i for i, r in enumerate(rows) if r[0] == "Officer")
        assert rows[officers + 1][0].startswith(world.officer.full_name or "")

    def test_the_api_refuses_what_is_out_of_reach(self, api, world, october):
        client = api(world.officer)
        assert (
            client.get("/api/v1/surveys", query_string={"branch": world.bdg.id}).status_code == 404
        )
        assert (
            client.get("/api/v1/surveys", query_string={"officer": world.remote.id}).status_code
            == 404
        )
        supervisor = api(world.supervisor)
        assert (
            supervisor.get("/api/v1/surveys", query_string={"branch": world.bdg.id}).status_code
            == 404
        )
        assert (
            supervisor.get("/api/v1/surveys", query_string={"month": "2026-13"}).status_code == 422
        )
        mine = client.get("/api/v1/surveys", query_string={"month": "2026-10"}).json
        assert mine["figures"]["answers"] == 4
        assert {i["officer"] for i in mine["items"]} == {world.officer.id}
