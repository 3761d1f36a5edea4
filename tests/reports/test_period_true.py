"""A period's report says what was true in the period, and says it again tomorrow (issue 18.1).

November 2026, closed on 30 Nov. Ao.budi's debtor "Toko November" has three facilities, each
30 → 50 days past due on the 31 Oct and 30 Nov listings, and a promise to pay on each:

- PA on F1: made 20 Nov, by 25 Nov (deadline 28 Nov), unpaid on 30 Nov: broken in November, even
  though the 3 Dec listing shows F1 paid;
- PB on F2: made 27 Nov, by 30 Nov (deadline 3 Dec): pending in November; kept today (the 3 Dec
  listing shows F2 at 0 days past due);
- PC on F3: made 24 Nov, by 28 Nov (deadline 1 Dec): pending in November; broken on 2 Dec.

Two follow-ups planned in November are still planned on 30 Nov: FU1 (28 Nov, about F3), done on
5 Dec with a promise made that day, and FU2 (26 Nov, general), cancelled on 4 Dec. A complaint
received on 10 Nov (due 24 Nov) is resolved only on 4 Dec, and a weak monitoring visit is made on
5 Dec. None of December's events is in November's report, generated on 1 Dec and again on 6 Dec.

The clock is moved to each day of the story, so the tests pass whatever day they run on.
"""

import html as markup
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility
from aoapp.credit.visits.services import record_visit
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import actions, outcomes
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import state_of
from aoapp.kpis.periods import parse_period
from aoapp.reports import storage
from aoapp.reports.customer.generation import customer_report
from aoapp.reports.portfolio.generation import portfolio_report
from tests.support import reports_customer as H
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.reports_portfolio import records

NOVEMBER = parse_period("2026-11")
OCT31, NOV30, DEC3 = date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 3)
M = 1_000_000


@dataclass
class Story:
    customer: Customer
    f1: Facility
    f2: Facility
    f3: Facility
    fu1: FollowUp
    fu2: FollowUp
    complaint: Complaint
    promises: dict[str, PromiseToPay]


def _listing(story_facilities, day: date, dpd: dict, arrears: dict) -> None:
    post_listing(
        day,
        [(f, dpd[f.account_no], 100 * M) for f in story_facilities],
        arrears={f.id: (arrears[f.account_no], 0) for f in story_facilities},
    )


@pytest.fixture
def story(world, travel_to) -> Story:
    """November's data as it stood when the period closed (the clock on 1 Dec)."""
    travel_to(date(2026, 10, 20))
    customer = make_customer(world.officer, name="Toko November", cif="0000111111")
    f1, f2, f3 = (make_facility(customer, f"NOV-F{n}") for n in (1, 2, 3))
    facilities = (f1, f2, f3)
    _listing(facilities, OCT31, dict.fromkeys(("NOV-F1", "NOV-F2", "NOV-F3"), 30), {
        "NOV-F1": 2 * M, "NOV-F2": 2 * M, "NOV-F3": 2 * M})  # fmt: skip
    travel_to(date(2026, 11, 20))
    fu1 = H.follow_up(customer, world.officer, date(2026, 11, 28), "planned", f3)
    fu2 = H.follow_up(customer, world.officer, date(2026, 11, 26), "planned")
    complaint = H.complaint(
        customer, H.utc(date(2026, 11, 10)), "open", due_date=date(2026, 11, 24)
    )
    promises = {
        "PA": H.promise(customer, world.officer, f1, date(2026, 11, 20), M, date(2026, 11, 25)),
        "PB": H.promise(customer, world.officer, f2, date(2026, 11, 27), M, NOV30),
        "PC": H.promise(customer, world.officer, f3, date(2026, 11, 24), M, date(2026, 11, 28)),
    }
    assert [p.deadline for p in promises.values()] == [
        date(2026, 11, 28), date(2026, 12, 3), date(2026, 12, 1)
    ]  # fmt: skip
    travel_to(date(2026, 12, 1))
    _listing(facilities, NOV30, dict.fromkeys(("NOV-F1", "NOV-F2", "NOV-F3"), 50), {
        "NOV-F1": 4 * M, "NOV-F2": 4 * M, "NOV-F3": 4 * M})  # fmt: skip
    return Story(customer, f1, f2, f3, fu1, fu2, complaint, promises)


