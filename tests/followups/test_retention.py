"""Suggested retention follow-ups: non-ARO depositos maturing within the window, large withdrawals
between month-end listings (amount, share and floor), the owning officer, keyed idempotence."""

from datetime import date

import pytest
from flask_babel import force_locale

from aoapp.extensions import db
from aoapp.followups.retention import suggest_retention
from tests.support import retention as R
from tests.support.factories import make_user

SEP30, OCT15, OCT31 = date(2026, 9, 30), date(2026, 10, 15), date(2026, 10, 31)
WEDNESDAY = date(2026, 11, 4)  # no holiday near it in the default list
SATURDAY = date(2026, 11, 7)


def maturing(officer, maturity: date, **values):
    """A non-ARO deposito of Rp 500 jt on the October listing, maturing on `maturity`."""
    deposit = R.account(officer, "deposito", maturity_date=maturity, **values)
    R.balance(deposit, OCT31, "500000000")
    return deposit


def fell(officer, before: str, after: str | None, deposit_type: str = "tabungan"):
    """An account with `before` on the September listing and `after` on October's."""
    deposit = R.account(officer, deposit_type)
    R.balance(deposit, SEP30, before)
    if after is not None:
        R.balance(deposit, OCT31, after)
    return deposit


class TestMaturingDeposito:
    @pytest.mark.parametrize(
        ("maturity", "expected"),
        [
            (date(2026, 11, 3), False),  # yesterday: already matured
            (WEDNESDAY, True),  # today
            (date(2026, 11, 11), True),  # today + 7
            (date(2026, 11, 12), False),  # today + 8
        ],
    )
    def test_the_seven_day_window(self, world, maturity, expected):
        deposit = maturing(world.officer, maturity)
        counts = suggest_retention(today=WEDNESDAY)
        found = R.suggested()
        assert (counts["maturing"], len(found)) == ((1, 1) if expected else (0, 0))
        if expected:
            [followup] = found
            assert (followup.suggestion, followup.suggestion_key) == (
                "deposit_maturing",
                f"mat:{maturity.isoformat()}",
            )
            assert (followup.channel, followup.status, followup.planned_date) == (
                "call",
                "planned",
                WEDNESDAY,
            )
            assert (followup.deposit_account_id, followup.customer_id, followup.owner_id) == (
                deposit.id,
                deposit.customer_id,
                world.officer.id,
            )
            assert followup.facility_id is None and followup.created_by_id is None

    def test_an_aro_deposito_rolls_over_by_itself(self, world):
        maturing(world.officer, date(2026, 11, 6), aro=True)
        assert suggest_retention(today=WEDNESDAY)["maturing"] == 0 and R.suggested() == []

    @pytest.mark.parametrize("status", ["blocked", "closed"])
    def test_a_blocked_or_closed_deposito_is_not_called_about(self, world, status):
        closed_on = OCT31 if status == "closed" else None
        maturing(world.officer, date(2026, 11, 6), status=status, closed_on=closed_on)
        assert suggest_retention(today=WEDNESDAY)["maturing"] == 0

    def test_a_tabungan_with_a_date_is_not_a_deposito(self, world):
        deposit = R.account(world.officer, "tabungan", maturity_date=date(2026, 11, 6), aro=False)
        R.balance(deposit, OCT31, "500000000")
        assert suggest_retention(today=WEDNESDAY)["maturing"] == 0

    def test_on_a_saturday_the_call_is_planned_for_monday(self, world):
        maturing(world.officer, date(2026, 11, 8))  # a Sunday
        suggest_retention(today=SATURDAY)
        assert [f.planned_date for f in R.suggested()] == [date(2026, 11, 9)]

    def test_the_window_is_a_setting(self, app, world, monkeypatch):
        maturing(world.officer, date(2026, 11, 20))
        monkeypatch.setitem(app.config, "RETENTION_MATURITY_DAYS", 30)
        assert suggest_retention(today=WEDNESDAY)["maturing"] == 1

    def test_the_note_in_both_languages(self, world):
        deposit = maturing(world.officer, date(2026, 11, 10))
        suggest_retention(today=WEDNESDAY)
        [followup] = R.suggested()
        assert (followup.note_code, followup.note_params) == (
            "followup.deposit_maturing",
            {"account": deposit.account_no, "amount": "500000000.00", "day": "2026-11-10"},
        )
        with force_locale("en"):
            assert followup.system_note == (
                f"Suggested: deposito {deposit.account_no} of IDR 500,000,000 matures on "
                "Nov 10, 2026 without automatic roll-over; offer to renew it."
            )
        with force_locale("id"):
            assert followup.system_note == (
                f"Disarankan: deposito {deposit.account_no} sebesar Rp 500.000.000 jatuh tempo "
                "pada 10 Nov 2026 tanpa perpanjangan otomatis (non-ARO); tawarkan perpanjangan."
            )


