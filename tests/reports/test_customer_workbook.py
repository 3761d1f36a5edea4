"""The per-customer workbook, written with XlsxWriter and read back with openpyxl: sheets, types,
formats, formulas and their cached values, charts, print setup — and every figure equal to the
API's for the same period."""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.summary import with_text_facts
from aoapp.reports.customer.workbook import (
    SHEETS,
    customer_filename,
    customer_workbook,
    sheet_names,
    slug,
)
from aoapp.reports.sheets import NUMBER_FORMATS
from aoapp.reports.writers import RustWriter, XlsxWriterWriter
from tests.support import reports_customer as H

BANK = "Bank Demo"
JAKARTA = ZoneInfo("Asia/Jakarta")
IDR, PERCENT, RATE, DAY = (NUMBER_FORMATS[k] for k in ("money", "ratio", "rate", "date"))
FIRST_HEADERS = {
    "Facilities": "Account no",
    "Deposits": "Account no",
    "History": "Month end",
    "Interactions": "Date",
    "Monitoring": "Visit date",
}


@pytest.fixture
def story(world, tmp_path):
    return H.build_story(world, tmp_path)


@pytest.fixture
def officer_api(api, world):
    client = api(world.officer)

    def get(url, **params):
        response = client.get(url, query_string={"per_page": 200, **params})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return get


class Rendered:
    """A customer's workbook for a period, written to disk and read back twice."""

    def __init__(self, customer, period_code, tmp_path, writer=None):
        self.period = parse_period(period_code)
        self.as_of = period_as_of(self.period)
        self.data = load_customer_reports([customer.id], self.period, self.as_of)[customer.id]
        workbook = customer_workbook(self.data, BANK)
        if isinstance(writer, RustWriter):
            workbook = with_text_facts(workbook)
        self.path = tmp_path / customer_filename(self.data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        (writer or XlsxWriterWriter()).write(workbook, self.path)
        self.book = load_workbook(self.path)
        self.values = load_workbook(self.path, data_only=True)
        self.facts_column = 3 if isinstance(writer, RustWriter) else 2

    def table(self, sheet: str, values: bool = False):
        return H.table((self.values if values else self.book)[sheet], FIRST_HEADERS[sheet])

    @property
    def facts(self) -> dict:
        return H.facts(self.book["Summary"], self.facts_column)


@pytest.fixture
def october(story, tmp_path):
    return Rendered(story.customer, "2026-10", tmp_path)


def local_day(text: str) -> date:
    return datetime.fromisoformat(text).astimezone(JAKARTA).date()


def in_period(day: date, period) -> bool:
    return period.start <= day <= period.end


class TestLayout:
    def test_sheets_in_order(self, october):
        assert october.book.sheetnames == list(sheet_names().values()) == [
            "Summary", "Facilities", "Deposits", "History", "Interactions", "Monitoring",
            "Account plan", "Monitoring report",
        ]  # fmt: skip
        assert SHEETS[-1] == "monitoring_report"  # its key, whatever the language

    @pytest.mark.parametrize("sheet", list(FIRST_HEADERS))
    def test_table_sheets_frozen_filtered_printable(self, october, sheet):
        ws = october.book[sheet]
        top = H.header_row(ws, FIRST_HEADERS[sheet])
        assert all(cell.font.b for cell in ws[top] if cell.value is not None)
        assert ws.freeze_panes == f"A{top + 1}"
        assert ws.auto_filter.ref.startswith(f"A{top}:")
        assert ws.print_title_rows == f"$1:${top}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        # One page wide (1 is Excel's default, left out of the file), as many pages tall as needed.
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].width >= 8

    def test_summary_print_setup_and_title(self, october):
        ws = october.book["Summary"]
        assert ws["A1"].value == "Customer report — Toko Sejahtera Café Ümit (0000123456)"
        assert "October 2026 (2026-10)" in ws["A2"].value and "Oct 31, 2026" in ws["A2"].value
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$2"

    def test_no_text_is_ever_a_formula(self, october):
        for ws in october.book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert ws.title in ("Facilities", "Deposits")
                        assert cell.value.startswith("=SUM(")

    def test_user_text_starting_with_formula_characters_stays_text(self, october):
        _headers, rows = october.table("Interactions")
        notes = {row["Notes"].value: row["Notes"] for row in rows}
        for text in ('=HYPERLINK("http://x.test","click")', "=1+1 savings",
                     "+62 called at night", "@SUM(A1) fee\nResolution: Refunded"):  # fmt: skip
            assert notes[text].data_type == "s"
        _headers, visits = october.table("Monitoring")
        assert visits[0]["Findings"].value == "-5% sales since September"
        assert visits[0]["Findings"].data_type == "s"


