"""The renewal pipeline as read: scoped lists with each opportunity's latest listing facts, one
opportunity, the agenda's maturing loans; which loans are top-up candidates.

Top-up candidates: open loan opportunities whose facility's latest position has DPD at most
RENEWAL_TOPUP_MAX_DPD (0) and debtor Kol at most RENEWAL_TOPUP_MAX_KOL (1), or that a
supervisor allowed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, paginate
from aoapp.credit.models import Facility, Position
from aoapp.credit.services import latest_positions
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositPosition
from aoapp.renewals.models import Kind, RenewalOpportunity, Stage

WINDOWS = (30, 60, 90)
OPEN = "open"  # list filter: every stage but closed
Opp = RenewalOpportunity


@dataclass(frozen=True)
class Facts:
    """What the latest listing says of the opportunity's account."""

    amount: Decimal | None  # a loan's outstanding, a deposit's balance
    dpd: int | None = None
    kol: int | None = None
    as_of: date | None = None


def days_left(opportunity: RenewalOpportunity, today: date) -> int:
    """Days from `today` to the opportunity's maturity."""
    return (opportunity.maturity_date - today).days


def window_of(opportunity: RenewalOpportunity, today: date) -> int | None:
    """The window bucket: 30 (matured or within 30 days), 60, 90; None beyond."""
    left = days_left(opportunity, today)
    return next((w for w in WINDOWS if left <= w), None)


def topup_limits() -> tuple[int, int]:
    """(most DPD, worst Kol) a loan may have to be offered a top-up without an exception."""
    config = current_app.config
    return int(config.get("RENEWAL_TOPUP_MAX_DPD", 0)), int(config.get("RENEWAL_TOPUP_MAX_KOL", 1))


def _latest(column) -> sa.ScalarSelect:
    return (
        sa.select(column)
        .where(Position.facility_id == Opp.facility_id)
        .order_by(Position.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )


def topup_candidate() -> sa.ColumnElement[bool]:
    """An open loan opportunity fit for a top-up offer (or allowed by a supervisor)."""
    max_dpd, max_kol = topup_limits()
    healthy = sa.and_(
        sa.func.coalesce(_latest(Position.dpd), 0) <= max_dpd,
        sa.func.coalesce(_latest(Position.debtor_kol), 1) <= max_kol,
    )
    return sa.and_(
        Opp.kind == Kind.LOAN.value,
        Opp.stage != Stage.CLOSED.value,
        sa.or_(Opp.topup_allowed == sa.true(), healthy),
    )


def select_opportunities(actor, filters: dict, today: date) -> sa.Select:
    """Scoped, filtered select, sorted by maturity date (pages, API, agenda)."""
    stmt = visible_to(actor, sa.select(Opp), Opp).options(
        joinedload(Opp.customer),
        joinedload(Opp.officer),
        joinedload(Opp.facility).joinedload(Facility.product),
        joinedload(Opp.deposit_account).joinedload(DepositAccount.product),
    )
    if filters.get("officer"):
        stmt = stmt.where(Opp.officer_id == filters["officer"])
    if filters.get("customer"):
        stmt = stmt.where(Opp.customer_id == filters["customer"])
    stage = filters.get("stage")
    if stage == OPEN:
        stmt = stmt.where(Opp.stage != Stage.CLOSED.value)
    elif stage:
        stmt = stmt.where(Opp.stage == stage)
    if filters.get("window"):
        stmt = stmt.where(Opp.maturity_date <= today + timedelta(days=filters["window"]))
    if filters.get("kind"):
        stmt = stmt.where(Opp.kind == filters["kind"])
    if filters.get("topup"):
        stmt = stmt.where(topup_candidate())
    if filters.get("awaiting"):
        stmt = stmt.where(Opp.stage == Stage.CLOSED.value, Opp.confirmed == sa.false())
    return stmt.order_by(Opp.maturity_date, Opp.id)


def facts_of(opportunities) -> dict[int, Facts]:
    """The latest listing's facts of each opportunity's account (two queries), by its id."""
    loans = {o.facility_id: o.id for o in opportunities if o.facility_id}
    facts = {}
    for facility_id, position in latest_positions(sorted(loans)).items():
        facts[loans[facility_id]] = Facts(
            position.outstanding, position.dpd, position.debtor_kol, position.as_of
        )
    deposits = {o.deposit_account_id: o.id for o in opportunities if o.deposit_account_id}
    if deposits:
        dp = DepositPosition
        latest = (
            sa.select(dp.account_id, sa.func.max(dp.as_of).label("as_of"))
            .where(dp.account_id.in_(sorted(deposits)))
            .group_by(dp.account_id)
            .subquery()
        )
        stmt = sa.select(dp.account_id, dp.balance, dp.as_of).join(
            latest, sa.and_(dp.account_id == latest.c.account_id, dp.as_of == latest.c.as_of)
        )
        for account_id, balance, as_of in db.session.execute(stmt):
            facts[deposits[account_id]] = Facts(balance, as_of=as_of)
    return facts


def with_facts(opportunities: list, today: date) -> list:
    """The opportunities with their facts, days left and window set for pages and the API."""
    facts = facts_of(opportunities)
    for o in opportunities:
        o.facts = facts.get(o.id, Facts(None))
        o.read_on = today
        o.window = window_of(o, today)
    return opportunities


def list_opportunities(actor, filters: dict, per_page: int, today: date | None = None) -> Page:
    """One page of the pipeline as `actor` may see it, with each row's facts."""
    today = today or bank_today()
    page = paginate(select_opportunities(actor, filters, today), filters.get("page", 1), per_page)
    with_facts(page.items, today)
    return page


def get_opportunity(actor, opportunity_id) -> RenewalOpportunity:
    """One opportunity the user may see (else NotFound), with its facts."""
    opportunity = get_visible(actor, Opp, opportunity_id)
    return with_facts([opportunity], bank_today())[0]


AGENDA_DAYS = 30
AGENDA_LIMIT = 20


def agenda_renewals(officer, today: date | None = None) -> list:
    """The officer's loans maturing within 30 days still to contact, soonest first (the agenda)."""
    today = today or bank_today()
    filters = {"kind": Kind.LOAN.value, "stage": Stage.TO_CONTACT.value, "window": AGENDA_DAYS}
    stmt = select_opportunities(officer, filters, today).where(Opp.officer_id == officer.id)
    return with_facts(list(db.session.scalars(stmt.limit(AGENDA_LIMIT)).unique()), today)
