"""Hooks through which the features above customers take part in its pages, API and changes.

The customer page belongs to customers, but what it shows of referrals, introductions, credit,
complaints and reports belongs to those features, which sit above it: each registers a section
provider here; credit likewise adds its fields to the API's customer detail. A reassigned
customer's open work (planned follow-ups, open complaints) is moved by the features that own it,
each with a handler registered here. The bank-wide duplicate check of a NIK or phone (prospects
and customers alike) is prospects', and the list's `debtor_on` filter reads credit's positions.
What the customer holds is customers.holdings' (the listings register their sources there).
So customers imports none of them.
"""

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from aoapp.common.sections import Provider, page_section
from aoapp.common.sections import sections_for as page_sections


def customer_section(name: str) -> Callable[[Provider], Provider]:
    """Register `provider(actor, customer)` as the page's section `name` (a template variable)."""
    return page_section("customer", name)


def sections_for(actor, customer) -> dict[str, object]:
    """Every registered section of the customer page, as `actor` may see it."""
    return page_sections("customer", actor, customer)


def in_collection(sections: dict[str, object]) -> bool:
    """Whether any section says the customer is in collection (a section may have an
    `in_collection` flag: credit's for arrears, follow-ups' for a broken or pending promise)."""
    return any(getattr(section, "in_collection", False) for section in sections.values())


Handover = Callable[[object, list, int], int]
_HANDOVERS: list[Handover] = []


def on_reassign(handler: Handover) -> Handover:
    """Register `handler(actor, customers, officer_id)`: it moves its feature's open work of the
    reassigned customers (one, or a handover's many: in one statement) to the new officer,
    inside the reassignment's unit of work, audited; it returns how many records moved."""
    _HANDOVERS.append(handler)
    return handler


def hand_over_open_work(actor, customers: list, officer_id: int) -> None:
    """Let every feature move its open work of `customers` to officer `officer_id`."""
    for handler in _HANDOVERS:
        handler(actor, customers, officer_id)


Fields = Callable[[object], dict]
_API_FIELDS: list[Fields] = []


def api_fields(provider: Fields) -> Fields:
    """Register `provider(customer) -> {field: value}`: fields the API's customer detail adds."""
    _API_FIELDS.append(provider)
    return provider


def api_fields_for(customer) -> dict:
    """Every registered field of the API's customer detail."""
    found: dict = {}
    for provider in _API_FIELDS:
        found |= provider(customer)
    return found


DuplicateCheck = Callable[..., object]
_DUPLICATE_CHECKS: list[DuplicateCheck] = []


def duplicate_check(check: DuplicateCheck) -> DuplicateCheck:
    """Register `check(actor, nik, phone, allow_duplicate_phone, *, exclude_prospect=None,
    exclude_customer=None)`: it raises a Conflict when another prospect or customer of the bank
    has the NIK (or, unless allowed, the phone)."""
    _DUPLICATE_CHECKS.append(check)
    return check


def check_duplicates(actor, nik, phone, allow_duplicate_phone: bool, **exclude) -> None:
    """Run the registered duplicate checks before a customer is saved; none registered is an
    error (a customer is never saved unchecked)."""
    if not _DUPLICATE_CHECKS:
        raise RuntimeError("No duplicate check is registered (prospects.duplicates).")
    for check in _DUPLICATE_CHECKS:
        check(actor, nik, phone, allow_duplicate_phone, **exclude)


Debtors = Callable[[date, int | None], sa.Select]
_DEBTORS: list[Debtors] = []


def debtors_source(source: Debtors) -> Debtors:
    """Register `source(as_of, officer_id)`: a select of the ids of the customers with credit on
    `as_of` (booked to `officer_id`, when given), for the list's `debtor_on` filter."""
    _DEBTORS[:] = [source]
    return source


def debtors_on(as_of: date, officer_id: int | None) -> sa.Select:
    """Ids of the customers with credit on `as_of` (booked to `officer_id`, when given)."""
    if not _DEBTORS:
        raise RuntimeError("No source of debtors is registered (credit.services).")
    return _DEBTORS[0](as_of, officer_id)
