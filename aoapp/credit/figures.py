"""Portfolio figures: the one source of outstanding, Kol distribution, NPL, LaR, PAR and aging.

Pages, the API and (later) the Excel reports all call `portfolio_figures()`, so their numbers
agree. Figures are set-based: one aggregate query over the positions of one as-of date.

A portfolio is the set of positions *booked* to an officer or branch on that date (the
`officer_id`/`branch_id` the listing gave them), so a past date's figures do not change when a
customer is later reassigned.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.sql import visitors

from aoapp.auth.models import Branch, Role, User
from aoapp.common import latest
from aoapp.common.i18n import locale_code
from aoapp.common.money import to_money
from aoapp.credit import rollup_reads
from aoapp.credit.collectibility import (
    AGING_BUCKETS,
    KOLS,
    NPL_KOLS,
    PAR_DAYS,
    kol_name,
    load_bands,
)
from aoapp.credit.measures import FIGURE_KEYS, aggregates
from aoapp.credit.models import Position
from aoapp.errors import NotFound
from aoapp.extensions import db

RATIO_PLACES = Decimal("0.0001")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PortfolioScope:
    """Which positions a request covers: a SQL condition on Position and a label for people."""

    condition: sa.ColumnElement[bool]
    label: str
    officer_id: int | None = None
    branch_id: int | None = None


@dataclass(frozen=True)
class KolRow:
    """Facilities of one effective (debtor) Kol."""

    kol: int
    name: str
    count: int
    outstanding: Decimal
    share: Decimal


@dataclass(frozen=True)
class BucketRow:
    """Facilities of one aging bucket."""

    code: str
    label: str
    count: int
    outstanding: Decimal
    share: Decimal


@dataclass(frozen=True)
class ParRow:
    """Portfolio at risk: outstanding with DPD above `days`, and its share of the total."""

    days: int
    outstanding: Decimal
    ratio: Decimal


@dataclass(frozen=True)
class PortfolioFigures:
    """Every figure of one portfolio on one as-of date."""

    as_of: date | None
    scope: str
    officer_id: int | None
    branch_id: int | None
    total_outstanding: Decimal
    facility_count: int
    debtor_count: int
    kol_distribution: tuple[KolRow, ...]
    npl_outstanding: Decimal
    npl_ratio: Decimal
    lar_outstanding: Decimal
    lar_ratio: Decimal
    par: tuple[ParRow, ...]
    aging: tuple[BucketRow, ...]

    def par_ratio(self, days: int) -> Decimal:
        """PAR `days` ratio (30, 60 or 90)."""
        return next(row.ratio for row in self.par if row.days == days)


def ratio(part: Decimal, total: Decimal) -> Decimal:
    """part / total as a Decimal with 4 places (half-up); 0 when the total is 0."""
    if not total:
        return Decimal("0.0000")
    return (part / total).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _money(value) -> Decimal:
    """A SUM from the database (Decimal on PostgreSQL, maybe float on SQLite) as money."""
    return ZERO if value is None else to_money(str(value))


def _not_found_unless(found: bool) -> None:
    if not found:
        raise NotFound()


def resolve_scope(actor, officer_id: int | None = None, branch_id: int | None = None):
    """The positions `actor` asks for; an officer or branch outside their reach is NotFound.

    Officers see their own portfolio; supervisors the branches they supervise (and the
    officers of those branches); admins anything, bank-wide when nothing is asked.
    """
    officer = db.session.get(User, officer_id) if officer_id is not None else None
    branch = db.session.get(Branch, branch_id) if branch_id is not None else None
    _not_found_unless(officer_id is None or (officer is not None and officer.role == Role.OFFICER))
    _not_found_unless(branch_id is None or branch is not None)
    conditions = []
    if actor.role == Role.OFFICER:
        _not_found_unless(officer is None or officer.id == actor.id)
        _not_found_unless(branch is None or branch.id == actor.branch_id)
        officer = actor  # an officer's figures are their own, whatever else is asked: say so
    elif actor.role == Role.SUPERVISOR:
        supervised = actor.supervised_branch_ids
        _not_found_unless(officer is None or officer.branch_id in supervised)
        _not_found_unless(branch is None or branch.id in supervised)
        conditions.append(Position.branch_id.in_(supervised))
    if officer is not None:
        conditions.append(Position.officer_id == officer.id)
    if branch is not None:
        conditions.append(Position.branch_id == branch.id)
    return PortfolioScope(
        condition=sa.and_(sa.true(), *conditions),
        label=_scope_label(actor, officer, branch),
        officer_id=officer.id if officer else None,
        branch_id=branch.id if branch else None,
    )


def _scope_label(actor, officer: User | None, branch: Branch | None) -> str:
    """Who the figures cover, in the current language (e.g. `Branch JKT01 · Officer Budi`)."""
    parts = []
    if branch is not None:
        parts.append(_("Branch %(code)s", code=branch.code))
    if officer is not None:
        parts.append(_("Officer %(name)s", name=officer.display_name))
    if parts:
        return " · ".join(parts)
    if actor.role == Role.OFFICER:
        return _("Officer %(name)s", name=actor.display_name)
    if actor.role == Role.SUPERVISOR:
        codes = sorted(b.code for b in actor.supervised)
        if len(codes) == 1:
            return _("Branch %(code)s", code=codes[0])
        return _("Branches %(codes)s", codes=", ".join(codes))
    return _("Bank-wide")


def as_of_dates(scope: PortfolioScope) -> list[date]:
    """The listing dates that have positions in the scope, newest first.

    The bank's are the listing dates (common/latest.py). A narrower scope's: a recursive walk
    down the dates of its positions, one index probe per date (a skip scan: DISTINCT read every
    position of the scope). Tried and not kept (bench/README.md): each listing date asked with its
    own value (an EXISTS each), and the dates of the scope's rollups: no faster.
    """
    if whole_bank(scope.condition):
        return list(latest.listed(latest.LOANS).dates[::-1])
    walk = sa.select(sa.func.max(Position.as_of).label("as_of")).where(scope.condition)
    dates = walk.cte("dates", recursive=True)
    earlier = (
        sa.select(sa.func.max(Position.as_of))
        .where(scope.condition, Position.as_of < dates.c.as_of)
        .scalar_subquery()
    )
    dates = dates.union_all(sa.select(earlier).where(dates.c.as_of.is_not(None)))
    stmt = sa.select(dates.c.as_of).where(dates.c.as_of.is_not(None))
    return list(db.session.scalars(stmt))


def whole_bank(condition: sa.ColumnElement[bool]) -> bool:
    """Whether a scope's condition is the bank's (it names no column)."""
    return not any(isinstance(node, sa.ColumnClause) for node in visitors.iterate(condition))


def latest_as_of(scope: PortfolioScope) -> date | None:
    """The newest listing date with positions in the scope."""
    if whole_bank(scope.condition):
        return latest.newest(latest.LOANS)
    return db.session.scalar(sa.select(sa.func.max(Position.as_of)).where(scope.condition))


def scope_previous_as_of(scope: PortfolioScope, as_of: date) -> date | None:
    """The listing date before `as_of` in the scope."""
    stmt = sa.select(sa.func.max(Position.as_of)).where(scope.condition, Position.as_of < as_of)
    return db.session.scalar(stmt)


def scope_next_as_of(scope: PortfolioScope, as_of: date) -> date | None:
    """The listing date after `as_of` in the scope (none when no listing came after it)."""
    if (latest.newest(latest.LOANS) or as_of) <= as_of:
        return None
    stmt = sa.select(sa.func.min(Position.as_of)).where(scope.condition, Position.as_of > as_of)
    return db.session.scalar(stmt)


def previous_month_end(as_of: date) -> date | None:
    """The last listing date (bank-wide) in the calendar month before as_of's month."""
    last = as_of.replace(day=1) - timedelta(days=1)
    return latest.last_between(latest.LOANS, last.replace(day=1), last)


