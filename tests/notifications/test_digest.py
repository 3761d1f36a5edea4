"""The daily digest against a real SMTP server (aiosmtpd): what each role gets, in its language,
as HTML and plain text; nothing when empty or on a holiday; once per user and bank day."""

import logging
from datetime import date, datetime, time

import pytest

from aoapp.extensions import db
from tests.clock import JAKARTA
from tests.support import credit_visits
from tests.support import digest as d
from tests.support.factories import make_customer
from tests.support.followups import user

pytestmark = pytest.mark.today(datetime.combine(d.DAY, time(7, 5), tzinfo=JAKARTA))


def send(runner, *args):
    return runner.invoke(args=["notifications", "send-digest", *args])


def with_email(person, address: str, locale: str | None = None):
    row = user(person)
    row.email, row.locale = address, locale
    db.session.commit()
    return row


class TestWhatEachRoleGets:
    def test_an_officer_gets_every_section_in_indonesian_html_and_text(
        self, runner, world, smtp_server
    ):
        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example", "id")
        result = send(runner)
        assert result.exit_code == 0, result.output
        [mail] = smtp_server.to("budi@bank.example")
        message = mail.message
        assert message["Subject"] == "Ringkasan harian aoapp — Selasa, 8 Desember 2026"
        assert message["From"] == "aoapp <digest@bank.example>"
        assert message["Content-Language"] == "id"
        assert message.get_content_type() == "multipart/alternative"
        text, html = mail.part("plain"), mail.part("html")
        for part in (text, html):
            for title in (
                "Tindak lanjut terlambat",
                "Tindak lanjut hari ini",
                "Baru di daftar pantauan",
                "Janji bayar jatuh tempo",
                "Janji bayar diingkari",
                "Deposito jatuh tempo minggu ini",
                "Kredit jatuh tempo minggu ini",
                "Rencana akun untuk ditinjau",
            ):
                assert title in part, title
            for name in (
                "Toko Sumber Rejeki",
                "CV Maju Jaya",
                "UD Tani Makmur",
                "Warung Bu Sri",
                "Bengkel Pak Joko",
                "Ibu Ratna",
                "PT Sinar Abadi",
                "Koperasi Sejahtera",
            ):
                assert name in part, name
        # Written as an Indonesian reads it: rupiah, dates, the broken promise's sentence.
        assert "Janji bayar Rp 2.500.000 paling lambat 4 Des 2026 tidak ditepati." in text
        assert "Hari tunggakan naik dari 0 menjadi 15." in text
        assert "Rp 150.000.000" in text
        # Links to the pages, under APP_URL; none to the supervisor's.
        assert 'href="https://aoapp.bank.example/followups/' in html
        assert "https://aoapp.bank.example/profile" in text
        assert "Supervisor" not in text and "Eskalasi" not in text

    def test_a_supervisor_gets_escalations_and_overdue_complaints_in_english(
        self, runner, world, smtp_server
    ):
        d.supervisor_book(world.officer)
        unlocated = make_customer(world.officer, name="Toko Tanpa Lokasi")
        credit_visits.visit(unlocated, world.officer, visit_date=d.days(-1))  # no location
        with_email(world.supervisor, "spv@bank.example", "en")
        assert send(runner, "--user", "spv.jkt").exit_code == 0
        [mail] = smtp_server.to("spv@bank.example")
        assert mail.message["Subject"] == "aoapp daily digest — Tuesday, 8 December 2026"
        text = mail.part("plain")
        escalations = text.index("Escalations waiting")
        overdue = text.index("Complaints overdue")
        idle = text.index("Officers with no activity")
        assert escalations < overdue < idle
        assert "Apotek Sehat" in text[escalations:overdue]
        assert "Salon Cantik" in text[overdue:idle]
        # Both officers of JKT01 recorded nothing on Monday; BDG01's is another team.
        assert "Budi" in text[idle:] and "Sari" in text[idle:] and "Dewi" not in text
        assert "nothing recorded on Dec 7, 2026" in text
        assert "Overdue follow-ups" not in text  # an officer's section
        flagged = text[text.index("Flagged visits") :]
        assert "Toko Tanpa Lokasi" in flagged and "Budi" in flagged

    def test_an_officer_who_worked_yesterday_is_not_listed(self, runner, world, smtp_server):
        from tests.support.followups import followup

        late = d.officer_book(world.officer)["late"]
        followup(
            world.colleague,
            customer=late,
            status="done",
            planned_date=d.MONDAY,
            done_at=datetime(2026, 12, 7, 4, 0, tzinfo=JAKARTA),
        )
        with_email(world.supervisor, "spv@bank.example", "en")
        assert send(runner, "--user", "spv.jkt").exit_code == 0
        text = smtp_server.to("spv@bank.example")[0].part("plain")
        idle = text[text.index("Officers with no activity") :]
        assert "Budi" in idle and "Sari" not in idle


