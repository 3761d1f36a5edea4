"""Generate realistic loan listings (daftar nominatif kredit) of any size, one file per month-end.

Each listing has one row per active credit facility on its as-of date, in the import's format
(English or Indonesian headers and conventions, CSV or XLSX). Customers hold 1–4 facilities over
KMK, KI, KUR, KPR, KKB and MULTIGUNA; facilities amortise, slip, recover, restructure, default,
mature and start across the months, so consecutive listings tell a believable story.

Rows are streamed: every month's file is open at once and each facility writes its row to every
listing it belongs to, so memory stays flat whatever the size.

    .venv/bin/python -m bench.generate_listing --rows 1000000 --out bench/out/listings
    .venv/bin/python -m bench.generate_listing --rows 500 --months 12 --lang id --format xlsx

Importable: `generate_listings(out_dir, rows=..., months=12, end=date(2026, 10, 31),
officer_codes=["AO001", "AO002", "AO101"], seed=7)` returns the written paths in date order.
"""

import argparse
import csv
import math
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

EN_HEADERS = (
    "account_no",
    "cif",
    "customer_name",
    "officer_code",
    "product_code",
    "plafond",
    "outstanding",
    "arrears_principal",
    "arrears_interest",
    "dpd",
    "kol",
    "interest_rate",
    "start_date",
    "maturity_date",
    "restructured",
)
ID_HEADERS = (
    "no_rekening",
    "cif",
    "nama_nasabah",
    "kode_ao",
    "kode_produk",
    "plafon",
    "baki_debet",
    "tunggakan_pokok",
    "tunggakan_bunga",
    "hari_tunggakan",
    "kolektibilitas",
    "suku_bunga",
    "tgl_mulai",
    "tgl_jatuh_tempo",
    "restrukturisasi",
)
HEADERS = {"en": EN_HEADERS, "id": ID_HEADERS}
# Language defaults: field delimiter, number convention, date format.
LANG_CONVENTIONS = {"en": (",", "dot", "iso"), "id": (";", "comma", "dmy")}

# Lowest DPD of Kol 1..5: the OJK defaults for commercial banks that migration 0002 seeds into
# `collectibility_bands` (a test pins them to it). The generator runs without a database; it only
# needs them to write a file Kol that is worse than the DPD Kol on purpose.
KOL_MIN_DPD = (0, 1, 91, 121, 181)

GENERATOR_VERSION = 1  # bump when the same seed starts giving other rows (bench caches by it)
XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, one of them the header
JUTA = 1_000_000

# code, weight for individuals, weight for companies, plafond min and max (IDR), rounded to,
# rate min and max (% p.a.), tenor choices (months), revolving (interest-only), account digit.
PRODUCTS = (
    ("KUR", 34, 10, 10 * JUTA, 500 * JUTA, JUTA, 6.0, 9.0, (12, 24, 36, 48, 60), False, 1),
    (
        "MULTIGUNA",
        22,
        0,
        10 * JUTA,
        500 * JUTA,
        JUTA,
        10.0,
        14.0,
        (12, 24, 36, 60, 84, 120),
        False,
        2,
    ),
    ("KKB", 14, 5, 50 * JUTA, 800 * JUTA, JUTA, 6.0, 10.0, (12, 24, 36, 48, 60), False, 3),
    ("KPR", 16, 0, 200 * JUTA, 2_000 * JUTA, 5 * JUTA, 7.0, 11.0, (60, 120, 180, 240), False, 4),
    ("KMK", 10, 55, 50 * JUTA, 10_000 * JUTA, 5 * JUTA, 9.0, 13.0, (12, 24, 36), True, 5),
    ("KI", 4, 30, 100 * JUTA, 10_000 * JUTA, 5 * JUTA, 9.0, 13.0, (36, 60, 84, 120), False, 6),
)
PRODUCT_CODES = tuple(p[0] for p in PRODUCTS)

