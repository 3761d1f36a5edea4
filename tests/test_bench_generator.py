"""The bench listing generator and the sample listings: formats, conventions, determinism and the
invariants a realistic loan listing keeps (arrears, customers, officers, DPD dynamics)."""

import csv
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from aoapp.credit.collectibility import load_bands
from bench.generate_listing import (
    EN_HEADERS,
    ID_HEADERS,
    KOL_MIN_DPD,
    PRODUCT_CODES,
    dpd_kol,
    generate_listings,
    main,
    read_officers,
)

END = date(2026, 10, 31)
DATA = Path(__file__).parent / "data"
MONEY = ("plafond", "outstanding", "arrears_principal", "arrears_interest")
NUMBER_PATTERNS = {
    "dot": (re.compile(r"^\d+\.\d{2}$"), re.compile(r"^\d{1,2}\.\d{2}$")),
    "comma": (re.compile(r"^\d{1,3}(\.\d{3})*,\d{2}$"), re.compile(r"^\d{1,2},\d{2}$")),
}
DATE_PATTERNS = {
    "iso": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "dmy": re.compile(r"^\d{2}/\d{2}/\d{4}$"),
}


def read_listing(path: Path) -> tuple[list[str], list[dict]]:
    """Header and rows (keyed by the English column names) of a CSV listing."""
    with path.open(newline="", encoding="utf-8") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        return header, [dict(zip(EN_HEADERS, row, strict=True)) for row in reader]


def typed(row: dict, decimal: str, date_format: str) -> dict:
    """A row's values parsed strictly in the given conventions."""
    money_re, rate_re = NUMBER_PATTERNS[decimal]
    result = dict(row)
    for name in (*MONEY, "interest_rate"):
        text = row[name]
        assert (rate_re if name == "interest_rate" else money_re).match(text), (name, text)
        if decimal == "comma":
            text = text.replace(".", "").replace(",", ".")
        result[name] = Decimal(text)
    for name in ("start_date", "maturity_date"):
        assert DATE_PATTERNS[date_format].match(row[name]), (name, row[name])
        fmt = "%Y-%m-%d" if date_format == "iso" else "%d/%m/%Y"
        result[name] = datetime.strptime(row[name], fmt).date()
    result["dpd"] = int(row["dpd"])
    result["kol"] = int(row["kol"]) if row["kol"] else None
    return result


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> list[Path]:
    return generate_listings(tmp_path_factory.mktemp("en"), rows=200, months=3, end=END, seed=5)


@pytest.fixture(scope="module")
def long_run(tmp_path_factory) -> list[Path]:
    """A year of listings, large enough for every kind of DPD story to occur."""
    return generate_listings(tmp_path_factory.mktemp("year"), rows=2000, months=12, seed=11)


def test_one_listing_per_month_end_in_date_order(english):
    assert [p.name for p in english] == [
        "listing_2026-08-31.csv",
        "listing_2026-09-30.csv",
        "listing_2026-10-31.csv",
    ]
    assert len(read_listing(english[-1])[1]) == 200
    assert all(150 < len(read_listing(p)[1]) < 250 for p in english[:-1])


def test_same_seed_same_files_other_seed_other_files(english, tmp_path):
    again = generate_listings(tmp_path / "again", rows=200, months=3, end=END, seed=5)
    other = generate_listings(tmp_path / "other", rows=200, months=3, end=END, seed=6)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in english]
    assert other[-1].read_bytes() != english[-1].read_bytes()


def test_english_listing_uses_english_headers_commas_plain_numbers_and_iso_dates(english):
    header, rows = read_listing(english[-1])
    assert header == list(EN_HEADERS)
    assert english[-1].read_text(encoding="utf-8").startswith("account_no,cif,")
    for row in rows:
        typed(row, "dot", "iso")


def test_indonesian_listing_is_the_same_listing_in_indonesian_conventions(english, tmp_path):
    indonesian = generate_listings(tmp_path, rows=200, months=3, end=END, seed=5, lang="id")
    for en_path, id_path in zip(english, indonesian, strict=True):
        header, id_rows = read_listing(id_path)
        assert header == list(ID_HEADERS)
        assert id_path.read_text(encoding="utf-8").startswith("no_rekening;cif;nama_nasabah;")
        en_rows = read_listing(en_path)[1]
        assert [typed(r, "comma", "dmy") for r in id_rows] == [
            typed(r, "dot", "iso") for r in en_rows
        ]
    # thousands separators really are there
    assert any(re.match(r"^\d{1,3}\.\d{3}\.\d{3},\d{2}$", r["plafond"]) for r in id_rows)


