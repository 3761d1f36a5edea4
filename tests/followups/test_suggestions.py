"""Suggested collection follow-ups: DPD bands, working days, idempotence, broken promises."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aoapp.extensions import db
from aoapp.followups import suggestions
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.suggestions import suggest_after_import, suggest_for_broken_promises
from aoapp.imports.models import PositionImport
from tests.support import listings as L
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer, make_user
from tests.support.listings import line
from tests.support.promises import make_followup, make_promise, position

EARLIER = date(2026, 9, 30)
AS_OF = date(2026, 10, 31)
WEDNESDAY = date(2026, 11, 4)  # no holiday near it in the default list
FRIDAY = date(2026, 11, 6)


def suggested(**where) -> list[FollowUp]:
    """The system's suggestions, by id."""
    db.session.expire_all()
    stmt = sa.select(FollowUp).where(FollowUp.suggestion.is_not(None)).order_by(FollowUp.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(FollowUp, key) == value)
    return list(db.session.scalars(stmt))


def delinquent(officer, dpd: int, account_no: str | None = None, as_of: date = AS_OF):
    """A facility of a new customer of `officer`, `dpd` days past due on `as_of`."""
    facility = make_facility(make_customer(officer), account_no)
    post_listing(as_of, [(facility, dpd, "50000000")])
    return facility


class TestBands:
    @pytest.mark.parametrize(
        ("dpd", "rule", "channel", "planned", "escalated"),
        [
            (1, "dpd_1_30", "call", date(2026, 11, 6), False),  # Wed + 2 working days
            (30, "dpd_1_30", "call", date(2026, 11, 6), False),
            (31, "dpd_31_90", "visit", date(2026, 11, 11), False),  # Wed + 5 working days
            (90, "dpd_31_90", "visit", date(2026, 11, 11), False),
            (91, "dpd_over_90", "visit", date(2026, 11, 6), True),  # Wed + 2, escalated
            (400, "dpd_over_90", "visit", date(2026, 11, 6), True),
        ],
    )
    def test_each_band_boundary(self, world, dpd, rule, channel, planned, escalated):
        facility = delinquent(world.officer, dpd)
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        [followup] = suggested()
        assert (followup.suggestion, followup.channel, followup.planned_date) == (
            rule,
            channel,
            planned,
        )
        assert (followup.escalated, followup.suggested_dpd) == (escalated, dpd)
        assert (followup.owner_id, followup.customer_id, followup.facility_id) == (
            world.officer.id,
            facility.customer_id,
            facility.id,
        )
        assert (followup.purpose, followup.status, followup.suggestion_key) == (
            "collection",
            "planned",
            "2026-10-31",
        )
        assert followup.created_by_id is None and followup.prospect_id is None
        assert followup.version == 1 and followup.planned_time is None
        assert counts["created"] == 1 and counts[rule] == 1
        assert counts["escalated"] == (1 if escalated else 0)

    def test_dpd_zero_suggests_nothing(self, world):
        delinquent(world.officer, 0)
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        assert suggested() == [] and counts["created"] == 0

    @pytest.mark.parametrize(
        ("dpd", "notes"),
        [
            (45, "Suggested: 45 days past due on the Oct 31, 2026 listing."),
            (1, "Suggested: 1 day past due on the Oct 31, 2026 listing."),
        ],
    )
    def test_notes_say_why(self, world, dpd, notes):
        delinquent(world.officer, dpd)
        suggest_after_import(AS_OF, today=WEDNESDAY)
        [followup] = suggested()
        assert (followup.note_code, followup.note_params, followup.notes) == (
            "followup.suggested_listing",
            {"day": "2026-10-31", "dpd": dpd},
            "",
        )
        with force_locale("en"):
            assert followup.system_note == notes

    def test_one_listing_many_facilities_counted_by_band(self, world):
        for dpd in (5, 10, 40, 120, 0):
            delinquent(world.officer, dpd)
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        assert {k: counts[k] for k in ("dpd_1_30", "dpd_31_90", "dpd_over_90", "created")} == {
            "dpd_1_30": 2,
            "dpd_31_90": 1,
            "dpd_over_90": 1,
            "created": 4,
        }
        assert sorted(f.suggested_dpd for f in suggested()) == [5, 10, 40, 120]


