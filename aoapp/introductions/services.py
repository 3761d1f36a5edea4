"""Introductions of products to prospects and customers; each public call one transaction.

The customer page's introductions and cross-selling table are this feature's section of it
(customers.hooks).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.campaigns.tags import check_tag
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.plausible import beyond_horizon
from aoapp.common.transaction import unit_of_work
from aoapp.customers.holdings import Holding, holdings
from aoapp.customers.hooks import customer_section
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from aoapp.products.services import active_product, active_products
from aoapp.prospects.models import Prospect

INTRODUCTION_SORTABLE = {
    "introduced_on": Introduction.introduced_on,
    "outcome": Introduction.outcome,
    "follow_up_date": Introduction.follow_up_date,
}


def _subject_owner_id(subject) -> int | None:
    return subject.owner_id if isinstance(subject, Prospect) else subject.officer_id


def subject_branch_id(subject) -> int | None:
    """The branch of the officer who owns the prospect or customer (campaigns run there)."""
    owner = subject.owner if isinstance(subject, Prospect) else subject.officer
    return owner.branch_id if owner is not None else None


def require_subject_owner(actor, subject) -> None:
    """Only the officer who owns the prospect or customer logs and changes its introductions."""
    if actor.role != Role.OFFICER or _subject_owner_id(subject) != actor.id:
        raise Forbidden(_("Only the officer who owns this prospect or customer can do this."))


def introduction_subject(actor, prospect_id, customer_id) -> Prospect | Customer:
    """The one prospect or customer an introduction is about, checked for scope and ownership."""
    if (prospect_id is None) == (customer_id is None):
        message = _("An introduction is made to exactly one prospect or one customer.")
        raise InvalidInput(message, {"prospect": [message], "customer": [message]})
    if prospect_id is not None:
        subject = get_visible(actor, Prospect, prospect_id)
    else:
        subject = get_visible(actor, Customer, customer_id)
    require_subject_owner(actor, subject)
    return subject


def _check_dates(introduced_on, follow_up_date) -> None:
    """An introduction already happened; its follow-up comes on or after it."""
    errors = {}
    if introduced_on > bank_today():
        errors["introduced_on"] = [_("The introduction date cannot be in the future.")]
    if follow_up_date is not None and follow_up_date < introduced_on:
        errors["follow_up_date"] = [_("The follow-up date cannot be before the introduction.")]
    elif follow_up_date is not None and (too_far := beyond_horizon(follow_up_date, bank_today())):
        errors["follow_up_date"] = [too_far]
    if errors:
        raise InvalidInput(_("Check the dates."), errors)


@unit_of_work()
def log_introduction(actor, data: dict) -> Introduction:
    """Record that the acting officer presented a product to one of their prospects or customers."""
    values = dict(data)
    subject = introduction_subject(
        actor, values.pop("prospect", None), values.pop("customer", None)
    )
    product = active_product(values.pop("product", None))
    values.setdefault("introduced_on", bank_today())
    _check_dates(values["introduced_on"], values.get("follow_up_date"))
    check_tag(values.get("campaign_id"), subject_branch_id(subject))
    introduction = Introduction(**values, product_id=product.id, officer_id=actor.id)
    if isinstance(subject, Prospect):
        introduction.prospect_id = subject.id
    else:
        introduction.customer_id = subject.id
    db.session.add(introduction)
    audit.record(actor, introduction, "create", None, audit.snapshot(introduction))
    return introduction


def subject_of(introduction: Introduction) -> Prospect | Customer:
    """The prospect or customer the introduction was made to."""
    return introduction.prospect or introduction.customer


@unit_of_work()
def update_introduction(actor, introduction: Introduction, data: dict) -> Introduction:
    """Correct an introduction (the officer who owns its subject), audited."""
    require_subject_owner(actor, subject_of(introduction))
    values = dict(data)
    if "product" in values:
        code = values.pop("product")
        if (code or "").strip().upper() != introduction.product.code:
            values["product_id"] = active_product(code).id
    _check_dates(
        values.get("introduced_on", introduction.introduced_on),
        values.get("follow_up_date", introduction.follow_up_date),
    )
    if "campaign_id" in values:
        check_tag(
            values["campaign_id"],
            subject_branch_id(subject_of(introduction)),
            introduction.campaign_id,
        )
    before = audit.snapshot(introduction)
    for key, value in values.items():
        setattr(introduction, key, value)
    audit.record(actor, introduction, "update", before, audit.snapshot(introduction))
    return introduction


@unit_of_work()
def delete_introduction(actor, introduction: Introduction) -> None:
    """Delete an introduction logged by mistake (the officer who owns its subject), audited."""
    require_subject_owner(actor, subject_of(introduction))
    audit.record(actor, introduction, "delete", audit.snapshot(introduction), None)
    db.session.delete(introduction)


def get_introduction(actor, introduction_id) -> Introduction:
    """An introduction the user may see, or NotFound."""
    return get_visible(actor, Introduction, introduction_id)


def introduction_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered select of introductions, newest first by default."""
    stmt = visible_to(actor, sa.select(Introduction)).options(
        selectinload(Introduction.product),
        selectinload(Introduction.officer),
        selectinload(Introduction.prospect),
        selectinload(Introduction.customer),
        selectinload(Introduction.campaign),
    )
    if filters.get("prospect"):
        stmt = stmt.where(Introduction.prospect_id == filters["prospect"])
    if filters.get("customer"):
        stmt = stmt.where(Introduction.customer_id == filters["customer"])
    if filters.get("outcome"):
        stmt = stmt.where(Introduction.outcome == filters["outcome"])
    if filters.get("officer"):
        stmt = stmt.where(Introduction.officer_id == filters["officer"])
    if filters.get("campaign"):
        stmt = stmt.where(Introduction.campaign_id == filters["campaign"])
    if filters.get("date_from"):
        stmt = stmt.where(Introduction.introduced_on >= filters["date_from"])
    if filters.get("date_to"):
        stmt = stmt.where(Introduction.introduced_on <= filters["date_to"])
    if filters.get("product"):
        code = filters["product"].strip().upper()
        stmt = stmt.join(Product, Introduction.product_id == Product.id).where(Product.code == code)
    return apply_sort(
        stmt, filters.get("sort"), INTRODUCTION_SORTABLE, "-introduced_on", Introduction.id
    )


