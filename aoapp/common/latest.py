"""Which listings there are: the dates of the loan and the deposits listings, read from a table of
their own instead of from the positions.

`positions` and `deposit_positions` are partitioned by month. A statement that cannot tell from
its values which months it reads — the newest listing, the last one on or before a day, the
last one of each month — is planned over every partition: ~1–3 ms for a one-row answer with 13
months kept (7 indexes each), more with each month kept, several times on every page that shows
figures. `listing_dates` holds one row per (kind, date) that has positions; reading it plans one
small table. Its rows are written by the rollups' writers (credit/rollups.write,
funding/rollups.write), which every writer of positions calls for the dates it touched, in its
own transaction and under the date's lock: a date is listed exactly when it has positions, for
readers too (they see the positions and the row commit together). Migration 0044 filled it.

Answers are remembered for a read block (common/read_memo.py): a dashboard asks for the same
dates many times.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from aoapp.common.read_memo import remembered
from aoapp.extensions import db

LOANS, DEPOSITS = "loans", "deposits"
KIND_OF_TABLE = {"positions": LOANS, "deposit_positions": DEPOSITS}
TABLE_OF_KIND = {kind: table for table, kind in KIND_OF_TABLE.items()}


class ListingDate(db.Model):
    """A listing date of one kind (loans | deposits): a date that has positions."""

    __tablename__ = "listing_dates"

    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    as_of: Mapped[date] = mapped_column(primary_key=True)


LISTING_DATES = ListingDate.__table__
RECENT_DAYS = 62  # a scoped ask looks in the last two months first: see last_date_on_or_before


def record(conn: sa.Connection, kind: str, dates: Iterable[date]) -> None:
    """Bring the rows of `dates` of `kind` in line with its positions (a date is listed when it
    has any). Called by the rollups' writers, holding each date's lock; each date is asked with
    its own value, so the planner reads one partition for it."""
    dates = sorted(set(dates))
    if not dates:
        return
    positions = sa.table(TABLE_OF_KIND[kind], sa.column("as_of", sa.Date))
    present = sa.union_all(
        *(
            sa.select(sa.literal(day, sa.Date)).where(
                sa.exists().where(positions.c.as_of == sa.literal(day, sa.Date))
            )
            for day in dates
        )
    )
    t = LISTING_DATES.c
    conn.execute(sa.delete(LISTING_DATES).where(t.kind == kind, t.as_of.in_(dates)))
    rows = [{"kind": kind, "as_of": day} for day in conn.scalars(present)]
    if rows:
        conn.execute(sa.insert(LISTING_DATES), rows)


@dataclass(frozen=True)
class Listed:
    """The listing dates of one kind, oldest first, and what is asked of them."""

    dates: tuple[date, ...]

    def newest(self, on_or_before: date | None = None) -> date | None:
        """The newest date (on or before a day, when given)."""
        dates = self.dates
        if on_or_before is not None:
            dates = dates[: bisect_right(dates, on_or_before)]
        return dates[-1] if dates else None

    def last_between(self, first: date, last: date) -> date | None:
        """The newest date from `first` to `last`."""
        found = self.newest(last)
        return found if found is not None and found >= first else None

    def month_ends(self) -> list[date]:
        """The last date of each month that has one, newest first."""
        ends = {(day.year, day.month): day for day in self.dates}
        return sorted(ends.values(), reverse=True)


def listed(kind: str) -> Listed:
    """The listing dates of `kind` (one statement on a small table)."""
    # Selected through the model, so the session's pending positions are flushed first (and
    # their dates listed by the flush) as a read of the positions would have.
    stmt = sa.select(ListingDate.as_of).where(ListingDate.kind == kind).order_by(ListingDate.as_of)
    return remembered(("listing dates", kind), lambda: Listed(tuple(db.session.scalars(stmt))))


def newest(kind: str, on_or_before: date | None = None) -> date | None:
    """The newest listing date of `kind` (on or before a day, when given)."""
    return listed(kind).newest(on_or_before)


def last_between(kind: str, first: date, last: date) -> date | None:
    """The newest listing date of `kind` from `first` to `last`."""
    return listed(kind).last_between(first, last)


def on_listing(as_of: sa.ColumnElement, on: date) -> sa.ColumnElement[bool]:
    """A WHERE condition: the rows of `as_of`'s positions table (loan or deposit positions) on
    the listing dated `on` or last before it, none before the first. By the date's value, so
    PostgreSQL plans that one month partition (a `max(as_of)` subquery would plan them all)."""
    day = newest(KIND_OF_TABLE[as_of.table.name], on)
    return sa.false() if day is None else as_of == day


def last_date_on_or_before(as_of: sa.ColumnElement, day: date, *where) -> date | None:
    """The largest `as_of` (a positions table's date column) on or before `day` among the rows
    `where` keeps, or None.

    Without `where`, the listing dates answer. A scope's (`where`) is asked of its positions,
    first within the two months before the day: planned over the two or three partitions that
    range leaves (~0.4 ms against ~2 ms over every partition), and only when none is there over
    every month. The answer is the same either way."""
    if not where:
        return newest(KIND_OF_TABLE[as_of.table.name], day)
    recent = as_of > day - timedelta(days=RECENT_DAYS)
    for bounds in ((as_of <= day, recent), (as_of <= day,)):
        found = db.session.scalar(sa.select(sa.func.max(as_of)).where(*bounds, *where))
        if found is not None:
            return found
    return None
