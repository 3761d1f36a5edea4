"""Handover fixtures: a book of ao.budi's customers with open and closed work of every kind, and
the world's officers (ao.budi and ao.sari in JKT01, ao.dewi in BDG01)."""

from dataclasses import dataclass
from datetime import date

import pytest

from aoapp.auth.models import User
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.plans.models import AccountPlan
from aoapp.renewals.models import RenewalOpportunity
from tests.support import complaints as complaint_helpers
from tests.support import credit_visits as credit
from tests.support import followups as followup_helpers
from tests.support import funding
from tests.support import renewals as renewal_helpers
from tests.support.factories import make_customer

TODAY = "2026-12-07"  # a Monday


@dataclass
class Book:
    """ao.budi's customers: `shop` with work of every kind, open and closed; `farm` with one
    facility; `house` with nothing; and ao.sari's `other`, which no handover of ao.budi moves."""

    shop: Customer
    farm: Customer
    house: Customer
    other: Customer
    facility: Facility
    closed_facility: Facility
    planned: FollowUp
    done: FollowUp
    complaint: Complaint
    closed_complaint: Complaint
    plan: AccountPlan
    renewal: RenewalOpportunity
    closed_renewal: RenewalOpportunity


def make_book(world) -> Book:
    officer = db.session.get(User, world.officer.id)
    shop = make_customer(officer, name="Toko Maju", cif="0001001")
    farm = make_customer(officer, name="Kebun Sari", cif="0001002")
    house = make_customer(officer, name="Rumah Makan Ibu", cif="0001003")
    other = make_customer(db.session.get(User, world.colleague.id), name="Bengkel Jaya")
    facility = credit.facility(shop, account_no="0100001")
    closed_facility = credit.facility(
        shop, account_no="0100002", status="closed", closed_on=date(2025, 6, 30)
    )
    credit.facility(farm, account_no="0100003")
    funding.deposit(shop, "0200001", "TAB")
    funding.deposit(shop, "0200002", "TAB", status="closed", closed_on=date(2025, 1, 31))
    db.session.commit()
    planned = followup_helpers.followup(officer, customer=shop)
    done = followup_helpers.followup(officer, customer=shop, status="done", outcome="reached")
    complaint = complaint_helpers.complaint(shop)
    closed_complaint = complaint_helpers.complaint(shop, status="closed")
    plan = AccountPlan(
        customer_id=shop.id,
        year=2026,
        starts_on=date(2026, 2, 1),
        next_review_date=date(2027, 2, 1),
        created_by_id=officer.id,
    )
    db.session.add(plan)
    db.session.commit()
    renewal = renewal_helpers.opportunity(facility, officer)
    closed_renewal = renewal_helpers.opportunity(closed_facility, officer, stage="closed")
    return Book(
        shop,
        farm,
        house,
        other,
        facility,
        closed_facility,
        planned,
        done,
        complaint,
        closed_complaint,
        plan,
        renewal,
        closed_renewal,
    )


@pytest.fixture
def book(world) -> Book:
    return make_book(world)


def actor(user) -> User:
    """The user as the service's actor, in the test's session."""
    return db.session.get(User, user.id)
