"""What a customer holds: the one definition that the customer page, cross-selling,
introductions, the API and the customer workbook all read.

A holding is an active facility (the loan listing), an open deposit account (the deposits
listing) or a product recorded by hand that no listing covers (a service: mobile banking, an
insurance referral). Credit and funding sit above customers: each registers its listing here
(`listing_source`), naming the kind of product its listing covers, so customers imports neither.
A hand record of a product a listing covers is not a holding: the listing has the last word (a
duplicate is shown once, from the listing; one the listing does not show is listed apart by
`unlisted_records`, for the officer to remove), and the form no longer offers such products.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from aoapp.common.read_memo import remembered
from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from aoapp.products.models import Product

LOAN_LISTING, DEPOSIT_LISTING, MANUAL = "loan_listing", "deposit_listing", "manual"
SOURCES = (LOAN_LISTING, DEPOSIT_LISTING, MANUAL)  # the order holdings are listed in
# Categories of what is held: credit, the three kinds of funds (DPK), services.
CATEGORIES = ("credit", "giro", "tabungan", "deposito", "service")


def category_of(product) -> str:
    """A product's category: `credit`, `giro`, `tabungan`, `deposito` or `service`."""
    return product.deposit_type or product.kind


@dataclass(frozen=True)
class Holding:
    """One thing a customer holds and where that comes from (`source`: SOURCES).

    `amount` is the outstanding (a facility) or the balance (a deposit account) on `as_of`, the
    listing's date; a hand-recorded product has neither. `record` is the hand record (manual),
    `detail` the listing's own line when its source gives one (funding.holdings.DepositLine).
    """

    product: Product
    source: str
    account_no: str | None = None
    amount: Decimal | None = None
    as_of: date | None = None
    opened_on: date | None = None
    record: ProductHolding | None = None
    detail: object | None = None
    category: str = ""  # the product's (category_of) unless the listing says (a deposit's kind)

    def __post_init__(self):
        if not self.category:
            object.__setattr__(self, "category", category_of(self.product))


Source = Callable[[list[int], date | None], dict[int, list[Holding]]]
_LISTINGS: dict[str, Source] = {}  # by the product kind the listing covers


def listing_source(covers: str) -> Callable[[Source], Source]:
    """Register `source(customer_ids, on) -> {customer_id: [Holding]}`: what a listing shows each
    customer holds on the listing dated `on` or last before it (`on` None: now). Products of kind
    `covers` are then the listing's alone: no longer recorded by hand."""

    def register(source: Source) -> Source:
        _LISTINGS[str(covers)] = source
        return source

    return register


def is_covered(product) -> bool:
    """Whether a listing covers the product (then it is not recorded by hand)."""
    return product.kind in _LISTINGS


def _records(customer_ids: list[int], on: date | None) -> list[ProductHolding]:
    """The hand records of the customers (opened by `on`, or on an unknown date, when given)."""
    stmt = (
        sa.select(ProductHolding)
        .options(joinedload(ProductHolding.product))
        .where(ProductHolding.customer_id.in_(customer_ids))
        .order_by(ProductHolding.customer_id, ProductHolding.id)
    )
    if on is not None:
        stmt = stmt.where(
            sa.or_(ProductHolding.opened_on.is_(None), ProductHolding.opened_on <= on)
        )
    return list(db.session.scalars(stmt))


def _manual(record: ProductHolding) -> Holding:
    return Holding(
        record.product, MANUAL, record.account_no, opened_on=record.opened_on, record=record
    )


def holdings_of(customer_ids: Iterable[int], on: date | None = None) -> dict[int, list[Holding]]:
    """What each customer holds (every id a key): the loan listing's facilities, the deposits
    listing's accounts, then what was recorded by hand of the products no listing covers.

    `on` None: now (active facilities, open accounts, with their latest balances); a date: as
    the listings dated on or last before it show (a period's end: what was true then).
    """
    ids = sorted(set(customer_ids))
    held: dict[int, list[Holding]] = {customer_id: [] for customer_id in ids}
    if not ids:
        return held
    for source in _LISTINGS.values():
        for customer_id, found in source(ids, on).items():
            held[customer_id].extend(found)
    for record in _records(ids, on):
        if not is_covered(record.product):
            held[record.customer_id].append(_manual(record))
    order = {source: rank for rank, source in enumerate(SOURCES)}
    for found in held.values():
        found.sort(key=lambda h: order[h.source])  # stable: each source keeps its own order
    return held


def holdings(customer, on: date | None = None) -> list[Holding]:
    """What the customer holds (now, or on the listings of `on`): see `holdings_of`. Asked once
    per read block (the customer page asks three times: its form, the wallet, the cross-sell)."""
    found = remembered(("holdings", customer.id, on), lambda: holdings_of([customer.id], on))
    return list(found[customer.id])


def unlisted_records(customer, held: list[Holding]) -> list[ProductHolding]:
    """Hand records of products a listing covers that no listing shows the customer holds
    (recorded before the listings covered them): not holdings, listed for removal."""
    listed = {h.product.id for h in held if h.source != MANUAL}
    return [
        record
        for record in _records([customer.id], None)
        if is_covered(record.product) and record.product_id not in listed
    ]


def by_category(held: list[Holding]) -> list[tuple[str, list[Holding]]]:
    """The holdings grouped by category, in CATEGORIES order (empty categories left out)."""
    groups = [(category, [h for h in held if h.category == category]) for category in CATEGORIES]
    return [(category, found) for category, found in groups if found]
