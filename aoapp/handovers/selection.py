"""What a handover would move: who may hand over whose customers to whom, the customers picked,
and their open work (the confirm page's counts, and the handover's summary).

A supervisor hands over between officers of the branches they supervise; an admin between any
officers, across branches. The officer handing over may have left (inactive); the one taking
over is an active officer with an officer code (the code core banking is asked to book).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.auth.models import Role, User
from aoapp.auth.scoping import scope_condition, visible_to
from aoapp.common import latest
from aoapp.complaints.models import OPEN_STATUSES, Complaint
from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, FollowUpStatus
from aoapp.funding.models import DepositAccount, DepositStatus
from aoapp.plans.models import AccountPlan
from aoapp.renewals.models import RenewalOpportunity, Stage

LISTED = 2000  # customers shown on the form's checkbox list at most (a search narrows it)


@dataclass
class Selection:
    """A checked request: the two officers, the customers, and the note."""

    from_officer: User
    to_officer: User
    customer_ids: list[int]
    everyone: bool  # "all customers": whatever the officer holds when the handover runs
    note: str


@dataclass
class OpenWork:
    """What moves with the customers (accounts: the rows of the change file)."""

    customers: int = 0
    followups: int = 0
    complaints: int = 0
    plans: int = 0
    renewals: int = 0
    accounts: int = 0


@dataclass
class Candidate:
    """A customer on the form's list: CIF, name and credit exposure."""

    id: int
    cif: str
    name: str
    exposure: Decimal


def require_reviewer(actor) -> None:
    """Supervisors and admins hand over; officers do not."""
    if actor.role == Role.OFFICER:
        raise Forbidden(_("Only supervisors and admins hand over customers."))


def source_officers(actor) -> list[User]:
    """Who the user may hand customers over from: the officers in scope, and anyone in scope
    still holding customers the user sees (an officer who has become a supervisor)."""
    holders = sa.select(Customer.officer_id).where(scope_condition(actor, Customer))
    stmt = visible_to(
        actor, sa.select(User).where(sa.or_(User.role == Role.OFFICER, User.id.in_(holders)))
    )
    return list(db.session.scalars(stmt.order_by(User.full_name, User.username)))


def target_officers(actor) -> list[User]:
    """Who may take customers over: active officers with an officer code, of the branches a
    supervisor supervises (an admin: of every branch)."""
    stmt = sa.select(User).where(
        User.role == Role.OFFICER, User.active, User.officer_code.is_not(None)
    )
    if actor.role != Role.ADMIN:
        stmt = stmt.where(User.branch_id.in_(actor.supervised_branch_ids))
    return list(db.session.scalars(stmt.order_by(User.full_name, User.username)))


def customers_of(actor, officer_id: int) -> sa.Select:
    """The ids of the officer's customers the user may hand over (in the user's scope)."""
    return visible_to(actor, sa.select(Customer.id).where(Customer.officer_id == officer_id))


def check(actor, data: dict) -> Selection:
    """The request checked, every refusal at once as field errors (InvalidInput)."""
    require_reviewer(actor)
    errors: dict[str, list[str]] = {}
    sources = {u.id: u for u in source_officers(actor)}
    source = sources.get(data["from_officer"])
    target = _target(actor, data["to_officer"], errors)
    if source is None:
        errors["from_officer"] = [_("Pick one of the officers offered.")]
    elif target is not None and target.id == source.id:
        errors["to_officer"] = [_("Hand over to another officer than the one handing over.")]
    ids: list[int] = []
    everyone = data.get("customers") is None
    if source is not None:
        ids = _customers(actor, source, data.get("customers"), errors)
    if errors:
        raise InvalidInput(_("Check the handover."), errors)
    return Selection(source, target, ids, everyone, data.get("note") or "")


def _target(actor, officer_id: int, errors: dict) -> User | None:
    user = db.session.get(User, officer_id)
    in_scope = user is not None and user.role == Role.OFFICER
    if in_scope and actor.role != Role.ADMIN:
        in_scope = user.branch_id in actor.supervised_branch_ids
    if not in_scope:
        errors["to_officer"] = [_("Pick one of the officers offered.")]
        return None
    if not user.active:
        errors["to_officer"] = [
            _("%(name)s is not active: hand over to an active officer.", name=user.display_name)
        ]
    elif not user.officer_code:
        errors["to_officer"] = [
            _(
                "%(name)s has no officer code, so core banking could not book the customers to "
                "them. Ask the admin to set it.",
                name=user.display_name,
            )
        ]
    return user


def _customers(actor, source: User, picked: list[int] | None, errors: dict) -> list[int]:
    held = customers_of(actor, source.id)
    if picked is None:
        ids = list(db.session.scalars(held.order_by(Customer.id)))
        if not ids:
            errors["customers"] = [
                _("%(name)s has no customers to hand over.", name=source.display_name)
            ]
        return ids
    picked = sorted(set(picked))
    if not picked:
        errors["customers"] = [_("Tick at least one customer.")]
        return []
    found = set(db.session.scalars(held.where(Customer.id.in_(picked))))
    if len(found) != len(picked):
        errors["customers"] = [
            _(
                "%(num)s of the customers picked are not customers of %(name)s that you may hand "
                "over.",
                num=len(picked) - len(found),
                name=source.display_name,
            )
        ]
    return picked


def open_work(customer_ids: list[int], today: date) -> OpenWork:
    """The customers' open work, counted in one statement: planned follow-ups, open complaints,
    this year's account plans, open renewal opportunities, and their accounts."""
    if not customer_ids:
        return OpenWork()

    def count(model, *conditions):
        return (
            sa.select(sa.func.count())
            .select_from(model)
            .where(model.customer_id.in_(customer_ids), *conditions)
            .scalar_subquery()
        )

    row = db.session.execute(
        sa.select(
            count(FollowUp, FollowUp.status == FollowUpStatus.PLANNED),
            count(Complaint, Complaint.status.in_([s.value for s in OPEN_STATUSES])),
            count(AccountPlan, AccountPlan.year == today.year),
            count(RenewalOpportunity, RenewalOpportunity.stage != Stage.CLOSED.value),
            count(Facility, Facility.status == FacilityStatus.ACTIVE),
            count(DepositAccount, DepositAccount.status != DepositStatus.CLOSED),
        )
    ).one()
    return OpenWork(len(customer_ids), row[0], row[1], row[2], row[3], row[4] + row[5])


def candidates(actor, officer_id: int, text: str | None = None) -> list[Candidate]:
    """The officer's customers the user may hand over, by name, with their credit exposure on
    the latest loan listing; `text` narrows them by name or CIF."""
    newest = latest.newest(latest.LOANS)  # its value: PostgreSQL reads that month's partition
    exposure = (
        sa.select(Position.customer_id, sa.func.sum(Position.outstanding).label("amount"))
        .where(Position.as_of == newest)
        .group_by(Position.customer_id)
        .subquery()
    )
    stmt = (
        visible_to(actor, sa.select(Customer.id, Customer.cif, Customer.name, exposure.c.amount))
        .outerjoin(exposure, exposure.c.customer_id == Customer.id)
        .where(Customer.officer_id == officer_id)
    )
    text = (text or "").strip().lower()
    if text:
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Customer.name).contains(text, autoescape=True),
                sa.func.lower(Customer.cif).contains(text, autoescape=True),
            )
        )
    rows = db.session.execute(stmt.order_by(Customer.name, Customer.id).limit(LISTED))
    return [
        Candidate(id_, cif, name, Decimal(str(amount or 0)).quantize(Decimal("0.01")))
        for id_, cif, name, amount in rows
    ]
