"""Properties of the listing's parsers on random cells (hypothesis): amounts, dates and headers.

Cells go through the real parser (`parse_listing`, one convention per file, given explicitly) and
headers through the real readers (`header_map`, `read_listing`). Many values share one listing, one
value per row, so each example is one vectorised parse.
"""

import calendar
import csv
import io
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from aoapp.imports.files import written_headers
from aoapp.imports.loans import LOANS
from aoapp.imports.loans.spec import COLUMNS
from aoapp.imports.parsing import parse_listing
from aoapp.imports.reader import read_listing

MAX_WHOLE_DIGITS = 16  # NUMERIC(18, 2)
MAX_SEN = 10 ** (MAX_WHOLE_DIGITS + 2) - 1  # 9,999,999,999,999,999.99
MONEY_COLUMNS = [c.name for c in COLUMNS if c.kind == "money"]

quick = settings(max_examples=60, deadline=None, database=None)


def listing(**cells: list[str]) -> pa.Table:
    """A listing of valid text cells, one row per value given; `cells` replace whole columns."""
    rows = len(next(iter(cells.values())))
    base = {
        "account_no": [f"ACC{i}" for i in range(rows)],
        "cif": [f"CIF{i}" for i in range(rows)],
        "customer_name": ["Debtor"] * rows,
        "officer_code": ["AO0001"] * rows,
        "product_code": ["KMK"] * rows,
        "plafond": ["500000000"] * rows,
        "outstanding": ["400000000"] * rows,
        "arrears_principal": ["0"] * rows,
        "arrears_interest": ["0"] * rows,
        "dpd": ["0"] * rows,
        "kol": [""] * rows,
        "interest_rate": ["11"] * rows,
        "start_date": ["2024-01-15"] * rows,
        "maturity_date": ["2029-01-15"] * rows,
        "restructured": ["N"] * rows,
    }
    base.update(cells)
    return pa.table({c.name: pa.array(base[c.name], pa.string()) for c in COLUMNS})


def refused_rows(parsed, column: str) -> set[int]:
    """Indices (0-based, data rows) of the cells of `column` the parser refused."""
    return {e.row - 2 for e in parsed.errors if e.column == column}


# -- amounts -------------------------------------------------------------------------------------


