"""Reports in both languages: Indonesian workbooks (customer and portfolio) read back with openpyxl
(sheet names, titles, headers, labels, commentary, enumerations and number formats Indonesian),
the English ones unchanged; `flask reports generate --lang id`; the Generate form's
language; the Reports page in Indonesian."""

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.credit.figures import resolve_scope
from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.workbook import customer_workbook, sheet_names
from aoapp.reports.portfolio.workbook import portfolio_workbook
from aoapp.reports.sheets import FORMATS
from aoapp.reports.writers import RustWriter, XlsxWriterWriter
from tests.reports.conftest import PERIOD, book, exports, report_rows  # noqa: F401
from tests.support import reports_customer as H
from tests.support import reports_portfolio as P
from tests.support.i18n import english_leftovers, speak_indonesian

BANK = "Bank Contoh"
EN_SHEETS = [
    "Summary",
    "Facilities",
    "Deposits",
    "History",
    "Interactions",
    "Monitoring",
    "Account plan",
    "Monitoring report",
]
PORTFOLIO_SHEETS = [
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
# Sheet names are in the workbook's language (the English ones are the stable keys).
CUSTOMER_SHEETS_ID = [
    "Ringkasan",
    "Fasilitas",
    "Simpanan",
    "Riwayat",
    "Interaksi",
    "Pemantauan",
    "Rencana Akun",
    "Laporan Pemantauan",
]
PORTFOLIO_SHEETS_ID = [
    "Ringkasan",
    "Fasilitas",
    "Daftar pantauan",
    "Menunggak",
    "Pejabat (AO)",
    "Dana",
    "Pembaruan",
    "Kepuasan",
    "Pipeline",
]
ID_MONEY, ID_DATE = '[$-421]"Rp" #,##0.00', "[$-421]dd mmm yyyy"


def customer_book(story, lang, tmp_path, writer=None):
    period = parse_period("2026-10")
    with force_locale(lang):
        data = load_customer_reports([story.customer.id], period, period_as_of(period))
        workbook = customer_workbook(data[story.customer.id], BANK)
        path = tmp_path / f"customer-{lang}.xlsx"
        (writer or XlsxWriterWriter()).write(workbook, path)
    return load_workbook(path)


def portfolio_book(world, lang, tmp_path):
    with force_locale(lang):
        scope = resolve_scope(world.supervisor, None, world.jkt.id)
        workbook = portfolio_workbook(scope, P.OCTOBER, P.OCT31, BANK)
        path = P.write(workbook, tmp_path / f"portfolio-{lang}.xlsx")
    return load_workbook(path)


def texts(ws) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


@pytest.fixture
def story(world, tmp_path):
    return H.build_story(world, tmp_path)


class TestCustomerWorkbook:
    def test_indonesian(self, story, tmp_path):
        wb = customer_book(story, "id", tmp_path)
        assert wb.sheetnames == CUSTOMER_SHEETS_ID  # in the workbook's language
        summary = wb["Ringkasan"]
        assert summary["A1"].value.startswith("Laporan nasabah — ")
        assert "Oktober 2026 (2026-10)" in summary["A2"].value
        assert "posisi 31 Okt 2026" in summary["A2"].value
        facts = H.facts(summary)
        assert facts["Total baki debet"].number_format == ID_MONEY  # Indonesian month names
        assert facts["Posisi per"].number_format == ID_DATE
        assert facts["Pemakaian"].number_format == "0.00%"
        assert facts["Kol debitur"].value == "2 – Dalam Perhatian Khusus"
        assert facts["Pergerakan Kol"].value == "Tetap"
        commentary = facts["Komentar"].value
        assert "Kol tetap pada 2 (Dalam Perhatian Khusus)." in commentary, commentary
        assert "Baki debet Rp " in commentary and "hari tunggakan" in commentary
        assert "Kunjungan pemantauan terakhir dinilai" in commentary
        assert "Outstanding" not in commentary and "promise" not in commentary
        headers, rows = H.table(wb["Fasilitas"], "No. rekening")
        assert {"Baki debet", "Plafon", "Kolektibilitas (Kol)", "Direstrukturisasi"} <= set(headers)
        assert {"Tunggakan pokok", "Tunggakan bunga"} <= set(headers)
        assert rows[0]["Baki debet"].number_format == ID_MONEY
        assert rows[0]["Tanggal mulai"].number_format == ID_DATE
        assert {r["Direstrukturisasi"].value for r in rows} <= {"Ya", "Tidak"}
        assert any(str(r["Status"].value).startswith("ditutup ") for r in rows)
        history_headers, _rows = H.table(wb["Riwayat"], "Akhir bulan")
        assert "Total baki debet" in history_headers
        _headers, interactions = H.table(wb["Interaksi"], "Tanggal")
        assert {"Keluhan", "Tindak lanjut"} <= {r["Jenis"].value for r in interactions}
        assert "Page" not in wb["Fasilitas"].oddFooter.right.text
        assert "Halaman &P dari &N" in wb["Fasilitas"].oddFooter.right.text

    def test_english_unchanged(self, story, tmp_path):
        wb = customer_book(story, "en", tmp_path)
        assert wb.sheetnames == EN_SHEETS == list(sheet_names().values())
        facts = H.facts(wb["Summary"])
        assert facts["Total outstanding"].number_format == FORMATS["en"]["money"]
        assert FORMATS["en"]["money"] == '"IDR" #,##0.00'
        assert facts["As of"].number_format == "mmm d, yyyy"
        assert facts["Debtor Kol"].value == "2 – Special mention"
        assert "Kol unchanged at 2 (Special mention)." in facts["Commentary"].value
        headers, _rows = H.table(wb["Facilities"], "Account no")
        assert "Outstanding" in headers and "Collectibility (Kol)" in headers

    def test_indonesian_with_the_rust_writer(self, story, tmp_path):
        """Both writers get the language's number formats (facts as text for RustWriter)."""
        from aoapp.reports.customer.summary import with_text_facts

        period = parse_period("2026-10")
        with force_locale("id"):
            data = load_customer_reports([story.customer.id], period, period_as_of(period))
            workbook = with_text_facts(customer_workbook(data[story.customer.id], BANK))
            RustWriter().write(workbook, tmp_path / "rust.xlsx")
        wb = load_workbook(tmp_path / "rust.xlsx")
        assert wb.sheetnames == CUSTOMER_SHEETS_ID
        facts = H.facts(wb["Ringkasan"], 3)
        assert facts["Total baki debet"].value == "Rp 441.000.000,00"
        assert facts["Posisi per"].value == "31 Okt 2026"
        _headers, rows = H.table(wb["Fasilitas"], "No. rekening")
        assert rows[0]["Baki debet"].number_format == ID_MONEY


class TestPortfolioWorkbook:
    @pytest.fixture
    def october(self, world, tmp_path):
        return P.october_book(world, tmp_path)

    def test_indonesian(self, october, world, tmp_path):
        wb = portfolio_book(world, "id", tmp_path)
        assert wb.sheetnames == PORTFOLIO_SHEETS_ID
        ws = wb["Ringkasan"]
        assert ws["A1"].value == f"{BANK} · Laporan portofolio · Ringkasan"
        assert "Oktober 2026 · posisi 31 Okt 2026" in ws["A2"].value
        assert "sejak daftar nominatif akhir bulan sebelumnya, 30 Sep 2026" in ws["A3"].value
        summary = P.block(ws, "Angka utama")
        assert summary[0]["Angka"] == "Total portofolio"
        assert "Lancar" in [r["Nama Kol"] for r in P.block(ws, "Sebaran Kol")]
        assert {"Migrasi Kol: jumlah fasilitas", "Migrasi Kol: baki debet"} <= set(texts(ws))
        assert P.block_cells(ws, "Angka utama", "Baki debet")[0].number_format == ID_MONEY
        facilities = wb["Fasilitas"]
        assert P.column(facilities, "No. rekening", "Tanggal mulai")[0].number_format == ID_DATE
        assert {c.value for c in P.column(facilities, "No. rekening", "Direstrukturisasi")} <= {
            "Ya",
            "Tidak",
        }
        officers = wb["Pejabat (AO)"]
        headers, _rows = P.table(officers, "Kode AO")
        assert "Baki debet" in headers and "Rasio NPL" in headers
        assert "Fasilitas menunggak (DPD > 0)" in wb["Menunggak"]["A1"].value
        assert "Saluran calon nasabah" in wb["Pipeline"]["A1"].value
        assert "Dana dan relasi nasabah" in wb["Dana"]["A1"].value
        assert "Belum ada daftar simpanan" in wb["Dana"]["A3"].value
        words = " ".join(text for sheet in wb for text in texts(sheet))
        for english in ("Portfolio report", "as of", "Outstanding", "Account no", "Debtor Kol"):
            assert english not in words

    def test_english_unchanged(self, october, world, tmp_path):
        wb = portfolio_book(world, "en", tmp_path)
        assert wb.sheetnames == PORTFOLIO_SHEETS
        ws = wb["Summary"]
        assert ws["A1"].value == f"{BANK} · Portfolio report · Summary"
        assert ws["A2"].value == "Branch JKT01 · October 2026 · as of Oct 31, 2026"
        assert "Current" in [r["Kol name"] for r in P.block(ws, "Kol distribution")]
        cell = P.block_cells(ws, "Headline figures", "Outstanding")[0]
        assert cell.number_format == '"IDR" #,##0.00'


class TestGeneration:
    def test_cli_lang_id_records_the_language(self, runner, book, exports):  # noqa: F811
        result = runner.invoke(
            args=["reports", "generate", "--period", PERIOD, "--lang", "id", "--kind", "portfolio"]
        )
        assert result.exit_code == 0, result.output
        assert "Laporan portofolio untuk Juni 2024" in result.stdout
        rows = report_rows()
        assert rows and {r.lang for r in rows} == {"id"}
        wb = load_workbook(exports / rows[0].path)
        assert "Laporan portofolio" in wb["Ringkasan"]["A1"].value

    def test_cli_default_is_the_banks_and_lang_remakes(self, app, runner, book, exports):  # noqa: F811
        app.config["DEFAULT_LOCALE"] = "id"
        try:
            result = runner.invoke(args=["reports", "generate", "--period", PERIOD])
        finally:
            app.config["DEFAULT_LOCALE"] = "en"
        assert result.exit_code == 0, result.output
        assert {r.lang for r in report_rows()} == {"id"}
        again = runner.invoke(args=["reports", "generate", "--period", PERIOD])
        assert "0 generated" in again.stdout  # done reports are kept, whatever their language
        english = runner.invoke(args=["reports", "generate", "--period", PERIOD, "--lang", "en"])
        assert english.exit_code == 0 and "0 skipped" in english.stdout
        assert {r.lang for r in report_rows()} == {"en"}

    def test_web_form_language_defaults_to_the_users(self, client, auth, book, world):  # noqa: F811
        auth.login("spv.jkt")
        html = client.get("/reports/").get_data(as_text=True)
        assert '<option selected value="en">English</option>' in html
        speak_indonesian(auth)
        html = client.get("/reports/").get_data(as_text=True)
        assert '<option selected value="id">Bahasa Indonesia</option>' in html

    def test_web_form_generates_in_the_chosen_language(self, client, auth, book, world):  # noqa: F811
        auth.login("spv.jkt")
        response = auth.post(
            "/reports/generate",
            {
                "period": PERIOD,
                "kind": "portfolio",
                "scope": f"branch:{world.jkt.id}",
                "lang": "id",
            },
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert [r.lang for r in report_rows()] == ["id"]
        html = response.get_data(as_text=True)
        assert 'data-lang="id">Bahasa Indonesia<' in html
        # Asked again in English: made again in English (a choice, not a skip).
        auth.post(
            "/reports/generate",
            {
                "period": PERIOD,
                "kind": "portfolio",
                "scope": f"branch:{world.jkt.id}",
                "lang": "en",
            },
        )
        assert [r.lang for r in report_rows()] == ["en"]

    def test_api_lang(self, api, book, world):  # noqa: F811
        client = api(world.supervisor)
        response = client.post(
            "/api/v1/reports",
            json={"kind": "portfolio", "period": PERIOD, "branch_id": world.jkt.id, "lang": "id"},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["lang"] == "id"
        bad = client.post(
            "/api/v1/reports",
            json={"kind": "portfolio", "period": PERIOD, "lang": "fr"},
            headers={"Accept-Language": "id"},
        )
        assert bad.status_code == 422


class TestReportsPage:
    @pytest.mark.parametrize("username", ["spv.jkt", "ao.budi", "admin"])
    def test_indonesian_page(self, client, auth, book, world, runner, username):  # noqa: F811
        runner.invoke(args=["reports", "generate", "--period", PERIOD, "--lang", "id"])
        auth.login(username)
        speak_indonesian(auth)
        html = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert english_leftovers(html) == []
        assert "Laporan" in html and "Unduh" in html and "Bahasa Indonesia" in html
        empty = client.get("/reports/?period=2030-01").get_data(as_text=True)
        assert english_leftovers(empty) == []

    def test_english_page(self, client, auth, book, runner):  # noqa: F811
        runner.invoke(args=["reports", "generate", "--period", PERIOD, "--kind", "portfolio"])
        auth.login("spv.jkt")
        html = client.get(f"/reports/?period={PERIOD}").get_data(as_text=True)
        assert "Download all (ZIP)" in html and ">English<" in html and "Language" in html
