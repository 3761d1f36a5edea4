"""The watchlist: DOMAIN.md's early-warning signals, computed from the positions of an as-of date.

Each signal (credit/signals.py) is a SQL select of the positions it flags (set-based, so the
portfolio's "watchlist only" filter and the watchlist page run as queries, not loops). A new
signal is a select returning the same columns (see `signals._flag`) and a reason, registered in
SIGNALS; nothing else changes (pages, API, the "watchlist only" filter and
`watchlist_facility_ids` follow).

The listing has **one row per account** (a facility's position on the date) with all its
reasons, worst first: by SEVERITY, then by exposure (the outstanding), largest first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from aoapp.auth.models import User
from aoapp.common.pagination import Page
from aoapp.credit.collectibility import load_bands
from aoapp.credit.figures import PortfolioScope, latest_as_of, resolve_scope, scope_next_as_of
from aoapp.credit.models import Facility, MonitoringVisit, Position
from aoapp.credit.signals import SIGNALS, Signal, SignalContext
from aoapp.customers.models import Customer
from aoapp.extensions import db

__all__ = [
    "SEVERITY",
    "SIGNALS",
    "Signal",
    "SignalContext",
    "WatchSignal",
    "WatchlistEntry",
    "watchlist",
]

# Severity, defined once: the account's effective (debtor) Kol — Kol 5 (Macet) is the most
# severe, then Kol 4, 3, 2, and Kol 1 (Lancar) accounts that carry early-warning signals only.
# Accounts of the same severity are listed by exposure (outstanding on the date), largest first.
SEVERITY = _l(
    "Severity is the account's effective (debtor) Kol: Kol 5 (loss) first, then Kol 4, 3 and 2, "
    "then current accounts with early-warning signals only. Accounts of the same severity are "
    "listed by exposure (outstanding), largest first."
)


@dataclass(frozen=True)
class WatchSignal:
    """One early-warning signal of an account, with its reason in plain words."""

    signal: str
    reason: str
    date: date
    detail: object | None = None  # the visit or promise behind the signal (Signal.detail)

    @property
    def label(self) -> str:
        """The signal's name in the current language."""
        return SIGNALS[self.signal].label


@dataclass(frozen=True)
class WatchlistEntry:
    """One account on the watchlist with all its signals (in the signals' registered order)."""

    position: Position
    facility: Facility
    customer: Customer
    officer: User | None
    signals: tuple[WatchSignal, ...]
    followup_id: int | None = None  # the planned follow-up whose outcome is to be logged

    @property
    def severity(self) -> int:
        """The account's severity: its effective (debtor) Kol (see SEVERITY)."""
        return self.position.debtor_kol

    @property
    def codes(self) -> list[str]:
        """The codes of the account's signals."""
        return [s.signal for s in self.signals]

    @property
    def signal(self) -> str:
        """The account's first signal (in the registered order)."""
        return self.signals[0].signal

    @property
    def reason(self) -> str:
        """Every reason, in one text."""
        return " ".join(s.reason for s in self.signals)

    @property
    def date(self) -> date:
        """The date of the newest signal."""
        return max(s.date for s in self.signals)

    @property
    def next_action(self) -> str:
        """What to do next: log the outcome of the planned follow-up if there is one, else plan
        a (collection) call when the account is past due, else plan a monitoring visit."""
        if self.followup_id is not None:
            return "log_outcome"
        return "plan_call" if self.position.dpd > 0 else "plan_visit"

    @property
    def visit(self) -> MonitoringVisit | None:
        """The weak monitoring visit behind a signal, if any."""
        return next((s.detail for s in self.signals if isinstance(s.detail, MonitoringVisit)), None)


# The features above credit that know an account's planned follow-up (followups) register a
# function here: [(customer_id, facility_id)] → {facility_id: follow-up id}, in one query.
PLANNED_FOLLOWUPS: list[Callable[[list[tuple[int, int]]], dict[int, int]]] = []


def planned_followups(source):
    """Register the source of the accounts' planned follow-ups (a hook for followups)."""
    PLANNED_FOLLOWUPS.append(source)
    return source


def _context(
    scope: PortfolioScope, as_of: date | None, until: date | None = None
) -> SignalContext | None:
    as_of = as_of or latest_as_of(scope)
    if as_of is None:
        return None
    return SignalContext(scope, as_of, scope_next_as_of(scope, as_of), until)


def flagged(ctx: SignalContext, signals=None) -> sa.Subquery:
    """UNION ALL of the chosen signals: position_id, signal, signal_date, detail_id, rank."""
    selects = [
        signal.select(ctx).add_columns(
            sa.literal_column(f"'{code}'", sa.String).label("signal"),
            sa.literal_column(str(rank), sa.Integer).label("rank"),
        )
        for rank, (code, signal) in enumerate(SIGNALS.items())
        if not signals or code in signals
    ]
    return sa.union_all(*selects).subquery("flagged")


def watchlist_condition(scope: PortfolioScope, as_of: date) -> sa.ColumnElement[bool]:
    """A WHERE condition on Position: the position carries at least one signal."""
    ctx = SignalContext(scope, as_of, scope_next_as_of(scope, as_of))
    return Position.id.in_(sa.select(flagged(ctx).c.position_id))


