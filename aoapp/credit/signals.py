"""The early-warning signals of DOMAIN.md, each a SQL select of the positions it flags.

A signal is set-based: a select over the positions of one listing date (see `flag`) and a
reason in plain words. The watchlist (credit/watchlist.py) runs them as one UNION ALL. Signals
that read follow-ups and promises (followups/signals.py, added with `watch_signal`) judge them on
the context's `reference` day: the day before the next listing of the scope if there is one (that
listing has its own watchlist), else today.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased
from sqlalchemy.sql import visitors

from aoapp.common.dates import bank_today
from aoapp.common.i18n import format_money, locale_code
from aoapp.common.templating import label
from aoapp.credit.collectibility import kol_name
from aoapp.credit.figures import PortfolioScope
from aoapp.credit.models import Facility, MonitoringVisit, Position, RiskRating

EARLY_DEFAULT_DAYS = 90  # DPD > 0 within this many days of the facility's start
MATURITY_WINDOW_DAYS = 60  # maturity this close (or already passed) with outstanding left
WEAK_RATINGS = (RiskRating.WEAK.value, RiskRating.CRITICAL.value)


@dataclass(frozen=True)
class SignalContext:
    """What a signal builder needs: the scope, the listing date and the next listing date.

    `until`: the day a period's report or dashboard judges on (kpis/periods.judging_day), so a
    closed period's watchlist sees nothing dated after its end; None on the live pages.
    """

    scope: PortfolioScope
    as_of: date
    next_as_of: date | None
    until: date | None = None

    @property
    def reference(self) -> date:
        """The day follow-ups, promises and visits are judged on (never before the listing
        date): the period's day when one is given, else the day before the next listing, else
        today."""
        if self.until is not None:
            return max(self.until, self.as_of)
        if self.next_as_of is not None:
            return self.next_as_of - timedelta(days=1)
        return max(bank_today(), self.as_of)


def _positions(ctx: SignalContext, facility: bool) -> sa.Select:
    """Positions of the date in scope (the base of every signal), with their facility when the
    signal reads it."""
    stmt = sa.select(Position.id.label("position_id"))
    if facility:
        stmt = stmt.join(Facility, Facility.id == Position.facility_id)
    return stmt.where(ctx.scope.condition, Position.as_of == ctx.as_of)


def _reads_facility(*elements) -> bool:
    """Whether any of `elements` reads a column of facilities. A signal that does not is not
    joined to them: every position has its facility, and the join read all 500,000 facilities
    for each such signal bank-wide."""
    return any(
        isinstance(node, sa.Column) and node.table is Facility.__table__
        for element in elements
        if element is not None
        for node in visitors.iterate(element)
    )


def flag(ctx: SignalContext, condition, signal_date=None, detail_id=None) -> sa.Select:
    """The positions meeting `condition`, dated `signal_date` (default: the listing date).

    `detail_id`: the id of the record behind the signal (a visit, a promise), see Signal.detail.
    """
    facility = _reads_facility(condition, signal_date, detail_id)
    if signal_date is None:
        signal_date = sa.literal(ctx.as_of, sa.Date)
    if detail_id is None:
        detail_id = sa.cast(sa.null(), sa.Integer)
    return (
        _positions(ctx, facility)
        .add_columns(signal_date.label("signal_date"), detail_id.label("detail_id"))
        .where(condition)
    )


def watched() -> sa.ColumnElement[bool]:
    """credit/models.WATCH_PREDICATE (the partial index ix_positions_watch), added to the signals
    it is implied by, so that they read that small index."""
    past_due = Position.dpd > sa.literal_column("0")  # a constant, not a parameter: the planner
    return sa.or_(past_due, Position.debtor_kol > Position.prev_kol)  # proves the index's WHERE


def dpd_rise(ctx: SignalContext) -> sa.Select:
    """DPD higher than on the previous listing (so above 0: watched)."""
    rise = sa.and_(Position.prev_dpd.is_not(None), Position.dpd > Position.prev_dpd)
    return flag(ctx, sa.and_(rise, watched()))


def downgrade(ctx: SignalContext) -> sa.Select:
    """Effective (debtor) Kol worse than on the previous listing."""
    worse = sa.and_(Position.prev_kol.is_not(None), Position.debtor_kol > Position.prev_kol)
    return flag(ctx, sa.and_(worse, watched()))


def early_default(ctx: SignalContext) -> sa.Select:
    """DPD > 0 on a listing dated within 90 days of the facility's start."""
    earliest_start = ctx.as_of - timedelta(days=EARLY_DEFAULT_DAYS)
    return flag(
        ctx,
        sa.and_(
            Position.dpd > 0,
            watched(),
            Facility.start_date >= earliest_start,
            Facility.start_date <= ctx.as_of,
        ),
    )


