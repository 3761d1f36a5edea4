"""The next listing settles what it can by itself; the officer confirms (renewals/services.py).

Loans, on the newest loan listing (`as_of`), for each open loan opportunity:

    its facility was closed (the listing left it out) and the customer opened a new facility
        starting within RENEWAL_MATCH_DAYS (60) of the old maturity       renewed, or topped up
        when the new plafond is larger (new plafond and top-up = new − old recorded); each new
        facility renews one opportunity only;
    closed, no new facility, the customer still holds something (customers.holdings: a
        facility, an open deposit account, a recorded service)                 paid off, retained
    closed and nothing left                                                    paid off, lost
    still active with a later maturity (renewed in place), or a line past its yearly
        extension date still active                  renewed, or topped up when its plafond grew

Deposits, on the accounts as the newest deposits listing left them: closed → withdrawn; still
open with a later maturity → rolled over.

Each settlement closes the opportunity with the outcome proposed (`settled_by` listing,
`confirmed` false), one audit entry each (no actor: the system). Anything else stays open.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.credit.models import Facility, FacilityStatus
from aoapp.customers.holdings import holdings_of
from aoapp.extensions import db
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


@dataclass(frozen=True)
class Settlement:
    """The outcome a listing proposes for one opportunity."""

    id: int
    outcome: RenewalOutcome
    day: date
    new_facility_id: int | None = None
    new_plafond: Decimal | None = None
    old_plafond: Decimal | None = None

    @property
    def topup(self) -> Decimal | None:
        if self.outcome != RenewalOutcome.TOPPED_UP:
            return None
        return self.new_plafond - self.old_plafond


def match_days() -> int:
    """How far from the old maturity a new facility may start to count as its renewal."""
    return int(current_app.config.get("RENEWAL_MATCH_DAYS", 60))


def _renewal(row_id: int, day: date, old: Decimal | None, new: Decimal, new_id=None) -> Settlement:
    grew = old is not None and new > old
    outcome = RenewalOutcome.TOPPED_UP if grew else RenewalOutcome.RENEWED
    return Settlement(row_id, outcome, day, new_id, new, old)


def _new_facilities(customer_ids: set[int], closed_ids: set[int]) -> dict[int, list]:
    """The customers' active facilities not yet the renewal of another opportunity."""
    used = sa.select(RenewalOpportunity.new_facility_id).where(
        RenewalOpportunity.new_facility_id.is_not(None)
    )
    stmt = sa.select(
        Facility.customer_id, Facility.id, Facility.start_date, Facility.plafond
    ).where(
        Facility.customer_id.in_(sorted(customer_ids)),
        Facility.status == FacilityStatus.ACTIVE,
        Facility.id.not_in(sorted(closed_ids)),
        Facility.id.not_in(used),
    )
    found: dict[int, list] = {}
    for customer_id, *facility in db.session.execute(stmt.order_by(Facility.id)):
        found.setdefault(customer_id, []).append(facility)
    return found


def _closed(rows, as_of: date) -> list[Settlement]:
    """Settlements of the opportunities whose facility the listing closed."""
    if not rows:
        return []
    new = _new_facilities({r.customer_id for r in rows}, {r.facility_id for r in rows})
    days, taken, settled, unmatched = timedelta(days=match_days()), set(), [], []
    for r in sorted(rows, key=lambda r: (r.maturity_date, r.id)):
        fits = [
            f
            for f in new.get(r.customer_id, [])
            if f[0] not in taken and abs(f[1] - r.maturity_date) <= days and f[1] <= as_of
        ]
        if fits:
            facility_id, started, plafond = max(fits, key=lambda f: (f[2], -f[0]))
            taken.add(facility_id)
            settled.append(_renewal(r.id, started, r.plafond, plafond, facility_id))
        else:
            unmatched.append(r)
    held = holdings_of({r.customer_id for r in unmatched})
    for r in unmatched:
        outcome = (
            RenewalOutcome.PAID_OFF_RETAINED
            if held[r.customer_id]
            else RenewalOutcome.PAID_OFF_LOST
        )
        settled.append(Settlement(r.id, outcome, r.closed_on or as_of))
    return settled


