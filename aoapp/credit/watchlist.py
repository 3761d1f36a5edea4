"""The watchlist: DOMAIN.md's early-warning signals, computed from the positions of an as-of date.

Each signal is a SQL select of the positions it flags (set-based, so the portfolio's "watchlist
only" filter and the watchlist page run as queries, not loops). Signals that need follow-ups and
promises to pay (`broken_ptp`, `no_follow_up`) arrive with those records: write a select
returning the same columns (see `_flag`) and a reason, register them in SIGNALS; nothing else
changes (pages, API, the "watchlist only" filter and `watchlist_facility_ids` follow).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common.money import format_idr
from aoapp.common.pagination import Page
from aoapp.credit.collectibility import kol_name, load_bands
from aoapp.credit.figures import PortfolioScope, latest_as_of, resolve_scope, scope_next_as_of
from aoapp.credit.models import Facility, MonitoringVisit, Position, RiskRating
from aoapp.customers.models import Customer
from aoapp.extensions import db

EARLY_DEFAULT_DAYS = 90  # DPD > 0 within this many days of the facility's start
MATURITY_WINDOW_DAYS = 60  # maturity this close (or already passed) with outstanding left
WEAK_RATINGS = (RiskRating.WEAK.value, RiskRating.CRITICAL.value)
# Signals of DOMAIN.md that need follow-ups and promises to pay (a later issue); not computed yet.
PENDING_SIGNALS = ("broken_ptp", "no_follow_up")


@dataclass(frozen=True)
class SignalContext:
    """What a signal builder needs: the scope, the listing date and the next listing date."""

    scope: PortfolioScope
    as_of: date
    next_as_of: date | None


def _positions(ctx: SignalContext) -> sa.Select:
    """Positions of the date in scope, with their facility (the base of every signal)."""
    return (
        sa.select(Position.id.label("position_id"))
        .join(Facility, Facility.id == Position.facility_id)
        .where(ctx.scope.condition, Position.as_of == ctx.as_of)
    )


def _flag(ctx: SignalContext, condition, signal_date=None, visit_id=None) -> sa.Select:
    """The positions meeting `condition`, dated `signal_date` (default: the listing date)."""
    if signal_date is None:
        signal_date = sa.literal(ctx.as_of, sa.Date)
    if visit_id is None:
        visit_id = sa.cast(sa.null(), sa.Integer)
    return (
        _positions(ctx)
        .add_columns(signal_date.label("signal_date"), visit_id.label("visit_id"))
        .where(condition)
    )


def dpd_rise(ctx: SignalContext) -> sa.Select:
    """DPD higher than on the previous listing."""
    return _flag(ctx, sa.and_(Position.prev_dpd.is_not(None), Position.dpd > Position.prev_dpd))


def downgrade(ctx: SignalContext) -> sa.Select:
    """Effective (debtor) Kol worse than on the previous listing."""
    return _flag(
        ctx, sa.and_(Position.prev_kol.is_not(None), Position.debtor_kol > Position.prev_kol)
    )


def early_default(ctx: SignalContext) -> sa.Select:
    """DPD > 0 on a listing dated within 90 days of the facility's start."""
    earliest_start = ctx.as_of - timedelta(days=EARLY_DEFAULT_DAYS)
    return _flag(
        ctx,
        sa.and_(
            Position.dpd > 0,
            Facility.start_date >= earliest_start,
            Facility.start_date <= ctx.as_of,
        ),
    )


def maturity_soon(ctx: SignalContext) -> sa.Select:
    """Outstanding left on a facility maturing within 60 days (or already matured)."""
    horizon = ctx.as_of + timedelta(days=MATURITY_WINDOW_DAYS)
    return _flag(ctx, sa.and_(Position.outstanding > 0, Facility.maturity_date <= horizon))


def weak_visit(ctx: SignalContext) -> sa.Select:
    """The customer's latest monitoring visit was rated weak or critical.

    Visits count up to the next listing date, so the latest listing reflects visits made since.
    """
    visit, later = aliased(MonitoringVisit), aliased(MonitoringVisit)
    latest = sa.select(later.id).where(later.customer_id == visit.customer_id)
    if ctx.next_as_of is not None:
        latest = latest.where(later.visit_date < ctx.next_as_of)
    latest = latest.order_by(later.visit_date.desc(), later.id.desc()).limit(1)
    stmt = _flag(
        ctx,
        sa.and_(visit.id == latest.scalar_subquery(), visit.risk_rating.in_(WEAK_RATINGS)),
        signal_date=visit.visit_date,
        visit_id=visit.id,
    )
    return stmt.join(visit, visit.customer_id == Position.customer_id)


