"""The loan import writes the month-end aggregates of its date in its own transaction, and every
later change of positions keeps them equal to the positions: a re-import of the date, a
back-dated import (the next listing's comparison moves), a restructured flag set by a listing (Loan
at Risk on earlier dates), a Kol upgrade, a facility moved to another product (its customer's
relationship rows on every stored pair). On SQLite and on PostgreSQL (month partitions)."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope
from aoapp.credit.migration import joined_cells, kol_migration
from aoapp.credit.rollups import ROLLUPS
from aoapp.credit.upgrades import upgrade_kol
from aoapp.extensions import db
from aoapp.funding import relationship as rel
from aoapp.funding.held import listings_on
from aoapp.funding.relationship_rows import PAIRS
from aoapp.funding.stored_relationship import stepped, stored
from tests.support import deposit_listings as D
from tests.support import listings as L
from tests.support.factories import make_product
from tests.support.listings import line
from tests.support.rollups import assert_bank_figures_agree, assert_rollups_are_the_positions

D1, D2, D3 = date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31)


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def load(tmp_path, world):
    importer = L.Importer(tmp_path, world.admin)

    def run(rows, as_of, **options):
        outcome = importer.csv(rows, as_of, **options)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        return outcome

    return run


@pytest.fixture
def funds(tmp_path, world):
    """Import a deposits listing of `rows` for `as_of` (it must succeed)."""
    importer = D.Importer(tmp_path, world.admin)

    def run(rows, as_of):
        outcome = importer.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)

    return run


def _book(ao, other, dpd=0, restructured=False) -> list[dict]:
    return [
        line("A", "CIF1", ao, dpd=dpd, restructured=restructured),
        line("B", "CIF3", other, dpd=100, outstanding=Decimal("1000.50")),
        line("C", "CIF2", ao, dpd=40, outstanding=Decimal("250.25")),
    ]


def _stored(as_of: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(ROLLUPS.c.as_of == as_of))


def test_an_import_a_reimport_and_a_backdated_import_keep_the_rollups(ao, world, load):
    other = world.colleague.officer_code
    load(_book(ao, other), D1)
    load(_book(ao, other, dpd=95), D3)
    assert _stored(D1) == 2 and _stored(D3) == 2  # one row per (officer, branch)
    assert_rollups_are_the_positions()

    again = _book(ao, other, dpd=130)[:2]  # the same date again, one account fewer
    outcome = load(again, D3)
    assert outcome.record.summary["kol_distribution"] == {
        "4": {"count": 1, "outstanding": "400000000.00"},
        "3": {"count": 1, "outstanding": "1000.50"},
    }
    assert_rollups_are_the_positions()

    load(_book(ao, other, dpd=100), D2)  # back-dated: D3's previous Kol is now D2's
    db.session.expire_all()
    assert L.positions(D3)["A"].prev_kol == 3
    assert_rollups_are_the_positions()
    assert_bank_figures_agree(world.admin, [D1, D2, D3])
    bank = resolve_scope(world.admin)
    for before, as_of in ((D1, D2), (D2, D3)):  # the Kol migration from the aggregates ...
        matrix = kol_migration(bank, before, as_of)
        assert matrix.cells == joined_cells(bank, before, as_of)  # ... is the two dates joined
        assert matrix.cells


def test_a_listing_that_restructures_a_facility_changes_earlier_dates_loan_at_risk(ao, world, load):
    other = world.colleague.officer_code
    load(_book(ao, other), D1)
    load(_book(ao, other, restructured=True), D2)  # A restructured from now on
    assert_rollups_are_the_positions()
    assert_bank_figures_agree(world.admin, [D1, D2])


def test_a_kol_upgrade_after_an_import_rewrites_the_dates_rollups(ao, world, load):
    load([line("A", "CIF1", ao, dpd=150, restructured=True)], D1)
    load([line("A", "CIF1", ao, dpd=0, restructured=True)], D2)  # held at Kol 4
    upgrade_kol(world.supervisor, L.facility("A"), 2, "Paid on time for three months.")
    assert_rollups_are_the_positions()
    assert_bank_figures_agree(world.admin, [D1, D2])


def test_a_listing_that_moves_a_facility_to_another_product_rewrites_its_relationship_rows(
    ao, world, load, tmp_path
):
    """The relationship figures count a facility's product: a listing naming another product
    for it moves its customer's products on every stored pair (as read live)."""
    make_product("GIRO", kind="deposit", subtype=None)
    funds = D.Importer(tmp_path, world.admin)
    load([line("A", "CIF1", ao), line("B", "CIF1", ao, product_code="KUR")], D1)
    assert funds.csv([D.line("T1", "CIF1", ao)], D1).ok
    bank, may = resolve_scope(world.admin), listings_on(D1)
    assert rel.scope_relationship(bank, may).products_held == 3  # KMK, KUR, tabungan
    load([line("A", "CIF1", ao, product_code="KUR"), line("B", "CIF1", ao, product_code="KUR")], D2)
    assert_rollups_are_the_positions()
    assert stored(may) and rel.scope_relationship(bank, may).products_held == 2


