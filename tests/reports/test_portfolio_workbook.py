"""The portfolio workbook, written with RustWriter and read back with openpyxl: layout, types and
formats, figures equal to the API's, Kol migration, delinquent follow-ups and promises, officers,
pipeline, scoping and streaming."""

import time
import types
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.credit.collectibility import load_bands
from aoapp.credit.figures import resolve_scope
from aoapp.credit.signals import SIGNALS
from aoapp.credit.watchlist import scope_watchlist
from aoapp.errors import InvalidInput
from aoapp.extensions import db
from aoapp.kpis.officers import kpi_totals, officer_kpis, scope_officers
from aoapp.kpis.periods import judging_day, parse_period
from aoapp.reports.portfolio.columns import (
    DELINQUENT_COLUMNS,
    FACILITY_COLUMNS,
    OFFICER_COLUMNS,
    OFFICER_KPI_COLUMNS,
    WATCHLIST_COLUMNS,
)
from aoapp.reports.portfolio.data import load_portfolio
from aoapp.reports.portfolio.rows import reason_subjects
from aoapp.reports.portfolio.workbook import portfolio_filename, portfolio_workbook
from aoapp.reports.sheets import NUMBER_FORMATS
from aoapp.targets.achievement import officer_achievements, total_achievement
from tests.support.factories import make_target
from tests.support.reports_portfolio import (
    JKT_MIGRATION,
    OCT31,
    OCTOBER,
    M,
    block,
    block_cells,
    column,
    header_row,
    open_both,
    records,
    table,
    write,
)
from tests.support.reports_portfolio import october_book as build_october

SHEETS = [
    "Summary",
    "Facilities",
    "Watchlist",
    "Delinquent",
    "Officers",
    "Funding",
    "Renewals",
    "Satisfaction",
    "Pipeline",
]
FIRST = {
    "Summary": "Figure",
    "Facilities": "Account no",
    "Watchlist": "Account no",
    "Delinquent": "Account no",
    "Officers": "AO code",
    "Pipeline": "Status",
}
TITLES = {
    "Summary": "Summary",
    "Facilities": "Facilities",
    "Watchlist": "Watchlist",
    "Delinquent": "Delinquent facilities (DPD > 0)",
    "Officers": "Account officers",
    "Funding": "Funding and relationship",
    "Renewals": "Renewals",
    "Satisfaction": "Customer satisfaction",
    "Pipeline": "Prospect pipeline",
}
BANK = "Bank Contoh"
MONEY_FORMAT, RATIO_FORMAT, DATE_FORMAT = (NUMBER_FORMATS[k] for k in ("money", "ratio", "date"))


@pytest.fixture
def october(world, tmp_path):
    return build_october(world, tmp_path)


def workbook_for(tmp_path, actor, officer_id=None, branch_id=None, name="portfolio.xlsx"):
    scope = resolve_scope(actor, officer_id, branch_id)
    path = write(portfolio_workbook(scope, OCTOBER, OCT31, BANK), tmp_path / name)
    return open_both(path)


@pytest.fixture
def branch_book(october, world, tmp_path):
    """The JKT01 workbook as its supervisor asks for it: (formulas, cached values)."""
    return workbook_for(tmp_path, world.supervisor, branch_id=world.jkt.id)


def wait_for(condition, seconds: float = 5.0) -> bool:
    """Poll `condition` until it holds (background threads finish on their own time)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def code(username: str) -> str:
    """An officer's AO code (reports show officers by name and code, never by login)."""
    return db.session.scalar(sa.select(User.officer_code).where(User.username == username))


