"""Builders of what a daily digest lists, dated around DAY (a Tuesday; Monday is the bank day
before it), and of the digest records."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.notifications.models import DigestSend, Notification
from aoapp.plans.models import AccountPlan
from tests.support import complaints, credit_visits, funding, renewals
from tests.support import followups as f
from tests.support.credit import post_listing
from tests.support.factories import make_customer
from tests.support.promises import make_promise

DAY = date(2026, 12, 8)  # Tuesday
MONDAY = date(2026, 12, 7)


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def officer_book(officer) -> dict:
    """An officer's customers with one thing of every section: a follow-up overdue and one
    planned today, an account whose DPD rose on Monday's listing, a promise broken on Tuesday
    (deadline Monday) and one due today, a deposito and a loan maturing this week, a plan to
    review. Returns the customers by what they show."""
    late = make_customer(officer, name="Toko Sumber Rejeki")
    f.followup(officer, customer=late, planned_date=days(-4), channel="visit")
    today = make_customer(officer, name="CV Maju Jaya")
    f.followup(officer, customer=today, planned_date=DAY)

    rising = make_customer(officer, name="UD Tani Makmur")
    account = credit_visits.facility(rising, account_no="0013001", maturity_date=date(2029, 1, 2))
    post_listing(days(-4), [(account, 0, "100000000")])
    post_listing(MONDAY, [(account, 15, "100000000")])

    broken = make_customer(officer, name="Warung Bu Sri")
    broken_facility = credit_visits.facility(broken, account_no="0013002")
    make_promise(broken_facility, "2500000", promised_on=days(-10), promised_date=days(-4))
    due = make_customer(officer, name="Bengkel Pak Joko")
    due_facility = credit_visits.facility(due, account_no="0013003")
    make_promise(due_facility, "1750000", promised_on=days(-5), promised_date=DAY)

    saver = make_customer(officer, name="Ibu Ratna")
    deposito = funding.deposit(saver, "DEP0001", "DEP12", maturity_date=days(2), aro=False)
    funding.post_deposits(MONDAY, [(deposito, 150)])
    borrower = make_customer(officer, name="PT Sinar Abadi")
    maturing = credit_visits.facility(borrower, account_no="0013004", maturity_date=days(3))
    renewals.opportunity(maturing, officer)

    planned = make_customer(officer, name="Koperasi Sejahtera")
    db.session.add(
        AccountPlan(
            customer_id=planned.id, year=2026, starts_on=date(2026, 3, 2), next_review_date=days(1)
        )
    )
    db.session.commit()
    return {
        "late": late,
        "today": today,
        "rising": rising,
        "broken": broken,
        "due": due,
        "saver": saver,
        "borrower": borrower,
        "planned": planned,
    }


def supervisor_book(officer) -> dict:
    """In the officer's branch: a complaint escalated to the supervisor and one overdue."""
    escalated = make_customer(officer, name="Apotek Sehat")
    complaints.complaint(
        escalated,
        status="escalated",
        escalated_at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC),
        received_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
        due_date=days(6),
    )
    late = make_customer(officer, name="Salon Cantik")
    complaints.complaint(
        late, received_at=datetime(2026, 11, 17, 3, 0, tzinfo=UTC), due_date=days(-3)
    )
    return {"escalated": escalated, "late": late}


def sends(user=None) -> list[DigestSend]:
    """The digest records (of one user), by id."""
    db.session.expire_all()
    stmt = sa.select(DigestSend).order_by(DigestSend.id)
    if user is not None:
        stmt = stmt.where(DigestSend.user_id == user.id)
    return list(db.session.scalars(stmt))


def notifications(user=None) -> list[Notification]:
    """The notifications (of one user), by id."""
    db.session.expire_all()
    stmt = sa.select(Notification).order_by(Notification.id)
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return list(db.session.scalars(stmt))


def notification(person, sections=(("overdue_followups", 2), ("promises_broken", 1)), **kw):
    """A digest notification of `person` (as a digest run stores it), unread."""
    from aoapp.notifications.texts import DIGEST_BODY, DIGEST_TITLE

    row = Notification(
        user_id=person.id,
        kind="digest",
        title_code=DIGEST_TITLE,
        title_params={"day": DAY.isoformat()},
        body_code=DIGEST_BODY,
        body_params={"sections": [list(pair) for pair in sections]},
        endpoint="agenda.team" if person.role == "supervisor" else "agenda.home",
        bank_day=DAY,
        **kw,
    )
    db.session.add(row)
    db.session.commit()
    return row