def december(world, story: Story, travel_to) -> None:
    """What happened after November: a listing, a weak visit, a promise made, a follow-up
    cancelled, the complaint resolved, PC broken (2 Dec), PB kept (3 Dec)."""
    travel_to(DEC3)
    _listing((story.f1, story.f2, story.f3), DEC3, {"NOV-F1": 0, "NOV-F2": 0, "NOV-F3": 53}, {
        "NOV-F1": 0, "NOV-F2": 0, "NOV-F3": 4 * M})  # fmt: skip
    travel_to(date(2026, 12, 4))
    actions.cancel(world.officer, db.session.get(FollowUp, story.fu2.id), {"reason": "Closed"})
    complaint = db.session.get(Complaint, story.complaint.id)
    complaint.status, complaint.resolution = "resolved", "Refunded"
    complaint.resolved_at = H.utc(date(2026, 12, 4))
    db.session.commit()
    travel_to(date(2026, 12, 5))
    record_visit(
        world.officer,
        {"customer": story.customer.id, "visit_date": date(2026, 12, 5), "risk_rating": "weak"},
    )
    outcomes.complete(
        world.officer,
        db.session.get(FollowUp, story.fu1.id),
        {
            "outcome": "promised_to_pay",
            "promised_amount": "1000000",
            "promised_date": date(2026, 12, 12),
        },
    )
    # Today (5 Dec) the promises read otherwise than on 30 Nov.
    today = {key: state_of(p).value for key, p in story.promises.items()}
    assert today == {"PA": "broken", "PB": "kept", "PC": "broken"}


def cells(path: Path) -> dict:
    """Every cell of the workbook: {(sheet, coordinate): value}."""
    book = load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


def customer_file(world, story: Story) -> Path:
    report, _made = customer_report(world.officer, story.customer.id, NOVEMBER, force=True)
    return storage.absolute(report.path)


def portfolio_file(world) -> Path:
    report, _made = portfolio_report(
        world.officer, NOVEMBER, "officer", officer_id=world.officer.id, force=True
    )
    return storage.absolute(report.path)


def fact(book, label: str):
    """The value of a fact of the Summary sheet (the first filled cell right of its label)."""
    ws = book["Summary"]
    for row in ws.iter_rows():
        if row[0].value == label:
            return next(c.value for c in row[1:] if c.value is not None)
    raise KeyError(label)


def table(book, sheet: str, first_header: str) -> list[dict]:
    """A customer workbook's table as {header: value}."""
    _headers, rows = H.table(book[sheet], first_header)
    return [{key: cell.value for key, cell in row.items()} for row in rows]


class TestRegenerating:
    def test_the_customer_workbook_gives_the_same_cells_whatever_happened_since(
        self, world, story, travel_to
    ):
        first = cells(customer_file(world, story))
        december(world, story, travel_to)
        travel_to(date(2026, 12, 6))
        second = cells(customer_file(world, story))
        assert second == first
        assert ("Summary", "A1") in first

    def test_the_portfolio_workbook_gives_the_same_cells_whatever_happened_since(
        self, world, story, travel_to
    ):
        first = cells(portfolio_file(world))
        december(world, story, travel_to)
        travel_to(date(2026, 12, 6))
        second = cells(portfolio_file(world))
        assert second == first