def shown(username: str) -> str:
    """An officer as the workbook shows them: `name (AO code)`."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    return f"{user.full_name} ({user.officer_code})"


def ratio(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


class TestLayout:
    def test_sheets_in_order(self, branch_book):
        assert branch_book[0].sheetnames == SHEETS

    def test_title_lines_name_bank_scope_period_and_date(self, branch_book):
        for ws in branch_book[0]:
            assert ws["A1"].value == f"{BANK} · Portfolio report · {TITLES[ws.title]}"
            assert ws["A2"].value == "Branch JKT01 · October 2026 · as of Oct 31, 2026"
            assert ws["A1"].font.b and ws["A3"].value  # and a line saying what the table holds

    def test_header_bold_frozen_filtered_and_printed_on_every_page(self, branch_book):
        for ws in branch_book[0]:
            if ws.title in (
                "Summary",
                "Funding",
                "Renewals",
                "Satisfaction",
            ):  # small tables stacked: no filter, no freeze
                assert ws.freeze_panes is None and ws.auto_filter.ref is None
                assert ws.print_title_rows == "$1:$3"  # the title lines
                continue
            top = header_row(ws, FIRST[ws.title])
            assert ws.freeze_panes == f"A{top + 1}", ws.title
            assert ws.auto_filter.ref.startswith(f"A{top}:"), ws.title
            assert ws.cell(top, 1).font.b, ws.title
            assert ws.print_title_rows == f"$1:${top}", ws.title
            assert ws.page_setup.orientation == "landscape"

    def test_headers(self, branch_book):
        wb = branch_book[0]
        for name, columns in (
            ("Facilities", FACILITY_COLUMNS),
            ("Watchlist", WATCHLIST_COLUMNS),
            ("Delinquent", DELINQUENT_COLUMNS),
            ("Officers", OFFICER_COLUMNS),
        ):
            assert table(wb[name], FIRST[name])[0] == [c.header for c in columns]
        # The Summary's tables one under another, each under its heading.
        ws = wb["Summary"]
        for heading, first in (
            ("Headline figures", "Figure"),
            ("Kol distribution", "Kol"),
            ("Aging", "Aging bucket"),
            ("Kol migration: facilities", "From Kol"),
            ("Kol migration: outstanding", "From Kol"),
        ):
            top = header_row(ws, heading)
            assert ws.cell(top, 1).font.b and ws.cell(top + 1, 1).value == first, heading
        assert list(block(ws, "Headline figures")[0]) == [
            "Figure",
            "Number",
            "Outstanding",
            "Ratio",
        ]
        assert max(len(c) for c in ws.iter_rows()) <= 8  # no longer 27 columns side by side

    def test_charts(self, branch_book):
        wb = branch_book[0]
        assert len(wb["Summary"]._charts) == 2
        assert len(wb["Pipeline"]._charts) == 1

    def test_numbers_dates_and_ratios_are_typed_and_formatted(self, branch_book):
        wb = branch_book[0]
        ws = wb["Facilities"]
        for header, fmt in (("Plafond", MONEY_FORMAT), ("Outstanding", MONEY_FORMAT)):
            for cell in column(ws, "Account no", header):
                assert (cell.data_type, cell.number_format) == ("n", fmt)
        for cell in column(ws, "Account no", "Maturity date"):
            assert cell.is_date and cell.number_format == DATE_FORMAT
        assert all(c.data_type == "s" for c in column(ws, "Account no", "Account no"))
        assert {c.value for c in column(ws, "Account no", "Interest rate")} == {11.5}
        assert column(ws, "Account no", "Interest rate")[0].number_format == NUMBER_FORMATS["rate"]
        shares = block_cells(wb["Summary"], "Kol distribution", "Share")
        assert shares[0].number_format == RATIO_FORMAT and shares[0].data_type == "n"
        money_cells = block_cells(wb["Summary"], "Kol migration: outstanding", "to Kol 1")
        assert {c.number_format for c in money_cells} == {MONEY_FORMAT}
        counts = block_cells(wb["Summary"], "Kol migration: facilities", "to Kol 1")
        assert {c.number_format for c in counts} == {NUMBER_FORMATS["int"]}
        rates = column(wb["Officers"], "AO code", "NPL ratio")
        assert all(c.number_format == RATIO_FORMAT for c in rates)

    def test_totals_rows_are_sum_formulas(self, branch_book):
        ws = branch_book[0]["Facilities"]
        top = header_row(ws, "Account no")
        total = top + 1 + len(table(ws, "Account no")[1])
        assert ws.cell(total, 1).value == "Total"
        assert ws.cell(total, 8).value == f"=SUM(H{top + 1}:H{total - 1})"


class TestSummary:
    def test_figures_equal_the_api(self, october, world, api, branch_book):
        body = (
            api(world.supervisor)
            .get(f"/api/v1/portfolio/summary?as_of=2026-10-31&branch={world.jkt.id}")
            .json
        )
        ws = branch_book[1]["Summary"]
        headline = {r["Figure"]: r for r in block(ws, "Headline figures")}
        total = headline["Total portfolio"]
        assert money(total["Outstanding"]) == Decimal(body["total_outstanding"]) == 1405 * M
        assert total["Number"] == body["facility_count"] and total["Ratio"] == 1
        assert money(headline["NPL (Kol 3–5)"]["Outstanding"]) == Decimal(body["npl_outstanding"])
        assert ratio(headline["NPL (Kol 3–5)"]["Ratio"]) == Decimal(body["npl_ratio"])
        assert ratio(headline["Loan at Risk"]["Ratio"]) == Decimal(body["lar_ratio"])
        for par in body["par"]:
            row = headline[f"PAR {par['days']}"]
            assert money(row["Outstanding"]) == Decimal(par["outstanding"])
            assert ratio(row["Ratio"]) == Decimal(par["ratio"])
        assert headline["Debtors"]["Number"] == body["debtor_count"]
        kols = block(ws, "Kol distribution")
        for row, kol in zip(kols, body["kol_distribution"], strict=True):
            assert (row["Kol"], row["Kol name"], row["Facilities"]) == (
                kol["kol"],
                kol["name"],
                kol["count"],
            )
            assert money(row["Outstanding"]) == Decimal(kol["outstanding"])
            assert ratio(row["Share"]) == Decimal(kol["share"])
        aging = block(ws, "Aging")
        assert [r["Aging bucket"] for r in aging] == [b["label"] for b in body["aging"]]
        for row, bucket in zip(aging, body["aging"], strict=True):
            assert row["Facilities"] == bucket["count"]
            assert money(row["Outstanding"]) == Decimal(bucket["outstanding"])

    def test_bank_figures_equal_the_api_for_the_admin(self, october, world, api, tmp_path):
        body = api(world.admin).get("/api/v1/portfolio/summary?as_of=2026-10-31").json
        ws = workbook_for(tmp_path, world.admin)[1]["Summary"]
        rows = block(ws, "Headline figures")
        assert money(rows[0]["Outstanding"]) == Decimal(body["total_outstanding"]) == 2405 * M
        assert [r["Facilities"] for r in block(ws, "Kol distribution")] == [
            k["count"] for k in body["kol_distribution"]
        ]

    def test_kol_migration_since_the_previous_month_end(self, branch_book):
        ws = branch_book[1]["Summary"]
        assert "since the previous month-end listing, Sep 30, 2026" in ws["A3"].value
        rows = {r["From Kol"]: r for r in block(ws, "Kol migration: facilities")}
        amounts = {r["From Kol"]: r for r in block(ws, "Kol migration: outstanding")}
        assert (
            list(rows)
            == list(amounts)
            == ["Kol 1", "Kol 2", "Kol 3", "Kol 4", "Kol 5", "New", "Total"]
        )
        for label, from_kol in [(f"Kol {k}", k) for k in range(1, 6)] + [("New", None)]:
            for to_kol in range(1, 6):
                count, millions = JKT_MIGRATION.get((from_kol, to_kol), (0, 0))
                assert rows[label][f"to Kol {to_kol}"] == count, (label, to_kol)
                assert money(amounts[label][f"to Kol {to_kol}"]) == millions * M
        assert rows["Kol 1"]["Total"] == 5
        assert money(amounts["Kol 1"]["Total"]) == 900 * M
        total = rows["Total"]
        assert [total[f"to Kol {k}"] for k in range(1, 6)] == [4, 1, 1, 2, 1]
        assert money(amounts["Total"]["Total"]) == 1405 * M

    def test_without_a_listing_the_month_before_everything_is_new(self, world, tmp_path):
        from tests.support.reports_portfolio import import_listings

        import_listings(world, tmp_path)  # September's listing is deleted below
        db.session.execute(sa.text("DELETE FROM positions WHERE as_of = '2026-09-30'"))
        # Deleted by hand, so its listing date too (the writers of positions keep both).
        db.session.execute(sa.text("DELETE FROM listing_dates WHERE as_of = '2026-09-30'"))
        db.session.commit()
        ws = workbook_for(tmp_path, world.admin)[1]["Summary"]
        assert "every facility counts as new" in ws["A3"].value
        rows = {r["From Kol"]: r for r in block(ws, "Kol migration: facilities")}
        assert rows["New"]["Total"] == rows["Total"]["Total"] == 10


class TestFacilities:
    def test_a_branch_lists_its_own_facilities_on_the_date(self, branch_book):
        rows = records(branch_book[1]["Facilities"], "Account no")
        assert sorted(r["Account no"] for r in rows) == [
            "A-F1", "A-F2", "A-F3", "A-F4", "A-F5", "A-F7", "A-F8a", "A-F8b", "S-1",
        ]  # fmt: skip
        assert {r["Branch"] for r in rows} == {"JKT01"}

    def test_an_officer_lists_only_their_facilities(self, october, world, tmp_path):
        wb = workbook_for(tmp_path, world.officer)[1]
        rows = records(wb["Facilities"], "Account no")
        assert "S-1" not in [r["Account no"] for r in rows] and len(rows) == 8
        # Officers by name and AO code, never by login.
        budi = world.officer
        assert {r["Officer"] for r in rows} == {f"{budi.full_name} ({budi.officer_code})"}
        assert [r["AO code"] for r in records(wb["Officers"], "AO code")] == [budi.officer_code]

    def test_one_row_in_full(self, branch_book):
        rows = {r["Account no"]: r for r in records(branch_book[1]["Facilities"], "Account no")}
        assert rows["A-F8a"] == {
            "Account no": "A-F8a",
            "CIF": "CIF-F8",
            "Customer": "CV Delapan",
            "Branch": "JKT01",
            "Officer": shown("ao.budi"),
            "Product": "KMK",
            "Plafond": 500_000_000,
            "Outstanding": 40_000_000,
            "Interest rate": 11.5,
            "Start date": datetime(2024, 1, 15),
            "Maturity date": datetime(2029, 1, 15),
            "DPD": 0,
            "Facility Kol": 1,
            "Debtor Kol": 4,
            "Kol rule": "One obligor",
            "Restructured": "No",
        }

    def test_rows_are_streamed_from_a_cursor(self, october, world):
        executed = []

        def seen(_conn, cursor, statement, _params, context, _many):
            if "facilities.account_no" in statement and "ORDER BY positions.id" in statement:
                executed.append((context.execution_options, type(cursor).__name__))

        scope = resolve_scope(world.admin)
        data = load_portfolio(scope, OCTOBER, OCT31, prefetch=False)
        assert isinstance(data.facilities, types.GeneratorType)
        sa.event.listen(db.engine, "before_cursor_execute", seen)
        try:
            assert not executed  # nothing runs until the writer pulls
            first = next(data.facilities)
            assert first[0] in october.facilities
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", seen)
            data.close()
        ((options, cursor_type),) = executed
        assert options.get("yield_per") == 5000 and options.get("stream_results")
        if db.engine.dialect.name == "postgresql":
            assert cursor_type == "ServerCursor"  # psycopg's named cursor: rows fetched in batches

    def test_the_figures_gathered_in_the_background_are_those_gathered_now(self, october, world):
        scope = resolve_scope(world.admin)
        now = load_portfolio(scope, OCTOBER, OCT31, prefetch=False)
        background = load_portfolio(scope, OCTOBER, OCT31)
        try:
            assert background.summary_of() == now.summary_of()
            assert background.officers and background.figures.facility_count > 0
        finally:
            now.close()
            background.close()

    def test_prefetched_rows_are_the_same_and_free_their_connections(self, october, world):
        scope = resolve_scope(world.admin)
        db.session.connection()
        baseline = db.engine.pool.checkedout()
        lazy = load_portfolio(scope, OCTOBER, OCT31, prefetch=False)
        ahead = load_portfolio(scope, OCTOBER, OCT31)
        assert list(ahead.facilities) == list(lazy.facilities)
        assert list(ahead.delinquent) == list(lazy.delinquent)
        assert list(ahead.watchlist) == list(lazy.watchlist)
        unread = load_portfolio(scope, OCTOBER, OCT31)  # never read: closed, then dropped
        unread.close()
        del unread
        dropped = load_portfolio(scope, OCTOBER, OCT31)
        next(dropped.watchlist)
        del dropped
        assert wait_for(lambda: db.engine.pool.checkedout() == baseline)


class TestWatchlist:
    def test_equals_the_api(self, october, world, api, branch_book):
        url = f"/api/v1/watchlist?as_of=2026-10-31&branch={world.jkt.id}&per_page=200"
        items = api(world.supervisor).get(url).json["items"]
        rows = records(branch_book[1]["Watchlist"], "Account no")
        # One row per account, in the API's order (severity, then outstanding). The page for
        # the 31 Oct listing judges follow-ups up to the next listing (14 Nov), October's
        # report as of 31 Oct: the report's signals are the watchlist's judged on that day.
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        judged = scope_watchlist(scope, OCT31, until=OCTOBER.end).items
        assert [row["Signals"] for row in rows] == [
            ", ".join(s.label for s in entry.signals) for entry in judged
        ]
        assert [row["Reasons"] for row in rows] == [entry.reason for entry in judged]
        assert [row["Latest signal"].date() for row in rows] == [entry.date for entry in judged]
        # The broken promise P2 (deadline 31 Oct) is the page's on 1 Nov, not October's.
        assert "Broken promise" in {s["label"] for item in items for s in item["signals"]}
        assert not any("Broken promise" in row["Signals"] for row in rows)
        assert len(rows) == len(items) > 3
        assert any(len(item["signals"]) > 1 for item in items)
        for row, item in zip(rows, items, strict=True):
            assert row["Account no"] == item["account_no"]
            assert row["Customer"] == item["customer_name"]
            assert row["Officer"] == shown(item["officer_username"])
            assert (row["DPD"], row["Debtor Kol"]) == (item["dpd"], item["debtor_kol"])
            assert money(row["Outstanding"]) == Decimal(item["outstanding"])

    def test_every_reason_reads_only_the_selected_columns(self):
        values = ("signal", None, None, "CIF", "Name", "ao", 7, date(2026, 10, 31), 40, 10, 2, 1)
        values += (Decimal("1500000.00"), "ACC", date(2026, 9, 1), date(2026, 11, 30))
        position, facility = reason_subjects(values)
        detail = types.SimpleNamespace(
            risk_rating="weak", promised_amount=Decimal("100"), promised_date=date(2026, 10, 9)
        )
        bands = load_bands()
        for code, signal in SIGNALS.items():
            assert signal.reason(position, facility, detail, bands), code


class TestDelinquent:
    def test_next_followup_and_latest_promise(self, branch_book):
        rows = records(branch_book[1]["Delinquent"], "Account no")
        got = [
            (
                r["Account no"],
                r["DPD"],
                r["Next follow-up"],
                r["Follow-up channel"],
                r["PTP made on"],
                r["PTP amount"],
                r["PTP state"],
            )
            for r in rows
        ]
        assert got == [
            ("S-1", 200, None, None, None, None, None),
            # The 5 Nov call is about the debtor's other facility; the 8 Nov WhatsApp is general.
            # The promise made on 10 Nov is not October's; P2's deadline is 31 Oct: pending then.
            ("A-F8b", 130, datetime(2026, 11, 8), "WhatsApp", None, None, None),
            ("A-F3", 95, datetime(2026, 10, 28), "Visit", datetime(2026, 10, 20), M, "Pending"),
            ("A-F2", 15, datetime(2026, 11, 3), "Call", datetime(2026, 10, 16), M / 2, "Kept"),
        ]  # fmt: skip
        assert rows[1]["Follow-up purpose"] == "Relationship"
        assert money(rows[3]["Arrears"]) == Decimal("500000.00")


class TestOfficers:
    def test_rows_are_the_kpis(self, october, world, branch_book):
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        expected = officer_kpis(
            scope_officers(scope, OCT31),
            OCTOBER.start,
            OCTOBER.end,
            OCT31,
            condition=scope.condition,
            judged_on=judging_day(OCTOBER),
        )
        rows = records(branch_book[1]["Officers"], "AO code")
        assert [r["AO code"] for r in rows] == [code(u) for u in ("ao.baru", "ao.budi", "ao.sari")]
        for row, kpi in zip(rows, expected, strict=True):
            for col in OFFICER_KPI_COLUMNS[3:]:
                value = getattr(kpi, col.key)
                if value is None:
                    assert row[col.header] is None
                elif col.kind == "ratio":
                    assert ratio(row[col.header]) == value, col.key
                elif col.kind == "money":
                    assert money(row[col.header]) == value, col.key
                else:
                    assert row[col.header] == value, col.key
        budi = rows[1]
        assert (budi["PTP kept"], budi["PTP broken"], budi["Conversion rate"]) == (1, 1, 0.25)

    def test_totals_row_holds_the_sums_and_the_ratios_of_the_sums(self, branch_book):
        ws = branch_book[0]["Officers"]
        headers, rows = table(ws, "AO code")
        top = header_row(ws, "AO code")
        total = dict(zip(headers, [c.value for c in ws[top + 4]], strict=False))
        assert (total["AO code"], total["Name"], total["Branch"]) == ("Total", None, None)
        for col in OFFICER_KPI_COLUMNS[3:]:
            if col.kind in ("int", "money"):
                index = headers.index(col.header)
                assert total[col.header] == sum(row[index] for row in rows), col.key
        assert total["Outstanding"] == 1405 * M  # 905 ao.budi + 500 ao.sari
        # NPL: A-F3 300, A-F8a/b 100 (one obligor, Kol 4), S-1 500 → 900 / 1,405
        assert ratio(total["NPL ratio"]) == Decimal("0.6406")
        assert total["Target achievement"] is None  # no targets in this book


class TestOfficersTargetAchievement:
    """October targets of ao.budi (introductions 4, follow-ups done 6, NPL at most 5 %) and
    ao.sari (follow-ups done 2); ao.baru has none. October (reports_portfolio): ao.budi made 2
    introductions and did 6 follow-ups, his NPL ratio is 400 / 905 = 0.4420; ao.sari did none."""

    @pytest.fixture
    def book(self, october, world, tmp_path):
        first = date(2026, 10, 1)
        make_target(
            world.officer, first, introductions=4, followups_done=6, max_npl_ratio=Decimal("0.0500")
        )
        make_target(world.colleague, first, followups_done=2)
        return workbook_for(tmp_path, world.supervisor, branch_id=world.jkt.id)[1]

    def test_by_hand(self, book):
        ws = book["Officers"]
        rows = {r["AO code"]: r for r in records(ws, "AO code")}
        budi, sari, baru = (rows[code(u)] for u in ("ao.budi", "ao.sari", "ao.baru"))
        assert ratio(budi["Introductions achievement"]) == Decimal("0.5000")  # 2 of 4
        assert ratio(budi["Follow-ups done achievement"]) == Decimal("1.0000")
        assert ratio(budi["Maximum NPL ratio achievement"]) == Decimal("0.1131")  # 0.05 / 0.442
        assert budi["New customers achievement"] is None  # no target for it
        # (0.5 + 1 + 0.1131) / 3
        assert ratio(budi["Target achievement"]) == Decimal("0.5377")
        assert ratio(sari["Target achievement"]) == Decimal("0.0000")  # 0 of 2 follow-ups
        assert all(baru[c.header] is None for c in OFFICER_COLUMNS[len(OFFICER_KPI_COLUMNS) :])
        headers, data = table(ws, "AO code")
        top = header_row(ws, "AO code")
        total = dict(zip(headers, [c.value for c in ws[top + 1 + len(data)]], strict=False))
        assert total["AO code"] == "Total"
        assert ratio(total["Follow-ups done achievement"]) == Decimal("0.7500")  # 6 of 2 + 6
        assert ratio(total["Introductions achievement"]) == Decimal("0.5000")
        assert total["Maximum NPL ratio achievement"] is None  # a ceiling does not add up
        assert ratio(total["Target achievement"]) == Decimal("0.6250")  # (0.75 + 0.5) / 2

    def test_cells_equal_the_service(self, book, world):
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        rows = officer_kpis(
            scope_officers(scope, OCT31),
            OCTOBER.start,
            OCTOBER.end,
            OCT31,
            condition=scope.condition,
            judged_on=judging_day(OCTOBER),
        )
        expected = officer_achievements(rows, OCTOBER, OCT31, condition=scope.condition)
        total = total_achievement(list(expected.values()), kpi_totals(rows))
        ws = book["Officers"]
        headers, data = table(ws, "AO code")
        top = header_row(ws, "AO code")
        cells = [dict(zip(headers, row, strict=True)) for row in data]
        cells.append(dict(zip(headers, [c.value for c in ws[top + 1 + len(data)]], strict=False)))
        wanted = [expected[row.officer_id] for row in rows] + [total]
        compared = 0
        for sheet_row, achieved in zip(cells, wanted, strict=True):
            pairs = [("Target achievement", achieved.overall)]
            pairs += [(f"{m.label} achievement", m.achievement) for m in achieved.metrics]
            for header, value in pairs:
                cell = sheet_row[header]
                assert (None if cell is None else ratio(cell)) == value, header
                compared += value is not None
        assert compared == 4 + 2 + 3  # each with its overall: ao.budi 3, ao.sari 1, Total 2

    def test_a_quarter_has_no_achievement(self, october, world, tmp_path):
        make_target(world.officer, date(2026, 10, 1), introductions=4)
        scope = resolve_scope(world.supervisor, branch_id=world.jkt.id)
        quarter = portfolio_workbook(scope, parse_period("2026Q4"), OCT31, BANK)
        ws = open_both(write(quarter, tmp_path / "q.xlsx"))[1]["Officers"]
        assert {r["Target achievement"] for r in records(ws, "AO code")} == {None}


class TestPipeline:
    def test_status_on_the_period_end_by_source(self, branch_book):
        rows = {r["Status"]: r for r in records(branch_book[1]["Pipeline"], "Status")}
        assert list(rows) == [
            "New",
            "Contacted",
            "Interested",
            "Applied",
            "Won",
            "Rejected",
            "Lost",
        ]
        assert (rows["New"]["Flyer"], rows["New"]["Event"], rows["New"]["Walk in"]) == (1, 1, 1)
        assert rows["New"]["Total"] == 3
        assert (rows["Contacted"]["Flyer"], rows["Won"]["Referral"], rows["Won"]["Total"]) == (
            1,
            2,
            2,
        )
        assert sum(r["Total"] for r in rows.values()) == 6


def test_a_period_without_positions_is_a_clear_error(october, world):
    scope = resolve_scope(world.admin)
    with pytest.raises(InvalidInput, match="no positions in December 2026"):
        portfolio_workbook(scope, parse_period("2026-12"), None, BANK)


def test_an_empty_portfolio_still_makes_a_workbook(october, world, tmp_path):
    baru = db.session.scalar(sa.text("SELECT id FROM users WHERE username = 'ao.baru'"))
    wb = workbook_for(tmp_path, world.admin, officer_id=baru)[1]
    assert wb["Facilities"].cell(header_row(wb["Facilities"], "Account no") + 1, 1).value == (
        "No facilities in this portfolio on the as-of date."
    )
    assert records(wb["Summary"], "Figure")[0]["Outstanding"] == 0


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("branch-jkt01", "portfolio_2026-10_branch-jkt01.xlsx"),
        ("Branch JKT01", "portfolio_2026-10_branch-jkt01.xlsx"),
        ("officer:ao.budi", "portfolio_2026-10_officer-ao-budi.xlsx"),
        ("", "portfolio_2026-10_bank.xlsx"),
    ],
)
def test_filename(slug, expected):
    assert portfolio_filename(slug, OCTOBER) == expected