class TestSummary:
    def test_types_and_formats(self, october):
        facts = october.facts
        for label in ("Total plafond", "Total outstanding"):
            assert facts[label].data_type == "n" and facts[label].number_format == IDR
        assert facts["Utilisation"].number_format == PERCENT
        assert facts["Utilisation"].value == pytest.approx(0.49)
        assert facts["As of"].is_date and facts["As of"].value.date() == date(2026, 10, 31)
        assert facts["Customer since"].is_date and facts["Max DPD"].value == 50
        assert facts["NPL"].value == "No" and facts["Bank"].value == BANK
        assert facts["Debtor Kol"].value == "2 – Special mention"
        assert facts["Kol decided by"].value == f"days past due (facility {H.F2})"
        assert facts["Kol movement"].value == "Unchanged"
        assert facts["Kol at the start of the period"].value.startswith("2 – Special mention")
        assert facts["Period"].value == "October 2026" and facts["Period code"].value == "2026-10"
        assert facts["Products held"].value == (
            "DEP – Deposito; KMK – Product KMK; KUR – Product KUR; MBANKING – Mobile Banking; "
            "TAB – Tabungan"
        )
        commentary = facts["Commentary"].value
        assert commentary.startswith("Kol unchanged at 2 (Special mention).")
        assert "1 of 2 promises to pay kept, 1 pending." in commentary  # as of 31 Oct
        assert "3 complaints still open." in commentary

    def test_identity_and_kol_equal_the_customer_api(self, october, story, officer_api, world):
        api = officer_api(f"/api/v1/customers/{story.customer.id}")
        facts = october.facts
        assert (facts["CIF"].value, facts["Customer"].value) == (api["cif"], api["name"])
        assert facts["Branch"].value.startswith(api["branch"] + " – ")
        # By name and AO code, never by login.
        officer = world.officer
        assert officer.officer_code and api["officer_username"] == officer.username
        name = officer.full_name or officer.officer_code
        assert facts["Account officer"].value == f"{name} ({officer.officer_code})"
        assert officer.username not in facts["Account officer"].value
        assert facts["Customer since"].value.date().isoformat() == api["since"]
        assert facts["Debtor Kol"].value.startswith(f"{api['collectibility']} – ")

    def test_credit_figures_equal_the_facilities_api(self, october, officer_api):
        listed = officer_api("/api/v1/facilities", as_of="2026-10-31", q=H.CIF)["items"]
        facts = october.facts
        assert H.money(facts["Total outstanding"].value) == sum(
            Decimal(item["outstanding"]) for item in listed
        )
        assert facts["Max DPD"].value == max(item["dpd"] for item in listed)
        assert facts["Debtor Kol"].value.startswith(f"{max(i['debtor_kol'] for i in listed)} ")
        plafond = sum(
            Decimal(officer_api(f"/api/v1/facilities/{f.facility_id}")["plafond"])
            for f in october.data.facilities
        )
        assert H.money(facts["Total plafond"].value) == plafond

    def test_activity_counts_equal_the_api(self, october, story, officer_api, travel_to):
        travel_to(date(2026, 10, 31))  # the pages on October's last day say what its report says
        cid, facts = story.customer.id, october.facts
        window = {"planned_from": "2026-10-01", "planned_to": "2026-10-31"}
        followups = officer_api("/api/v1/followups", customer=cid, **window)["items"]
        statuses = Counter(f["status"] for f in followups)
        for status in ("done", "planned", "missed", "cancelled"):
            assert facts[f"Follow-ups {status}"].value == statuses[status]
        due = {"promised_from": "2026-10-01", "promised_to": "2026-10-31"}
        states = Counter(
            p["state"] for p in officer_api("/api/v1/promises", customer=cid, **due)["items"]
        )
        for state in ("kept", "broken", "pending"):
            assert facts[f"Promises to pay {state}"].value == states[state]
        introduced = [
            i for i in officer_api("/api/v1/introductions", customer=cid)["items"]
            if in_period(date.fromisoformat(i["introduced_on"]), october.period)
        ]  # fmt: skip
        assert facts["Introductions"].value == len(introduced) == 2
        complaints = officer_api("/api/v1/complaints", customer=cid)["items"]
        received = [c for c in complaints if in_period(local_day(c["received_at"]), october.period)]
        assert facts["Complaints received"].value == len(received) == 3
        still_open = [c for c in complaints if c["status"] in ("open", "in_progress", "escalated")]
        assert facts["Complaints open at the end of the period"].value == len(still_open)
        visits = officer_api("/api/v1/monitoring-visits", customer=cid)["items"]
        latest = max(visits, key=lambda v: (v["visit_date"], v["id"]))
        assert facts["Latest monitoring visit rating"].value == latest["risk_rating"] == "weak"
        visit_date = facts["Latest monitoring visit date"]
        assert visit_date.is_date and visit_date.value.date().isoformat() == latest["visit_date"]

    def test_watchlist_equals_the_watchlist_api(self, october, story, officer_api, travel_to):
        travel_to(date(2026, 10, 31))  # the watchlist page as it was on October's last day
        entries = officer_api("/api/v1/watchlist", as_of="2026-10-31")["items"]
        mine = [e for e in entries if e["customer"] == story.customer.id]
        # The report lists each signal; the API one entry per account with its signals.
        expected = [
            f"{s['label']} ({e['account_no']}): {s['reason']}" for e in mine for s in e["signals"]
        ]
        # No broken promise yet on 31 Oct (promise 2's deadline is 2 Nov); no follow-up gap.
        assert len(expected) == 3
        # The report's own order (newest signal first), the same signals and reasons.
        assert sorted(october.facts["Watchlist"].value.split("; ")) == sorted(expected)