class TestWhenNothingIsSent:
    def test_an_empty_digest_is_not_sent_nor_shown(self, runner, world, smtp_server):
        with_email(world.colleague, "sari@bank.example")
        assert send(runner, "--user", "ao.sari").exit_code == 0
        assert smtp_server.received == []
        assert [s.status for s in d.sends()] == ["skipped_empty"]
        assert d.notifications() == []

    @pytest.mark.parametrize("day", [date(2026, 12, 25), date(2026, 12, 12)])  # Christmas, Sat
    def test_no_digest_on_a_day_the_bank_is_closed(
        self, runner, world, smtp_server, travel_to, day
    ):
        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example")
        travel_to(datetime.combine(day, time(8, 0), tzinfo=JAKARTA))
        for args in ((), ("--user", "ao.budi"), ("--date", day.strftime("%d/%m/%Y"))):
            result = send(runner, *args)
            assert result.exit_code == 0
            assert "is not a bank day: no digest" in result.stderr
        assert smtp_server.received == [] and d.sends() == []

    def test_before_the_users_time_nothing_is_sent(self, runner, world, smtp_server):
        d.officer_book(world.officer)
        row = with_email(world.officer, "budi@bank.example")
        row.digest_time = time(7, 30)
        db.session.commit()
        assert send(runner).exit_code == 0  # 07.05: not yet
        assert smtp_server.received == [] and d.sends(world.officer) == []
        assert send(runner, "--user", "ao.budi").exit_code == 0  # asked for: now
        assert len(smtp_server.to("budi@bank.example")) == 1

    def test_without_an_address_it_is_shown_in_the_application_only(
        self, runner, world, smtp_server
    ):
        d.officer_book(world.officer)
        result = send(runner)
        assert result.exit_code == 0, result.output
        # The officer, and the supervisors (their officers recorded nothing on Monday).
        assert "3 in the application only" in result.output
        assert smtp_server.received == []
        assert [s.status for s in d.sends(world.officer)] == ["in_app"]
        [notification] = d.notifications(world.officer)
        assert notification.title == "Daily digest, Dec 8, 2026"
        assert "1 overdue follow-up" in notification.body
        assert "1 promise broken" in notification.body


class TestOncePerDay:
    def test_running_again_sends_nothing_more(self, runner, world, smtp_server):
        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example")
        assert send(runner).exit_code == 0
        again = send(runner)
        assert again.exit_code == 0
        assert send(runner, "--user", "ao.budi").exit_code == 0
        assert len(smtp_server.received) == 1
        [record] = d.sends(world.officer)
        assert (record.status, record.attempts, record.bank_day) == ("sent", 1, d.DAY)
        assert record.sent_at is not None
        assert len(d.notifications(world.officer)) == 1

    def test_a_failed_send_is_recorded_logged_and_retried_by_the_next_run(
        self, app, runner, world, smtp_server, caplog
    ):
        from tests.support.smtp import closed_port

        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example")
        port = app.config["MAIL_PORT"]
        app.config["MAIL_PORT"] = closed_port()
        with caplog.at_level(logging.WARNING, logger="aoapp.notifications"):
            failed = send(runner)
        assert failed.exit_code == 1  # cron tells someone
        assert "1 failed" in failed.output
        [record] = d.sends(world.officer)
        assert (record.status, record.attempts) == ("failed", 1)
        assert "ConnectionRefusedError" in record.last_error
        assert "the next run tries again" in caplog.text
        assert len(d.notifications(world.officer)) == 1  # shown in the application meanwhile

        app.config["MAIL_PORT"] = port  # the mail server is back
        assert send(runner).exit_code == 0
        assert len(smtp_server.to("budi@bank.example")) == 1
        [record] = d.sends(world.officer)
        assert (record.status, record.attempts, record.last_error) == ("sent", 2, None)
        assert len(d.notifications(world.officer)) == 1  # the retry keeps the first

    def test_after_the_last_attempt_it_gives_up_with_a_log_line(
        self, app, runner, world, smtp_server, caplog
    ):
        from tests.support.smtp import closed_port

        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example")
        app.config.update(MAIL_PORT=closed_port(), DIGEST_MAX_ATTEMPTS=2)
        with caplog.at_level(logging.WARNING, logger="aoapp.notifications"):
            assert send(runner).exit_code == 1
            assert send(runner).exit_code == 1
            assert send(runner).exit_code == 0  # given up: no third try
        assert "giving up after 2 attempts" in caplog.text
        [record] = d.sends(world.officer)
        assert (record.status, record.attempts) == ("failed", 2)
        assert smtp_server.received == []


class TestFaultsAreNeverSilent:
    def test_a_digest_that_cannot_be_built_is_recorded_failed_then_retried(
        self, runner, world, smtp_server, monkeypatch
    ):
        from dataclasses import replace

        from aoapp.notifications.sections import SECTIONS

        d.officer_book(world.officer)
        with_email(world.officer, "budi@bank.example")
        section = SECTIONS["overdue_followups"]

        def broken(_context):
            raise RuntimeError("the agenda is away")

        monkeypatch.setitem(SECTIONS, "overdue_followups", replace(section, build=broken))
        failed = send(runner, "--user", "ao.budi")
        assert failed.exit_code == 1
        [record] = d.sends(world.officer)
        assert (record.status, record.last_error) == ("failed", "RuntimeError: the agenda is away")
        monkeypatch.setitem(SECTIONS, "overdue_followups", section)
        assert send(runner, "--user", "ao.budi").exit_code == 0
        assert len(smtp_server.to("budi@bank.example")) == 1

    @pytest.mark.parametrize("text", ["2026-13-01", "8 Des", "09/12/2026"])  # the last: tomorrow
    def test_a_bad_or_future_date_is_refused(self, runner, world, text):
        result = send(runner, "--date", text)
        assert result.exit_code == 2
        assert "--date" in result.output
