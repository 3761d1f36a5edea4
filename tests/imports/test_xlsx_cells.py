"""XLSX cells as the text a person sees, streamed row by row (aoapp/imports/xlsx.py), for every
cell type: the same text an independent reader (openpyxl) gives for random sheets, and cells
showing an Excel error read as empty.
"""

import random
from datetime import date, datetime, time, timedelta

import pytest
import xlsxwriter
from openpyxl import load_workbook

from aoapp.imports import xlsx
from aoapp.imports.loans import LOANS
from aoapp.imports.loans.spec import COLUMNS
from aoapp.imports.reader import ListingRefused, read_listing

NAMES = [c.name for c in COLUMNS]
FORMATS = {date: "yyyy-mm-dd", datetime: "yyyy-mm-dd hh:mm:ss.000", time: "hh:mm:ss"}


def write_sheet(path, columns: dict[str, list], *, first_col: int = 0, blank_tail: int = 0):
    """A listing with every canonical column; `columns` replaces some with the cells given.

    A cell is None (empty), a str, bool, number, date/datetime/time/timedelta (date-formatted),
    or ("=formula", cached value). Other columns hold "x". `blank_tail` blank rows follow: spaces
    in the "x" columns, formatted empty cells in the others (spaces would make them mixed).
    """
    rows = len(next(iter(columns.values())))
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Listing")
    formats = {kind: book.add_format({"num_format": f}) for kind, f in FORMATS.items()}
    formats[timedelta] = book.add_format({"num_format": "[h]:mm:ss"})
    for col, name in enumerate(NAMES, start=first_col):
        sheet.write_string(0, col, name)
        cells = columns.get(name, ["x"] * rows)
        for row, value in enumerate(cells, start=1):
            if value is None:
                continue
            if isinstance(value, tuple):
                sheet.write_formula(row, col, value[0], None, value[1])
            elif isinstance(value, str):
                sheet.write_string(row, col, value)
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            else:
                sheet.write_datetime(row, col, value, formats[type(value)])
        for row in range(rows + 1, rows + 1 + blank_tail):
            if name in columns:
                sheet.write_blank(row, col, None, formats[date])
            else:
                sheet.write_string(row, col, "  ")
    book.close()
    return path


def column(path, name):
    return read_listing(path, LOANS).table.column(name).to_pylist()


class TestCells:
    def test_numbers(self, tmp_path):
        # xlsxwriter stores 16 significant digits: 12345678901234567890 is 1.234567890123457E+19.
        cells = [
            (0.1, "0.1"),
            (-3.5, "-3.5"),
            (1000.0, "1000"),
            (42, "42"),
            (0.0, "0"),
            (-0.0, "0"),
            (1e20, "100000000000000000000"),
            (1e22, "10000000000000000000000"),
            (12345678901234567890, "12345678901234569216"),
            (-1e16, "-10000000000000000"),
            (1.23456789012, "1.23456789012"),
            (1 / 3, "0.3333333333333333"),
            (123456.7, "123456.7"),
            (0.0001, "0.0001"),
            (-0.00012, "-0.00012"),
            (1.5e-05, "1.5e-05"),
            (1e-07, "1e-07"),
            (-2.5e-300, "-2.5e-300"),
            (("=1+1", 2), "2"),
            (("=1/4", 0.25), "0.25"),
            (("=NA()", "#N/A"), ""),  # cells showing an error among numbers
            (("=1/0", "#DIV/0!"), ""),
            (None, ""),
        ]
        path = write_sheet(tmp_path / "n.xlsx", {"customer_name": [cell for cell, _text in cells]})
        assert column(path, "customer_name") == [text for _cell, text in cells]

    def test_booleans_dates_and_datetimes(self, tmp_path):
        flags = [True, False, None, ("=TRUE()", True), ("=1>2", False)]
        days = [
            date(2024, 1, 31),
            datetime(2024, 1, 31),
            datetime(2024, 1, 31, 10, 20, 30),
            datetime(2024, 1, 31, 10, 20, 30, 123000),
            date(1900, 3, 1),
        ]
        path = write_sheet(
            tmp_path / "d.xlsx", {"restructured": flags, "start_date": days + [None]}
        )
        assert column(path, "restructured") == ["Y", "N", "", "Y", "N"]
        assert column(path, "start_date") == [
            "2024-01-31",
            "2024-01-31",
            "2024-01-31T10:20:30",
            "2024-01-31T10:20:30.123000",
            "1900-03-01",
        ]

    def test_text_keeps_what_looks_like_a_null_or_a_number(self, tmp_path):
        texts = ["00123", "NA", "NULL", "nan", "#N/A?", "  padded  ", ('="a"&"b"', "ab")]
        path = write_sheet(tmp_path / "t.xlsx", {"customer_name": texts})
        expected = ["00123", "NA", "NULL", "nan", "#N/A?", "padded", "ab"]
        assert column(path, "customer_name") == expected

    def test_a_cell_showing_an_excel_error_reads_as_empty_computed_or_typed(self, tmp_path):
        errors = [("=NA()", "#N/A"), ('=A1+"a"', "#VALUE!"), ("=1/0", "#DIV/0!"), "#N/A", "#REF!"]
        path = write_sheet(tmp_path / "t.xlsx", {"customer_name": errors + ["Toko"]})
        assert column(path, "customer_name") == ["", "", "", "", "", "Toko"]

    def test_trailing_blank_rows_are_dropped(self, tmp_path):
        path = write_sheet(tmp_path / "b.xlsx", {"plafond": [1.5, 2.0]}, blank_tail=3)
        assert read_listing(path, LOANS).rows == 2

    def test_a_long_cell_is_refused_naming_its_sheet_row(self, tmp_path):
        names = ["a", "b", "c" * 1001]
        path = write_sheet(tmp_path / "l.xlsx", {"plafond": [1.5, 2, 3], "customer_name": names})
        with pytest.raises(ListingRefused, match="^Row 4, column customer_name: the cell holds"):
            read_listing(path, LOANS)