def settle_loans(as_of: date | None) -> dict:
    """Settle the open loan opportunities the loan listing of `as_of` answers; counts."""
    if as_of is None:
        return {"settled": 0}
    o, f = RenewalOpportunity, Facility
    stmt = (
        sa.select(
            o.id,
            o.customer_id,
            o.facility_id,
            o.maturity_date,
            o.plafond,
            f.status,
            f.closed_on,
            f.plafond.label("now_plafond"),
        )
        .join(f, f.id == o.facility_id)
        .where(
            o.kind == Kind.LOAN.value,
            o.stage != Stage.CLOSED.value,
            sa.or_(
                f.status == FacilityStatus.CLOSED.value,
                sa.and_(o.basis == Basis.MATURITY.value, f.maturity_date > o.maturity_date),
                sa.and_(o.basis == Basis.ANNIVERSARY.value, o.maturity_date <= as_of),
            ),
        )
    )
    rows = list(db.session.execute(stmt))
    closed = [r for r in rows if r.status == FacilityStatus.CLOSED.value]
    settled = _closed(closed, as_of)
    settled += [
        _renewal(r.id, min(as_of, r.maturity_date), r.plafond, r.now_plafond)
        for r in rows
        if r.status != FacilityStatus.CLOSED.value
    ]
    return _apply(settled)


def settle_deposits(as_of: date | None) -> dict:
    """Settle the open deposit opportunities whose deposito was closed or rolled over."""
    if as_of is None:
        return {"settled": 0}
    o, a = RenewalOpportunity, DepositAccount
    stmt = (
        sa.select(o.id, o.maturity_date, a.status, a.closed_on)
        .join(a, a.id == o.deposit_account_id)
        .where(
            o.kind == Kind.DEPOSIT.value,
            o.stage != Stage.CLOSED.value,
            sa.or_(a.status == DepositStatus.CLOSED.value, a.maturity_date > o.maturity_date),
        )
    )
    settled = [
        Settlement(row.id, RenewalOutcome.WITHDRAWN, row.closed_on or as_of)
        if row.status == DepositStatus.CLOSED.value
        else Settlement(row.id, RenewalOutcome.ROLLED_OVER, row.maturity_date)
        for row in db.session.execute(stmt)
    ]
    return _apply(settled)


def _apply(settled: list[Settlement]) -> dict:
    """Close each opportunity with its proposed outcome, audited; counts by outcome."""
    counts = {"settled": len(settled)}
    if not settled:
        return counts
    table, now = RenewalOpportunity.__table__, utcnow()
    db.session.execute(
        table.update()
        .where(table.c.id == sa.bindparam("row_id"), table.c.stage != Stage.CLOSED.value)
        .values(
            stage=Stage.CLOSED.value,
            outcome=sa.bindparam("outcome"),
            proposed_outcome=sa.bindparam("outcome"),
            settled_by=SettledBy.LISTING.value,
            confirmed=False,
            outcome_date=sa.bindparam("day"),
            new_facility_id=sa.bindparam("new_facility_id"),
            new_plafond=sa.bindparam("new_plafond"),
            topup_amount=sa.bindparam("topup"),
            version=table.c.version + 1,
            updated_at=now,
        ),
        [_values(s) for s in settled],
    )
    db.session.execute(
        sa.insert(AuditEntry),
        [
            {
                "at": now,
                "actor_id": None,
                "entity_type": ENTITY,
                "entity_id": s.id,
                "action": "settle",
                "before": {"stage": "open", "outcome": None},
                "after": {k: _json(v) for k, v in _values(s).items() if k != "row_id"},
            }
            for s in settled
        ],
    )
    for s in settled:
        counts[s.outcome.value] = counts.get(s.outcome.value, 0) + 1
    return counts


def _values(s: Settlement) -> dict:
    return {
        "row_id": s.id,
        "outcome": s.outcome.value,
        "day": s.day,
        "new_facility_id": s.new_facility_id,
        "new_plafond": s.new_plafond,
        "topup": s.topup,
    }


def _json(value):
    return (
        value.isoformat()
        if isinstance(value, date)
        else (str(value) if isinstance(value, Decimal) else value)
    )
