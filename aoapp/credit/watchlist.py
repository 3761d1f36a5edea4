"""The watchlist: DOMAIN.md's early-warning signals, computed from the positions of an as-of date.

Each signal (credit/signals.py) is a SQL select of the positions it flags (set-based, so the
portfolio's "watchlist only" filter and the watchlist page run as queries, not loops). A new
signal is a select returning the same columns (see `signals._flag`) and a reason, registered in
SIGNALS; nothing else changes (pages, API, the "watchlist only" filter and
`watchlist_facility_ids` follow).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.pagination import Page
from aoapp.credit.collectibility import load_bands
from aoapp.credit.figures import PortfolioScope, latest_as_of, resolve_scope, scope_next_as_of
from aoapp.credit.models import Facility, MonitoringVisit, Position
from aoapp.credit.signals import SIGNALS, Signal, SignalContext
from aoapp.customers.models import Customer
from aoapp.extensions import db

__all__ = ["SIGNALS", "Signal", "SignalContext", "WatchlistEntry", "watchlist"]


@dataclass(frozen=True)
class WatchlistEntry:
    """One signal on one facility, with its reason in plain words."""

    signal: str
    reason: str
    date: date
    position: Position
    facility: Facility
    customer: Customer
    officer: User | None
    visit: MonitoringVisit | None
    detail: object | None = None  # the visit or promise behind the signal (Signal.detail)


def _context(scope: PortfolioScope, as_of: date | None) -> SignalContext | None:
    as_of = as_of or latest_as_of(scope)
    if as_of is None:
        return None
    return SignalContext(scope, as_of, scope_next_as_of(scope, as_of))


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


def listing_order(flags) -> tuple:
    """The watchlist's order: newest signal first, then worst debtor Kol, name, account, rank."""
    return (
        flags.c.signal_date.desc(),
        Position.debtor_kol.desc(),
        Customer.name,
        Facility.account_no,
        flags.c.rank,
    )


def _entries_query(ctx: SignalContext, signals=None) -> sa.Select:
    flags = flagged(ctx, signals)
    return (
        sa.select(
            flags.c.signal, flags.c.signal_date, flags.c.detail_id, Position, Facility, Customer
        )
        .join(Position, Position.id == flags.c.position_id)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .order_by(*listing_order(flags))
    )


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


def _entries(rows, bands) -> list[WatchlistEntry]:
    """Entries of the selected rows, their officers and details loaded in a few queries."""
    officer_ids = {row.Position.officer_id for row in rows} - {None}
    officers = {
        u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(officer_ids)))
    }
    details = signal_details(rows)
    entries = []
    for row in rows:
        model = SIGNALS[row.signal].detail
        detail = details.get((model.__name__, row.detail_id)) if model else None
        entries.append(
            WatchlistEntry(
                signal=row.signal,
                reason=SIGNALS[row.signal].reason(row.Position, row.Facility, detail, bands),
                date=row.signal_date,
                position=row.Position,
                facility=row.Facility,
                customer=row.Customer,
                officer=officers.get(row.Position.officer_id),
                visit=detail if isinstance(detail, MonitoringVisit) else None,
                detail=detail,
            )
        )
    return entries


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
    """The signals of the scope's positions on `as_of` (default: latest), newest first.

    A facility with several signals has one entry per signal. Without `per_page`, every entry.
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
) -> Page:
    """The watchlist of a resolved scope (see `watchlist`)."""
    page = max(1, page)
    ctx = _context(scope, as_of)
    if ctx is None:
        return Page(items=[], page=page, per_page=per_page or 1, total=0)
    stmt = _entries_query(ctx, signals)
    count = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    total = db.session.scalar(count) or 0
    if per_page:
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.execute(stmt).all()
    return Page(
        items=_entries(rows, load_bands()),
        page=page,
        per_page=per_page or max(1, total),
        total=total,
    )