# fmt: off
FIRST_NAMES = (
    "Agus", "Ahmad", "Andi", "Ani", "Arif", "Ayu", "Bambang", "Budi", "Cahya", "Dedi", "Dewi",
    "Dian", "Eko", "Endang", "Fajar", "Fitri", "Gita", "Hadi", "Hendra", "Ida", "Indah", "Joko",
    "Kartika", "Lestari", "Lina", "Made", "Maria", "Muhammad", "Nanang", "Nur", "Nyoman", "Putri",
    "Rahmat", "Rina", "Rizky", "Rudi", "Sari", "Siti", "Slamet", "Sri", "Suharto", "Sutrisno",
    "Teguh", "Tri", "Wahyu", "Wati", "Wayan", "Yanti", "Yogi", "Yusuf", "Ma'ruf", "Ketut",
)
LAST_NAMES = (
    "Hidayat", "Santoso", "Wijaya", "Saputra", "Lestari", "Pratama", "Kusuma", "Setiawan",
    "Gunawan", "Susanto", "Rahmawati", "Hartono", "Nugroho", "Sembiring", "Siregar", "Nasution",
    "Simanjuntak", "Harahap", "Lubis", "Wibowo", "Purnomo", "Suryadi", "Halim", "Tanjung",
    "Kurniawan", "Handayani", "Permana", "Utomo", "Firmansyah", "Ginting", "Pohan", "Manurung",
)
TITLES_AFTER = (", S.E.", ", S.H.", ", S.Kom.", ", S.T.", ", M.M.", ", S.Pd.")
TITLES_BEFORE = ("H. ", "Hj. ", "Ir. ", "dr. ")
COMPANY_WORDS = (
    "Maju", "Jaya", "Sinar", "Abadi", "Karya", "Mandiri", "Sumber", "Rejeki", "Berkah", "Sentosa",
    "Makmur", "Cahaya", "Bintang", "Mulia", "Putra", "Sejahtera", "Nusantara", "Prima", "Agung",
)
# fmt: on

FACILITIES_PER_CUSTOMER = (1, 2, 3, 4)
FACILITY_WEIGHTS = (60, 25, 10, 5)

# Per-facility DPD profiles and their cumulative probabilities.
CURRENT, SLIPPING, RECOVERING, CHRONIC, RESTRUCTURED = range(5)
PROFILE_CUTS = ((0.87, CURRENT), (0.90, SLIPPING), (0.94, RECOVERING), (0.955, CHRONIC))
LATE_START, LATE_AGAIN = 0.02, 0.75  # a current payer's chance to be late, and late again
LATE_SHARE = LATE_START / (LATE_START + 1 - LATE_AGAIN)  # the steady share of late payers
SAME_PROFILE_AS_CUSTOMER = 0.6  # distress runs in debtors, not in single accounts
FILE_KOL_WORSE = 0.008  # bank judgement: file Kol set worse than the DPD Kol
FILE_KOL_FILLED = 0.10  # facilities whose file Kol is filled even when it equals the DPD Kol
PREPAY_PER_MONTH = 0.002
REVOLVING_YEARS = 4  # working-capital lines roll over yearly for up to this long
REASSIGN_PER_MONTH = 0.001


def as_of_dates(end: date, months: int) -> list[date]:
    """The `months` as-of dates ending at `end`: month ends (or the same day of each month)."""
    last_day = end.day == _days_in_month(end.year, end.month)
    dates = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(end.year * 12 + end.month - 1 - back, 12)
        month += 1
        dim = _days_in_month(year, month)
        dates.append(date(year, month, dim if last_day else min(end.day, dim)))
    return dates


def listing_name(as_of: date, fmt: str = "csv") -> str:
    """File name of the listing of an as-of date."""
    return f"listing_{as_of.isoformat()}.{fmt}"