def _dpd_rise_reason(position, _facility, _visit, _bands) -> str:
    return f"Days past due rose from {position.prev_dpd} to {position.dpd}."


def _downgrade_reason(position, _facility, _visit, bands) -> str:
    before, after = position.prev_kol, position.debtor_kol
    return (
        f"Collectibility worsened from Kol {before} ({kol_name(before, bands)}) "
        f"to Kol {after} ({kol_name(after, bands)})."
    )


def _early_default_reason(position, facility, _visit, _bands) -> str:
    days = (position.as_of - facility.start_date).days
    return f"{position.dpd} days past due only {days} days after the facility started."


def _maturity_reason(position, facility, _visit, _bands) -> str:
    left = format_idr(position.outstanding)
    days = (facility.maturity_date - position.as_of).days
    if days < 0:
        return f"Matured {-days} days ago with {left} still outstanding."
    if days == 0:
        return f"Matures on the listing date with {left} outstanding."
    return f"Matures in {days} days with {left} outstanding."


def _weak_visit_reason(_position, _facility, visit, _bands) -> str:
    return f"Latest monitoring visit rated {visit.risk_rating}."


@dataclass(frozen=True)
class Signal:
    """An early-warning signal: the select of the positions it flags, and its reason in words.

    `reason(position, facility, visit, bands)` explains one flagged position.
    """

    label: str
    select: Callable[[SignalContext], sa.Select]
    reason: Callable[..., str]


# The order is the order of a facility's entries on the same date.
SIGNALS: dict[str, Signal] = {
    "dpd_rise": Signal("DPD rise", dpd_rise, _dpd_rise_reason),
    "downgrade": Signal("Kol downgrade", downgrade, _downgrade_reason),
    "early_default": Signal("Early default", early_default, _early_default_reason),
    "maturity_soon": Signal("Maturity soon", maturity_soon, _maturity_reason),
    "weak_visit": Signal("Weak visit", weak_visit, _weak_visit_reason),
}


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


def _context(scope: PortfolioScope, as_of: date | None) -> SignalContext | None:
    as_of = as_of or latest_as_of(scope)
    if as_of is None:
        return None
    return SignalContext(scope, as_of, scope_next_as_of(scope, as_of))


def flagged(ctx: SignalContext, signals=None) -> sa.Subquery:
    """UNION ALL of the chosen signals: position_id, signal, signal_date, visit_id, rank."""
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


def _entries_query(ctx: SignalContext, signals=None) -> sa.Select:
    flags = flagged(ctx, signals)
    return (
        sa.select(
            flags.c.signal, flags.c.signal_date, flags.c.visit_id, Position, Facility, Customer
        )
        .join(Position, Position.id == flags.c.position_id)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Position.customer_id)
        .order_by(
            flags.c.signal_date.desc(),
            Position.debtor_kol.desc(),
            Customer.name,
            Facility.account_no,
            flags.c.rank,
        )
    )


def _entries(rows, bands) -> list[WatchlistEntry]:
    """Entries of the selected rows, their officers and visits loaded in two queries."""
    officer_ids = {row.Position.officer_id for row in rows} - {None}
    visit_ids = {row.visit_id for row in rows} - {None}
    officers = {
        u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(officer_ids)))
    }
    visits = {
        v.id: v
        for v in db.session.scalars(
            sa.select(MonitoringVisit).where(MonitoringVisit.id.in_(visit_ids))
        )
    }
    entries = []
    for row in rows:
        visit = visits.get(row.visit_id)
        entries.append(
            WatchlistEntry(
                signal=row.signal,
                reason=SIGNALS[row.signal].reason(row.Position, row.Facility, visit, bands),
                date=row.signal_date,
                position=row.Position,
                facility=row.Facility,
                customer=row.Customer,
                officer=officers.get(row.Position.officer_id),
                visit=visit,
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
