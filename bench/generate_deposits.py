"""Generate realistic deposits listings (daftar nominatif simpanan) of any size, one per month-end.

Each listing has one row per open deposit account on its as-of date, in the import's format
(English or Indonesian headers and conventions, CSV or XLSX). Given a loan listing (`--loans`),
its borrowers are the first depositors, with their CIF, name and officer: most hold a tabungan,
companies a giro, some a deposito. Depositors who hold no loan follow, with 1–3 accounts each.
Balances move month to month, a few accounts turn dormant or blocked, some close (they leave later
listings) and new ones open; a deposito rolls over at maturity (ARO) or is paid out and closes.

Rows are streamed to every month's file at once, as `generate_listing` does, so memory stays flat
(the borrowers of the loan listing are read first: ≈ 100 MB for a 1M-row loan listing).

    .venv/bin/python -m bench.generate_deposits --rows 1000000 --loans bench/out/listings/.../listing_2026-10-31.csv
    .venv/bin/python -m bench.generate_deposits --rows 500 --months 12 --lang id --format xlsx
"""

import argparse
import csv
import math
import random
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

from bench.generate_listing import (
    COMPANY_WORDS,
    FIRST_NAMES,
    LANG_CONVENTIONS,
    LAST_NAMES,
    _add_months,
    _Cells,
    _CsvSink,
    _write_officers,
    _XlsxSink,
    as_of_dates,
    officer_branches,
    read_officers,
)

EN_HEADERS = (
    "account_no", "cif", "customer_name", "officer_code", "branch_code", "product_code", "kind",
    "currency", "balance", "average_balance", "interest_rate", "open_date", "maturity_date",
    "tenor_months", "aro", "status",
)  # fmt: skip
ID_HEADERS = (
    "no_rekening", "cif", "nama_nasabah", "kode_ao", "kode_cabang", "kode_produk", "jenis",
    "mata_uang", "saldo", "saldo_rata_rata", "suku_bunga", "tgl_buka", "tgl_jatuh_tempo",
    "jangka_waktu", "aro", "status",
)  # fmt: skip
HEADERS = {"en": EN_HEADERS, "id": ID_HEADERS}
STATUS_WORDS = {
    "en": {"active": "active", "dormant": "dormant", "blocked": "blocked"},
    "id": {"active": "aktif", "dormant": "pasif", "blocked": "blokir"},
}
# code, kind, balance median (IDR), spread (log), rate min and max (% p.a.), account digit.
PRODUCTS = {
    "TABUNGAN": ("tabungan", 8e6, 1.6, 0.5, 2.5, 1),
    "GIRO": ("giro", 150e6, 1.5, 0.0, 2.0, 2),
    "DEPOSITO": ("deposito", 250e6, 1.2, 3.0, 6.25, 3),
}
TENORS = (1, 3, 6, 12, 24)
BORROWER_TABUNGAN, BORROWER_GIRO_COMPANY, BORROWER_DEPOSITO = 0.85, 0.6, 0.08
ACCOUNTS_PER_DEPOSITOR, ACCOUNT_WEIGHTS = (1, 2, 3), (70, 22, 8)
CLOSE_PER_MONTH, DORMANT, BLOCKED, ARO_SHARE = 0.006, 0.04, 0.003, 0.7
DEPOSITOR_ONLY_FROM = 50_000_000  # customer numbers of depositors who hold no loan
GENERATOR_VERSION = 1


def listing_name(as_of: date, fmt: str = "csv") -> str:
    """File name of the deposits listing of an as-of date."""
    return f"deposits_{as_of.isoformat()}.{fmt}"