class TestWorkingDays:
    def test_a_friday_plans_into_next_week(self, world):
        delinquent(world.officer, 10)
        delinquent(world.officer, 60)
        suggest_after_import(AS_OF, today=FRIDAY)
        assert {f.suggested_dpd: f.planned_date for f in suggested()} == {
            10: date(2026, 11, 10),  # Fri + 2 working days = Tuesday
            60: date(2026, 11, 13),  # Fri + 5 working days = next Friday
        }

    def test_a_configured_holiday_moves_the_date(self, app, world):
        delinquent(world.officer, 10)
        saved = app.config.get("BANK_HOLIDAYS")
        app.config["BANK_HOLIDAYS"] = "2026-11-09, 2026-11-10"  # Monday and Tuesday
        try:
            suggest_after_import(AS_OF, today=FRIDAY)
        finally:
            app.config["BANK_HOLIDAYS"] = saved
        assert suggested()[0].planned_date == date(2026, 11, 12)  # Wed, Thu

    def test_the_default_holiday_list_applies(self, world):
        delinquent(world.officer, 10)
        suggest_after_import(AS_OF, today=date(2026, 12, 23))  # Wed; 24 + 25 Dec are holidays
        assert suggested()[0].planned_date == date(2026, 12, 29)  # Mon 28, Tue 29


class TestWhatPreventsASuggestion:
    def test_a_planned_collection_follow_up_on_the_facility(self, world):
        facility = delinquent(world.officer, 45)
        make_followup(facility, status="planned", outcome=None, done_at=None)
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        assert suggested() == [] and counts["created"] == 0

    @pytest.mark.parametrize(
        "values",
        [
            {"status": "planned", "purpose": "relationship", "outcome": None, "done_at": None},
            {"status": "done"},  # collection, but already done
            {"status": "cancelled", "outcome": None, "done_at": None},
        ],
    )
    def test_other_follow_ups_do_not_prevent_it(self, world, values):
        facility = delinquent(world.officer, 45)
        make_followup(facility, **values)
        suggest_after_import(AS_OF, today=WEDNESDAY)
        assert [f.facility_id for f in suggested()] == [facility.id]

    def test_a_planned_collection_on_another_facility_does_not_prevent_it(self, world):
        facility = delinquent(world.officer, 45)
        other = make_facility(db.session.get(type(facility.customer), facility.customer_id))
        make_followup(other, status="planned", outcome=None, done_at=None)
        suggest_after_import(AS_OF, today=WEDNESDAY)
        assert [f.facility_id for f in suggested()] == [facility.id]

    def test_an_older_listing_suggests_nothing(self, world):
        facility = delinquent(world.officer, 45, as_of=EARLIER)
        post_listing(AS_OF, [(facility, 0, "50000000")])
        counts = suggest_after_import(EARLIER, today=WEDNESDAY)
        assert suggested() == []
        assert (counts["latest"], counts["created"]) == (False, 0)

    def test_closed_facilities_get_none(self, world):
        facility = delinquent(world.officer, 45)
        facility.status, facility.closed_on = "closed", AS_OF
        db.session.commit()
        assert suggest_after_import(AS_OF, today=WEDNESDAY)["created"] == 0

    def test_a_customer_without_an_active_officer_is_skipped_and_counted(self, world):
        orphan = delinquent(world.officer, 45)
        orphan.customer.officer_id = None
        leaver = make_user("ao.leaver", "officer", "JKT01")
        delinquent(leaver, 10)
        leaver.active = False
        db.session.commit()
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        assert suggested() == []
        assert (counts["created"], counts["skipped_no_officer"]) == (0, 2)

    def test_the_current_officer_owns_it_not_the_one_on_the_listing(self, world):
        facility = delinquent(world.officer, 45)
        facility.customer.officer_id = world.colleague.id  # reassigned after the listing
        db.session.commit()
        suggest_after_import(AS_OF, today=WEDNESDAY)
        assert suggested()[0].owner_id == world.colleague.id


class TestIdempotence:
    def test_running_twice_creates_nothing_more(self, world):
        delinquent(world.officer, 45)
        assert suggest_after_import(AS_OF, today=WEDNESDAY)["created"] == 1
        assert suggest_after_import(AS_OF, today=FRIDAY)["created"] == 0
        assert len(suggested()) == 1

    def test_a_cancelled_suggestion_is_not_made_again(self, world):
        delinquent(world.officer, 45)
        suggest_after_import(AS_OF, today=WEDNESDAY)
        first = suggested()[0]
        first.status, first.reason = "cancelled", "Paid at the branch."
        db.session.commit()
        assert suggest_after_import(AS_OF, today=WEDNESDAY)["created"] == 0
        assert [f.status for f in suggested()] == ["cancelled"]

    def test_the_next_listing_suggests_again_once_the_last_one_is_done(self, world):
        facility = delinquent(world.officer, 45, as_of=EARLIER)
        suggest_after_import(EARLIER, today=WEDNESDAY)
        suggested()[0].status = "done"
        db.session.commit()
        post_listing(AS_OF, [(facility, 75, "50000000")])
        suggest_after_import(AS_OF, today=WEDNESDAY)
        assert [(f.suggestion_key, f.suggested_dpd) for f in suggested()] == [
            ("2026-09-30", 45),
            ("2026-10-31", 75),
        ]


