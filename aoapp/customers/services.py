"""Customers: create, edit, reassign, held products, list; each call one transaction."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.auth.scoping import can_see, get_visible, visible_to
from aoapp.common.locking import check_version, stale_message
from aoapp.common.pagination import Page, apply_sort, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.customers.holdings import holdings
from aoapp.customers.hooks import (
    api_fields_for,
    check_duplicates,
    debtors_on,
    hand_over_open_work,
)
from aoapp.customers.models import Customer, CustomerType, ProductHolding
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db

SORTABLE = {
    "name": Customer.name,
    "cif": Customer.cif,
    "segment": Customer.segment,
    "since": Customer.since,
    "created_at": Customer.created_at,
}

STALE_CUSTOMER = stale_message("customer")
IDENTITY_TAKEN = _l("The CIF, NIK or NPWP was just used by another customer. Check and try again.")


def customer_work():
    """One transaction for a customer: a concurrent save of the same customer, or a CIF, NIK or
    NPWP just taken by a concurrent request, is a Conflict, not a crash."""
    return unit_of_work(stale=STALE_CUSTOMER, duplicate=IDENTITY_TAKEN)


def _check_identity(values: dict) -> None:
    """Individuals carry a NIK or NPWP; companies an NPWP (and no NIK)."""
    if values.get("customer_type") == CustomerType.COMPANY:
        if not values.get("npwp"):
            raise InvalidInput(
                _("A company needs an NPWP."), {"npwp": [_("A company needs an NPWP.")]}
            )
        if values.get("nik"):
            raise InvalidInput(
                _("A company has no NIK."), {"nik": [_("A company has no NIK; leave it empty.")]}
            )
    elif not values.get("nik") and not values.get("npwp"):
        raise InvalidInput(
            _("An individual needs a NIK or an NPWP."),
            {"nik": [_("An individual needs a NIK or an NPWP.")]},
        )


def _check_location(values: dict) -> None:
    """The address's location on the map: both coordinates or neither."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None):
        message = _("Give both the latitude and the longitude, or neither.")
        raise InvalidInput(message, {"latitude" if latitude is None else "longitude": [message]})


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
                _(
                    "%(label)s %(value)s is already used by another customer.",
                    label=label,
                    value=value,
                ),
                {field: [_("This %(label)s is already used by another customer.", label=label)]},
            )


def build_customer(
    actor, values: dict, *, officer: User, exclude_prospect=None, allow_duplicate_phone=True
) -> Customer:
    """Validate and add a customer to the session without committing (part of a larger unit)."""
    values = dict(values)
    _check_identity(values)
    _check_location(values)
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


def require_can_create(actor) -> None:
    """Customers entered by hand belong to the officer who enters them; others only read."""
    if actor.role != Role.OFFICER:
        raise Forbidden(_("Only account officers create customers."))


@customer_work()
def create_customer(actor, data: dict) -> Customer:
    """Create a customer assigned to the acting officer (in the officer's branch), audited."""
    require_can_create(actor)
    values = dict(data)
    allow_phone = values.pop("allow_duplicate_phone", False)
    customer = build_customer(actor, values, officer=actor, allow_duplicate_phone=allow_phone)
    audit.record(actor, customer, "create", None, audit.snapshot(customer))
    return customer


def is_assigned_officer(actor, customer: Customer) -> bool:
    """True when the user is the officer the customer is assigned to (who edits its data)."""
    return actor.role == Role.OFFICER and customer.officer_id == actor.id


def require_officer_owner(actor, customer: Customer) -> None:
    """Only the assigned officer edits a customer's data."""
    if not is_assigned_officer(actor, customer):
        raise Forbidden(_("Only the officer assigned to this customer can change it."))


@customer_work()
def update_customer(actor, customer: Customer, data: dict) -> Customer:
    """Edit a customer's data (assigned officer only), audited."""
    require_officer_owner(actor, customer)
    values = dict(data)
    check_version(customer, values.pop("version", None), "customer")
    allow_phone = values.pop("allow_duplicate_phone", False)
    before = audit.snapshot(customer)
    merged = {**before, **values}
    _check_identity(merged)
    _check_location(merged)
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
    return customer


def assignable_officers(actor, customer: Customer) -> list[User]:
    """Active officers of the customer's branch, when the actor may reassign the customer."""
    if not can_reassign(actor, customer):
        return []
    stmt = (
        sa.select(User)
        .where(User.role == Role.OFFICER, User.branch_id == customer.branch_id, User.active)
        .order_by(User.full_name, User.username)
    )
    return list(db.session.scalars(stmt))


