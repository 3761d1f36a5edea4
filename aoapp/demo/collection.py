"""Demo promises to pay and collection calls, chosen against the real demo positions.

The demo listings are generated, so which facility kept or broke a promise is found by reading
the positions with the PTP rule itself (`promises.derive_state`), never assumed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.dates import bank_zone
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import promises
from aoapp.followups.models import PromiseState
from aoapp.followups.promises import PositionFact

THOUSAND = Decimal(1000)
MAX_HISTORY = 6  # past collection calls logged per officer


def local_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a business day in the bank's zone, as UTC (how timestamps are stored)."""
    return datetime.combine(day, time(hour, minute), bank_zone()).astimezone(UTC)


def _round_down(amount: Decimal) -> Decimal:
    return (amount / THOUSAND).to_integral_value(ROUND_DOWN) * THOUSAND


@dataclass(frozen=True)
class Book:
    """An officer's facilities and every position of them, as the PTP rule reads them."""

    facilities: dict[int, Facility]
    facts: dict[int, list[PositionFact]]
    dates: list[date]


def load_book(officer: User) -> Book:
    """The officer's facilities and their positions (two queries)."""
    facilities = {
        f.id: f
        for f in db.session.scalars(
            sa.select(Facility)
            .join(Customer, Customer.id == Facility.customer_id)
            .where(Customer.officer_id == officer.id)
            .order_by(Facility.id)
        )
    }
    facts: dict[int, list[PositionFact]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(
            Position.facility_id,
            Position.as_of,
            Position.arrears_principal + Position.arrears_interest,
            Position.dpd,
        )
        .where(Position.facility_id.in_(list(facilities)))
        .order_by(Position.facility_id, Position.as_of)
    )
    for facility_id, as_of, arrears, dpd in rows:
        facts[facility_id].append(PositionFact(as_of, Decimal(str(arrears)), dpd))
    dates = sorted({p.as_of for positions in facts.values() for p in positions})
    return Book(facilities, dict(facts), dates)


@dataclass(frozen=True)
class PromiseSpec:
    """A promise to record: on which facility, when made, what and by when."""

    facility_id: int
    promised_on: date
    promised_date: date
    amount: Decimal
    state: PromiseState
    listing: date  # the listing the promise answers (its arrears are the baseline)


def _past_promise(book: Book, facility_id: int, i: int, today: date) -> PromiseSpec | None:
    """A promise made just after listing i-1, due just before listing i, and its state."""
    positions = book.facts[facility_id]
    before, after = positions[i - 1], positions[i]
    if before.dpd == 0 or (after.as_of - before.as_of).days < 20:
        return None
    amount = _round_down(before.arrears)
    if amount <= 0:
        return None
    promised_on = before.as_of + timedelta(days=3)
    promised_date = after.as_of - timedelta(days=2)
    deadline = promises.deadline_for(promised_date)
    state = promises.derive_state(amount, promised_on, deadline, positions, today)
    return PromiseSpec(facility_id, promised_on, promised_date, amount, state, before.as_of)


def _scan(book: Book, today: date, state: PromiseState, facility_ids) -> PromiseSpec | None:
    """The most recent past promise on these facilities that the listings show in `state`."""
    depth = max((len(p) for p in book.facts.values()), default=0)
    for i in range(depth - 1, 0, -1):  # the latest listings first
        for facility_id in facility_ids:
            if i < len(book.facts[facility_id]):
                spec = _past_promise(book, facility_id, i, today)
                if spec is not None and spec.state == state:
                    return spec
    return None


def _pending(book: Book, today: date, facility_id: int) -> PromiseSpec | None:
    """A promise made after the latest listing, due in a few days: no listing can show it yet."""
    latest = book.facts[facility_id][-1]
    promised_on = max(latest.as_of + timedelta(days=1), today - timedelta(days=2))
    promised_date = today + timedelta(days=4)
    amount = _round_down(latest.arrears)
    deadline = promises.deadline_for(promised_date)
    state = promises.derive_state(amount, promised_on, deadline, book.facts[facility_id], today)
    if amount <= 0 or state != PromiseState.PENDING:
        return None
    return PromiseSpec(facility_id, promised_on, promised_date, amount, state, latest.as_of)


def choose_promises(book: Book, today: date, prefer: dict | None = None) -> list[PromiseSpec]:
    """A kept, a broken and a pending promise, each on its own facility, when the book has them.

    `prefer` names the facility of each state the demo's stories are about (demo/stories.py),
    tried first. Otherwise the broken one is on a facility still past due when one exists (the
    officer chases it), the pending one on a facility past due on the latest listing.
    """
    prefer = {state: f for state, f in (prefer or {}).items() if f in book.facts}
    everything = list(book.facts)
    overdue = [facility_id for facility_id, _dpd in delinquent_now(book)]
    specs: list[PromiseSpec] = []

    def unused(ids):
        used = {spec.facility_id for spec in specs}
        return [f for f in ids if f not in used]

    for state, fallbacks in (
        (PromiseState.KEPT, [everything]),
        (PromiseState.BROKEN, [overdue, everything]),
    ):
        candidates = [[prefer[state]]] if state in prefer else []
        for ids in [*candidates, *fallbacks]:
            found = _scan(book, today, state, unused(ids))
            if found is not None:
                specs.append(found)
                break
    first = [prefer[PromiseState.PENDING]] if PromiseState.PENDING in prefer else []
    for facility_id in unused([*first, *sorted(overdue)]):
        if facility_id in overdue:
            pending = _pending(book, today, facility_id)
            if pending is not None:
                specs.append(pending)
                break
    return specs


def delinquent_now(book: Book) -> list[tuple[int, int]]:
    """(facility id, DPD) of facilities past due on the latest listing, highest DPD first."""
    if not book.dates:
        return []
    latest = book.dates[-1]
    rows = [
        (facility_id, positions[-1].dpd)
        for facility_id, positions in book.facts.items()
        if positions[-1].as_of == latest and positions[-1].dpd > 0
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def past_arrears(book: Book, today: date, skip: set[int]) -> list[tuple[int, PositionFact]]:
    """Recent listings where a facility was past due (before the latest): calls to log."""
    if len(book.dates) < 2:
        return []
    found = []
    for as_of in reversed(book.dates[:-1]):
        for facility_id, positions in book.facts.items():
            fact = next((p for p in positions if p.as_of == as_of), None)
            if facility_id in skip or fact is None or fact.dpd == 0:
                continue
            if as_of + timedelta(days=4) < today:
                found.append((facility_id, fact))
                skip = skip | {facility_id}
            if len(found) >= MAX_HISTORY:
                return found
    return found