class TestFacilities:
    def test_rows_types_and_values_equal_the_api(self, october, officer_api):
        headers, rows = october.table("Facilities")
        assert headers == [
            "Account no", "Product", "Plafond", "Outstanding", "Arrears principal",
            "Arrears interest", "DPD", "Interest rate", "Start date", "Maturity date",
            "Collectibility (Kol)", "Restructured", "Status", "Position date",
        ]  # fmt: skip
        assert [r["Account no"].value for r in rows] == [H.F1, H.F2, H.F3]
        for row, line in zip(rows, october.data.facilities, strict=True):
            api = officer_api(f"/api/v1/facilities/{line.facility_id}")
            assert row["Account no"].data_type == "s" and row["Product"].value.startswith(
                api["product"]
            )
            assert row["Plafond"].number_format == IDR == row["Outstanding"].number_format
            assert H.money(row["Plafond"].value) == Decimal(api["plafond"])
            assert row["Interest rate"].number_format == RATE
            assert Decimal(str(row["Interest rate"].value)) == Decimal(api["interest_rate"])
            assert row["Start date"].is_date and row["Start date"].number_format == DAY
            assert row["Start date"].value.date().isoformat() == api["start_date"]
            assert row["Maturity date"].value.date().isoformat() == api["maturity_date"]
            assert row["Restructured"].value == ("Yes" if api["restructured"] else "No")
            # The latest position up to the as-of date (the last one for a closed facility).
            position = next(p for p in api["positions"] if p["as_of"] <= "2026-10-31")
            assert row["Position date"].value.date().isoformat() == position["as_of"]
            assert row["DPD"].value == position["dpd"] and row["DPD"].data_type == "n"
            assert row["Collectibility (Kol)"].value == position["debtor_kol"]
            assert (
                row["Arrears principal"].number_format
                == IDR
                == row["Arrears interest"].number_format
            )
            if api["status"] == "closed":
                assert row["Status"].value == "closed Oct 15, 2026"
                assert row["Outstanding"].value == 0 == row["Arrears principal"].value
            else:
                assert H.money(row["Outstanding"].value) == Decimal(position["outstanding"])
                for field in ("arrears_principal", "arrears_interest"):
                    cell = row[field.replace("_", " ").capitalize()]
                    assert H.money(cell.value) == Decimal(position[field])

    def test_totals_are_sum_formulas_with_correct_cached_values(self, october):
        ws, cached = october.book["Facilities"], october.values["Facilities"]
        top = H.header_row(ws, "Account no")
        total_row = top + 4  # three facilities, then the totals
        assert ws.cell(total_row, 1).value == "Total"
        assert ws.cell(total_row, 3).value == f"=SUM(C{top + 1}:C{top + 3})"
        assert ws.cell(total_row, 4).value == f"=SUM(D{top + 1}:D{top + 3})"
        assert ws.cell(total_row, 3).number_format == IDR
        assert H.money(cached.cell(total_row, 3).value) == Decimal("900000000")
        assert H.money(cached.cell(total_row, 4).value) == Decimal("441000000")
        # Arrears principal and interest are summed too; DPD is not.
        assert ws.cell(total_row, 5).value == f"=SUM(E{top + 1}:E{top + 3})"
        assert ws.cell(total_row, 6).value == f"=SUM(F{top + 1}:F{top + 3})"
        assert ws.cell(total_row, 7).value is None
        arrears = sum((line.arrears_principal for line in october.data.facilities), Decimal("0"))
        assert H.money(cached.cell(total_row, 5).value) == arrears > 0
        assert H.money(cached.cell(total_row, 4).value) == H.money(
            october.facts["Total outstanding"].value
        )


