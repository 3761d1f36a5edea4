"""Renewal opportunities made by the system: after each loan and deposits listing, and daily.

What becomes an opportunity (owned by the customer's current active officer, booked to the
customer's branch; a customer without one is skipped and counted):

    an active facility maturing within RENEWAL_WINDOW_DAYS (90)                 basis maturity
    a working-capital line (product credit subtype `working_capital`) maturing later than the
        window, whose yearly anniversary of its start date falls within it: a revolving
        line's yearly extension (the listing holds no revolving flag; a working-capital line
        running longer than a year is reviewed and extended every year)      basis anniversary
    an active or dormant non-ARO deposito maturing within the window          kind deposit

The window runs from the newest listing's date (a facility maturing between that listing and
today is still listed as active, and still worth a call), at most 45 days back (importing a year
of old listings at once makes no opportunities of long-past maturities), to today + the window. An opportunity is
unique per facility (or account) and maturity date: re-running an import or the daily
`flask renewals refresh` creates nothing twice, and two runs at once insert one row (INSERT …
ON CONFLICT DO NOTHING on that key). Open opportunities follow their customer's current officer.

Like suggested follow-ups, the system writes them set-based without an audit entry per row (the
import record's summary counts them); every later change is audited (renewals/services.py,
renewals/settle.py).
"""

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from aoapp.auth.models import User
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition, DepositStatus
from aoapp.imports.kinds import after_import
from aoapp.products.models import CreditSubtype, DepositType, Product
from aoapp.renewals.models import Basis, Kind, RenewalOpportunity, Stage
from aoapp.renewals.settle import settle_deposits, settle_loans

log = logging.getLogger(__name__)
table = RenewalOpportunity.__table__
OPEN_DEPOSITS = (DepositStatus.ACTIVE.value, DepositStatus.DORMANT.value)
COLUMNS = (
    "kind",
    "basis",
    "facility_id",
    "deposit_account_id",
    "customer_id",
    "officer_id",
    "branch_id",
    "maturity_date",
    "plafond",
    "stage",
    "confirmed",
    "lost_note",
    "topup_allowed",
    "version",
    "created_at",
    "updated_at",
)


def window_days() -> int:
    """How far ahead maturities become opportunities (RENEWAL_WINDOW_DAYS, 90)."""
    return int(current_app.config.get("RENEWAL_WINDOW_DAYS", 90))