def sen(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def grouped(whole: str, separator: str) -> str:
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return separator.join([whole, *groups])


@st.composite
def written_amounts(draw, decimal: str) -> tuple[Decimal, str]:
    """An amount (2 places, within NUMERIC(18, 2)) and one way of writing it in `decimal`."""
    value = sen(draw(st.one_of(st.integers(0, 10**7), st.integers(0, MAX_SEN))))
    whole, cents = f"{value:.2f}".split(".")
    if cents.endswith("0"):  # 12,50 may be written 12,5; 12,00 as 12
        cents = draw(st.sampled_from([cents, cents[0]] if cents != "00" else ["00", "0", ""]))
    if decimal == "comma":
        whole = draw(st.sampled_from([whole, grouped(whole, ".")]))
        return value, whole + ("," + cents if cents else "")
    return value, whole + ("." + cents if cents else "")


def english(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    return grouped(whole, ",") + "." + cents


def amount_oracle(text: str, decimal: str) -> Decimal | None:
    """What the text means in the convention, written independently of the parser's patterns:
    ASCII digits only, one decimal separator with 1–2 decimals, Indonesian grouping by threes."""
    point, group = (".", None) if decimal == "dot" else (",", ".")
    if not text or any(ch not in "0123456789.," for ch in text):
        return None
    whole, _, cents = text.partition(point)
    if point in cents or (cents == "" and text.endswith(point)) or len(cents) > 2:
        return None
    if group is not None and group in whole:
        head, *rest = whole.split(group)
        if not 1 <= len(head) <= 3 or any(len(g) != 3 for g in rest):
            return None
        whole = head + "".join(rest)
    if not whole or not whole.isdigit() or (cents and not cents.isdigit()):
        return None
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        return None
    return Decimal(whole + "." + (cents or "0"))


def parse_amounts(texts: list[str], decimal: str, column: str = "outstanding"):
    """Parse `texts` in one money column: ({row: Decimal} accepted, {row} refused)."""
    parsed = parse_listing(listing(**{column: texts}), LOANS, decimal=decimal, date_format="iso")
    refused = refused_rows(parsed, column)
    assert {e.column for e in parsed.errors} <= {column}, parsed.errors
    accepted = [t for i, t in enumerate(texts) if i not in refused]
    values = {}
    if accepted:
        again = parse_listing(
            listing(**{column: accepted}), LOANS, decimal=decimal, date_format="iso"
        )
        assert again.errors == []
        cells = again.table.column(column).to_pylist()
        rows = [i for i in range(len(texts)) if i not in refused]
        values = {row: Decimal(cell) for row, cell in zip(rows, cells, strict=True)}
    return values, refused


@pytest.mark.parametrize("decimal", ["comma", "dot"])
@quick
@given(data=st.data(), column=st.sampled_from(MONEY_COLUMNS))
def test_a_written_amount_parses_back_to_itself(decimal, data, column):
    pairs = data.draw(st.lists(written_amounts(decimal), min_size=1, max_size=12))
    values, refused = parse_amounts([text for _, text in pairs], decimal, column)
    assert refused == set()
    assert [values[i] for i in range(len(pairs))] == [value for value, _ in pairs]


@pytest.mark.parametrize("decimal", ["comma", "dot"])
@quick
@given(value=st.integers(1, 10**6).map(lambda n: Decimal(n) * 1000 + Decimal("0.5")))
def test_english_grouping_is_never_read_in_either_convention(decimal, value):
    """1,234,567.89 is not a supported convention: refused, never read as 1.234567 or 1234.567."""
    text = english(value)
    assert amount_oracle(text, decimal) is None
    assert parse_amounts([text], decimal) == ({}, {0})


@quick
@given(pairs=st.lists(written_amounts("comma"), min_size=1, max_size=12))
def test_indonesian_amounts_with_a_separator_are_refused_as_plain(pairs):
    texts = [text for _, text in pairs if "," in text or "." in text]
    assume(texts)
    assert parse_amounts(texts, "dot") == ({}, set(range(len(texts))))


@quick
@given(pairs=st.lists(written_amounts("dot"), min_size=1, max_size=12))
def test_plain_amounts_with_decimals_are_refused_as_indonesian(pairs):
    texts = [text for _, text in pairs if "." in text]
    assume(texts)
    assert parse_amounts(texts, "comma") == ({}, set(range(len(texts))))


@quick
@given(wholes=st.lists(st.integers(0, 10**MAX_WHOLE_DIGITS - 1), min_size=1, max_size=12))
def test_whole_amounts_without_separators_read_alike_in_both(wholes):
    texts = [str(whole) for whole in wholes]
    values, refused = parse_amounts(texts, "dot")
    assert (values, refused) == parse_amounts(texts, "comma")
    assert list(values.values()) == [Decimal(whole) for whole in wholes]


def spoiled(text: str):
    """Ways of turning an amount into something that is not one."""
    return st.one_of(
        st.tuples(st.integers(0, len(text)), st.sampled_from("aOlI e€$Rp-+ _'٣१\n\t")).map(
            lambda p: text[: p[0]] + p[1] + text[p[0] :]
        ),
        st.sampled_from([text + ",5", text + ".5", text + ",123", text + ".123", "-" + text]),
        st.sampled_from([text + ",", text + ".", "," + text, "." + text, text + "e3"]),
    )


@pytest.mark.parametrize("decimal", ["comma", "dot"])
@quick
@given(data=st.data())
def test_a_spoiled_amount_is_refused_never_read_as_something_else(decimal, data):
    pairs = data.draw(st.lists(written_amounts(decimal), min_size=1, max_size=10))
    texts = [data.draw(spoiled(text)) for _, text in pairs]
    values, refused = parse_amounts(texts, decimal)
    for i, text in enumerate(texts):
        expected = amount_oracle(text, decimal)
        if expected is None:
            assert i in refused, (text, values.get(i))
        else:  # spoiling can land on another valid amount (1 + ",5"): then it must mean that
            assert values[i] == expected, text


@pytest.mark.parametrize("decimal", ["comma", "dot"])
@quick
@given(texts=st.lists(st.text("0123456789.,", min_size=1, max_size=22), min_size=1, max_size=15))
def test_any_digits_and_separators_parse_exactly_as_the_convention_says(decimal, texts):
    """Two decimal separators, groups of the wrong size, too many decimals: refused; the rest is
    read exactly (an independent reading of the convention is the oracle)."""
    values, refused = parse_amounts(texts, decimal)
    for i, text in enumerate(texts):
        expected = amount_oracle(text, decimal)
        assert (i in refused) == (expected is None), (text, values.get(i))
        if expected is not None:
            assert values[i] == expected, text


@pytest.mark.parametrize("decimal", ["comma", "dot"])
@quick
@given(whole=st.integers(10**MAX_WHOLE_DIGITS, 10**20), cents=st.integers(0, 99))
def test_amounts_too_large_for_numeric_18_2_are_refused(decimal, whole, cents):
    value = Decimal(whole) + sen(cents)
    written = f"{value:.2f}" if decimal == "dot" else grouped(str(whole), ".") + f",{cents:02d}"
    parsed = parse_listing(
        listing(outstanding=[written]), LOANS, decimal=decimal, date_format="iso"
    )
    assert [e.message.split(":")[0] for e in parsed.errors] == ["The amount is too large"]


# -- dates ---------------------------------------------------------------------------------------

any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@st.composite
def written_dates(draw, date_format: str) -> tuple[date, str]:
    day = draw(any_date)
    if date_format == "iso":
        return day, day.isoformat()
    padded = draw(st.booleans())
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    return day, f"{d}/{m}/{day.year:04d}"


def parse_dates(texts: list[str], date_format: str):
    """Parse `texts` as start and maturity dates: ({row: date} accepted, {row} refused)."""
    table = listing(start_date=texts, maturity_date=texts)
    parsed = parse_listing(table, LOANS, decimal="dot", date_format=date_format)
    refused = refused_rows(parsed, "start_date")
    assert refused == refused_rows(parsed, "maturity_date")
    assert {e.column for e in parsed.errors} <= {"start_date", "maturity_date"}, parsed.errors
    accepted = [t for i, t in enumerate(texts) if i not in refused]
    values = {}
    if accepted:
        again = parse_listing(
            listing(start_date=accepted, maturity_date=accepted),
            LOANS,
            decimal="dot",
            date_format=date_format,
        )
        assert again.errors == []
        days = again.table.column("start_date").to_pylist()
        assert again.table.column("maturity_date").to_pylist() == days
        rows = [i for i in range(len(texts)) if i not in refused]
        values = dict(zip(rows, days, strict=True))
    return values, refused


@pytest.mark.parametrize("date_format", ["iso", "dmy"])
@quick
@given(data=st.data())
def test_a_written_date_parses_back_to_itself(date_format, data):
    pairs = data.draw(st.lists(written_dates(date_format), min_size=1, max_size=12))
    values, refused = parse_dates([text for _, text in pairs], date_format)
    assert refused == set()
    assert [values[i] for i in range(len(pairs))] == [day for day, _ in pairs]


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


years = st.integers(1, 9999)
impossible_days = st.one_of(
    st.tuples(years, st.sampled_from([0, 13]), st.integers(1, 28)),  # no such month
    st.tuples(years, st.integers(1, 12), st.just(0)),  # day 0
    st.tuples(years, st.integers(1, 12)).flatmap(  # past the month's end (30/02, 29/02/2023)
        lambda ym: st.tuples(
            st.just(ym[0]), st.just(ym[1]), st.integers(days_in_month(*ym) + 1, 32)
        )
    ),
    st.tuples(st.just(0), st.integers(1, 12), st.integers(1, 28)),  # year 0 (no such year)
)


@pytest.mark.parametrize("date_format", ["iso", "dmy"])
@quick
@given(days=st.lists(impossible_days, min_size=1, max_size=12))
@example(days=[(0, 1, 1)])
def test_impossible_dates_are_refused(date_format, days):
    """30 February, 29 February of a common year, month 13, day 0, year 0: never rolled over."""
    if date_format == "iso":
        texts = [f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in days]
    else:
        texts = [f"{d:02d}/{m:02d}/{y:04d}" for y, m, d in days]
    parsed = parse_listing(
        listing(start_date=texts, maturity_date=texts),
        LOANS,
        decimal="dot",
        date_format=date_format,
    )
    accepted = [t for i, t in enumerate(texts) if i not in refused_rows(parsed, "start_date")]
    assert accepted == []


@pytest.mark.parametrize("date_format", ["iso", "dmy"])
@quick
@given(data=st.data())
def test_a_date_in_the_other_format_is_refused(date_format, data):
    other = "dmy" if date_format == "iso" else "iso"
    texts = [text for _, text in data.draw(st.lists(written_dates(other), min_size=1, max_size=8))]
    assert parse_dates(texts, date_format) == ({}, set(range(len(texts))))


# -- headers -------------------------------------------------------------------------------------

HEADER_NAMES = [(name, c.name) for c in COLUMNS for name in (c.name, c.alias)]


@st.composite
def headers_for(draw, name: str) -> str:
    """`name` in any case, with spaces or tabs around it."""
    cased = "".join(draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in name)
    pad = st.text(" \t", max_size=3)
    return draw(pad) + cased + draw(pad)


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), pair=st.sampled_from(HEADER_NAMES))
def test_every_header_name_in_any_case_maps_to_its_column(data, pair):
    name, canonical = pair
    header = data.draw(headers_for(name))
    found, _missing, problems = LOANS.header_map(["unknown", header, "another"])
    assert found == {canonical: 1}
    assert problems == []


