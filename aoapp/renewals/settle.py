"""The next listing settles what it can by itself; the officer confirms (renewals/services.py).

Loans, on the newest loan listing (`as_of`), for each open loan opportunity:

    its facility was closed (the listing left it out) and the customer opened a new facility
        starting within RENEWAL_MATCH_DAYS (60) of the old maturity       renewed, or topped up
        when the new plafond is larger (new plafond and top-up = new − old recorded); each new
        facility renews one opportunity only;
    closed, no new facility, the customer still holds something (a facility, an open deposit
        account, a recorded service, on the newest listings: funding/held.py, the set-based
        side of customers.holdings)                                     paid off, retained
    closed and nothing left                                                    paid off, lost
    still active with a later maturity (renewed in place), or a line past its yearly
        extension date still active                  renewed, or topped up when its plafond grew

Deposits, on the accounts as the newest deposits listing left them: closed → withdrawn; still
open with a later maturity → rolled over.

Each settlement closes the opportunity with the outcome proposed (`settled_by` listing,
`confirmed` false), one audit entry each (no actor: the system). Anything else stays open.

Set-based, whatever the number of opportunities: one UPDATE per kind of outcome decides and
writes it in the database; only the match of closed facilities to new ones runs here, over the
candidate pairs one join finds. The audit entries are one multi-row insert.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.credit.models import Facility, FacilityStatus
from aoapp.extensions import db
from aoapp.funding.held import holdings, listings_on, of_customers
from aoapp.funding.models import DepositAccount, DepositStatus
from aoapp.renewals.models import (
    Basis,
    Kind,
    RenewalOpportunity,
    RenewalOutcome,
    SettledBy,
    Stage,
)

ENTITY = "renewalopportunity"  # audit.services.entity_type of the model
table = RenewalOpportunity.__table__
o = table.c
CLOSED = FacilityStatus.CLOSED.value
RETAINED = RenewalOutcome.PAID_OFF_RETAINED.value
WRITTEN = (o.id, o.outcome, o.outcome_date, o.new_facility_id, o.new_plafond, o.topup_amount)


@dataclass(frozen=True)
class Settlement:
    """The outcome a listing proposes for one opportunity."""

    id: int
    outcome: str
    day: date
    new_facility_id: int | None = None
    new_plafond: Decimal | None = None
    topup: Decimal | None = None


def match_days() -> int:
    """How far from the old maturity a new facility may start to count as its renewal."""
    return int(current_app.config.get("RENEWAL_MATCH_DAYS", 60))


def _open(kind: Kind) -> list[sa.ColumnElement[bool]]:
    return [o.kind == kind.value, o.stage != Stage.CLOSED.value]


def _renewals_by_new_facility(as_of: date) -> list[Settlement]:
    """The open loan opportunities whose facility was closed and whose customer opened a new
    one around the old maturity: each new facility (active, started by `as_of`, the renewal of
    no other opportunity) goes to the earliest maturity it fits, the largest plafond first."""
    new = aliased(Facility, name="new")
    used = sa.select(o.new_facility_id).where(o.new_facility_id.is_not(None))
    pairs = (
        sa.select(o.id, o.maturity_date, o.plafond, new.id, new.start_date, new.plafond)
        .join(Facility, Facility.id == o.facility_id)
        .join(new, new.customer_id == o.customer_id)
        .where(
            *_open(Kind.LOAN),
            Facility.status == CLOSED,
            new.status == FacilityStatus.ACTIVE.value,
            new.start_date <= as_of,
            new.id.not_in(used),
        )
        .order_by(o.maturity_date, o.id, new.id)
    )
    days, taken, settled = timedelta(days=match_days()), set(), []
    fits_of: dict[tuple, list] = {}
    for row_id, matures, old, *facility in db.session.execute(pairs):
        fits_of.setdefault((matures, row_id, old), []).append(facility)
    for (matures, row_id, old), candidates in fits_of.items():  # by maturity, then id
        fits = [f for f in candidates if f[0] not in taken and abs(f[1] - matures) <= days]
        if fits:
            facility_id, started, plafond = max(fits, key=lambda f: (f[2], -f[0]))
            taken.add(facility_id)
            grew = old is not None and plafond > old
            outcome = RenewalOutcome.TOPPED_UP if grew else RenewalOutcome.RENEWED
            topup = plafond - old if grew else None
            settled.append(Settlement(row_id, outcome.value, started, facility_id, plafond, topup))
    return settled


def _close_matched(settled: list[Settlement], now) -> list[Settlement]:
    """Write the renewals by a new facility (of the opportunities still open)."""
    if settled:
        db.session.execute(
            table.update()
            .where(o.id == sa.bindparam("row_id"), o.stage != Stage.CLOSED.value)
            .values(
                **_closing(now, sa.bindparam("new_outcome")),
                outcome_date=sa.bindparam("day"),
                new_facility_id=sa.bindparam("new_id"),
                new_plafond=sa.bindparam("new_amount"),
                topup_amount=sa.bindparam("topup"),
            ),
            [
                {
                    "row_id": s.id,
                    "new_outcome": s.outcome,
                    "day": s.day,
                    "new_id": s.new_facility_id,
                    "new_amount": s.new_plafond,
                    "topup": s.topup,
                }
                for s in settled
            ],
        )
    return settled


def _closing(now, outcome) -> dict:
    return {
        "stage": Stage.CLOSED.value,
        "outcome": outcome,
        "proposed_outcome": outcome,
        "settled_by": SettledBy.LISTING.value,
        "confirmed": False,
        "version": o.version + 1,
        "updated_at": now,
    }


def _close(decided: sa.Select, now) -> list[Settlement]:
    """One UPDATE closing the open opportunities `decided` selects (id, outcome, day, new
    plafond, top-up); what it wrote. Decided first (MATERIALIZED): each row's outcome is then
    worked out once, not once for `outcome` and again for `proposed_outcome`."""
    d = decided.cte("decided").prefix_with("MATERIALIZED")
    stmt = (
        table.update()
        .where(o.id == d.c.id, o.stage != Stage.CLOSED.value)
        .values(
            **_closing(now, d.c.outcome),
            outcome_date=d.c.day,
            new_facility_id=None,
            new_plafond=d.c.new_plafond,
            topup_amount=d.c.topup,
        )
        .returning(*WRITTEN)
    )
    return [Settlement(*row) for row in db.session.execute(stmt)]


def _settling(as_of: date) -> sa.CTE:
    """The open loan opportunities the listing answers, with their facility as it left it: closed,
    matured later (renewed in place), or an active line past its yearly extension date."""
    f = Facility
    return (
        sa.select(
            o.id,
            o.customer_id,
            o.maturity_date,
            o.plafond,
            f.status,
            f.closed_on,
            f.plafond.label("now_plafond"),
        )
        .join(f, f.id == o.facility_id)
        .where(
            *_open(Kind.LOAN),
            sa.or_(
                f.status == CLOSED,
                sa.and_(o.basis == Basis.MATURITY.value, f.maturity_date > o.maturity_date),
                sa.and_(o.basis == Basis.ANNIVERSARY.value, o.maturity_date <= as_of),
            ),
        )
        .cte("settling")
    )


def _by_listing(as_of: date, today: date) -> sa.Select:
    """The outcome of each settling opportunity (the ones a new facility renewed are closed by
    now): a closed facility was paid off, retained while the customer holds anything on the
    newest listings (funding/held.py, asked once for all of them), else lost; an active one was
    renewed, or topped up when its plafond grew (an unknown old plafond: renewed)."""
    s, day = _settling(as_of).c, sa.literal(as_of, sa.Date)
    closed = s.status == CLOSED
    gone = sa.select(s.customer_id).where(closed)
    held = holdings(listings_on(today), of_customers(gone))
    retained = s.customer_id.in_(sa.select(held.c.customer_id))
    grew = s.now_plafond > s.plafond
    outcome = sa.case(
        (sa.and_(closed, retained), RenewalOutcome.PAID_OFF_RETAINED.value),
        (closed, RenewalOutcome.PAID_OFF_LOST.value),
        (grew, RenewalOutcome.TOPPED_UP.value),
        else_=RenewalOutcome.RENEWED.value,
    )
    return sa.select(
        s.id,
        outcome.label("outcome"),
        sa.case(
            (closed, sa.func.coalesce(s.closed_on, day)),
            (s.maturity_date < day, s.maturity_date),
            else_=day,
        ).label("day"),
        sa.case((closed, None), else_=s.now_plafond).label("new_plafond"),
        sa.case((sa.and_(~closed, grew), s.now_plafond - s.plafond)).label("topup"),
    )


def settle_loans(as_of: date | None, today: date) -> dict:
    """Settle the open loan opportunities the loan listing of `as_of` answers; counts."""
    if as_of is None:
        return {"settled": 0}
    now = utcnow()
    settled = _close_matched(_renewals_by_new_facility(as_of), now)
    settled += _close(_by_listing(as_of, today), now)
    return _audit(settled, now)


def settle_deposits(as_of: date | None) -> dict:
    """Settle the open deposit opportunities whose deposito was closed or rolled over."""
    if as_of is None:
        return {"settled": 0}
    a = DepositAccount
    closed = a.status == DepositStatus.CLOSED.value
    decided = (
        sa.select(
            o.id,
            sa.case(
                (closed, RenewalOutcome.WITHDRAWN.value), else_=RenewalOutcome.ROLLED_OVER.value
            ).label("outcome"),
            sa.case(
                (closed, sa.func.coalesce(a.closed_on, sa.literal(as_of, sa.Date))),
                else_=o.maturity_date,
            ).label("day"),
            sa.cast(sa.null(), o.new_plafond.type).label("new_plafond"),
            sa.cast(sa.null(), o.topup_amount.type).label("topup"),
        )
        .join(a, a.id == o.deposit_account_id)
        .where(*_open(Kind.DEPOSIT), sa.or_(closed, a.maturity_date > o.maturity_date))
    )
    now = utcnow()
    return _audit(_close(decided, now), now)


def _audit(settled: list[Settlement], now) -> dict:
    """One audit entry per settlement (no actor: the system); counts by outcome."""
    counts = {"settled": len(settled)}
    if not settled:
        return counts
    db.session.execute(  # the table's INSERT: one executemany, no ORM bookkeeping per row
        AuditEntry.__table__.insert(),
        [
            {
                "at": now,
                "actor_id": None,
                "entity_type": ENTITY,
                "entity_id": s.id,
                "action": "settle",
                "before": {"stage": "open", "outcome": None},
                "after": {
                    "outcome": s.outcome,
                    "day": s.day.isoformat(),
                    "new_facility_id": s.new_facility_id,
                    "new_plafond": _text(s.new_plafond),
                    "topup": _text(s.topup),
                },
            }
            for s in settled
        ],
    )
    for s in settled:
        counts[s.outcome] = counts.get(s.outcome, 0) + 1
    return counts


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
