"""The customers a scope lost in a period, with what they held and the last contact with them:
funding/relationship.py says who (its retention rule), this module adds the contact, which the
follow-ups and monitoring visits hold (features above funding).

The last contact is the latest follow-up done with the customer (its channel) or monitoring visit
(channel `visit`) up to the end of the period, whichever is later.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.dates import local_day_bounds, to_local
from aoapp.common.money import to_money
from aoapp.credit.models import MonitoringVisit
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, FollowUpStatus
from aoapp.funding import relationship
from aoapp.funding.held import Listings


@dataclass(frozen=True)
class HeldThen:
    """One product a lost customer held at the period's start."""

    source: str  # loan_listing | deposit_listing | manual
    product: str
    account_no: str | None
    amount: Decimal | None


@dataclass(frozen=True)
class LostCustomer:
    """A customer of the scope at the start holding nothing at the bank at the end."""

    customer_id: int
    cif: str
    name: str
    officer_name: str | None
    officer_code: str | None
    held: tuple[HeldThen, ...]
    last_contact: date | None
    last_channel: str | None

    @property
    def products(self) -> str:
        """The products held, e.g. `KMK 0012, TAB 0099`."""
        return ", ".join(
            f"{h.product} {h.account_no}" if h.account_no else h.product for h in self.held
        )


def _money(value) -> Decimal | None:
    return None if value is None else to_money(str(value))


def last_contacts(ids: list[int], until: date) -> dict[int, tuple[date, str]]:
    """(day, channel) of the last contact with each customer up to the end of `until`."""
    if not ids:
        return {}
    _start, end = local_day_bounds(until, until)
    done = (
        sa.select(FollowUp.customer_id, FollowUp.done_at, FollowUp.channel)
        .where(
            FollowUp.customer_id.in_(ids),
            FollowUp.status == FollowUpStatus.DONE.value,
            FollowUp.done_at < end,
        )
        .order_by(FollowUp.customer_id, FollowUp.done_at)
    )
    found: dict[int, tuple[date, str]] = {}
    for customer_id, done_at, channel in db.session.execute(done):
        found[customer_id] = (to_local(done_at).date(), channel)
    visits = (
        sa.select(MonitoringVisit.customer_id, sa.func.max(MonitoringVisit.visit_date))
        .where(MonitoringVisit.customer_id.in_(ids), MonitoringVisit.visit_date <= until)
        .group_by(MonitoringVisit.customer_id)
    )
    for customer_id, day in db.session.execute(visits):
        if customer_id not in found or found[customer_id][0] < day:
            found[customer_id] = (day, "visit")
    return found


def lost_customers(
    condition, start: Listings, end: Listings, limit: int | None = None
) -> list[LostCustomer]:
    """The scope's lost customers of the period from `start` to `end`, by name (at most
    `limit`), each with what the scope booked them at the start and the last contact."""
    held = relationship.lost_customers(condition, start, end)
    if not held:
        return []
    stmt = (
        sa.select(
            Customer.id,
            Customer.cif,
            Customer.name,
            sa.func.nullif(User.full_name, ""),
            User.officer_code,
        )
        .outerjoin(User, User.id == Customer.officer_id)
        .where(Customer.id.in_(list(held)))
        .order_by(Customer.name, Customer.cif)
        .limit(limit)
    )
    people = db.session.execute(stmt).all()
    contacts = last_contacts([row[0] for row in people], end.day)
    return [
        LostCustomer(
            customer_id,
            cif,
            name,
            officer,
            code,
            tuple(
                HeldThen(src, code_, no, _money(amount))
                for src, code_, no, amount in held[customer_id]
            ),
            *contacts.get(customer_id, (None, None)),
        )
        for customer_id, cif, name, officer, code in people
    ]
