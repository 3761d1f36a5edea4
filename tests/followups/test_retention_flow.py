"""Retention follow-ups end to end: suggested by the real deposits import and the daily command
(never twice), shown on the owning officer's agenda only, worked like any follow-up."""

import re
from datetime import date
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from tests.support import deposit_listings as D
from tests.support import retention as R

SEP30, OCT31 = date(2026, 9, 30), date(2026, 10, 31)
TODAY = "2026-11-04"  # a Wednesday: the window runs to 11 November


@pytest.fixture
def load(tmp_path, world):
    """Import rows as a deposits listing (as the admin) and insist it succeeded."""
    D.catalogue()
    importer = D.Importer(tmp_path, world.admin)

    def run(rows, as_of):
        outcome = importer.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome

    return run


def listing(code: str, *, giro: str = "800000000", matures=date(2026, 11, 9)) -> list[dict]:
    """A non-ARO deposito maturing in five days, an ARO one in two, and a company's giro."""
    big = Decimal("750000000")
    return [
        D.line("D1", "CIF1", code, product_code="DEP", balance=big, maturity_date=matures, aro=False),
        D.line("D2", "CIF2", code, product_code="DEP", balance=big, maturity_date=date(2026, 11, 6)),
        D.line("G1", "CIF3", code, product_code="GIRO", balance=Decimal(giro)),
    ]  # fmt: skip


@pytest.mark.today(TODAY)
class TestSuggestedByTheImport:
    def test_the_import_suggests_once_and_counts_on_its_record(self, world, load, runner):
        code = world.officer.officer_code
        outcome = load(listing(code), OCT31)
        counts = outcome.record.summary["retention"]
        assert (counts["maturing"], counts["withdrawals"], counts["latest"]) == (1, 0, True)
        [followup] = R.suggested()
        assert followup.deposit_account.account_no == "D1"
        assert (followup.owner_id, followup.planned_date) == (world.officer.id, date(2026, 11, 4))

        again = load(listing(code), OCT31)  # the same file once more
        assert again.record.summary["retention"]["created"] == 0
        result = runner.invoke(args=["followups", "suggest", "--today", TODAY])
        assert result.exit_code == 0, result.output
        assert "Retention: 0 call(s) for non-ARO depositos maturing soon, 0 for large" in (
            result.output
        )
        assert len(R.suggested()) == 1

    def test_a_large_withdrawal_between_two_month_end_listings(self, world, load):
        code = world.officer.officer_code
        load(listing(code), SEP30)
        outcome = load(listing(code, giro="120000000"), OCT31)
        counts = outcome.record.summary["retention"]
        assert (counts["withdrawals"], counts["compared_with"]) == (1, "2026-09-30")
        withdrawal = R.suggested(suggestion="large_withdrawal")[0]
        assert withdrawal.deposit_account.account_no == "G1"
        assert withdrawal.note_params["before"].startswith("800000000")

    def test_the_daily_command_finds_a_deposito_entering_the_window(self, world, load, runner):
        outcome = load(listing(world.officer.officer_code, matures=date(2026, 11, 16)), OCT31)
        assert outcome.record.summary["retention"]["maturing"] == 0  # 12 days ahead
        result = runner.invoke(args=["followups", "suggest", "--today", "2026-11-09"])
        assert "Retention: 1 call(s)" in result.output  # 7 days ahead on 9 November
        assert [f.planned_date for f in R.suggested()] == [date(2026, 11, 9)]


@pytest.mark.today(TODAY)
class TestOnTheAgenda:
    @pytest.fixture
    def call(self, world):
        deposit = R.account(world.officer, "deposito", maturity_date=date(2026, 11, 9))
        deposit.customer.name = "Ibu Sri Wahyuni"
        db.session.commit()
        R.balance(deposit, OCT31, "750000000")
        from aoapp.followups.retention import suggest_retention

        suggest_retention()
        return R.suggested()[0]

    def test_the_owning_officer_sees_it_today_with_its_note(self, client, auth, call):
        auth.login("ao.budi")
        html = client.get("/agenda/").get_data(as_text=True)
        today = html[html.index('id="today"') :]
        assert f'data-kind="follow_up" data-id="{call.id}"' in today
        assert "Retention" in today and "without automatic roll-over" in today
        assert "simpanan Bapak/Ibu" in re.sub(r"%20", " ", today)  # the WhatsApp text
        detail = client.get(f"/followups/{call.id}").get_data(as_text=True)
        assert f"deposit account {call.deposit_account.account_no}" in detail

    @pytest.mark.parametrize(
        ("username", "status"),
        [("ao.sari", 404), ("ao.dewi", 404), ("spv.bdg", 404), ("spv.jkt", 200), ("admin", 200)],
    )
    def test_scoped_to_the_customer_s_officer_and_supervisors(
        self, client, auth, call, username, status
    ):
        auth.login(username)
        assert client.get(f"/followups/{call.id}").status_code == status
        if username.startswith("ao."):
            html = client.get("/agenda/").get_data(as_text=True)
            assert f'data-id="{call.id}"' not in html

    def test_logging_the_call_closes_it(self, client, auth, call):
        auth.login("ao.budi")
        refused = auth.post(
            f"/followups/{call.id}/complete", {"outcome": "promised_to_pay", "version": "1"}
        )
        assert refused.status_code == 422
        done = auth.post(
            f"/followups/{call.id}/complete?next=/agenda/",
            {"outcome": "reached", "notes": "Nasabah setuju perpanjang 6 bulan.", "version": "1"},
        )
        assert done.status_code == 302 and done.headers["Location"].endswith("/agenda/")
        db.session.expire_all()
        row = db.session.get(FollowUp, call.id)
        assert (row.status, row.outcome, row.purpose) == ("done", "reached", "retention")
        assert "Nasabah setuju perpanjang 6 bulan." in row.shown_notes