def test_the_relationship_pairs_follow_both_listings(ao, world, load, funds):
    """Each import stores the pair of its date and of every later listing date reading it, and
    drops the pairs on its date first: a deposits listing after its loans, a back-dated deposits
    listing (June's loans read May's funds), re-imports of either; the relationship figures read
    from the pairs equal the live ones."""
    for code in ("GIRO", "DEP"):  # TAB and the credit products: the `ao` fixture's catalogue
        make_product(code, kind="deposit", subtype=None)
    other = world.colleague.officer_code
    load(_book(ao, other), D1)
    funds([D.line("T1", "CIF1", ao), D.line("T2", "CIF9", other)], D1)
    load(_book(ao, other, dpd=40), D2)  # June's pair reads May's funds
    assert_rollups_are_the_positions()
    funds([D.line("T1", "CIF1", ao, product_code="GIRO")], D1)  # May again: T2 closed
    load([line("A", "CIF1", ao, product_code="KUR")], D2)  # June again, one account
    funds([D.line("T1", "CIF1", ao), D.line("P1", "CIF2", ao, product_code="DEP")], D3)
    assert_rollups_are_the_positions()
    pairs = set(db.session.execute(sa.select(PAIRS)).tuples())
    assert {(D1, D1), (D2, D1), (D2, D3)} <= pairs
    bank = resolve_scope(world.admin)
    for day, since in ((D2, D1), (D3, D2)):
        listings, start = listings_on(day), listings_on(since)
        assert stored(listings)
        fast = rel.scope_relationship(bank, listings, start)
        with rollup_reads.live():
            assert fast == rel.scope_relationship(bank, listings, start), day


def test_a_month_of_loans_then_deposits_leaves_one_pair_and_its_step(ao, world, load, funds):
    """The usual month: its loan listing first (stored with the month before's funds), then its
    deposits listing. That first pair is then read by no day: it goes, and the month's retention
    and lost customers read the step between the two month-ends, equal to the live figures."""
    other = world.colleague.officer_code
    load(_book(ao, other), D1)
    funds([D.line("T1", "CIF1", ao), D.line("T2", "CIF9", other)], D1)
    load(_book(ao, other)[:2], D2)  # CIF2 repaid in June
    assert (D2, D1) in set(db.session.execute(sa.select(PAIRS)).tuples())
    funds([D.line("T1", "CIF1", ao)], D2)  # CIF9 closed its tabungan
    assert set(db.session.execute(sa.select(PAIRS)).tuples()) == {(D1, D1), (D2, D2)}
    start, end = listings_on(D1), listings_on(D2)
    assert stepped(start, end)
    for scope in (resolve_scope(world.admin), resolve_scope(world.officer)):
        fast = (
            rel.scope_relationship(scope, end, start),
            rel.lost_customers(scope.condition, start, end),
        )
        with rollup_reads.live():
            live = (
                rel.scope_relationship(scope, end, start),
                rel.lost_customers(scope.condition, start, end),
            )
        assert fast == live, scope.label
    bank = rel.scope_relationship(resolve_scope(world.admin), end, start).retention
    assert (bank.customers_start, bank.customers_retained) == (4, 2)  # CIF2 and CIF9 left
