"""Month-end aggregates ("rollups"): every measure of credit/measures.py per (date, officer,
branch), written when positions change so dashboards do not sum history on every view.

`portfolio_rollups` holds one row per (as_of, officer_id, branch_id) group of a date with the SUM
of each measure and `debtors`, the distinct customers of the group. Distinct debtors do not add
up across groups, so `portfolio_rollup_debtors` lists the few debtors booked in more than one
group on a date: a set of groups counts sum(debtors) − Σ over shared debtors (their groups in
the set − 1) (credit/rollup_reads.py).

A date's rollups are either absent (readers compute from positions) or exact: every writer of
positions rewrites the dates it touched — the loan import in its own transaction
(imports/loans/loader.py), and any ORM flush of positions (Kol upgrades, rows written one by
one) through the session hook below. The same writers keep the listing dates (common/latest.py).
"""

from collections.abc import Iterable
from datetime import date
from functools import cache
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from aoapp.common import latest, serial
from aoapp.common.money import to_money
from aoapp.credit.collectibility import KOLS
from aoapp.credit.measures import COUNT, MEASURES, aggregates
from aoapp.credit.models import Facility, Position
from aoapp.database import Money
from aoapp.extensions import db

GROUP = ("as_of", "officer_id", "branch_id")
WAIT_SECONDS = 300  # a writer waits for another's rewrite of the date (held to its commit)


def _measure_column(measure) -> sa.Column:
    kind = sa.Integer() if measure.kind == COUNT else Money
    return sa.Column(measure.key, kind, nullable=False)


ROLLUPS = sa.Table(
    "portfolio_rollups",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    sa.Column("debtors", sa.Integer, nullable=False),
    *(_measure_column(measure) for measure in MEASURES),
    sa.Index("ix_portfolio_rollups_as_of_branch", "as_of", "branch_id", "officer_id"),
    sa.Index("ix_portfolio_rollups_officer_as_of", "officer_id", "as_of"),
)


def shared_table(name: str) -> sa.Table:
    """A table of the customers booked in more than one group on a date (as_of, customer,
    officer, branch), beside the rollups that count each group's own."""
    return sa.Table(
        name,
        db.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("officer_id", sa.Integer),
        sa.Column("branch_id", sa.Integer),
        sa.Index(f"ix_{name}_as_of_customer", "as_of", "customer_id"),
    )


SHARED = shared_table("portfolio_rollup_debtors")


def _on(dates: list[date]) -> sa.ColumnElement[bool]:
    return Position.as_of == dates[0] if len(dates) == 1 else Position.as_of.in_(dates)


def write(conn: sa.Connection, dates: Iterable[date], *, one_group: Iterable[date] = ()) -> None:
    """The rollups of `dates` computed again from their positions (delete, then insert).

    `one_group`: dates known to book each debtor to one group (a full listing's: one officer per
    CIF), whose search for shared debtors (a second pass over the date) is skipped.
    """
    dates = sorted(set(dates))
    if not dates:
        return
    searched = sorted(set(dates) - set(one_group))
    # Two writers of a date take turns: else the second's delete misses the rows the first
    # inserted (committed after its snapshot) and the date is counted twice. In date order, so
    # two writers of several dates do not deadlock.
    for day in dates:
        serial.hold(conn, f"rollups:{day.isoformat()}", WAIT_SECONDS)
    conn.execute(sa.delete(SHARED).where(SHARED.c.as_of.in_(dates)))
    conn.execute(sa.delete(ROLLUPS).where(ROLLUPS.c.as_of.in_(dates)))
    conn.execute(_insert_groups(), {"dates": dates})
    latest.record(conn, latest.LOANS, dates)
    if searched:
        names = [*GROUP[:1], "customer_id", *GROUP[1:]]
        conn.execute(sa.insert(SHARED).from_select(names, shared(searched)))


def groups(dates: list[date]) -> sa.Select:
    """Every measure and the debtors of each (as_of, officer, branch) group of `dates`."""
    return _grouped(_on(dates))


def _grouped(where: sa.ColumnElement[bool]) -> sa.Select:
    keys = [Position.as_of, Position.officer_id, Position.branch_id]
    return sa.select(*keys, *aggregates()).where(where).group_by(*keys)


@cache
def _insert_groups() -> sa.Insert:
    """The rollups of the dates bound as `dates`, built once: the ~100 expressions of `groups`
    cost more Python to build, and to key for SQLAlchemy's statement cache, than a date of a few
    positions takes to sum (an ORM flush of positions rewrites its dates)."""
    names = [*GROUP, "debtors", *(measure.key for measure in MEASURES)]
    grouped = _grouped(Position.as_of.in_(sa.bindparam("dates", expanding=True)))
    return sa.insert(ROLLUPS).from_select(names, grouped)


