"""Reading and validating listings: row errors (all-or-nothing), number and date conventions,
CSV dialects, XLSX, headers, encodings — each through the real import."""

import csv
import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aoapp.errors import Forbidden
from aoapp.imports.error_files import errors_dir
from aoapp.imports.models import ImportStatus
from aoapp.imports.parsing import RowError
from aoapp.imports.services import run_import
from tests.support import listings as L
from tests.support.listings import line

D1 = date(2024, 5, 31)
D2 = date(2024, 6, 30)
PLAIN = "plain (1234567.89)"
INDONESIAN = "Indonesian (1.234.567,89)"
NOT_PLAIN = f"Not a number in this file's convention ({PLAIN}), e.g. 1234567.89."
NOT_ISO = "Not a date in this file's format, ISO (2026-10-31)."
NOT_DMY = "Not a date in this file's format, dd/mm/yyyy (31/10/2026)."
REQUIRED = "A value is required."
KOL = "Collectibility must be 1 to 5."


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def importer(tmp_path, world):
    return L.Importer(tmp_path, world.admin)


@pytest.fixture
def before(ao, importer):
    """A first listing imported on D1; returns a check that the database is still as it left it."""
    outcome = importer.csv([line("A", "CIF1", ao), line("B", "CIF2", ao, dpd=30)], D1)
    assert outcome.ok
    tables = ("customers", "facilities", "positions", "audit_entries")
    counts, dumps = L.counts(), {t: L.dump(t) for t in tables}

    def unchanged() -> bool:
        return L.counts() == counts and {t: L.dump(t) for t in tables} == dumps

    assert unchanged()
    return unchanged


def second_listing(ao, **bad) -> list[dict]:
    """A D2 listing that would change everything (A's plafond, a new debtor, B closed), with a
    bad row 4 (row 1 is the header)."""
    bad_row = line("BAD", "CIF9", ao)
    bad_row.update(bad)
    return [
        line("A", "CIF1", ao, plafond=Decimal("900000000.00")),
        line("N", "CIF-NEW", ao),
        bad_row,
    ]


def error_rows(record) -> list[list[str]]:
    with open(errors_dir() / record.errors_file, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def assert_rejected(outcome, errors: list[RowError], unchanged) -> None:
    """Refused as a whole, every error reported, nothing changed, error file written."""
    assert outcome.errors == errors
    record = outcome.record
    assert (record.status, record.error_count) == (ImportStatus.REJECTED, len(errors))
    rows = len({e.row for e in errors})
    assert record.shown_message == f"{len(errors)} error(s) on {rows} row(s): nothing was imported."
    assert unchanged()
    written = error_rows(record)
    assert written[0] == ["row", "column", "value", "message"]
    assert [(int(r[0]), r[1], r[2].removeprefix("'"), r[3]) for r in written[1:]] == [
        (e.row, e.column, e.value, e.message) for e in errors
    ]


ROW_ERRORS = [
    # (column, value written, message)
    ("account_no", "", REQUIRED),
    ("cif", "", REQUIRED),
    ("customer_name", "", REQUIRED),
    ("officer_code", "", REQUIRED),
    ("product_code", "", REQUIRED),
    ("outstanding", "", REQUIRED),
    ("dpd", "", REQUIRED),
    ("interest_rate", "", REQUIRED),
    ("start_date", "", REQUIRED),
    ("outstanding", "12a", NOT_PLAIN),
    ("plafond", "1,000,000.00", NOT_PLAIN),
    ("arrears_interest", "1.234", NOT_PLAIN),
    ("arrears_principal", "10.123", NOT_PLAIN),
    ("interest_rate", "abc", f"Not a number in this file's convention ({PLAIN}), e.g. 11.5."),
    ("interest_rate", "150", "The interest rate must be between 0 and 100 % p.a."),
    ("start_date", "2024-13-01", "2024-13-01 is not a day: there is no month 13."),
    ("maturity_date", "2029-02-30", "2029-02-30 is not a day: February 2029 has 28 days."),
    ("maturity_date", "2028-02-29x", NOT_ISO),
    ("start_date", "15/01/2024", NOT_ISO),
    ("arrears_principal", "-5.00", "Amounts cannot be negative."),
    ("outstanding", "-1", "Amounts cannot be negative."),
    ("interest_rate", "-1", "The rate cannot be negative."),
    ("dpd", "-3", "DPD cannot be negative."),
    ("dpd", "1.5", "Not a whole number of days (0–99999)."),
    ("dpd", "100000", "Not a whole number of days (0–99999)."),
    ("kol", "0", KOL),
    ("kol", "6", KOL),
    ("kol", "A", KOL),
    ("restructured", "maybe", "Use Y or N."),
    ("maturity_date", date(2023, 12, 31), "Maturity date is before the start date."),
    ("officer_code", "AO9999", "Unknown officer code: no officer has it."),
    ("product_code", "XYZ", "Unknown product code: not in the product catalogue."),
    ("product_code", "TAB", "Not a credit product."),
]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    ROW_ERRORS,
    ids=[f"{c}={v}" for c, v, _ in ROW_ERRORS],
)
def test_row_error_refuses_the_file_and_changes_nothing(
    ao, importer, before, column, value, message
):
    outcome = importer.csv(second_listing(ao, **{column: value}), D2)
    text = L.cell(column, value)
    assert_rejected(outcome, [RowError(4, column, text, message)], before)
    record = outcome.record  # what was learnt about the file is kept on the refused record
    assert (record.rows, record.decimal, record.date_format, record.encoding) == (
        3,
        "dot",
        "iso",
        "utf-8",
    )
    assert record.shown_notes == outcome.notes