def test_arrears_are_zero_exactly_when_dpd_is_zero(long_run):
    for path in long_run[::4]:
        for row in map(lambda r: typed(r, "dot", "iso"), read_listing(path)[1]):
            arrears = row["arrears_principal"] + row["arrears_interest"]
            assert (arrears == 0) == (row["dpd"] == 0), row
            assert row["arrears_principal"] <= row["outstanding"] <= row["plafond"]


def test_customers_hold_one_to_four_facilities_with_one_officer_and_name(long_run, english):
    seen: dict[str, set] = defaultdict(set)
    for path in [*long_run, *english[:1]]:
        rows = read_listing(path)[1]
        officers, names = defaultdict(set), defaultdict(set)
        for row in rows:
            officers[row["cif"]].add(row["officer_code"])
            names[row["cif"]].add(row["customer_name"])
            if path in long_run:
                seen[row["cif"]].add(row["account_no"])
        assert all(len(codes) == 1 for codes in officers.values())
        assert all(len(n) == 1 for n in names.values())
    per_customer = Counter(len(accounts) for accounts in seen.values())
    assert set(per_customer) == {1, 2, 3, 4}
    assert per_customer[1] > per_customer[2] > per_customer[3] > per_customer[4]


def test_account_numbers_and_cifs_are_strings_with_leading_zeros(english):
    rows = read_listing(english[-1])[1]
    assert all(re.match(r"^00\d{11}$", r["account_no"]) for r in rows)
    assert all(re.match(r"^\d{10}$", r["cif"]) for r in rows)
    assert any(r["cif"].startswith("0") for r in rows)
    assert len({r["account_no"] for r in rows}) == len(rows)


def test_rows_are_plausible_facilities_on_their_as_of_date(long_run):
    as_of = END
    rows = [typed(r, "dot", "iso") for r in read_listing(long_run[-1])[1]]
    assert {r["product_code"] for r in rows} == set(PRODUCT_CODES)
    for row in rows:
        assert row["start_date"] <= as_of < row["maturity_date"]
        assert Decimal(6) <= row["interest_rate"] <= Decimal(14)
        assert row["kol"] is None or dpd_kol(row["dpd"]) <= row["kol"] <= 5
        assert row["restructured"] in ("Y", "N")
    caps = {"KUR": 500, "KPR": 2000, "KMK": 10_000, "KI": 10_000}
    for code, cap in caps.items():
        top = max(r["plafond"] for r in rows if r["product_code"] == code)
        assert top <= cap * 1_000_000
    assert min(r["plafond"] for r in rows if r["product_code"] == "KPR") >= 200_000_000


def test_dpd_mix_and_dynamics_are_realistic(long_run):
    listings = [
        {r["account_no"]: typed(r, "dot", "iso") for r in read_listing(p)[1]} for p in long_run
    ]
    last = listings[-1].values()
    current = sum(r["dpd"] == 0 for r in last) / len(last)
    assert 0.8 < current < 0.93
    assert any(r["dpd"] > 180 for r in last)
    assert any(r["kol"] is not None and r["kol"] > dpd_kol(r["dpd"]) for r in last)

    history = defaultdict(list)  # account -> [(month, row)]
    for month, listing in enumerate(listings):
        for account, row in listing.items():
            history[account].append((month, row))
    assert set(listings[0]) - set(listings[-1]), "some facilities close"
    assert set(listings[-1]) - set(listings[0]), "some facilities start"

    slipping = recovering = restructured = 0
    for months in history.values():
        dpds = [row["dpd"] for _, row in months]
        flags = [row["restructured"] for _, row in months]
        assert flags == sorted(flags, key="NY".index), "once restructured, always restructured"
        steps = [b - a for a, b in zip(dpds, dpds[1:], strict=False)]
        if len(steps) >= 3 and all(28 <= s <= 31 for s in steps[-3:]):
            slipping += 1
        if any(d > 30 for d in dpds) and dpds[-1] == 0 and flags[-1] == "N":
            recovering += 1
        if "N" in flags and "Y" in flags:
            turn = flags.index("Y")
            assert dpds[turn] == 0 and dpds[turn - 1] > 0, "restructuring settles the arrears"
            assert months[turn][1]["maturity_date"] > months[turn - 1][1]["maturity_date"]
            restructured += 1
    assert slipping and recovering and restructured


