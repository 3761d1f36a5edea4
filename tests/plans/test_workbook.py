"""The customer workbook's account plan sheet, written and read back with openpyxl: the plan's
facts, one row per goal with amounts as numbers in the money format, in English and Indonesian."""

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.kpis.periods import parse_period
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.workbook import customer_workbook
from aoapp.reports.sheets import NUMBER_FORMATS
from aoapp.reports.writers import XlsxWriterWriter
from tests.plans.conftest import TODAY
from tests.support import reports_customer as H

pytestmark = pytest.mark.today(TODAY.isoformat())
APR30 = date(2026, 4, 30)


def _write(bank, tmp_path, lang="en", period="2026-05"):
    """The customer workbook of `period` (May: running, judged today), as of the April listing."""
    with force_locale(lang):
        data = load_customer_reports([bank.customer.id], parse_period(period), APR30)
        workbook = customer_workbook(data[bank.customer.id], "Bank Demo")
        path = tmp_path / f"{lang}.xlsx"
        XlsxWriterWriter().write(workbook, path)
    return load_workbook(path)


def test_the_plan_sheet_reads_back_typed(bank, tmp_path):
    bank.loan(APR30, 1500, dpd=5)
    bank.save(
        [
            {
                "kind": "outstanding_at_least",
                "amount": Decimal("2000000000"),
                "due_date": date(2026, 6, 30),
            },
            {"kind": "max_dpd", "dpd": 30},
            {"kind": "holds_product", "category": "giro", "due_date": date(2026, 6, 30)},
            {"kind": "action", "text": "Presentasi payroll", "due_date": date(2026, 5, 29)},
        ],
        risks="Persaingan bank lain",
    )
    book = _write(bank, tmp_path)
    sheet = book["Account plan"]
    facts = H.facts(sheet)
    assert facts["Plan year"].value == 2026
    assert facts["Risks"].value == "Persaingan bank lain"
    assert facts["Next review"].value.date() == date(2026, 8, 4)
    assert "Goals judged as of May 4, 2026." in facts  # while May runs: today
    headers, rows = H.table(sheet, "Goal")
    assert headers[:3] == ["Goal", "Target amount", "Current amount"]
    money = rows[0]
    assert H.money(money["Target amount"].value) == Decimal("2000000000")
    assert H.money(money["Current amount"].value) == Decimal("1500000000")
    assert money["Target amount"].number_format == NUMBER_FORMATS["money"]
    assert [r["State"].value for r in rows] == ["On track", "At risk", "On track", "On track"]
    assert rows[1]["Current value"].value == "5"
    assert rows[3]["Target"].value == "Presentasi payroll"
    assert rows[0]["Due date"].value.date() == date(2026, 6, 30)


def test_the_sheet_is_named_in_indonesian_and_says_when_there_is_no_plan(bank, tmp_path):
    bank.loan(APR30, 1500)
    book = _write(bank, tmp_path, "id")
    sheet = book["Rencana Akun"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "Nasabah ini belum memiliki rencana akun." in texts


def test_a_closed_periods_sheet_judges_the_goals_at_its_end(bank, tmp_path, travel_to):
    """April's workbook says what was true on 30 April, whenever it is made: the listing then,
    an action not yet done then; the plan changed since says so."""
    march = date(2026, 3, 2)
    travel_to(march)
    goals = [
        {
            "kind": "outstanding_at_least",
            "amount": Decimal("2000000000"),
            "due_date": date(2026, 6, 30),
        },
        {"kind": "action", "text": "Presentasi payroll", "due_date": date(2026, 6, 30)},
    ]
    plan = bank.save(goals, today=march)
    bank.loan(APR30, 1500)
    bank.loan(date(2026, 5, 29), 2500)  # after April: the goal is met in May
    june = date(2026, 6, 5)
    travel_to(june)
    goals[1]["done"] = True  # the action is done in June
    bank.save(goals, today=june, version=plan.version)

    def sheet_of(period):
        sheet = _write(bank, tmp_path, period=period)["Account plan"]
        _headers, rows = H.table(sheet, "Goal")
        return H.facts(sheet), rows

    facts, rows = sheet_of("2026-04")
    assert "Goals judged as of Apr 30, 2026." in facts
    assert any("changed on Jun 5, 2026, after the period" in str(label) for label in facts), list(
        facts
    )
    assert H.money(rows[0]["Current amount"].value) == Decimal("1500000000")
    assert [r["State"].value for r in rows] == ["On track", "On track"]
    assert rows[1]["Current value"].value == "not done yet"
    _facts, rows = sheet_of("2026-05")
    assert rows[0]["State"].value == "Met"  # the 29 May listing
    assert rows[1]["Current value"].value == "not done yet"  # done on 5 June
    _facts, rows = sheet_of("2026-06")
    assert rows[1]["Current value"].value == "done"


def test_a_plan_written_after_the_period_is_not_in_its_workbook(bank, tmp_path):
    bank.loan(APR30, 1500)
    bank.save([{"kind": "max_dpd", "dpd": 30}])  # on 4 May
    sheet = _write(bank, tmp_path, period="2026-04")["Account plan"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "No account plan for this customer." in texts
