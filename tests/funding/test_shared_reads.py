"""A team page's relationship figures read the parts a scope and its officers share once: the
scope's services matched to the stored pairs' rows (the month's pair and retention's start in
one pass), and the holders who moved since the pair, are read for the whole scope and each
officer takes its part (funding/stored_relationship.py). Read together in one read block or
each alone, the figures are the same."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from aoapp.common.read_memo import remembering
from aoapp.credit.figures import resolve_scope
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.funding import relationship as rel
from aoapp.funding.held import category, in_scope, listings_on, service_products
from aoapp.funding.matched_services import forget as forget_matches
from aoapp.funding.matched_services import services_matched
from aoapp.funding.stored_relationship import stored
from aoapp.products.models import Product
from tests.support import holdings
from tests.support.factories import make_customer
from tests.support.funding import OCT31, deposit_product, hand_book
from tests.support.rollups import stored_and_live
from tests.support.statements import recorded


def _team_page(world, listings, start):
    branch = resolve_scope(world.supervisor)
    ids = [world.officer.id, world.colleague.id]
    return (
        rel.scope_relationship(branch, listings, start),
        rel.officer_relationship(ids, listings, start, branch.condition),
    )


def test_the_scope_and_its_officers_share_their_reads_and_keep_their_figures(world):
    book = hand_book(world)
    # C4 (ao.budi's row on 31 Oct, mobile banking recorded) is ao.sari's now: a moved holder.
    db.session.get(Customer, book.customers["C4"].id).officer_id = world.colleague.id
    db.session.commit()
    listings, start = listings_on(OCT31), rel.period_start(date(2026, 10, 1))
    assert stored(listings) and stored(start)

    with recorded() as alone_statements:
        alone = _team_page(world, listings, start)
    db.session.rollback()
    forget_matches()  # PostgreSQL keeps the match between reads (funding/matched_services.py)
    with recorded() as shared_statements, remembering():
        together = _team_page(world, listings, start)

    assert together == alone
    scope, officers = together
    assert (scope.customers, scope.products_held) == (5, 10)
    # ao.budi keeps C1–C4 by the listing; C4's mobile banking now counts for ao.sari's part.
    assert officers[world.officer.id]["relationship_customers"] == 4
    services, moved = "AS own_officer", "relationship_customers.bookings > "
    # Scope and officers, end and start; where the match is kept, the officers take the scope's.
    kept = db.engine.dialect.name == "postgresql"
    assert _count(alone_statements, services) == (2 if kept else 4)
    assert _count(shared_statements, services) == 1  # both pairs in one pass
    assert _count(shared_statements, moved) < _count(alone_statements, moved)


def _count(statements: list[str], text: str) -> int:
    return sum(text in statement for statement in statements)


def test_a_customer_holding_two_services_counts_both_read_stored_or_live(world):
    """Each service holding is one service of its customer's (the match does not group them per
    customer first): C1, listed with a loan, a tabungan and a giro, records two services, and a
    customer on no listing one, all after retention's start, which they leave as it was."""
    book = hand_book(world)
    listings, start = listings_on(OCT31), rel.period_start(date(2026, 10, 1))
    before = _team_page(world, listings, start)
    newcomer = make_customer(world.officer)  # on no listing: a customer by a service alone
    mbank, atm = deposit_product("MBANK"), holdings.product("ATM")
    services = [(book.customers["C1"], mbank), (book.customers["C1"], atm)]
    for customer, product in [*services, (newcomer, mbank)]:
        db.session.add(
            ProductHolding(
                customer_id=customer.id,
                product_id=product.id,
                created_at=datetime(2026, 10, 2, tzinfo=UTC),  # after retention's start
            )
        )
    db.session.commit()

    fast, live = stored_and_live(lambda: _team_page(world, listings, start))
    with remembering():  # both pairs' services matched in one pass
        shared = _team_page(world, listings, start)

    assert stored(listings) and fast == live == shared
    (scope, officers), (scope_before, officers_before) = fast, before
    assert scope.products_held == scope_before.products_held + 3
    assert scope.customers == scope_before.customers + 1
    assert scope.retention == scope_before.retention  # none of it held on 30 September
    mine, mine_before = officers[world.officer.id], officers_before[world.officer.id]
    assert mine["products_held"] == mine_before["products_held"] + 3
    assert mine["relationship_customers"] == mine_before["relationship_customers"] + 1
    assert mine["customers_start"] == mine_before["customers_start"]


def test_each_service_product_is_its_own_category(world):
    """What the match counting service holdings relies on: a customer holds a product once, and
    no two service products share a category (held.category: `service:` and the product's code)."""
    services = [
        deposit_product("MBANK"),
        holdings.product("ATM"),
        holdings.product("SMS", "service"),
    ]
    categories = db.session.scalars(
        sa.select(category()).where(Product.id.in_([p.id for p in services]))
    ).all()
    assert len(set(categories)) == len(services) == len(service_products())


def test_two_pairs_matched_in_one_pass_as_each_alone(world):
    """The one pass over the scope's service holdings gives each pair what its own pass gives:
    a service recorded between the two days counts on the later pair only."""
    book = hand_book(world)
    newcomer = make_customer(world.officer)
    for customer in (book.customers["C1"], newcomer):
        db.session.add(
            ProductHolding(
                customer_id=customer.id,
                product_id=holdings.product("ATM").id,
                created_at=datetime(2026, 10, 2, tzinfo=UTC),
            )
        )
    db.session.commit()
    pairs = [listings_on(OCT31), rel.period_start(date(2026, 10, 1))]
    where = in_scope(resolve_scope(world.supervisor).condition)

    together = services_matched(pairs, where.whole)

    alone = {pair: services_matched([pair], where.whole)[pair] for pair in pairs}
    assert together == alone
    assert together[pairs[0]] != together[pairs[1]]  # the later pair holds the new services