def test_xlsx_holds_the_same_cells_as_the_csv(english, tmp_path):
    books = generate_listings(tmp_path, rows=200, months=3, end=END, seed=5, fmt="xlsx")
    assert [p.name for p in books] == [p.name.replace(".csv", ".xlsx") for p in english]
    sheet = load_workbook(books[-1], read_only=True).worksheets[0]
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    header, rows = read_listing(english[-1])
    assert cells == [header, *[list(r.values()) for r in rows]]


def test_typed_xlsx_keeps_codes_as_text_and_amounts_and_dates_as_values(tmp_path):
    (book,) = generate_listings(
        tmp_path, rows=50, lang="id", seed=2, fmt="xlsx", xlsx_cells="typed"
    )
    sheet = load_workbook(book, read_only=True).worksheets[0]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    row = dict(zip(header, first, strict=True))
    assert header == ID_HEADERS
    assert isinstance(row["no_rekening"], str) and row["no_rekening"].startswith("00")
    assert isinstance(row["baki_debet"], int | float)
    assert isinstance(row["tgl_mulai"], datetime)


def test_given_officer_codes_are_used_and_mapped_to_branches(tmp_path):
    paths = generate_listings(
        tmp_path, rows=300, months=2, officer_codes=["AO001", "AO002", "AO101"], seed=3
    )
    codes = {r["officer_code"] for p in paths for r in read_listing(p)[1]}
    assert codes == {"AO001", "AO002", "AO101"}
    mapping = {"AO001": "JKT01", "AO002": "JKT01", "AO101": "BDG01"}
    generate_listings(tmp_path / "demo", rows=20, officer_codes=mapping)
    assert read_officers(tmp_path / "demo" / "officers.csv") == mapping


def test_generated_officers_are_spread_over_branches(tmp_path):
    generate_listings(tmp_path, rows=100, officers=5, branches=2)
    assert read_officers(tmp_path / "officers.csv") == {
        "AO0001": "BR001",
        "AO0002": "BR002",
        "AO0003": "BR001",
        "AO0004": "BR002",
        "AO0005": "BR001",
    }


def test_command_line_writes_listings_and_refuses_an_oversized_xlsx(tmp_path, capsys):
    assert main(["--rows", "30", "--months", "2", "--lang", "id", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("listing_*.csv")) == [
        "listing_2026-09-30.csv",
        "listing_2026-10-31.csv",
    ]
    assert main(["--rows", "2000000", "--format", "xlsx", "--out", str(tmp_path)]) == 2
    assert "at most" in capsys.readouterr().err


def test_generator_kol_bands_are_the_seeded_bands():
    assert tuple(band.min_dpd for band in load_bands()) == KOL_MIN_DPD


# --- the sample listings in tests/data ------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    header, rows = read_listing(DATA / "listing_sample.csv")
    assert header == list(EN_HEADERS)
    return [typed(r, "dot", "iso") for r in rows]


def test_indonesian_sample_is_the_english_sample(sample):
    header, rows = read_listing(DATA / "listing_sample_id.csv")
    assert header == list(ID_HEADERS)
    assert [typed(r, "comma", "dmy") for r in rows] == sample


def test_sample_covers_the_cases_the_import_must_handle(sample):
    as_of = date(2026, 10, 31)
    assert 12 <= len(sample) <= 20
    assert all(r["start_date"] <= as_of < r["maturity_date"] for r in sample)
    assert {0, 1, 90, 91, 120, 121, 180, 181} <= {r["dpd"] for r in sample}
    assert any(r["restructured"] == "Y" for r in sample)
    assert any(r["kol"] is not None and r["kol"] > dpd_kol(r["dpd"]) for r in sample)
    assert 3 in Counter(r["cif"] for r in sample).values()
    assert {r["officer_code"] for r in sample} == {"AO001", "AO002", "AO101"}
    assert {r["product_code"] for r in sample} == set(PRODUCT_CODES)
    officers = defaultdict(set)
    for row in sample:
        officers[row["cif"]].add(row["officer_code"])
        assert (row["arrears_principal"] + row["arrears_interest"] == 0) == (row["dpd"] == 0)
        assert row["account_no"].startswith("00") and row["cif"].startswith("000")
    assert all(len(codes) == 1 for codes in officers.values())