def can_reassign(actor, customer: Customer) -> bool:
    """True for admins and for supervisors of the customer's branch."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.SUPERVISOR and customer.branch_id in actor.supervised_branch_ids


@unit_of_work()
def reassign(actor, customer: Customer, officer_id: int) -> Customer:
    """Move a customer to another officer of the same branch (supervisor of the branch, or admin)."""
    if not can_see(actor, Customer, customer.id):
        raise NotFound()
    if not can_reassign(actor, customer):
        raise Forbidden(_("Only a supervisor of the customer's branch can reassign customers."))
    officer = next((o for o in assignable_officers(actor, customer) if o.id == officer_id), None)
    if officer is None:
        raise InvalidInput(
            _("Pick an active officer of the customer's branch."),
            {"officer": [_("Pick an active officer of the customer's branch.")]},
        )
    if officer.id == customer.officer_id:
        return customer  # nothing changes, nothing to audit
    move_customers(actor, [customer], officer)
    return customer


def move_customers(actor, customers: list[Customer], officer: User, action="reassign") -> None:
    """Move the customers to `officer` (and the officer's branch) with their open work, audited;
    part of the caller's unit of work (a reassignment, a portfolio handover).

    Planned follow-ups, open complaints and open renewal opportunities move with them (each
    feature's handler, one audit entry per record); done and closed records keep their officer
    (history). The rows are written in batches, each checked against its version.
    """
    befores = [audit.snapshot(customer) for customer in customers]
    for customer in customers:
        customer.officer_id = officer.id
        if officer.branch_id is not None:
            customer.branch_id = officer.branch_id
    db.session.flush()  # the new versions, or a concurrent change (StaleDataError)
    audit.record_all(
        actor,
        [(c, action, b, audit.snapshot(c)) for c, b in zip(customers, befores, strict=True)],
    )
    hand_over_open_work(actor, customers, officer.id)


def get_customer(actor, customer_id) -> Customer:
    """A customer the user may see, or NotFound."""
    return get_visible(actor, Customer, customer_id)


class CustomerDetail:
    """A customer and the fields the features above add to the API's detail (customers.hooks):
    attributes are the added fields, else the customer's own."""

    def __init__(self, customer: Customer, added: dict):
        self.customer = customer
        self.added = added

    def __getattr__(self, name: str):
        if name in self.added:
            return self.added[name]
        return getattr(self.customer, name)


def get_customer_detail(actor, customer_id) -> CustomerDetail:
    """A customer the user may see with the fields the features above add to it, or NotFound."""
    customer = get_customer(actor, customer_id)
    return CustomerDetail(
        customer, api_fields_for(customer) | {"held_products": holdings(customer)}
    )


PHONE_TEXT = re.compile(r"^\+?[\d\s().-]+$")


def filtered_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered, sorted select of customers (page, API and export)."""
    stmt = visible_to(actor, sa.select(Customer)).options(
        selectinload(Customer.officer),
        selectinload(Customer.branch),
        selectinload(Customer.holdings).selectinload(ProductHolding.product),
    )
    if filters.get("segment"):
        stmt = stmt.where(Customer.segment == filters["segment"])
    if filters.get("debtor_on"):
        stmt = stmt.where(Customer.id.in_(debtors_on(filters["debtor_on"], filters.get("officer"))))
    elif filters.get("officer"):
        stmt = stmt.where(Customer.officer_id == filters["officer"])
    if filters.get("customer_type"):
        stmt = stmt.where(Customer.customer_type == filters["customer_type"])
    text = (filters.get("q") or "").strip()
    if text:
        conditions = [
            sa.func.lower(Customer.name).contains(text.lower(), autoescape=True),
            sa.func.lower(Customer.cif).contains(text.lower(), autoescape=True),
        ]
        # A phone number is searched only when the text is one (digits and separators), by its
        # national part: a CIF such as "cif0000012" must not match every phone holding "12".
        digits = "".join(ch for ch in text if ch.isdigit())
        national = digits.removeprefix("62").lstrip("0")
        if PHONE_TEXT.match(text) and len(national) >= 4:
            conditions.append(Customer.phone.contains(national))
        stmt = stmt.where(sa.or_(*conditions))
    return apply_sort(stmt, filters.get("sort"), SORTABLE, "name", Customer.id)


def list_customers(actor, filters: dict, per_page: int) -> Page:
    """One page of the customers the user may see."""
    return paginate(filtered_query(actor, filters), filters.get("page", 1), per_page)


def visible_officers(actor) -> list[User]:
    """Officers whose customers the user sees (the officer filter of supervisors and admins)."""
    stmt = visible_to(actor, sa.select(User).where(User.role == Role.OFFICER))
    return list(db.session.scalars(stmt.order_by(User.full_name, User.username)))
