"""Bank-wide duplicate detection of prospects and customers by NIK or phone."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.auth.models import Branch, User
from aoapp.auth.scoping import can_see
from aoapp.customers.hooks import duplicate_check
from aoapp.customers.models import Customer
from aoapp.errors import Conflict
from aoapp.extensions import db
from aoapp.prospects.models import Prospect


@dataclass
class Match:
    """An existing prospect or customer with the same NIK or phone."""

    kind: str  # "prospect" | "customer"
    id: int
    name: str
    field: str  # "nik" | "phone"
    visible: bool
    branch_code: str

    def message(self) -> str:
        """What the user may be told: details only when the match is in their scope."""
        if self.visible:
            text = {
                ("prospect", "nik"): _(
                    "A prospect with this NIK already exists: %(name)s (prospect #%(id)s)."
                ),
                ("prospect", "phone"): _(
                    "A prospect with this phone number already exists: %(name)s (prospect #%(id)s)."
                ),
                ("customer", "nik"): _(
                    "A customer with this NIK already exists: %(name)s (customer #%(id)s)."
                ),
                ("customer", "phone"): _(
                    "A customer with this phone number already exists: %(name)s (customer #%(id)s)."
                ),
            }[(self.kind, "nik" if self.field == "nik" else "phone")]
            return text % {"name": self.name, "id": self.id}
        return _("Already handled by another officer (branch %(branch)s).", branch=self.branch_code)


class DuplicateFound(Conflict):
    """Same NIK (always refused) or same phone (refused unless the user overrides)."""

    def __init__(self, matches: list[Match]):
        errors: dict[str, list[str]] = {}
        for match in matches:
            messages = errors.setdefault(match.field, [])
            if match.message() not in messages:  # two hidden matches in one branch: say it once
                messages.append(match.message())
        self.phone_only = all(m.field == "phone" for m in matches)
        if self.phone_only:
            errors["allow_duplicate_phone"] = [
                _("Confirm that this is a different person to save with a shared phone number.")
            ]
        super().__init__(
            _("A prospect or customer with the same NIK or phone already exists."), errors
        )
        self.matches = matches


def _excluded(exclude_prospect: int | None, exclude_customer: int | None) -> tuple[set, set]:
    """The record being edited and its converted twin (a prospect and its customer are one person)."""
    skip_prospects = {exclude_prospect} if exclude_prospect else set()
    skip_customers = {exclude_customer} if exclude_customer else set()
    if exclude_prospect:
        linked = db.session.scalar(
            sa.select(Prospect.customer_id).where(Prospect.id == exclude_prospect)
        )
        if linked:
            skip_customers.add(linked)
    if exclude_customer:
        skip_prospects.update(
            db.session.scalars(
                sa.select(Prospect.id).where(Prospect.customer_id == exclude_customer)
            )
        )
    return skip_prospects, skip_customers


def find_matches(
    actor,
    nik: str | None,
    phone: str | None,
    *,
    exclude_prospect: int | None = None,
    exclude_customer: int | None = None,
) -> list[Match]:
    """Prospects and customers anywhere in the bank sharing the NIK or the normalised phone."""
    skip_prospects, skip_customers = _excluded(exclude_prospect, exclude_customer)
    customers: list[Match] = []
    prospects: list[tuple[Match, int | None]] = []
    for field, value in (("nik", nik), ("phone", phone)):
        if not value:
            continue
        rows = db.session.execute(
            sa.select(Prospect.id, Prospect.name, Branch.code, Prospect.customer_id)
            .join(User, Prospect.owner_id == User.id)
            .outerjoin(Branch, User.branch_id == Branch.id)
            .where(getattr(Prospect, field) == value)
            .order_by(Prospect.id)
        )
        for pid, name, branch_code, customer_id in rows:
            if pid in skip_prospects or (customer_id and customer_id in skip_customers):
                continue
            visible = can_see(actor, Prospect, pid)
            prospects.append(
                (Match("prospect", pid, name, field, visible, branch_code or "-"), customer_id)
            )
        rows = db.session.execute(
            sa.select(Customer.id, Customer.name, Branch.code)
            .join(Branch, Customer.branch_id == Branch.id)
            .where(getattr(Customer, field) == value)
            .order_by(Customer.id)
        )
        for cid, name, branch_code in rows:
            if cid not in skip_customers:
                visible = can_see(actor, Customer, cid)
                customers.append(Match("customer", cid, name, field, visible, branch_code))
    # A converted prospect and its customer are one person: report the customer only.
    converted = {m.id for m in customers}
    return [m for m, customer_id in prospects if customer_id not in converted] + customers


@duplicate_check  # customers run it too, before saving a customer
def check_duplicates(actor, nik, phone, allow_duplicate_phone: bool, **exclude) -> list[Match]:
    """Raise DuplicateFound for a NIK match, or a phone match the user has not overridden."""
    matches = find_matches(actor, nik, phone, **exclude)
    blocking = [m for m in matches if m.field == "nik" or not allow_duplicate_phone]
    if blocking:
        raise DuplicateFound(blocking)
    return matches
