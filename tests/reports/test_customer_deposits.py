"""The customer workbook's funding (issue 20): the Summary's DPK by kind and net position, and the
deposits sheet (`Simpanan` / `Deposits`) of the accounts held at the period's end, read back with
openpyxl in both languages; a past period shows its own month-end."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.workbook import customer_workbook
from aoapp.reports.sheets import FORMATS
from aoapp.reports.writers import XlsxWriterWriter
from tests.support import reports_customer as H
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer

BANK = "Bank Contoh"
M = Decimal(1_000_000)
TAB_OCT = Decimal("15250000.50")


def written(customer, period_code: str, lang: str, path):
    """The customer's workbook for the period in `lang`, written and read back."""
    period = parse_period(period_code)
    with force_locale(lang):
        data = load_customer_reports([customer.id], period, period_as_of(period))[customer.id]
        XlsxWriterWriter().write(customer_workbook(data, BANK), path)
    return load_workbook(path), load_workbook(path, data_only=True)


@pytest.fixture
def story(world):
    """The deposits of the report story (tests.support.reports_customer.deposits) beside a KMK
    of 400 M, then 387 M, on the 30 Sep and 31 Oct listings."""
    customer = make_customer(world.officer, name="Toko Sejahtera", cif=H.CIF)
    kmk = make_facility(customer, H.F1)
    for day, outstanding in ((H.SEP30, 400 * M), (H.OCT31, 387 * M)):
        post_listing(day, [(kmk, 0, outstanding)])
    bare = make_customer(world.officer, cif="0000555555")
    story = SimpleNamespace(customer=customer, bare=bare, kmk=kmk)
    H.deposits(story)
    return story


def test_october_in_both_languages(story, tmp_path):
    book, values = written(story.customer, "2026-10", "en", tmp_path / "en.xlsx")
    ws = book["Deposits"]
    assert ws["A1"].value == (
        "Deposit accounts (deposits listing of Oct 31, 2026) — Toko Sejahtera (0000123456)"
    )
    headers, rows = H.table(ws, "Account no")
    assert headers == [
        "Account no", "Product", "Type", "Balance", "Average balance", "Interest rate",
        "Open date", "Maturity date", "Tenor months", "ARO", "Status",
    ]  # fmt: skip
    tab, dep = rows  # tabungan first, then deposito
    assert (tab["Account no"].value, tab["Type"].value) == (H.TAB_NO, "Tabungan")
    assert H.money(tab["Balance"].value) == TAB_OCT and tab["Balance"].data_type == "n"
    assert tab["Balance"].number_format == FORMATS["en"]["money"]
    assert H.money(tab["Average balance"].value) == 14 * M
    assert tab["ARO"].value is None and tab["Status"].value == "active"
    assert (dep["Product"].value, dep["ARO"].value, dep["Tenor months"].value) == (
        "DEP – Deposito", "No", 12
    )  # fmt: skip
    assert dep["Maturity date"].value.date() == date(2027, 10, 1)
    assert dep["Interest rate"].value == 4.25 and dep["Interest rate"].number_format == '0.00"%"'
    total = ws.cell(H.header_row(ws, "Account no") + 3, 4)
    assert total.value.startswith("=SUM(")
    assert H.money(values["Deposits"][total.coordinate].value) == TAB_OCT + 100 * M
    assert ws.print_title_rows and ws.page_setup.paperSize == 9
    facts = H.facts(book["Summary"])
    assert facts["Deposits listing of"].value.date() == date(2026, 10, 31)
    assert facts["Deposit accounts"].value == 2
    assert H.money(facts["DPK Giro"].value) == 0
    assert H.money(facts["DPK Tabungan"].value) == TAB_OCT
    assert H.money(facts["DPK Deposito"].value) == 100 * M
    assert H.money(facts["Total funding (DPK)"].value) == TAB_OCT + 100 * M
    net = facts["Net position (funding less outstanding)"]
    assert H.money(facts["Total outstanding"].value) == 387 * M
    assert H.money(net.value) == TAB_OCT + 100 * M - 387 * M
    assert net.number_format == FORMATS["en"]["money"]

    book, _values = written(story.customer, "2026-10", "id", tmp_path / "id.xlsx")
    ws = book["Simpanan"]
    assert ws["A1"].value.startswith(
        "Rekening simpanan (daftar nominatif simpanan per 31 Okt 2026)"
    )
    headers, rows = H.table(ws, "No. rekening")
    assert {"Saldo", "Saldo rata-rata", "Suku bunga", "Tanggal jatuh tempo", "ARO"} <= set(headers)
    assert [r["Jenis"].value for r in rows] == ["Tabungan", "Deposito"]
    assert rows[1]["ARO"].value == "Tidak" and rows[0]["Status"].value == "aktif"
    assert rows[0]["Saldo"].number_format == FORMATS["id"]["money"]
    facts = H.facts(book["Ringkasan"])
    assert H.money(facts["Total dana (DPK)"].value) == TAB_OCT + 100 * M
    assert "Posisi neto (dana dikurangi baki debet)" in facts


def test_a_past_period_shows_its_own_month_end(story, tmp_path):
    book, _values = written(story.customer, "2026-09", "en", tmp_path / "sep.xlsx")
    _headers, rows = H.table(book["Deposits"], "Account no")
    # 30 Sep: the tabungan's balance then; the deposito was opened in October.
    assert [(r["Account no"].value, H.money(r["Balance"].value)) for r in rows] == [
        (H.TAB_NO, 12_500_000)
    ]
    facts = H.facts(book["Summary"])
    assert H.money(facts["Total funding (DPK)"].value) == 12_500_000
    # Tanpa Kredit's giro is hers, not the customer's; her own workbook lists it.
    book, _values = written(story.bare, "2026-10", "en", tmp_path / "bare.xlsx")
    _headers, rows = H.table(book["Deposits"], "Account no")
    assert [(r["Account no"].value, r["Type"].value) for r in rows] == [(H.GIRO_NO, "Giro")]
    # Before any deposits listing, the sheet says so.
    post_listing(date(2026, 8, 31), [(story.kmk, 0, 410 * M)])
    book, _values = written(story.customer, "2026-08", "en", tmp_path / "aug.xlsx")
    ws = book["Deposits"]
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "No deposits listing has been imported by the end of this period." in texts