def test_day_that_does_not_exist_in_dd_mm_yyyy(ao, importer, before):
    rows = second_listing(ao, start_date="30/02/2024")
    outcome = importer.csv(rows, D2, write={"date_format": "dmy"})
    message = "30/02/2024 is not a day: February 2024 has 29 days."
    assert_rejected(outcome, [RowError(4, "start_date", "30/02/2024", message)], before)


def test_duplicate_account_in_the_file(ao, importer, before):
    rows = [*second_listing(ao), line("A", "CIF1", ao, dpd=5)]
    message = "This account number appears more than once in the file."
    outcome = importer.csv(rows, D2)
    assert_rejected(
        outcome,
        [RowError(2, "account_no", "A", message), RowError(5, "account_no", "A", message)],
        before,
    )


def test_one_debtor_with_two_officers_in_the_file(ao, importer, before, world):
    rows = [line("A", "CIF1", ao), line("X", "CIF1", world.colleague.officer_code)]
    message = "The same CIF has different officer codes in this file."
    outcome = importer.csv(rows, D2)
    assert_rejected(
        outcome,
        [
            RowError(2, "officer_code", ao, message),
            RowError(3, "officer_code", world.colleague.officer_code, message),
        ],
        before,
    )


def test_a_file_with_many_errors_reports_all_of_them(ao, importer, before):
    rows = [
        line("A", "CIF1", ao, dpd="-1", kol="7"),
        line("B", "CIF2", "NOBODY"),  # only an unknown code
        line("C", "CIF3", ao, start_date="2024-02-30", product_code="XYZ"),
        line("D", "CIF4", ao),  # a good row
        line("E", "CIF5", ao, outstanding="", maturity_date=date(2020, 1, 1)),
        *[line(f"F{i}", f"CIF-F{i}", ao, arrears_interest="n/a") for i in range(30)],
    ]
    outcome = importer.csv(rows, D2)
    assert outcome.errors[:7] == [
        RowError(2, "dpd", "-1", "DPD cannot be negative."),
        RowError(2, "kol", "7", KOL),
        RowError(3, "officer_code", "NOBODY", "Unknown officer code: no officer has it."),
        RowError(4, "product_code", "XYZ", "Unknown product code: not in the product catalogue."),
        RowError(
            4, "start_date", "2024-02-30", "2024-02-30 is not a day: February 2024 has 29 days."
        ),
        RowError(6, "outstanding", "", REQUIRED),
        RowError(6, "maturity_date", "2020-01-01", "Maturity date is before the start date."),
    ]
    assert outcome.errors[7:] == [
        RowError(row, "arrears_interest", "n/a", NOT_PLAIN) for row in range(7, 37)
    ]
    assert_rejected(outcome, outcome.errors, before)
    assert outcome.record.shown_message == "37 error(s) on 34 row(s): nothing was imported."