@pytest.mark.parametrize(
    "cells, text",
    [
        (["abc", 1.5, 2.0], ["abc", "1.5", "2"]),  # text and numbers in one column
        ([1.5, "NA"], ["1.5", "NA"]),  # a text a typed reader would take for a null
        (["NaN", 2.0], ["NaN", "2"]),  # a text a typed reader would take for a number
        ([time(10, 20, 30), None], ["10:20:30", ""]),
        ([timedelta(hours=30, minutes=5)], ["1 day, 6:05:00"]),
    ],
)
def test_mixed_columns_times_and_durations(tmp_path, cells, text):
    path = write_sheet(tmp_path / "m.xlsx", {"customer_name": cells})
    assert column(path, "customer_name") == text


@pytest.mark.parametrize("seed", range(4))
def test_every_cell_reads_as_openpyxl_reads_it(tmp_path, seed):
    rng = random.Random(seed)
    rows = 300

    def some(make):
        return [make() if rng.random() > 0.1 else None for _ in range(rows)]

    def magnitude():
        return rng.uniform(-1, 1) * 10 ** rng.randint(-12, 22)

    def moment():
        milliseconds = rng.choice([0, rng.randint(0, 86_400_000)])
        return datetime(1900, 1, 1) + timedelta(rng.randint(1, 80_000), 0, 0, milliseconds)

    columns = {
        "plafond": some(magnitude),
        "outstanding": some(lambda: round(rng.uniform(0, 1e9), 2)),
        "dpd": some(lambda: rng.randint(-5, 5000)),
        "restructured": some(lambda: rng.random() < 0.5),
        "start_date": some(moment),
        "maturity_date": some(lambda: date(2000, 1, 1) + timedelta(days=rng.randint(0, 9000))),
        "customer_name": some(lambda: rng.choice(["a", " b ", "", "00", "NA", "1.50"])),
    }
    path = write_sheet(tmp_path / "r.xlsx", columns, first_col=seed % 2, blank_tail=seed)
    listing = read_listing(path, LOANS)
    sheet = load_workbook(path, read_only=True)["Listing"]
    cells = list(sheet.iter_rows(min_row=2, max_row=rows + 1, values_only=True))
    assert listing.rows == rows
    for name in columns:
        at = NAMES.index(name) + seed % 2
        expected = [xlsx._cell_text(row[at]).strip() for row in cells]  # cells are trimmed
        assert listing.table.column(name).to_pylist() == expected, name


def test_an_empty_sheet_is_refused(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "e.xlsx")
    book.add_worksheet("Listing")
    book.close()
    with pytest.raises(ListingRefused, match="^Sheet 'Listing' is empty.$"):
        read_listing(tmp_path / "e.xlsx", LOANS)


@pytest.mark.parametrize(
    "extra, start_row",
    [
        (["cif"], 0),  # a repeated header
        (["CIF "], 0),
        (["cif_1", "cif_2"], 0),  # real headers that look renamed: unknown, ignored
        ([], 1),  # a blank first row is the header row
    ],
)
def test_headers_as_written(tmp_path, extra, start_row):
    path = tmp_path / "h.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Listing")
    for col, name in enumerate(NAMES + extra):
        sheet.write_string(start_row, col, name)
        sheet.write_string(start_row + 1, col, "x")
    book.close()
    if not extra or extra[0] != "cif_1":
        with pytest.raises(ListingRefused):
            read_listing(path, LOANS)
    else:
        assert read_listing(path, LOANS).rows == 1