def list_introductions(actor, filters: dict, per_page: int) -> Page:
    """One page of the introductions the user may see."""
    return paginate(introduction_query(actor, filters), filters.get("page", 1), per_page)


# --- Cross-selling ---------------------------------------------------------------------------


@dataclass
class CrossSellRow:
    """One active product seen from one customer: held, offered (with outcome) or not yet."""

    product: Product
    holding: Holding | None  # held now (customers.holdings), never offered then
    last_introduced_on: date | None
    last_outcome: str | None
    introductions: int


def held_by_product(customer: Customer) -> dict[int, Holding]:
    """What the customer holds now, by product id (its first holding of each product)."""
    held: dict[int, Holding] = {}
    for holding in holdings(customer):
        held.setdefault(holding.product.id, holding)
    return held


def introductions_of(customer: Customer) -> list[Introduction]:
    """The customer's introductions, newest first, including those made while still a prospect."""
    as_prospect = sa.select(Prospect.id).where(Prospect.customer_id == customer.id)
    stmt = (
        sa.select(Introduction)
        .where(
            sa.or_(
                Introduction.customer_id == customer.id,
                Introduction.prospect_id.in_(as_prospect),
            )
        )
        .options(selectinload(Introduction.product))
        .order_by(Introduction.introduced_on.desc(), Introduction.id.desc())
    )
    return list(db.session.scalars(stmt))


def cross_sell(
    customer: Customer, introductions: list[Introduction] | None = None
) -> list[CrossSellRow]:
    """Every active product: held or not, and the latest introduction to this customer.

    Held means what `customers.holdings` says (the listings first, then what was recorded by
    hand), so the table never offers a product the customer holds. Introductions made while the
    customer was still a prospect count too.
    """
    held = held_by_product(customer)
    if introductions is None:
        introductions = introductions_of(customer)
    latest: dict[int, Introduction] = {}
    counts: dict[int, int] = {}
    for introduction in introductions:
        latest.setdefault(introduction.product_id, introduction)
        counts[introduction.product_id] = counts.get(introduction.product_id, 0) + 1
    rows = []
    for product in active_products():
        last = latest.get(product.id)
        rows.append(
            CrossSellRow(
                product=product,
                holding=held.get(product.id),
                last_introduced_on=last.introduced_on if last else None,
                last_outcome=last.outcome if last else None,
                introductions=counts.get(product.id, 0),
            )
        )
    return rows


# --- The customer page's section -------------------------------------------------------------


@dataclass
class CustomerIntroductions:
    """The customer page's introductions (newest first) and its cross-selling table."""

    made: list[Introduction]
    cross_sell: list[CrossSellRow]


@customer_section("introductions")
def customer_introductions(actor, customer: Customer) -> CustomerIntroductions:
    """The introductions section of a customer page the actor already may see."""
    made = introductions_of(customer)
    return CustomerIntroductions(made, cross_sell(customer, made))
