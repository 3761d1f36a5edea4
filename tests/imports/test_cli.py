"""`flask import-positions FILE --as-of …`: summary on success, errors and a non-zero exit
otherwise, usage errors for bad options."""

from datetime import date
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.imports.models import ImportStatus, PositionImport
from tests.support import listings as L
from tests.support.listings import line

D1 = date(2024, 5, 31)
D2 = date(2024, 6, 30)


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def invoke(runner):
    def run(*args):
        return runner.invoke(args=["import-positions", *map(str, args)])

    return run


def rows(ao):
    return [
        line("A", "CIF1", ao, dpd=0),
        line("B", "CIF1", ao, dpd=100),
        line("C", "CIF2", ao, dpd=30),
    ]


def test_success_prints_the_summary(ao, invoke, tmp_path):
    path = L.write_csv(tmp_path / "listing.csv", rows(ao))
    result = invoke(path, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    out = result.stderr
    assert "Imported 3 rows for 2024-06-30 in" in out
    assert "customers created 2, updated 0; facilities created 3, updated 0, closed 0." in out
    assert "Kol distribution (debtor Kol): Kol 2: 1, Kol 3: 2" in out
    assert "Upgrades 0, downgrades 0." in out
    assert "Format: csv, delimiter ',', encoding utf-8." in out
    assert "Numbers: plain (1234567.89) (detected)." in out
    assert result.stdout == ""
    assert set(L.positions(D2)) == {"A", "B", "C"}
    record = db.session.query(PositionImport).one()
    assert (record.status, record.source, record.user_id) == (ImportStatus.SUCCEEDED, "cli", None)


def test_second_listing_reports_closed_upgrades_and_downgrades(ao, invoke, tmp_path):
    assert invoke(L.write_csv(tmp_path / "may.csv", rows(ao)), "--as-of", D1).exit_code == 0
    june = [line("A", "CIF1", ao, dpd=0), line("C", "CIF2", ao, dpd=95)]  # B paid off
    result = invoke(L.write_csv(tmp_path / "june.csv", june), "--as-of", D2)
    assert result.exit_code == 0, result.output
    assert "facilities created 0, updated 0, closed 1." in result.stderr
    assert "Kol distribution (debtor Kol): Kol 1: 1, Kol 3: 1" in result.stderr
    assert "Upgrades 1, downgrades 1." in result.stderr


def test_partial_and_convention_options(ao, invoke, tmp_path):
    assert invoke(L.write_csv(tmp_path / "may.csv", rows(ao)), "--as-of", D1).exit_code == 0
    june = [line("A", "CIF1", ao, outstanding=Decimal("1234567.89"), customer_name="Café")]
    path = L.write_csv(
        tmp_path / "june.csv",
        june,
        delimiter=";",
        decimal="comma",
        date_format="dmy",
        encoding="cp1252",
    )
    result = invoke(
        path,
        "--as-of",
        D2,
        "--partial",
        "--decimal",
        "comma",
        "--date-format",
        "dmy",
        "--encoding",
        "cp1252",
    )
    assert result.exit_code == 0, result.output
    assert "closed 0." in result.stderr
    assert "Numbers: Indonesian (1.234.567,89)." in result.stderr
    assert {L.facility(a).status for a in "ABC"} == {"active"}
    assert L.positions(D2)["A"].outstanding == Decimal("1234567.89")
    assert L.customer("CIF1").name == "Café"


def test_xlsx_with_a_sheet(ao, invoke, tmp_path):
    path = L.write_xlsx(tmp_path / "listing.xlsx", rows(ao), before=("Cover",))
    result = invoke(path, "--as-of", D2, "--sheet", "Listing")
    assert result.exit_code == 0, result.output
    assert "Format: xlsx, sheet 'Listing'." in result.stderr


def test_a_bad_file_exits_non_zero_listing_its_errors(ao, invoke, tmp_path):
    bad = [line("A", "CIF1", ao, dpd="-1"), line("B", "CIF2", "NOBODY", kol="9")]
    result = invoke(L.write_csv(tmp_path / "bad.csv", bad), "--as-of", D2)
    assert result.exit_code == 1
    out = result.stderr
    assert "row 2, dpd = '-1': DPD cannot be negative." in out
    assert "row 3, officer_code = 'NOBODY': Unknown officer code: no officer has it." in out
    assert "row 3, kol = '9': Collectibility must be 1 to 5." in out
    record = db.session.query(PositionImport).one()
    assert f"All errors: {record.errors_file} in the exports/imports folder." in out
    assert "Error: 3 error(s) on 2 row(s): nothing was imported." in out
    assert L.counts()["facilities"] == 0


def test_many_errors_are_listed_up_to_fifty(ao, invoke, tmp_path):
    bad = [line(f"A{i}", f"CIF{i}", ao, dpd="x") for i in range(60)]
    result = invoke(L.write_csv(tmp_path / "bad.csv", bad), "--as-of", D2)
    assert result.exit_code == 1
    assert result.stderr.count(": Not a whole number of days") == 50
    assert "… and 10 more." in result.stderr


def test_a_refused_file_exits_non_zero_with_the_reason(ao, invoke, tmp_path):
    path = L.write_csv(tmp_path / "listing.csv", rows(ao), drop=("outstanding",))
    result = invoke(path, "--as-of", D2)
    assert result.exit_code == 1
    assert "Error: Missing required columns: outstanding." in result.stderr


@pytest.mark.parametrize("as_of", ["2024-02-30", "30/06/2024", "yesterday"])
def test_a_bad_as_of_is_a_usage_error(ao, invoke, tmp_path, as_of):
    path = L.write_csv(tmp_path / "listing.csv", rows(ao))
    result = invoke(path, "--as-of", as_of)
    assert result.exit_code == 2
    assert "Invalid value for --as-of: use YYYY-MM-DD" in result.stderr
    assert db.session.query(PositionImport).count() == 0


def test_usage_errors(ao, invoke, tmp_path):
    path = L.write_csv(tmp_path / "listing.csv", rows(ao))
    assert invoke(path).exit_code == 2  # --as-of is required
    assert invoke(tmp_path / "missing.csv", "--as-of", D2).exit_code == 2
    result = invoke(path, "--as-of", D2, "--decimal", "space")
    assert result.exit_code == 2
    assert "'space' is not one of 'comma', 'dot'" in result.stderr
    assert db.session.query(PositionImport).count() == 0