@pytest.fixture
def importer(tmp_path, world):
    """The real listing import, run as the admin, insisting that it succeeds."""
    L.catalogue()
    runner = L.Importer(tmp_path, world.admin)

    def run(rows, as_of):
        outcome = runner.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome

    return run


class TestAfterTheImport:
    def rows(self, world, **dpd):
        code = world.officer.officer_code
        return [line(account, f"CIF-{account}", code, dpd=d) for account, d in dpd.items()]

    def test_the_import_suggests_and_counts_on_its_record(self, world, importer):
        outcome = importer(self.rows(world, A=0, B=12, C=45, D=95), AS_OF)
        counts = outcome.record.summary["suggestions"]
        assert (counts["created"], counts["escalated"], counts["latest"]) == (3, 1, True)
        by_account = {L.facility(a).id: a for a in "ABCD"}
        assert sorted((by_account[f.facility_id], f.channel, f.escalated) for f in suggested()) == [
            ("B", "call", False),
            ("C", "visit", False),
            ("D", "visit", True),
        ]
        assert {f.owner_id for f in suggested()} == {world.officer.id}

    def test_re_importing_the_same_listing_creates_no_duplicates(self, world, importer):
        rows = self.rows(world, B=12, C=45)
        importer(rows, AS_OF)
        first = suggested()
        first[0].status, first[0].reason = "cancelled", "Talked at the branch."
        db.session.commit()
        again = importer(rows, AS_OF)
        assert again.record.summary["suggestions"]["created"] == 0
        assert [(f.id, f.status) for f in suggested()] == [
            (first[0].id, "cancelled"),
            (first[1].id, "planned"),
        ]

    def test_a_back_filled_listing_suggests_nothing(self, world, importer):
        importer(self.rows(world, B=0), AS_OF)
        outcome = importer(self.rows(world, B=60), EARLIER)
        assert outcome.record.summary["suggestions"]["latest"] is False
        assert suggested() == []

    def test_a_failure_leaves_the_import_succeeded_with_a_note(self, world, importer, monkeypatch):
        def broken(*_args, **_kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr("aoapp.followups.suggestions.suggest_after_import", broken)
        outcome = importer(self.rows(world, B=12), AS_OF)
        record = db.session.get(PositionImport, outcome.record.id)
        assert record.status == "succeeded" and "suggestions" not in record.summary
        note = (
            "Suggested follow-ups could not be created: an unexpected error, whose details are "
            "in the server log"
        )
        assert record.shown_notes[-1] == note and outcome.notes[-1] == note
        assert suggested() == []

    def test_the_counts_show_on_the_import_page(self, world, importer, client, auth):
        outcome = importer(self.rows(world, B=12, D=95), AS_OF)
        auth.login("admin")
        html = client.get(f"/imports/{outcome.record.id}").get_data(as_text=True)
        table = html[html.index('id="suggestions"') :]
        assert 'Calls (DPD 1–30)</th><td class="text-end">1<' in table
        assert 'Visits, escalated (DPD > 90)</th><td class="text-end">1<' in table

    def test_the_counts_show_in_the_import_command(self, world, runner, tmp_path):
        L.catalogue()
        path = L.write_csv(tmp_path / "listing.csv", self.rows(world, B=12, D=95))
        result = runner.invoke(args=["import-positions", str(path), "--as-of", "2026-10-31"])
        assert result.exit_code == 0, result.output
        assert (
            "Suggested follow-ups: 2 (escalated 1, no officer 0); broken promises 0."
            in result.stderr
        )


PROMISED_ON = date(2026, 10, 5)
PROMISED = date(2026, 10, 15)  # deadline 18 Oct 2026
AFTER = date(2026, 10, 19)  # Monday: broken


@pytest.fixture
def broken_promise(world):
    """Rp 3,000,000 promised for 15 Oct 2026 and not paid; 40 days past due on 31 Oct."""
    facility = make_facility(make_customer(world.officer), "PTP-1")
    position(facility, date(2026, 9, 30), "10000000.00", 40)
    promise = make_promise(facility, Decimal("3000000"), PROMISED_ON, PROMISED)
    position(facility, AS_OF, "10000000.00", 40)
    return promise


class TestBrokenPromises:
    def test_a_broken_promise_suggests_one_call_on_the_next_working_day(
        self, world, broken_promise
    ):
        assert suggest_for_broken_promises(today=AFTER) == 1
        [followup] = suggested(suggestion="broken_ptp")
        assert followup.note_params == {"amount": "3000000.00", "day": "2026-10-15"}
        with force_locale("en"):
            assert followup.system_note == "Promise of IDR 3,000,000 by Oct 15, 2026 was broken."
        assert (followup.channel, followup.purpose, followup.planned_date) == (
            "call",
            "collection",
            date(2026, 10, 20),
        )
        assert (followup.owner_id, followup.facility_id, followup.suggestion_key) == (
            world.officer.id,
            broken_promise.facility_id,
            f"ptp:{broken_promise.id}",
        )
        assert (followup.escalated, followup.suggested_dpd, followup.created_by_id) == (
            False,
            40,
            None,
        )

    def test_once_only_even_after_it_was_cancelled(self, broken_promise):
        assert suggest_for_broken_promises(today=AFTER) == 1
        [followup] = suggested()
        followup.status, followup.reason = "cancelled", "Customer in hospital."
        db.session.commit()
        assert suggest_for_broken_promises(today=AFTER + timedelta(days=7)) == 0
        assert len(suggested()) == 1

    def test_before_the_deadline_nothing(self, broken_promise):
        assert suggest_for_broken_promises(today=date(2026, 10, 18)) == 0

    def test_a_kept_promise_suggests_nothing(self, broken_promise):
        position(db.session.get(PromiseToPay, broken_promise.id).facility, PROMISED, "0.00", 0)
        assert suggest_for_broken_promises(today=AFTER) == 0

    def test_only_the_latest_promise_of_the_facility_counts(self, broken_promise):
        facility = db.session.get(PromiseToPay, broken_promise.id).facility
        make_promise(facility, Decimal("1000000"), date(2026, 10, 17), date(2026, 10, 30))
        assert suggest_for_broken_promises(today=AFTER) == 0  # the newer one is pending

    def test_a_planned_collection_follow_up_prevents_it(self, broken_promise):
        facility = db.session.get(PromiseToPay, broken_promise.id).facility
        make_followup(facility, status="planned", outcome=None, done_at=None)
        assert suggest_for_broken_promises(today=AFTER) == 0

    def test_a_facility_paid_up_since_needs_no_call(self, broken_promise):
        facility = db.session.get(PromiseToPay, broken_promise.id).facility
        position(facility, date(2026, 11, 30), "0.00", 0)  # paid late: DPD 0 now
        assert suggest_for_broken_promises(today=date(2026, 12, 1)) == 0

    def test_the_import_suggestion_comes_first_and_counts_both(self, world, broken_promise):
        delinquent(world.officer, 10)
        counts = suggest_after_import(AS_OF, today=WEDNESDAY)
        assert (counts["created"], counts["broken_ptp"]) == (2, 0)  # the PTP facility has a visit
        assert suggest_after_import(AS_OF, today=WEDNESDAY)["created"] == 0


class TestCommand:
    def test_daily_command_suggests_once(self, world, runner, broken_promise):
        delinquent(world.officer, 10)
        first = runner.invoke(args=["followups", "suggest", "--today", "2026-11-04"])
        assert first.exit_code == 0, first.output
        assert "Listing of 2026-10-31: 2 follow-up(s) suggested" in first.output
        assert "DPD 1-30: 1 call(s); DPD 31-90: 1 visit(s)" in first.output
        second = runner.invoke(args=["followups", "suggest", "--today", "2026-11-04"])
        assert "Listing of 2026-10-31: 0 follow-up(s) suggested" in second.output
        assert "Broken promises: 0 call(s) suggested." in second.output
        assert len(suggested()) == 2

    def test_broken_promises_alone_when_the_listing_was_handled(self, runner, broken_promise):
        facility = db.session.get(PromiseToPay, broken_promise.id).facility
        make_followup(facility, status="done", suggestion="dpd_31_90", suggestion_key="2026-10-31")
        result = runner.invoke(args=["followups", "suggest", "--today", "2026-11-04"])
        assert "Broken promises: 1 call(s) suggested." in result.output

    def test_a_bad_date_is_refused(self, runner):
        result = runner.invoke(args=["followups", "suggest", "--today", "04/11/2026"])
        assert result.exit_code != 0 and "use YYYY-MM-DD" in result.output

    def test_without_listings(self, runner, world):
        result = runner.invoke(args=["followups", "suggest"])
        assert result.exit_code == 0 and "No listing imported yet" in result.output


def test_band_for_matches_the_sql_bands():
    assert suggestions.band_for(0) is None
    assert [suggestions.band_for(d).rule for d in (1, 30, 31, 90, 91)] == [
        "dpd_1_30",
        "dpd_1_30",
        "dpd_31_90",
        "dpd_31_90",
        "dpd_over_90",
    ]