def shared(dates: list[date], position=Position, *where) -> sa.Select:
    """(as_of, customer, officer, branch) of the customers booked in more than one group on
    `dates` by the rows of `position` (loan positions; deposit positions, `where` they hold
    funds)."""
    p = position
    on = p.as_of == dates[0] if len(dates) == 1 else p.as_of.in_(dates)
    officer, branch = sa.func.coalesce(p.officer_id, -1), sa.func.coalesce(p.branch_id, -1)
    split = (
        sa.select(p.as_of, p.customer_id)
        .where(on, *where)
        .group_by(p.as_of, p.customer_id)
        .having(
            sa.or_(
                sa.func.min(officer) != sa.func.max(officer),
                sa.func.min(branch) != sa.func.max(branch),
            )
        )
        .subquery("split")
    )
    return (
        sa.select(p.as_of, p.customer_id, p.officer_id, p.branch_id)
        .join(split, sa.and_(split.c.as_of == p.as_of, split.c.customer_id == p.customer_id))
        .where(*where)
        .distinct()
    )


def kol_summary(conn: sa.Connection, as_of: date) -> dict:
    """An import's summary of its date, from the rollups: facilities and outstanding per debtor
    Kol (the Kols that have any), upgrades and downgrades since the previous listing."""
    columns = [ROLLUPS.c[f"kol{kol}_{part}"] for kol in KOLS for part in ("count", "total")]
    columns += [ROLLUPS.c.upgrades, ROLLUPS.c.downgrades]
    row = conn.execute(
        sa.select(*(sa.func.sum(column) for column in columns)).where(ROLLUPS.c.as_of == as_of)
    ).one()
    kols = {
        str(kol): {"count": int(count), "outstanding": str(to_money(str(total)))}
        for kol, count, total in zip(KOLS, row[0:-2:2], row[1:-2:2], strict=True)
        if count
    }
    return {
        "kol_distribution": kols,
        "upgrades": int(row[-2] or 0),
        "downgrades": int(row[-1] or 0),
    }


def adjust_flagged(conn: sa.Connection, facility_ids: sa.Select, sign: int) -> None:
    """Take out (sign −1, before) or put back (+1, after) the facility-flag measures of the
    positions of `facility_ids` on every date, around a change of their restructured flag."""
    flagged = [measure for measure in MEASURES if measure.facility_flag]
    keys = [Position.as_of, Position.officer_id, Position.branch_id]
    delta = (
        sa.select(*keys, *(measure.sum() for measure in flagged))
        .where(Position.facility_id.in_(facility_ids))
        .group_by(*keys)
        .subquery("delta")
    )
    same = [ROLLUPS.c[name].is_not_distinct_from(delta.c[name]) for name in GROUP[1:]]
    stmt = (
        sa.update(ROLLUPS)
        .where(ROLLUPS.c.as_of == delta.c.as_of, *same)
        .values({m.key: ROLLUPS.c[m.key] + sign * delta.c[m.key] for m in flagged})
    )
    conn.execute(stmt)


def dates_of_facilities(conn: sa.Connection, facility_ids: Iterable[int]) -> set[date]:
    """The dates with positions of these facilities."""
    ids = list(facility_ids)
    if not ids:
        return set()
    stmt = sa.select(Position.as_of).where(Position.facility_id.in_(ids)).distinct()
    return set(conn.scalars(stmt))


def _flag_changed(facility: Facility) -> bool:
    return sa.inspect(facility).attrs.restructured.history.has_changes()


def _touched(session: Session) -> tuple[set[date], set[int]]:
    """Dates of the positions a flush wrote, and facilities whose restructured flag changed."""
    dates, flipped = set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Position):
            history = sa.inspect(obj).attrs.as_of.history
            dates.update(day for day in chain(history.added, history.unchanged, history.deleted))
        elif isinstance(obj, Facility) and obj not in session.new and _flag_changed(obj):
            flipped.add(obj.id)
    return {day for day in dates if day is not None}, flipped


@sa.event.listens_for(Session, "after_flush")
def _rewrite_touched(session: Session, _context) -> None:
    """Positions written through the ORM (a Kol upgrade, rows one by one): their dates' rollups
    rewritten in the same transaction."""
    dates, flipped = _touched(session)
    if not dates and not flipped:
        return
    conn = session.connection()
    write(conn, dates | dates_of_facilities(conn, flipped))