def test_error_file_keeps_formula_like_values_inert(ao, importer, before):
    outcome = importer.csv(second_listing(ao, customer_name="=HYPERLINK(1)", dpd="-2"), D2)
    assert outcome.errors == [RowError(4, "dpd", "-2", "DPD cannot be negative.")]
    assert error_rows(outcome.record)[1] == ["4", "dpd", "'-2", "DPD cannot be negative."]


def test_xlsx_row_errors_carry_the_sheet_row_number(ao, importer, before):
    outcome = importer.xlsx(second_listing(ao, dpd="-1"), D2)
    assert_rejected(outcome, [RowError(4, "dpd", "-1", "DPD cannot be negative.")], before)


class TestConventions:
    def test_indonesian_numbers_and_dates_are_detected_and_reported(self, ao, importer):
        rows = [
            line(
                "A",
                "CIF1",
                ao,
                plafond=Decimal("2500000.00"),
                outstanding=Decimal("1234567.89"),
                arrears_interest=Decimal("999.5"),
                interest_rate=Decimal("12.75"),
                maturity_date=date(2026, 10, 31),
            )
        ]
        path = L.write_csv(importer.path(), rows, decimal="comma", date_format="dmy")
        assert "1.234.567,89" in path.read_text() and "31/10/2026" in path.read_text()
        outcome = importer.run(path, D2)
        assert outcome.ok, outcome.errors
        assert outcome.notes[1:] == [
            f"Numbers: {INDONESIAN} (detected).",
            "Dates: dd/mm/yyyy (31/10/2026) (detected).",
        ]
        assert (outcome.record.decimal, outcome.record.date_format) == ("comma", "dmy")
        assert outcome.record.shown_notes == outcome.notes
        position = L.positions(D2)["A"]
        assert (position.outstanding, position.arrears_interest) == (
            Decimal("1234567.89"),
            Decimal("999.50"),
        )
        fac = L.facility("A")
        assert (fac.plafond, fac.interest_rate, fac.maturity_date) == (
            Decimal("2500000.00"),
            Decimal("12.75"),
            date(2026, 10, 31),
        )

    def test_plain_numbers_and_iso_dates_are_detected(self, ao, importer):
        outcome = importer.csv([line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))], D2)
        assert outcome.notes[1:] == [
            f"Numbers: {PLAIN} (detected).",
            "Dates: ISO (2026-10-31) (detected).",
        ]

    def test_conventions_given_explicitly(self, ao, importer):
        rows = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))]
        write = {"decimal": "comma", "date_format": "dmy"}
        outcome = importer.csv(rows, D2, write=write, decimal="comma", date_format="dmy")
        assert outcome.ok
        assert outcome.notes[1:] == [f"Numbers: {INDONESIAN}.", "Dates: dd/mm/yyyy (31/10/2026)."]
        assert L.positions(D2)["A"].outstanding == Decimal("1234567.89")

    def test_a_value_not_fitting_the_given_convention_is_a_row_error(self, ao, importer):
        rows = [
            line("A", "CIF1", ao),
            line("B", "CIF2", ao, outstanding="1234567.89", start_date="2024-01-15"),
        ]
        write = {"decimal": "comma", "date_format": "dmy"}
        outcome = importer.csv(rows, D2, write=write, decimal="comma", date_format="dmy")
        assert outcome.errors == [
            RowError(
                3,
                "outstanding",
                "1234567.89",
                f"Not a number in this file's convention ({INDONESIAN}), e.g. 1.234.567,89.",
            ),
            RowError(3, "start_date", "2024-01-15", NOT_DMY),
        ]
        assert L.counts()["facilities"] == 0

    def test_given_conventions_win_over_what_the_file_looks_like(self, ao, importer):
        rows = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))]
        outcome = importer.csv(rows, D2, decimal="comma", date_format="dmy")  # a plain, ISO file
        assert {(e.column, e.message) for e in outcome.errors} >= {
            (
                "outstanding",
                f"Not a number in this file's convention ({INDONESIAN}), e.g. 1.234.567,89.",
            ),
            ("start_date", NOT_DMY),
        }

    def test_a_minority_value_in_the_other_convention_is_never_guessed(self, ao, importer):
        rows = [line(f"A{i}", f"CIF{i}", ao, outstanding=Decimal("1500000.25")) for i in range(3)]
        rows.append(line("Z", "CIFZ", ao, outstanding="1500000.25"))  # plain, in a comma file
        outcome = importer.csv(rows, D2, write={"decimal": "comma"})
        assert outcome.errors == [
            RowError(
                5,
                "outstanding",
                "1500000.25",
                f"Not a number in this file's convention ({INDONESIAN}), e.g. 1.234.567,89.",
            )
        ]

    def ambiguous(self, ao) -> list[dict]:
        """Amounts only like 500.000: thousands (Indonesian) or three decimals (plain)?"""
        return [
            line(
                "A",
                "CIF1",
                ao,
                plafond="500.000",
                outstanding="400.000",
                arrears_principal="0",
                arrears_interest="0",
                interest_rate="12",
            )
        ]

    def test_ambiguous_numbers_are_refused_with_a_clear_message(self, ao, importer, before):
        outcome = importer.csv(self.ambiguous(ao), D2)
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message == (
            "The numbers could be plain or Indonesian (e.g. 1.234): name the convention with "
            "--decimal=dot (1234567.89) or --decimal=comma (1.234.567,89)."
        )
        assert outcome.errors == []
        assert before()

    def test_ambiguous_numbers_import_once_the_convention_is_named(self, ao, importer):
        outcome = importer.csv(self.ambiguous(ao), D2, decimal="comma")
        assert outcome.ok
        assert L.positions(D2)["A"].outstanding == Decimal("400000.00")
        assert L.facility("A").plafond == Decimal("500000.00")

    def test_ambiguous_numbers_under_the_plain_convention_are_row_errors(self, ao, importer):
        outcome = importer.csv(self.ambiguous(ao), D2, decimal="dot")
        assert [(e.column, e.value) for e in outcome.errors] == [
            ("plafond", "500.000"),
            ("outstanding", "400.000"),
        ]

    def test_whole_numbers_without_separators_read_alike(self, ao, importer):
        rows = self.ambiguous(ao)
        rows[0].update(plafond="500000", outstanding="400000")
        outcome = importer.csv(rows, D2)
        assert outcome.ok
        assert L.positions(D2)["A"].outstanding == Decimal("400000.00")

    def test_amount_too_large_for_the_database_is_a_row_error(self, ao, importer):
        rows = [line("A", "CIF1", ao, plafond="12345678901234567.00")]
        outcome = importer.csv(rows, D2)
        assert outcome.errors == [
            RowError(
                2,
                "plafond",
                "12345678901234567.00",
                "The amount is too large: at most 16 digits before the decimals.",
            )
        ]
        biggest = [
            line("A", "CIF1", ao, plafond="9999999999999999.99", outstanding="000000000000012.50")
        ]
        assert importer.csv(biggest, D2).ok
        assert L.positions(D2)["A"].outstanding == Decimal("12.50")

    def test_text_too_long_for_the_database_is_a_row_error(self, ao, importer):
        rows = [line("A" * 41, "C" * 31, ao, customer_name="N" * 121)]
        outcome = importer.csv(rows, D2)
        assert [(e.column, e.message) for e in outcome.errors] == [
            ("account_no", "Too long: at most 40 characters."),
            ("cif", "Too long: at most 30 characters."),
            ("customer_name", "Too long: at most 120 characters."),
        ]
        longest = [line("A" * 40, "C" * 30, ao, customer_name="N" * 120)]
        assert importer.csv(longest, D2).ok


