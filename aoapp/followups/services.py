"""Follow-ups and promises to pay: the queries (scoped, filtered, with the promise state computed
in the same SELECT) and, re-exported from actions.py, every change (plan, complete, reschedule...).
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from aoapp.auth.models import Role, User
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import conditions, promises
from aoapp.followups.actions import (  # noqa: F401  (the service's public changes)
    CONFLICT,
    can_act,
    can_plan_for,
    cancel,
    hand_over_open_work,
    is_owner,
    mark_missed,
    party_for,
    plan,
    require_owner,
    reschedule,
    update,
)
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.outcomes import complete  # noqa: F401
from aoapp.prospects.models import Prospect

# Sort key → columns, the first one named; ties fall back to the id.
FOLLOWUP_SORTS = {
    "planned_date": (
        FollowUp.planned_date,
        sa.case((FollowUp.planned_time.is_(None), 1), else_=0),
        FollowUp.planned_time,
    ),
    "status": (FollowUp.status, FollowUp.planned_date),
    "purpose": (FollowUp.purpose, FollowUp.planned_date),
    "channel": (FollowUp.channel, FollowUp.planned_date),
    "done_at": (FollowUp.done_at,),
    "created_at": (FollowUp.created_at,),
}
PROMISE_SORTS = {
    "promised_date": (PromiseToPay.promised_date,),
    "promised_on": (PromiseToPay.promised_on,),
    "promised_amount": (PromiseToPay.promised_amount,),
    "deadline": (PromiseToPay.deadline,),
}
SECTION_SIZE = 10


def _order(stmt: sa.Select, sort: str | None, sorts: dict, default: str, tie) -> sa.Select:
    """Order by a whitelisted key (`-key` descending); unknown keys use the default."""
    key = sort if sort and sort.lstrip("-") in sorts else default
    descending = key.startswith("-")
    columns = (*sorts[key.lstrip("-")], tie)
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns))


def _count(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))


def _loaded(stmt: sa.Select) -> sa.Select:
    """What a follow-up shows: its party, account, owner and promise, each read for the whole
    list by a statement of its own (those already in the session are not asked again).

    Not joined into the follow-ups' statement, even for the few follow-ups of one customer: with
    its promise's state, the nine tables' join took PostgreSQL 12-21 ms to plan (the order of
    the outer joins searched; 2.5 ms with the written order kept) for 0.3-0.7 ms of execution,
    where the statements of their own plan in well under a millisecond each."""
    return stmt.options(
        selectinload(FollowUp.customer),
        selectinload(FollowUp.prospect),
        selectinload(FollowUp.facility),
        selectinload(FollowUp.deposit_account),
        selectinload(FollowUp.owner),
        selectinload(FollowUp.promise).options(selectinload(PromiseToPay.facility)),
    )


# --- Follow-ups -------------------------------------------------------------------------------


def get_followup(actor, followup_id, *, today: date | None = None) -> FollowUp:
    """A follow-up the user may see (its promise's state attached), or NotFound."""
    followup = get_visible(actor, FollowUp, followup_id)
    if followup.promise is not None:
        describe_promise(followup.promise, today)
    return followup


def filtered_query(actor, filters: dict) -> sa.Select:
    """Scoped, filtered, sorted select of follow-ups (pages, API, agenda)."""
    stmt = visible_to(actor, sa.select(FollowUp))
    equal = {
        "owner": FollowUp.owner_id,
        "status": FollowUp.status,
        "purpose": FollowUp.purpose,
        "customer": FollowUp.customer_id,
        "facility": FollowUp.facility_id,
        "prospect": FollowUp.prospect_id,
    }
    for name, column in equal.items():
        if filters.get(name) is not None:
            stmt = stmt.where(column == filters[name])
    if filters.get("planned_from"):
        stmt = stmt.where(FollowUp.planned_date >= filters["planned_from"])
    if filters.get("planned_to"):
        stmt = stmt.where(FollowUp.planned_date <= filters["planned_to"])
    for name in ("done_from", "done_to", "overdue_on"):
        if filters.get(name):
            stmt = stmt.where(getattr(conditions, name)(filters[name]))
    if filters.get("suggested") is not None:
        suggested = FollowUp.suggestion.is_not(None)
        stmt = stmt.where(suggested if filters["suggested"] else sa.not_(suggested))
    return _order(stmt, filters.get("sort"), FOLLOWUP_SORTS, "planned_date", FollowUp.id)


def _with_promise_state(stmt: sa.Select, today: date | None) -> sa.Select:
    """Add the promise's state (NULL without a promise) to a select of follow-ups."""
    state = sa.case(
        (PromiseToPay.id.is_(None), sa.null()), else_=promises.state_column(today or bank_today())
    )
    return _loaded(
        stmt.outerjoin(PromiseToPay, PromiseToPay.follow_up_id == FollowUp.id).add_columns(
            state.label("promise_state")
        )
    )


def _followups(rows) -> list[FollowUp]:
    """The follow-ups of (follow-up, promise state) rows, each promise carrying its state."""
    items = []
    for followup, state in rows:
        if followup.promise is not None:
            followup.promise.state = state
        items.append(followup)
    return items


def list_followups(actor, filters: dict, per_page: int, *, today: date | None = None) -> Page:
    """One page of the follow-ups the user may see, promise states in the same query."""
    base = filtered_query(actor, filters)
    page = max(1, filters.get("page") or 1)
    stmt = _with_promise_state(base, today).limit(per_page).offset((page - 1) * per_page)
    items = _followups(db.session.execute(stmt))
    return Page(items=items, page=page, per_page=per_page, total=_count(base) or 0)


def next_of(followup: FollowUp) -> list[FollowUp]:
    """The follow-ups planned when this one was logged."""
    stmt = sa.select(FollowUp).where(FollowUp.previous_id == followup.id).order_by(FollowUp.id)
    return list(db.session.scalars(stmt))


def history_of(
    actor,
    *,
    customer: Customer | None = None,
    prospect: Prospect | None = None,
    facility=None,
    limit: int = SECTION_SIZE,
    today: date | None = None,
) -> list[FollowUp]:
    """The latest follow-ups of a customer, prospect or facility, newest first, with promises."""
    stmt = visible_to(actor, sa.select(FollowUp))
    if facility is not None:
        stmt = stmt.where(FollowUp.facility_id == facility.id)
    elif customer is not None:
        stmt = stmt.where(FollowUp.customer_id == customer.id)
    else:
        stmt = stmt.where(FollowUp.prospect_id == prospect.id)
    stmt = stmt.order_by(FollowUp.planned_date.desc(), FollowUp.id.desc()).limit(limit)
    return _followups(db.session.execute(_with_promise_state(stmt, today)))


# --- Promises to pay --------------------------------------------------------------------------


def promise_query(
    actor, filters: dict, *, today: date | None = None, joined: bool = False
) -> sa.Select:
    """Scoped, filtered select of (promise, state) rows; the state is computed in SQL. Their
    facility, customer and officer are read as `_loaded` reads a follow-up's."""
    state = promises.state_column(today or bank_today())
    load = joinedload if joined else selectinload
    stmt = visible_to(actor, sa.select(PromiseToPay, state.label("state")), PromiseToPay).options(
        load(PromiseToPay.facility),
        load(PromiseToPay.customer),
        load(PromiseToPay.officer),
    )
    if filters.get("state"):
        stmt = stmt.where(state == filters["state"])
    if filters.get("owner") is not None:
        # The officer now in charge of the customer (a promise follows its customer).
        owned = sa.select(Customer.id).where(Customer.officer_id == filters["owner"])
        stmt = stmt.where(PromiseToPay.customer_id.in_(owned))
    if filters.get("customer") is not None:
        stmt = stmt.where(PromiseToPay.customer_id == filters["customer"])
    if filters.get("facility") is not None:
        stmt = stmt.where(PromiseToPay.facility_id == filters["facility"])
    if filters.get("promised_from"):
        stmt = stmt.where(PromiseToPay.promised_date >= filters["promised_from"])
    if filters.get("promised_to"):
        stmt = stmt.where(PromiseToPay.promised_date <= filters["promised_to"])
    if filters.get("recorded_by") is not None:
        stmt = stmt.where(PromiseToPay.officer_id == filters["recorded_by"])
    if filters.get("deadline_from"):
        stmt = stmt.where(PromiseToPay.deadline >= filters["deadline_from"])
    if filters.get("deadline_to"):
        stmt = stmt.where(PromiseToPay.deadline <= filters["deadline_to"])
    return _order(stmt, filters.get("sort"), PROMISE_SORTS, "-promised_date", PromiseToPay.id)


def _promises(rows) -> list[PromiseToPay]:
    items = []
    for promise, state in rows:
        promise.state = state
        items.append(promise)
    return items


def list_promises(actor, filters: dict, per_page: int, *, today: date | None = None) -> Page:
    """One page of the promises the user may see, each with its state."""
    stmt = promise_query(actor, filters, today=today)
    page = max(1, filters.get("page") or 1)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    return Page(items=_promises(rows), page=page, per_page=per_page, total=_count(stmt) or 0)


def promises_of(
    actor, *, customer=None, facility=None, limit: int = SECTION_SIZE, today=None
) -> list[PromiseToPay]:
    """The latest promises of a customer or a facility, newest first, each with its state."""
    filters = {"facility": facility.id} if facility is not None else {"customer": customer.id}
    stmt = promise_query(actor, filters, today=today, joined=True).limit(limit)
    return _promises(db.session.execute(stmt))


def describe_promise(promise: PromiseToPay, today: date | None = None) -> PromiseToPay:
    """Attach the promise's state and the date of the position that shows it kept (if any)."""
    facts = promises.facts_of(promise.facility_id)
    keeping = promises.keeping_position(
        promise.promised_amount, promise.promised_on, promise.deadline, facts
    )
    promise.state = promises.derive_state(
        promise.promised_amount,
        promise.promised_on,
        promise.deadline,
        facts,
        today or bank_today(),
    )
    promise.kept_on = keeping.as_of if keeping is not None else None
    return promise


def get_promise(actor, promise_id, *, today: date | None = None) -> PromiseToPay:
    """A promise the user may see, with its state and the keeping position's date."""
    return describe_promise(get_visible(actor, PromiseToPay, promise_id), today)


def plannable_parties(actor) -> tuple[list[Customer], list[Prospect]]:
    """The officer's customers and open prospects, to pick whom a new follow-up is with."""
    if actor.role != Role.OFFICER:
        return [], []
    customers = db.session.scalars(
        sa.select(Customer).where(Customer.officer_id == actor.id).order_by(Customer.name)
    ).all()
    prospects = db.session.scalars(
        sa.select(Prospect).where(Prospect.owner_id == actor.id).order_by(Prospect.name)
    ).all()
    return list(customers), [p for p in prospects if p.is_open]


def visible_owners(actor) -> list[User]:
    """Officers whose follow-ups the user sees (the owner filter of supervisors and admins)."""
    if actor.role == Role.OFFICER:
        return []
    stmt = visible_to(actor, sa.select(User).where(User.role == Role.OFFICER))
    return list(db.session.scalars(stmt.order_by(User.full_name, User.username)))
