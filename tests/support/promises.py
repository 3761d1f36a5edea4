"""Builders of promises to pay: delinquent facilities, positions with arrears, promises."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import deadline_for, state_column, state_of
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer


def delinquent_facility(officer, account_no: str | None = None, **kw) -> Facility:
    """An active facility of a new customer of `officer`."""
    return make_facility(make_customer(officer), account_no, **kw)


def position(facility: Facility, as_of: date, arrears, dpd: int) -> Position:
    """One position of `facility`: `arrears` (principal + interest) split 80/20."""
    total = Decimal(str(arrears))
    interest = (total / 5).quantize(Decimal("0.01"))
    return post_listing(
        as_of,
        [(facility, dpd, "100000000")],
        arrears={facility.id: (total - interest, interest)},
    )[facility.id]


def make_followup(facility: Facility, **kw) -> FollowUp:
    """A follow-up about `facility`, owned by its customer's officer (done collection call)."""
    customer = db.session.get(Customer, facility.customer_id)
    values = {
        "customer_id": customer.id,
        "facility_id": facility.id,
        "owner_id": customer.officer_id,
        "channel": "call",
        "purpose": "collection",
        "planned_date": date(2024, 6, 1),
        "status": "done",
        "outcome": "promised_to_pay",
        "done_at": datetime(2024, 6, 1, 3, 0, tzinfo=UTC),
        "created_by_id": customer.officer_id,
    }
    values.update(kw)
    followup = FollowUp(**values)
    db.session.add(followup)
    db.session.commit()
    return followup


def make_promise(
    facility: Facility,
    amount,
    promised_on: date,
    promised_date: date,
    deadline: date | None = None,
) -> PromiseToPay:
    """A promise to pay `amount` by `promised_date`, made on `promised_on`."""
    followup = make_followup(
        facility,
        planned_date=promised_on,
        done_at=datetime.combine(promised_on, datetime.min.time(), UTC) + timedelta(hours=3),
    )
    promise = PromiseToPay(
        follow_up_id=followup.id,
        facility_id=facility.id,
        customer_id=facility.customer_id,
        officer_id=followup.owner_id,
        promised_amount=Decimal(str(amount)),
        promised_date=promised_date,
        promised_on=promised_on,
        deadline=deadline or deadline_for(promised_date),
    )
    db.session.add(promise)
    db.session.commit()
    return promise


def sql_state(promise: PromiseToPay, today: date) -> str:
    """The promise's state on `today` as the SQL expression computes it."""
    db.session.expire_all()
    stmt = sa.select(state_column(today)).where(PromiseToPay.id == promise.id)
    return db.session.scalar(stmt)


def both_states(promise: PromiseToPay, today: date) -> str:
    """The state on `today`, after checking that Python and SQL agree on it."""
    python = state_of(db.session.get(PromiseToPay, promise.id), today)
    sql = sql_state(promise, today)
    assert python.value == sql, f"state_of says {python.value}, state_column says {sql}"
    return sql