def previous_as_of(actor, as_of: date | None = None, officer_id=None, branch_id=None):
    """The listing date before `as_of` (default: the latest) in the scope, or None."""
    scope = resolve_scope(actor, officer_id, branch_id)
    as_of = as_of or latest_as_of(scope)
    return None if as_of is None else scope_previous_as_of(scope, as_of)


def _aggregate_row(scope: PortfolioScope, as_of: date) -> dict:
    """The figures' measures (credit/measures.FIGURE_KEYS) and the debtors of the scope on `as_of`: from the
    month-end aggregates when the date has them, else in one pass over the positions."""
    row = rollup_reads.scope_row(scope.condition, as_of, FIGURE_KEYS)
    if row is None:
        stmt = (
            sa.select(*aggregates(FIGURE_KEYS))
            .select_from(Position)
            .where(scope.condition, Position.as_of == as_of)
        )
        row = dict(db.session.execute(stmt).mappings().one())
    return row


def scope_figures(scope: PortfolioScope, as_of: date | None) -> PortfolioFigures:
    """The figures of a resolved scope on one date (no date: an empty portfolio)."""
    row = _aggregate_row(scope, as_of) if as_of is not None else {}
    get = row.get
    total = _money(get("outstanding"))
    bands, lang = load_bands(), locale_code()  # names in the language of the call
    names = {kol: kol_name(kol, bands, lang) for kol in KOLS}
    kols = tuple(
        KolRow(kol, names[kol], int(get(f"kol{kol}_count") or 0), out, ratio(out, total))
        for kol in KOLS
        for out in [_money(get(f"kol{kol}_total"))]
    )
    npl = sum((row.outstanding for row in kols if row.kol in NPL_KOLS), ZERO)
    kol2 = next(row.outstanding for row in kols if row.kol == 2)
    lar = kol2 + _money(get("restructured_kol1")) + npl
    par = tuple(
        ParRow(days, out, ratio(out, total))
        for days in PAR_DAYS
        for out in [_money(get(f"par{days}"))]
    )
    aging = tuple(
        BucketRow(code, str(label), int(get(f"aging_{code}_count") or 0), out, ratio(out, total))
        for code, label, _low, _high in AGING_BUCKETS
        for out in [_money(get(f"aging_{code}_total"))]
    )
    return PortfolioFigures(
        as_of=as_of,
        scope=scope.label,
        officer_id=scope.officer_id,
        branch_id=scope.branch_id,
        total_outstanding=total,
        facility_count=int(get("facilities") or 0),
        debtor_count=int(get("debtors") or 0),
        kol_distribution=kols,
        npl_outstanding=npl,
        npl_ratio=ratio(npl, total),
        lar_outstanding=lar,
        lar_ratio=ratio(lar, total),
        par=par,
        aging=aging,
    )


def portfolio_figures(
    actor, as_of: date | None = None, officer_id: int | None = None, branch_id: int | None = None
) -> PortfolioFigures:
    """Figures of the portfolio `actor` asks for on `as_of` (default: the scope's latest date)."""
    scope = resolve_scope(actor, officer_id, branch_id)
    return scope_figures(scope, as_of or latest_as_of(scope))
