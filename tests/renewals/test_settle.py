"""What the next listing settles, decided in the database: each outcome's recorded values and its
audit entry exactly, a working-capital line past its yearly extension date, and what counts as
still holding something when a loan is paid off (funding/held.py: a deposit account on the
newest deposits listing, a recorded service; not an account that listing closed)."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from tests.support import deposit_listings as D
from tests.support import renewals as R
from tests.support.factories import make_product

pytestmark = pytest.mark.today(R.TODAY)


def settle_entries() -> dict[str, AuditEntry]:
    """The settle entries by account number."""
    number = {o.id: key for key, o in R.opportunities().items()}
    entries = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.entity_type == "renewalopportunity", AuditEntry.action == "settle"
        )
    )
    return {number[e.entity_id]: e for e in entries}


def recorded(o) -> tuple:
    return (o.outcome, o.outcome_date, o.new_facility_id, o.new_plafond, o.topup_amount)


def test_each_outcome_recorded_and_audited_as_the_listing_proposes(world, loader):
    code = world.officer.officer_code
    loader.loan_listing(R.first_loans(code), R.OCT31)
    loader.loan_listing(R.second_loans(code), R.NOV30)
    l1b, l2b = R.facility_id("L1B"), R.facility_id("L2B")
    found, m = R.opportunities(), Decimal(1_000_000)
    assert {k: recorded(o) for k, o in found.items() if o.outcome} == {
        "L1": ("renewed", date(2026, 11, 20), l1b, 500 * m, None),  # its new facility's start
        "L2": ("topped_up", date(2026, 11, 25), l2b, 800 * m, 300 * m),
        "L5": ("paid_off_retained", R.NOV30, None, None, None),  # closed by the November listing
        "L6": ("paid_off_lost", R.NOV30, None, None, None),
        "L7": ("renewed", date(2026, 11, 28), None, 500 * m, None),  # in place: its old maturity
    }
    assert {k: o.proposed_outcome for k, o in found.items() if o.outcome} == {
        k: o.outcome for k, o in found.items() if o.outcome
    }
    assert all(o.version == 2 for o in found.values() if o.outcome)

    entries = settle_entries()
    assert {k: e.after for k, e in entries.items()} == {
        "L1": {
            "outcome": "renewed",
            "day": "2026-11-20",
            "new_facility_id": l1b,
            "new_plafond": "500000000.00",
            "topup": None,
        },
        "L2": {
            "outcome": "topped_up",
            "day": "2026-11-25",
            "new_facility_id": l2b,
            "new_plafond": "800000000.00",
            "topup": "300000000.00",
        },
        "L5": {
            "outcome": "paid_off_retained",
            "day": "2026-11-30",
            "new_facility_id": None,
            "new_plafond": None,
            "topup": None,
        },
        "L6": {
            "outcome": "paid_off_lost",
            "day": "2026-11-30",
            "new_facility_id": None,
            "new_plafond": None,
            "topup": None,
        },
        "L7": {
            "outcome": "renewed",
            "day": "2026-11-28",
            "new_facility_id": None,
            "new_plafond": "500000000.00",
            "topup": None,
        },
    }
    assert {(e.actor_id, str(e.before)) for e in entries.values()} == {
        (None, str({"stage": "open", "outcome": None}))
    }


def test_a_line_past_its_yearly_extension_is_renewed_or_topped_up_in_place(world, loader):
    code = world.officer.officer_code
    grows = {"start_date": date(2024, 11, 15)}
    stays = {"start_date": date(2024, 11, 16)}
    loader.loan_listing(
        [
            R.loan("W1", "CIF41", code, date(2029, 11, 15), **grows),
            R.loan("W2", "CIF42", code, date(2029, 11, 16), **stays),
        ],
        R.OCT31,
    )
    found = R.opportunities()
    assert {k: (o.basis, o.maturity_date) for k, o in found.items()} == {
        "W1": ("anniversary", date(2026, 11, 15)),
        "W2": ("anniversary", date(2026, 11, 16)),
    }
    record = loader.loan_listing(
        [
            R.loan("W1", "CIF41", code, date(2029, 11, 15), juta=650, **grows),
            R.loan("W2", "CIF42", code, date(2029, 11, 16), **stays),
        ],
        R.NOV30,
    )
    assert record.summary["renewals"]["loans_settled"] == 2
    m = Decimal(1_000_000)
    assert {k: recorded(o) for k, o in R.opportunities().items()} == {
        "W1": ("topped_up", date(2026, 11, 15), None, 650 * m, 150 * m),
        "W2": ("renewed", date(2026, 11, 16), None, 500 * m, None),
    }


def test_paid_off_is_retained_while_anything_is_held_on_the_newest_listings(world, loader):
    service = make_product("MBANK", kind="service", subtype=None, name="Mobile banking")
    code = world.officer.officer_code
    far = R.loan("X9", "CIF49", code, date(2029, 6, 30), product_code="KI")
    loans = [R.loan(f"P{n}", f"CIF4{n}", code, date(2026, 11, 20)) for n in (1, 2, 3, 4)]
    loader.loan_listing([*loans, far], R.OCT31)
    assert R.count() == 4
    loader.deposit_listing([D.line("T1", "CIF41", code), D.line("T4", "CIF44", code)], R.OCT31)
    loader.deposit_listing([D.line("T1", "CIF41", code)], R.NOV30)  # T4 closed
    cif42 = db.session.scalar(sa.select(Customer.id).where(Customer.cif == "CIF42"))
    db.session.add(ProductHolding(customer_id=cif42, product_id=service.id))
    db.session.commit()

    record = loader.loan_listing([far], R.NOV30)  # P1–P4 paid off
    assert record.summary["renewals"]["loans_settled"] == 4
    assert {k: o.outcome for k, o in R.opportunities().items()} == {
        "P1": "paid_off_retained",  # a tabungan on the November deposits listing
        "P2": "paid_off_retained",  # mobile banking, recorded by hand
        "P3": "paid_off_lost",
        "P4": "paid_off_lost",  # its tabungan closed by the November deposits listing
    }