class TestCsvDialects:
    def test_semicolon_csv_with_indonesian_numbers(self, ao, importer):
        rows = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))]
        write = {"delimiter": ";", "decimal": "comma", "date_format": "dmy"}
        outcome = importer.csv(rows, D2, write=write)
        assert outcome.ok, outcome.errors
        assert outcome.notes[0] == "Format: csv, delimiter ';', encoding utf-8."
        assert L.positions(D2)["A"].outstanding == Decimal("1234567.89")

    def test_semicolon_csv_with_plain_numbers(self, ao, importer):
        rows = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))]
        outcome = importer.csv(rows, D2, write={"delimiter": ";"})
        assert outcome.ok
        assert L.positions(D2)["A"].outstanding == Decimal("1234567.89")

    def test_indonesian_headers(self, ao, importer):
        rows = [line("A", "CIF1", ao, dpd=100, kol=4, restructured="ya")]
        outcome = importer.csv(rows, D2, write={"headers": "id"})
        assert outcome.ok, outcome.record.shown_message
        position = L.positions(D2)["A"]
        assert (position.dpd, position.file_kol, position.facility_kol) == (100, 4, 4)
        assert L.facility("A").restructured is True

    def test_headers_ignore_case_and_surrounding_spaces(self, ao, importer):
        headers = {
            "account_no": "  No_Rekening ",
            "cif": "CIF",
            "outstanding": " BAKI_DEBET",
            "dpd": "Hari_Tunggakan ",
            "kol": "KOL",
            "maturity_date": "Maturity_Date",
        }
        rows = [line("A", "CIF1", ao, dpd=5, kol=2, outstanding=Decimal("100.50"))]
        outcome = importer.csv(rows, D2, write={"headers": headers})
        assert outcome.ok, outcome.record.shown_message
        position = L.positions(D2)["A"]
        assert (position.dpd, position.file_kol, position.outstanding) == (5, 2, Decimal("100.50"))

    def test_quoted_values_keep_their_delimiters_and_quotes(self, ao, importer):
        rows = [
            line("A", "CIF1", ao, customer_name='PT Maju, "Jaya" & Co'),
            line("B", "CIF2", ao, customer_name="CV Sejahtera; Abadi"),
        ]
        for delimiter in (",", ";"):
            outcome = importer.csv(rows, D2, write={"delimiter": delimiter})
            assert outcome.ok, outcome.record.shown_message
            assert L.customer("CIF1").name == 'PT Maju, "Jaya" & Co'
            assert L.customer("CIF2").name == "CV Sejahtera; Abadi"

    def test_unknown_columns_are_ignored(self, ao, importer):
        outcome = importer.csv(
            [line("A", "CIF1", ao)], D2, write={"extra": {"nama_cabang": "Sudirman"}}
        )
        assert outcome.ok

    def test_values_are_trimmed_and_flags_read_in_both_languages(self, ao, importer):
        rows = [
            line(" A ", " CIF1 ", f" {ao} ", dpd=" 7 ", restructured=" tidak "),
            line("B", "CIF2", ao, restructured="Y"),
        ]
        outcome = importer.csv(rows, D2)
        assert outcome.ok, outcome.errors
        assert L.positions(D2)["A"].dpd == 7
        assert (L.facility("A").restructured, L.facility("B").restructured) == (False, True)
        assert L.customer("CIF1") is not None

    def test_missing_required_column_is_refused_by_name(self, ao, importer, before):
        outcome = importer.csv([line("A", "CIF1", ao)], D2, write={"drop": ("dpd",)})
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message == "Missing required columns: dpd."
        outcome = importer.csv([line("A", "CIF1", ao)], D2, write={"drop": ("dpd", "cif")})
        assert outcome.record.shown_message == "Missing required columns: cif, dpd."
        assert before()

    def test_optional_columns_may_be_absent(self, ao, importer):
        rows = [line("A", "CIF1", ao, dpd=95)]
        outcome = importer.csv(rows, D2, write={"drop": ("kol", "restructured")})
        assert outcome.ok
        position = L.positions(D2)["A"]
        assert (position.file_kol, position.facility_kol) == (None, 3)
        assert L.facility("A").restructured is False

    def test_a_column_given_twice_is_refused(self, ao, importer):
        outcome = importer.csv([line("A", "CIF1", ao)], D2, write={"extra": {"Baki_Debet": "1"}})
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message == (
            "Column outstanding appears twice (as 'outstanding' and 'Baki_Debet')."
        )

    def test_a_row_with_a_different_number_of_columns_is_refused(self, ao, importer):
        path = L.write_csv(importer.path(), [line("A", "CIF1", ao)])
        path.write_text(path.read_text() + "B,CIF2\r\n")
        outcome = importer.run(path, D2)
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message.startswith(
            "The CSV file cannot be read: a row has a different number of columns than the header."
        )

    def test_a_listing_without_rows_is_refused(self, ao, importer):
        outcome = importer.csv([], D2)
        assert (outcome.record.status, outcome.record.shown_message) == (
            ImportStatus.REJECTED,
            "The listing has no rows.",
        )

    def test_an_empty_file_is_refused(self, importer, tmp_path):
        path = tmp_path / "empty.csv"
        path.write_bytes(b"")
        outcome = importer.run(path, D2)
        assert outcome.record.shown_message == "The file is empty or has no header row."

    def test_other_file_types_are_refused(self, importer, tmp_path):
        path = tmp_path / "listing.pdf"
        path.write_bytes(b"%PDF-1.4")
        outcome = importer.run(path, D2)
        assert (
            outcome.record.shown_message
            == "Unsupported file type .pdf: send a .csv or .xlsx listing."
        )


