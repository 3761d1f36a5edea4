"""The debtor monitoring report (Laporan Pemantauan Debitur) of the customer workbook, written
with XlsxWriter and read back with openpyxl: the facility data, the arrears, the period's visits
only, the follow-up plan as it stood at the period's end, the signature blocks, the review line,
the print setup — and in Indonesian."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.auth import services as auth_services
from aoapp.customers import services as customer_services
from aoapp.extensions import db
from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports import reviews
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.monitoring import arrears_months
from aoapp.reports.customer.signers import signers
from aoapp.reports.customer.workbook import customer_workbook
from aoapp.reports.models import ReportReview
from aoapp.reports.writers import XlsxWriterWriter
from tests.support import factories
from tests.support import reports_customer as H

BANK = "Bank Demo"
pytestmark = pytest.mark.today("2026-11-28")  # October is over: judged on 31 Oct


EARLY = datetime(2026, 1, 5, 2, tzinfo=UTC)  # the world's accounts, made long before October


def accounts_made(when: datetime, *users) -> None:
    """Date the users' accounts (the world makes them today, after the period)."""
    for user in users:
        user.created_at = when
    db.session.commit()


@pytest.fixture
def story(world, tmp_path):
    accounts_made(EARLY, world.admin, world.supervisor, world.bdg_supervisor)
    story = H.build_story(world, tmp_path)
    c, f, officer = story.customer, story.facilities, world.officer
    # The plan after October as it stood on 31 Oct: a promise due in November, a follow-up
    # planned for 4 Nov (done only then: still planned on 31 Oct), and one planned on 3 Nov
    # (not there on 31 Oct).
    H.promise(c, officer, f[H.F2], date(2026, 10, 22), 1_500_000, date(2026, 11, 10))
    H.follow_up(
        c, officer, date(2026, 11, 4), "done", f[H.F2], outcome="reached",
        created_at=datetime(2026, 10, 29, 3, tzinfo=UTC),
    )  # fmt: skip
    H.follow_up(
        c, officer, date(2026, 11, 20), "planned", created_at=datetime(2026, 11, 3, 3, tzinfo=UTC)
    )
    return story


def render(story, tmp_path, lang="en"):
    """The monitoring report's worksheet of the customer's October workbook."""
    period = parse_period("2026-10")
    with force_locale(lang):
        data = load_customer_reports([story.customer.id], period, period_as_of(period))
        workbook = customer_workbook(data[story.customer.id], BANK)
        path = tmp_path / f"monitoring-{lang}.xlsx"
        XlsxWriterWriter().write(workbook, path)
    book = load_workbook(path)
    return book[book.sheetnames[-1]]


def row_of(ws, text: str) -> int:
    """The row whose first cell is `text`."""
    return next(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == text)


def table(ws, section: str) -> list[dict]:
    """The rows of the table under a section heading, as {header: cell} (totals included)."""
    top = row_of(ws, section) + 1
    columns = {c.value: c.column for c in ws[top] if c.value is not None}  # spans leave gaps
    rows = []
    for number in range(top + 1, ws.max_row + 1):
        cells = {header: ws.cell(number, col) for header, col in columns.items()}
        if all(c.value is None for c in cells.values()):
            break
        rows.append(cells)
    return rows


def pairs(ws, section: str) -> dict:
    """The labelled values under a section heading: {label: value cell (column C)}."""
    found, number = {}, row_of(ws, section) + 1
    while ws.cell(number, 1).value:
        found[ws.cell(number, 1).value] = ws.cell(number, 3)
        number += 1
    return found


def texts(ws) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