class TestHistory:
    def test_month_ends_equal_the_positions_api(self, october, officer_api):
        headers, rows = october.table("History")
        assert headers[:4] == ["Month end", "Total outstanding", "Max DPD", "Debtor Kol"]
        assert len(rows) == 12 and rows[-1]["Month end"].value.date() == date(2026, 10, 31)
        months = [r["Month end"].value.date() for r in rows]
        assert months[0] == date(2025, 11, 30)
        for facility_id, account in october.data.history_accounts:
            positions = officer_api(f"/api/v1/facilities/{facility_id}")["positions"]
            for row, month_end in zip(rows, months, strict=True):
                in_month = [
                    p for p in positions
                    if p["as_of"][:7] == month_end.isoformat()[:7] and p["as_of"] <= "2026-10-31"
                ]  # fmt: skip
                out, dpd, kol = (row[f"{account} {k}"] for k in ("outstanding", "DPD", "Kol"))
                if not in_month:
                    assert (out.value, dpd.value, kol.value) == (None, None, None)
                    continue
                last = max(in_month, key=lambda p: p["as_of"])  # 31 Oct, not 15 Oct
                assert H.money(out.value) == Decimal(last["outstanding"])
                assert out.number_format == IDR and dpd.value == last["dpd"]
                assert kol.value == last["debtor_kol"]
        october_row = rows[-1]
        assert H.money(october_row["Total outstanding"].value) == Decimal("441000000")
        assert (october_row["Max DPD"].value, october_row["Debtor Kol"].value) == (50, 2)

    def test_two_native_line_charts(self, october):
        ws = october.book["History"]
        assert len(ws._charts) == 2
        outstanding, dpd = ws._charts
        assert outstanding.tagname == "lineChart" == dpd.tagname
        accounts = len(october.data.history_accounts)
        assert len(outstanding.series) == len(dpd.series) == accounts + 1
        top = H.header_row(ws, "Month end")
        assert outstanding.series[0].val.numRef.f == f"History!$B${top + 1}:$B${top + 12}"
        assert dpd.series[0].val.numRef.f == f"History!$C${top + 1}:$C${top + 12}"
        assert outstanding.series[0].cat.numRef.f == f"History!$A${top + 1}:$A${top + 12}"