def maturity_soon(ctx: SignalContext) -> sa.Select:
    """Outstanding left on a facility maturing within 60 days (or already matured)."""
    horizon = ctx.as_of + timedelta(days=MATURITY_WINDOW_DAYS)
    return flag(ctx, sa.and_(Position.outstanding > 0, Facility.maturity_date <= horizon))


@cache
def alias(model, name: str):
    """An alias made once, on first use (a fresh one re-adapts its columns each time it is used:
    ~0.35 ms per alias per call)."""
    return aliased(model, name=name)


def weak_visit(ctx: SignalContext) -> sa.Select:
    """The customer's latest monitoring visit (dated up to the reference day) was rated weak or
    critical.

    Visits count up to the reference day (the day before the next listing, or a period's last
    day), so the latest listing reflects visits made since, and a closed period none after it.
    """
    visit, later = alias(MonitoringVisit, "signal_visit"), alias(MonitoringVisit, "later_visit")
    latest = (
        sa.select(later.id)
        .where(later.customer_id == visit.customer_id, later.visit_date <= ctx.reference)
        .order_by(later.visit_date.desc(), later.id.desc())
        .limit(1)
    )
    stmt = flag(
        ctx,
        sa.and_(visit.id == latest.scalar_subquery(), visit.risk_rating.in_(WEAK_RATINGS)),
        signal_date=visit.visit_date,
        detail_id=visit.id,
    )
    return stmt.join(visit, visit.customer_id == Position.customer_id)


# Reasons are sentences in the current language (the request's, or the one a report forces),
# money and dates formatted in it.


def _dpd_rise_reason(position, _facility, _detail, _bands) -> str:
    return _(
        "Days past due rose from %(before)s to %(after)s.",
        before=position.prev_dpd,
        after=position.dpd,
    )


def _downgrade_reason(position, _facility, _detail, bands) -> str:
    before, after = position.prev_kol, position.debtor_kol
    lang = locale_code()
    return _(
        "Collectibility worsened from Kol %(before)s (%(before_name)s) "
        "to Kol %(after)s (%(after_name)s).",
        before=before,
        before_name=kol_name(before, bands, lang),
        after=after,
        after_name=kol_name(after, bands, lang),
    )


def _early_default_reason(position, facility, _detail, _bands) -> str:
    days = (position.as_of - facility.start_date).days
    return _(
        "%(dpd)s days past due only %(days)s days after the facility started.",
        dpd=position.dpd,
        days=days,
    )


def _maturity_reason(position, facility, _detail, _bands) -> str:
    left = format_money(position.outstanding)
    days = (facility.maturity_date - position.as_of).days
    if days < 0:
        return _(
            "Matured %(days)s days ago with %(amount)s still outstanding.", days=-days, amount=left
        )
    if days == 0:
        return _("Matures on the listing date with %(amount)s outstanding.", amount=left)
    return _("Matures in %(days)s days with %(amount)s outstanding.", days=days, amount=left)


def _weak_visit_reason(_position, _facility, visit, _bands) -> str:
    rating = label(visit.risk_rating).lower()  # the RiskRating label (credit/labels.py)
    return _("Latest monitoring visit rated %(rating)s.", rating=rating)


@dataclass(frozen=True)
class Signal:
    """An early-warning signal: the select of the positions it flags, and its reason in words.

    `reason(position, facility, detail, bands)` explains one flagged position; `detail` is the
    record of the `detail` model whose id the select returns (a visit, a promise), or None.
    """

    name: str  # a lazy message: see `label`
    select: Callable[[SignalContext], sa.Select]
    reason: Callable[..., str]
    detail: type | None = None

    @property
    def label(self) -> str:
        """The signal's name in the current language."""
        return str(self.name)


# The order is the order of a facility's entries on the same date; the features above credit
# add theirs after these with `watch_signal` (follow-ups: broken_ptp, no_follow_up).
SIGNALS: dict[str, Signal] = {
    "dpd_rise": Signal(_l("DPD rise"), dpd_rise, _dpd_rise_reason),
    "downgrade": Signal(_l("Kol downgrade"), downgrade, _downgrade_reason),
    "early_default": Signal(_l("Early default"), early_default, _early_default_reason),
    "maturity_soon": Signal(_l("Maturity soon"), maturity_soon, _maturity_reason),
    "weak_visit": Signal(_l("Weak visit"), weak_visit, _weak_visit_reason, MonitoringVisit),
}


def watch_signal(code: str, signal: Signal) -> Signal:
    """Add a signal of a feature above credit to the watchlist (after those registered so far)."""
    SIGNALS[code] = signal
    return signal
