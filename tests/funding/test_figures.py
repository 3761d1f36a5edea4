"""Funding and relationship figures on the hand book (tests/support/funding.py): every number
computed by hand, for an officer, a branch and the bank, and true to its month."""

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.common.read_memo import remembering
from aoapp.credit import rollup_reads
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.funding import relationship as rel
from aoapp.funding import stored_relationship
from aoapp.funding.figures import scope_funding
from aoapp.funding.held import in_scope, listings_on
from aoapp.funding.matched_services import forget as forget_matches
from aoapp.funding.movements import maturing_rows, runoff_rows
from aoapp.kpis.officers import officer_kpis, scope_officers
from aoapp.kpis.periods import parse_period
from aoapp.kpis.relationship import lost_customers
from tests.support.funding import DEC31, NOV30, OCT31, SEP30, M, hand_book
from tests.support.statements import recorded

OCTOBER = parse_period("2026-10")


@pytest.fixture
def book(world):
    return hand_book(world)


def money(millions) -> Decimal:
    return (Decimal(str(millions)) * M).quantize(Decimal("0.01"))


class TestFunding:
    def test_an_officers_dpk_casa_growth_maturing_and_runoff(self, world, book):
        scope = resolve_scope(world.officer)
        f = scope_funding(scope, OCT31, maturing_from=OCT31)
        assert (f.dpk_total, f.giro, f.tabungan, f.deposito) == (
            money(500),
            money(50),
            money(150),
            money(300),
        )
        assert f.casa_ratio == Decimal("0.4000") and f.account_count == 4 and f.depositors == 3
        assert (f.previous_as_of, f.previous_total) == (SEP30, money(670))
        assert (f.growth_month, f.growth_month_ratio) == (money(-170), Decimal("-0.2537"))
        assert (f.year_start_as_of, f.growth_year, f.growth_year_ratio) == (
            DEC31,
            money(440),
            Decimal("7.3333"),
        )
        week, month = f.maturing_within(7), f.maturing_within(30)
        assert (week.count, week.amount, week.non_aro_count) == (1, money(300), 1)
        assert (month.count, month.amount) == (1, money(300))
        r = f.runoff
        assert (r.closed_count, r.closed_amount, r.dropped_count, r.dropped_amount) == (
            1,
            money(40),
            1,
            money(150),
        )

    def test_an_officers_scope_is_the_officers_row_read_once_per_block(self, world, book):
        """The officer dashboard asks for the officer's scope and the officer's KPIs: the same
        customers, so the same figures, and one cross-sell and one retention statement."""
        scope = resolve_scope(world.officer)
        end, start = listings_on(OCT31), listings_on(SEP30)
        with recorded() as seen, remembering():
            figures = rel.scope_relationship(scope, end, start)
            kpis = rel.officer_relationship([world.officer.id], end, start, scope.condition)
        assert kpis[world.officer.id] == {
            "relationship_customers": figures.customers,
            "products_held": figures.products_held,
            "customers_start": figures.retention.customers_start,
            "customers_retained": figures.retention.customers_retained,
        }
        assert (figures.customers, figures.retention.customers_retained) == (4, 4)
        assert len([s for s in seen if re.search(r"\bscoped AS\b", s)]) == 2  # cross-sell, keeping

    def test_branch_and_bank(self, world, book):
        jkt = scope_funding(resolve_scope(world.supervisor), OCT31, maturing_from=OCT31)
        assert (jkt.dpk_total, jkt.casa_ratio) == (money(1500), Decimal("0.1333"))
        month = jkt.maturing_within(30)
        assert (month.count, month.amount, month.non_aro_count) == (2, money(1300), 1)
        bank = scope_funding(resolve_scope(world.admin), OCT31)
        assert (bank.dpk_total, bank.casa_ratio) == (money(2100), Decimal("0.3810"))

    def test_lists_non_aro_first_and_largest_loss_first(self, world, book):
        scope = resolve_scope(world.supervisor)
        rows = maturing_rows(scope.condition, OCT31, OCT31, 30)
        assert [(r.account_no, r.aro) for r in rows] == [("D3", False), ("D6", True)]
        gone = runoff_rows(scope.condition, SEP30, OCT31, Decimal("0.5"))
        assert [(r.account_no, r.closed, r.balance, r.balance_now) for r in gone] == [
            ("T4", False, money(200), money(50)),
            ("T3", True, money(40), money(0)),
        ]


