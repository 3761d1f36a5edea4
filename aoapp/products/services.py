"""Product catalogue (admin) and introductions of products; each public call one transaction."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.campaigns.tags import check_tag
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.customers.models import Customer
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.products.models import Introduction, Product, ProductKind
from aoapp.prospects.models import Prospect

PRODUCT_SORTABLE = {"code": Product.code, "name": Product.name, "kind": Product.kind}
INTRODUCTION_SORTABLE = {
    "introduced_on": Introduction.introduced_on,
    "outcome": Introduction.outcome,
    "follow_up_date": Introduction.follow_up_date,
}


# --- Product catalogue -----------------------------------------------------------------------


def require_admin(actor) -> None:
    """Only admins change the product catalogue."""
    if actor.role != Role.ADMIN:
        raise Forbidden(_("Only an administrator can change the product catalogue."))


def product_query(actor, filters: dict) -> sa.Select:
    """Catalogue select: active products, plus inactive ones when an admin asks for them."""
    stmt = sa.select(Product)
    if not (actor.role == Role.ADMIN and filters.get("include_inactive")):
        stmt = stmt.where(Product.active.is_(True))
    if filters.get("kind"):
        stmt = stmt.where(Product.kind == filters["kind"])
    text = (filters.get("q") or "").strip().lower()
    if text:
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Product.code).contains(text, autoescape=True),
                sa.func.lower(Product.name).contains(text, autoescape=True),
            )
        )
    return apply_sort(stmt, filters.get("sort"), PRODUCT_SORTABLE, "code", Product.id)


def list_products(actor, filters: dict, per_page: int) -> Page:
    """One page of the catalogue."""
    return paginate(product_query(actor, filters), filters.get("page", 1), per_page)


def active_products() -> list[Product]:
    """Every active product, by kind and name (for pickers and the cross-sell view)."""
    stmt = sa.select(Product).where(Product.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Product.kind, Product.name, Product.id)))


def get_product(product_id) -> Product:
    """A product by id (the catalogue is public inside the bank), or NotFound."""
    product = db.session.get(Product, int(product_id))
    if product is None:
        raise NotFound()
    return product


def active_product(code: str | None, field: str = "product") -> Product:
    """The active product with this code, or InvalidInput naming `field`."""
    code = (code or "").strip().upper()
    product = db.session.scalar(sa.select(Product).where(Product.code == code)) if code else None
    if product is None or not product.active:
        message = (
            _("Unknown or inactive product %(code)s.", code=repr(code))
            if code
            else _("Pick a product.")
        )
        raise InvalidInput(message, {field: [message]})
    return product


def _check_product(values: dict, exclude_id: int | None = None) -> None:
    """Codes are unique; a credit product has a credit subtype, other kinds none."""
    if values["kind"] == ProductKind.CREDIT and not values.get("credit_subtype"):
        raise InvalidInput(
            _("A credit product needs a credit subtype."),
            {"credit_subtype": [_("A credit product needs a credit subtype.")]},
        )
    if values["kind"] != ProductKind.CREDIT and values.get("credit_subtype"):
        raise InvalidInput(
            _("Only credit products have a credit subtype."),
            {"credit_subtype": [_("Only credit products have a credit subtype; leave it empty.")]},
        )
    stmt = sa.select(Product.id).where(Product.code == values["code"])
    if exclude_id:
        stmt = stmt.where(Product.id != exclude_id)
    if db.session.scalar(stmt):
        raise Conflict(
            _("Product code %(code)s already exists.", code=values["code"]),
            {"code": [_("This product code is already used.")]},
        )


@unit_of_work()
def create_product(actor, data: dict) -> Product:
    """Add a product to the catalogue (admin), audited."""
    require_admin(actor)
    values = {**data, "code": data["code"].upper()}
    _check_product(values)
    product = Product(**values)
    db.session.add(product)
    audit.record(actor, product, "create", None, audit.snapshot(product))
    return product


@unit_of_work()
def update_product(actor, product: Product, data: dict) -> Product:
    """Edit a product (admin), audited; changing the kind away from credit drops the subtype."""
    require_admin(actor)
    values = dict(data)
    if "code" in values:
        values["code"] = values["code"].upper()
    if values.get("kind", product.kind) != ProductKind.CREDIT and "credit_subtype" not in values:
        values["credit_subtype"] = None
    before = audit.snapshot(product)
    _check_product({**before, **values}, exclude_id=product.id)
    for key, value in values.items():
        setattr(product, key, value)
    audit.record(actor, product, "update", before, audit.snapshot(product))
    return product


# --- Introductions ---------------------------------------------------------------------------


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


def can_change_subject(actor, subject) -> bool:
    """True when the user may log introductions for this prospect or customer (for the pages)."""
    return actor.role == Role.OFFICER and _subject_owner_id(subject) == actor.id