class TestInteractions:
    def test_rows_equal_the_api_newest_first(self, october, story, officer_api, travel_to):
        travel_to(date(2026, 10, 31))  # promise states as the pages gave them on 31 Oct
        cid = story.customer.id
        _headers, rows = october.table("Interactions")
        days = [r["Date"].value.date() for r in rows]
        assert days == sorted(days, reverse=True) and all(r["Date"].is_date for r in rows)
        kinds = Counter(r["Type"].value for r in rows)
        followups = officer_api(
            "/api/v1/followups", customer=cid, planned_from="2026-10-01", planned_to="2026-10-31"
        )["items"]
        assert kinds["Follow-up"] == len(followups) == 6
        assert kinds["Introduction"] == 2 and kinds["Complaint"] == 3
        promised = {f["planned_date"]: f["promise"] for f in followups if f["promise"] is not None}
        ptp_rows = [r for r in rows if r["PTP amount"].value is not None]
        assert len(ptp_rows) == len(promised) == 2
        for row in ptp_rows:
            api = promised[row["Date"].value.date().isoformat()]
            assert row["PTP amount"].number_format == IDR
            assert H.money(row["PTP amount"].value) == Decimal(api["promised_amount"])
            assert row["PTP date"].value.date().isoformat() == api["promised_date"]
            assert row["PTP state"].value == api["state"]
            assert row["Facility"].value == api["facility_account_no"]
        complaints = officer_api("/api/v1/complaints", customer=cid)["items"]
        listed = sorted(
            (local_day(c["received_at"]), c["status"].replace("_", " ")) for c in complaints
            if in_period(local_day(c["received_at"]), october.period)
        )  # fmt: skip
        shown = sorted(
            (r["Date"].value.date(), r["Outcome / status"].value) for r in rows
            if r["Type"].value == "Complaint"
        )  # fmt: skip
        assert shown == listed


class TestMonitoring:
    def test_visits_of_the_period_equal_the_api(self, october, story, officer_api):
        headers, rows = october.table("Monitoring")
        assert headers[0] == "Visit date" and "Risk rating" in headers
        visits = [
            v for v in officer_api("/api/v1/monitoring-visits", customer=story.customer.id)["items"]
            if in_period(date.fromisoformat(v["visit_date"]), october.period)
        ]  # fmt: skip
        assert len(rows) == len(visits) == 1
        row, api = rows[0], visits[0]
        assert row["Visit date"].value.date().isoformat() == api["visit_date"]
        assert row["Risk rating"].value == api["risk_rating"]
        assert row["Facility"].value == api["facility_account_no"]
        assert row["Collateral value"].number_format == IDR
        assert H.money(row["Collateral value"].value) == Decimal(api["collateral_value"])
        assert row["Next visit"].value.date().isoformat() == api["next_visit_date"]
        assert row["Findings"].value == api["findings"]
        assert row["Met with"].value == api["met_with"] == "Bapak Darsono (pemilik)"


class TestPeriods:
    def test_quarter(self, story, tmp_path, officer_api):
        report = Rendered(story.customer, "2026Q3", tmp_path)
        assert report.path.name == "2026Q3_0000123456_toko-sejahtera-cafe-umit.xlsx"
        facts = report.facts
        assert facts["Period"].value == "Q3 2026" and facts["As of"].value.date() == date(
            2026, 9, 30
        )
        assert facts["Kol movement"].value == "Downgrade"
        assert report.data.judged_on == date(2026, 9, 30)  # the quarter's last day
        listed = officer_api("/api/v1/facilities", as_of="2026-09-30", q=H.CIF)["items"]
        _headers, rows = report.table("Facilities")
        assert {r["Account no"].value: H.money(r["Outstanding"].value) for r in rows} == {
            i["account_no"]: Decimal(i["outstanding"]) for i in listed
        }
        assert all(r["Status"].value == "active" for r in rows)
        _headers, history = report.table("History")
        assert history[-1]["Month end"].value.date() == date(2026, 9, 30)
        _headers, visits = report.table("Monitoring")
        assert [v["Visit date"].value.date() for v in visits] == [date(2026, 8, 15)]

    def test_custom_range(self, story, tmp_path, officer_api):
        report = Rendered(story.customer, "2026-10-01..2026-10-15", tmp_path)
        assert report.path.name.startswith("20261001-20261015_0000123456_")
        assert report.facts["As of"].value.date() == date(2026, 10, 15)
        listed = officer_api("/api/v1/facilities", as_of="2026-10-15", q=H.CIF)["items"]
        _headers, rows = report.table("Facilities", values=True)
        shown = {r["Account no"].value: H.money(r["Outstanding"].value) for r in rows}
        assert shown == {**{i["account_no"]: Decimal(i["outstanding"]) for i in listed}, H.F3: 0}
        _headers, history = report.table("History")
        assert history[-1]["Month end"].value.date() == date(2026, 10, 15)
        assert history[-1][f"{H.F2} DPD"].value == 35