class TestRelationship:
    def test_an_officers_cross_sell_shares_and_retention(self, world, book):
        scope = resolve_scope(world.officer)
        r = rel.scope_relationship(scope, listings_on(OCT31), listings_on(SEP30))
        assert (r.customers, r.products_held, r.products_per_customer) == (4, 8, Decimal("2.0000"))
        assert (r.borrowers, r.borrowers_with_funding, r.borrowers_with_funding_share) == (
            2,
            2,
            Decimal("1.0000"),
        )
        assert (r.depositors, r.depositors_with_credit) == (3, 1)
        assert r.depositors_with_credit_share == Decimal("0.3333")
        t = r.retention
        assert (t.customers_start, t.customers_retained, t.rate) == (5, 4, Decimal("0.8000"))

    def test_branch_and_bank(self, world, book):
        jkt = rel.scope_relationship(resolve_scope(world.supervisor), listings_on(OCT31))
        assert (jkt.customers, jkt.products_held) == (5, 10)
        bank = rel.scope_relationship(resolve_scope(world.admin), listings_on(OCT31))
        assert (bank.customers, bank.products_per_customer) == (6, Decimal("2.1667"))

    def test_the_services_are_read_by_their_products_ids(self, world, book):
        """Filtered by their product's kind, PostgreSQL could not tell how few holdings are
        services: it read every holding of a branch's 5,000 customers to keep none (issue 22).
        By the service products' ids, the holdings' statistics tell it; the figures above say
        the services still count."""
        with recorded() as statements:
            rel.scope_relationship(resolve_scope(world.supervisor), listings_on(OCT31))
        reading = [s for s in statements if "FROM product_holdings" in s]
        assert reading
        assert all("product_holdings.product_id IN" in s for s in reading)

    def test_a_service_booked_where_its_holder_is_listed_is_added_to_the_rollups(self, world, book):
        """C4 holds mobile banking, booked to the officer its October row is booked to: the
        rollups count C4 with its service added (not customer by customer). Moved to another
        officer, then to another branch, C4 is read customer by customer, and the figures follow
        it as the live ones do, for the branch, each officer and per officer."""
        end, start = listings_on(OCT31), listings_on(SEP30)
        c4 = book.customers["C4"]
        branch = resolve_scope(world.supervisor)
        ids = [world.officer.id, world.colleague.id]

        def irregular() -> set[int]:
            where = in_scope(branch.condition)
            _regular, unmatched, anywhere = stored_relationship._services_in_scope(
                end, where, False
            )
            return set(stored_relationship._irregular(end, where, unmatched, anywhere))

        def both(call):
            found = call()
            with rollup_reads.live():
                return found, call()

        def figures(scope):
            return rel.scope_relationship(scope, end, start)

        assert c4.id not in irregular()
        fast, live = both(lambda: figures(branch))
        assert fast == live and (fast.customers, fast.products_held) == (5, 10)
        c4.officer_id = world.colleague.id
        db.session.commit()
        assert c4.id in irregular()
        for scope in (branch, resolve_scope(world.officer), resolve_scope(world.colleague)):
            fast, live = both(lambda scope=scope: figures(scope))
            assert fast == live, scope.label
        fast, live = both(lambda: rel.officer_relationship(ids, end, start, branch.condition))
        assert fast == live
        c4.officer_id, c4.branch_id = world.remote.id, world.remote.branch_id  # another branch
        db.session.commit()
        assert c4.id in irregular()  # its row is the branch's, its service is booked elsewhere
        fast, live = both(lambda: figures(branch))
        assert fast == live

    def test_lost_customers_with_what_they_held_and_the_last_contact(self, world, book):
        scope = resolve_scope(world.officer)
        lost = lost_customers(scope.condition, listings_on(SEP30), listings_on(OCT31))
        assert [(x.name, x.products, x.last_contact, x.last_channel) for x in lost] == [
            ("Salon Lima", "KMK F5", date(2026, 10, 10), "call")
        ]

    def test_without_a_deposits_listing_there_are_no_figures(self, world, book):
        r = rel.scope_relationship(resolve_scope(world.admin), listings_on(date(2025, 6, 30)))
        assert not r.available and r.products_per_customer is None and r.customers == 0


class TestPeriodTrue:
    def test_a_later_listing_changes_nothing_of_october(self, world, book):
        scope = resolve_scope(world.supervisor)
        f = scope_funding(scope, OCT31, maturing_from=OCT31)
        assert f.maturing_within(30).count == 2  # D6 rolled over in November: still due then
        r = rel.scope_relationship(scope, listings_on(OCT31), listings_on(SEP30))
        assert (r.customers, r.products_held, r.retention.customers_retained) == (5, 10, 5)
        later = rel.scope_relationship(scope, listings_on(NOV30), listings_on(OCT31))
        assert later.retention.customers_retained == 4  # C3 left in November


class TestOfficerKpis:
    def test_a_fixed_number_of_queries_whatever_the_officers(self, world, book):
        officers = scope_officers(resolve_scope(world.admin), OCT31)
        statements = []

        def count(*_args):
            statements.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            # One officer's relationship figures are read customer by customer (fewer statements
            # than the rollups' parts); two officers' or all of them, from the rollups. Each call
            # reads the services' match whole (PostgreSQL keeps it: funding/matched_services.py).
            officer_kpis(officers[:1], OCTOBER.start, OCTOBER.end, OCT31)
            one = len(statements)
            statements.clear()
            forget_matches()
            rows = officer_kpis(officers[:2], OCTOBER.start, OCTOBER.end, OCT31)
            two = len(statements)
            statements.clear()
            forget_matches()
            rows = officer_kpis(officers, OCTOBER.start, OCTOBER.end, OCT31)
            assert len(officers) > 2 and len(statements) == two > one
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        found = {row.username: row for row in rows}
        budi, dewi = found["ao.budi"], found["ao.dewi"]
        assert (budi.dpk, budi.cross_sell_ratio, budi.retention_rate) == (
            money(500),
            Decimal("2.0000"),
            Decimal("0.8000"),
        )
        assert (dewi.dpk, dewi.casa_ratio, dewi.relationship_customers) == (
            money(600),
            Decimal("1.0000"),
            2,
        )