class TestNovember:
    @pytest.fixture
    def book(self, world, story, travel_to):
        december(world, story, travel_to)
        travel_to(date(2027, 1, 10))  # long after: every promise has reached its deadline
        return load_workbook(customer_file(world, story))

    def test_promise_states_are_those_of_30_november(self, book):
        assert fact(book, "Promises to pay kept") == 0
        assert fact(book, "Promises to pay broken") == 1  # PA, though F1 was paid on 3 Dec
        assert fact(book, "Promises to pay pending") == 2  # PB (kept 3 Dec), PC (broken 2 Dec)
        assert fact(book, "Promise states judged on").date() == NOV30
        states = {
            row["Date"].date(): row["PTP state"]
            for row in table(book, "Interactions", "Date")
            if row["PTP amount"] is not None
        }
        assert states == {
            date(2026, 11, 20): "broken",
            date(2026, 11, 27): "pending",
            date(2026, 11, 24): "pending",
        }

    def test_december_events_are_not_in_it(self, book):
        follow_ups = {
            row["Date"].date(): row
            for row in table(book, "Interactions", "Date")
            if row["Type"] == "Follow-up"
        }
        # FU1 was done on 5 Dec with a promise made that day; FU2 cancelled on 4 Dec.
        assert follow_ups[date(2026, 11, 28)]["Outcome / status"] == "planned"
        assert follow_ups[date(2026, 11, 28)]["PTP amount"] is None
        assert follow_ups[date(2026, 11, 26)]["Outcome / status"] == "planned"
        assert fact(book, "Follow-ups planned") == 2 and fact(book, "Follow-ups cancelled") == 0
        assert table(book, "Monitoring", "Visit date") == []  # the 5 Dec visit is December's
        assert fact(book, "Latest monitoring visit rating") == "None"
        watch = fact(book, "Watchlist")
        assert "Weak visit" not in watch
        assert watch.count("Broken promise") == 1 and "NOV-F1" in watch  # PA only, not PC
        assert fact(book, "Complaints open at the end of the period") == 1
        assert fact(book, "Revised") == "No"

    def test_the_portfolio_workbook_judges_as_of_30_november(self, world, story, travel_to):
        december(world, story, travel_to)
        travel_to(date(2027, 1, 10))
        book = load_workbook(portfolio_file(world))
        (budi,) = records(book["Officers"], "AO code")
        # Deadlines in November: PA only (broken); overdue on 30 Nov: FU1 and FU2.
        assert (budi["PTP kept"], budi["PTP broken"], budi["Follow-ups overdue"]) == (0, 1, 2)
        delinquent = {r["Account no"]: r for r in records(book["Delinquent"], "Account no")}
        assert {k: r["PTP state"] for k, r in delinquent.items()} == {
            "NOV-F1": "Broken", "NOV-F2": "Pending", "NOV-F3": "Pending"
        }  # fmt: skip
        # FU2 (26 Nov, cancelled only on 4 Dec) was the next planned one on 30 Nov.
        assert {r["Next follow-up"].date() for r in delinquent.values()} == {date(2026, 11, 26)}
        signals = [r["Signals"] for r in records(book["Watchlist"], "Account no")]
        assert sum("Broken promise" in s for s in signals) == 1
        assert not any("Weak visit" in s for s in signals)


class TestLateCorrection:
    def test_a_visit_of_november_logged_in_december_shows_and_the_summary_says_revised(
        self, world, story, travel_to
    ):
        first = load_workbook(customer_file(world, story))
        assert fact(first, "Revised") == "No"
        december(world, story, travel_to)
        travel_to(date(2026, 12, 7))
        late = record_visit(
            world.officer,
            {
                "customer": story.customer.id,
                "visit_date": date(2026, 11, 27),
                "risk_rating": "weak",
            },
        )
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "monitoringvisit", AuditEntry.entity_id == late.id
            )
        )
        travel_to(date(2026, 12, 8))
        book = load_workbook(customer_file(world, story))
        visits = table(book, "Monitoring", "Visit date")
        assert [v["Visit date"].date() for v in visits] == [date(2026, 11, 27)]
        assert "Weak visit" in fact(book, "Watchlist")
        assert fact(book, "Revised") == (
            f"Revised on Dec 7, 2026: audit entry {entry.id} (monitoring visit {late.id} recorded)."
        )
        portfolio = load_workbook(portfolio_file(world))
        title = [portfolio["Summary"].cell(n, 1).value for n in range(1, 6)]
        assert f"audit entry {entry.id}" in " ".join(str(t) for t in title if t)

    def test_a_correction_before_the_period_closed_is_no_revision(self, world, story, travel_to):
        travel_to(datetime(2026, 11, 30, 12, 0))  # 19:00 in Jakarta, still 30 Nov
        record_visit(
            world.officer,
            {
                "customer": story.customer.id,
                "visit_date": date(2026, 11, 27),
                "risk_rating": "weak",
            },
        )
        travel_to(date(2026, 12, 2))
        book = load_workbook(customer_file(world, story))
        assert fact(book, "Revised") == "No"
        assert len(table(book, "Monitoring", "Visit date")) == 1