@st.composite
def header_rows(draw) -> tuple[list[str], list[str]]:
    """Every column once, in a random order, each under its name or its alias (any case, padded);
    the optional columns sometimes left out. Returns (canonical names, headers)."""
    names = [c.name for c in COLUMNS if c.required or draw(st.booleans())]
    names = draw(st.permutations(names))
    aliases = {c.name: c.alias for c in COLUMNS}
    headers = [draw(headers_for(draw(st.sampled_from([name, aliases[name]])))) for name in names]
    return list(names), headers


@settings(max_examples=100, deadline=None, database=None)
@given(row=header_rows())
def test_header_map_finds_every_column_wherever_it_stands(row):
    names, headers = row
    found, missing, problems = LOANS.header_map(headers)
    assert found == {name: position for position, name in enumerate(names)}
    assert (missing, problems) == ([], [])


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("listings")


CELLS = {  # two rows of each column, in Indonesian conventions (quoted when the delimiter is ,)
    "account_no": ["001", "002"],
    "cif": ["CIF1", "CIF2"],
    "customer_name": ["PT Maju; Jaya", 'CV "Sentosa", Tbk'],
    "officer_code": ["AO0001", "AO0001"],
    "product_code": ["KMK", "KI"],
    "plafond": ["1.500.000.000,00", "250000000"],
    "outstanding": ["1.234.567,89", "0,5"],
    "arrears_principal": ["0", "12.000,00"],
    "arrears_interest": ["0", "1.234,5"],
    "dpd": ["0", "95"],
    "kol": ["", "4"],
    "interest_rate": ["11,5", "9"],
    "start_date": ["15/01/2024", "1/2/2023"],
    "maturity_date": ["15/01/2029", "01/02/2028"],
    "restructured": ["N", "ya"],
}
counter = iter(range(10**9))


