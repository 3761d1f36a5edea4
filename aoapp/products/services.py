"""Product catalogue (admin); each public call one transaction."""

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.products.models import Product, ProductKind

PRODUCT_SORTABLE = {"code": Product.code, "name": Product.name, "kind": Product.kind}


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
    _check_deposit_type(values)
    stmt = sa.select(Product.id).where(Product.code == values["code"])
    if exclude_id:
        stmt = stmt.where(Product.id != exclude_id)
    if db.session.scalar(stmt):
        raise Conflict(
            _("Product code %(code)s already exists.", code=values["code"]),
            {"code": [_("This product code is already used.")]},
        )


def _check_deposit_type(values: dict) -> None:
    """A deposit product says which kind of funds it holds (giro, tabungan, deposito); others none."""
    if values["kind"] == ProductKind.DEPOSIT and not values.get("deposit_type"):
        message = _("A deposit product needs a deposit type (giro, tabungan or deposito).")
        raise InvalidInput(message, {"deposit_type": [message]})
    if values["kind"] != ProductKind.DEPOSIT and values.get("deposit_type"):
        raise InvalidInput(
            _("Only deposit products have a deposit type."),
            {"deposit_type": [_("Only deposit products have a deposit type; leave it empty.")]},
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
    """Edit a product (admin), audited; changing the kind away from credit drops the subtype,
    away from deposit the deposit type."""
    require_admin(actor)
    values = dict(data)
    if "code" in values:
        values["code"] = values["code"].upper()
    kind = values.get("kind", product.kind)
    if kind != ProductKind.CREDIT and "credit_subtype" not in values:
        values["credit_subtype"] = None
    if kind != ProductKind.DEPOSIT and "deposit_type" not in values:
        values["deposit_type"] = None
    before = audit.snapshot(product)
    _check_product({**before, **values}, exclude_id=product.id)
    for key, value in values.items():
        setattr(product, key, value)
    audit.record(actor, product, "update", before, audit.snapshot(product))
    return product