class TestContent:
    def test_debtor_and_facilities(self, story, tmp_path, world):
        ws = render(story, tmp_path)
        assert ws.title == "Monitoring report"
        assert ws["A1"].value == f"Debtor monitoring report — {H.NAME} ({H.CIF})"
        debtor = pairs(ws, "A. Debtor")
        assert debtor["CIF"].value == H.CIF and debtor["Debtor"].value == H.NAME
        code = world.officer.officer_code
        assert debtor["Account officer"].value == f"Ao.Budi ({code})"
        assert debtor["Debtor Kol"].value == "2 – Special mention"
        facilities = table(ws, "B. Credit facilities")
        assert [r["Account no"].value for r in facilities] == [H.F1, H.F2, H.F3, "Total"]
        f2 = facilities[1]
        assert H.money(f2["Plafond"].value) == 100 * H.M
        assert H.money(f2["Outstanding"].value) == 80 * H.M - 2 * 13 * H.M
        assert f2["Plafond"].number_format == '"IDR" #,##0.00'
        assert f2["Disbursement date"].value.date() == story.facilities[H.F2].start_date
        assert f2["Maturity date"].value.date() == story.facilities[H.F2].maturity_date
        assert f2["Maturity date"].number_format == "mmm d, yyyy"
        assert H.money(facilities[-1]["Plafond"].value) == 900 * H.M  # F1 + F2 + F3

    def test_arrears_in_months_and_rupiah(self, story, tmp_path):
        arrears = {r["Account no"].value: r for r in table(render(story, tmp_path), "C. Arrears")}
        f2 = arrears[H.F2]
        assert f2["DPD"].value == 50
        assert f2["Principal arrears (months)"].value == 2
        assert H.money(f2["Principal arrears"].value) == Decimal("3200000")
        assert f2["Interest arrears (months)"].value == 2
        assert H.money(f2["Interest arrears"].value) == Decimal("800000")
        assert arrears[H.F1]["Principal arrears (months)"].value == 0
        assert H.money(arrears["Total"]["Principal arrears"].value) == Decimal("3200000")
        assert (arrears_months(0, Decimal(5)), arrears_months(1, Decimal(5))) == (0, 1)
        assert (arrears_months(30, Decimal(5)), arrears_months(31, Decimal(5))) == (1, 2)
        assert arrears_months(90, Decimal(0)) == 0

    def test_only_the_periods_visits(self, story, tmp_path):
        visits = table(render(story, tmp_path), "D. Monitoring visits in the period")
        assert [r["Visit date"].value.date() for r in visits] == [date(2026, 10, 12)]
        assert visits[0]["Findings"].value == "-5% sales since September"
        assert visits[0]["Risk rating"].value == "weak" and visits[0]["Facility"].value == H.F2
        assert visits[0]["Findings"].data_type == "s"  # text, never a formula
        assert visits[0]["Met with"].value == "Bapak Darsono (pemilik)"

    def test_follow_ups_and_promises_of_the_period(self, story, tmp_path):
        rows = table(render(story, tmp_path), "E. Follow-ups and promises to pay in the period")
        days = [r["Date"].value.date() for r in rows]
        assert days == sorted(days) and all(d.month == 10 for d in days)
        due = [r for r in rows if r["Type"].value == "Promise to pay due"]
        assert {r["Outcome / status"].value for r in due} == {"kept", "pending"}  # on 31 Oct

    def test_assessment(self, story, tmp_path):
        assessment = pairs(render(story, tmp_path), "F. Officer's assessment")
        assert assessment["Latest risk rating"].value == "weak (visit of Oct 12, 2026)"
        assert assessment["Recommendations"].value == "Visit again next month"
        assert assessment["Assessment"].value.startswith("Kol unchanged at 2")

    def test_the_plan_is_what_stood_planned_after_the_period(self, story, tmp_path, world):
        ws = render(story, tmp_path)
        plan = table(ws, "G. Follow-up plan (RTL)")
        assert [(r["No."].value, r["Due date"].value.date()) for r in plan] == [
            (1, date(2026, 11, 2)),
            (2, date(2026, 11, 4)),  # done on 4 Nov: still planned on 31 Oct
            (3, date(2026, 11, 10)),
            (4, date(2026, 11, 12)),
        ]  # the follow-up created on 3 Nov is not in October's plan
        actions = [r["Action"].value for r in plan]
        assert actions[0] == "Call – relationship"
        assert actions[1] == "Call – collection" and plan[1]["Facility"].value == H.F2
        assert actions[2] == "Check the payment of the promise to pay of IDR 1,500,000"
        assert actions[3] == "Next monitoring visit: Visit again next month"
        assert {r["Owner"].value for r in plan} == {f"Ao.Budi ({world.officer.officer_code})"}
        assert plan[0]["Due date"].number_format == "mmm d, yyyy"
        row = plan[0]["Action"].row  # the action, the plan's long text, takes three columns
        assert f"B{row}:D{row}" in {str(r) for r in ws.merged_cells.ranges}

    def test_signature_blocks_and_no_review_yet(self, story, tmp_path, world):
        # A review belongs to its customer's period: September's is not October's.
        db.session.add(
            ReportReview(
                customer_id=story.customer.id,
                period="2026-09",
                reviewed_by_id=world.supervisor.id,
                note="September",
            )
        )
        db.session.commit()
        ws = render(story, tmp_path)
        made = row_of(ws, "Made by,")
        assert ws.cell(made, 5).value == "Acknowledged by,"
        assert ws.cell(made + 1, 1).value == "Account officer"
        assert ws.cell(made + 1, 5).value == "Supervisor"
        assert ws.cell(made + 4, 1).value == "( Ao.Budi )"
        assert ws.cell(made + 4, 5).value == "( Spv.Jkt )"
        assert ws.cell(made + 5, 1).value == f"AO code: {world.officer.officer_code}"
        assert ws.cell(made + 6, 1).value.startswith("Date: ")
        assert ws.cell(made + 6, 5).value.startswith("Date: ")
        assert ws.cell(made + 8, 1).value == "Not reviewed yet."
        assert made > row_of(ws, "G. Follow-up plan (RTL)")  # at the end

    def test_the_latest_review_in_the_next_generation(self, story, tmp_path, world, travel_to):
        from aoapp.reports import services

        travel_to(datetime(2026, 11, 28, 9, tzinfo=UTC))
        report, _new = services.customer_report(world.officer, story.customer.id, "2026-10")
        reviews.review_report(world.supervisor, report.id, "First look")
        travel_to(datetime(2026, 11, 28, 9, tzinfo=UTC) + timedelta(hours=2))
        reviews.review_report(world.admin, report.id, "Collateral photos needed")
        db.session.expire_all()
        ws = render(story, tmp_path)
        made = row_of(ws, "Made by,")
        # 11:00 UTC is 18:00 in Jakarta
        assert ws.cell(made + 8, 1).value.startswith("Reviewed by Admin on Nov 28, 2026 6:00")
        assert ws.cell(made + 9, 1).value == "Review note: Collateral photos needed"
        assert "First look" not in " ".join(texts(ws))