def watchlist_facility_ids(actor, as_of=None, officer_id=None, branch_id=None) -> set[int]:
    """Ids of the facilities on the watchlist (the scope's latest date by default)."""
    ctx = _context(resolve_scope(actor, officer_id, branch_id), as_of)
    if ctx is None:
        return set()
    flags = flagged(ctx)
    stmt = sa.select(Position.facility_id).join(flags, flags.c.position_id == Position.id)
    return set(db.session.scalars(stmt))


def listing_order(flags=None) -> tuple:
    """The watchlist's order: severity (debtor Kol) worst first, then exposure (outstanding)
    largest first, account, and — given the signals' subquery — each account's signals in
    their registered order."""
    order = (
        Position.debtor_kol.desc(),
        Position.outstanding.desc(),
        Facility.account_no,
        Position.id,
    )
    return order if flags is None else (*order, flags.c.rank, flags.c.signal_date.desc())


def signal_details(rows) -> dict[tuple[str, int], object]:
    """The records behind the rows' signals (visits, promises), one query per kind."""
    wanted: dict[type, set[int]] = {}
    for row in rows:
        model = SIGNALS[row.signal].detail
        if model is not None and row.detail_id is not None:
            wanted.setdefault(model, set()).add(row.detail_id)
    found = {}
    for model, ids in wanted.items():
        for record in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
            found[model.__name__, record.id] = record
    return found


def _accounts_query(ctx: SignalContext, signals=None) -> sa.Select:
    """The accounts carrying at least one of the chosen signals, in the listing's order."""
    chosen = flagged(ctx, signals)
    return (
        sa.select(Position, Facility, Customer)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .where(Position.id.in_(sa.select(chosen.c.position_id)))
        .order_by(*listing_order())
    )


def _signals_of(ctx: SignalContext, position_ids: list[int], bands, accounts) -> dict:
    """Every signal of the given positions, with reasons: {position id: (WatchSignal, ...)}."""
    if not position_ids:
        return {}
    flags = flagged(ctx)
    rows = db.session.execute(
        sa.select(flags)
        .where(flags.c.position_id.in_(position_ids))
        .order_by(flags.c.position_id, flags.c.rank, flags.c.signal_date.desc())
    ).all()
    details = signal_details(rows)
    found: dict[int, list[WatchSignal]] = {}
    for row in rows:
        signal = SIGNALS[row.signal]
        model = signal.detail
        detail = details.get((model.__name__, row.detail_id)) if model else None
        position, facility = accounts[row.position_id]
        reason = signal.reason(position, facility, detail, bands)
        found.setdefault(row.position_id, []).append(
            WatchSignal(row.signal, reason, row.signal_date, detail)
        )
    return {key: tuple(value) for key, value in found.items()}


def _entries(ctx: SignalContext, rows, bands) -> list[WatchlistEntry]:
    """Entries of the selected accounts: signals, officers and follow-ups in a few queries."""
    accounts = {row.Position.id: (row.Position, row.Facility) for row in rows}
    signals = _signals_of(ctx, list(accounts), bands, accounts)
    officer_ids = {row.Position.officer_id for row in rows} - {None}
    officers = {
        u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(officer_ids)))
    }
    pairs = [(row.Customer.id, row.Facility.id) for row in rows]
    followups: dict[int, int] = {}
    for source in PLANNED_FOLLOWUPS if pairs else ():
        followups.update(source(pairs))
    return [
        WatchlistEntry(
            position=row.Position,
            facility=row.Facility,
            customer=row.Customer,
            officer=officers.get(row.Position.officer_id),
            signals=signals.get(row.Position.id, ()),
            followup_id=followups.get(row.Facility.id),
        )
        for row in rows
    ]


def watchlist(
    actor,
    as_of: date | None = None,
    officer_id: int | None = None,
    branch_id: int | None = None,
    *,
    signals: list[str] | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> Page:
    """The accounts of the scope with signals on `as_of` (default: latest), worst first.

    One entry per account with all its signals; `signals` keeps the accounts carrying one of
    them. Without `per_page`, every entry.
    """
    scope = resolve_scope(actor, officer_id, branch_id)
    return scope_watchlist(scope, as_of, signals=signals, page=page, per_page=per_page)


def scope_watchlist(
    scope: PortfolioScope,
    as_of: date | None,
    *,
    signals: list[str] | None = None,
    page: int = 1,
    per_page: int | None = None,
    until: date | None = None,
) -> Page:
    """The watchlist of a resolved scope (see `watchlist`); `until`: a period's judging day
    (SignalContext.until), for a period's report or dashboard."""
    page = max(1, page)
    ctx = _context(scope, as_of, until)
    if ctx is None:
        return Page(items=[], page=page, per_page=per_page or 1, total=0)
    stmt = _accounts_query(ctx, signals)
    count = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    total = db.session.scalar(count) or 0
    if per_page:
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.execute(stmt).all()
    return Page(
        items=_entries(ctx, rows, load_bands()),
        page=page,
        per_page=per_page or max(1, total),
        total=total,
    )