def officer_branches(
    officers: int | None = None,
    branches: int | None = None,
    officer_codes: Sequence[str] | Mapping[str, str] | None = None,
    rows: int = 1000,
) -> dict[str, str]:
    """Officer code → branch code: the given codes, or AO0001… spread round-robin over BR001…."""
    if isinstance(officer_codes, Mapping):
        return dict(officer_codes)
    if officer_codes:
        codes = list(officer_codes)
    else:
        count = officers or max(1, rows // 400)
        width = max(4, len(str(count)))
        codes = [f"AO{n:0{width}d}" for n in range(1, count + 1)]
    branch_count = branches or max(1, math.ceil(len(codes) / 8))
    width = max(3, len(str(branch_count)))
    return {code: f"BR{i % branch_count + 1:0{width}d}" for i, code in enumerate(codes)}


def generate_listings(
    out_dir: str | Path,
    rows: int = 1000,
    months: int = 1,
    end: date = date(2026, 10, 31),
    officer_codes: Sequence[str] | Mapping[str, str] | None = None,
    seed: int = 1,
    *,
    officers: int | None = None,
    branches: int | None = None,
    fmt: str = "csv",
    lang: str = "en",
    decimal: str | None = None,
    date_format: str | None = None,
    bom: bool = False,
    xlsx_cells: str = "text",
) -> list[Path]:
    """Write `months` listings ending at `end` into `out_dir`; return their paths in date order.

    The last listing holds exactly `rows` facilities; earlier ones hold about as many (facilities
    mature or are paid off, new ones start). The same seed gives the same rows in every format.
    `officer_codes` (a list, or a mapping code → branch code) replaces the generated AO0001….
    An `officers.csv` next to the listings maps every officer code to its branch code.
    """
    if rows < 1 or months < 1:
        raise ValueError("rows and months must be at least 1")
    if fmt not in ("csv", "xlsx"):
        raise ValueError("fmt must be csv or xlsx")
    if lang not in HEADERS:
        raise ValueError("lang must be en or id")
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        raise ValueError(f"an XLSX sheet holds at most {XLSX_MAX_ROWS:,} rows")
    delimiter, default_decimal, default_dates = LANG_CONVENTIONS[lang]
    decimal = decimal or default_decimal
    date_format = date_format or default_dates
    if decimal not in ("dot", "comma") or date_format not in ("iso", "dmy"):
        raise ValueError("decimal is dot|comma, date_format is iso|dmy")
    if xlsx_cells not in ("text", "typed"):
        raise ValueError("xlsx_cells is text|typed")

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    branch_of = officer_branches(officers, branches, officer_codes, rows)
    _write_officers(out / "officers.csv", branch_of)
    dates = as_of_dates(end, months)
    paths = [out / listing_name(d, fmt) for d in dates]
    typed = fmt == "xlsx" and xlsx_cells == "typed"
    cells = _Cells(decimal, date_format, typed)

    with ExitStack() as stack:
        sinks = [
            stack.enter_context(
                _XlsxSink(p, HEADERS[lang], lang)
                if fmt == "xlsx"
                else _CsvSink(p, HEADERS[lang], delimiter, bom)
            )
            for p in paths
        ]
        _Generator(random.Random(seed), dates, list(branch_of), cells).run(rows, sinks)
    return paths


def _write_officers(path: Path, branch_of: Mapping[str, str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("officer_code", "branch_code"))
        writer.writerows(sorted(branch_of.items()))


def read_officers(path: str | Path) -> dict[str, str]:
    """Officer code → branch code from an `officers.csv` written by the generator."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {row["officer_code"]: row["branch_code"] for row in csv.DictReader(handle)}


class _CsvSink:
    """One listing as CSV, written row by row."""

    def __init__(self, path: Path, headers: Sequence[str], delimiter: str, bom: bool):
        self.path, self.headers, self.delimiter = path, headers, delimiter
        self.encoding = "utf-8-sig" if bom else "utf-8"

    def __enter__(self):
        self.handle = self.path.open("w", newline="", encoding=self.encoding)
        writer = csv.writer(self.handle, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow(self.headers)
        self.write = writer.writerow
        return self

    def __exit__(self, *exc):
        self.handle.close()


class _XlsxSink:
    """One listing as XLSX (first sheet), streamed with openpyxl's write-only mode."""

    def __init__(self, path: Path, headers: Sequence[str], lang: str):
        self.path, self.headers = path, headers
        self.title = "Nominatif" if lang == "id" else "Listing"

    def __enter__(self):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        sheet = self.book.create_sheet(self.title)
        sheet.append(list(self.headers))
        self.write = sheet.append
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.book.save(self.path)
        else:
            self.book.close()


class _Cells:
    """How values are written: text in the file's conventions, or typed cells (XLSX)."""

    SWAP = str.maketrans(",.", ".,")

    def __init__(self, decimal: str, date_format: str, typed: bool):
        if typed:
            self.money = self.rate = _round2
            self.date = _same
            self.int = _same
            self.kol = _same
            return
        self.money = _money_comma if decimal == "comma" else _money_dot
        self.rate = _rate_comma if decimal == "comma" else _money_dot
        self.date = _dmy if date_format == "dmy" else date.isoformat
        self.int = str
        self.kol = _kol_text


def _round2(value: float) -> float:
    return round(value, 2)


def _same(value):
    return value


def _money_dot(value: float) -> str:
    return f"{value:.2f}"


def _money_comma(value: float) -> str:
    return f"{value:,.2f}".translate(_Cells.SWAP)


def _rate_comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _dmy(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _kol_text(value: int | None) -> str:
    return "" if value is None else str(value)


_DIM = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DIM[month - 1]


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _instalments_due(start: date, as_of: date, tenor: int) -> int:
    """Instalments (monthly, on the start day) that fell due strictly before `as_of`."""
    count = (as_of.year - start.year) * 12 + as_of.month - start.month
    if min(start.day, _days_in_month(as_of.year, as_of.month)) >= as_of.day:
        count -= 1
    return 0 if count < 0 else (tenor if count > tenor else count)


def dpd_kol(dpd: int) -> int:
    """Kol of a DPD under the OJK default bands (the generator's own copy, see KOL_MIN_DPD)."""
    return bisect_right(KOL_MIN_DPD, dpd)


class _Generator:
    """Draws customers and facilities, plans each facility's months, writes its rows."""

    def __init__(self, rng: random.Random, dates: list[date], officer_codes: list[str], cells):
        self.rng = rng
        self.random = rng.random
        self.randrange = rng.randrange
        self.dates = dates
        self.months = len(dates)
        self.window = len(dates) - 1  # month gaps between the first and the last listing
        self.first, self.end = dates[0], dates[-1]
        self.officer_codes = officer_codes
        self.cells = cells
        self.customer_no = 0
        self.facility_no = 0

    def run(self, rows: int, sinks: list) -> None:
        """Write customers until the last listing holds exactly `rows` facilities."""
        live = 0
        choices, random_ = self.rng.choices, self.random
        while live < rows:
            self.customer_no += 1
            company = random_() < 0.08
            customer = self._customer(company)
            count = choices(FACILITIES_PER_CUSTOMER, FACILITY_WEIGHTS)[0]
            profile = self._profile()
            for _ in range(count):
                if live >= rows:
                    break
                own = profile if random_() < SAME_PROFILE_AS_CUSTOMER else self._profile()
                live += self._facility(customer, company, own, sinks)

    def _customer(self, company: bool) -> tuple:
        """CIF, name and the officer on every listing date (rarely reassigned mid-way)."""
        rr, random_ = self.randrange, self.random
        cif = f"{(self.customer_no * 104_729 + 7_000_003) % 10**10:010d}"
        if company:
            first, second = (COMPANY_WORDS[rr(len(COMPANY_WORDS))] for _ in range(2))
            name = f"{'PT' if random_() < 0.5 else 'CV'} {first} {second}"
        else:
            name = f"{FIRST_NAMES[rr(len(FIRST_NAMES))]} {LAST_NAMES[rr(len(LAST_NAMES))]}"
            title = random_()
            if title < 0.05:
                name += TITLES_AFTER[rr(len(TITLES_AFTER))]
            elif title < 0.08:
                name = TITLES_BEFORE[rr(len(TITLES_BEFORE))] + name
        officers = self.officer_codes
        officer = officers[rr(len(officers))]
        by_month = [officer] * self.months
        if self.window and len(officers) > 1 and random_() < REASSIGN_PER_MONTH * self.window:
            moved = officers[rr(len(officers))]
            for t in range(rr(1, self.months), self.months):
                by_month[t] = moved
        return cif, name, by_month

    def _profile(self) -> int:
        draw = self.random()
        for cut, profile in PROFILE_CUTS:
            if draw < cut:
                return profile
        return RESTRUCTURED

    def _product(self, company: bool) -> tuple:
        weights = [p[2] if company else p[1] for p in PRODUCTS]
        return self.rng.choices(PRODUCTS, weights)[0]

    def _facility(self, customer: tuple, company: bool, profile: int, sinks: list) -> int:
        """Draw one facility, write its rows; 1 when it is on the last listing, else 0."""
        random_, rr = self.random, self.randrange
        code, _wi, _wc, low, high, unit, rate_low, rate_high, tenors, revolving, digit = (
            self._product(company)
        )
        self.facility_no += 1
        account = f"00{digit}{(self.facility_no * 7919 + 1_234_567) % 10**10:010d}"
        plafond = max(unit, round(math.exp(random_() * math.log(high / low)) * low / unit) * unit)
        rate = round(rate_low + random_() * (rate_high - rate_low), 2)
        tenor = tenors[rr(len(tenors))]
        end, window = self.end, self.window

        closes_after = None  # index of the last listing holding a facility paid off early
        if revolving:
            # Working-capital lines roll over yearly: original start, maturity past the end.
            start = end - timedelta(days=rr(1, REVOLVING_YEARS * 365 + 1))
            tenor = 12 * ((end - start).days // 365 + 1)
            maturity = _add_months(start, tenor)
            if maturity <= end:
                tenor += 12
                maturity = _add_months(start, tenor)
            matured = False
        else:
            matured = window > 0 and random_() < window / (tenor + window)
            if matured:  # paid off at maturity inside the window: in the earlier listings only
                maturity = self.first + timedelta(days=rr(1, (end - self.first).days + 1))
                start = _add_months(maturity, -tenor)
                profile = CURRENT
            else:
                span = (end - _add_months(end, -tenor)).days
                start = end - timedelta(days=rr(0, span - 1))
                maturity = _add_months(start, tenor)
                while maturity <= end:
                    start += timedelta(days=3)
                    maturity = _add_months(start, tenor)
        # Lines not renewed and loans paid off early leave after a listing inside the window.
        leaves = (
            window / (REVOLVING_YEARS * 12 + window) if revolving else PREPAY_PER_MONTH * window
        )
        if window and not matured and random_() < leaves:
            closes_after = rr(window)
            profile = CURRENT

        missed, restructured_from = self._plan(profile)
        if (
            restructured_from
            and _instalments_due(start, self.dates[restructured_from - 1], tenor) < 1
        ):
            missed, restructured_from = [0] * self.months, None  # too young to have been in arrears
        kol_from = rr(self.months) if random_() < FILE_KOL_WORSE else None
        kol_filled = random_() < FILE_KOL_FILLED
        extended = (
            _add_months(maturity, 12 * (1 + rr(2))) if restructured_from is not None else None
        )

        cells = self.cells
        money, fdate, fint, fkol = cells.money, cells.date, cells.int, cells.kol
        cif, name, officer_by_month = customer
        plafond_text, rate_text = money(plafond), cells.rate(rate)
        start_text, maturity_text = fdate(start), fdate(maturity)
        extended_text = fdate(extended) if extended is not None else None
        r = rate / 1200
        growth = 1 + r
        growth_n = growth**tenor
        instalment = plafond * r * growth_n / (growth_n - 1)
        usage = 0.55 + 0.45 * random_()
        capitalised = 0

        on_last = 0
        for t, as_of in enumerate(self.dates):
            if (
                as_of < start
                or as_of >= maturity
                or (closes_after is not None and t > closes_after)
            ):
                continue
            due = _instalments_due(start, as_of, tenor)
            m = missed[t]
            if m > due:
                m = due
            restructured = restructured_from is not None and t >= restructured_from
            if restructured and t == restructured_from and t > 0:  # arrears join the balance
                capitalised = min(missed[t - 1], _instalments_due(start, self.dates[t - 1], tenor))
            if m:
                oldest = _add_months(start, due - m + 1)
                dpd = (as_of - oldest).days
            else:
                dpd = 0
            if revolving:
                usage = min(1.0, max(0.3, usage + (random_() - 0.5) * 0.1))
                outstanding = plafond * usage
                arrears_principal = 0.0
                arrears_interest = m * outstanding * r
            else:
                paid = due - m - capitalised
                if paid < 0:
                    paid = 0
                outstanding = plafond * (growth_n - growth**paid) / (growth_n - 1)
                after = plafond * (growth_n - growth ** (paid + m)) / (growth_n - 1)
                arrears_principal = outstanding - after
                arrears_interest = m * instalment - arrears_principal
            kol = None
            if kol_from is not None and t >= kol_from:
                own = dpd_kol(dpd)
                kol = own + 1 + (random_() < 0.3) if own < 5 else 5
                kol = min(kol, 5)
            elif kol_filled:
                kol = dpd_kol(dpd)
            sinks[t].write(
                (
                    account,
                    cif,
                    name,
                    officer_by_month[t],
                    code,
                    plafond_text,
                    money(outstanding),
                    money(arrears_principal),
                    money(arrears_interest),
                    fint(dpd),
                    fkol(kol),
                    rate_text,
                    start_text,
                    extended_text if restructured else maturity_text,
                    "Y" if restructured else "N",
                )
            )
            if t == window:
                on_last = 1
        return on_last

    def _plan(self, profile: int) -> tuple[list[int], int | None]:
        """Missed instalments on each listing date, and the month a restructuring applies from."""
        months, random_, rr = self.months, self.random, self.randrange
        missed = [0] * months
        restructured_from = None
        if profile == CURRENT:  # late at a month end now and then, the same payers again
            late = random_() < LATE_SHARE
            for t in range(months):
                late = random_() < (LATE_AGAIN if late else LATE_START)
                if late:
                    missed[t] = 2 if random_() < 0.1 else 1
        elif profile == SLIPPING:
            first_missed = rr(-2, months)  # stops paying from this listing on
            for t in range(max(first_missed, 0), months):
                missed[t] = t - first_missed + 1
        elif profile == RECOVERING:
            level = rr(1, 7)
            paid_up = rr(1, months + 1) if months > 1 else 1
            for t in range(months):
                if t >= paid_up:
                    missed[t] = 1 if random_() < 0.1 else 0
                else:
                    missed[t] = level
                    level += random_() < 0.5
        elif profile == CHRONIC:
            level = rr(7, 37)
            for t in range(months):
                missed[t] = level
                level += random_() < 0.85
        else:  # RESTRUCTURED: within the window after slipping, or before it
            if months > 1 and random_() < 0.5:
                restructured_from = rr(1, months)
                level = rr(2, 6)
                for t in range(restructured_from):
                    missed[t] = level
                    level += 1
            else:
                restructured_from = 0
            for t in range(restructured_from + 1, months):  # arrears settled on restructuring
                missed[t] = 1 if random_() < 0.08 else 0
        return missed, restructured_from


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_listing",
        description="Generate realistic month-end loan listings (one file per as-of date).",
    )
    parser.add_argument("--rows", type=int, default=1000, help="facilities on the last listing")
    parser.add_argument("--months", type=int, default=1, help="month-end listings to write")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--officers", type=int, help="officer codes AO0001… (default rows/400)")
    parser.add_argument("--officer-codes", help="existing officer codes, comma-separated")
    parser.add_argument("--branches", type=int, help="branches BR001… (default officers/8)")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", dest="fmt")
    parser.add_argument("--lang", choices=("en", "id"), default="en")
    parser.add_argument("--decimal", choices=("dot", "comma"), help="override the language's")
    parser.add_argument("--date-format", choices=("iso", "dmy"), help="override the language's")
    parser.add_argument("--bom", action="store_true", help="start CSV files with a UTF-8 BOM")
    parser.add_argument(
        "--xlsx-cells",
        choices=("text", "typed"),
        default="text",
        help="XLSX cells as text in the file's conventions, or as numbers and dates",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out/listings"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    args = _parse_args(argv)
    codes = (
        [c.strip() for c in args.officer_codes.split(",") if c.strip()]
        if args.officer_codes
        else None
    )
    began = time.perf_counter()
    try:
        paths = generate_listings(
            args.out,
            rows=args.rows,
            months=args.months,
            end=args.end,
            officer_codes=codes,
            seed=args.seed,
            officers=args.officers,
            branches=args.branches,
            fmt=args.fmt,
            lang=args.lang,
            decimal=args.decimal,
            date_format=args.date_format,
            bom=args.bom,
            xlsx_cells=args.xlsx_cells,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - began
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e6:,.1f} MB")
    print(f"{len(paths)} listing(s), {args.rows:,} facilities on {args.end}, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
