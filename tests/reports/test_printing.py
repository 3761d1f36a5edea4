"""Workbooks that print and read well, checked for real: every kind of workbook (customer and
portfolio, Indonesian and English) converted to PDF by LibreOffice headless in one call, then read
back with poppler's pdftotext.

How "one page wide" is checked: every printed page's footer carries its sheet's name (`&A`), so
each page is assigned to its sheet; the title and the table header repeat on every page, so a
sheet printed one page wide shows its table's first AND last column headers on every one of its
pages — a sheet split across two pages wide would print the right-hand columns on pages without
the first header (and the left part without the last). The print settings themselves (A4, fit to
one page wide, header and footer codes) are read back with openpyxl.

Set AOAPP_REPORT_PNGS to a folder to keep PNG renderings of page 1 (`make docs-reports`).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from aoapp.credit.figures import resolve_scope
from aoapp.kpis.periods import parse_period, period_as_of
from aoapp.reports.customer.data import load_customer_reports
from aoapp.reports.customer.workbook import customer_workbook
from aoapp.reports.portfolio.workbook import portfolio_workbook
from aoapp.reports.writers import XlsxWriterWriter
from tests.support import listings as L
from tests.support import reports_portfolio as P
from tests.support.holdings import make_deposit
from tests.support.screenshots import REPORT_KINDS

SOFFICE = shutil.which(os.environ.get("SOFFICE", "soffice"))
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
BANK = "Bank Contoh"
KINDS = REPORT_KINDS
# Per kind: (sheet, first header, last header) of each table sheet.
TABLES = {
    "customer-id": [
        ("Fasilitas", "No. rekening", "Tanggal posisi"),
        ("Simpanan", "No. rekening", "Status"),
        ("Interaksi", "Tanggal", "Catatan"),
    ],
    "customer-en": [
        ("Facilities", "Account no", "Position date"),
        ("Deposits", "Account no", "Status"),
        ("Interactions", "Date", "Notes"),
        ("Monitoring", "Visit date", "Next visit"),
    ],
    "portfolio-id": [("Fasilitas", "No. rekening", "Direstrukturisasi")],
    "portfolio-en": [
        ("Facilities", "Account no", "Restructured"),
        ("Delinquent", "Account no", "PTP state"),
        ("Pipeline", "Status", "Total"),
    ],
}

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        not (SOFFICE and PDFTOTEXT),
        reason="LibreOffice (soffice) or poppler-utils missing: make office",
    ),
]


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory) -> Path:
    """A private LibreOffice profile for this test session (parallel workers never share one)."""
    return tmp_path_factory.mktemp("soffice-profile")


def to_pdf(paths: list[Path], out: Path, profile: Path) -> None:
    """Convert every workbook to PDF with one LibreOffice run."""
    result = subprocess.run(  # noqa: S603 (fixed programs, our own files)
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for path in paths:
        assert (out / f"{path.stem}.pdf").exists(), (path.name, result.stdout, result.stderr)


def pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext keeps the layout; pages split at form feeds)."""
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


FOOTER = re.compile(r"^\s*(\S.*?)\s+(Page|Halaman) \d+ (of|dari) \d+\s*$", re.M)


def sheet_of(page: str, names: list[str]) -> str:
    """The sheet a page belongs to: the name its footer starts with (`Facilities … Page 2 of
    7`; a chart's axis label may share the footer's line)."""
    found = FOOTER.findall(page)
    assert len(found) == 1, page
    return next(n for n in sorted(names, key=len, reverse=True) if found[0][0].startswith(n))


@pytest.fixture
def workbooks(world, tmp_path) -> dict[str, Path]:
    """Each kind of workbook written: {kind: xlsx}."""
    P.october_book(world, tmp_path)
    customer = L.customer("CIF-F3")  # Bengkel Tiga: Kol 3 at 95 days past due, follow-ups
    make_deposit(customer, "GIRO", {P.OCT31: "87500000"}, account_no="0040000000093")
    make_deposit(customer, "DEP", {P.OCT31: "250000000"}, account_no="0030000000093")
    period = parse_period("2026-10")
    paths = {}
    for kind in KINDS:
        what, lang = kind.split("-")
        path = tmp_path / f"{kind}.xlsx"
        with force_locale(lang):
            if what == "customer":
                data = load_customer_reports([customer.id], period, period_as_of(period))
                XlsxWriterWriter().write(customer_workbook(data[customer.id], BANK), path)
            else:
                scope = resolve_scope(world.supervisor, None, world.jkt.id)
                P.write(portfolio_workbook(scope, P.OCTOBER, P.OCT31, BANK), path)
        paths[kind] = path
    return paths


@pytest.fixture
def printed(workbooks, tmp_path, office_profile):
    """Each kind of workbook converted to PDF in one LibreOffice run: {kind: (xlsx, [page
    texts])}."""
    out = tmp_path / "pdf"
    to_pdf(list(workbooks.values()), out, office_profile)
    keep = os.environ.get("AOAPP_REPORT_PNGS")
    if keep and PDFTOPPM:
        for kind in KINDS:
            target = Path(keep) / f"{kind}-page1"
            subprocess.run(  # noqa: S603
                [PDFTOPPM, "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile"]
                + [str(out / f"{kind}.pdf"), str(target)],
                check=True,
            )
    return {kind: (path, pages(out / f"{kind}.pdf")) for kind, path in workbooks.items()}


def test_every_workbook_prints_one_page_wide_with_its_story_on_page_one(printed):
    for kind, (path, texts) in printed.items():
        names = load_workbook(path, read_only=True).sheetnames
        by_sheet: dict[str, list[str]] = {}
        for page in texts:
            by_sheet.setdefault(sheet_of(page, names), []).append(page)
        assert list(by_sheet) == names, kind  # every sheet printed, in order
        for sheet, first, last in TABLES[kind]:
            for number, page in enumerate(by_sheet[sheet], 1):
                assert first in page and last in page, (kind, sheet, number)
        first_page = re.sub(r"\s+", " ", texts[0])
        lang = kind.split("-")[1]
        period = "Oktober 2026" if lang == "id" else "October 2026"
        name = {"customer": "Bengkel Tiga", "portfolio": "JKT01"}[kind.split("-")[0]]
        assert name in first_page and period in first_page and "Kol" in first_page, (
            kind,
            first_page,
        )
        assert BANK in first_page  # the page header


def test_print_setup_of_every_sheet(workbooks):
    """The settings LibreOffice prints by, read from the workbooks (no conversion needed)."""
    for kind, path in workbooks.items():
        lang = kind.split("-")[1]
        for ws in load_workbook(path):
            assert ws.page_setup.paperSize == 9, (kind, ws.title)  # A4
            form = ws.title in ("Monitoring report", "Laporan Pemantauan")  # a form: portrait
            assert ws.page_setup.orientation == ("portrait" if form else "landscape")
            assert ws.sheet_properties.pageSetUpPr.fitToPage, (kind, ws.title)
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
            assert ws.print_title_rows, (kind, ws.title)
            assert ws.oddHeader.left.text == BANK
            assert "2026" in ws.oddHeader.right.text
            page = "Halaman &P dari &N" if lang == "id" else "Page &P of &N"
            assert ws.oddFooter.right.text == page and ws.oddFooter.left.text == "&A"