class TestPagesAgree:
    """The dashboards, their API and the team table for November say what its workbook says."""

    @pytest.fixture
    def later(self, world, story, travel_to):
        december(world, story, travel_to)
        travel_to(date(2027, 1, 10))

    def test_team_page_and_api_equal_the_branch_workbook(self, world, later, client, auth, api):
        report, _made = portfolio_report(
            world.supervisor, NOVEMBER, "branch", branch_id=world.jkt.id, force=True
        )
        book = load_workbook(storage.absolute(report.path))
        sheet = {row["AO code"]: row for row in records(book["Officers"], "AO code")}
        answer = api(world.supervisor).get("/api/v1/dashboard/team?period=2026-11")
        assert answer.status_code == 200
        rows = {row["username"]: row for row in answer.json["officers"]}
        columns = {"ptp_kept": "PTP kept", "ptp_broken": "PTP broken"}
        columns |= {"followups_done": "Follow-ups done", "followups_overdue": "Follow-ups overdue"}
        codes = dict(db.session.execute(sa.select(User.username, User.officer_code)).all())
        for username, row in rows.items():
            for key, header in columns.items():
                assert row[key] == sheet[codes[username]][header], (username, key)
        assert (rows["ao.budi"]["ptp_broken"], rows["ao.budi"]["followups_overdue"]) == (1, 2)
        # Complaints in the team table: open and overdue at the end of 30 Nov (resolved 4 Dec).
        assert (rows["ao.budi"]["complaints_open"], rows["ao.budi"]["complaints_overdue"]) == (1, 1)
        watchlist = len(records(book["Watchlist"], "Account no"))
        assert answer.json["portfolio"]["watchlist"] == watchlist
        auth.login(world.supervisor.username)
        html = client.get("/dashboard/team?period=2026-11").get_data(as_text=True)
        charts = json.loads(
            markup.unescape(re.search(r"data-charts-json='([^']+)'", html).group(1))
        )
        assert charts["portfolio"]["watchlist"] == watchlist

    def test_officer_api_counts_as_of_30_november(self, world, later, api):
        answer = api(world.officer).get("/api/v1/dashboard/officer?period=2026-11")
        assert answer.status_code == 200
        # FU1 (28 Nov) and FU2 (26 Nov) were still planned at the end of 30 Nov.
        assert answer.json["followups"] == {"today": 0, "overdue": 2}
        assert answer.json["complaints"] == {"open": 1, "overdue": 1}
        report, _made = portfolio_report(
            world.officer, NOVEMBER, "officer", officer_id=world.officer.id, force=True
        )
        book = load_workbook(storage.absolute(report.path))
        assert answer.json["portfolio"]["watchlist"] == len(
            records(book["Watchlist"], "Account no")
        )

    def test_the_current_month_stays_live(self, world, story, travel_to, api):
        december(world, story, travel_to)  # today 5 Dec: December is running
        answer = api(world.officer).get("/api/v1/dashboard/officer?period=2026-12")
        assert answer.status_code == 200
        # FU1 done, FU2 cancelled: nothing planned is overdue today; the complaint is resolved.
        assert answer.json["followups"] == {"today": 0, "overdue": 0}
        assert answer.json["complaints"] == {"open": 0, "overdue": 0}