def signature_names(ws) -> tuple[str, str]:
    """The name lines of the officer's and the supervisor's blocks."""
    made = row_of(ws, "Made by,")
    return ws.cell(made + 4, 1).value, ws.cell(made + 4, 5).value


class TestSignersOfThePeriodsEnd:
    """The form names who was in charge at the period's end (31 Oct), read back from the audit,
    not who is in charge on the day it is made (28 Nov)."""

    def test_the_officer_who_owned_the_customer_then(self, story, tmp_path, world, travel_to):
        travel_to(datetime(2026, 10, 20, 3, tzinfo=UTC))  # inside October: it counts
        customer_services.reassign(world.supervisor, story.customer, world.colleague.id)
        travel_to(datetime(2026, 11, 20, 3, tzinfo=UTC))  # after October: it does not
        customer_services.reassign(world.supervisor, story.customer, world.officer.id)
        auth_services.update_user(world.colleague, world.admin, full_name="Sari Lestari")
        ws = render(story, tmp_path)
        code = world.colleague.officer_code
        assert signature_names(ws) == ("( Ao.Sari )", "( Spv.Jkt )")  # her name then
        assert ws.cell(row_of(ws, "Made by,") + 5, 1).value == f"AO code: {code}"
        assert pairs(ws, "A. Debtor")["Account officer"].value == f"Ao.Sari ({code})"
        # While a period runs, its end is today: the officer who owns the customer now.
        now = signers({story.customer.id: story.customer}, date(2026, 11, 28))
        assert now[story.customer.id].officer_name == "Ao.Budi"

    def test_the_supervisors_in_charge_then(self, story, tmp_path, world):
        newcomer = factories.make_user("spv.baru", "supervisor", "JKT01")  # made on 28 Nov
        auth_services.update_user(world.supervisor, world.admin, supervises=["BDG01"])
        auth_services.update_user(world.supervisor, world.admin, active=False)
        assert signature_names(render(story, tmp_path)) == ("( Ao.Budi )", "( Spv.Jkt )")
        now = signers({story.customer.id: story.customer}, date(2026, 11, 28))
        assert now[story.customer.id].supervisors == [newcomer.display_name]

    def test_blank_when_nobody_is_known_then_and_the_reviewer_once_reviewed(
        self, story, tmp_path, world, travel_to
    ):
        from aoapp.reports import services

        accounts_made(datetime(2026, 11, 2, tzinfo=UTC), world.supervisor)  # after 31 Oct
        assert signature_names(render(story, tmp_path)) == ("( Ao.Budi )", "( …………………………… )")
        travel_to(datetime(2026, 11, 28, 2, tzinfo=UTC))
        report, _new = services.customer_report(world.officer, story.customer.id, "2026-10")
        reviews.review_report(world.supervisor, report.id, "")
        ws = render(story, tmp_path)
        made = row_of(ws, "Made by,")
        assert signature_names(ws)[1] == "( Spv.Jkt )"  # the review is the acknowledgment
        assert ws.cell(made + 6, 5).value == "Date: Nov 28, 2026"
        assert ws.cell(made + 6, 1).value.startswith("Date: ……")  # the officer signs by hand
        assert ws.cell(made + 8, 1).value.startswith("Reviewed by Spv.Jkt on Nov 28, 2026")