class TestEmpty:
    def test_customer_without_facilities(self, story, tmp_path):
        report = Rendered(story.bare, "2026-10", tmp_path)
        facts = report.facts
        assert facts["Total outstanding"].value == 0 and facts["Total outstanding"].data_type == "n"
        assert facts["Utilisation"].value == 0 and facts["Facilities in the period"].value == 0
        assert facts["Debtor Kol"].value == "No position in this period"
        assert facts["Commentary"].value.startswith("No credit facilities in this period.")
        for sheet, message in (
            ("Facilities", "No facilities in this period."),
            ("History", "No positions in the 12 months up to Oct 31, 2026."),
            ("Interactions", "No introductions, follow-ups or complaints in this period."),
            ("Monitoring", "No monitoring visits in this period."),
        ):
            ws = report.book[sheet]
            top = H.header_row(ws, FIRST_HEADERS[sheet])
            assert ws.cell(top + 1, 1).value == message
            assert ws.max_row == top + 1  # no totals row under an empty table
        assert report.book["History"]._charts == []


def test_filename_and_slug(story):
    data = load_customer_reports([story.customer.id], parse_period("2026-10"), date(2026, 10, 31))
    assert customer_filename(data[story.customer.id]) == (
        "2026-10_0000123456_toko-sejahtera-cafe-umit.xlsx"
    )
    assert slug("  PT. Maju—Jaya (Persero) Tbk.  ") == "pt-maju-jaya-persero-tbk"
    assert slug("Ñandú " * 20) == ("nandu-" * 7)[:40] and len(slug("x" * 90)) == 40
    assert slug("Siti Rahmawati, S.E.") == "siti-rahmawati-s-e" and slug("日本") == ""


def test_rust_writer_renders_the_same_workbook(story, tmp_path):
    """The builder does not know its writer: rustpy-xlsxwriter renders it too (facts as text)."""
    rust = Rendered(story.customer, "2026-10", tmp_path / "rust", writer=RustWriter())
    assert rust.book.sheetnames == list(sheet_names().values())
    facts = rust.facts
    assert facts["Total outstanding"].value == "IDR 441,000,000.00"
    assert facts["Utilisation"].value == "49.00%" and facts["As of"].value == "Oct 31, 2026"
    _headers, rows = rust.table("Facilities")
    assert [r["Account no"].value for r in rows] == [H.F1, H.F2, H.F3]
    assert H.money(rows[0]["Outstanding"].value) == Decimal("387000000")
    assert rows[0]["Outstanding"].number_format == IDR
    _headers, history = rust.table("History")
    assert len(history) == 12 and len(rust.book["History"]._charts) == 2
    _headers, interactions = rust.table("Interactions")
    assert len(interactions) == 11


class TestCommentary:
    """The commentary follows the figures (pure: data built in memory)."""

    def test_kol_sentences(self):
        from aoapp.reports.commentary import commentary
        from aoapp.reports.customer.history import DebtorStatus

        def said(**values):
            return commentary(H.report_data(**values))

        status = DebtorStatus(date(2026, 10, 31), 2, "dpd", "A1", 40)
        assert said(debtor=status, kol_start=3).startswith(
            "Kol improved from 3 to 2 (Special mention). 40 days past due at the latest listing."
        )
        assert said(debtor=status, kol_start=1).startswith("Kol worsened from 1 to 2")
        assert said(debtor=status).startswith("First listed at Kol 2 (Special mention).")
        npl = DebtorStatus(date(2026, 10, 31), 4, "one_obligor", "A1", 0)
        assert "Kol unchanged at 4 (Doubtful). The debtor is non-performing (NPL)." in said(
            debtor=npl, kol_start=4
        )

    def test_activity_sentences(self):
        from aoapp.reports.commentary import commentary
        from aoapp.reports.customer.data import ComplaintLine, PromiseLine

        promise = PromiseLine(1, "A1", Decimal(1), date(2026, 10, 5), date(2026, 10, 1),
                              date(2026, 10, 8), "kept")  # fmt: skip
        text = commentary(
            H.report_data(
                promises=[
                    promise,
                    promise,
                    replace(promise, state="pending"),
                ],
                complaints=[ComplaintLine(1, date(2026, 10, 2), date(2026, 10, 3), "resolved")],
            )
        )
        assert "2 of 3 promises to pay kept, 1 pending." in text
        assert "No follow-ups in this period." in text
        assert "No complaint open (1 resolved in the period)." in text
        assert text.endswith("No monitoring visit on record.")
