"""What customers held on a day, as one set-based query: the definition the relationship figures
(funding/relationship.py) count.

Holdings on a day (`Listings`): the facilities on the last loan listing on or before it, the deposit
accounts holding funds on the last deposits listing on or before it, and the products recorded by
hand that no listing covers (services such as mobile banking or an insurance referral) recorded by
the end of the day. The listings' holdings are booked where the listing booked them (its officer
and branch on that date); a recorded product where its customer is now.

Each holding has a product category, what "products per customer" counts once per customer: a
credit product's subtype (working capital, investment, KUR, mortgage, vehicle, personal), a
deposit's type (giro, tabungan, deposito), a service's own product.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.common.dates import local_day_bounds
from aoapp.common.ids import among
from aoapp.common.read_memo import remembered
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.funding.figures import deposits_as_of
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.funding.scope import held, on_columns
from aoapp.products.models import Product, ProductKind

# where(officer column, branch column, customer column) -> a condition on one kind of holding
Where = Callable[[sa.ColumnElement, sa.ColumnElement, sa.ColumnElement], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class Listings:
    """The listings that say what was held on `day`; without a deposits listing there are no
    relationship figures (the loans alone would make every customer a borrower of nothing else)."""

    day: date
    loans: date | None
    deposits: date | None

    @property
    def complete(self) -> bool:
        return self.deposits is not None


def listings_on(day: date) -> Listings:
    """The last loan and deposits listings on or before `day` (bank-wide)."""
    return Listings(day, latest.newest(latest.LOANS, day), deposits_as_of(day))


@dataclass(frozen=True, eq=False)
class InScope:
    """A Where: holdings booked within a scope (credit/figures.resolve_scope's condition), and
    to one of `officers` when given. It says what it keeps, so that a page asking for a scope and
    for its officers can read the parts they share once (funding/stored_relationship.py)."""

    condition: sa.ColumnElement[bool]
    officers: tuple[int, ...] | None = None

    def __call__(self, officer, branch, _customer) -> sa.ColumnElement[bool]:
        kept = on_columns(self.condition, officer, branch)
        if self.officers is None:
            return kept
        return sa.and_(kept, among(officer, list(self.officers)))

    def keeps_officer(self, officer_id: int | None) -> bool:
        """What `officers` keeps of the whole scope's rows of `officer_id` (read in Python)."""
        return self.officers is None or officer_id in self._officer_set

    @cached_property
    def _officer_set(self) -> frozenset[int]:
        return frozenset(self.officers or ())

    @property
    def whole(self) -> "InScope":
        """The scope with no choice of officers."""
        return self if self.officers is None else InScope(self.condition)


def in_scope(condition) -> Where:
    """Holdings booked within a scope (credit/figures.resolve_scope's condition)."""
    return InScope(condition)


def of_customers(ids: sa.Select) -> Where:
    """Holdings of the customers `ids` selects, wherever booked."""
    return lambda _officer, _branch, customer: customer.in_(ids)


def category(product=Product) -> sa.ColumnElement[str]:
    """A product's category: `credit:kur`, `deposit:tabungan`, `service:MBANK` (the products
    table's expression built once: every relationship statement holds it, several times)."""
    return _products_category() if product is Product else _category(product)


@cache
def _products_category() -> sa.ColumnElement[str]:
    return _category(Product)


def _category(product) -> sa.ColumnElement[str]:
    return sa.case(
        (
            product.kind == ProductKind.CREDIT.value,
            sa.literal("credit:") + sa.func.coalesce(product.credit_subtype, product.code),
        ),
        (
            product.kind == ProductKind.DEPOSIT.value,
            sa.literal("deposit:") + sa.func.coalesce(product.deposit_type, product.code),
        ),
        else_=sa.literal("service:") + product.code,
    )


def service_products() -> list[int]:
    """The ids of the products recorded by hand (services), read once per read block."""
    return remembered(("service products",), lambda: list(db.session.scalars(_services())))


@cache
def _services() -> sa.Select:
    return (
        sa.select(Product.id).where(Product.kind == ProductKind.SERVICE.value).order_by(Product.id)
    )


def _service_held(day: date) -> list[sa.ColumnElement[bool]]:
    """A holding is a product recorded by hand (a service) held at the end of `day`."""
    _start, day_end = local_day_bounds(day, day)
    # The service products by id, not by their kind: the planner then knows from the holdings'
    # statistics how many there are, and reads them by product (few) rather than every holding
    # of the scope's customers to keep none (issue 22).
    return [
        ProductHolding.product_id.in_(service_products()),
        ProductHolding.created_at < day_end,
    ]


def recorded_services(day: date, where: Where) -> sa.Select:
    """The products recorded by hand (services) held at the end of `day` that `where` keeps,
    booked where their customer is now: customer_id, category, officer_id, branch_id, credit and
    deposit (both 0)."""
    return (
        sa.select(
            ProductHolding.customer_id.label("customer_id"),
            category().label("category"),
            Customer.officer_id.label("officer_id"),
            Customer.branch_id.label("branch_id"),
            sa.literal(0).label("credit"),
            sa.literal(0).label("deposit"),
        )
        .join(Product, Product.id == ProductHolding.product_id)
        .join(Customer, Customer.id == ProductHolding.customer_id)
        .where(
            *_service_held(day),
            where(Customer.officer_id, Customer.branch_id, ProductHolding.customer_id),
        )
    )


def service_holdings(day: date, where: Where) -> sa.Select:
    """`recorded_services` without their category: one row per service holding, customer_id,
    officer_id and branch_id (where the customer is now), and created_at; no join to the
    products."""
    return (
        sa.select(
            ProductHolding.customer_id.label("customer_id"),
            Customer.officer_id.label("officer_id"),
            Customer.branch_id.label("branch_id"),
            ProductHolding.created_at.label("created_at"),
        )
        .join(Customer, Customer.id == ProductHolding.customer_id)
        .where(
            *_service_held(day),
            where(Customer.officer_id, Customer.branch_id, ProductHolding.customer_id),
        )
    )


def holds_a_service(day: date, customer: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """`customer` (a column) holds a product recorded by hand (a service) at the end of `day`:
    EXISTS, an index lookup per customer."""
    return sa.exists().where(ProductHolding.customer_id == customer, *_service_held(day))


def holdings(listings: Listings, where: Where, detail: bool = False) -> sa.Subquery:
    """Every holding on `listings` that `where` keeps: customer_id, category, officer_id,
    branch_id, credit and deposit (1 or 0); with `detail` also source, product, account_no and
    amount (outstanding or balance)."""
    parts = []
    if listings.loans is not None:
        loans = (
            sa.select(
                Position.customer_id.label("customer_id"),
                category().label("category"),
                Position.officer_id.label("officer_id"),
                Position.branch_id.label("branch_id"),
                sa.literal(1).label("credit"),
                sa.literal(0).label("deposit"),
            )
            .join(Facility, Facility.id == Position.facility_id)
            .join(Product, Product.id == Facility.product_id)
            .where(
                Position.as_of == listings.loans,
                where(Position.officer_id, Position.branch_id, Position.customer_id),
            )
        )
        if detail:
            loans = loans.add_columns(
                sa.literal("loan_listing").label("source"),
                Product.code.label("product"),
                Facility.account_no.label("account_no"),
                Position.outstanding.label("amount"),
            )
        parts.append(loans)
    if listings.deposits is not None:
        dp = DepositPosition
        deposits = sa.select(
            dp.customer_id.label("customer_id"),
            (sa.literal("deposit:") + dp.deposit_type).label("category"),
            dp.officer_id.label("officer_id"),
            dp.branch_id.label("branch_id"),
            sa.literal(0).label("credit"),
            sa.literal(1).label("deposit"),
        ).where(
            dp.as_of == listings.deposits,
            held(),
            where(dp.officer_id, dp.branch_id, dp.customer_id),
        )
        if detail:
            deposits = (
                deposits.join(DepositAccount, DepositAccount.id == dp.account_id)
                .join(Product, Product.id == DepositAccount.product_id)
                .add_columns(
                    sa.literal("deposit_listing").label("source"),
                    Product.code.label("product"),
                    DepositAccount.account_no.label("account_no"),
                    dp.balance.label("amount"),
                )
            )
        parts.append(deposits)
    recorded = recorded_services(listings.day, where)
    if detail:
        recorded = recorded.add_columns(
            sa.literal("manual").label("source"),
            Product.code.label("product"),
            ProductHolding.account_no.label("account_no"),
            sa.null().label("amount"),
        )
    parts.append(recorded)
    return sa.union_all(*parts).subquery("holdings")
