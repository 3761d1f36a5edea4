"""The bench's deposits listing generator: the loan listing's borrowers hold most of the accounts,
the last listing holds exactly the rows asked for, the same seed gives the same files, and its
listings import (after the loan listing of the same date) without an error."""

import csv
from collections import Counter
from datetime import date

import pytest

from aoapp.imports.services import run_import
from bench.generate_deposits import PRODUCTS, generate_deposits, read_borrowers
from bench.generate_listing import PRODUCTS as CREDIT
from bench.generate_listing import generate_listings
from tests.support.factories import make_product

END = date(2026, 10, 31)
SUBTYPES = {"KUR": "kur", "MULTIGUNA": "personal", "KKB": "vehicle", "KPR": "mortgage"}


@pytest.fixture
def listings(tmp_path, world):
    """Two months of an 80-row loan listing and a 150-row deposits listing, by ao.budi (JKT01)."""
    loans = generate_listings(
        tmp_path / "loans", rows=80, months=2, end=END, seed=3,
        officer_codes={world.officer.officer_code: "JKT01"},
    )  # fmt: skip
    deposits = generate_deposits(
        tmp_path / "deposits", rows=150, months=2, end=END, loans=loans[-1]
    )
    return loans, deposits


def rows(path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_borrowers_first_exact_rows_and_the_same_seed_the_same_files(listings, tmp_path):
    loans, deposits = listings
    last = rows(deposits[-1])
    assert len(last) == 150 and len({r["account_no"] for r in last}) == 150
    borrowers = {cif for cif, _name, _officer in read_borrowers(loans[-1])}
    shared = {r["cif"] for r in last} & borrowers
    assert len(shared) > 0.7 * len(borrowers)  # most borrowers hold a tabungan
    assert {r["cif"] for r in last} - borrowers  # and some depositors hold no loan
    assert set(Counter(r["kind"] for r in last)) == {"tabungan", "giro", "deposito"}
    deposito = [r for r in last if r["kind"] == "deposito"]
    assert all(r["maturity_date"] > "2026-10-31" and r["aro"] in ("Y", "N") for r in deposito)
    again = generate_deposits(tmp_path / "again", rows=150, months=2, end=END, loans=loans[-1])
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in deposits]


def test_the_listings_import_after_the_loan_listing(listings, world):
    for code, *_rest in CREDIT:
        make_product(code, subtype=SUBTYPES.get(code, "working_capital"))
    for code, (kind, *_spec) in PRODUCTS.items():
        make_product(code, kind="deposit", subtype=None, deposit_type=kind)
    for loan, deposit in zip(*listings, strict=True):
        as_of = date.fromisoformat(loan.stem.removeprefix("listing_"))
        assert run_import(loan, as_of).ok
        outcome = run_import(deposit, as_of, kind="deposits")
        assert outcome.ok, (outcome.record.shown_message, outcome.errors[:3])
    assert outcome.record.summary["customers_created"] < 150  # borrowers were customers already