def read_borrowers(path: str | Path) -> list[tuple[str, str, str]]:
    """(CIF, name, officer code) of every customer of a generated loan listing (CSV), in order."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        seen: dict[str, tuple[str, str, str]] = {}
        for row in csv.reader(handle, delimiter=delimiter):
            seen.setdefault(row[1], (row[1], row[2], row[3]))
    return list(seen.values())


def generate_deposits(
    out_dir: str | Path,
    rows: int = 1000,
    months: int = 1,
    end: date = date(2026, 10, 31),
    seed: int = 1,
    *,
    loans: str | Path | None = None,
    officer_codes: Sequence[str] | None = None,
    fmt: str = "csv",
    lang: str = "en",
) -> list[Path]:
    """Write `months` deposits listings ending at `end` into `out_dir`; the paths in date order.

    The last listing holds exactly `rows` accounts. Officers: the loan listing's `officers.csv`
    beside it, else `officer_codes`, else AO0001… (as `generate_listing`).
    """
    if rows < 1 or months < 1:
        raise ValueError("rows and months must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    borrowers = read_borrowers(loans) if loans else []
    officers_csv = Path(loans).parent / "officers.csv" if loans else None
    if officers_csv and officers_csv.exists():
        branch_of = read_officers(officers_csv)
    else:
        branch_of = officer_branches(officer_codes=officer_codes, rows=rows)
    if not (out / "officers.csv").exists():
        _write_officers(out / "officers.csv", branch_of)
    delimiter, decimal, date_format = LANG_CONVENTIONS[lang]
    dates = as_of_dates(end, months)
    paths = [out / listing_name(d, fmt) for d in dates]
    with ExitStack() as stack:
        sinks = [
            stack.enter_context(
                _XlsxSink(p, HEADERS[lang], lang)
                if fmt == "xlsx"
                else _CsvSink(p, HEADERS[lang], delimiter, False)
            )
            for p in paths
        ]
        generator = _Deposits(
            random.Random(seed), dates, branch_of, _Cells(decimal, date_format, False), lang
        )
        generator.run(rows, borrowers, sinks)
    return paths


class _Deposits:
    """Draws depositors and their accounts, plans each account's months, writes its rows."""

    def __init__(self, rng, dates, branch_of, cells, lang):
        self.rng, self.random, self.rr = rng, rng.random, rng.randrange
        self.dates, self.window = dates, len(dates) - 1
        self.branch_of, self.officers = branch_of, list(branch_of)
        self.cells, self.words = cells, STATUS_WORDS[lang]
        self.account_no = 0

    def run(self, rows: int, borrowers: list, sinks: list) -> None:
        """Borrowers' accounts first, then depositors with no loan, until `rows` on the last."""
        live = 0
        for cif, name, officer in borrowers:
            company = name.startswith(("PT ", "CV "))
            chosen = []
            if self.random() < BORROWER_TABUNGAN:
                chosen.append("TABUNGAN")
            if company and self.random() < BORROWER_GIRO_COMPANY:
                chosen.append("GIRO")
            if self.random() < BORROWER_DEPOSITO:
                chosen.append("DEPOSITO")
            for code in chosen:
                if live >= rows:
                    return
                live += self._account((cif, name, officer), code, sinks)
        number = DEPOSITOR_ONLY_FROM
        while live < rows:
            number += 1
            depositor = self._depositor(number)
            count = self.rng.choices(ACCOUNTS_PER_DEPOSITOR, ACCOUNT_WEIGHTS)[0]
            for k in range(count):
                if live >= rows:
                    return
                code = "TABUNGAN" if k == 0 else ("DEPOSITO" if self.random() < 0.7 else "GIRO")
                live += self._account(depositor, code, sinks)

    def _depositor(self, number: int) -> tuple[str, str, str]:
        rr = self.rr
        cif = f"{(number * 104_729 + 7_000_003) % 10**10:010d}"  # the loan generator's CIFs
        if self.random() < 0.05:
            name = f"CV {COMPANY_WORDS[rr(len(COMPANY_WORDS))]} {COMPANY_WORDS[rr(len(COMPANY_WORDS))]}"
        else:
            name = f"{FIRST_NAMES[rr(len(FIRST_NAMES))]} {LAST_NAMES[rr(len(LAST_NAMES))]}"
        return cif, name, self.officers[rr(len(self.officers))]

    def _account(self, depositor: tuple, code: str, sinks: list) -> int:
        """Draw one account, write its rows; 1 when it is on the last listing, else 0."""
        kind, median, spread, rate_low, rate_high, digit = PRODUCTS[code]
        random_, rr, cells = self.random, self.rr, self.cells
        self.account_no += 1
        account = f"10{digit}{(self.account_no * 7919 + 4_321_987) % 10**10:010d}"
        first, end = self.dates[0], self.dates[-1]
        opened = end - timedelta(days=rr(0, 8 * 365))
        if self.window and random_() < 0.04:  # opened inside the window: joins a later listing
            opened = first + timedelta(days=rr(1, (end - first).days + 1))
        closes_after = (
            rr(self.window) if self.window and random_() < CLOSE_PER_MONTH * self.window else None
        )
        rate = round(rate_low + random_() * (rate_high - rate_low), 2)
        tenor = TENORS[rr(len(TENORS))] if kind == "deposito" else None
        aro = kind == "deposito" and random_() < ARO_SHARE
        if kind == "deposito" and not aro and closes_after is None and self.window:
            closes_after = rr(self.window + 1) if random_() < 0.3 else None  # paid out at maturity
        balance = math.exp(math.log(median) + spread * (random_() * 2 - 1) * 1.5)
        status = "active"
        if kind != "deposito" and random_() < DORMANT:
            status = "dormant"
        elif random_() < BLOCKED:
            status = "blocked"
        cif, name, officer = depositor
        branch = self.branch_of.get(officer, "")
        fixed = (cif, name, officer, branch, code, kind, "IDR")
        on_last = 0
        for t, as_of in enumerate(self.dates):
            if as_of < opened or (closes_after is not None and t > closes_after):
                continue
            previous = balance
            if kind != "deposito":
                balance = max(0.0, balance * (0.85 + 0.3 * random_()))
            maturity = self._maturity(opened, tenor, as_of) if tenor else None
            sinks[t].write(
                (
                    account, *fixed,
                    cells.money(balance),
                    cells.money((balance + previous) / 2) if kind != "deposito" else "",
                    cells.rate(rate),
                    cells.date(opened),
                    cells.date(maturity) if maturity else "",
                    str(tenor) if tenor else "",
                    ("Y" if aro else "N") if tenor else "",
                    self.words[status],
                )
            )  # fmt: skip
            on_last = int(t == self.window)
        return on_last

    @staticmethod
    def _maturity(opened: date, tenor: int, as_of: date) -> date:
        """The current term's maturity: the first roll-over date after `as_of`."""
        terms = ((as_of.year - opened.year) * 12 + as_of.month - opened.month) // tenor
        maturity = _add_months(opened, max(1, terms) * tenor)
        while maturity <= as_of:
            maturity = _add_months(maturity, tenor)
        return maturity


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_deposits",
        description="Generate realistic month-end deposits listings (one file per as-of date).",
    )
    parser.add_argument("--rows", type=int, default=1000, help="accounts on the last listing")
    parser.add_argument("--months", type=int, default=1, help="month-end listings to write")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--loans", type=Path, help="a loan listing (CSV): its borrowers first")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", dest="fmt")
    parser.add_argument("--lang", choices=("en", "id"), default="en")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out/deposits"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    args = _parse_args(argv)
    began = time.perf_counter()
    paths = generate_deposits(
        args.out,
        rows=args.rows,
        months=args.months,
        end=args.end,
        seed=args.seed,
        loans=args.loans,
        fmt=args.fmt,
        lang=args.lang,
    )
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e6:,.1f} MB")
    print(f"{len(paths)} listing(s), {args.rows:,} accounts on {args.end}, "
          f"{time.perf_counter() - began:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
