"""Customers: create, edit, reassign between officers, list; each public call one transaction."""

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.customers.models import Customer, CustomerType
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.prospects.duplicates import check_duplicates

SORTABLE = {
    "name": Customer.name,
    "cif": Customer.cif,
    "segment": Customer.segment,
    "since": Customer.since,
    "created_at": Customer.created_at,
}


def _check_identity(values: dict) -> None:
    """Individuals carry a NIK or NPWP; companies an NPWP (and no NIK)."""
    if values.get("customer_type") == CustomerType.COMPANY:
        if not values.get("npwp"):
            raise InvalidInput("A company needs an NPWP.", {"npwp": ["A company needs an NPWP."]})
        if values.get("nik"):
            raise InvalidInput(
                "A company has no NIK.", {"nik": ["A company has no NIK; leave it empty."]}
            )
    elif not values.get("nik") and not values.get("npwp"):
        raise InvalidInput(
            "An individual needs a NIK or an NPWP.",
            {"nik": ["An individual needs a NIK or an NPWP."]},
        )


def _check_unique(values: dict, exclude_id: int | None = None) -> None:
    """CIF and NPWP are unique among customers."""
    for field in ("cif", "npwp"):
        value = values.get(field)
        if not value:
            continue
        stmt = sa.select(Customer.id).where(getattr(Customer, field) == value)
        if exclude_id:
            stmt = stmt.where(Customer.id != exclude_id)
        if db.session.scalar(stmt):
            label = "CIF" if field == "cif" else "NPWP"
            raise Conflict(
                f"{label} {value} is already used by another customer.",
                {field: [f"This {label} is already used by another customer."]},
            )


def build_customer(
    actor, values: dict, *, officer: User, exclude_prospect=None, allow_duplicate_phone=True
) -> Customer:
    """Validate and add a customer to the session without committing (part of a larger unit)."""
    values = dict(values)
    _check_identity(values)
    _check_unique(values)
    check_duplicates(
        actor,
        values.get("nik"),
        values.get("phone"),
        allow_duplicate_phone,
        exclude_prospect=exclude_prospect,
    )
    customer = Customer(**values, officer_id=officer.id, branch_id=officer.branch_id)
    db.session.add(customer)
    return customer


def _officer_for(actor, officer_id: int | None) -> User:
    """The officer a new customer is assigned to: the acting officer, or one the actor supervises."""
    if actor.role == Role.OFFICER:
        return actor
    raise Forbidden("Only account officers create customers.")


def create_customer(actor, data: dict) -> Customer:
    """Create a customer assigned to the acting officer."""
    values = dict(data)
    allow_phone = values.pop("allow_duplicate_phone", False)
    officer = _officer_for(actor, values.pop("officer", None))
    customer = build_customer(actor, values, officer=officer, allow_duplicate_phone=allow_phone)
    audit.record(actor, customer, "create", None, audit.snapshot(customer))
    db.session.commit()
    return customer


def require_officer_owner(actor, customer: Customer) -> None:
    """Only the assigned officer edits a customer's data."""
    if actor.role != Role.OFFICER or customer.officer_id != actor.id:
        raise Forbidden("Only the officer assigned to this customer can change it.")


def update_customer(actor, customer: Customer, data: dict) -> Customer:
    """Edit a customer's data (assigned officer only), audited."""
    require_officer_owner(actor, customer)
    values = dict(data)
    allow_phone = values.pop("allow_duplicate_phone", False)
    before = audit.snapshot(customer)
    merged = {**before, **values}
    _check_identity(merged)
    _check_unique({k: v for k, v in values.items() if k in ("cif", "npwp")}, exclude_id=customer.id)
    check_duplicates(
        actor,
        values.get("nik") if values.get("nik") != customer.nik else None,
        values.get("phone") if values.get("phone") != customer.phone else None,
        allow_phone,
        exclude_customer=customer.id,
    )
    for key, value in values.items():
        setattr(customer, key, value)
    audit.record(actor, customer, "update", before, audit.snapshot(customer))
    db.session.commit()
    return customer


def assignable_officers(actor, customer: Customer) -> list[User]:
    """Active officers of the customer's branch, when the actor supervises that branch."""
    if actor.role == Role.SUPERVISOR and customer.branch_id not in actor.supervised_branch_ids:
        return []
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        return []
    stmt = (
        sa.select(User)
        .where(User.role == Role.OFFICER, User.branch_id == customer.branch_id, User.active)
        .order_by(User.full_name, User.username)
    )
    return list(db.session.scalars(stmt))


def reassign(actor, customer: Customer, officer_id: int) -> Customer:
    """Move a customer to another officer of the same branch (supervisor of the branch, or admin)."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Forbidden("Only a supervisor can reassign customers.")
    officer = next((o for o in assignable_officers(actor, customer) if o.id == officer_id), None)
    if officer is None:
        raise InvalidInput(
            "Pick an active officer of the customer's branch.",
            {"officer": ["Pick an active officer of the customer's branch."]},
        )
    before = audit.snapshot(customer)
    customer.officer_id = officer.id
    audit.record(actor, customer, "reassign", before, audit.snapshot(customer))
    db.session.commit()
    return customer


def get_customer(actor, customer_id) -> Customer:
    """A customer the user may see, or NotFound."""
    return get_visible(actor, Customer, customer_id)


def filtered_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered, sorted select of customers (page, API and export)."""
    stmt = visible_to(actor, sa.select(Customer))
    if filters.get("segment"):
        stmt = stmt.where(Customer.segment == filters["segment"])
    if filters.get("officer"):
        stmt = stmt.where(Customer.officer_id == filters["officer"])
    if filters.get("customer_type"):
        stmt = stmt.where(Customer.customer_type == filters["customer_type"])
    text = (filters.get("q") or "").strip()
    if text:
        like = f"%{text.lower()}%"
        conditions = [
            sa.func.lower(Customer.name).like(like),
            sa.func.lower(Customer.cif).like(like),
        ]
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 4:
            conditions.append(Customer.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(sa.or_(*conditions))
    return apply_sort(stmt, filters.get("sort"), SORTABLE, "name", Customer.id)


def list_customers(actor, filters: dict, per_page: int) -> Page:
    """One page of the customers the user may see."""
    return paginate(filtered_query(actor, filters), filters.get("page", 1), per_page)
