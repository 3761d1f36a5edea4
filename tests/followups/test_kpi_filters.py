"""The follow-up and promise list filters behind the dashboards' links: each shows exactly the
rows the officer KPI counts (kpis/officers.py), the bank's local day boundaries included."""

import re
from datetime import UTC, date, datetime

import pytest

from aoapp.extensions import db
from aoapp.followups import services
from aoapp.kpis import officers as kpis
from tests.support import followups as h
from tests.support import promises as ptp
from tests.support.factories import make_customer

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def utc(*parts) -> datetime:
    """A UTC instant (Jakarta is UTC+7: 17:00 UTC is local midnight)."""
    return datetime(*parts, tzinfo=UTC)


def rows(page: str, kind: str = "followup") -> list[int]:
    return sorted(int(n) for n in re.findall(rf'data-{kind}="(\d+)"', page))


def kpi_row(officer, first=OCTOBER[0], last=OCTOBER[1], as_of=OCTOBER[1], judged_on=None):
    ref = kpis.OfficerRef(officer.id, officer.username, officer.username, "JKT01")
    return kpis.officer_kpis([ref], first, last, as_of, judged_on=judged_on)[0]


def ids(actor, **filters) -> list[int]:
    stmt = services.filtered_query(h.user(actor), filters)
    return sorted(f.id for f in db.session.scalars(stmt))


@pytest.fixture
def october(world):
    """ao.budi's follow-ups around October 2026's edges, and a colleague's."""
    customer = make_customer(world.officer, name="Toko Tepi")

    def made(planned, status="planned", done_at=None, owner=world.officer, party=customer):
        outcome = "reached" if status == "done" else None
        settled = utc(planned.year, planned.month, planned.day, 3, 0)  # cancelled/missed then
        return h.followup(
            owner, customer=party, planned_date=planned, status=status, done_at=done_at,
            outcome=outcome, updated_at=settled,
        )  # fmt: skip

    return {
        # done_at in UTC; the local (Jakarta) day is what counts
        "first_minute": made(date(2026, 10, 1), "done", utc(2026, 9, 30, 17, 0)),
        "last_minute": made(date(2026, 10, 31), "done", utc(2026, 10, 31, 16, 59)),
        "next_month": made(date(2026, 10, 31), "done", utc(2026, 10, 31, 17, 30)),
        "last_month": made(date(2026, 9, 30), "done", utc(2026, 9, 30, 16, 59)),
        # overdue at the end of 31 October, or not
        "still_planned": made(date(2026, 10, 30)),
        "done_later": made(date(2026, 10, 30), "done", utc(2026, 11, 1, 2, 0)),
        "done_in_time": made(date(2026, 10, 30), "done", utc(2026, 10, 31, 16, 0)),
        "planned_that_day": made(date(2026, 10, 31)),
        "cancelled": made(date(2026, 10, 20), "cancelled"),
        "missed": made(date(2026, 10, 21), "missed"),
        "colleague": made(
            date(2026, 10, 2),
            "done",
            utc(2026, 10, 2, 3, 0),
            owner=world.colleague,
            party=make_customer(world.colleague),
        ),
    }


class TestFollowUpFilters:
    def test_done_range_uses_the_banks_local_days(self, world, october):
        done = ids(world.officer, status="done", done_from=OCTOBER[0], done_to=OCTOBER[1])
        in_october = ("first_minute", "last_minute", "done_in_time")
        assert done == sorted(october[name].id for name in in_october)
        assert ids(world.officer, done_from=date(2026, 11, 1)) == sorted(
            [october["next_month"].id, october["done_later"].id]
        )
        assert ids(world.officer, done_to=date(2026, 9, 30)) == [october["last_month"].id]

    def test_overdue_on_counts_what_was_not_done_by_the_end_of_that_day(self, world, october):
        overdue = ids(world.officer, overdue_on=OCTOBER[1])
        assert overdue == sorted([october["still_planned"].id, october["done_later"].id])
        # A day later, the one done on 1 November no longer counts; 31 October's plan does.
        assert ids(world.officer, overdue_on=date(2026, 11, 1)) == sorted(
            [october["still_planned"].id, october["planned_that_day"].id]
        )

    def test_the_lists_show_exactly_the_rows_the_kpis_count(self, client, auth, world, october):
        row = kpi_row(world.officer)
        assert (row.followups_done, row.followups_overdue) == (3, 2)
        auth.login("spv.jkt")
        officer = world.officer.id
        done = client.get(
            f"/followups/?owner={officer}&status=done&done_from=2026-10-01&done_to=2026-10-31"
        )
        assert rows(done.get_data(as_text=True)) == ids(
            world.officer, done_from=OCTOBER[0], done_to=OCTOBER[1]
        )
        assert len(rows(done.get_data(as_text=True))) == row.followups_done
        overdue = client.get(f"/followups/?owner={officer}&overdue_on=2026-10-31")
        assert len(rows(overdue.get_data(as_text=True))) == row.followups_overdue
        page = overdue.get_data(as_text=True)
        assert 'id="overdue_on"' in page and 'value="2026-10-31"' in page

    def test_the_api_takes_the_same_filters(self, api, world, october):
        response = api(world.supervisor).get(
            f"/api/v1/followups?owner={world.officer.id}&done_from=2026-10-01&done_to=2026-10-31"
        )
        assert response.status_code == 200
        in_october = ("first_minute", "last_minute", "done_in_time")
        assert sorted(item["id"] for item in response.json["items"]) == sorted(
            october[name].id for name in in_october
        )
        bad = api(world.supervisor).get("/api/v1/followups?overdue_on=31-10-2026")
        assert bad.status_code == 422 and "overdue_on" in bad.json["errors"]


class TestPromiseFilters:
    def test_recorded_by_and_deadline_range_match_the_ptp_kpis(self, client, auth, world):
        kept_facility = ptp.delinquent_facility(world.officer)
        broken_facility = ptp.delinquent_facility(world.officer)
        for facility in (kept_facility, broken_facility):
            ptp.position(facility, date(2026, 9, 30), "5000000", 40)
        kept = ptp.make_promise(kept_facility, "5000000", date(2026, 10, 1), date(2026, 10, 10))
        ptp.position(kept_facility, date(2026, 10, 12), "0", 0)
        broken = ptp.make_promise(broken_facility, "5000000", date(2026, 10, 5), date(2026, 10, 20))
        # Deadline in November (28 Oct + 3 grace days): another month's promise.
        ptp.make_promise(broken_facility, "1000000", date(2026, 10, 25), date(2026, 10, 29))
        colleague = ptp.delinquent_facility(world.colleague)
        ptp.position(colleague, date(2026, 9, 30), "5000000", 40)
        ptp.make_promise(colleague, "5000000", date(2026, 10, 1), date(2026, 10, 10))

        row = kpi_row(world.officer)
        assert (row.ptp_kept, row.ptp_broken) == (1, 1)
        auth.login("spv.jkt")
        base = f"/promises/?recorded_by={world.officer.id}&deadline_from=2026-10-01"
        base += "&deadline_to=2026-10-31"
        page = client.get(base).get_data(as_text=True)
        assert rows(page, "promise") == sorted([kept.id, broken.id])
        assert rows(client.get(f"{base}&state=kept").get_data(as_text=True), "promise") == [kept.id]
        broken_page = client.get(f"{base}&state=broken").get_data(as_text=True)
        assert rows(broken_page, "promise") == [broken.id]
        assert f'<option value="{world.officer.id}" selected>' in page
