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

The statements are renewals/create.py's and renewals/settle.py's, set-based whatever the size of
the listing; on PostgreSQL the planner's statistics of what the listing just changed are brought
up to date first (common/planner.py), or a freshly loaded table is planned as if nearly empty.
"""

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from aoapp.common import latest
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.planner import analyze_stale, analyze_unseen
from aoapp.common.transaction import unit_of_work
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.imports.kinds import after_import
from aoapp.renewals.create import create_anniversaries, create_deposits, create_maturing_loans
from aoapp.renewals.models import RenewalOpportunity, Stage
from aoapp.renewals.settle import settle_deposits, settle_loans

log = logging.getLogger(__name__)
table = RenewalOpportunity.__table__


def window_days() -> int:
    """How far ahead maturities become opportunities (RENEWAL_WINDOW_DAYS, 90)."""
    return int(current_app.config.get("RENEWAL_WINDOW_DAYS", 90))


# The tables a listing has just changed that the statements below plan their joins on.
READ_LOANS = ("facilities", "customers")
READ_DEPOSITS = ("deposit_accounts", "customers")
WORK_MEM = "32MB"  # PostgreSQL, for the refresh's transaction: see _batch_settings
BACK_DAYS = 45  # a listing older than this reaches back no further (a backfill of old months)


def _window(latest: date | None, today: date) -> tuple[date, date]:
    start = min(today, latest) if latest is not None else today
    return max(start, today - timedelta(days=BACK_DAYS)), today + timedelta(days=window_days())


def _follow_customers() -> int:
    """Open opportunities move to their customer's current officer and branch (a listing or a
    reassignment moved the customer); returns how many moved."""
    stmt = (
        sa.update(table)
        .where(
            table.c.stage != Stage.CLOSED.value,
            Customer.id == table.c.customer_id,
            Customer.officer_id.is_not(None),
            sa.or_(
                Customer.officer_id != table.c.officer_id,
                Customer.branch_id != table.c.branch_id,
            ),
        )
        .values(
            officer_id=Customer.officer_id,
            branch_id=Customer.branch_id,
            version=table.c.version + 1,
        )
    )
    return len(db.session.execute(stmt.returning(table.c.id)).all())


def _statistics(loans: bool, deposits: bool) -> None:
    """Planner statistics of what the listings just changed (PostgreSQL; common/planner.py):
    the tables the statements join, and the newest listing dates the settlement reads."""
    analyze_stale(*(READ_LOANS if loans else ()), *(READ_DEPOSITS if deposits else ()))
    if loans:  # funding/held.py: the positions of the newest listings
        analyze_unseen("positions", "as_of", latest_loan_date())
        analyze_unseen("deposit_positions", "as_of", latest_deposit_date())


def _batch_settings() -> None:
    """PostgreSQL, for this transaction: no JIT (compiling a statement costed past
    jit_above_cost took 200 ms, for a 40 ms UPDATE), and the hash of the open opportunities
    held in memory (past the default 4 MB work_mem, joins spill to disk in batches)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text(f"SET LOCAL work_mem = '{WORK_MEM}'"))


def latest_loan_date() -> date | None:
    return latest.newest(latest.LOANS)


def latest_deposit_date() -> date | None:
    return latest.newest(latest.DEPOSITS)


def refresh(*, today: date | None = None, loans: bool = True, deposits: bool = True) -> dict:
    """Create the missing opportunities, move open ones to their customer's officer, and let
    the newest listings settle what they can (renewals/settle.py); one transaction (commits)."""
    today = today or bank_today()
    now = utcnow()
    counts: dict = {}
    _statistics(loans, deposits)
    with unit_of_work():
        _batch_settings()
        counts["moved"] = _follow_customers()
        if loans:
            as_of = latest_loan_date()
            start, end = _window(as_of, today)
            counts["loans"] = create_maturing_loans(start, end, now)
            counts["extensions"] = create_anniversaries(start, end, now)
            counts |= {f"loans_{k}": v for k, v in settle_loans(as_of, today).items()}
        if deposits:
            as_of = latest_deposit_date()
            start, end = _window(as_of, today)
            counts["deposits"] = create_deposits(start, end, now)
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