class TestEncoding:
    def rows(self, ao):
        return [line("A", "CIF1", ao), line("B", "CIF2", ao, customer_name="Café Müller")]

    def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(self, ao, importer, before):
        outcome = importer.csv(self.rows(ao), D2, write={"encoding": "cp1252"})
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message == (
            "The file is not UTF-8 (byte 0xe9 on line 3). Export it as UTF-8, or name its "
            "encoding (e.g. --encoding cp1252 for Windows-1252)."
        )
        assert before()

    def test_it_reads_with_the_encoding_named(self, ao, importer):
        outcome = importer.csv(self.rows(ao), D2, write={"encoding": "cp1252"}, encoding="cp1252")
        assert outcome.ok
        assert outcome.notes[0] == "Format: csv, delimiter ',', encoding cp1252."
        assert outcome.record.encoding == "cp1252"
        assert L.customer("CIF2").name == "Café Müller"

    def test_utf8_with_a_byte_order_mark(self, ao, importer):
        outcome = importer.csv(self.rows(ao), D2, write={"encoding": "utf-8-sig"})
        assert outcome.ok, outcome.record.shown_message
        assert L.customer("CIF2").name == "Café Müller"

    def test_an_unknown_encoding_is_refused(self, ao, importer):
        outcome = importer.csv(self.rows(ao), D2, encoding="klingon")
        assert outcome.record.shown_message == "Unknown encoding 'klingon'."