def _insert():
    """An INSERT that skips rows whose key is taken (a concurrent run's): both databases."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


BACK_DAYS = 45  # a listing older than this reaches back no further (a backfill of old months)


def _window(latest: date | None, today: date) -> tuple[date, date]:
    start = min(today, latest) if latest is not None else today
    return max(start, today - timedelta(days=BACK_DAYS)), today + timedelta(days=window_days())


def _owner(stmt: sa.Select) -> sa.Select:
    """Join the customer and its current active officer (customers without one drop out)."""
    return stmt.join(Customer, Customer.id == Facility.customer_id).join(
        User, sa.and_(User.id == Customer.officer_id, User.active == sa.true())
    )


def _common(now) -> dict:
    return {
        "stage": sa.literal(Stage.TO_CONTACT.value),
        "confirmed": sa.false(),
        "lost_note": sa.literal(""),
        "topup_allowed": sa.false(),
        "version": sa.literal(1),
        "created_at": sa.literal(now, table.c.created_at.type),
        "updated_at": sa.literal(now, table.c.updated_at.type),
    }


def _create_maturing_loans(start: date, end: date, now) -> int:
    """One INSERT … SELECT of the active facilities maturing in [start, end]."""
    taken = sa.exists().where(
        table.c.facility_id == Facility.id, table.c.maturity_date == Facility.maturity_date
    )
    values = {
        "kind": sa.literal(Kind.LOAN.value),
        "basis": sa.literal(Basis.MATURITY.value),
        "facility_id": Facility.id,
        "deposit_account_id": sa.null(),
        "customer_id": Facility.customer_id,
        "officer_id": User.id,
        "branch_id": Customer.branch_id,
        "maturity_date": Facility.maturity_date,
        "plafond": Facility.plafond,
        **_common(now),
    }
    select = _owner(sa.select(*(v.label(k) for k, v in values.items()))).where(
        Facility.status == FacilityStatus.ACTIVE,
        Facility.maturity_date.between(start, end),
        ~taken,
    )
    insert = _insert().from_select(list(values), select).on_conflict_do_nothing()
    return len(db.session.execute(insert.returning(table.c.id)).all())


def _month_day(column) -> sa.ColumnElement[str]:
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(column, "MMDD")
    return sa.func.strftime("%m%d", column)


def anniversary_in(start_date: date, start: date, end: date) -> date | None:
    """The first anniversary of `start_date` in [start, end] (29 February: the 28th in other
    years), None when there is none."""
    for year in range(start.year, end.year + 1):
        try:
            day = start_date.replace(year=year)
        except ValueError:
            day = date(year, 2, 28)
        if start <= day <= end and day > start_date:
            return day
    return None


def _create_anniversaries(start: date, end: date, now) -> int:
    """Working-capital lines maturing after the window whose anniversary falls within it."""
    mmdd = _month_day(Facility.start_date)
    first, last = f"{start:%m%d}", f"{end:%m%d}"
    in_range = mmdd.between(first, last) if first <= last else sa.or_(mmdd >= first, mmdd <= last)
    taken = sa.exists().where(
        table.c.facility_id == Facility.id, table.c.maturity_date.between(start, end)
    )
    stmt = _owner(
        sa.select(
            Facility.id,
            Facility.customer_id,
            User.id,
            Customer.branch_id,
            Facility.start_date,
            Facility.plafond,
        ).join(Product, Product.id == Facility.product_id)
    ).where(
        Facility.status == FacilityStatus.ACTIVE,
        Product.credit_subtype == CreditSubtype.WORKING_CAPITAL.value,
        Facility.maturity_date > end,
        Facility.start_date < start - timedelta(days=300),  # at least one year run by then
        in_range,
        ~taken,
    )
    rows = []
    for facility_id, customer_id, officer_id, branch_id, started, plafond in db.session.execute(
        stmt
    ):
        day = anniversary_in(started, start, end)
        if day is None:
            continue
        rows.append(
            {
                "kind": Kind.LOAN.value,
                "basis": Basis.ANNIVERSARY.value,
                "facility_id": facility_id,
                "deposit_account_id": None,
                "customer_id": customer_id,
                "officer_id": officer_id,
                "branch_id": branch_id,
                "maturity_date": day,
                "plafond": plafond,
                "stage": Stage.TO_CONTACT.value,
                "confirmed": False,
                "lost_note": "",
                "topup_allowed": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    if not rows:
        return 0
    db.session.execute(_insert().on_conflict_do_nothing(), rows)
    made = sa.select(sa.func.count()).where(
        table.c.basis == Basis.ANNIVERSARY.value,
        table.c.created_at == sa.literal(now, table.c.created_at.type),
    )
    return db.session.scalar(made)  # not the rows a concurrent run inserted first


def _create_deposits(start: date, end: date, now) -> int:
    """One INSERT … SELECT of the open non-ARO depositos maturing in [start, end]."""
    a = DepositAccount
    taken = sa.exists().where(
        table.c.deposit_account_id == a.id, table.c.maturity_date == a.maturity_date
    )
    values = {
        "kind": sa.literal(Kind.DEPOSIT.value),
        "basis": sa.literal(Basis.MATURITY.value),
        "facility_id": sa.null(),
        "deposit_account_id": a.id,
        "customer_id": a.customer_id,
        "officer_id": User.id,
        "branch_id": Customer.branch_id,
        "maturity_date": a.maturity_date,
        "plafond": sa.null(),
        **_common(now),
    }
    select = (
        sa.select(*(v.label(k) for k, v in values.items()))
        .join(Customer, Customer.id == a.customer_id)
        .join(User, sa.and_(User.id == Customer.officer_id, User.active == sa.true()))
        .where(
            a.deposit_type == DepositType.DEPOSITO.value,
            sa.func.coalesce(a.aro, sa.false()) == sa.false(),
            a.status.in_(OPEN_DEPOSITS),
            a.maturity_date.between(start, end),
            ~taken,
        )
    )
    insert = _insert().from_select(list(values), select).on_conflict_do_nothing()
    return len(db.session.execute(insert.returning(table.c.id)).all())


def _follow_customers() -> int:
    """Open opportunities move to their customer's current officer and branch (a listing or a
    reassignment moved the customer); returns how many moved."""
    officer = (
        sa.select(Customer.officer_id).where(Customer.id == table.c.customer_id).scalar_subquery()
    )
    branch = (
        sa.select(Customer.branch_id).where(Customer.id == table.c.customer_id).scalar_subquery()
    )
    moved = sa.exists().where(
        Customer.id == table.c.customer_id,
        Customer.officer_id.is_not(None),
        sa.or_(Customer.officer_id != table.c.officer_id, Customer.branch_id != table.c.branch_id),
    )
    stmt = (
        sa.update(table)
        .where(table.c.stage != Stage.CLOSED.value, moved)
        .values(officer_id=officer, branch_id=branch, version=table.c.version + 1)
    )
    return len(db.session.execute(stmt.returning(table.c.id)).all())


def latest_loan_date() -> date | None:
    return db.session.scalar(sa.select(sa.func.max(Position.as_of)))


def latest_deposit_date() -> date | None:
    return db.session.scalar(sa.select(sa.func.max(DepositPosition.as_of)))


def refresh(*, today: date | None = None, loans: bool = True, deposits: bool = True) -> dict:
    """Create the missing opportunities, move open ones to their customer's officer, and let
    the newest listings settle what they can (renewals/settle.py); one transaction (commits)."""
    today = today or bank_today()
    now = utcnow()
    counts: dict = {}
    with unit_of_work():
        counts["moved"] = _follow_customers()
        if loans:
            as_of = latest_loan_date()
            start, end = _window(as_of, today)
            counts["loans"] = _create_maturing_loans(start, end, now)
            counts["extensions"] = _create_anniversaries(start, end, now)
            counts |= {f"loans_{k}": v for k, v in settle_loans(as_of).items()}
        if deposits:
            as_of = latest_deposit_date()
            start, end = _window(as_of, today)
            counts["deposits"] = _create_deposits(start, end, now)
            counts |= {f"deposits_{k}": v for k, v in settle_deposits(as_of).items()}
    counts["created"] = sum(counts.get(k, 0) for k in ("loans", "extensions", "deposits"))
    log.info("renewal opportunities refreshed: %s", counts)
    return counts


@after_import(
    "loans",
    key="renewals",
    failed=_l("Renewal opportunities could not be updated: %(reason)s"),
)
def refresh_after_loan_listing(record) -> dict:
    """After each loan listing: maturing facilities become opportunities; settle the rest."""
    return refresh(deposits=False)


@after_import(
    "deposits",
    key="renewals",
    failed=_l("Renewal opportunities could not be updated: %(reason)s"),
)
def refresh_after_deposit_listing(record) -> dict:
    """After each deposits listing: maturing non-ARO depositos become opportunities."""
    return refresh(loans=False)