def write_listing(directory, names: list[str], headers: list[str], delimiter: str):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in range(2):
        writer.writerow([CELLS[name][row] for name in names])
    path = directory / f"listing_{next(counter)}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return read_listing(path, LOANS)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(row=header_rows(), delimiter=st.sampled_from([",", ";"]))
def test_the_order_and_spelling_of_the_columns_do_not_change_the_listing(csv_dir, row, delimiter):
    names, headers = row
    in_order = sorted(names, key=list(CELLS).index)
    reference = write_listing(csv_dir, in_order, in_order, ",")
    shuffled = write_listing(csv_dir, names, headers, delimiter)
    assert shuffled.delimiter == delimiter
    assert shuffled.table.equals(reference.table)  # the same cells under the same names
    present = shuffled.table.schema.metadata[b"present"]
    assert present == reference.table.schema.metadata[b"present"]
    # Only the headers as written differ: messages name the columns as the file does.
    assert written_headers(shuffled.table) == {
        name: header.strip() for name, header in zip(names, headers, strict=True)
    }
    first = parse_listing(reference.table, LOANS, decimal="comma", date_format="dmy")
    again = parse_listing(shuffled.table, LOANS, decimal="comma", date_format="dmy")
    assert first.errors == again.errors == []
    assert again.table.equals(first.table)