class TestPrintReady:
    def test_a4_portrait_one_page_wide_with_header_and_footer(self, story, tmp_path):
        ws = render(story, tmp_path)
        setup = ws.page_setup
        assert setup.orientation == "portrait" and setup.paperSize == 9
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.left.text == BANK
        assert ws.oddHeader.center.text == "JKT01 Jakarta Sudirman"
        assert ws.oddHeader.right.text == "October 2026"
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.oddFooter.left.text == "&A"  # the sheet's name, as on every sheet
        assert ws.print_title_rows == "$1:$2"  # the debtor's name on every page
        widths = [ws.column_dimensions[letter].width for letter in "ABCDEFG"]
        assert all(10 <= w <= 20 for w in widths) and sum(widths) <= 110
        assert ws.print_area == "'Monitoring report'!$A$1:$G$" + str(ws.max_row)

    def test_long_text_wraps_and_its_row_grows(self, story, tmp_path, world):
        H.visit(story.customer, world.officer, date(2026, 10, 20), "adequate", findings="x " * 200)
        ws = render(story, tmp_path)
        row = next(
            r for r in table(ws, "D. Monitoring visits in the period")
            if r["Visit date"].value.date() == date(2026, 10, 20)
        )  # fmt: skip
        cell = row["Findings"]
        assert cell.alignment.wrap_text
        assert ws.row_dimensions[cell.row].height >= 15 * 20


class TestIndonesian:
    def test_title_headings_and_signatures(self, story, tmp_path):
        ws = render(story, tmp_path, "id")
        assert ws.title == "Laporan Pemantauan"
        assert ws["A1"].value.startswith("Laporan Pemantauan Debitur — ")
        for heading in (
            "A. Debitur",
            "B. Fasilitas kredit",
            "C. Tunggakan",
            "D. Kunjungan pemantauan dalam periode",
            "E. Tindak lanjut dan janji bayar dalam periode",
            "F. Penilaian AO",
            "G. Rencana Tindak Lanjut (RTL)",
        ):
            assert row_of(ws, heading)
        visits = table(ws, "D. Kunjungan pemantauan dalam periode")
        assert visits[0]["Yang ditemui"].value == "Bapak Darsono (pemilik)"
        arrears = table(ws, "C. Tunggakan")
        assert {"Tunggakan pokok (bulan)", "Tunggakan bunga"} <= set(arrears[0])
        plan = table(ws, "G. Rencana Tindak Lanjut (RTL)")
        assert {"Tindakan", "Penanggung jawab", "Batas waktu"} <= set(plan[0])
        assert plan[2]["Tindakan"].value.startswith("Pantau pembayaran janji bayar Rp 1.500.000")
        made = row_of(ws, "Dibuat oleh,")
        assert ws.cell(made, 5).value == "Diketahui oleh,"
        assert ws.cell(made + 6, 1).value.startswith("Tanggal: ")
        assert ws.cell(made + 8, 1).value == "Belum diperiksa."
        assert ws.oddFooter.right.text == "Halaman &P dari &N"
        assert ws.oddHeader.right.text == "Oktober 2026"

    def test_review_line(self, story, tmp_path, world, travel_to):
        from aoapp.reports import services

        travel_to(datetime(2026, 11, 28, 2, tzinfo=UTC))
        report, _new = services.customer_report(world.officer, story.customer.id, "2026-10")
        reviews.review_report(world.supervisor, report.id, "Sudah dicek")
        ws = render(story, tmp_path, "id")
        made = row_of(ws, "Dibuat oleh,")
        assert ws.cell(made + 4, 5).value == "( Spv.Jkt )"
        assert ws.cell(made + 6, 5).value == "Tanggal: 28 Nov 2026"
        assert ws.cell(made + 8, 1).value == "Diperiksa oleh Spv.Jkt pada 28 Nov 2026 09.00"
        assert ws.cell(made + 9, 1).value == "Catatan pemeriksaan: Sudah dicek"