class TestLargeWithdrawal:
    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            ("900000000", "800000000", False),  # exactly Rp 100 jt, 11 %: not more than
            ("900000000", "799999999", True),  # more than Rp 100 jt
            ("60000000", "30000000", False),  # exactly half: not more than half
            ("60000000", "29000000", True),  # more than half, Rp 31 jt >= the floor
            ("40000000", "15000000", True),  # 62.5 %, Rp 25 jt: the floor itself counts
            ("40000000", "16000000", False),  # 60 %, but Rp 24 jt is under the floor
            ("40000000", "90000000", False),  # the balance grew
        ],
    )
    def test_amount_share_and_floor(self, world, before, after, expected):
        deposit = fell(world.officer, before, after)
        counts = suggest_retention(OCT31, today=WEDNESDAY)
        assert counts["withdrawals"] == int(expected)
        assert counts["compared_with"] == "2026-09-30"
        if expected:
            [followup] = R.suggested()
            assert (followup.suggestion, followup.suggestion_key, followup.deposit_account_id) == (
                "large_withdrawal",
                "wd:2026-10-31",
                deposit.id,
            )
            assert (followup.planned_date, followup.owner_id) == (
                date(2026, 11, 5),
                world.officer.id,
            )

    def test_an_account_closed_since_fell_to_zero(self, world):
        deposit = fell(world.officer, "300000000", None, "giro")
        R.close(deposit, OCT31)
        R.balance(R.account(world.officer), OCT31, "1000000")  # the listing of the day
        assert suggest_retention(OCT31, today=WEDNESDAY)["withdrawals"] == 1
        assert R.suggested()[0].note_params["after"] in ("0", "0.00")

    def test_an_account_missing_from_a_partial_listing_is_unknown(self, world):
        fell(world.officer, "300000000", None)
        R.balance(R.account(world.officer), OCT31, "1000000")  # the listing exists
        assert suggest_retention(OCT31, today=WEDNESDAY)["withdrawals"] == 0

    def test_compared_with_the_month_end_before_not_a_mid_month_listing(self, world):
        deposit = fell(world.officer, "900000000", "500000000")
        R.balance(deposit, OCT15, "520000000")
        counts = suggest_retention(OCT31, today=WEDNESDAY)
        assert (counts["compared_with"], counts["withdrawals"]) == ("2026-09-30", 1)

    def test_an_older_listing_suggests_no_withdrawals(self, world):
        deposit = fell(world.officer, "900000000", "500000000")
        R.balance(deposit, date(2026, 11, 30), "500000000")
        counts = suggest_retention(OCT31, today=WEDNESDAY)
        assert (counts["latest"], counts["withdrawals"]) == (False, 0)

    def test_the_amount_is_a_setting(self, app, world, monkeypatch):
        fell(world.officer, "900000000", "750000000")
        monkeypatch.setitem(app.config, "RETENTION_WITHDRAWAL_AMOUNT", 200_000_000)
        assert suggest_retention(OCT31, today=WEDNESDAY)["withdrawals"] == 0

    def test_the_note_in_both_languages(self, world):
        deposit = fell(world.officer, "900000000", "150000000")
        suggest_retention(OCT31, today=WEDNESDAY)
        [followup] = R.suggested()
        assert followup.note_code == "followup.large_withdrawal"
        with force_locale("en"):
            assert followup.system_note == (
                f"Suggested: the balance of account {deposit.account_no} fell from "
                "IDR 900,000,000 on Sep 30, 2026 to IDR 150,000,000 on Oct 31, 2026; ask why "
                "and offer to keep the funds with us."
            )
        with force_locale("id"):
            assert followup.system_note == (
                f"Disarankan: saldo rekening {deposit.account_no} turun dari Rp 900.000.000 "
                "pada 30 Sep 2026 menjadi Rp 150.000.000 pada 31 Okt 2026; tanyakan alasannya "
                "dan tawarkan agar dana tetap di bank kita."
            )


class TestOwner:
    def test_the_customer_s_current_officer_owns_it(self, world):
        deposit = maturing(world.officer, date(2026, 11, 6))
        deposit.customer.officer_id = world.colleague.id  # reassigned after the listing
        db.session.commit()
        suggest_retention(today=WEDNESDAY)
        assert [f.owner_id for f in R.suggested()] == [world.colleague.id]

    def test_no_active_officer_is_skipped_and_counted(self, world):
        leaver = make_user("ao.leaver", "officer", "JKT01")
        maturing(leaver, date(2026, 11, 6))
        fell(leaver, "900000000", "100000000")
        leaver.active = False
        db.session.commit()
        counts = suggest_retention(OCT31, today=WEDNESDAY)
        assert (counts["created"], counts["skipped_no_officer"]) == (0, 2)
        assert R.suggested() == []


class TestIdempotence:
    def test_running_again_creates_nothing_more(self, world):
        maturing(world.officer, date(2026, 11, 6))
        fell(world.officer, "900000000", "100000000")
        assert suggest_retention(OCT31, today=WEDNESDAY)["created"] == 2
        again = suggest_retention(OCT31, today=date(2026, 11, 5))
        assert (again["created"], len(R.suggested())) == (0, 2)

    def test_a_cancelled_suggestion_is_not_made_again(self, world):
        maturing(world.officer, date(2026, 11, 6))
        suggest_retention(today=WEDNESDAY)
        first = R.suggested()[0]
        first.status, first.reason = "cancelled", "Nasabah sudah perpanjang di cabang."
        db.session.commit()
        assert suggest_retention(today=WEDNESDAY)["created"] == 0

    def test_a_planned_retention_call_on_the_account_prevents_a_second(self, world):
        deposit = maturing(world.officer, date(2026, 11, 6))
        R.balance(deposit, SEP30, "900000000")  # and a large withdrawal on it
        counts = suggest_retention(OCT31, today=WEDNESDAY)
        assert (counts["maturing"], counts["withdrawals"]) == (1, 0)

    def test_the_next_maturity_is_called_about_once_the_last_call_is_done(self, world):
        deposit = maturing(world.officer, date(2026, 11, 6))
        suggest_retention(today=WEDNESDAY)
        R.suggested()[0].status = "done"
        deposit.maturity_date = date(2026, 12, 6)  # renewed by hand for a month
        db.session.commit()
        suggest_retention(today=date(2026, 12, 1))
        assert [f.suggestion_key for f in R.suggested()] == ["mat:2026-11-06", "mat:2026-12-06"]