class TestXlsx:
    def test_sheet_selection(self, ao, importer):
        path = L.write_xlsx(importer.path(".xlsx"), [line("A", "CIF1", ao)], before=("Cover",))
        outcome = importer.run(path, D2)
        assert outcome.record.shown_message == "Sheet 'Cover' is empty."
        outcome = importer.run(path, D2, sheet="Nope")
        assert outcome.record.shown_message == "No sheet 'Nope'; the workbook has: Cover, Listing."
        outcome = importer.run(path, D2, sheet="Listing")
        assert outcome.ok
        assert outcome.notes[0] == "Format: xlsx, sheet 'Listing'."

    def test_indonesian_text_cells(self, ao, importer):
        rows = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"))]
        write = {"typed": False, "decimal": "comma", "date_format": "dmy", "headers": "id"}
        outcome = importer.xlsx(rows, D2, write=write)
        assert outcome.ok, outcome.errors
        assert (outcome.record.decimal, outcome.record.date_format) == ("comma", "dmy")
        assert L.positions(D2)["A"].outstanding == Decimal("1234567.89")

    def test_a_broken_workbook_is_refused(self, importer, tmp_path):
        path = tmp_path / "broken.xlsx"
        path.write_bytes(b"not a zip file")
        outcome = importer.run(path, D2)
        assert outcome.record.status == ImportStatus.REJECTED
        assert outcome.record.shown_message.startswith("The XLSX file cannot be read:")


def test_only_admins_import(ao, world, tmp_path):
    path = L.write_csv(Path(tmp_path) / "a.csv", [line("A", "CIF1", ao)])
    for user in (world.officer, world.supervisor):
        with pytest.raises(Forbidden):
            run_import(path, D2, user=user)
    assert L.counts()["facilities"] == 0


def test_the_record_of_an_import(ao, importer, world):
    path = L.write_csv(importer.path(), [line("A", "CIF1", ao)])
    outcome = importer.run(path, D2, partial=True)
    record = outcome.record
    assert (record.user_id, record.source, record.file_name, record.as_of, record.partial) == (
        world.admin.id,
        "cli",
        path.name,
        D2,
        True,
    )
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (record.status, record.rows, record.progress, record.stage) == (
        ImportStatus.SUCCEEDED,
        1,
        100,
        "done",
    )
    assert record.finished_at is not None
